"""Spaces of the house (rooms, offices, desks), their place on the floor plan, and the
allocation of offices and desks: the pure rules (periods, overlaps, the state of a desk on a
day, occupancy rates) and the records the spaces area returns.

Periods are whole days, both ends included: an assignment ending on the 31st and another
starting on the 1st never overlap. An assignment without an end date runs until further
notice."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from maison_app.domain.enums import Occupancy, SpaceKind

ENDING_SOON_DAYS = 30


# --- periods -----------------------------------------------------------------------------


def overlaps(start_a: dt.date, end_a: dt.date | None, start_b: dt.date, end_b: dt.date | None
             ) -> bool:
    """Do two periods share a day? (ends included; None: no end)."""
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def covers(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or day <= end)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def last_months(today: dt.date, n: int = 12) -> list[tuple[int, int]]:
    """(year, month) of the `n` months ending with today's, oldest first."""
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rates:
    """Booking rates in cents (None: not offered)."""

    hour_member: int | None = None
    hour_public: int | None = None
    half_day_member: int | None = None
    half_day_public: int | None = None
    day_member: int | None = None
    day_public: int | None = None


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where a space is drawn on its floor, in metres from the top-left corner."""

    x: float = 0.0
    y: float = 0.0
    width: float = 3.0
    height: float = 3.0


@dataclass(frozen=True, slots=True)
class SpaceRecord:
    id: int | None  # None: a new space
    kind: SpaceKind
    name: str  # "Bureau 12", "Salle Sèvre", "Poste A3"
    floor: int = 0  # 0: rez-de-chaussée
    capacity: int = 1
    parent_id: int | None = None  # a desk inside an office or an open space
    equipment: str = ""
    active: bool = True
    geometry: Geometry = Geometry()
    rates: Rates = Rates()
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    """An office or a desk held by an organisation (or a person) over a period."""

    id: int
    space_id: int
    space_name: str
    holder: str  # the organisation's or the person's name
    organisation_id: int | None
    person_id: int | None
    seats: int  # people it seats (an office of 4 may host 2 + 2)
    start: dt.date
    end: dt.date | None
    agreement_id: int | None  # the hosting agreement that grants it (issue #6)
    notes: str | None

    def covers(self, day: dt.date) -> bool:
        return covers(self.start, self.end, day)


@dataclass(frozen=True, slots=True)
class SpaceState:
    """A space on the plan on one day: what it is, where, and who holds it."""

    space: SpaceRecord
    occupancy: Occupancy | None  # None for what is never allocated (rooms, open spaces…)
    current: tuple[AssignmentRecord, ...]  # covering the day
    next: AssignmentRecord | None  # the next one starting after the day
    seats_taken: int = 0


@dataclass(frozen=True, slots=True)
class FloorPlan:
    floor: int
    day: dt.date
    width: float  # metres: what the drawing must show
    height: float
    spaces: tuple[SpaceState, ...]


@dataclass(frozen=True, slots=True)
class OccupancyFigure:
    """Occupied seat-days over the seat-days available, for a month and a floor (None:
    the whole house)."""

    year: int
    month: int
    floor: int | None
    seat_days: int
    occupied_seat_days: int

    @property
    def rate(self) -> float:
        return self.occupied_seat_days / self.seat_days if self.seat_days else 0.0


@dataclass(frozen=True, slots=True)
class OccupancyFigures:
    months: tuple[OccupancyFigure, ...]  # every floor and None (house), 12 months
    free_now: int  # desks and office seats free today
    free_next_month: int  # …on the first day of next month
    seats: int


def floor_label(floor: int) -> str:
    from maison_app.i18n import _

    if floor == 0:
        return _("Rez-de-chaussée")
    if floor == 1:
        return _("1er étage")
    if floor < 0:
        return _("Sous-sol {n}").format(n=-floor)
    return _("{n}e étage").format(n=floor)


# --- the state of a desk or office on a day -------------------------------------------------


def occupancy_on(kind: SpaceKind, capacity: int, assignments: list[AssignmentRecord],
                 day: dt.date) -> tuple[Occupancy | None, tuple[AssignmentRecord, ...],
                                        AssignmentRecord | None, int]:
    """(state, assignments covering the day, the next one after it, seats taken)."""
    if not kind.allocatable:
        return None, (), None, 0
    current = tuple(a for a in assignments if a.covers(day))
    later = sorted((a for a in assignments if a.start > day), key=lambda a: a.start)
    upcoming = later[0] if later else None
    seats = sum(a.seats for a in current)
    if not current:
        return (Occupancy.RESERVED if upcoming else Occupancy.FREE), (), upcoming, 0
    soon = day + dt.timedelta(days=ENDING_SOON_DAYS)
    ends = [a.end for a in current]
    ending = all(e is not None and e <= soon for e in ends) and not (
        upcoming and upcoming.start <= soon)
    if ending:
        return Occupancy.ENDING, current, upcoming, seats
    if kind is SpaceKind.OFFICE and seats < capacity:
        return Occupancy.OCCUPIED, current, upcoming, seats
    return (Occupancy.FULL if kind is SpaceKind.OFFICE else Occupancy.OCCUPIED), current, \
        upcoming, seats


def seat_days(capacity: int, assignments: list[AssignmentRecord], first: dt.date,
              last: dt.date) -> tuple[int, int]:
    """(seat-days available, seat-days occupied) of one desk or office over [first, last]:
    each day counts its seats taken, at most the capacity."""
    days = (last - first).days + 1
    occupied = 0
    day = first
    while day <= last:
        occupied += min(capacity, sum(a.seats for a in assignments if a.covers(day)))
        day += dt.timedelta(days=1)
    return capacity * days, occupied
