"""Frozen records that services return and screens and documents read. Never ORM rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from maison_app.domain.enums import DocumentKind, MembershipStatus, VisitPurpose


@dataclass(frozen=True, slots=True)
class PersonHit:
    """One line of the reception search."""

    id: int
    first_name: str
    last_name: str
    email: str | None
    organisations: str  # "Elan Coopératif Niortais, BGE"
    present_visit_id: int | None  # set when the person is in the building now
    membership: MembershipStatus | None = None  # this year's, for members and past members

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: tuple[PersonHit, ...]
    query: str
    too_short: bool = False
    truncated: bool = False  # more matches than the limit


@dataclass(frozen=True, slots=True)
class VisitRecord:
    id: int
    person_id: int | None
    name: str  # the person's name, or the walk-in visitor's
    organisation: str | None
    purpose: VisitPurpose
    host: str | None  # person visited
    arrived_at: dt.datetime  # aware, UTC
    left_at: dt.datetime | None
    is_walk_in: bool

    @property
    def present(self) -> bool:
        return self.left_at is None


@dataclass(frozen=True, slots=True)
class DayCounts:
    arrivals: int
    departures: int
    present: int


@dataclass(frozen=True, slots=True)
class ReceptionDay:
    """What the reception screen shows: who is in now, and today's comings and goings."""

    present: tuple[VisitRecord, ...]
    today: tuple[VisitRecord, ...]
    counts: DayCounts


@dataclass(frozen=True, slots=True)
class MaisonIdentity:
    """The house's identity printed on every document (from the settings)."""

    name: str = "Maison de l'ESS"
    organisation: str = "Pôle Territorial de Coopération Économique Niortais"
    address: str = ""
    postcode: str = "79000"
    city: str = "Niort"
    siret: str = ""
    phone: str = ""
    email: str = ""
    logo: bytes | None = field(default=None, repr=False)  # PNG or JPEG bytes

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in (self.address, f"{self.postcode} {self.city}".strip()) if p)


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    id: int
    kind: DocumentKind
    number: str
    subject: str
    author: str
    issued_at: dt.datetime
    sha256: str
    filename: str
    size: int
