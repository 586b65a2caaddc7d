"""Retention: what the house stops keeping after a while (RGPD, storage limitation).

Visits: a finished visit older than the retention period (3 months by default, setting
`retention.visits_days`) loses everything that says who it was — the person, the visitor's
name and organisation, the person visited, the desk login — and keeps its date, times and
purpose, so that the attendance figures stay true. Applied at start-up and by
`maison-app purge`. (Contacts without activity, and the other areas' data, come with the
data-protection registry of issue #3.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update

from maison_app.db.models import Setting, Visit
from maison_app.domain.errors import ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _
from maison_app.services.context import ServiceContext
from maison_app.services.permissions import requires

VISITS_DAYS_KEY = "retention.visits_days"
DEFAULT_VISITS_DAYS = 92  # three months
ANONYMOUS_VISITOR = "Visiteur anonymisé"


@dataclass(frozen=True, slots=True)
class PurgeReport:
    visits_anonymised: int
    visits_before: dt.datetime  # visits that arrived before this moment were concerned


class RetentionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @requires(Area.SETTINGS, Access.READ)
    def visits_days(self) -> int:
        with self.ctx.reading() as s:
            row = s.get(Setting, VISITS_DAYS_KEY)
        try:
            days = int(row.value) if row is not None else DEFAULT_VISITS_DAYS
        except ValueError:
            days = DEFAULT_VISITS_DAYS
        return days if days > 0 else DEFAULT_VISITS_DAYS

    @requires(Area.SETTINGS, Access.WRITE)
    def save_visits_days(self, *, days: int) -> int:
        if not 1 <= days <= 3660:
            raise ValidationError(
                _("La durée de conservation des passages se règle entre 1 et 3 660 jours."),
                field="visits_days")
        with self.ctx.writing() as s:
            row = s.get(Setting, VISITS_DAYS_KEY)
            if row is None:
                s.add(Setting(key=VISITS_DAYS_KEY, value=str(days)))
            else:
                row.value = str(days)
        return days

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
            return PurgeReport(visits_anonymised=result.rowcount or 0, visits_before=before)
