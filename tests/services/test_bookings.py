"""BookingsService: validation of a booking and its messages, prices (hour by started
half-hours, half-day, day, the cheapest, member or public — also through an organisation —,
no rate, a price entered by hand), conflict edges (half-open periods, cancelled bookings and
expired options, options holding the room), moves, confirmation and cancellation (one, or the
rest of a series), recurring series (every N weeks, until a date or for a count, across the
daylight-saving changes, skipping closures and public holidays, conflicts and skip_conflicts,
editing the following ones), the week load across a daylight-saving week, the confirmation
PDF archived and reprinted, the iCalendar exports read back, settings and closures, search,
roles and personal data. Two processes booking at once: tests/services/test_bookings_concurrency.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from icalendar import Calendar

from maison_app.domain.bookings import (
    Booker,
    BookingDraft,
    BookingSettings,
    Closure,
    Recurrence,
)
from maison_app.domain.enums import (
    BookingStatus,
    DocumentKind,
    MemberKind,
    OccurrenceState,
    PriceBasis,
    Role,
    SeriesScope,
    SpaceKind,
)
from maison_app.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from maison_app.domain.privacy import ANONYMOUS_NAME
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.i18n import PARIS, format_money
from maison_app.services.bookings import SeriesConflict
from maison_app.services.context import Actor

TODAY = dt.date(2026, 11, 26)  # the clock: Thursday 26 November 2026, 09:00 Paris
SEVRE_RATES = Rates(hour_member=1500, hour_public=2500, half_day_member=4000,
                    half_day_public=7000, day_member=7000, day_public=12000)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def D(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def money(text: str) -> str:
    """Babel's narrow no-break spaces as plain spaces, to compare with readable literals."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def refused(exc_type, call, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return info.value


@pytest.fixture
def house(services):
    """Two bookable rooms (Sèvre, priced; Autize, free), an office, a room out of service;
    Coopérative Alpha (member in 2026) with Noël Ménard on its staff, Brûlerie Équitable
    (not a member), Hélène Lefèvre (member in her own name in 2026), Zoé (nothing)."""
    spaces, people = services.spaces, services.people
    ids = {
        "sevre": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Sèvre",
                                               floor=1, capacity=12, rates=SEVRE_RATES,
                                               equipment="Écran, visioconférence")),
        "autize": spaces.save_space(SpaceRecord(None, SpaceKind.WORKSHOP_ROOM, "Salle Autize",
                                                capacity=30)),
        "office": spaces.save_space(SpaceRecord(None, SpaceKind.OFFICE, "Bureau 101", floor=1,
                                                capacity=3)),
        "closed_room": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Mignon",
                                                     capacity=6, active=False)),
        "alpha": people.create_organisation(name="Coopérative Alpha"),
        "brulerie": people.create_organisation(name="Brûlerie Équitable"),
    }
    ids["noel"] = people.create_person(first_name="Noël", last_name="Ménard",
                                       organisation_ids=(ids["alpha"],))
    ids["helene"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene@exemple.fr")
    ids["zoe"] = people.create_person(first_name="Zoé", last_name="Garnier")
    college = services.memberships.colleges()[0].id
    services.memberships.create_membership(kind=MemberKind.ORGANISATION, member_id=ids["alpha"],
                                           year=2026, college_id=college, fee_cents=5000)
    services.memberships.create_membership(kind=MemberKind.PERSON, member_id=ids["helene"],
                                           year=2026, college_id=college, fee_cents=2000)
    return ids


def draft(house, start: dt.datetime, end: dt.datetime, *, room: str = "sevre",
          title: str = "Conseil d'administration", booker: Booker | None = None,
          **kw) -> BookingDraft:
    return BookingDraft(space_id=house[room], start=start, end=end, title=title,
                        booker=booker or Booker(organisation_id=house["alpha"]), **kw)


def book(services, house, start, end, **kw) -> int:
    return services.bookings.create(draft(house, start, end, **kw))


MONDAY = D(2026, 11, 30)
THURSDAY = D(2026, 12, 3)


# --- creating and validating ------------------------------------------------------------------


def test_a_booking_is_created_and_read_back_in_paris_time(services, house):
    bid = book(services, house, at(THURSDAY, 14), at(THURSDAY, 16), attendees=8,
               notes="  Prévoir le café  ")
    b = services.bookings.booking(booking_id=bid)
    assert (b.space_name, b.title, b.booker_name, b.attendees) == (
        "Salle Sèvre", "Conseil d'administration", "Coopérative Alpha", 8)
    assert b.start == at(THURSDAY, 14) and b.start.utcoffset() == dt.timedelta(hours=1)
    assert b.start.tzinfo is PARIS and b.end.hour == 16
    assert b.status is BookingStatus.CONFIRMED and b.option_until is None
    assert b.notes == "Prévoir le café"
    assert (b.price_cents, b.price_basis, b.member_rate) == (3000, PriceBasis.HOUR, True)
    assert b.series_id is None and b.document_id is None
    assert [x.id for x in services.bookings.day(day=THURSDAY)] == [bid]
    assert services.bookings.day(day=THURSDAY + dt.timedelta(days=1)) == ()


def test_rooms_are_the_bookable_rooms_in_service_by_floor_then_name(services, house):
    assert [r.name for r in services.bookings.rooms()] == ["Salle Autize", "Salle Sèvre"]


@pytest.mark.parametrize("change, field, words", [
    ({"title": "   "}, "title", "titre"),
    ({"title": "x" * 201}, "title", "200 caractères"),
    ({"end": at(THURSDAY, 13)}, "end", "après son début"),
    ({"end": at(THURSDAY, 14, 10)}, "end", "au moins 15 minutes"),
    ({"end": at(THURSDAY + dt.timedelta(days=1), 1)}, "end", "minuit au plus tard"),
    ({"start": dt.datetime(2026, 12, 3, 14)}, "start", "jour et l'heure"),
    ({"attendees": 0}, "attendees", "1 au moins"),
    ({"attendees": 13}, "attendees", "« Salle Sèvre » accueille 12 personnes au plus."),
    ({"booker": Booker()}, "contact_name", "contact extérieur"),
    ({"booker": Booker(contact_name="Jeanne Roux")}, "contact_email", "e-mail ou un numéro"),
    ({"booker": Booker(contact_name="Jeanne Roux", contact_email="jeanne@")},
     "contact_email", "pas valide"),
    ({"booker": Booker(contact_name="Jeanne Roux", contact_phone="12")}, "contact_phone",
     "pas valide"),
    ({"booker": Booker(organisation_id=1, person_id=1)}, "booker", "pas des deux"),
    ({"status": BookingStatus.CANCELLED}, "status", "Annuler"),
    ({"status": BookingStatus.OPTION, "option_until": TODAY - dt.timedelta(days=1)},
     "option_until", "passée"),
    ({"price_override_cents": -100, "override_reason": "geste"}, "price_override", "de 0 à"),
    ({"price_override_cents": 2500}, "override_reason", "motif"),
    ({"room": "office"}, "space_id", "ne se réserve pas"),
    ({"room": "closed_room"}, "space_id", "hors service"),
])
def test_create_refuses_a_wrong_draft_with_the_field_and_a_message(services, house, change,
                                                                   field, words):
    args = {"start": at(THURSDAY, 14), "end": at(THURSDAY, 16)}
    args.update(change)
    err = refused(ValidationError, services.bookings.create, draft(house, **args))
    assert err.field == field
    assert words in err.message
    # the quote checks the same way
    assert refused(ValidationError, services.bookings.quote, draft(house, **args)).field == field
    assert services.bookings.bookings(start=THURSDAY, end=THURSDAY + dt.timedelta(days=1),
                                      include_cancelled=True) == ()


def test_a_booker_that_no_longer_exists_or_a_missing_room(services, house):
    refused(NotFound, services.bookings.create,
            draft(house, at(THURSDAY, 14), at(THURSDAY, 16), booker=Booker(person_id=9999)))
    refused(NotFound, services.bookings.create,
            replace(draft(house, at(THURSDAY, 14), at(THURSDAY, 16)), space_id=9999))
    refused(NotFound, services.bookings.booking, booking_id=9999)


def test_an_outside_contact_books_with_a_phone_or_an_email_at_the_public_rate(services, house):
    bid = book(services, house, at(THURSDAY, 9), at(THURSDAY, 11), title="Atelier vélo",
               booker=Booker(contact_name="  Jeanne   Roux ", contact_phone="0549123456"))
    b = services.bookings.booking(booking_id=bid)
    assert b.booker_name == "Jeanne Roux" and b.booker.outside
    assert b.booker.contact_phone == "05 49 12 34 56"
    assert (b.price_cents, b.member_rate) == (5000, False)  # 2 h × 25 €
    bid = book(services, house, at(THURSDAY, 11), at(THURSDAY, 12), title="Rendez-vous",
               booker=Booker(contact_name="Marc Petit", contact_email="marc@exemple.fr"))
    assert services.bookings.booking(booking_id=bid).booker.contact_email == "marc@exemple.fr"


def test_a_member_booker_drops_the_contact_fields(services, house):
    bid = book(services, house, at(THURSDAY, 9), at(THURSDAY, 10),
               booker=Booker(person_id=house["zoe"], contact_name="reste du formulaire"))
    b = services.bookings.booking(booking_id=bid)
    assert b.booker_name == "Zoé Garnier" and b.booker.contact_name == ""


def test_the_house_closed_refuses_the_day_with_the_reason(services, house):
    services.bookings.save_closure(Closure(None, D(2026, 12, 21), D(2027, 1, 1),
                                           "Fêtes de fin d'année"))
    err = refused(ValidationError, services.bookings.create,
                  draft(house, at(D(2026, 12, 22), 14), at(D(2026, 12, 22), 16)))
    assert err.field == "start"
    assert err.message == ("La maison est fermée le mardi 22 décembre 2026 (Fêtes de fin "
                           "d'année) : choisissez un autre jour.")
    # a public holiday, unless the settings say the house opens on them
    services.bookings.delete_closure(closure_id=services.bookings.closures()[0].id)
    err = refused(ValidationError, services.bookings.create,
                  draft(house, at(D(2026, 12, 25), 14), at(D(2026, 12, 25), 16)))
    assert "(Noël)" in err.message
    services.bookings.save_settings(replace(services.bookings.settings(),
                                            skip_public_holidays=False))
    assert book(services, house, at(D(2026, 12, 25), 14), at(D(2026, 12, 25), 16))


def test_an_option_gets_its_default_expiry_and_a_confirmed_booking_none(services, house):
    far = D(2027, 1, 14)
    bid = book(services, house, at(far, 14), at(far, 16), status=BookingStatus.OPTION)
    assert services.bookings.booking(booking_id=bid).option_until == TODAY + dt.timedelta(days=7)
    # never beyond the booking's own day
    soon = D(2026, 11, 30)
    bid = book(services, house, at(soon, 14), at(soon, 16), status=BookingStatus.OPTION)
    assert services.bookings.booking(booking_id=bid).option_until == soon
    bid = book(services, house, at(far, 9), at(far, 10), status=BookingStatus.OPTION,
               option_until=D(2026, 12, 10))
    assert services.bookings.booking(booking_id=bid).option_until == D(2026, 12, 10)
    bid = book(services, house, at(far, 11), at(far, 12), option_until=D(2026, 12, 10))
    assert services.bookings.booking(booking_id=bid).option_until is None


# --- prices ------------------------------------------------------------------------------------


def quote(services, house, minutes: int, **kw):
    start = at(THURSDAY, 9)
    return services.bookings.quote(draft(house, start, start + dt.timedelta(minutes=minutes),
                                         **kw))


def test_the_hour_rate_counts_started_half_hours(services, house):
    q = quote(services, house, 70)  # 1 h 10 → 1 h 30
    assert (q.price_cents, q.basis, q.member_rate, q.computed_cents) == (
        2250, PriceBasis.HOUR, True, 2250)
    assert money(q.explanation) == "1 h 30 au tarif horaire adhérent (15,00 €/h) : 22,50 €"
    q = quote(services, house, 120)
    assert money(q.explanation) == "2 h au tarif horaire adhérent (15,00 €/h) : 30,00 €"
    q = quote(services, house, 20)
    assert (q.price_cents, money(q.explanation)) == (
        750, "30 min au tarif horaire adhérent (15,00 €/h) : 7,50 €")


def test_the_cheapest_rate_wins_half_day_then_day(services, house):
    q = quote(services, house, 180)  # 3 h: 45 € by the hour, 40 € the half-day
    assert (q.price_cents, q.basis) == (4000, PriceBasis.HALF_DAY)
    assert money(q.explanation) == "Demi-journée, tarif adhérent : 40,00 €"
    q = quote(services, house, 360)  # 6 h: 90 € / 2 half-days 80 € / the day 70 €
    assert (q.price_cents, q.basis) == (7000, PriceBasis.DAY)
    assert money(q.explanation) == "Journée, tarif adhérent : 70,00 €"


def test_non_members_pay_the_public_rates(services, house):
    brulerie = Booker(organisation_id=house["brulerie"])
    q = quote(services, house, 240, booker=brulerie)  # 100 € by the hour, 70 € the half-day
    assert (q.price_cents, q.basis, q.member_rate) == (7000, PriceBasis.HALF_DAY, False)
    assert money(q.explanation) == "Demi-journée, tarif non-adhérent : 70,00 €"
    q = quote(services, house, 120, booker=Booker(person_id=house["zoe"]))
    assert (q.price_cents, q.basis, q.member_rate) == (5000, PriceBasis.HOUR, False)
    q = quote(services, house, 120, booker=Booker(contact_name="Jeanne", contact_phone="0549123456"))
    assert q.member_rate is False


def test_a_person_is_a_member_in_their_own_name_or_through_their_organisation(services,
                                                                                  house):
    assert quote(services, house, 120, booker=Booker(person_id=house["helene"])).member_rate
    assert quote(services, house, 120, booker=Booker(person_id=house["noel"])).member_rate
    # Alpha is a member for 2026 only: a booking in 2027 is at the public rate
    day = D(2027, 1, 14)
    q = services.bookings.quote(draft(house, at(day, 9), at(day, 11),
                                      booker=Booker(person_id=house["noel"])))
    assert (q.member_rate, q.price_cents) == (False, 5000)


def test_a_room_without_rates_is_free(services, house):
    q = quote(services, house, 120, room="autize")
    assert (q.price_cents, q.basis) == (0, PriceBasis.FREE)
    assert q.explanation == "Salle sans tarif : gratuit"


def test_a_price_entered_by_hand_needs_a_reason_and_is_kept(services, house):
    q = quote(services, house, 180, price_override_cents=2500,
              override_reason="Forfait associatif")
    assert (q.price_cents, q.basis, q.computed_cents) == (2500, PriceBasis.MANUAL, 4000)
    assert money(q.explanation) == ("Prix saisi : 25,00 € (tarif : 40,00 €) — motif : "
                                    "Forfait associatif")
    bid = book(services, house, at(THURSDAY, 9), at(THURSDAY, 12), price_override_cents=0,
               override_reason="Gratuité accordée")
    b = services.bookings.booking(booking_id=bid)
    assert (b.price_cents, b.price_basis, b.override_reason) == (
        0, PriceBasis.MANUAL, "Gratuité accordée")


def test_warnings_outside_opening_hours_and_on_a_day_the_house_does_not_open(services, house):
    assert quote(services, house, 120).warnings == ()
    late = services.bookings.quote(draft(house, at(THURSDAY, 18), at(THURSDAY, 20)))
    assert late.warnings == ("En dehors des heures d'ouverture (8 h 00 – 19 h 00)",)
    saturday = D(2026, 12, 5)
    q = services.bookings.quote(draft(house, at(saturday, 10), at(saturday, 12)))
    assert q.warnings == ("La maison n'ouvre pas ce jour-là",)
    assert book(services, house, at(saturday, 10), at(saturday, 12))  # a warning, not a refusal


# --- conflicts ---------------------------------------------------------------------------------


def test_a_booking_ending_at_noon_and_one_starting_at_noon_both_stand(services, house):
    morning = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))
    afternoon = book(services, house, at(THURSDAY, 12), at(THURSDAY, 14), title="Atelier")
    assert [b.id for b in services.bookings.day(day=THURSDAY)] == [morning, afternoon]


def test_an_overlap_is_refused_naming_the_booking_in_the_way(services, house):
    first = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))
    err = refused(Conflict, book, services, house, at(THURSDAY, 11, 30), at(THURSDAY, 13),
                  title="Atelier", booker=Booker(person_id=house["zoe"]))
    assert err.existing_id == first
    assert err.message == ("« Salle Sèvre » est déjà réservée le jeudi 3 décembre 2026 : "
                           "« Conseil d'administration » (Coopérative Alpha), 10:00–12:00.")
    # inside, around
    refused(Conflict, book, services, house, at(THURSDAY, 10, 30), at(THURSDAY, 11))
    refused(Conflict, book, services, house, at(THURSDAY, 9), at(THURSDAY, 15))
    # another room is free
    assert book(services, house, at(THURSDAY, 10), at(THURSDAY, 12), room="autize")
    found = services.bookings.conflicts(draft(house, at(THURSDAY, 11), at(THURSDAY, 13)))
    assert [b.id for b in found] == [first]
    assert services.bookings.conflicts(draft(house, at(THURSDAY, 11), at(THURSDAY, 13)),
                                       ignore_id=first) == ()


def test_cancelled_bookings_and_expired_options_do_not_block(services, house, clock):
    cancelled = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))
    services.bookings.cancel(booking_id=cancelled, reason="Reporté")
    option = book(services, house, at(THURSDAY, 14), at(THURSDAY, 16),
                  status=BookingStatus.OPTION, option_until=TODAY)
    assert book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))
    # an option holds the room until its date…
    err = refused(Conflict, book, services, house, at(THURSDAY, 15), at(THURSDAY, 17))
    assert err.existing_id == option
    assert "en option jusqu'au 26 novembre 2026" in err.message
    # …and no longer after it
    clock.advance(days=1)
    assert book(services, house, at(THURSDAY, 15), at(THURSDAY, 17))


def test_a_booking_the_day_before_does_not_clash_with_the_early_morning(services, house):
    book(services, house, at(THURSDAY, 20), at(THURSDAY + dt.timedelta(days=1), 0))
    assert book(services, house, at(THURSDAY + dt.timedelta(days=1), 0),
                at(THURSDAY + dt.timedelta(days=1), 8))
    refused(Conflict, book, services, house, at(THURSDAY, 23), at(THURSDAY, 23, 30))


def test_a_whole_day_of_25_hours_holds_the_room_until_midnight(services, house):
    """Sunday 25 October 2026 lasts 25 hours: a booking of the whole day still blocks 23:00
    (the search for overlaps looks back 25 hours, not 24)."""
    sunday = D(2026, 10, 25)
    whole = book(services, house, at(sunday, 0), at(sunday + dt.timedelta(days=1), 0))
    assert services.bookings.booking(booking_id=whole).minutes >= 24 * 60
    err = refused(Conflict, book, services, house, at(sunday, 23), at(sunday, 23, 30))
    assert err.existing_id == whole
    assert services.bookings.quote(draft(house, at(sunday, 0), at(sunday + dt.timedelta(
        days=1), 0), booker=Booker(organisation_id=house["brulerie"]))).price_cents == 12000


# --- move, confirm, cancel ------------------------------------------------------------------------


def test_move_and_resize_check_again_and_price_again(services, house):
    a = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))  # 30 €
    b = book(services, house, at(THURSDAY, 14), at(THURSDAY, 15), title="Atelier")
    services.bookings.move(booking_id=a, start=at(THURSDAY, 11), end=at(THURSDAY, 14))
    moved = services.bookings.booking(booking_id=a)
    assert (moved.start.hour, moved.end.hour) == (11, 14)
    assert (moved.price_cents, moved.price_basis) == (4000, PriceBasis.HALF_DAY)
    err = refused(Conflict, services.bookings.move, booking_id=a, start=at(THURSDAY, 11),
                  end=at(THURSDAY, 14, 30))
    assert err.existing_id == b
    # to another room, the same times
    services.bookings.move(booking_id=b, start=at(THURSDAY, 14), end=at(THURSDAY, 15),
                           space_id=house["autize"])
    assert services.bookings.booking(booking_id=b).space_name == "Salle Autize"
    assert services.bookings.booking(booking_id=b).price_cents == 0
    # to a room too small for its attendees
    small = services.spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Lambon",
                                                   capacity=4))
    big = book(services, house, at(THURSDAY, 16), at(THURSDAY, 17), attendees=10)
    err = refused(ValidationError, services.bookings.move, booking_id=big,
                  start=at(THURSDAY, 16), end=at(THURSDAY, 17), space_id=small)
    assert err.field == "attendees" and "4 personnes au plus" in err.message
    # to a public holiday
    err = refused(ValidationError, services.bookings.move, booking_id=big,
                  start=at(D(2026, 12, 25), 16), end=at(D(2026, 12, 25), 17))
    assert "Noël" in err.message


def test_a_price_entered_by_hand_survives_a_move(services, house):
    a = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12), price_override_cents=1000,
             override_reason="Partenaire")
    services.bookings.move(booking_id=a, start=at(THURSDAY, 9), end=at(THURSDAY, 13))
    b = services.bookings.booking(booking_id=a)
    assert (b.price_cents, b.price_basis, b.override_reason) == (
        1000, PriceBasis.MANUAL, "Partenaire")


def test_update_one_booking(services, house):
    a = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))
    other = book(services, house, at(THURSDAY, 14), at(THURSDAY, 16), title="Atelier")
    services.bookings.update(a, draft(house, at(THURSDAY, 10), at(THURSDAY, 12, 30),
                                      title="CA de décembre", attendees=9,
                                      booker=Booker(person_id=house["helene"])))
    b = services.bookings.booking(booking_id=a)
    assert (b.title, b.attendees, b.booker_name, b.end.minute) == (
        "CA de décembre", 9, "Hélène Lefèvre", 30)
    assert money(format_money(b.price_cents)) == "37,50 €"  # 2 h 30 × 15 €
    err = refused(Conflict, services.bookings.update, a,
                  draft(house, at(THURSDAY, 13), at(THURSDAY, 15)))
    assert err.existing_id == other
    services.bookings.cancel(booking_id=a)
    err = refused(ValidationError, services.bookings.update, a,
                  draft(house, at(THURSDAY, 10), at(THURSDAY, 12)))
    assert err.message == "Cette réservation est annulée : elle ne se modifie plus."
    err = refused(ValidationError, services.bookings.move, booking_id=a,
                  start=at(THURSDAY, 8), end=at(THURSDAY, 9))
    assert err.message == "Cette réservation est annulée : elle ne se modifie plus."


def test_confirm_an_option(services, house, clock):
    opt = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12), status=BookingStatus.OPTION)
    services.bookings.confirm(booking_id=opt)
    b = services.bookings.booking(booking_id=opt)
    assert (b.status, b.option_until) == (BookingStatus.CONFIRMED, None)
    services.bookings.confirm(booking_id=opt)  # already confirmed: nothing to do
    # an expired option whose slot someone else took cannot be confirmed any more
    late = book(services, house, at(THURSDAY, 14), at(THURSDAY, 16), status=BookingStatus.OPTION,
                option_until=TODAY)
    clock.advance(days=1)
    taker = book(services, house, at(THURSDAY, 15), at(THURSDAY, 16), title="Atelier")
    err = refused(Conflict, services.bookings.confirm, booking_id=late)
    assert err.existing_id == taker
    services.bookings.cancel(booking_id=late)
    refused(ValidationError, services.bookings.confirm, booking_id=late)


def test_cancel_keeps_the_booking_with_its_reason(services, house):
    bid = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))
    assert services.bookings.cancel(booking_id=bid, reason="  Intervenant malade ") == 1
    assert services.bookings.cancel(booking_id=bid) == 0  # already cancelled
    assert services.bookings.day(day=THURSDAY) == ()
    (b,) = services.bookings.bookings(start=THURSDAY, end=THURSDAY + dt.timedelta(days=1),
                                      include_cancelled=True)
    assert (b.status, b.cancel_reason) == (BookingStatus.CANCELLED, "Intervenant malade")


# --- recurring series ----------------------------------------------------------------------------


def test_a_series_every_two_weeks_until_a_date(services, house):
    first = D(2026, 12, 1)  # a Tuesday
    result = services.bookings.create_series(
        draft(house, at(first, 14), at(first, 16), title="Comité de pilotage"),
        Recurrence(interval_weeks=2, until=D(2027, 2, 9)))
    days = [b.day for b in services.bookings.series(series_id=result.series_id)]
    assert days == [D(2026, 12, 1), D(2026, 12, 15), D(2026, 12, 29), D(2027, 1, 12),
                    D(2027, 1, 26), D(2027, 2, 9)]
    assert len(result.created) == 6 and result.skipped == ()
    records = [services.bookings.booking(booking_id=i) for i in result.created]
    assert {r.series_id for r in records} == {result.series_id}
    # Alpha is a member in 2026, not in 2027: each occurrence is priced for its year
    assert [r.member_rate for r in records] == [True, True, True, False, False, False]


def test_a_series_for_a_count_of_dates(services, house):
    first = D(2026, 12, 2)
    result = services.bookings.create_series(
        draft(house, at(first, 9), at(first, 10), title="Permanence"),
        Recurrence(interval_weeks=1, count=5))
    assert [services.bookings.booking(booking_id=i).day for i in result.created] == [
        first + dt.timedelta(weeks=n) for n in range(5)]


@pytest.mark.parametrize("recurrence, field", [
    (Recurrence(interval_weeks=0, count=3), "interval_weeks"),
    (Recurrence(interval_weeks=53, count=3), "interval_weeks"),
    (Recurrence(interval_weeks=1), "until"),
    (Recurrence(interval_weeks=1, until=D(2027, 1, 1), count=3), "until"),
    (Recurrence(interval_weeks=1, count=0), "count"),
    (Recurrence(interval_weeks=1, count=201), "count"),
    (Recurrence(interval_weeks=1, until=D(2026, 12, 1)), "until"),
    (Recurrence(interval_weeks=1, until=D(2031, 1, 1)), "until"),
])
def test_a_wrong_recurrence_is_refused(services, house, recurrence, field):
    day = D(2026, 12, 2)
    err = refused(ValidationError, services.bookings.create_series,
                  draft(house, at(day, 9), at(day, 10)), recurrence)
    assert err.field == field
    assert refused(ValidationError, services.bookings.plan_series,
                   draft(house, at(day, 9), at(day, 10)), recurrence).field == field


def test_a_weekly_series_keeps_its_paris_time_across_the_spring_change(services, house):
    first = D(2026, 3, 19)  # clocks go forward on Sunday 29 March 2026
    result = services.bookings.create_series(
        draft(house, at(first, 14), at(first, 16), title="Comité"),
        Recurrence(interval_weeks=1, count=3))
    records = [services.bookings.booking(booking_id=i) for i in result.created]
    assert [r.day for r in records] == [D(2026, 3, 19), D(2026, 3, 26), D(2026, 4, 2)]
    assert [(r.start.hour, r.end.hour) for r in records] == [(14, 16)] * 3
    assert [r.start.astimezone(dt.UTC).hour for r in records] == [13, 13, 12]
    assert {r.price_cents for r in records} == {3000}  # two hours each


def test_a_weekly_series_keeps_its_paris_time_across_the_autumn_change(services, house):
    first = D(2026, 10, 15)  # clocks go back on Sunday 25 October 2026
    plan = services.bookings.plan_series(
        draft(house, at(first, 14), at(first, 16), title="Comité"),
        Recurrence(interval_weeks=1, count=3))
    assert [(o.day, o.start.hour, o.start.astimezone(dt.UTC).hour) for o in plan.occurrences] \
        == [(D(2026, 10, 15), 14, 12), (D(2026, 10, 22), 14, 12), (D(2026, 10, 29), 14, 13)]
    result = services.bookings.create_series(
        draft(house, at(first, 14), at(first, 16), title="Comité"),
        Recurrence(interval_weeks=1, count=3))
    assert [services.bookings.booking(booking_id=i).start.astimezone(dt.UTC).hour
            for i in result.created] == [12, 12, 13]


def test_a_series_skips_closures_and_public_holidays(services, house):
    services.bookings.save_closure(Closure(None, D(2026, 5, 21), D(2026, 5, 22), "Pont"))
    first = D(2026, 5, 7)  # Thursdays: 7, 14 (Ascension), 21 (closed), 28 May
    plan = services.bookings.plan_series(draft(house, at(first, 14), at(first, 16)),
                                         Recurrence(interval_weeks=1, count=4))
    assert [(o.day, o.state, o.reason) for o in plan.occurrences] == [
        (D(2026, 5, 7), OccurrenceState.FREE, ""),
        (D(2026, 5, 14), OccurrenceState.CLOSED, "Ascension"),
        (D(2026, 5, 21), OccurrenceState.CLOSED, "Pont"),
        (D(2026, 5, 28), OccurrenceState.FREE, ""),
    ]
    result = services.bookings.create_series(draft(house, at(first, 14), at(first, 16)),
                                             Recurrence(interval_weeks=1, count=4))
    assert [services.bookings.booking(booking_id=i).day for i in result.created] == [
        D(2026, 5, 7), D(2026, 5, 28)]
    assert [o.reason for o in result.skipped] == ["Ascension", "Pont"]
    # a series whose every date is closed books nothing
    err = refused(ValidationError, services.bookings.create_series,
                  draft(house, at(D(2026, 5, 14), 9), at(D(2026, 5, 14), 10)),
                  Recurrence(interval_weeks=1, count=1))
    assert "fermée" in err.message


def test_a_series_in_conflict_shows_the_plan_then_books_the_free_dates(services, house):
    first = D(2026, 12, 1)
    blocker = book(services, house, at(D(2026, 12, 15), 15), at(D(2026, 12, 15), 17),
                   title="Assemblée générale", booker=Booker(organisation_id=house["brulerie"]))
    series_draft = draft(house, at(first, 14), at(first, 16), title="Comité de pilotage")
    err = refused(SeriesConflict, services.bookings.create_series, series_draft,
                  Recurrence(interval_weeks=1, count=4))
    assert isinstance(err, Conflict) and err.existing_id == blocker
    assert [(o.day, o.state) for o in err.plan.occurrences] == [
        (D(2026, 12, 1), OccurrenceState.FREE), (D(2026, 12, 8), OccurrenceState.FREE),
        (D(2026, 12, 15), OccurrenceState.CONFLICT), (D(2026, 12, 22), OccurrenceState.FREE)]
    (clash,) = err.plan.conflicts
    assert clash.conflict_id == blocker
    assert clash.reason == "« Assemblée générale » (Brûlerie Équitable), 15:00–17:00"
    assert "15 décembre 2026" in err.message and "3 dates restent libres" in err.message
    assert services.bookings.bookings(start=first, end=D(2027, 1, 1)) != ()
    assert len(services.bookings.bookings(start=first, end=D(2027, 1, 1))) == 1  # nothing written
    assert services.bookings.plan_series(series_draft, Recurrence(interval_weeks=1, count=4)) \
        == err.plan
    result = services.bookings.create_series(series_draft, Recurrence(interval_weeks=1, count=4),
                                             skip_conflicts=True)
    assert [services.bookings.booking(booking_id=i).day for i in result.created] == [
        D(2026, 12, 1), D(2026, 12, 8), D(2026, 12, 22)]
    assert [o.conflict_id for o in result.skipped] == [blocker]


def test_a_series_whose_every_free_date_is_taken_is_refused_even_skipping(services, house):
    first = D(2026, 12, 1)
    for week in range(2):
        day = first + dt.timedelta(weeks=week)
        book(services, house, at(day, 13), at(day, 15), title="Déjà là")
    err = refused(SeriesConflict, services.bookings.create_series,
                  draft(house, at(first, 14), at(first, 16)),
                  Recurrence(interval_weeks=1, count=2), skip_conflicts=True)
    assert len(err.plan.conflicts) == 2 and err.plan.free == ()


def test_following_on_a_booking_outside_a_series_changes_it_alone(services, house):
    a = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12))
    b = book(services, house, at(THURSDAY + dt.timedelta(weeks=1), 10),
             at(THURSDAY + dt.timedelta(weeks=1), 12))
    services.bookings.update(a, draft(house, at(THURSDAY, 9), at(THURSDAY, 12), title="Autre"),
                             scope=SeriesScope.FOLLOWING)
    assert services.bookings.booking(booking_id=a).title == "Autre"
    assert services.bookings.booking(booking_id=b).title == "Conseil d'administration"
    assert services.bookings.cancel(booking_id=a, scope=SeriesScope.FOLLOWING) == 1


def test_cancel_one_or_the_following_occurrences_of_a_series(services, house):
    first = D(2026, 12, 1)
    result = services.bookings.create_series(draft(house, at(first, 14), at(first, 16)),
                                             Recurrence(interval_weeks=1, count=5))
    ids = result.created
    assert services.bookings.cancel(booking_id=ids[1], scope=SeriesScope.ONE) == 1
    assert services.bookings.cancel(booking_id=ids[3], scope=SeriesScope.FOLLOWING,
                                    reason="Fin du projet") == 2
    series = services.bookings.series(series_id=result.series_id)
    assert [b.status for b in series] == [BookingStatus.CONFIRMED, BookingStatus.CANCELLED,
                                          BookingStatus.CONFIRMED, BookingStatus.CANCELLED,
                                          BookingStatus.CANCELLED]
    assert [b.cancel_reason for b in series][3:] == ["Fin du projet"] * 2
    # FOLLOWING from the first: the ones still standing
    assert services.bookings.cancel(booking_id=ids[0], scope=SeriesScope.FOLLOWING) == 2
    refused(NotFound, services.bookings.series, series_id=9999)


def test_update_the_following_occurrences_keeps_their_dates(services, house):
    first = D(2026, 12, 3)
    result = services.bookings.create_series(draft(house, at(first, 14), at(first, 16)),
                                             Recurrence(interval_weeks=1, count=4))
    ids = result.created
    second = services.bookings.booking(booking_id=ids[1])
    services.bookings.update(ids[1], draft(house, at(second.day, 15), at(second.day, 17, 30),
                                           room="autize", title="Comité élargi", attendees=20),
                             scope=SeriesScope.FOLLOWING)
    series = services.bookings.series(series_id=result.series_id)
    assert [(b.day, b.start.hour, b.end.hour, b.end.minute, b.space_name, b.title)
            for b in series] == [
        (D(2026, 12, 3), 14, 16, 0, "Salle Sèvre", "Conseil d'administration"),
        (D(2026, 12, 10), 15, 17, 30, "Salle Autize", "Comité élargi"),
        (D(2026, 12, 17), 15, 17, 30, "Salle Autize", "Comité élargi"),
        (D(2026, 12, 24), 15, 17, 30, "Salle Autize", "Comité élargi")]
    assert {b.series_id for b in series} == {result.series_id}
    # a conflict on one of them refuses the whole change, naming it
    blocker = book(services, house, at(D(2026, 12, 24), 9), at(D(2026, 12, 24), 10),
                   title="Petit-déjeuner", room="autize")
    err = refused(Conflict, services.bookings.update, ids[1],
                  draft(house, at(second.day, 9), at(second.day, 11), room="autize",
                        title="Comité matinal"), scope=SeriesScope.FOLLOWING)
    assert err.existing_id == blocker and "jeudi 24 décembre 2026" in err.message
    assert [b.title for b in services.bookings.series(series_id=result.series_id)][1:] == [
        "Comité élargi"] * 3
    # ONE changes one occurrence, which stays in its series
    services.bookings.update(ids[2], draft(house, at(D(2026, 12, 17), 9), at(D(2026, 12, 17), 10),
                                           room="autize", title="Comité déplacé"))
    moved = services.bookings.booking(booking_id=ids[2])
    assert (moved.title, moved.start.hour, moved.series_id) == (
        "Comité déplacé", 9, result.series_id)
    assert services.bookings.booking(booking_id=ids[3]).title == "Comité élargi"


# --- the calendar's loads ----------------------------------------------------------------------


def test_the_week_load_across_the_autumn_change(services, house):
    """The week of Monday 19 October 2026; Sunday 25 October lasts 25 hours."""
    monday, sunday = D(2026, 10, 19), D(2026, 10, 25)
    before = book(services, house, at(D(2026, 10, 18), 23), at(D(2026, 10, 18), 23, 30))
    first = book(services, house, at(monday, 0), at(monday, 1))
    late = book(services, house, at(sunday, 23), at(sunday, 23, 45))
    other_room = book(services, house, at(sunday, 10), at(sunday, 12), room="autize")
    after = book(services, house, at(D(2026, 10, 26), 0), at(D(2026, 10, 26), 1))
    cancelled = book(services, house, at(D(2026, 10, 21), 9), at(D(2026, 10, 21), 10))
    services.bookings.cancel(booking_id=cancelled)
    week = services.bookings.bookings(start=monday, end=monday + dt.timedelta(days=7))
    assert [b.id for b in week] == [first, other_room, late]
    assert week[-1].start.utcoffset() == dt.timedelta(hours=1)  # CET after the change
    assert week[0].start.utcoffset() == dt.timedelta(hours=2)
    assert [b.id for b in services.bookings.bookings(
        start=monday, end=monday + dt.timedelta(days=7), space_id=house["sevre"])] == [first, late]
    assert cancelled in [b.id for b in services.bookings.bookings(
        start=monday, end=monday + dt.timedelta(days=7), include_cancelled=True)]
    assert before not in [b.id for b in week] and after not in [b.id for b in week]


def test_the_week_load_across_the_spring_change(services, house):
    monday, sunday = D(2026, 3, 23), D(2026, 3, 29)  # Sunday 29 March lasts 23 hours
    first = book(services, house, at(monday, 0), at(monday, 1))
    late = book(services, house, at(sunday, 23), at(sunday, 23, 45))
    book(services, house, at(D(2026, 3, 30), 0), at(D(2026, 3, 30), 1))
    assert [b.id for b in services.bookings.bookings(
        start=monday, end=monday + dt.timedelta(days=7))] == [first, late]


def test_find_ignores_case_and_accents_upcoming_first(services, house):
    past = book(services, house, at(D(2026, 10, 1), 9), at(D(2026, 10, 1), 10),
                title="Séance plénière")
    older = book(services, house, at(D(2026, 9, 1), 9), at(D(2026, 9, 1), 10),
                 title="Séance d'ouverture")
    soon = book(services, house, at(D(2026, 12, 10), 9), at(D(2026, 12, 10), 10),
                title="SÉANCE de travail")
    sooner = book(services, house, at(D(2026, 12, 1), 9), at(D(2026, 12, 1), 10),
                  title="Réunion", booker=Booker(person_id=house["helene"]))
    assert [b.id for b in services.bookings.find(query="seance")] == [soon, past, older]
    assert [b.id for b in services.bookings.find(query="LEFEVRE")] == [sooner]
    assert [b.id for b in services.bookings.find(query="cooperative seance plen")] == [past]
    assert [b.id for b in services.bookings.find(query="seance", limit=2)] == [soon, past]
    assert services.bookings.find(query="s") == ()
    assert services.bookings.find(query="introuvable") == ()


# --- papers and calendars ---------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_confirmation_is_archived_and_reprinted_identical(services, house, clock):
    bid = book(services, house, at(THURSDAY, 14), at(THURSDAY, 16), attendees=8)
    doc, content = services.bookings.confirmation(booking_id=bid)
    assert doc.number == "RS-2026-0001" and doc.kind is DocumentKind.CONFIRMATION_RESERVATION
    assert content.startswith(b"%PDF") and services.documents.content(document_id=doc.id) == content
    assert services.bookings.booking(booking_id=bid).document_id == doc.id
    text = pdf_text(content)
    assert "RS-2026-0001" in text and "Conseil d'administration" in text
    assert "Salle Sèvre" in text and "Coopérative Alpha" in text
    clock.advance(hours=2)
    again, again_content = services.bookings.confirmation(booking_id=bid)
    assert (again.id, again.number, again_content) == (doc.id, doc.number, content)
    # a change: a new confirmation with the next number
    services.bookings.move(booking_id=bid, start=at(THURSDAY, 15), end=at(THURSDAY, 17))
    changed, changed_content = services.bookings.confirmation(booking_id=bid)
    assert changed.number == "RS-2026-0002" and changed_content != content
    assert services.bookings.booking(booking_id=bid).document_id == changed.id
    services.bookings.cancel(booking_id=bid)
    err = refused(ValidationError, services.bookings.confirmation, booking_id=bid)
    assert "annulée" in err.message


def test_an_option_confirmation_names_its_expiry(services, house):
    bid = book(services, house, at(THURSDAY, 14), at(THURSDAY, 16), status=BookingStatus.OPTION,
               option_until=D(2026, 12, 1))
    _doc, content = services.bookings.confirmation(booking_id=bid)
    assert "1 décembre 2026" in pdf_text(content) or "1er décembre 2026" in pdf_text(content)


def _events(content: bytes):
    calendar = Calendar.from_ical(content)
    return [c for c in calendar.walk("VEVENT")]


def test_the_ics_of_one_booking_reads_back_in_paris_time_summer_and_winter(services, house):
    summer = book(services, house, at(D(2026, 6, 18), 14), at(D(2026, 6, 18), 16))
    winter = book(services, house, at(D(2026, 12, 17), 14), at(D(2026, 12, 17), 16),
                  title="Réunion d'hiver", status=BookingStatus.OPTION)
    for bid, offset in ((summer, 2), (winter, 1)):
        name, content = services.bookings.ics(booking_id=bid)
        assert name == f"reservation-{bid}.ics"
        (event,) = _events(content)
        start = event.decoded("DTSTART")
        assert str(start.tzinfo) == "Europe/Paris" or getattr(start.tzinfo, "key", "") \
            == "Europe/Paris"
        assert (start.hour, start.minute) == (14, 0)
        assert start.utcoffset() == dt.timedelta(hours=offset)
        assert event.decoded("DTEND").hour == 16
        assert str(event["UID"]) == f"booking-{bid}@maison-ess-niort"
    (event,) = _events(services.bookings.ics(booking_id=winter)[1])
    assert str(event["SUMMARY"]) == "Réunion d'hiver" and str(event["STATUS"]) == "TENTATIVE"


def test_the_ics_of_a_room_over_a_month(services, house):
    december = [book(services, house, at(D(2026, 12, d), 10), at(D(2026, 12, d), 12))
                for d in (1, 8, 15)]
    services.bookings.cancel(booking_id=december[1])
    book(services, house, at(D(2026, 12, 1), 10), at(D(2026, 12, 1), 12), room="autize")
    book(services, house, at(D(2027, 1, 5), 10), at(D(2027, 1, 5), 12))
    name, content = services.bookings.room_ics(space_id=house["sevre"], start=D(2026, 12, 1),
                                               end=D(2027, 1, 1))
    assert name == "salle-sevre-2026-12.ics"
    events = _events(content)
    assert sorted(str(e["UID"]) for e in events) == sorted(
        f"booking-{i}@maison-ess-niort" for i in (december[0], december[2]))
    assert "Salle Sèvre" in str(Calendar.from_ical(content)["X-WR-CALNAME"])
    name, _content = services.bookings.room_ics(space_id=house["sevre"], start=D(2026, 12, 1),
                                                end=D(2027, 2, 1))
    assert name == "salle-sevre-2026-12-01-2027-01-31.ics"
    refused(ValidationError, services.bookings.room_ics, space_id=house["sevre"],
            start=D(2026, 12, 1), end=D(2026, 12, 1))
    refused(NotFound, services.bookings.room_ics, space_id=9999, start=D(2026, 12, 1),
            end=D(2026, 12, 2))


# --- settings and closures ---------------------------------------------------------------------


def test_settings_read_as_their_defaults_until_saved(services):
    settings = services.bookings.settings()
    assert (settings.opens, settings.closes, settings.weekdays, settings.skip_public_holidays,
            settings.option_days) == (dt.time(8), dt.time(19), (0, 1, 2, 3, 4), True, 7)
    assert "48 heures" in settings.conditions
    saved = services.bookings.save_settings(BookingSettings(
        opens=dt.time(8, 30), closes=dt.time(18), weekdays=(5, 0, 1, 1), option_days=3,
        skip_public_holidays=False, conditions="  Les clés sont à l'accueil.  \n"))
    assert saved.weekdays == (0, 1, 5) and saved.conditions == "Les clés sont à l'accueil."
    assert services.bookings.settings() == saved


@pytest.mark.parametrize("change, field", [
    ({"opens": dt.time(19), "closes": dt.time(8)}, "closes"),
    ({"opens": dt.time(9), "closes": dt.time(9)}, "closes"),
    ({"weekdays": ()}, "weekdays"),
    ({"weekdays": (0, 7)}, "weekdays"),
    ({"option_days": 0}, "option_days"),
    ({"option_days": 91}, "option_days"),
    ({"conditions": "x" * 20_001}, "conditions"),
])
def test_wrong_settings_are_refused(services, change, field):
    err = refused(ValidationError, services.bookings.save_settings,
                  replace(BookingSettings(), **change))
    assert err.field == field


def test_the_option_lifetime_and_opening_hours_come_from_the_settings(services, house):
    services.bookings.save_settings(replace(services.bookings.settings(), option_days=3,
                                            opens=dt.time(9), closes=dt.time(17, 30)))
    far = D(2027, 1, 14)
    bid = book(services, house, at(far, 9), at(far, 10), status=BookingStatus.OPTION)
    assert services.bookings.booking(booking_id=bid).option_until == TODAY + dt.timedelta(days=3)
    q = services.bookings.quote(draft(house, at(far, 16), at(far, 18)))
    assert q.warnings == ("En dehors des heures d'ouverture (9 h 00 – 17 h 30)",)


def test_closures_and_closed_days(services):
    xmas = services.bookings.save_closure(Closure(None, D(2026, 12, 24), D(2027, 1, 3),
                                                  "  Fêtes  de fin d'année "))
    summer = services.bookings.save_closure(Closure(None, D(2026, 8, 1), D(2026, 8, 23), "Été"))
    assert [c.label for c in services.bookings.closures()] == ["Été", "Fêtes de fin d'année"]
    assert [c.id for c in services.bookings.closures(year=2027)] == [xmas]
    assert [c.id for c in services.bookings.closures(year=2026)] == [summer, xmas]
    days = services.bookings.closed_days(start=D(2026, 12, 20), end=D(2026, 12, 27))
    assert days == {D(2026, 12, 24): "Fêtes de fin d'année",
                    D(2026, 12, 25): "Fêtes de fin d'année",
                    D(2026, 12, 26): "Fêtes de fin d'année"}
    assert services.bookings.closed_days(start=D(2026, 11, 9), end=D(2026, 11, 16)) == {
        D(2026, 11, 11): "Armistice"}
    services.bookings.save_closure(Closure(xmas, D(2026, 12, 25), D(2027, 1, 3), "Noël"))
    assert services.bookings.closures(year=2027)[0].start == D(2026, 12, 25)
    err = refused(ValidationError, services.bookings.save_closure,
                  Closure(None, D(2026, 12, 24), D(2026, 12, 23), "Fermeture"))
    assert err.field == "end"
    assert refused(ValidationError, services.bookings.save_closure,
                   Closure(None, D(2026, 12, 24), D(2026, 12, 24), " ")).field == "label"
    services.bookings.delete_closure(closure_id=summer)
    refused(NotFound, services.bookings.delete_closure, closure_id=summer)
    refused(NotFound, services.bookings.save_closure,
            Closure(summer, D(2026, 8, 1), D(2026, 8, 2), "Été"))


# --- roles ---------------------------------------------------------------------------------------


def test_reception_books_but_only_the_administration_changes_the_settings(services, house):
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    bid = desk.bookings.create(draft(house, at(THURSDAY, 10), at(THURSDAY, 12)))
    desk.bookings.move(booking_id=bid, start=at(THURSDAY, 11), end=at(THURSDAY, 12))
    assert desk.bookings.cancel(booking_id=bid) == 1
    assert desk.bookings.settings().opens == dt.time(8)
    for role in (Role.ACCUEIL, Role.INCUBATION):
        other = services.for_actor(Actor(login="x", role=role))
        refused(PermissionDenied, other.bookings.save_settings, BookingSettings())
        refused(PermissionDenied, other.bookings.save_closure,
                Closure(None, D(2026, 12, 24), D(2026, 12, 24), "Veille de Noël"))
        refused(PermissionDenied, other.bookings.delete_closure, closure_id=1)
    admin = services.for_actor(Actor(login="admin", role=Role.ADMINISTRATION))
    assert admin.bookings.save_closure(Closure(None, D(2026, 12, 24), D(2026, 12, 24),
                                               "Veille de Noël"))


# --- personal data -------------------------------------------------------------------------------


def test_personal_data_export_and_erasure(services, house):
    own = book(services, house, at(THURSDAY, 10), at(THURSDAY, 12), title="Entretien",
               booker=Booker(person_id=house["helene"]), notes="Allergique au café")
    as_contact = book(services, house, at(THURSDAY, 14), at(THURSDAY, 15), title="Visite",
                      booker=Booker(contact_name="H. Lefèvre", contact_email="Helene@exemple.fr"))
    book(services, house, at(THURSDAY, 16), at(THURSDAY, 17), title="Autre")
    export = services.privacy.export(person_id=house["helene"])
    (section,) = [s for s in export.sections if s.area == "bookings"]
    assert section.title == "Réservations de salles"
    assert [r["objet"] for r in section.records] == ["Entretien", "Visite"]
    assert section.records[0]["notes"] == "Allergique au café"
    report = services.privacy.erase(person_id=house["helene"])
    assert any(line.startswith("Réservations de salles : 2 réservations") for line in report.lines)
    b = services.bookings.booking(booking_id=own)
    assert (b.notes, b.booker_name, b.price_cents) == ("", ANONYMOUS_NAME, 3000)
    # booked as an outside contact with her e-mail: kept, the contact details erased
    contact = services.bookings.booking(booking_id=as_contact)
    assert contact.title == "Visite"
    assert (contact.booker.contact_name, contact.booker.contact_email) == ("", "")
    assert contact.booker_name == ANONYMOUS_NAME  # not an empty name on the calendar


def test_a_recent_booking_keeps_a_person_out_of_the_inactive_contacts(services, house, clock):
    from maison_app.services.privacy import inactive_people

    book(services, house, at(D(2030, 3, 7), 10), at(D(2030, 3, 7), 12),
         booker=Booker(person_id=house["zoe"]))
    clock.advance(days=365 * 4)
    before = clock.now - dt.timedelta(days=365 * 3)
    with services.ctx.reading() as s:
        inactive = inactive_people(s, before)
    assert house["zoe"] not in inactive and house["noel"] in inactive
