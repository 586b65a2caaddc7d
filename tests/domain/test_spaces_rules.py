"""The pure rules of the spaces area: periods of whole days (both ends included), the state
of a desk or an office on a day, seat-days, months, floor names."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from maison_app.domain.enums import Occupancy, SpaceKind
from maison_app.domain.spaces import (
    ENDING_SOON_DAYS,
    AssignmentRecord,
    OccupancyFigure,
    covers,
    floor_label,
    last_months,
    month_bounds,
    occupancy_on,
    overlaps,
    seat_days,
)

D = dt.date
DAY = D(2026, 11, 26)


def held(start: dt.date, end: dt.date | None, *, seats: int = 1, holder: str = "Ébène",
         n: int = 1) -> AssignmentRecord:
    return AssignmentRecord(id=n, space_id=1, space_name="Poste A1", holder=holder,
                            organisation_id=1, person_id=None, seats=seats, start=start, end=end,
                            agreement_id=None, notes=None)


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "expected"), [
    # ending on the 31st, the next starting on the 1st: no shared day
    ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), False),
    ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), None), False),
    # one shared day, at either edge
    ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 1, 31), D(2026, 2, 28)), True),
    ((D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 1, 1), D(2026, 2, 1)), True),
    # a one-day period inside another
    ((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 1, 15), D(2026, 1, 15)), True),
    # open-ended: until further notice
    ((D(2026, 3, 1), None), (D(2030, 1, 1), D(2030, 12, 31)), True),
    ((D(2026, 3, 1), None), (D(2026, 1, 1), D(2026, 2, 28)), False),
    ((D(2026, 3, 1), None), (D(2027, 1, 1), None), True),
])
def test_overlaps_counts_whole_days_with_both_ends_included(a, b, expected):
    assert overlaps(*a, *b) is expected
    assert overlaps(*b, *a) is expected  # symmetric


def test_covers_includes_both_ends_and_runs_on_without_an_end():
    assert covers(D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 1))
    assert covers(D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 31))
    assert not covers(D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1))
    assert not covers(D(2026, 1, 1), None, D(2025, 12, 31))
    assert covers(D(2026, 1, 1), None, D(2040, 6, 1))
    assert held(D(2026, 1, 1), None).covers(D(2026, 5, 5))


def test_month_bounds_and_the_last_months():
    assert month_bounds(2028, 2) == (D(2028, 2, 1), D(2028, 2, 29))  # leap year
    assert month_bounds(2026, 2) == (D(2026, 2, 1), D(2026, 2, 28))
    assert month_bounds(2026, 12) == (D(2026, 12, 1), D(2026, 12, 31))
    assert last_months(D(2026, 2, 15), 3) == [(2025, 12), (2026, 1), (2026, 2)]
    months = last_months(DAY)
    assert len(months) == 12 and months[0] == (2025, 12) and months[-1] == (2026, 11)


def test_floor_labels_are_french():
    assert floor_label(0) == "Rez-de-chaussée"
    assert floor_label(1) == "1er étage"
    assert floor_label(2) == "2e étage"
    assert floor_label(-1) == "Sous-sol 1"


# --- the state of a desk or an office on a day ----------------------------------------------


def state(kind, capacity, assignments, day=DAY):
    return occupancy_on(kind, capacity, list(assignments), day)


def test_a_room_or_an_open_space_has_no_state():
    for kind in (SpaceKind.MEETING_ROOM, SpaceKind.WORKSHOP_ROOM, SpaceKind.OPEN_SPACE,
                 SpaceKind.OTHER):
        assert state(kind, 10, [held(D(2026, 1, 1), None)]) == (None, (), None, 0)


def test_a_desk_free_reserved_occupied_or_freeing_up():
    assert state(SpaceKind.DESK, 1, [])[0] is Occupancy.FREE
    past = held(D(2025, 1, 1), D(2025, 12, 31))
    assert state(SpaceKind.DESK, 1, [past])[0] is Occupancy.FREE

    future = held(D(2027, 1, 1), None, holder="Compost'Âge", n=2)
    occ, current, nxt, seats = state(SpaceKind.DESK, 1, [future])
    assert (occ, current, nxt, seats) == (Occupancy.RESERVED, (), future, 0)

    open_ended = held(D(2026, 1, 1), None)
    occ, current, nxt, seats = state(SpaceKind.DESK, 1, [open_ended, future])
    assert (occ, current, nxt, seats) == (Occupancy.OCCUPIED, (open_ended,), future, 1)

    # ending within 30 days (the 30th day included), nobody after: it frees up
    soon = DAY + dt.timedelta(days=ENDING_SOON_DAYS)
    assert state(SpaceKind.DESK, 1, [held(D(2026, 1, 1), soon)])[0] is Occupancy.ENDING
    assert state(SpaceKind.DESK, 1, [held(D(2026, 1, 1), DAY)])[0] is Occupancy.ENDING
    later = soon + dt.timedelta(days=1)
    assert state(SpaceKind.DESK, 1, [held(D(2026, 1, 1), later)])[0] is Occupancy.OCCUPIED
    # ending soon, but someone else arrives within the 30 days: it does not free up
    successor = held(DAY + dt.timedelta(days=11), None, holder="Compost'Âge", n=2)
    assert state(SpaceKind.DESK, 1, [held(D(2026, 1, 1), DAY + dt.timedelta(days=10)),
                                     successor])[0] is Occupancy.OCCUPIED
    # …or arrives after the 30 days: it is free for a while
    far = held(soon + dt.timedelta(days=5), None, holder="Compost'Âge", n=2)
    assert state(SpaceKind.DESK, 1, [held(D(2026, 1, 1), DAY + dt.timedelta(days=10)),
                                     far])[0] is Occupancy.ENDING


def test_an_office_partly_taken_or_full():
    two = held(D(2026, 1, 1), None, seats=2)
    one = held(D(2026, 6, 1), D(2027, 6, 30), holder="Compost'Âge", n=2)
    occ, current, _next, seats = state(SpaceKind.OFFICE, 4, [two])
    assert (occ, seats) == (Occupancy.OCCUPIED, 2)
    occ, current, _next, seats = state(SpaceKind.OFFICE, 3, [two, one])
    assert (occ, current, seats) == (Occupancy.FULL, (two, one), 3)
    # all its holders leave within 30 days: freeing up, full or not
    leaving = held(D(2026, 1, 1), DAY + dt.timedelta(days=3), seats=3)
    assert state(SpaceKind.OFFICE, 3, [leaving])[0] is Occupancy.ENDING
    # one leaves soon, the other stays: still occupied
    staying = held(D(2026, 1, 1), None, n=3)
    assert state(SpaceKind.OFFICE, 3, [replace(leaving, seats=1), staying]
                 )[0] is Occupancy.OCCUPIED


# --- seat-days -------------------------------------------------------------------------------


def test_seat_days_of_a_month_counted_by_hand():
    first, last = month_bounds(2026, 2)  # 28 days
    # a desk held from the 10th to the 20th: 11 days
    assert seat_days(1, [held(D(2026, 2, 10), D(2026, 2, 20))], first, last) == (28, 11)
    # held before and after the month: counted inside it only
    assert seat_days(1, [held(D(2025, 6, 1), None)], first, last) == (28, 28)
    # an office of 3: 2 seats all month, 1 more from the 15th (14 days)
    office = [held(D(2026, 1, 1), None, seats=2), held(D(2026, 2, 15), D(2026, 3, 31), n=2)]
    assert seat_days(3, office, first, last) == (84, 28 * 2 + 14)
    # never more than the capacity on a day
    crowded = [held(D(2026, 2, 1), None, seats=2), held(D(2026, 2, 1), None, seats=2, n=2)]
    assert seat_days(3, crowded, first, last) == (84, 84)
    assert seat_days(2, [], first, last) == (56, 0)


def test_an_occupancy_rate():
    assert OccupancyFigure(2026, 11, 0, seat_days=120, occupied_seat_days=66).rate == 0.55
    assert OccupancyFigure(2026, 11, None, seat_days=0, occupied_seat_days=0).rate == 0.0
