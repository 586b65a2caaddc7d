"""Desks registering people for the last place of a workshop session at the same moment,
from separate processes (each its own connection): exactly one gets the place, the others
go on the waiting list in order — on SQLite and, with MAISON_TEST_POSTGRES_URL, on
PostgreSQL. A cancellation racing a registration leaves the place to one person only."""

from __future__ import annotations

import datetime as dt

import pytest

from maison_app.domain.enums import (
    HalfDayPart,
    RegistrationStatus,
    Role,
    SpaceKind,
    WorkshopAxis,
)
from maison_app.domain.spaces import SpaceRecord
from maison_app.domain.workshops import (
    Facilitator,
    HalfDay,
    RegistrationRecord,
    SessionRecord,
    WorkshopRecord,
)
from tests import concurrency

DAY = dt.date(2026, 12, 3)


def _from_another_process(url, job, barrier, results):
    """One desk of the house: its own connection, waits for the others, then registers
    (job: ("register", tag, session id, person id)) or cancels (("cancel", tag, registration
    id))."""
    from maison_app import i18n
    from maison_app.services.context import Actor, Database
    from maison_app.services.registry import Services

    kind, tag = job[0], job[1]
    i18n.set_language("fr")
    db = Database.open(url, migrate_schema=False)
    try:
        services = Services.build(db, actor=Actor(login=f"poste-{tag}", role=Role.ACCUEIL))
        services.workshops.workshops()  # connected and warm before the race
        barrier.wait(timeout=60)
        if kind == "register":
            r = services.workshops.register(RegistrationRecord(None, job[2], person_id=job[3]))
            results.put(("done", tag, r.status.value, r.position))
        else:
            promoted = services.workshops.cancel_registration(registration_id=job[2])
            results.put(("done", tag, "promoted" if promoted else "none",
                         promoted.person_id if promoted else None))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        results.put(("error", tag, repr(exc), None))
    finally:
        db.dispose()


def race(db_url, jobs) -> list[tuple]:
    return concurrency.race(_from_another_process, db_url, jobs)


@pytest.fixture
def scene(services):
    """A session of « Circuits courts » (3 places) with two places taken; four people."""
    room = services.spaces.save_space(SpaceRecord(None, SpaceKind.WORKSHOP_ROOM, "Salle Autize",
                                                  capacity=30))
    org = services.people.create_organisation(name="Coopérative Alpha")
    wid = services.workshops.save_workshop(WorkshopRecord(
        None, "Circuits courts", WorkshopAxis.LIVING_ECONOMY,
        facilitator=Facilitator(organisation_id=org), capacity=3))
    sid = services.workshops.save_session(SessionRecord(
        None, wid, room, (HalfDay(None, DAY, HalfDayPart.MORNING, dt.time(9), dt.time(12)),)))
    people = [services.people.create_person(first_name=f"Personne {n}", last_name="Test")
              for n in range(1, 7)]
    taken = [services.workshops.register(RegistrationRecord(None, sid, person_id=p))
             for p in people[:2]]
    return sid, people[2:], taken


def test_two_desks_registering_for_the_last_place_at_once(services, db_url, scene):
    sid, (a, b, *_rest), _taken = scene
    outcomes = race(db_url, [("register", "a", sid, a), ("register", "b", sid, b)])
    statuses = sorted((status, position) for _k, _tag, status, position in outcomes)
    assert statuses == [(RegistrationStatus.WAITING.value, 1),
                        (RegistrationStatus.REGISTERED.value, None)]
    s = services.workshops.session(session_id=sid)
    assert (s.registered, s.waiting) == (3, 1)


def test_four_desks_at_once_one_place_and_a_waiting_list_in_order(services, db_url, scene):
    sid, others, _taken = scene
    outcomes = race(db_url, [("register", str(p), sid, p) for p in others])
    registered = [tag for _k, tag, status, _pos in outcomes
                  if status == RegistrationStatus.REGISTERED.value]
    assert len(registered) == 1
    positions = sorted(pos for _k, _tag, status, pos in outcomes
                       if status == RegistrationStatus.WAITING.value)
    assert positions == [1, 2, 3]  # no position given twice
    listed = services.workshops.registrations(session_id=sid)
    assert [r.status for r in listed].count(RegistrationStatus.REGISTERED) == 3
    assert [r.position for r in listed if r.status is RegistrationStatus.WAITING] == [1, 2, 3]


def test_a_cancellation_and_a_registration_at_once(services, db_url, scene):
    """Full session, one waiting: Personne 1 cancels while Personne 5 registers. Whatever
    the order, the session stays full (3) and nobody holds a place twice."""
    sid, (a, b, c, _d), taken = scene
    services.workshops.register(RegistrationRecord(None, sid, person_id=a))  # the last place
    waiting = services.workshops.register(RegistrationRecord(None, sid, person_id=b))
    assert waiting.status is RegistrationStatus.WAITING
    outcomes = race(db_url, [("cancel", "cancel", taken[0].id), ("register", "new", sid, c)])
    by_tag = {tag: (status, extra) for _k, tag, status, extra in outcomes}
    assert by_tag["cancel"] == ("promoted", b)  # the first one waiting takes the place
    assert by_tag["new"] == (RegistrationStatus.WAITING.value, by_tag["new"][1])
    listed = services.workshops.registrations(session_id=sid)
    assert sorted(r.person_id for r in listed if r.status is RegistrationStatus.REGISTERED) == \
        sorted([taken[1].person_id, a, b])
    assert [(r.person_id, r.position) for r in listed
            if r.status is RegistrationStatus.WAITING] == [(c, 1)]
