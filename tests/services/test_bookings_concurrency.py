"""Desks booking the same room at the same moment, from separate processes (each its own
connection): exactly one wins, the others are refused with the booking in the way — on
SQLite and, with MAISON_TEST_POSTGRES_URL, on PostgreSQL. Slots that only touch (10–12 and
12–14) both stand."""

from __future__ import annotations

import datetime as dt

import pytest

from maison_app.domain.bookings import Booker, BookingDraft, Recurrence
from maison_app.domain.enums import Role, SpaceKind
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.i18n import PARIS
from tests import concurrency

DAY = dt.date(2026, 12, 3)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def _book_from_another_process(url, job, barrier, results):
    """One desk of the house: its own connection, waits for the others, then books.
    `job` is (tag, draft) or (tag, draft, recurrence) for a series."""
    from maison_app import i18n
    from maison_app.domain.errors import Conflict
    from maison_app.services.context import Actor, Database
    from maison_app.services.registry import Services

    tag = job[0]
    i18n.set_language("fr")
    db = Database.open(url, migrate_schema=False)
    try:
        services = Services.build(db, actor=Actor(login=f"poste-{tag}", role=Role.ACCUEIL))
        services.bookings.rooms()  # connected and warm before the race
        barrier.wait(timeout=60)
        try:
            if len(job) == 3:
                services.bookings.create_series(job[1], job[2])
            else:
                services.bookings.create(job[1])
        except Conflict as exc:
            results.put(("conflict", tag, exc.message))
        else:
            results.put(("won", tag, ""))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        results.put(("error", tag, repr(exc)))
    finally:
        db.dispose()


def race(db_url, jobs) -> list[tuple]:
    return concurrency.race(_book_from_another_process, db_url, jobs)


@pytest.fixture
def room(services):
    return services.spaces.save_space(SpaceRecord(
        None, SpaceKind.MEETING_ROOM, "Salle Sèvre", capacity=12,
        rates=Rates(hour_member=1500, hour_public=2500)))


@pytest.fixture
def desks(services):
    return [services.people.create_organisation(name=f"Structure {n}") for n in range(1, 5)]


def draft(room: int, org: int, start: dt.datetime, end: dt.datetime) -> BookingDraft:
    return BookingDraft(space_id=room, start=start, end=end, title=f"Réunion {org}",
                        booker=Booker(organisation_id=org))


def test_four_desks_book_overlapping_slots_at_once_and_exactly_one_wins(services, db_url,
                                                                        room, desks):
    # every two of these overlap; no two are the same
    slots = [(at(DAY, 10), at(DAY, 12)), (at(DAY, 11), at(DAY, 13)),
             (at(DAY, 9, 30), at(DAY, 11, 30)), (at(DAY, 10, 30), at(DAY, 11, 15))]
    outcomes = race(db_url, [(str(org), draft(room, org, *slot))
                             for org, slot in zip(desks, slots, strict=True)])
    winners = [tag for kind, tag, _msg in outcomes if kind == "won"]
    assert len(winners) == 1
    (held,) = services.bookings.day(day=DAY)
    assert held.booker.organisation_id == int(winners[0])
    losers = [msg for kind, _tag, msg in outcomes if kind == "conflict"]
    assert len(losers) == 3
    assert all(msg.startswith("« Salle Sèvre » est déjà réservée le jeudi 3 décembre 2026 : "
                              f"« {held.title} » ({held.booker_name})") for msg in losers)


def test_two_desks_booking_touching_slots_at_once_both_win(services, db_url, room, desks):
    outcomes = race(db_url, [("a", draft(room, desks[0], at(DAY, 10), at(DAY, 12))),
                             ("b", draft(room, desks[1], at(DAY, 12), at(DAY, 14)))])
    assert sorted(kind for kind, _tag, _msg in outcomes) == ["won", "won"]
    assert len(services.bookings.day(day=DAY)) == 2


def test_a_series_and_a_booking_on_one_of_its_dates_at_once(services, db_url, room, desks):
    """Either the series is refused (its third date is taken) or the booking is."""
    third = DAY + dt.timedelta(weeks=2)
    outcomes = race(db_url, [
        ("series", draft(room, desks[0], at(DAY, 14), at(DAY, 16)),
         Recurrence(interval_weeks=1, count=4)),
        ("one", draft(room, desks[1], at(third, 15), at(third, 17)))])
    assert sorted(kind for kind, _tag, _msg in outcomes) == ["conflict", "won"]
    held = services.bookings.day(day=third)
    assert len(held) == 1
    (winner,) = [tag for kind, tag, _msg in outcomes if kind == "won"]
    if winner == "series":
        assert len(services.bookings.bookings(start=DAY, end=DAY + dt.timedelta(weeks=4))) == 4
    else:
        assert held[0].booker.organisation_id == desks[1]
        assert len(services.bookings.bookings(start=DAY, end=DAY + dt.timedelta(weeks=4))) == 1
