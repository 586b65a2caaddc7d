"""WorkshopsService: workshops and their checks, sessions of half-days (the half-day rules,
the room's capacity against the workshop's, a closed day), the room booked for every half-day
through the bookings (a booking in the way refuses the session, naming it; an update moves
the bookings; a deletion cancels them), registrations up to the capacity then the waiting
list, the first one waiting promoted on a cancellation and the list renumbered, no one twice,
outsiders with a name and an e-mail, walk-ins beyond the capacity, attendance per half-day
(hours with partial attendance, the rate), the sessions without recorded attendance, today's
sessions and the reception's check-in, the sign-in sheet and the certificates archived and
read back, the figures and their CSV, personal data and roles. Two desks registering for the
last place at once: tests/services/test_workshops_concurrency.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace

import pytest
from pypdf import PdfReader

from maison_app.domain.bookings import Booker, BookingDraft, Closure
from maison_app.domain.enums import (
    BookingStatus,
    DocumentKind,
    HalfDayPart,
    PriceBasis,
    RegistrationStatus,
    Role,
    SpaceKind,
    WorkshopAxis,
)
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.privacy import ANONYMOUS_NAME
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.domain.workshops import (
    MAX_HALF_DAYS,
    Facilitator,
    HalfDay,
    RegistrationRecord,
    SessionRecord,
    WorkshopRecord,
    attendance_rate,
)
from maison_app.i18n import PARIS
from maison_app.services.context import Actor
from maison_app.services.permissions import declared
from maison_app.services.workshops import WorkshopsService

TODAY = dt.date(2026, 11, 26)  # the clock: Thursday 26 November 2026, 09:00 Paris
TUESDAY = dt.date(2026, 12, 1)
THURSDAY = dt.date(2026, 12, 3)
FRIDAY = dt.date(2026, 12, 4)
CHRISTMAS = dt.date(2026, 12, 25)
M, A = HalfDayPart.MORNING, HalfDayPart.AFTERNOON
ECOLE = "École de l'entrepreneur collectif"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


NINE, HALF_PAST_TWELVE = dt.time(9), dt.time(12, 30)
HALF_PAST_ONE, FIVE = dt.time(13, 30), dt.time(17)


def morning(day: dt.date, start=NINE, end=HALF_PAST_TWELVE) -> HalfDay:
    return HalfDay(None, day, M, start, end)


def afternoon(day: dt.date, start=HALF_PAST_ONE, end=FIVE) -> HalfDay:
    return HalfDay(None, day, A, start, end)


def refused(exc_type, call, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return info.value


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """PDF text on one line with plain spaces (babel's narrow no-break spaces, line breaks)."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture
def house(services):
    """The house's identity; rooms: Sèvre (12), Autize (30, workshop room), Mignon (6), an
    office, a room out of service; Coopérative Alpha with Noël Ménard on its staff; Hélène
    Lefèvre, Zoé Garnier, Yann Ribot, Marc Durand (people of the house); two workshops:
    « École de l'entrepreneur collectif » (création, 12 places, run by Alpha) and « Circuits
    courts » (économie vivante, 3 places, run by an outside trainer)."""
    services.settings.save_identity(MaisonIdentity(
        name="Maison de l'ESS", organisation="PTCE Niortais", address="12 rue de l'Arsenal",
        postcode="79000", city="Niort", email="contact@maison-ess-niort.fr"))
    spaces, people = services.spaces, services.people
    ids = {
        "sevre": spaces.save_space(SpaceRecord(
            None, SpaceKind.MEETING_ROOM, "Salle Sèvre", capacity=12,
            rates=Rates(hour_member=1500, hour_public=2500, half_day_member=4000,
                        half_day_public=7000, day_member=7000, day_public=12000))),
        "autize": spaces.save_space(SpaceRecord(None, SpaceKind.WORKSHOP_ROOM, "Salle Autize",
                                                capacity=30)),
        "mignon": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Mignon",
                                                capacity=6)),
        "office": spaces.save_space(SpaceRecord(None, SpaceKind.OFFICE, "Bureau 101",
                                                capacity=3)),
        "closed_room": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM,
                                                     "Salle Lambon", capacity=20, active=False)),
        "alpha": people.create_organisation(name="Coopérative Alpha"),
    }
    ids["noel"] = people.create_person(first_name="Noël", last_name="Ménard",
                                       organisation_ids=(ids["alpha"],))
    ids["helene"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene@exemple.fr")
    ids["zoe"] = people.create_person(first_name="Zoé", last_name="Garnier")
    ids["yann"] = people.create_person(first_name="Yann", last_name="Ribot")
    ids["marc"] = people.create_person(first_name="Marc", last_name="Durand")
    w = services.workshops
    ids["ecole"] = w.save_workshop(WorkshopRecord(
        None, ECOLE, WorkshopAxis.CREATION, description="Créer une entreprise à plusieurs",
        facilitator=Facilitator(organisation_id=ids["alpha"]), capacity=12))
    ids["circuits"] = w.save_workshop(WorkshopRecord(
        None, "Circuits courts", WorkshopAxis.LIVING_ECONOMY,
        facilitator=Facilitator(name="Camille Roux"), capacity=3, price_cents=1500,
        nature="Atelier de sensibilisation"))
    return ids


def session(services, house, half_days, *, workshop="ecole", room="sevre", **kw) -> int:
    return services.workshops.save_session(SessionRecord(
        None, house[workshop], house[room] if room else None, tuple(half_days), **kw))


def person(services, sid, pid) -> RegistrationRecord:
    return services.workshops.register(RegistrationRecord(None, sid, person_id=pid))


def outsider(services, sid, name, email) -> RegistrationRecord:
    return services.workshops.register(RegistrationRecord(None, sid, name=name, email=email))


# --- workshops --------------------------------------------------------------------------------


def test_a_workshop_is_saved_and_read_back(services, house):
    w = services.workshops.workshop(workshop_id=house["ecole"])
    assert (w.title, w.axis, w.capacity, w.price_cents, w.active, w.sessions) == (
        ECOLE, WorkshopAxis.CREATION, 12, 0, True, 0)
    assert w.nature == "Action de formation"  # the default nature
    assert w.facilitator == Facilitator(organisation_id=house["alpha"], name="Coopérative Alpha")
    c = services.workshops.workshop(workshop_id=house["circuits"])
    assert c.facilitator == Facilitator(name="Camille Roux")
    assert (c.nature, c.price_cents) == ("Atelier de sensibilisation", 1500)
    pid = services.workshops.save_workshop(WorkshopRecord(
        None, "  Achats   responsables ", WorkshopAxis.COOPERATION,
        facilitator=Facilitator(person_id=house["helene"])))
    a = services.workshops.workshop(workshop_id=pid)
    assert a.title == "Achats responsables" and a.facilitator.name == "Hélène Lefèvre"


def test_workshops_are_listed_by_title_and_searched_without_accents(services, house):
    w = services.workshops
    fin = w.save_workshop(WorkshopRecord(None, "Financement des entreprises",
                                         WorkshopAxis.CREATION, active=False))
    assert [x.title for x in w.workshops()] == ["Circuits courts", ECOLE]
    assert [x.title for x in w.workshops(active_only=False)] == [
        "Circuits courts", ECOLE, "Financement des entreprises"]
    assert [x.title for x in w.workshops(query="ecole COLLECTIF")] == [ECOLE]
    assert [x.title for x in w.workshops(query="cooperative")] == [ECOLE]  # the facilitator
    assert [x.title for x in w.workshops(query="camille")] == ["Circuits courts"]
    assert w.workshops(query="zzz") == ()
    assert [x.title for x in w.workshops(axis=WorkshopAxis.LIVING_ECONOMY)] == ["Circuits courts"]
    assert [x.id for x in w.workshops(axis=WorkshopAxis.CREATION, active_only=False)] == [
        house["ecole"], fin]
    session(services, house, [morning(THURSDAY)])
    assert w.workshop(workshop_id=house["ecole"]).sessions == 1


def test_a_workshop_is_checked(services, house):
    w = services.workshops
    base = WorkshopRecord(None, "Monnaie complémentaire", WorkshopAxis.LIVING_ECONOMY)
    assert refused(ValidationError, w.save_workshop, replace(base, title="  ")).field == "title"
    assert refused(ValidationError, w.save_workshop, replace(base, title="x" * 201)).field == "title"
    for capacity in (0, 501):
        e = refused(ValidationError, w.save_workshop, replace(base, capacity=capacity))
        assert e.field == "capacity" and "de 1 à 500" in e.message
    assert refused(ValidationError, w.save_workshop,
                   replace(base, price_cents=-1)).field == "price"
    e = refused(ValidationError, w.save_workshop, replace(base, facilitator=Facilitator(
        person_id=house["helene"], organisation_id=house["alpha"])))
    assert e.field == "facilitator" and "pas aux deux" in e.message
    refused(NotFound, w.save_workshop, replace(base, facilitator=Facilitator(person_id=99_999)))
    refused(NotFound, w.save_workshop, replace(base, id=99_999))
    assert w.workshops(query="monnaie") == ()


def test_a_workshop_with_sessions_is_not_deleted_but_taken_out_of_the_list(services, house):
    session(services, house, [morning(THURSDAY)])
    e = refused(Conflict, services.workshops.delete_workshop, workshop_id=house["ecole"])
    assert "a 1 séance" in e.message and "Retirez-le plutôt de la liste" in e.message
    services.workshops.save_workshop(replace(
        services.workshops.workshop(workshop_id=house["ecole"]), active=False))
    assert [x.title for x in services.workshops.workshops()] == ["Circuits courts"]
    services.workshops.delete_workshop(workshop_id=house["circuits"])
    refused(NotFound, services.workshops.workshop, workshop_id=house["circuits"])
    # an inactive workshop takes no new session
    e = refused(ValidationError, session, services, house, [morning(FRIDAY)])
    assert e.field == "workshop_id" and "n'est plus proposé" in e.message


# --- sessions -----------------------------------------------------------------------------------


def test_a_session_is_checked(services, house):
    def fails(half_days, **kw) -> ValidationError:
        return refused(ValidationError, session, services, house, half_days, **kw)

    assert "au moins une demi-journée" in fails([]).message
    too_many = [HalfDay(None, THURSDAY + dt.timedelta(days=i // 2), (M, A)[i % 2],
                        t(9) if i % 2 == 0 else t(14), t(12) if i % 2 == 0 else t(17))
                for i in range(MAX_HALF_DAYS + 1)]
    assert f"{MAX_HALF_DAYS} demi-journées au plus" in fails(too_many).message
    e = fails([morning(THURSDAY), morning(THURSDAY, t(10), t(12))])
    assert e.message == "Le jeudi 3 décembre 2026, matin figure deux fois dans la séance."
    assert "la fin doit venir après le début" in fails([morning(THURSDAY, t(11), t(10))]).message
    e = fails([morning(THURSDAY, t(13), t(15))])
    assert e.message == "jeudi 3 décembre 2026, matin : un matin commence avant 13 h 00."
    e = fails([afternoon(THURSDAY, t(10), t(12))])
    assert e.message == "jeudi 3 décembre 2026, après-midi : un après-midi finit après 12 h 00."
    e = fails([morning(THURSDAY, t(9), t(14)), afternoon(THURSDAY, t(13, 30), t(17))])
    assert "le matin finit après le début de l'après-midi" in e.message
    e = fails([morning(THURSDAY)], room=None)
    assert e.field == "space_id" and "indiquez le lieu" in e.message
    e = fails([morning(THURSDAY)], room="mignon")
    assert e.field == "space_id"
    assert e.message == "« Salle Mignon » n'accueille que 6 personnes ; l'atelier en prévoit 12."
    e = fails([morning(THURSDAY)], room="office")
    assert "ne se réserve pas" in e.message
    e = fails([morning(THURSDAY)], room="closed_room")
    assert "hors service" in e.message
    e = fails([morning(CHRISTMAS)])
    assert e.message == ("La maison est fermée le vendredi 25 décembre 2026 (Noël) : choisissez "
                         "un autre jour.")
    services.bookings.save_closure(Closure(None, dt.date(2026, 12, 7), dt.date(2026, 12, 8),
                                           "Séminaire de l'équipe"))
    e = fails([morning(dt.date(2026, 12, 8))], room=None, place="Médiathèque")
    assert "(Séminaire de l'équipe)" in e.message
    refused(NotFound, services.workshops.save_session,
            SessionRecord(None, 99_999, None, (morning(THURSDAY),), place="Ailleurs"))
    assert services.workshops.sessions(start=TODAY, end=CHRISTMAS) == ()
    assert services.bookings.bookings(start=TODAY, end=CHRISTMAS) == ()


def test_scheduling_a_session_books_its_room_for_every_half_day(services, house):
    sid = session(services, house, [afternoon(THURSDAY), morning(THURSDAY),
                                    morning(FRIDAY, t(9, 30), t(12))], notes="Apporter un PC")
    s = services.workshops.session(session_id=sid)
    assert [(h.day, h.part, h.start, h.end) for h in s.half_days] == [
        (THURSDAY, M, t(9), t(12, 30)), (THURSDAY, A, t(13, 30), t(17)),
        (FRIDAY, M, t(9, 30), t(12))]
    assert (s.first_day, s.last_day, s.minutes) == (THURSDAY, FRIDAY, 210 + 210 + 150)
    assert (s.workshop_title, s.axis, s.space_name, s.capacity, s.registered, s.waiting,
            s.attendance_recorded, s.notes) == (
        ECOLE, WorkshopAxis.CREATION, "Salle Sèvre", 12, 0, 0, False, "Apporter un PC")
    thursday = services.bookings.day(day=THURSDAY)
    assert [(b.start, b.end) for b in thursday] == [(at(THURSDAY, 9), at(THURSDAY, 12, 30)),
                                                   (at(THURSDAY, 13, 30), at(THURSDAY, 17))]
    (friday,) = services.bookings.day(day=FRIDAY)
    b = thursday[0]
    assert b.title == f"Atelier : {ECOLE}" and b.space_name == "Salle Sèvre"
    assert b.booker == Booker(organisation_id=house["alpha"]) and b.booker_name == "Coopérative Alpha"
    assert (b.status, b.price_cents, b.price_basis, b.override_reason, b.attendees) == (
        BookingStatus.CONFIRMED, 0, PriceBasis.MANUAL, "Atelier de la maison", 12)
    assert [h.booking_id for h in s.half_days] == [thursday[0].id, thursday[1].id, friday.id]


def test_a_workshop_without_a_facilitator_of_the_house_books_in_the_house_name(services, house):
    c = services.workshops.workshop(workshop_id=house["circuits"])
    sid = session(services, house, [morning(THURSDAY)], workshop="circuits", room="mignon")
    (b,) = services.bookings.day(day=THURSDAY)
    assert b.booker_name == "Maison de l'ESS"
    assert b.booker.contact_email == "contact@maison-ess-niort.fr"
    assert b.title == "Atelier : Circuits courts" and c.capacity == b.attendees
    # without a way to reach the house, the booking cannot be made in its name
    services.settings.save_identity(MaisonIdentity(name="Maison de l'ESS"))
    e = refused(ValidationError, session, services, house, [morning(FRIDAY)],
                workshop="circuits", room="mignon")
    assert "Identité de la maison" in e.message
    # outside the house: no booking at all
    other = session(services, house, [morning(FRIDAY)], workshop="circuits", room=None,
                    place="Médiathèque Pierre-Moinot")
    o = services.workshops.session(session_id=other)
    assert (o.space_id, o.space_name, o.place) == (None, "", "Médiathèque Pierre-Moinot")
    assert o.half_days[0].booking_id is None and services.bookings.day(day=FRIDAY) == ()
    assert sid != other


def test_a_booking_in_the_way_refuses_the_session_and_names_it(services, house):
    in_the_way = services.bookings.create(BookingDraft(
        space_id=house["sevre"], start=at(FRIDAY, 16), end=at(FRIDAY, 18),
        title="Conseil d'administration", booker=Booker(organisation_id=house["alpha"])))
    e = refused(Conflict, session, services, house, [morning(THURSDAY), morning(FRIDAY),
                                                     afternoon(FRIDAY)])
    assert e.existing_id == in_the_way
    assert e.message == ("« Salle Sèvre » est déjà réservée le vendredi 4 décembre 2026 : "
                         "« Conseil d'administration » (Coopérative Alpha), 16:00–18:00.")
    # nothing of the session was written, not even the bookings of the free half-days
    assert services.workshops.sessions(start=TODAY, end=CHRISTMAS) == ()
    assert services.bookings.day(day=THURSDAY) == ()
    assert [b.id for b in services.bookings.day(day=FRIDAY)] == [in_the_way]
    # the session's own half-days never clash with each other; touching bookings stand
    session(services, house, [morning(FRIDAY, t(9), t(12)), afternoon(FRIDAY, t(12), t(16))])
    assert len(services.bookings.day(day=FRIDAY)) == 3


def test_updating_a_session_moves_its_bookings(services, house):
    sid = session(services, house, [morning(THURSDAY), afternoon(THURSDAY), morning(FRIDAY)])
    s = services.workshops.session(session_id=sid)
    kept, changed, dropped = s.half_days
    # the afternoon ends earlier, Friday's morning is dropped, Tuesday's morning comes
    new = (kept, replace(changed, end=t(16)), morning(TUESDAY))
    assert services.workshops.save_session(replace(s, half_days=new)) == sid
    s2 = services.workshops.session(session_id=sid)
    assert [(h.day, h.part, h.end) for h in s2.half_days] == [
        (TUESDAY, M, t(12, 30)), (THURSDAY, M, t(12, 30)), (THURSDAY, A, t(16))]
    assert (s2.first_day, s2.last_day) == (TUESDAY, THURSDAY)
    assert s2.half_days[1] == kept  # the same row, the same booking
    assert s2.half_days[2].id == changed.id and s2.half_days[2].booking_id != changed.booking_id
    thursday = services.bookings.day(day=THURSDAY)
    assert [(b.id, b.end) for b in thursday] == [(kept.booking_id, at(THURSDAY, 12, 30)),
                                                 (s2.half_days[2].booking_id, at(THURSDAY, 16))]
    assert services.bookings.day(day=FRIDAY) == ()
    old = services.bookings.booking(booking_id=dropped.booking_id)
    assert old.status is BookingStatus.CANCELLED and old.cancel_reason == "Séance d'atelier modifiée"
    assert services.bookings.booking(booking_id=changed.booking_id).status is BookingStatus.CANCELLED
    assert [b.start for b in services.bookings.day(day=TUESDAY)] == [at(TUESDAY, 9)]
    # another room: every half-day is booked there again
    services.workshops.save_session(replace(s2, space_id=house["autize"]))
    s3 = services.workshops.session(session_id=sid)
    assert s3.space_name == "Salle Autize"
    assert {b.space_name for b in services.bookings.bookings(start=TUESDAY, end=FRIDAY)} == {
        "Salle Autize"}
    assert len(services.bookings.bookings(start=TUESDAY, end=FRIDAY)) == 3
    # outside the house: no booking left
    services.workshops.save_session(replace(s3, space_id=None, place="Mairie de Niort"))
    assert services.bookings.bookings(start=TUESDAY, end=FRIDAY) == ()
    assert services.workshops.session(session_id=sid).place == "Mairie de Niort"


def test_an_update_that_clashes_changes_nothing(services, house):
    sid = session(services, house, [morning(THURSDAY)])
    services.bookings.create(BookingDraft(
        space_id=house["sevre"], start=at(THURSDAY, 14), end=at(THURSDAY, 15),
        title="Réunion", booker=Booker(organisation_id=house["alpha"])))
    s = services.workshops.session(session_id=sid)
    refused(Conflict, services.workshops.save_session,
            replace(s, half_days=(*s.half_days, afternoon(THURSDAY))))
    assert services.workshops.session(session_id=sid) == s
    assert [b.title for b in services.bookings.day(day=THURSDAY)] == [f"Atelier : {ECOLE}",
                                                                      "Réunion"]


def test_a_booking_cancelled_from_the_calendar_is_made_again_when_the_session_is_saved(
        services, house):
    sid = session(services, house, [morning(THURSDAY), afternoon(THURSDAY)])
    s = services.workshops.session(session_id=sid)
    services.bookings.cancel(booking_id=s.half_days[0].booking_id)
    services.workshops.save_session(s)
    again = services.workshops.session(session_id=sid)
    assert again.half_days[0].booking_id != s.half_days[0].booking_id
    assert again.half_days[1] == s.half_days[1]
    assert [b.id for b in services.bookings.day(day=THURSDAY)] == [
        h.booking_id for h in again.half_days]
    e = refused(NotFound, services.workshops.save_session,
                replace(s, half_days=(replace(s.half_days[0], id=99_999),)))
    assert "rouvrez la séance" in e.message
    refused(ValidationError, services.workshops.save_session,
            replace(s, workshop_id=house["circuits"]))


def test_a_half_day_with_people_marked_present_is_not_removed(services, house):
    sid = session(services, house, [morning(TODAY), afternoon(TODAY)])
    r = person(services, sid, house["helene"])
    s = services.workshops.session(session_id=sid)
    services.workshops.record_attendance(session_id=sid,
                                         present={(r.id, s.half_days[0].id): True})
    e = refused(ValidationError, services.workshops.save_session,
                replace(s, half_days=s.half_days[1:]))
    assert e.message == ("Des présences sont notées pour le jeudi 26 novembre 2026, matin : "
                         "cette demi-journée ne peut plus être retirée.")
    services.workshops.save_session(replace(s, half_days=s.half_days[:1], notes="Fini tôt"))
    s2 = services.workshops.session(session_id=sid)
    assert s2.half_days == s.half_days[:1] and s2.notes == "Fini tôt"
    assert len(services.bookings.day(day=TODAY)) == 1


def test_deleting_a_session_cancels_its_bookings_and_registrations(services, house):
    sid = session(services, house, [morning(THURSDAY), afternoon(THURSDAY)])
    person(services, sid, house["helene"])
    ids = [h.booking_id for h in services.workshops.session(session_id=sid).half_days]
    services.workshops.delete_session(session_id=sid)
    refused(NotFound, services.workshops.session, session_id=sid)
    refused(NotFound, services.workshops.registrations, session_id=sid)
    assert services.bookings.day(day=THURSDAY) == ()
    assert {services.bookings.booking(booking_id=i).cancel_reason for i in ids} == {
        "Séance d'atelier supprimée"}
    refused(NotFound, services.workshops.delete_session, session_id=sid)


def test_a_session_with_recorded_attendance_is_not_deleted(services, house):
    sid = session(services, house, [morning(TODAY)])
    r = person(services, sid, house["helene"])
    h = services.workshops.session(session_id=sid).half_days[0]
    services.workshops.record_attendance(session_id=sid, present={(r.id, h.id): True})
    e = refused(ValidationError, services.workshops.delete_session, session_id=sid)
    assert "présences de cette séance sont enregistrées" in e.message
    assert services.workshops.session(session_id=sid).attendance_recorded


def test_sessions_are_listed_over_a_period(services, house):
    a = session(services, house, [morning(FRIDAY)])
    b = session(services, house, [morning(TUESDAY), morning(THURSDAY)])
    c = session(services, house, [afternoon(TUESDAY)], workshop="circuits", room="mignon")
    w = services.workshops
    assert [x.id for x in w.sessions()] == [b, c, a]
    assert [x.id for x in w.sessions(start=dt.date(2026, 12, 2), end=dt.date(2026, 12, 2))] == []
    assert [x.id for x in w.sessions(start=THURSDAY, end=THURSDAY)] == [b]
    assert [x.id for x in w.sessions(start=THURSDAY)] == [b, a]
    assert [x.id for x in w.sessions(end=TUESDAY)] == [b, c]
    assert [x.id for x in w.sessions(workshop_id=house["circuits"])] == [c]
    assert [x.id for x in w.today(day=TUESDAY)] == [b, c]
    assert w.today() == ()
    d = session(services, house, [afternoon(TODAY)])
    assert [x.id for x in w.today()] == [d]


# --- registrations ------------------------------------------------------------------------------


def test_registrations_fill_the_places_then_the_waiting_list(services, house):
    sid = session(services, house, [morning(THURSDAY)], workshop="circuits", room="mignon")
    r1 = person(services, sid, house["zoe"])
    r2 = outsider(services, sid, "  Jeanne   Martin ", "jeanne@exemple.org")
    r3 = person(services, sid, house["helene"])
    r4 = person(services, sid, house["noel"])
    r5 = outsider(services, sid, "Paul Chauvet", "paul@exemple.org")
    assert [r.status for r in (r1, r2, r3)] == [RegistrationStatus.REGISTERED] * 3
    assert (r4.status, r4.position, r5.status, r5.position) == (
        RegistrationStatus.WAITING, 1, RegistrationStatus.WAITING, 2)
    assert (r2.name, r2.email, r2.person_id) == ("Jeanne Martin", "jeanne@exemple.org", None)
    assert (r3.name, r3.email) == ("Hélène Lefèvre", "helene@exemple.fr")
    assert r1.registered_at == at(TODAY, 9)
    listed = services.workshops.registrations(session_id=sid)
    assert [r.name for r in listed] == ["Zoé Garnier", "Hélène Lefèvre", "Jeanne Martin",
                                        "Noël Ménard", "Paul Chauvet"]  # by last name
    s = services.workshops.session(session_id=sid)
    assert (s.registered, s.waiting, s.free_places) == (3, 2, 0)


def test_a_cancellation_promotes_the_first_one_waiting(services, house):
    sid = session(services, house, [morning(THURSDAY)], workshop="circuits", room="mignon")
    placed = [person(services, sid, house[k]) for k in ("zoe", "helene", "yann")]
    w1, w2, w3 = (person(services, sid, house["noel"]), person(services, sid, house["marc"]),
                  outsider(services, sid, "Paul Chauvet", "paul@exemple.org"))
    # someone waiting cancels: nobody promoted, the list renumbered
    assert services.workshops.cancel_registration(registration_id=w2.id) is None
    waiting = [r for r in services.workshops.registrations(session_id=sid)
               if r.status is RegistrationStatus.WAITING]
    assert [(r.id, r.position) for r in waiting] == [(w1.id, 1), (w3.id, 2)]
    # someone registered cancels: the first one waiting takes the place
    promoted = services.workshops.cancel_registration(registration_id=placed[1].id)
    assert promoted is not None and promoted.id == w1.id
    assert (promoted.name, promoted.status, promoted.position) == (
        "Noël Ménard", RegistrationStatus.REGISTERED, None)
    listed = services.workshops.registrations(session_id=sid)
    assert [(r.name, r.status, r.position) for r in listed] == [
        ("Zoé Garnier", RegistrationStatus.REGISTERED, None),
        ("Noël Ménard", RegistrationStatus.REGISTERED, None),
        ("Yann Ribot", RegistrationStatus.REGISTERED, None),
        ("Paul Chauvet", RegistrationStatus.WAITING, 1)]
    everyone = services.workshops.registrations(session_id=sid, include_cancelled=True)
    assert [r.name for r in everyone if r.status is RegistrationStatus.CANCELLED] == [
        "Hélène Lefèvre", "Marc Durand"]
    # cancelling twice changes nothing; a cancelled person may register again (and waits)
    assert services.workshops.cancel_registration(registration_id=placed[1].id) is None
    again = person(services, sid, house["helene"])
    assert (again.status, again.position) == (RegistrationStatus.WAITING, 2)
    refused(NotFound, services.workshops.cancel_registration, registration_id=99_999)


def test_a_larger_capacity_gives_the_new_places_to_those_waiting(services, house):
    sid = session(services, house, [morning(THURSDAY)], workshop="circuits", room="mignon")
    for k in ("zoe", "helene", "yann", "noel", "marc"):
        person(services, sid, house[k])
    c = services.workshops.workshop(workshop_id=house["circuits"])
    services.workshops.save_workshop(replace(c, capacity=4))
    listed = services.workshops.registrations(session_id=sid)
    assert [(r.name, r.status, r.position) for r in listed] == [
        ("Zoé Garnier", RegistrationStatus.REGISTERED, None),
        ("Hélène Lefèvre", RegistrationStatus.REGISTERED, None),
        ("Noël Ménard", RegistrationStatus.REGISTERED, None),
        ("Yann Ribot", RegistrationStatus.REGISTERED, None),
        ("Marc Durand", RegistrationStatus.WAITING, 1)]
    # beyond what the session's room holds: refused
    e = refused(ValidationError, services.workshops.save_workshop, replace(c, capacity=7))
    assert e.field == "capacity"
    assert e.message.startswith("« Salle Mignon » n'accueille que 6 personnes")


def test_no_one_registers_twice(services, house):
    sid = session(services, house, [morning(THURSDAY)], workshop="circuits", room="mignon")
    first = person(services, sid, house["helene"])
    e = refused(Conflict, person, services, sid, house["helene"])
    assert e.message == "Hélène Lefèvre est déjà inscrit·e à cette séance."
    assert e.existing_id == first.id
    outsider(services, sid, "Jeanne Martin", "jeanne@exemple.org")
    e = refused(Conflict, outsider, services, sid, "J. Martin", "JEANNE@exemple.org")
    assert "J. Martin est déjà inscrit·e" in e.message
    person(services, sid, house["zoe"])
    waiting = person(services, sid, house["yann"])
    e = refused(Conflict, person, services, sid, house["yann"])
    assert e.message == "Yann Ribot est déjà sur la liste d'attente de cette séance (rang 1)."
    assert e.existing_id == waiting.id


def test_an_outsider_needs_a_name_and_an_email(services, house):
    sid = session(services, house, [morning(THURSDAY)])
    e = refused(ValidationError, outsider, services, sid, "", "x@exemple.org")
    assert e.field == "name"
    e = refused(ValidationError, outsider, services, sid, "Jeanne Martin", "")
    assert e.field == "email" and "adresse e-mail" in e.message
    e = refused(ValidationError, outsider, services, sid, "Jeanne Martin", "jeanne@")
    assert e.field == "email"
    refused(NotFound, person, services, sid, 99_999)
    refused(NotFound, person, services, 99_999, house["zoe"])
    assert services.workshops.registrations(session_id=sid) == ()


def test_walk_ins_take_a_place_even_beyond_the_capacity_and_after_the_end(services, house,
                                                                          clock):
    sid = session(services, house, [morning(TODAY)], workshop="circuits", room="mignon")
    for k in ("zoe", "helene", "yann"):
        person(services, sid, house[k])
    waiting = person(services, sid, house["noel"])
    late = outsider(services, sid, "Paul Chauvet", "paul@exemple.org")
    w = services.workshops.add_walk_in(session_id=sid, name="Inès Bouhier")
    assert (w.status, w.walk_in, w.email, w.position) == (
        RegistrationStatus.REGISTERED, True, "", None)
    assert services.workshops.session(session_id=sid).registered == 4
    # someone on the waiting list who came after all takes a place; the list is renumbered
    came = services.workshops.add_walk_in(session_id=sid, person_id=house["noel"])
    assert came.id == waiting.id and came.status is RegistrationStatus.REGISTERED and came.walk_in
    assert [(r.id, r.position) for r in services.workshops.registrations(session_id=sid)
            if r.status is RegistrationStatus.WAITING] == [(late.id, 1)]
    refused(Conflict, services.workshops.add_walk_in, session_id=sid, person_id=house["zoe"])
    # once the session is over: only walk-ins
    clock.advance(hours=4)
    e = refused(ValidationError, person, services, sid, house["marc"])
    assert "Cette séance est terminée" in e.message
    marc = services.workshops.register(RegistrationRecord(None, sid, person_id=house["marc"],
                                                          walk_in=True))
    assert marc.status is RegistrationStatus.REGISTERED and marc.walk_in
    assert services.workshops.session(session_id=sid).registered == 6


# --- attendance ---------------------------------------------------------------------------------


@pytest.fixture
def today_session(services, house):
    """A session today (09:00–12:30, then 13:30–17:00) with Hélène, Noël and Zoé."""
    sid = session(services, house, [morning(TODAY), afternoon(TODAY)])
    regs = {k: person(services, sid, house[k]) for k in ("helene", "noel", "zoe")}
    return sid, regs


def test_attendance_is_recorded_and_read_back_with_partial_hours(services, house, clock,
                                                                 today_session):
    sid, regs = today_session
    w = services.workshops
    am, pm = w.session(session_id=sid).half_days
    helene, noel, zoe = regs["helene"].id, regs["noel"].id, regs["zoe"].id
    # the afternoon has not started yet (09:00)
    e = refused(ValidationError, w.record_attendance, session_id=sid,
                present={(helene, pm.id): True})
    assert "n'a pas encore commencé" in e.message and "après-midi" in e.message
    w.record_attendance(session_id=sid, present={(helene, am.id): True, (noel, am.id): True,
                                                 (zoe, am.id): False})
    clock.advance(hours=8)
    w.record_attendance(session_id=sid, present={(helene, pm.id): True, (noel, pm.id): False,
                                                 (zoe, pm.id): True})
    sheet = w.attendance(session_id=sid)
    assert [p.name for p in sheet.participants] == ["Zoé Garnier", "Hélène Lefèvre",
                                                    "Noël Ménard"]
    assert sheet.session.attendance_recorded
    # beside each name: the organisation, else the e-mail (read in one query, not per row)
    assert sheet.details == {noel: "Coopérative Alpha", helene: "helene@exemple.fr", zoe: ""}
    assert sheet.is_present(helene, am.id) and not sheet.is_present(zoe, am.id)
    assert (sheet.minutes_of(helene), sheet.minutes_of(noel), sheet.minutes_of(zoe)) == (
        420, 210, 210)  # present the morning only → the morning's minutes
    assert attendance_rate(sheet) == pytest.approx(4 / 6)
    # a change of mind is an update of the same row
    w.record_attendance(session_id=sid, present={(noel, pm.id): True})
    assert w.attendance(session_id=sid).minutes_of(noel) == 420
    # only participants, only the session's half-days
    other = session(services, house, [morning(TODAY)], room="autize")
    other_hd = w.session(session_id=other).half_days[0]
    e = refused(ValidationError, w.record_attendance, session_id=sid,
                present={(helene, other_hd.id): True})
    assert "n'appartient pas à la séance" in e.message
    stranger = services.workshops.add_walk_in(session_id=other, person_id=house["marc"])
    refused(ValidationError, w.record_attendance, session_id=sid,
            present={(stranger.id, am.id): True})


def test_attendance_is_not_recorded_before_the_session_starts(services, house):
    sid = session(services, house, [morning(THURSDAY)])
    r = person(services, sid, house["helene"])
    h = services.workshops.session(session_id=sid).half_days[0]
    refused(ValidationError, services.workshops.record_attendance, session_id=sid,
            present={(r.id, h.id): True})
    refused(ValidationError, services.workshops.record_attendance, session_id=sid, present={})
    assert not services.workshops.session(session_id=sid).attendance_recorded
    assert services.workshops.attendance(session_id=sid).present == {}


def test_a_participant_marked_present_is_not_cancelled(services, house, today_session):
    sid, regs = today_session
    am = services.workshops.session(session_id=sid).half_days[0]
    services.workshops.record_attendance(session_id=sid, present={(regs["zoe"].id, am.id): True})
    e = refused(ValidationError, services.workshops.cancel_registration,
                registration_id=regs["zoe"].id)
    assert "décochez d'abord ses présences" in e.message


def test_sessions_over_without_attendance_are_flagged_until_recorded(services, house, clock):
    w = services.workshops
    with_people = session(services, house, [morning(TODAY)])
    r = person(services, with_people, house["helene"])
    session(services, house, [morning(TODAY)], room="autize")  # nobody registered
    later = session(services, house, [afternoon(TODAY)], room="mignon", workshop="circuits")
    person(services, later, house["zoe"])
    assert w.unrecorded() == ()  # not over yet
    clock.advance(hours=4)  # 13:00: the morning is over, the afternoon not
    assert [s.id for s in w.unrecorded()] == [with_people]
    clock.advance(days=1)
    assert [s.id for s in w.unrecorded()] == [with_people, later]
    h = w.session(session_id=with_people).half_days[0]
    w.record_attendance(session_id=with_people, present={(r.id, h.id): False})
    assert [s.id for s in w.unrecorded()] == [later]


def test_check_in_marks_a_registered_participant_present_for_the_current_half_day(
        services, house, clock, today_session):
    sid, regs = today_session
    w = services.workshops
    am, pm = w.session(session_id=sid).half_days
    found = w.check_in_attendance(person_id=house["helene"])  # 09:00 Paris: the morning
    assert found is not None
    record, half_day = found
    assert record.id == sid and half_day == am
    assert w.attendance(session_id=sid).is_present(regs["helene"].id, am.id)
    assert not w.attendance(session_id=sid).is_present(regs["helene"].id, pm.id)
    assert not w.session(session_id=sid).attendance_recorded  # the sheet is still to be saved
    found = w.check_in_attendance(person_id=house["noel"], at=at(TODAY, 13, 45))
    assert found is not None and found[1] == pm
    assert w.attendance(session_id=sid).is_present(regs["noel"].id, pm.id)
    clock.advance(hours=5)  # 14:00 Paris, the default moment
    assert w.check_in_attendance(person_id=house["zoe"])[1] == pm
    # not registered, or on another day: nothing
    assert w.check_in_attendance(person_id=house["marc"]) is None
    assert w.check_in_attendance(person_id=house["helene"], at=at(THURSDAY, 10)) is None
    # waiting is not registered
    small = session(services, house, [afternoon(TODAY)], room="mignon", workshop="circuits")
    for k in ("zoe", "helene", "noel"):
        person(services, small, house[k])
    waiting = person(services, small, house["yann"])
    assert waiting.status is RegistrationStatus.WAITING
    assert w.check_in_attendance(person_id=house["yann"]) is None


def test_a_check_in_cancelled_takes_back_the_presence_it_noted(
        services, house, clock, today_session):
    sid, regs = today_session
    w, reception = services.workshops, services.reception
    am, _pm = w.session(session_id=sid).half_days
    # Hélène marked present on the sheet first; Noël only by his check-in
    w.record_attendance(session_id=sid, present={(regs["helene"].id, am.id): True})
    clock.advance(minutes=10)
    visits = {}
    for k in ("helene", "noel"):
        visits[k] = reception.check_in(person_id=house[k]).id
        assert w.check_in_attendance(person_id=house[k]) is not None
    assert reception.cancel_check_in(visit_id=visits["noel"]) == 1
    assert reception.cancel_check_in(visit_id=visits["helene"]) == 0
    sheet = w.attendance(session_id=sid)
    assert not sheet.is_present(regs["noel"].id, am.id)
    assert sheet.is_present(regs["helene"].id, am.id)  # recorded before: it stays


# --- documents ------------------------------------------------------------------------------------


def test_the_sign_in_sheet_is_archived_with_every_half_day_and_participant(services, house):
    sid = session(services, house, [morning(THURSDAY), afternoon(THURSDAY),
                                    morning(FRIDAY, t(9, 30), t(12))])
    for k in ("helene", "noel", "zoe"):
        person(services, sid, house[k])
    outsider(services, sid, "Jeanne Martin", "jeanne@exemple.org")
    doc, content = services.workshops.sign_in_sheet(session_id=sid)
    assert doc.number == "FE-2026-0001" and doc.kind is DocumentKind.FEUILLE_EMARGEMENT
    assert doc.subject == f"Feuille d'émargement — {ECOLE}, 3 décembre 2026"
    assert services.documents.content(document_id=doc.id) == content
    text = flat(pdf_text(content))
    assert "FE-2026-0001" in text and "Feuille d'émargement" in text
    assert ECOLE in text and "Coopérative Alpha" in text and "Salle Sèvre" in text
    assert "Action de formation" in text
    for name in ("Hélène Lefèvre", "Noël Ménard", "Zoé Garnier", "Jeanne Martin"):
        assert name in text
    for times in ("9 h 00", "12 h 30", "13 h 30", "17 h 00", "9 h 30", "12 h 00"):
        assert times in text
    assert "3 décembre" in text or "03/12" in text
    assert "4 décembre" in text or "04/12" in text
    doc2, _content = services.workshops.sign_in_sheet(session_id=sid)
    assert doc2.number == "FE-2026-0002"


def test_certificates_are_archived_with_the_hours_attended(services, house, clock):
    sid = session(services, house, [morning(TODAY), afternoon(TODAY)])
    regs = {k: person(services, sid, house[k]) for k in ("helene", "noel", "zoe")}
    w = services.workshops
    e = refused(ValidationError, w.certificates, session_id=sid)
    assert "ne sont pas encore enregistrées" in e.message
    am, pm = w.session(session_id=sid).half_days
    clock.advance(hours=8)
    w.record_attendance(session_id=sid, present={(r.id, h.id): False for r in regs.values()
                                                 for h in (am, pm)})
    e = refused(ValidationError, w.certificates, session_id=sid)
    assert "aucune attestation" in e.message
    w.record_attendance(session_id=sid, present={
        (regs["helene"].id, am.id): True, (regs["helene"].id, pm.id): True,
        (regs["noel"].id, am.id): True})
    e = refused(ValidationError, w.certificates, session_id=sid,
                registration_ids=[regs["zoe"].id])
    assert e.message.startswith("Zoé Garnier n'est noté·e présent·e à aucune demi-journée")
    doc, content = w.certificates(session_id=sid)
    assert doc.number == "AP-2026-0001" and doc.kind is DocumentKind.ATTESTATION_PRESENCE
    pages = [flat(p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]
    assert len(pages) == 2  # Hélène and Noël, one page each; Zoé attended nothing
    assert "Hélène Lefèvre" in pages[0] and "Noël Ménard" in pages[1]
    assert "7 h 00 sur 7 h 00 prévues" in pages[0]
    assert "3 h 30 sur 7 h 00 prévues" in pages[1]
    assert all(ECOLE in p and "Action de formation" in p for p in pages)
    one, single = w.certificates(session_id=sid, registration_ids=[regs["noel"].id])
    assert one.number == "AP-2026-0002"
    assert one.subject == f"Attestation de présence — Noël Ménard, {ECOLE}, 26 novembre 2026"
    assert len(PdfReader(io.BytesIO(single)).pages) == 1
    assert "Coopérative Alpha" in flat(pdf_text(single))  # Noël's organisation


# --- figures --------------------------------------------------------------------------------------


@pytest.fixture
def dataset(services, house, clock):
    """November 2026: « École » on Monday 23 (morning 9:00–12:30 + afternoon 13:30–17:00)
    with Hélène (both), Noël (morning only) and Zoé (absent), attendance recorded; « Circuits
    courts » on Tuesday 24 (morning 9:00–12:00) with Hélène (present) and Jeanne Martin, an
    outsider (present), recorded; « École » again on Wednesday 25 (morning) with Noël,
    attendance not recorded. December: « Circuits courts » on Thursday 3 with Hélène (out of
    the period)."""
    w = services.workshops
    clock.now = at(dt.date(2026, 11, 20), 9)
    monday, tuesday, wednesday = (dt.date(2026, 11, d) for d in (23, 24, 25))
    s1 = session(services, house, [morning(monday), afternoon(monday)])
    s2 = session(services, house, [morning(tuesday, t(9), t(12))], workshop="circuits",
                 room="mignon")
    s3 = session(services, house, [morning(wednesday)])
    s4 = session(services, house, [morning(THURSDAY)], workshop="circuits", room="mignon")
    r = {"s1h": person(services, s1, house["helene"]), "s1n": person(services, s1, house["noel"]),
         "s1z": person(services, s1, house["zoe"]), "s2h": person(services, s2, house["helene"]),
         "s2j": outsider(services, s2, "Jeanne Martin", "jeanne@exemple.org"),
         "s3n": person(services, s3, house["noel"]), "s4h": person(services, s4, house["helene"])}
    cancelled = person(services, s1, house["yann"])
    w.cancel_registration(registration_id=cancelled.id)
    clock.now = at(TODAY, 9)
    am, pm = w.session(session_id=s1).half_days
    w.record_attendance(session_id=s1, present={
        (r["s1h"].id, am.id): True, (r["s1h"].id, pm.id): True,
        (r["s1n"].id, am.id): True, (r["s1n"].id, pm.id): False,
        (r["s1z"].id, am.id): False, (r["s1z"].id, pm.id): False})
    (h2,) = w.session(session_id=s2).half_days
    w.record_attendance(session_id=s2, present={(r["s2h"].id, h2.id): True,
                                                (r["s2j"].id, h2.id): True})
    return s1, s2, s3, s4


def test_figures_by_person_axis_and_workshop(services, house, dataset):
    f = services.workshops.figures(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    rows = {row.key: row for row in f.by_person}
    assert [row.key for row in f.by_person] == ["Zoé Garnier", "Hélène Lefèvre",
                                                "Jeanne Martin", "Noël Ménard"]
    assert (rows["Hélène Lefèvre"].minutes_attended, rows["Hélène Lefèvre"].sessions,
            rows["Hélène Lefèvre"].attendance_rate) == (420 + 180, 2, 1.0)
    # Noël: the morning of Monday; Wednesday's session counts as a session, not in the rate
    assert (rows["Noël Ménard"].minutes_attended, rows["Noël Ménard"].sessions,
            rows["Noël Ménard"].attendance_rate) == (210, 2, 0.5)
    assert (rows["Zoé Garnier"].minutes_attended, rows["Zoé Garnier"].attendance_rate) == (0, 0.0)
    assert rows["Jeanne Martin"].minutes_attended == 180
    assert all(row.participants == 1 for row in f.by_person)
    axes = {row.key: row for row in f.by_axis}
    assert list(axes) == [a.label for a in WorkshopAxis]
    creation = axes["Création d'activités et d'emplois"]
    assert (creation.participants, creation.sessions, creation.minutes_attended) == (3, 2, 630)
    assert creation.attendance_rate == pytest.approx(3 / 6)
    living = axes["Économie vivante et durable"]
    assert (living.participants, living.sessions, living.minutes_attended,
            living.attendance_rate) == (2, 1, 360, 1.0)
    assert axes["Formation"] == replace(axes["Formation"], participants=0, sessions=0,
                                        minutes_attended=0, attendance_rate=None)
    workshops = {row.key: row for row in f.by_workshop}
    assert [row.key for row in f.by_workshop] == ["Circuits courts", ECOLE]
    assert (workshops[ECOLE].participants, workshops[ECOLE].sessions) == (3, 2)
    assert (f.total.key, f.total.participants, f.total.sessions, f.total.minutes_attended) == (
        "Total", 4, 3, 990)
    assert f.total.attendance_rate == pytest.approx(5 / 8)
    # the period: December holds only the last session, nobody attended yet
    dec = services.workshops.figures(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))
    assert [(row.key, row.sessions, row.minutes_attended, row.attendance_rate)
            for row in dec.by_person] == [("Hélène Lefèvre", 1, 0, None)]
    refused(ValidationError, services.workshops.figures, start=dt.date(2026, 12, 1),
            end=dt.date(2026, 11, 1))


def test_figures_as_csv(services, house, dataset):
    content = services.workshops.figures_csv(start=dt.date(2026, 11, 1),
                                             end=dt.date(2026, 11, 30))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Regroupement", "Libellé", "Participants", "Séances",
                       "Heures de présence", "Taux de présence (%)"]
    assert ["Personne", "Hélène Lefèvre", "1", "2", "10", "100"] in rows
    assert ["Personne", "Noël Ménard", "1", "2", "3,5", "50"] in rows
    assert ["Personne", "Jeanne Martin", "1", "1", "3", "100"] in rows
    assert ["Axe", "Formation", "0", "0", "0", ""] in rows
    assert ["Atelier", ECOLE, "3", "2", "10,5", "50"] in rows
    assert rows[-1] == ["Total", "Total", "4", "3", "16,5", "62,5"]
    assert [r[1] for r in rows[1:5]] == ["Zoé Garnier", "Hélène Lefèvre", "Jeanne Martin",
                                         "Noël Ménard"]
    assert [r[0] for r in rows[1:]] == ["Personne"] * 4 + ["Axe"] * 4 + ["Atelier"] * 2 + ["Total"]


# --- personal data and roles ----------------------------------------------------------------------


def test_personal_data_export_and_erasure(services, house, clock):
    w = services.workshops
    sid = session(services, house, [morning(TODAY)])
    mine = w.register(RegistrationRecord(None, sid, person_id=house["helene"],
                                         notes="Régime sans gluten"))
    other = session(services, house, [morning(THURSDAY)], room="autize")
    as_outsider = outsider(services, other, "H. Lefèvre", "Helene@exemple.fr")
    someone = outsider(services, other, "Jeanne Martin", "jeanne@exemple.org")
    h = w.session(session_id=sid).half_days[0]
    w.record_attendance(session_id=sid, present={(mine.id, h.id): True})
    export = services.privacy.export(person_id=house["helene"])
    (section,) = [x for x in export.sections if x.area == "workshops"]
    assert section.title == "Ateliers et présences"
    first, second = section.records
    assert first["atelier"] == ECOLE and first["notes"] == "Régime sans gluten"
    assert first["présences"] == ["2026-11-26 matin"] and first["minutes de présence"] == 210
    assert second["e-mail (personne extérieure)"] == "Helene@exemple.fr"
    json.dumps(export.as_json_dict(), ensure_ascii=False)
    report = services.privacy.erase(person_id=house["helene"])
    assert any(line.startswith("Ateliers et présences : 2 inscriptions") for line in report.lines)
    sheet = w.attendance(session_id=sid)
    (kept,) = sheet.participants  # kept for the figures, without a name
    assert kept.id == mine.id and kept.name == ANONYMOUS_NAME and kept.notes == ""
    assert sheet.minutes_of(mine.id) == 210
    listed = {r.id: r for r in w.registrations(session_id=other)}
    assert (listed[as_outsider.id].name, listed[as_outsider.id].email) == (ANONYMOUS_NAME, "")
    assert (listed[someone.id].name, listed[someone.id].email) == (
        "Jeanne Martin", "jeanne@exemple.org")
    figures = w.figures(start=TODAY, end=TODAY)
    assert [(r.key, r.minutes_attended) for r in figures.by_person] == [(ANONYMOUS_NAME, 210)]


def test_registrations_keep_a_person_active_for_the_retention(services, house, clock):
    from maison_app.services.privacy import inactive_people

    sid = session(services, house, [morning(THURSDAY)])
    person(services, sid, house["zoe"])
    with services.ctx.reading() as s:
        idle = inactive_people(s, at(dt.date(2026, 12, 1), 0))
    assert house["zoe"] not in idle and house["marc"] in idle


def test_every_method_declares_the_workshops_area_and_every_role_writes(services, house):
    for name in dir(WorkshopsService):
        if not name.startswith("_") and callable(getattr(WorkshopsService, name)):
            area, access = declared(getattr(WorkshopsService, name))
            assert area is Area.WORKSHOPS, name
            assert access in (Access.READ, Access.WRITE)
    assert declared(WorkshopsService.register)[1] is Access.WRITE
    assert declared(WorkshopsService.figures)[1] is Access.READ
    sid = session(services, house, [morning(TODAY)])
    for role in Role:
        desk = services.for_actor(Actor(login=f"poste-{role.value}", role=role))
        key = {Role.ACCUEIL: "zoe", Role.INCUBATION: "yann"}.get(role, "marc")
        r = desk.workshops.register(RegistrationRecord(None, sid, person_id=house[key]))
        h = desk.workshops.session(session_id=sid).half_days[0]
        desk.workshops.record_attendance(session_id=sid, present={(r.id, h.id): True})
        assert desk.workshops.today() != ()
    assert services.workshops.session(session_id=sid).registered == len(Role)
