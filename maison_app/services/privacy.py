"""Data protection: export everything the house holds about one person, and erase it by
anonymisation. Each area plugs into a registry with what it holds about a person (export)
and what it does on erasure (anonymise, or keep what the law requires); this module never
needs to know the areas' tables. Later areas (members, hosting, bookings, workshops,
catalogue) register theirs the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from maison_app.db import audit
from maison_app.db.models import Affiliation, Organisation, Person, Visit
from maison_app.domain.enums import AffiliationRole, VisitPurpose
from maison_app.domain.errors import NotFound
from maison_app.domain.permissions import Access, Area
from maison_app.domain.privacy import (
    ANONYMOUS_NAME,
    ErasureReport,
    PersonalDataExport,
    PersonalDataSection,
)
from maison_app.i18n import _, ngettext
from maison_app.services.context import ServiceContext
from maison_app.services.permissions import requires


@dataclass(frozen=True)
class PersonalDataArea:
    """What one area holds about a person."""

    id: str
    title: Callable[[], str]
    export: Callable[[Session, int], list[dict[str, object]]]
    erase: Callable[[Session, int], str]  # returns a French line saying what was done
    # the people this area saw active since a moment (for the retention of contacts)
    active_since: Callable[[dt.datetime], Select] | None = None


REGISTRY: list[PersonalDataArea] = []


def register(area: PersonalDataArea) -> PersonalDataArea:
    if any(a.id == area.id for a in REGISTRY):
        raise ValueError(f"personal-data area {area.id!r} registered twice")
    REGISTRY.append(area)
    return area


def _iso(value) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return getattr(value, "value", value)


# --- the foundation's areas -----------------------------------------------------------


def _export_person(s: Session, person_id: int) -> list[dict[str, object]]:
    p = s.get(Person, person_id)
    rows: list[dict[str, object]] = [{
        "prénom": p.first_name, "nom": p.last_name, "e-mail": p.email, "téléphone": p.phone,
        "adresse": p.address, "code postal": p.postcode, "ville": p.city, "notes": p.notes,
        "consentement": _iso(p.consent_date), "créé le": _iso(p.created_at),
        "modifié le": _iso(p.updated_at),
    }]
    for a, org_name in s.execute(
        select(Affiliation, Organisation.name)
        .join(Organisation, Organisation.id == Affiliation.organisation_id)
        .where(Affiliation.person_id == person_id)
    ):
        rows.append({"structure": org_name, "rôle": AffiliationRole(a.role).label,
                     "depuis": _iso(a.since), "jusqu'au": _iso(a.until)})
    return rows


def _erase_person(s: Session, person_id: int) -> str:
    p = s.get(Person, person_id)
    p.first_name, p.last_name = "", ANONYMOUS_NAME
    p.email = p.phone = p.address = p.postcode = p.city = p.notes = None
    p.consent_date = None
    p.anonymised = True
    p.search_key = ""
    p.sort_key = "~"  # after everyone, out of the way
    return _("Fiche anonymisée (nom, coordonnées, notes effacés) ; ses rattachements aux "
             "structures restent, sans nom, pour les effectifs.")


def _export_visits(s: Session, person_id: int) -> list[dict[str, object]]:
    visits = s.scalars(
        select(Visit).where((Visit.person_id == person_id) | (Visit.host_person_id == person_id))
        .order_by(Visit.arrived_at)
    )
    return [{
        "rôle": _("visiteur") if v.person_id == person_id else _("personne visitée"),
        "arrivée": _iso(v.arrived_at), "départ": _iso(v.left_at),
        "motif": VisitPurpose(v.purpose).label, "personne visitée": v.host_name,
    } for v in visits]


def _erase_visits(s: Session, person_id: int) -> str:
    own = s.scalars(select(Visit).where(Visit.person_id == person_id)).all()
    hosted = s.scalars(select(Visit).where(Visit.host_person_id == person_id)).all()
    for v in hosted:
        v.host_person_id = None
        v.host_name = None
    # the person's own visits keep pointing at the anonymised record: the figures stay
    return ngettext("{n} passage conservé sans nom pour les statistiques.",
                    "{n} passages conservés sans nom pour les statistiques.",
                    len(own)).format(n=len(own))


register(PersonalDataArea(
    "people", lambda: _("Fiche et rattachements"), _export_person, _erase_person,
    active_since=lambda since: select(Person.id).where(Person.updated_at >= since),
))
register(PersonalDataArea(
    "reception", lambda: _("Passages à l'accueil"), _export_visits, _erase_visits,
    active_since=lambda since: select(Visit.person_id).where(
        Visit.person_id.is_not(None), (Visit.arrived_at >= since) | Visit.left_at.is_(None)),
))


ERASED_EMAIL_KEY = "privacy.erased_email"


def erase_in_session(s: Session, person_id: int) -> list[str]:
    """Every area erases what it holds about the person; the audit trail records that it
    happened without the values, and its past entries about the record are expunged."""
    s.info[audit.REDACT_KEY] = True
    # the e-mail before the people area wipes it: areas that kept it as a contact (an outside
    # contact's booking) find their lines by it
    person = s.get(Person, person_id)
    s.info[ERASED_EMAIL_KEY] = (person.email or "").strip().lower() if person is not None else ""
    lines = [f"{a.title()} : {a.erase(s, person_id)}" for a in REGISTRY]
    s.flush()
    n = audit.scrub(s, entity="person", entity_id=str(person_id))
    lines.append(ngettext(
        "Journal des modifications : {n} entrée sur cette fiche expurgée.",
        "Journal des modifications : {n} entrées sur cette fiche expurgées.", n).format(n=n))
    return lines


def inactive_people(s: Session, before: dt.datetime) -> list[int]:
    """People created before `before` whom no area has seen active since then."""
    stmt = select(Person.id).where(Person.anonymised.is_(False), Person.created_at < before)
    for area in REGISTRY:
        if area.active_since is not None:
            stmt = stmt.where(Person.id.not_in(area.active_since(before)))
    return list(s.scalars(stmt))


class PrivacyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @requires(Area.PRIVACY, Access.READ)
    def export(self, *, person_id: int) -> PersonalDataExport:
        """Everything the house holds about one person, area by area."""
        with self.ctx.reading() as s:
            person = self._person(s, person_id)
            name = f"{person.first_name} {person.last_name}".strip()
            sections = tuple(
                PersonalDataSection(area=a.id, title=a.title(),
                                    records=tuple(a.export(s, person_id)))
                for a in REGISTRY
            )
        return PersonalDataExport(person_id=person_id, person_name=name,
                                  generated_at=self.ctx.now().isoformat(), sections=sections)

    @requires(Area.PRIVACY, Access.WRITE)
    def erase(self, *, person_id: int) -> ErasureReport:
        """Erase a person by anonymisation: every area removes what identifies them and
        keeps its statistics and the records the law requires."""
        with self.ctx.writing() as s:
            self._person(s, person_id)
            lines = erase_in_session(s, person_id)
        return ErasureReport(person_id=person_id, lines=tuple(lines))

    @staticmethod
    def _person(s: Session, person_id: int) -> Person:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(_("Cette personne n'existe plus dans la base."))
        return person
