"""ReceptionService: check-in, check-out, walk-in visitors, the day's counts across the Paris
midnight, the evacuation list, and two desks checking the same person in at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading

import pytest
from sqlalchemy import func, select, update

from maison_app.db.models import Document, Person, Visit
from maison_app.domain.enums import DocumentKind, VisitPurpose
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.records import VisitRecord
from maison_app.domain.text import search_key
from maison_app.i18n import PARIS
from maison_app.services.context import Actor, Database
from maison_app.services.reception import paris_day_bounds
from maison_app.services.registry import Services

UTC = dt.UTC


def paris(*args) -> dt.datetime:
    """A Paris wall-clock time, as the aware UTC datetime the services store."""
    return dt.datetime(*args, tzinfo=PARIS).astimezone(UTC)


def visit_count(database) -> int:
    with database.reading() as s:
        return s.scalar(select(func.count()).select_from(Visit))


@pytest.fixture
def org(services):
    return services.people.create_organisation(name="Élan Coopératif Niortais")


@pytest.fixture
def helene(services, org):
    return services.people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         organisation_ids=(org,))


@pytest.fixture
def marc(services):
    return services.people.create_person(first_name="Marc", last_name="Œillet")


@pytest.fixture
def sophie(services):
    return services.people.create_person(first_name="Sophie", last_name="Garnier")


# --- check-in / check-out -----------------------------------------------------------------------


def test_clock_starts_at_nine_in_paris(clock):
    assert clock().astimezone(PARIS) == dt.datetime(2026, 11, 26, 9, 0, tzinfo=PARIS)


def test_check_in(services, clock, helene):
    visit = services.reception.check_in(person_id=helene, purpose=VisitPurpose.REUNION,
                                        host_name="  Paul (incubateur) ")
    assert isinstance(visit, VisitRecord)
    assert visit.person_id == helene
    assert visit.name == "Hélène Lefèvre"
    assert visit.organisation == "Élan Coopératif Niortais"
    assert visit.purpose is VisitPurpose.REUNION
    assert visit.host == "Paul (incubateur)"
    assert visit.arrived_at == clock()
    assert visit.arrived_at.tzinfo is not None
    assert visit.left_at is None and visit.present
    assert not visit.is_walk_in
    assert services.reception.present() == (visit,)


def test_checked_in_by_is_the_actor(services, database, helene):
    visit = services.reception.check_in(person_id=helene)
    with database.reading() as s:
        assert s.get(Visit, visit.id).checked_in_by == "accueil-test"


def test_double_check_in_is_refused_naming_the_open_visit(services, clock, helene):
    first = services.reception.check_in(person_id=helene)
    clock.advance(minutes=20)
    with pytest.raises(Conflict) as info:
        services.reception.check_in(person_id=helene)
    assert info.value.existing_id == first.id
    assert "Hélène Lefèvre" in info.value.message
    assert "09:00" in info.value.message  # arrival time, Paris
    assert len(services.reception.present()) == 1


def test_check_in_of_an_unknown_person(services, database):
    with pytest.raises(NotFound):
        services.reception.check_in(person_id=424242)
    assert visit_count(database) == 0


def test_check_in_of_an_anonymised_person_is_refused(services, database, helene):
    with database.writing() as s:
        s.execute(update(Person).where(Person.id == helene).values(anonymised=True))
    with pytest.raises(NotFound):
        services.reception.check_in(person_id=helene)
    assert visit_count(database) == 0


def test_check_out(services, clock, helene):
    visit = services.reception.check_in(person_id=helene)
    clock.advance(hours=3, minutes=15)
    left = services.reception.check_out(visit_id=visit.id)
    assert left.id == visit.id
    assert left.left_at == clock()
    assert left.arrived_at == visit.arrived_at
    assert not left.present
    assert services.reception.present() == ()


def test_check_out_twice_is_refused(services, clock, helene):
    visit = services.reception.check_in(person_id=helene)
    clock.advance(hours=1)
    services.reception.check_out(visit_id=visit.id)
    clock.advance(minutes=5)
    with pytest.raises(Conflict) as info:
        services.reception.check_out(visit_id=visit.id)
    assert info.value.existing_id == visit.id
    assert "10:00" in info.value.message  # when the first check-out was recorded


def test_check_out_of_an_unknown_visit(services):
    with pytest.raises(NotFound):
        services.reception.check_out(visit_id=999)


def test_check_in_again_after_leaving(services, clock, helene):
    first = services.reception.check_in(person_id=helene)
    clock.advance(hours=2)
    services.reception.check_out(visit_id=first.id)
    clock.advance(hours=1)
    second = services.reception.check_in(person_id=helene)
    assert second.id != first.id
    assert [v.id for v in services.reception.present()] == [second.id]


def test_cancel_check_in_removes_the_visit(services, database, clock, helene):
    visit = services.reception.check_in(person_id=helene)
    services.reception.cancel_check_in(visit_id=visit.id)
    assert services.reception.present() == ()
    assert visit_count(database) == 0
    assert services.reception.day().counts.arrivals == 0
    # and the person can be checked in again
    assert services.reception.check_in(person_id=helene).present


def test_cancel_check_in_of_a_finished_visit_is_refused(services, database, clock, helene):
    visit = services.reception.check_in(person_id=helene)
    clock.advance(hours=1)
    services.reception.check_out(visit_id=visit.id)
    with pytest.raises(Conflict) as info:
        services.reception.cancel_check_in(visit_id=visit.id)
    assert info.value.existing_id == visit.id
    assert visit_count(database) == 1
    with pytest.raises(NotFound):
        services.reception.cancel_check_in(visit_id=visit.id + 100)


def test_undo_check_out(services, clock, helene):
    visit = services.reception.check_in(person_id=helene)
    clock.advance(hours=1)
    services.reception.check_out(visit_id=visit.id)
    back = services.reception.undo_check_out(visit_id=visit.id)
    assert back.id == visit.id and back.present
    assert back.arrived_at == visit.arrived_at
    assert [v.id for v in services.reception.present()] == [visit.id]
    # undoing again changes nothing
    assert services.reception.undo_check_out(visit_id=visit.id).present
    with pytest.raises(NotFound):
        services.reception.undo_check_out(visit_id=visit.id + 100)


def test_undo_check_out_when_already_back_in_is_refused(services, clock, helene):
    first = services.reception.check_in(person_id=helene)
    clock.advance(hours=1)
    services.reception.check_out(visit_id=first.id)
    clock.advance(hours=1)
    second = services.reception.check_in(person_id=helene)
    with pytest.raises(Conflict) as info:
        services.reception.undo_check_out(visit_id=first.id)
    assert info.value.existing_id == second.id
    assert [v.id for v in services.reception.present()] == [second.id]


def test_check_out_all(services, clock, helene, marc, sophie):
    a = services.reception.check_in(person_id=helene)
    clock.advance(minutes=10)
    services.reception.check_in(person_id=marc)
    services.reception.register_visitor(name="Livreur La Poste", purpose=VisitPurpose.LIVRAISON)
    c = services.reception.check_in(person_id=sophie)
    clock.advance(minutes=10)
    services.reception.check_out(visit_id=c.id)
    clock.advance(hours=8)

    assert services.reception.check_out_all() == 3
    assert services.reception.present() == ()
    assert services.reception.check_out_all() == 0
    day = services.reception.day()
    assert day.counts.present == 0
    assert {v.left_at for v in day.today if v.id != c.id} == {clock()}
    assert next(v for v in day.today if v.id == a.id).left_at == clock()


def test_present_is_in_order_of_arrival(services, clock, helene, marc, sophie):
    for pid in (sophie, helene, marc):
        services.reception.check_in(person_id=pid)
        clock.advance(minutes=1)
    assert [v.person_id for v in services.reception.present()] == [sophie, helene, marc]


# --- walk-in visitors ------------------------------------------------------------------------------


def test_walk_in_visitor(services, clock, database, helene):
    visit = services.reception.register_visitor(
        name="  Camille Rousseau ", organisation="Mairie de Niort",
        purpose=VisitPurpose.RENDEZ_VOUS, host_person_id=helene,
    )
    assert visit.is_walk_in
    assert visit.person_id is None
    assert visit.name == "Camille Rousseau"
    assert visit.organisation == "Mairie de Niort"
    assert visit.host == "Hélène Lefèvre"  # filled from the person visited
    assert visit.arrived_at == clock()
    assert services.reception.present() == (visit,)
    # recorded as a visit only, never as a person
    with database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 1


def test_walk_in_host_name_typed(services):
    visit = services.reception.register_visitor(name="Livreur", host_name="Accueil")
    assert visit.host == "Accueil"
    assert visit.organisation is None
    assert visit.purpose is VisitPurpose.RENDEZ_VOUS


@pytest.mark.parametrize("name", ["", "   ", None])
def test_walk_in_needs_a_name(services, database, name):
    with pytest.raises(ValidationError) as info:
        services.reception.register_visitor(name=name, organisation="Mairie")
    assert info.value.field == "name"
    assert info.value.message == "Indiquez le nom du visiteur."
    assert visit_count(database) == 0


def test_walk_in_name_too_long(services, database):
    with pytest.raises(ValidationError) as info:
        services.reception.register_visitor(name="x" * 201)
    assert info.value.field == "name"
    assert visit_count(database) == 0


def test_walk_in_organisation_too_long(services, database):
    with pytest.raises(ValidationError) as info:
        services.reception.register_visitor(name="Camille", organisation="x" * 201)
    assert info.value.field == "organisation"
    assert visit_count(database) == 0


def test_walk_in_purpose_must_be_a_purpose(services, database):
    with pytest.raises(ValidationError) as info:
        services.reception.register_visitor(name="Camille", purpose="n'importe quoi")
    assert info.value.field == "purpose"
    assert visit_count(database) == 0


def test_walk_in_with_an_unknown_host(services, database):
    with pytest.raises(NotFound):
        services.reception.register_visitor(name="Camille", host_person_id=31337)
    assert visit_count(database) == 0


def test_two_walk_ins_with_the_same_name_may_be_in(services):
    services.reception.register_visitor(name="Livreur")
    services.reception.register_visitor(name="Livreur")
    assert len(services.reception.present()) == 2


# --- the day, in Paris time ------------------------------------------------------------------------


def test_paris_day_bounds_in_winter_and_summer():
    assert paris_day_bounds(dt.datetime(2026, 11, 26, 8, tzinfo=UTC)) == (
        dt.datetime(2026, 11, 25, 23, tzinfo=UTC), dt.datetime(2026, 11, 26, 23, tzinfo=UTC))
    assert paris_day_bounds(dt.datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == (
        dt.datetime(2026, 7, 1, 22, tzinfo=UTC), dt.datetime(2026, 7, 2, 22, tzinfo=UTC))
    # the day the clocks go back (25 hours)
    start, end = paris_day_bounds(paris(2026, 10, 25, 12))
    assert end - start == dt.timedelta(hours=25)


def test_day_counts_across_the_paris_midnight(services, clock, helene, marc, sophie):
    """Today is Thursday 26 November (Paris, UTC+1): the Paris midnight is 23:00 UTC."""
    reception = services.reception
    extra = services.people.create_person(first_name="Nina", last_name="Bernard")
    early = services.people.create_person(first_name="Léo", last_name="Petit")
    gone = services.people.create_person(first_name="Yann", last_name="Morel")

    # yesterday, in and out: not today at all
    clock.now = paris(2026, 11, 25, 10, 0)
    old = reception.check_in(person_id=gone)
    clock.now = paris(2026, 11, 25, 18, 0)
    reception.check_out(visit_id=old.id)

    # yesterday 23:30 Paris (22:30 UTC), still in: present, but not one of today's arrivals
    clock.now = paris(2026, 11, 25, 23, 30)
    night_owl = reception.check_in(person_id=helene)

    # yesterday 23:00 Paris, left today 00:15 Paris (23:15 UTC, still the 25th in UTC):
    # a departure of today
    clock.now = paris(2026, 11, 25, 23, 0)
    late = reception.check_in(person_id=marc)
    clock.now = paris(2026, 11, 26, 0, 15)
    reception.check_out(visit_id=late.id)

    # today 00:10 Paris (23:10 UTC on the 25th): an arrival of today
    clock.now = paris(2026, 11, 26, 0, 10)
    after_midnight = reception.check_in(person_id=early)

    # today 09:00 Paris: in and a walk-in
    clock.now = paris(2026, 11, 26, 9, 0)
    morning = reception.check_in(person_id=sophie)
    walk_in = reception.register_visitor(name="Camille Rousseau")
    clock.advance(minutes=30)
    short = reception.check_in(person_id=extra)
    clock.advance(minutes=30)
    reception.check_out(visit_id=short.id)

    day = reception.day()
    present_ids = {v.id for v in day.present}
    today_ids = {v.id for v in day.today}
    assert present_ids == {night_owl.id, after_midnight.id, morning.id, walk_in.id}
    assert night_owl.id not in today_ids
    assert old.id not in today_ids
    assert today_ids == {late.id, after_midnight.id, morning.id, walk_in.id, short.id}
    assert day.counts.arrivals == 4  # after_midnight, morning, walk_in, short
    assert day.counts.departures == 2  # late (arrived yesterday), short
    assert day.counts.present == 4
    # today's list: latest arrival first
    arrivals = [v.arrived_at for v in day.today]
    assert arrivals == sorted(arrivals, reverse=True)
    # present: in order of arrival
    assert [v.id for v in day.present] == [night_owl.id, after_midnight.id, morning.id,
                                           walk_in.id]

    # the next morning, yesterday's comings and goings are gone from the counts
    clock.now = paris(2026, 11, 27, 8, 0)
    tomorrow = reception.day()
    assert tomorrow.counts.arrivals == 0
    assert tomorrow.counts.departures == 0
    assert tomorrow.counts.present == 4
    assert tomorrow.today == ()


def test_day_in_summer_time(services, clock, helene, marc):
    """1 July (UTC+2): 22:30 UTC is already 00:30 the next day in Paris."""
    clock.now = dt.datetime(2026, 7, 1, 21, 30, tzinfo=UTC)  # 23:30 Paris, 1 July
    evening = services.reception.check_in(person_id=helene)
    clock.now = dt.datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 00:30 Paris, 2 July
    night = services.reception.check_in(person_id=marc)
    day = services.reception.day()
    assert {v.id for v in day.today} == {night.id}
    assert day.counts.arrivals == 1
    assert day.counts.present == 2
    assert {v.id for v in day.present} == {evening.id, night.id}


def test_day_of_an_empty_house(services):
    day = services.reception.day()
    assert day.present == () and day.today == ()
    assert (day.counts.arrivals, day.counts.departures, day.counts.present) == (0, 0, 0)


# --- the evacuation list ---------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_presence_list_is_archived(services, clock, database, helene, marc):
    services.reception.check_in(person_id=helene)
    clock.advance(minutes=5)
    services.reception.check_in(person_id=marc)
    services.reception.register_visitor(name="Camille Rousseau", organisation="Mairie de Niort")
    clock.advance(minutes=5)

    record, content = services.reception.presence_list()

    assert content.startswith(b"%PDF")
    assert record.kind is DocumentKind.LISTE_PRESENTS
    assert record.number == "LP-2026-0001"
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert record.size == len(content)
    assert record.issued_at == clock()
    assert record.author == "accueil-test"
    assert record.filename == "LP-2026-0001.pdf"
    assert "3" in record.subject
    # archived exactly as printed
    assert services.documents.content(document_id=record.id) == content
    assert services.documents.recent(kind=DocumentKind.LISTE_PRESENTS) == (record,)
    with database.reading() as s:
        assert s.get(Document, record.id).sha256 == hashlib.sha256(content).hexdigest()
    # everyone in the building is on it
    text = search_key(_pdf_text(content))
    for needle in ("helene", "lefevre", "marc", "oeillet", "camille rousseau"):
        assert needle in text, f"{needle!r} missing from the evacuation list"
    assert "lp-2026-0001" in text

    second, _content = services.reception.presence_list()
    assert second.number == "LP-2026-0002"


def test_presence_list_of_an_empty_house(services):
    record, content = services.reception.presence_list()
    assert content.startswith(b"%PDF")
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert record.number == "LP-2026-0001"


# --- two desks at once ---------------------------------------------------------------------------


def _desk(db_url, clock, login) -> tuple[Database, Services]:
    db = Database.open(db_url)
    return db, Services.build(db, actor=Actor(login=login), clock=clock)


def test_two_desks_check_the_same_person_in_at_once(db_url, services, clock, helene):
    """Every round, several desks (own engine each) check the same person in at the same
    moment: exactly one wins, the others get a Conflict naming the winner's visit."""
    desks = [_desk(db_url, clock, f"desk-{i}") for i in range(4)]
    try:
        for _round in range(5):
            barrier = threading.Barrier(len(desks))
            outcomes: list[object] = [None] * len(desks)

            def run(i: int, desk: Services) -> None:
                barrier.wait()
                try:
                    outcomes[i] = desk.reception.check_in(person_id=helene)
                except Exception as exc:  # noqa: BLE001 - collected and judged below
                    outcomes[i] = exc

            threads = [threading.Thread(target=run, args=(i, d)) for i, (_db, d) in
                       enumerate(desks)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

            wins = [o for o in outcomes if isinstance(o, VisitRecord)]
            losses = [o for o in outcomes if not isinstance(o, VisitRecord)]
            assert len(wins) == 1, outcomes
            assert all(isinstance(o, Conflict) for o in losses), outcomes
            assert {o.existing_id for o in losses} == {wins[0].id}
            assert [v.id for v in services.reception.present()] == [wins[0].id]
            clock.advance(minutes=10)
            services.reception.check_out(visit_id=wins[0].id)
            clock.advance(minutes=10)
    finally:
        for db, _services in desks:
            db.dispose()


def test_check_in_while_another_desk_is_writing_it(db_url, services, database, helene):
    """Another desk has inserted the open visit but not committed yet: our check-in waits
    for it (SQLite's write lock, PostgreSQL's unique index) and then refuses."""
    other, _other_services = _desk(db_url, services.ctx.clock, "autre-poste")
    session_cm = other.writing()
    s = session_cm.__enter__()
    try:
        visit = Visit(person_id=helene, purpose=VisitPurpose.COWORKING,
                      arrived_at=services.ctx.now(), checked_in_by="autre-poste")
        s.add(visit)
        s.flush()
        other_id = visit.id
        outcome: list[object] = []

        def run() -> None:
            try:
                outcome.append(services.reception.check_in(person_id=helene))
            except Exception as exc:  # noqa: BLE001 - judged below
                outcome.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=0.5)  # give it time to block (not an assertion on timing)
    finally:
        session_cm.__exit__(None, None, None)  # commit
    thread.join()
    other.dispose()
    (result,) = outcome
    assert isinstance(result, Conflict), result
    assert result.existing_id == other_id
    assert [v.id for v in services.reception.present()] == [other_id]


# --- check-in by the member code of a badge (#4) ----------------------------------------------


def test_check_in_by_code(services, clock, helene):
    from maison_app.domain.members import member_code

    code = member_code(helene)
    assert code.startswith("ESS") and code.isascii()
    visit = services.reception.check_in_by_code(code=code, purpose=VisitPurpose.ATELIER)
    assert visit.person_id == helene
    assert visit.name == "Hélène Lefèvre"
    assert visit.purpose is VisitPurpose.ATELIER
    assert visit.arrived_at == clock()
    assert services.reception.present() == (visit,)


def test_the_code_of_a_record_merged_away_finds_the_kept_person(services, helene):
    """A duplicate merged into another record: the badge printed with its code still
    checks in the person kept, also after that record is merged in turn."""
    from maison_app.domain.enums import MemberKind
    from maison_app.domain.members import member_code

    twin = services.people.create_person(first_name="Helene", last_name="Lefevre")
    third = services.people.create_person(first_name="H.", last_name="Lefèvre")
    services.members.merge(kind=MemberKind.PERSON, keep_id=helene, remove_id=twin)
    visit = services.reception.check_in_by_code(code=member_code(twin))
    assert (visit.person_id, visit.name) == (helene, "Hélène Lefèvre")
    services.reception.cancel_check_in(visit_id=visit.id)
    # Hélène merged in turn into a third record: both old codes lead there
    services.members.merge(kind=MemberKind.PERSON, keep_id=third, remove_id=helene)
    for code in (member_code(twin), member_code(helene)):
        visit = services.reception.check_in_by_code(code=code)
        assert visit.person_id == third
        services.reception.cancel_check_in(visit_id=visit.id)
    # a code never given, or of a record deleted without a merge: not found
    with pytest.raises(NotFound):
        services.reception.check_in_by_code(code=member_code(99999))


def test_check_in_by_code_as_a_scanner_or_a_person_types_it(services, helene):
    from maison_app.domain.members import member_code

    code = member_code(helene)
    typed = " " + code[:5].lower() + " " + code[5:] + "\n"  # spaces, lower case, a newline
    assert services.reception.check_in_by_code(code=typed).person_id == helene


@pytest.mark.parametrize("wrong", ["check digit", "not a code", "empty"])
def test_check_in_by_a_wrong_code_is_refused(services, database, helene, wrong):
    from maison_app.domain.members import member_code

    good = member_code(helene)
    code = {"check digit": good[:-1] + str((int(good[-1]) + 1) % 10),
            "not a code": "lefevre", "empty": "  "}[wrong]
    with pytest.raises(ValidationError) as info:
        services.reception.check_in_by_code(code=code)
    assert info.value.field == "code"
    assert "n'est pas un code de membre valide" in info.value.message
    assert visit_count(database) == 0


def test_check_in_by_the_code_of_nobody(services, database, helene):
    from maison_app.domain.members import member_code

    code = member_code(helene + 1000)
    with pytest.raises(NotFound) as info:
        services.reception.check_in_by_code(code=code.lower())
    assert info.value.message == f"Aucun membre ne porte le code {code}."
    assert visit_count(database) == 0


def test_check_in_by_the_code_of_an_anonymised_person_is_refused(services, database, helene):
    from maison_app.domain.members import member_code

    with database.writing() as s:
        s.execute(update(Person).where(Person.id == helene).values(anonymised=True))
    with pytest.raises(NotFound):
        services.reception.check_in_by_code(code=member_code(helene))
    assert visit_count(database) == 0


def test_check_in_by_code_of_someone_already_in(services, clock, helene):
    from maison_app.domain.members import member_code

    first = services.reception.check_in(person_id=helene)
    clock.advance(minutes=5)
    with pytest.raises(Conflict) as info:
        services.reception.check_in_by_code(code=member_code(helene))
    assert info.value.existing_id == first.id
    assert "déjà dans la maison" in info.value.message
    assert len(services.reception.present()) == 1


def test_check_in_by_code_needs_the_reception_write_right(services, helene, monkeypatch):
    from maison_app.domain import permissions
    from maison_app.domain.enums import Role
    from maison_app.domain.errors import PermissionDenied
    from maison_app.domain.members import member_code

    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    monkeypatch.setitem(permissions.MATRIX, Role.ACCUEIL, {
        **permissions.MATRIX[Role.ACCUEIL], permissions.Area.RECEPTION: permissions.Access.READ})
    with pytest.raises(PermissionDenied):
        desk.reception.check_in_by_code(code=member_code(helene))
    assert services.reception.present() == ()
