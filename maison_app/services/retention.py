"""Retention: what the house stops keeping after a while (RGPD, storage limitation).

Visits: a finished visit older than the retention period (3 months by default, setting
`retention.visits_days`) loses everything that says who it was — the person, the visitor's
name and organisation, the person visited, the desk login — and keeps its date, times and
purpose, so that the attendance figures stay true. Applied at start-up and by
`maison-app purge`. The archived evacuation lists, which name the people present, go at the
same age as the visits.

Contacts: a person whom no area has seen active (a change of the record, a visit…) for
`retention.contacts_years` (3 by default) is erased by anonymisation, as on request
(services/privacy.py: each area says what activity it saw and what it erases).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, update

from maison_app.db.models import Document, Visit
from maison_app.domain.enums import DocumentKind
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _
from maison_app.services.context import ServiceContext
from maison_app.services.permissions import requires
from maison_app.services.settings import read_number, save_number
from maison_app.services.privacy import erase_in_session, inactive_people

VISITS_DAYS_KEY = "retention.visits_days"
DEFAULT_VISITS_DAYS = 92  # three months
CONTACTS_YEARS_KEY = "retention.contacts_years"
DEFAULT_CONTACTS_YEARS = 3
ANONYMOUS_VISITOR = "Visiteur anonymisé"


@dataclass(frozen=True, slots=True)
class PurgeReport:
    visits_anonymised: int
    visits_before: dt.datetime  # visits that arrived before this moment were concerned
    contacts_anonymised: int = 0
    contacts_before: dt.datetime | None = None  # no activity since this moment
    lists_deleted: int = 0  # archived evacuation lists older than the visits


class RetentionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @requires(Area.SETTINGS, Access.READ)
    def visits_days(self) -> int:
        return int(read_number(self.ctx, VISITS_DAYS_KEY, DEFAULT_VISITS_DAYS))

    @requires(Area.SETTINGS, Access.WRITE)
    def save_visits_days(self, *, days: int) -> int:
        return int(save_number(
            self.ctx, VISITS_DAYS_KEY, days, minimum=1, maximum=3660, field="visits_days",
            message=_("La durée de conservation des passages se règle entre 1 et 3 660 jours.")))

    @requires(Area.SETTINGS, Access.READ)
    def contacts_years(self) -> int:
        return int(read_number(self.ctx, CONTACTS_YEARS_KEY, DEFAULT_CONTACTS_YEARS))

    @requires(Area.SETTINGS, Access.WRITE)
    def save_contacts_years(self, *, years: int) -> int:
        return int(save_number(
            self.ctx, CONTACTS_YEARS_KEY, years, minimum=1, maximum=30, field="contacts_years",
            message=_("La durée de conservation des contacts inactifs se règle entre 1 et "
                      "30 ans.")))

    @requires(Area.SETTINGS, Access.WRITE)
    def purge(self) -> PurgeReport:
        """Apply the retention rules now; returns what was done."""
        before = self.ctx.now() - dt.timedelta(days=self.visits_days())
        with self.ctx.writing() as s:
            result = s.execute(
                update(Visit)
                .where(Visit.arrived_at < before, Visit.left_at.is_not(None),
                       (Visit.person_id.is_not(None)) | (Visit.visitor_name != ANONYMOUS_VISITOR)
                       | Visit.visitor_organisation.is_not(None) | Visit.host_name.is_not(None)
                       | Visit.host_person_id.is_not(None))
                .values(person_id=None, visitor_name=ANONYMOUS_VISITOR, visitor_organisation=None,
                        host_person_id=None, host_name=None, checked_in_by=None)
            )
            visits = result.rowcount or 0
            # the evacuation lists name the people present: kept no longer than the visits
            lists = s.execute(
                delete(Document).where(Document.kind == DocumentKind.LISTE_PRESENTS,
                                       Document.issued_at < before)
            ).rowcount or 0
        contacts_before = self.ctx.now() - dt.timedelta(days=365 * self.contacts_years())
        with self.ctx.writing() as s:
            inactive = inactive_people(s, contacts_before)
            for person_id in inactive:
                erase_in_session(s, person_id)
        return PurgeReport(visits_anonymised=visits, visits_before=before,
                           contacts_anonymised=len(inactive), contacts_before=contacts_before,
                           lists_deleted=lists)
