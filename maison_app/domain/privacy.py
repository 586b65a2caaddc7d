"""Data protection (RGPD): what the house holds about one person, area by area."""

from __future__ import annotations

from dataclasses import dataclass, field

ANONYMOUS_NAME = "Personne anonymisée"


@dataclass(frozen=True, slots=True)
class PersonalDataSection:
    """One area's part of a person's data: a title and rows of (label, value)."""

    area: str  # stable id: "people", "reception"…
    title: str  # French, for the readable export
    records: tuple[dict[str, object], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class PersonalDataExport:
    person_id: int
    person_name: str
    generated_at: str  # ISO 8601, UTC
    sections: tuple[PersonalDataSection, ...]

    def as_json_dict(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "person_name": self.person_name,
            "generated_at": self.generated_at,
            "sections": [
                {"area": s.area, "title": s.title, "records": list(s.records)}
                for s in self.sections
            ],
        }


@dataclass(frozen=True, slots=True)
class ErasureReport:
    person_id: int
    lines: tuple[str, ...]  # what each area did, in French
