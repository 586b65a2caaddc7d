"""iCalendar export: the .ics parses back with the icalendar library, with Europe/Paris times
right on both sides of the daylight-saving changes, a VTIMEZONE that agrees with the tz
database, one event per booking, non-ASCII text intact and lines folded at 75 octets."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from maison_app.documents import icalendar_export
from maison_app.documents.icalendar_export import (
    booking_calendar,
    booking_uid,
    paris_timezone,
)
from maison_app.domain.bookings import Booker, BookingRecord
from maison_app.domain.enums import BookingStatus, PriceBasis
from maison_app.i18n import PARIS

UTC = dt.UTC
STAMP = dt.datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def booking(booking_id: int, day: dt.date, *, start: dt.time = dt.time(14, 0),
            end: dt.time = dt.time(16, 0), **changes) -> BookingRecord:
    record = BookingRecord(
        id=booking_id, space_id=3, space_name="Salle Sèvre",
        start=dt.datetime.combine(day, start, tzinfo=PARIS),
        end=dt.datetime.combine(day, end, tzinfo=PARIS),
        title="Réunion d'équipe", booker=Booker(organisation_id=5),
        booker_name="Coopérative Alpha", attendees=8, status=BookingStatus.CONFIRMED,
        option_until=None, notes="", price_cents=3000, price_basis=PriceBasis.HOUR,
        member_rate=True, override_reason="", series_id=None,
    )
    return replace(record, **changes)


WINTER = booking(1, dt.date(2026, 3, 26))  # before the change of 29 March: UTC+1
SUMMER = booking(2, dt.date(2026, 4, 2))  # after it: UTC+2
AUTUMN = booking(3, dt.date(2026, 10, 29))  # after the change of 25 October: UTC+1 again
LAST_SUMMER_DAY = booking(4, dt.date(2026, 10, 23))  # the Friday before it: UTC+2


def export(bookings, **kwargs) -> bytes:
    kwargs.setdefault("identity_name", "Maison de l'ESS")
    kwargs.setdefault("calendar_name", "Salle Sèvre — Maison de l'ESS")
    kwargs.setdefault("stamp", STAMP)
    return booking_calendar(bookings, **kwargs)


def events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_calendar_header():
    data = export([WINTER])
    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]) == "-//Maison de l'ESS//maison_app//FR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Salle Sèvre — Maison de l'ESS"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")


def test_one_event_per_booking_with_uid_summary_location_status():
    found = events(export([SUMMER, WINTER, AUTUMN]))
    assert sorted(found) == [booking_uid(1), booking_uid(2), booking_uid(3)]
    assert booking_uid(1) == "booking-1@maison-ess-niort"
    event = found["booking-1@maison-ess-niort"]
    assert str(event["SUMMARY"]) == "Réunion d'équipe"
    assert str(event["LOCATION"]) == "Salle Sèvre, Maison de l'ESS"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTAMP"].dt == STAMP
    description = str(event["DESCRIPTION"])
    assert "Réservé par : Coopérative Alpha" in description
    assert "8 participants" in description


def test_events_come_in_date_order():
    calendar = Calendar.from_ical(export([AUTUMN, SUMMER, WINTER]))
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        booking_uid(1), booking_uid(2), booking_uid(3)]


@pytest.mark.parametrize(("record", "utc_start", "utc_end"), [
    (WINTER, dt.datetime(2026, 3, 26, 13, 0, tzinfo=UTC),
     dt.datetime(2026, 3, 26, 15, 0, tzinfo=UTC)),
    (SUMMER, dt.datetime(2026, 4, 2, 12, 0, tzinfo=UTC),
     dt.datetime(2026, 4, 2, 14, 0, tzinfo=UTC)),
    (LAST_SUMMER_DAY, dt.datetime(2026, 10, 23, 12, 0, tzinfo=UTC),
     dt.datetime(2026, 10, 23, 14, 0, tzinfo=UTC)),
    (AUTUMN, dt.datetime(2026, 10, 29, 13, 0, tzinfo=UTC),
     dt.datetime(2026, 10, 29, 15, 0, tzinfo=UTC)),
])
def test_paris_times_across_daylight_saving(record, utc_start, utc_end):
    event = events(export([record]))[booking_uid(record.id)]
    start, end = event["DTSTART"], event["DTEND"]
    # written as Paris wall-clock times with their TZID…
    assert start.params["TZID"] == "Europe/Paris" and end.params["TZID"] == "Europe/Paris"
    assert start.dt.replace(tzinfo=None) == dt.datetime.combine(record.day, dt.time(14, 0))
    # …read back as aware Paris datetimes at the right instant
    assert isinstance(start.dt.tzinfo, ZoneInfo) and start.dt.tzinfo.key == "Europe/Paris"
    assert start.dt.astimezone(UTC) == utc_start
    assert end.dt.astimezone(UTC) == utc_end


def test_the_wire_format_of_the_times():
    data = export([WINTER])
    assert b"DTSTART;TZID=Europe/Paris:20260326T140000\r\n" in data
    assert b"DTEND;TZID=Europe/Paris:20260326T160000\r\n" in data
    assert b"DTSTAMP:20261126T080000Z\r\n" in data


def test_a_utc_record_is_written_in_paris_time():
    utc = replace(SUMMER, start=SUMMER.start.astimezone(UTC), end=SUMMER.end.astimezone(UTC))
    assert export([utc]) == export([SUMMER])


def test_the_vtimezone_is_there_and_agrees_with_the_tz_database():
    calendar = Calendar.from_ical(export([WINTER, SUMMER]))
    zones = calendar.walk("VTIMEZONE")
    assert len(zones) == 1
    zone = zones[0]
    assert str(zone["TZID"]) == "Europe/Paris"
    assert zone.walk("DAYLIGHT") and zone.walk("STANDARD")
    assert calendar.get_missing_tzids() == set()
    # a program without the tz database reads the times from this component: it must give
    # the same offsets as zoneinfo at every half-hour, transitions included
    from_component = zone.to_tz(lookup_tzid=False)
    paris = ZoneInfo("Europe/Paris")
    moment = dt.datetime(2025, 1, 1, tzinfo=UTC)
    while moment.year < 2029:
        assert (moment.astimezone(from_component).utcoffset()
                == moment.astimezone(paris).utcoffset()), moment
        moment += dt.timedelta(minutes=30)


def test_the_vtimezone_comes_before_the_events():
    data = export([WINTER])
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    assert paris_timezone().to_ical().count(b"RRULE:") == 2


def test_an_option_is_tentative_and_says_until_when():
    option = booking(5, dt.date(2026, 12, 3), status=BookingStatus.OPTION,
                     option_until=dt.date(2026, 11, 30))
    event = events(export([option, AUTUMN]))[booking_uid(5)]
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "Option valable jusqu'au 30 novembre 2026" in str(event["DESCRIPTION"])
    assert str(events(export([AUTUMN]))[booking_uid(3)]["STATUS"]) == "CONFIRMED"


def test_a_cancelled_booking_passed_in_is_cancelled_and_transparent():
    cancelled = replace(AUTUMN, status=BookingStatus.CANCELLED, cancel_reason="Formateur malade")
    event = events(export([cancelled]))[booking_uid(3)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "Motif d'annulation : Formateur malade" in str(event["DESCRIPTION"])


def test_non_ascii_and_special_characters_round_trip():
    record = booking(
        6, dt.date(2026, 11, 26), title="« Salle Sèvre » ; Réunion d'équipe, œuvre, 10 € — ça va",
        booker_name="Société coopérative « L'Âge d'or »",
        notes="Prévoir le vidéoprojecteur.\nClés à l'accueil ; merci, à jeudi !",
    )
    data = export([record], identity_name="Maison de l'ESS — Niort")
    event = events(data)[booking_uid(6)]
    assert str(event["SUMMARY"]) == "« Salle Sèvre » ; Réunion d'équipe, œuvre, 10 € — ça va"
    assert str(event["LOCATION"]) == "Salle Sèvre, Maison de l'ESS — Niort"
    description = str(event["DESCRIPTION"])
    assert "Réservé par : Société coopérative « L'Âge d'or »" in description
    assert description.endswith("Prévoir le vidéoprojecteur.\nClés à l'accueil ; merci, à jeudi !")
    data.decode("utf-8")  # the whole file is UTF-8


def test_lines_are_folded_at_75_octets_and_end_with_crlf():
    record = booking(7, dt.date(2026, 11, 26),
                     title="Assemblée générale de la coopérative « Énergies renouvelables du "
                           "Marais poitevin » — présentation des comptes et élection du conseil",
                     notes="é" * 200)
    data = export([record])
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends with CRLF
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # folding never cuts a character in two
    event = events(data)[booking_uid(7)]
    assert str(event["SUMMARY"]).endswith("présentation des comptes et élection du conseil")
    assert str(event["DESCRIPTION"]).endswith("é" * 200)


def test_same_bookings_and_stamp_same_bytes_and_default_stamp_is_now():
    assert export([WINTER, SUMMER]) == export([SUMMER, WINTER])
    before = dt.datetime.now(UTC).replace(microsecond=0)
    event = events(booking_calendar([WINTER], identity_name="Maison de l'ESS",
                                    calendar_name="x"))[booking_uid(1)]
    after = dt.datetime.now(UTC)
    assert before <= event["DTSTAMP"].dt <= after
    assert event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)


def test_an_empty_calendar_is_still_valid():
    calendar = Calendar.from_ical(export([]))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_module_has_no_qt():
    assert "PySide6" not in icalendar_export.__dict__
