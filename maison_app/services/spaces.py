"""Spaces of the house and the allocation of offices and desks.

The registry (rooms, offices, open spaces, desks; capacity, floor, equipment, rates, place on
the plan) is the administration's; the allocation (who holds which desk from when to when)
the incubator manager's. The rules of an allocation are checked inside the unit of work that
writes it, after locking the space (the office, for a desk inside an office), so that two
desks assigning the same place at once cannot both win: SQLite takes the database's write
lock at the first statement (BEGIN IMMEDIATE), PostgreSQL locks the space's row
(SELECT … FOR UPDATE) and the second writer reads the first one's assignment once it may go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maison_app.db.models import Organisation, Person
from maison_app.db.spaces import DeskAssignment, Space
from maison_app.domain.enums import SpaceKind
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.spaces import (
    AssignmentRecord,
    FloorPlan,
    Geometry,
    OccupancyFigure,
    OccupancyFigures,
    Rates,
    SpaceRecord,
    SpaceState,
    covers,
    last_months,
    month_bounds,
    occupancy_on,
    overlaps,
    seat_days,
)
from maison_app.domain.text import full_name
from maison_app.i18n import PARIS, _, format_date, ngettext
from maison_app.services.context import ServiceContext
from maison_app.services.permissions import requires
from maison_app.services.privacy import PersonalDataArea, register

RATE_FIELDS = ("hour_member", "hour_public", "half_day_member", "half_day_public",
               "day_member", "day_public")

# Issue #6 (hosting agreements) sets this: the (start, end) of an agreement, or None if it
# does not exist. An assignment that points to an agreement stays within its dates.
agreement_period: Callable[[Session, int], tuple[dt.date, dt.date | None] | None] | None = None


def _record(sp: Space) -> SpaceRecord:
    return SpaceRecord(
        id=sp.id, kind=SpaceKind(sp.kind), name=sp.name, floor=sp.floor, capacity=sp.capacity,
        parent_id=sp.parent_id, equipment=sp.equipment or "", active=sp.active,
        geometry=Geometry(sp.x, sp.y, sp.width, sp.height),
        rates=Rates(**{f: getattr(sp, f"rate_{f}") for f in RATE_FIELDS}), notes=sp.notes)


def _assignment(a: DeskAssignment, space_name: str, holder: str) -> AssignmentRecord:
    return AssignmentRecord(
        id=a.id, space_id=a.space_id, space_name=space_name, holder=holder,
        organisation_id=a.organisation_id, person_id=a.person_id, seats=a.seats, start=a.start,
        end=a.end, agreement_id=a.agreement_id, notes=a.notes)


def _assignments(s: Session, *where) -> list[AssignmentRecord]:
    rows = s.execute(
        select(DeskAssignment, Space.name, Organisation.name, Person.first_name, Person.last_name)
        .join(Space, Space.id == DeskAssignment.space_id)
        .outerjoin(Organisation, Organisation.id == DeskAssignment.organisation_id)
        .outerjoin(Person, Person.id == DeskAssignment.person_id)
        .where(*where).order_by(DeskAssignment.start, DeskAssignment.id))
    return [_assignment(a, space, org if org is not None else full_name(first, last))
            for a, space, org, first, last in rows]


def _period_text(start: dt.date, end: dt.date | None) -> str:
    if end is None:
        return _("à partir du {start}").format(start=format_date(start))
    return _("du {start} au {end}").format(start=format_date(start), end=format_date(end))


class SpacesService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> dt.date:
        return self.ctx.now().astimezone(PARIS).date()

    # --- the registry ----------------------------------------------------------------------

    @requires(Area.SPACES, Access.READ)
    def spaces(self, *, include_inactive: bool = True, floor: int | None = None
               ) -> tuple[SpaceRecord, ...]:
        stmt = select(Space).order_by(Space.floor, Space.name)
        if not include_inactive:
            stmt = stmt.where(Space.active.is_(True))
        if floor is not None:
            stmt = stmt.where(Space.floor == floor)
        with self.ctx.reading() as s:
            return tuple(_record(sp) for sp in s.scalars(stmt))

    @requires(Area.SPACES, Access.READ)
    def space(self, *, space_id: int) -> SpaceRecord:
        with self.ctx.reading() as s:
            return _record(self._get(s, space_id))

    @requires(Area.SPACES, Access.READ)
    def floors(self) -> tuple[int, ...]:
        with self.ctx.reading() as s:
            return tuple(s.scalars(select(Space.floor).distinct().order_by(Space.floor)))

    @staticmethod
    def _get(s: Session, space_id: int, *, lock: bool = False) -> Space:
        sp = s.get(Space, space_id, with_for_update=lock)
        if sp is None:
            raise NotFound(_("Cet espace n'existe plus."))
        return sp

    @requires(Area.SPACES, Access.WRITE)
    def save_space(self, record: SpaceRecord) -> int:
        """Create (`record.id` None) or update a space of the registry."""
        name = (record.name or "").strip()
        if not name:
            raise ValidationError(_("Le nom de l'espace est obligatoire."), field="name")
        if len(name) > 100:
            raise ValidationError(_("Ce nom est trop long (100 caractères au plus)."), field="name")
        kind = SpaceKind(record.kind)
        if not 1 <= record.capacity <= 500:
            raise ValidationError(_("La capacité se compte en personnes, de 1 à 500."),
                                  field="capacity")
        if kind is SpaceKind.DESK and record.capacity != 1:
            raise ValidationError(_("Un poste de travail accueille une personne."),
                                  field="capacity")
        if not -5 <= record.floor <= 50:
            raise ValidationError(_("Étage invalide."), field="floor")
        g = record.geometry
        if g.width <= 0 or g.height <= 0 or g.width > 500 or g.height > 500:
            raise ValidationError(_("Les dimensions se donnent en mètres, plus grandes que zéro."),
                                  field="geometry")
        rates = {}
        for f in RATE_FIELDS:
            value = getattr(record.rates, f)
            if value is not None and value < 0:
                raise ValidationError(_("Un tarif ne peut pas être négatif."), field=f"rate_{f}")
            rates[f"rate_{f}"] = value
        try:
            with self.ctx.writing() as s:
                clash = s.scalar(select(Space.id).where(Space.name == name))
                if clash is not None and clash != record.id:
                    raise ValidationError(_("Un espace porte déjà ce nom."), field="name")
                if record.parent_id is not None:
                    parent = self._get(s, record.parent_id)
                    if kind is not SpaceKind.DESK or SpaceKind(parent.kind) not in (
                            SpaceKind.OFFICE, SpaceKind.OPEN_SPACE):
                        raise ValidationError(
                            _("Seul un poste de travail se place dans un bureau ou un espace "
                              "partagé."), field="parent")
                    if parent.floor != record.floor:
                        raise ValidationError(
                            _("Le poste doit être au même étage que « {name} ».").format(
                                name=parent.name), field="parent")
                if record.id is None:
                    sp = Space()
                    s.add(sp)
                else:
                    sp = self._get(s, record.id, lock=True)
                    if SpaceKind(sp.kind) != kind and not kind.allocatable:  # noqa: SIM102
                        if s.scalar(select(DeskAssignment.id).where(
                                DeskAssignment.space_id == sp.id).limit(1)):
                            raise ValidationError(
                                _("Cet espace a déjà été attribué : il reste un bureau ou un "
                                  "poste."), field="kind")
                    if kind.allocatable:
                        self._check_capacity(s, sp, kind, record.capacity)
                sp.kind, sp.name, sp.floor, sp.capacity = kind, name, record.floor, record.capacity
                sp.parent_id = record.parent_id
                sp.equipment = (record.equipment or "").strip()
                sp.active = record.active
                sp.x, sp.y, sp.width, sp.height = g.x, g.y, g.width, g.height
                sp.notes = (record.notes or "").strip() or None
                for k, v in rates.items():
                    setattr(sp, k, v)
                s.flush()
                return sp.id
        except IntegrityError:
            raise ValidationError(_("Un espace porte déjà ce nom."), field="name") from None

    def _check_capacity(self, s: Session, sp: Space, kind: SpaceKind, capacity: int) -> None:
        """A capacity (or a kind) that current and future assignments already exceed is
        refused: the holders would be over the new limit."""
        today = self._today()
        ids = [sp.id]
        if kind is SpaceKind.OFFICE:
            ids += list(s.scalars(select(Space.id).where(Space.parent_id == sp.id)))
        around = _assignments(s, DeskAssignment.space_id.in_(ids),
                              or_(DeskAssignment.end.is_(None), DeskAssignment.end >= today))
        if kind is SpaceKind.DESK and any(a.seats > 1 for a in around):
            raise ValidationError(_("Un poste de travail accueille une personne : une "
                                    "attribution en cours y installe plusieurs personnes."),
                                  field="kind")
        for day in sorted({today} | {a.start for a in around if a.start > today}):
            taken = sum(a.seats for a in around if a.covers(day))
            if taken > capacity:
                raise ValidationError(ngettext(
                    "Le {day}, {n} personne y est installée : la capacité ne peut pas être "
                    "plus petite.",
                    "Le {day}, {n} personnes y sont installées : la capacité ne peut pas être "
                    "plus petite.", taken).format(day=format_date(day), n=taken),
                    field="capacity")

    @requires(Area.SPACES, Access.WRITE)
    def move_space(self, *, space_id: int, geometry: Geometry) -> None:
        """A new place or size on the plan (the plan's edit mode)."""
        if geometry.width <= 0 or geometry.height <= 0:
            raise ValidationError(_("Les dimensions se donnent en mètres, plus grandes que zéro."),
                                  field="geometry")
        with self.ctx.writing() as s:
            sp = self._get(s, space_id)
            sp.x, sp.y = round(geometry.x, 2), round(geometry.y, 2)
            sp.width, sp.height = round(geometry.width, 2), round(geometry.height, 2)

    # --- the plan --------------------------------------------------------------------------

    @requires(Area.DESKS, Access.READ)
    def floor_plan(self, *, floor: int, day: dt.date | None = None) -> FloorPlan:
        """Every active space of a floor and, for offices and desks, their state on `day`
        (today by default)."""
        day = day or self._today()
        with self.ctx.reading() as s:
            spaces = list(s.scalars(select(Space).where(Space.floor == floor,
                                                        Space.active.is_(True))
                                    .order_by(Space.name)))
            ids = [sp.id for sp in spaces]
            by_space: dict[int, list[AssignmentRecord]] = {}
            if ids:
                for a in _assignments(s, DeskAssignment.space_id.in_(ids),
                                      or_(DeskAssignment.end.is_(None), DeskAssignment.end >= day)):
                    by_space.setdefault(a.space_id, []).append(a)
        states = []
        for sp in spaces:
            record = _record(sp)
            occ, current, nxt, seats = occupancy_on(record.kind, record.capacity,
                                                    by_space.get(sp.id, []), day)
            states.append(SpaceState(space=record, occupancy=occ, current=current, next=nxt,
                                     seats_taken=seats))
        width = max([sp.x + sp.width for sp in spaces], default=20.0)
        height = max([sp.y + sp.height for sp in spaces], default=12.0)
        return FloorPlan(floor=floor, day=day, width=width, height=height, spaces=tuple(states))

    @requires(Area.DESKS, Access.READ)
    def history(self, *, space_id: int) -> tuple[AssignmentRecord, ...]:
        """Every assignment of a desk or office, the latest first."""
        with self.ctx.reading() as s:
            self._get(s, space_id)
            return tuple(reversed(_assignments(s, DeskAssignment.space_id == space_id)))

    @requires(Area.DESKS, Access.READ)
    def assignments(self, *, organisation_id: int | None = None, person_id: int | None = None,
                    ending_within_days: int | None = None) -> tuple[AssignmentRecord, ...]:
        """Current and future assignments (of a holder; or ending within so many days)."""
        today = self._today()
        where = [or_(DeskAssignment.end.is_(None), DeskAssignment.end >= today)]
        if organisation_id is not None:
            where.append(DeskAssignment.organisation_id == organisation_id)
        if person_id is not None:
            where.append(DeskAssignment.person_id == person_id)
        if ending_within_days is not None:
            where.append(DeskAssignment.end <= today + dt.timedelta(days=ending_within_days))
        with self.ctx.reading() as s:
            return tuple(_assignments(s, *where))

    # --- allocation ------------------------------------------------------------------------

    @requires(Area.DESKS, Access.WRITE)
    def assign(self, *, space_id: int, start: dt.date, end: dt.date | None = None,
               organisation_id: int | None = None, person_id: int | None = None,
               seats: int = 1, agreement_id: int | None = None, notes: str | None = None) -> int:
        """Give an office or a desk to an organisation (or a person) from `start` to `end`
        (included; None: until further notice)."""
        if (organisation_id is None) == (person_id is None):
            raise ValidationError(_("Choisissez la structure (ou la personne) à installer."),
                                  field="holder")
        with self.ctx.writing() as s:
            if organisation_id is not None and s.get(Organisation, organisation_id) is None:
                raise NotFound(_("Cette structure n'existe plus dans la base."))
            if person_id is not None and s.get(Person, person_id) is None:
                raise NotFound(_("Cette personne n'existe plus dans la base."))
            self._check(s, space_id=space_id, start=start, end=end, seats=seats,
                        agreement_id=agreement_id, exclude_id=None)
            a = DeskAssignment(space_id=space_id, organisation_id=organisation_id,
                               person_id=person_id, seats=seats, start=start, end=end,
                               agreement_id=agreement_id, notes=(notes or "").strip() or None)
            s.add(a)
            s.flush()
            return a.id

    @requires(Area.DESKS, Access.WRITE)
    def update_assignment(self, *, assignment_id: int, start: dt.date, end: dt.date | None,
                          seats: int = 1, notes: str | None = None) -> None:
        """Change the dates (extend, end, shorten) or the seats of an assignment."""
        with self.ctx.writing() as s:
            a = self._assignment_row(s, assignment_id)
            self._check(s, space_id=a.space_id, start=start, end=end, seats=seats,
                        agreement_id=a.agreement_id, exclude_id=a.id)
            a.start, a.end, a.seats = start, end, seats
            a.notes = (notes or "").strip() or None

    @requires(Area.DESKS, Access.WRITE)
    def end_assignment(self, *, assignment_id: int, end: dt.date) -> None:
        """The holder leaves: the assignment ends on `end` (included)."""
        with self.ctx.writing() as s:
            a = self._assignment_row(s, assignment_id)
            if end < a.start:
                raise ValidationError(_("La fin ne peut pas précéder le début ({start}).").format(
                    start=format_date(a.start)), field="end")
            self._check(s, space_id=a.space_id, start=a.start, end=end, seats=a.seats,
                        agreement_id=a.agreement_id, exclude_id=a.id)
            a.end = end

    @requires(Area.DESKS, Access.WRITE)
    def move_assignment(self, *, assignment_id: int, space_id: int, on: dt.date) -> int:
        """The holder moves to another office or desk from `on`: the assignment ends the day
        before and a new one starts on `on` with the same end (or, when `on` is not after
        its start, the assignment simply changes place). Returns the id of the new one."""
        with self.ctx.writing() as s:
            a = self._assignment_row(s, assignment_id)
            if a.end is not None and on > a.end:
                raise ValidationError(_("Cette attribution se termine avant cette date."),
                                      field="on")
            if space_id == a.space_id:
                raise ValidationError(_("Choisissez un autre bureau ou poste."), field="space")
            if on <= a.start:
                self._check(s, space_id=space_id, start=a.start, end=a.end, seats=a.seats,
                            agreement_id=a.agreement_id, exclude_id=a.id)
                a.space_id = space_id
                return a.id
            end = a.end
            # the old place is left the day before: shortened first, so that a move between
            # two desks of one full office does not count the holder twice
            a.end = on - dt.timedelta(days=1)
            s.flush()
            self._check(s, space_id=space_id, start=on, end=end, seats=a.seats,
                        agreement_id=a.agreement_id, exclude_id=None)
            moved = DeskAssignment(space_id=space_id, organisation_id=a.organisation_id,
                                   person_id=a.person_id, seats=a.seats, start=on, end=end,
                                   agreement_id=a.agreement_id, notes=a.notes)
            s.add(moved)
            s.flush()
            return moved.id

    @requires(Area.DESKS, Access.WRITE)
    def delete_assignment(self, *, assignment_id: int) -> None:
        """Undo an assignment entered by mistake."""
        with self.ctx.writing() as s:
            s.delete(self._assignment_row(s, assignment_id))

    @staticmethod
    def _assignment_row(s: Session, assignment_id: int) -> DeskAssignment:
        a = s.get(DeskAssignment, assignment_id)
        if a is None:
            raise NotFound(_("Cette attribution n'existe plus."))
        return a

    def _check(self, s: Session, *, space_id: int, start: dt.date, end: dt.date | None,
               seats: int, agreement_id: int | None, exclude_id: int | None) -> None:
        """The rules of an assignment, with the space locked (see the module's docstring)."""
        if end is not None and end < start:
            raise ValidationError(_("La date de fin précède la date de début."), field="end")
        if seats < 1:
            raise ValidationError(_("Une attribution installe au moins une personne."),
                                  field="seats")
        space = self._get(s, space_id)
        office = space if SpaceKind(space.kind) is SpaceKind.OFFICE else None
        if space.parent_id is not None:
            parent = self._get(s, space.parent_id)
            if SpaceKind(parent.kind) is SpaceKind.OFFICE:
                office = parent
        # the lock: the office (for an office or a desk inside one), else the desk itself
        self._get(s, (office or space).id, lock=True)
        kind = SpaceKind(space.kind)
        if not kind.allocatable:
            raise ValidationError(
                _("« {name} » ({kind}) ne s'attribue pas : seuls les bureaux et les postes "
                  "de travail s'attribuent.").format(name=space.name, kind=kind.label.lower()),
                field="space")
        if not space.active:
            raise ValidationError(_("« {name} » n'est plus en service.").format(name=space.name),
                                  field="space")
        if kind is SpaceKind.DESK and seats != 1:
            raise ValidationError(_("Un poste de travail accueille une personne."), field="seats")
        if agreement_id is not None:
            period = agreement_period(s, agreement_id) if agreement_period else None
            if period is None:
                raise ValidationError(_("Cette convention d'hébergement n'existe pas."),
                                      field="agreement")
            a_start, a_end = period
            if start < a_start or (a_end is not None and (end is None or end > a_end)):
                raise ValidationError(
                    _("L'attribution doit rester dans les dates de la convention ({period})."
                      ).format(period=_period_text(a_start, a_end)), field="end")

        def others(*space_ids: int) -> list[AssignmentRecord]:
            where = [DeskAssignment.space_id.in_(space_ids),
                     or_(DeskAssignment.end.is_(None), DeskAssignment.end >= start)]
            if end is not None:
                where.append(DeskAssignment.start <= end)
            if exclude_id is not None:
                where.append(DeskAssignment.id != exclude_id)
            return [a for a in _assignments(s, *where) if overlaps(start, end, a.start, a.end)]

        if kind is SpaceKind.DESK:
            clash = others(space.id)
            if clash:
                c = clash[0]
                raise Conflict(_("« {space} » est déjà attribué à {holder} {period}.").format(
                    space=space.name, holder=c.holder, period=_period_text(c.start, c.end)),
                    existing_id=c.id)
        if office is not None:
            desk_ids = list(s.scalars(select(Space.id).where(Space.parent_id == office.id)))
            around = others(office.id, *desk_ids)
            # the most people at once over the period: check at its start and at each start
            # of another assignment inside it
            for day in sorted({start} | {a.start for a in around if a.start > start}):
                taken = sum(a.seats for a in around if a.covers(day))
                if taken + seats > office.capacity:
                    raise Conflict(ngettext(
                        "« {office} » accueille {n} personne au plus : le {day}, {taken} place "
                        "y est déjà prise.",
                        "« {office} » accueille {n} personnes au plus : le {day}, {taken} "
                        "places y sont déjà prises.", office.capacity).format(
                        office=office.name, n=office.capacity, day=format_date(day),
                        taken=taken), existing_id=office.id)

    # --- figures -----------------------------------------------------------------------------

    @requires(Area.DESKS, Access.READ)
    def figures(self, *, months: int = 12) -> OccupancyFigures:
        """Occupancy rates per floor and for the house, this month and the months before;
        desks and office seats free today and on the first day of next month."""
        today = self._today()
        periods = last_months(today, months)
        first = month_bounds(*periods[0])[0]
        next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        with self.ctx.reading() as s:
            spaces = [sp for sp in s.scalars(select(Space).where(Space.active.is_(True)))
                      if SpaceKind(sp.kind).allocatable]
            # an office with desks inside counts once, at its own capacity, with its own
            # assignments and its desks'; its desks are not counted again
            kinds = {sp.id: SpaceKind(sp.kind) for sp in spaces}
            unit_of = {sp.id: (sp.parent_id if sp.parent_id is not None
                               and kinds.get(sp.parent_id) is SpaceKind.OFFICE else sp.id)
                       for sp in spaces}
            units = [sp for sp in spaces if unit_of[sp.id] == sp.id]
            by_unit: dict[int, list[AssignmentRecord]] = {}
            for a in _assignments(s, or_(DeskAssignment.end.is_(None),
                                         DeskAssignment.end >= first)):
                if a.space_id in unit_of:
                    by_unit.setdefault(unit_of[a.space_id], []).append(a)
        figures = []
        floors = sorted({sp.floor for sp in units})
        for year, month in periods:
            lo, hi = month_bounds(year, month)
            totals: dict[int | None, list[int]] = {f: [0, 0] for f in [*floors, None]}
            for sp in units:
                avail, occ = seat_days(sp.capacity, by_unit.get(sp.id, []), lo, hi)
                for key in (sp.floor, None):
                    totals[key][0] += avail
                    totals[key][1] += occ
            for key, (avail, occ) in totals.items():
                figures.append(OccupancyFigure(year=year, month=month, floor=key,
                                               seat_days=avail, occupied_seat_days=occ))

        def free_on(day: dt.date) -> int:
            return sum(max(sp.capacity - sum(a.seats for a in by_unit.get(sp.id, [])
                                             if covers(a.start, a.end, day)), 0)
                       for sp in units)

        return OccupancyFigures(months=tuple(figures), free_now=free_on(today),
                                free_next_month=free_on(next_month),
                                seats=sum(sp.capacity for sp in units))


# --- data protection: desks held by a person ----------------------------------------------------


def _export_desks(s: Session, person_id: int) -> list[dict[str, object]]:
    return [{"espace": a.space_name, "du": a.start.isoformat(),
             "au": a.end.isoformat() if a.end else None, "places": a.seats, "notes": a.notes}
            for a in _assignments(s, DeskAssignment.person_id == person_id)]


def _erase_desks(s: Session, person_id: int) -> str:
    rows = list(s.scalars(select(DeskAssignment).where(DeskAssignment.person_id == person_id)))
    for a in rows:
        a.notes = None
    return ngettext("{n} attribution de poste conservée sans nom pour les taux d'occupation.",
                    "{n} attributions de postes conservées sans nom pour les taux d'occupation.",
                    len(rows)).format(n=len(rows))


register(PersonalDataArea(
    "desks", lambda: _("Bureaux et postes attribués"), _export_desks, _erase_desks,
    active_since=lambda since: select(DeskAssignment.person_id).where(
        DeskAssignment.person_id.is_not(None),
        or_(DeskAssignment.end.is_(None), DeskAssignment.end >= since.date())),
))
