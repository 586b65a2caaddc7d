"""The pure rules of room bookings: the price from the room's rates, the occurrences of a
recurring series (at the same Paris wall-clock time across daylight-saving changes), the
days the house is closed, half-open overlaps, the bounds of a Paris day, options."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from maison_app.domain.bookings import (
    DEFAULT_OPTION_DAYS,
    HALF_DAY_MINUTES,
    MAX_INTERVAL_WEEKS,
    MAX_OCCURRENCES,
    Booker,
    BookingRecord,
    BookingSettings,
    Closure,
    Occurrence,
    Recurrence,
    SeriesPlan,
    at_wall_time,
    closed_reason,
    compute_price,
    day_bounds,
    occurrence_times,
    overlaps,
    public_holidays,
    series_dates,
    week_start,
)
from maison_app.domain.enums import BookingStatus, OccurrenceState, PriceBasis
from maison_app.domain.spaces import Rates
from maison_app.i18n import PARIS

D = dt.date
UTC = dt.UTC
# The rates of the brief's « Salle Sèvre »: hour 15 / 25 €, half-day 40 / 70 €, day 70 / 120 €
SEVRE = Rates(hour_member=1500, hour_public=2500, half_day_member=4000, half_day_public=7000,
              day_member=7000, day_public=12000)


def paris(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


# --- price ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("minutes", "half_hours"), [
    (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (70, 3), (90, 3), (91, 4), (120, 4),
])
def test_the_hour_rate_counts_started_half_hours(minutes, half_hours):
    rates = Rates(hour_member=1500)
    price, basis, rate = compute_price(minutes, rates, member=True)
    assert (price, basis, rate) == (750 * half_hours, PriceBasis.HOUR, 1500)


def test_an_hour_rate_in_odd_cents_rounds_half_a_cent_up():
    assert compute_price(30, Rates(hour_public=2501), member=False)[0] == 1251
    assert compute_price(60, Rates(hour_public=2501), member=False)[0] == 2501


@pytest.mark.parametrize(("minutes", "half_days"), [
    (15, 1), (HALF_DAY_MINUTES, 1), (HALF_DAY_MINUTES + 1, 2), (2 * HALF_DAY_MINUTES, 2),
    (2 * HALF_DAY_MINUTES + 1, 3),
])
def test_the_half_day_rate_counts_started_half_days_of_four_hours(minutes, half_days):
    assert HALF_DAY_MINUTES == 240
    price, basis, rate = compute_price(minutes, Rates(half_day_public=7000), member=False)
    assert (price, basis, rate) == (7000 * half_days, PriceBasis.HALF_DAY, 7000)


@pytest.mark.parametrize("minutes", [15, 240, 9 * 60, 11 * 60])
def test_the_day_rate_covers_the_day_whatever_its_length(minutes):
    assert compute_price(minutes, Rates(day_member=7000), member=True) == (
        7000, PriceBasis.DAY, 7000)


@pytest.mark.parametrize(("minutes", "member", "expected"), [
    # 2 h: 2 × 15 € beats a half-day at 40 €
    (120, True, (3000, PriceBasis.HOUR, 1500)),
    # 3 h: 45 € by the hour, 40 € the half-day
    (180, True, (4000, PriceBasis.HALF_DAY, 4000)),
    # 4 h: 60 € by the hour, still one half-day
    (240, True, (4000, PriceBasis.HALF_DAY, 4000)),
    # 5 h: 75 € by the hour, two half-days 80 €, the day 70 €
    (300, True, (7000, PriceBasis.DAY, 7000)),
    # 1 h 10 for the public: 1 h 30 at 25 € = 37,50 €
    (70, False, (3750, PriceBasis.HOUR, 2500)),
    # 3 h 30 for the public: 87,50 € by the hour, 70 € the half-day
    (210, False, (7000, PriceBasis.HALF_DAY, 7000)),
    # 6 h for the public: 150 € by the hour, 140 € two half-days, 120 € the day
    (360, False, (12000, PriceBasis.DAY, 12000)),
])
def test_the_cheapest_rate_wins(minutes, member, expected):
    assert compute_price(minutes, SEVRE, member=member) == expected


def test_members_and_the_public_pay_their_own_rates():
    member, _basis, _rate = compute_price(120, SEVRE, member=True)
    public, _basis, _rate = compute_price(120, SEVRE, member=False)
    assert (member, public) == (3000, 5000)


def test_a_tie_goes_to_the_finer_rate():
    # 2 h at 20 €/h = 40 € = one half-day: billed by the hour
    rates = Rates(hour_member=2000, half_day_member=4000, day_member=4000)
    assert compute_price(120, rates, member=True) == (4000, PriceBasis.HOUR, 2000)
    # 8 h: two half-days 80 € = the day 80 €: the half-day rate
    rates = Rates(half_day_member=4000, day_member=8000)
    assert compute_price(480, rates, member=True) == (8000, PriceBasis.HALF_DAY, 4000)


def test_a_rate_not_offered_to_this_audience_is_skipped():
    # only a day rate for members, hour and day rates for the public
    rates = Rates(hour_public=2000, day_member=6000, day_public=10000)
    assert compute_price(60, rates, member=True) == (6000, PriceBasis.DAY, 6000)
    assert compute_price(60, rates, member=False) == (2000, PriceBasis.HOUR, 2000)


def test_no_rate_at_all_is_free():
    assert compute_price(90, Rates(), member=True) == (0, PriceBasis.FREE, None)
    assert compute_price(90, Rates(), member=False) == (0, PriceBasis.FREE, None)
    # the public's rates do not apply to members
    public_only = Rates(hour_public=2500, half_day_public=7000, day_public=12000)
    assert compute_price(90, public_only, member=True) == (0, PriceBasis.FREE, None)


def test_a_zero_rate_is_a_rate():
    assert compute_price(90, Rates(hour_member=0, day_member=5000), member=True) == (
        0, PriceBasis.HOUR, 0)


@pytest.mark.parametrize("minutes", [0, -30])
def test_no_price_for_no_time(minutes):
    with pytest.raises(ValueError, match="positive"):
        compute_price(minutes, SEVRE, member=True)


# --- recurring series ----------------------------------------------------------------------

THURSDAY = D(2026, 11, 26)


def test_a_series_for_a_count():
    days = series_dates(THURSDAY, Recurrence(count=4))
    assert days == (D(2026, 11, 26), D(2026, 12, 3), D(2026, 12, 10), D(2026, 12, 17))
    assert series_dates(THURSDAY, Recurrence(count=1)) == (THURSDAY,)


def test_a_series_until_a_date_included():
    assert series_dates(THURSDAY, Recurrence(until=D(2026, 12, 17))) == (
        D(2026, 11, 26), D(2026, 12, 3), D(2026, 12, 10), D(2026, 12, 17))
    # the day before the fourth: three
    assert len(series_dates(THURSDAY, Recurrence(until=D(2026, 12, 16)))) == 3
    # until the first day itself: that day only
    assert series_dates(THURSDAY, Recurrence(until=THURSDAY)) == (THURSDAY,)


def test_every_two_weeks():
    assert series_dates(THURSDAY, Recurrence(interval_weeks=2, count=3)) == (
        D(2026, 11, 26), D(2026, 12, 10), D(2026, 12, 24))
    assert series_dates(THURSDAY, Recurrence(interval_weeks=2, until=D(2027, 1, 6))) == (
        D(2026, 11, 26), D(2026, 12, 10), D(2026, 12, 24))


def test_a_series_keeps_its_weekday_across_years():
    days = series_dates(D(2026, 12, 31), Recurrence(count=3))
    assert days == (D(2026, 12, 31), D(2027, 1, 7), D(2027, 1, 14))
    assert {d.weekday() for d in days} == {3}


def test_a_series_is_capped_at_max_occurrences():
    assert MAX_OCCURRENCES == 200
    assert len(series_dates(THURSDAY, Recurrence(count=MAX_OCCURRENCES))) == MAX_OCCURRENCES
    assert len(series_dates(THURSDAY, Recurrence(count=1000))) == MAX_OCCURRENCES
    days = series_dates(THURSDAY, Recurrence(until=D(2040, 1, 1)))
    assert len(days) == MAX_OCCURRENCES
    assert days[-1] == THURSDAY + dt.timedelta(weeks=MAX_OCCURRENCES - 1)


@pytest.mark.parametrize("recurrence", [
    Recurrence(),  # neither until nor count
    Recurrence(count=3, until=D(2026, 12, 31)),  # both
    Recurrence(interval_weeks=0, count=3),
    Recurrence(interval_weeks=-1, count=3),
    Recurrence(interval_weeks=MAX_INTERVAL_WEEKS + 1, count=3),
])
def test_bad_recurrences_raise(recurrence):
    with pytest.raises(ValueError):
        series_dates(THURSDAY, recurrence)


def test_the_longest_interval_is_accepted():
    days = series_dates(THURSDAY, Recurrence(interval_weeks=MAX_INTERVAL_WEEKS, count=2))
    assert days == (THURSDAY, THURSDAY + dt.timedelta(weeks=MAX_INTERVAL_WEEKS))


@pytest.mark.parametrize("count", [0, -2])
def test_a_count_below_one_raises(count):
    with pytest.raises(ValueError):
        series_dates(THURSDAY, Recurrence(count=count))


def test_occurrences_keep_the_paris_wall_time_across_the_spring_change():
    """Clocks go forward on Sunday 29 March 2026: 14:00 stays 14:00 in Paris, which is
    13:00 UTC before and 12:00 UTC after."""
    start, end = paris(D(2026, 3, 19), 14), paris(D(2026, 3, 19), 16)
    times = occurrence_times(start, end, Recurrence(count=3))
    assert [s.date() for s, _e in times] == [D(2026, 3, 19), D(2026, 3, 26), D(2026, 4, 2)]
    for s, e in times:
        assert s.astimezone(PARIS).time() == dt.time(14, 0)
        assert e.astimezone(PARIS).time() == dt.time(16, 0)
        assert e.astimezone(UTC) - s.astimezone(UTC) == dt.timedelta(hours=2)
    assert [s.astimezone(UTC).hour for s, _e in times] == [13, 13, 12]


def test_occurrences_keep_the_paris_wall_time_across_the_autumn_change():
    """Clocks go back on Sunday 25 October 2026: 14:00 Paris is 12:00 UTC, then 13:00."""
    start, end = paris(D(2026, 10, 15), 14), paris(D(2026, 10, 15), 15, 30)
    times = occurrence_times(start, end, Recurrence(count=3))
    assert [s.astimezone(UTC).hour for s, _e in times] == [12, 12, 13]
    assert [s.astimezone(PARIS).time() for s, _e in times] == [dt.time(14, 0)] * 3
    assert all(e.astimezone(UTC) - s.astimezone(UTC) == dt.timedelta(minutes=90)
               for s, e in times)


def test_occurrences_from_a_utc_start_are_placed_at_its_paris_time():
    """The service stores UTC: a series started from a UTC datetime repeats at the Paris
    time of that instant, not at its UTC hour."""
    start = dt.datetime(2026, 3, 26, 13, 0, tzinfo=UTC)  # 14:00 Paris (winter time)
    end = start + dt.timedelta(hours=1)
    times = occurrence_times(start, end, Recurrence(count=2))
    assert times[1][0] == paris(D(2026, 4, 2), 14)
    assert times[1][0].astimezone(UTC) == dt.datetime(2026, 4, 2, 12, 0, tzinfo=UTC)


def test_occurrences_every_two_weeks_until_a_date():
    start, end = paris(D(2026, 10, 1), 9), paris(D(2026, 10, 1), 12)
    times = occurrence_times(start, end, Recurrence(interval_weeks=2, until=D(2026, 11, 12)))
    assert [s.date() for s, _e in times] == [
        D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 29), D(2026, 11, 12)]


def test_at_wall_time():
    template = dt.datetime(2026, 7, 2, 7, 30, tzinfo=UTC)  # 09:30 in Paris (summer)
    assert at_wall_time(D(2026, 12, 3), template) == paris(D(2026, 12, 3), 9, 30)
    assert at_wall_time(D(2026, 12, 3), template).astimezone(UTC).hour == 8


def test_series_plan_sorts_its_occurrences():
    free = Occurrence(paris(THURSDAY, 14), paris(THURSDAY, 16))
    closed = Occurrence(paris(D(2026, 12, 24), 14), paris(D(2026, 12, 24), 16),
                        OccurrenceState.CLOSED, "Fermeture de fin d'année")
    conflict = Occurrence(paris(D(2026, 12, 3), 14), paris(D(2026, 12, 3), 16),
                          OccurrenceState.CONFLICT, "« Conseil »", conflict_id=9)
    plan = SeriesPlan((free, conflict, closed))
    assert plan.free == (free,)
    assert plan.conflicts == (conflict,)
    assert plan.closed == (closed,)
    assert conflict.day == D(2026, 12, 3)


# --- closed days ---------------------------------------------------------------------------

SUMMER = Closure(id=1, start=D(2026, 8, 3), end=D(2026, 8, 21), label="Fermeture estivale")
YEAR_END = Closure(id=2, start=D(2026, 12, 24), end=D(2027, 1, 1),
                   label="Fermeture de fin d'année")


def test_a_closure_covers_its_days_both_ends_included():
    settings = BookingSettings()
    assert closed_reason(D(2026, 8, 3), settings, [SUMMER]) == "Fermeture estivale"
    assert closed_reason(D(2026, 8, 21), settings, [SUMMER]) == "Fermeture estivale"
    assert closed_reason(D(2026, 8, 2), settings, [SUMMER]) is None
    assert closed_reason(D(2026, 8, 24), settings, [SUMMER]) is None
    # across the new year
    assert closed_reason(D(2027, 1, 1), settings, (SUMMER, YEAR_END)) == (
        "Fermeture de fin d'année")
    assert SUMMER.covers(D(2026, 8, 10)) and not SUMMER.covers(D(2026, 9, 1))


def test_a_closure_without_a_label_is_still_a_closure():
    unnamed = Closure(id=None, start=D(2026, 11, 30), end=D(2026, 11, 30), label="")
    assert closed_reason(D(2026, 11, 30), BookingSettings(), [unnamed]) == "Fermeture"


def test_public_holidays_are_closed_days():
    settings = BookingSettings()
    assert closed_reason(D(2026, 12, 25), settings, []) == "Noël"
    assert closed_reason(D(2026, 5, 14), settings, []) == "Ascension"  # a Thursday
    assert closed_reason(D(2026, 5, 25), settings, []) == "Lundi de Pentecôte"
    assert closed_reason(D(2026, 5, 13), settings, []) is None
    # the closure's label comes first when both apply
    assert closed_reason(D(2026, 12, 25), settings, [YEAR_END]) == "Fermeture de fin d'année"


def test_public_holidays_can_be_worked():
    settings = BookingSettings(skip_public_holidays=False)
    assert closed_reason(D(2026, 12, 25), settings, []) is None
    assert closed_reason(D(2026, 5, 14), settings, []) is None
    # closures still apply
    assert closed_reason(D(2026, 12, 25), settings, [YEAR_END]) == "Fermeture de fin d'année"


def test_a_weekday_the_house_does_not_open_is_not_a_closure():
    settings = BookingSettings(weekdays=(0, 1, 2, 3, 4))
    assert closed_reason(D(2026, 11, 28), settings, []) is None  # a Saturday


def test_the_french_public_holidays_of_a_year():
    days = public_holidays(2026)
    assert len(days) == 11
    assert days[D(2026, 1, 1)] == "Jour de l'an"
    assert days[D(2026, 4, 6)] == "Lundi de Pâques"
    assert days[D(2026, 5, 14)] == "Ascension"
    assert days[D(2026, 7, 14)] == "Fête nationale"
    assert days[D(2026, 11, 11)] == "Armistice"
    assert list(days) == sorted(days)
    assert public_holidays(2027)[D(2027, 5, 6)] == "Ascension"
    # a copy: changing it changes nothing for the next caller
    days.clear()
    assert public_holidays(2026)


def test_public_holidays_are_named_in_the_session_language():
    from maison_app import i18n

    i18n.set_language("en")
    try:
        assert public_holidays(2026)[D(2026, 7, 14)] == "National Day"
        assert closed_reason(D(2026, 5, 14), BookingSettings(), []) == "Ascension Day"
    finally:
        i18n.set_language("fr")
    assert closed_reason(D(2026, 5, 14), BookingSettings(), []) == "Ascension"


def test_default_settings():
    settings = BookingSettings()
    assert (settings.opens, settings.closes) == (dt.time(8), dt.time(19))
    assert settings.weekdays == (0, 1, 2, 3, 4)
    assert settings.skip_public_holidays
    assert settings.option_days == DEFAULT_OPTION_DAYS == 7


# --- overlaps ------------------------------------------------------------------------------


def test_touching_bookings_do_not_overlap():
    day = THURSDAY
    assert not overlaps(paris(day, 10), paris(day, 12), paris(day, 12), paris(day, 14))
    assert not overlaps(paris(day, 12), paris(day, 14), paris(day, 10), paris(day, 12))


@pytest.mark.parametrize(("a", "b"), [
    ((10, 12), (11, 13)),  # the end of one, the start of the other
    ((10, 12), (9, 11)),
    ((10, 12), (10, 12)),  # the same
    ((10, 12), (10, 11)),  # inside, sharing the start
    ((9, 13), (10, 11)),  # inside
    ((10, 11), (9, 13)),  # around
])
def test_overlapping_bookings(a, b):
    day = THURSDAY
    assert overlaps(paris(day, a[0]), paris(day, a[1]), paris(day, b[0]), paris(day, b[1]))


def test_overlaps_compares_instants_whatever_the_zone():
    day = THURSDAY
    # 10:00–12:00 Paris is 09:00–11:00 UTC in November
    assert overlaps(paris(day, 10), paris(day, 12),
                    dt.datetime(2026, 11, 26, 10, 30, tzinfo=UTC),
                    dt.datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    assert not overlaps(paris(day, 10), paris(day, 12),
                        dt.datetime(2026, 11, 26, 11, 0, tzinfo=UTC),
                        dt.datetime(2026, 11, 26, 12, 0, tzinfo=UTC))


# --- days and weeks ------------------------------------------------------------------------


def test_day_bounds_of_an_ordinary_day():
    start, end = day_bounds(THURSDAY)
    assert start == paris(THURSDAY, 0)
    assert end == paris(D(2026, 11, 27), 0)
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=24)
    assert start.astimezone(UTC) == dt.datetime(2026, 11, 25, 23, 0, tzinfo=UTC)


def test_day_bounds_on_the_spring_change_last_23_hours():
    start, end = day_bounds(D(2026, 3, 29))
    assert start.astimezone(UTC) == dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=23)


def test_day_bounds_on_the_autumn_change_last_25_hours():
    start, end = day_bounds(D(2026, 10, 25))
    assert start.astimezone(UTC) == dt.datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == dt.datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=25)


def test_consecutive_day_bounds_meet():
    for day in (D(2026, 3, 28), D(2026, 3, 29), D(2026, 10, 24), D(2026, 10, 25)):
        assert day_bounds(day)[1] == day_bounds(day + dt.timedelta(days=1))[0]


@pytest.mark.parametrize(("day", "monday"), [
    (D(2026, 11, 23), D(2026, 11, 23)),  # a Monday is its own week's start
    (D(2026, 11, 26), D(2026, 11, 23)),
    (D(2026, 11, 29), D(2026, 11, 23)),  # Sunday
    (D(2026, 11, 30), D(2026, 11, 30)),
    (D(2027, 1, 1), D(2026, 12, 28)),  # across the year
    (D(2026, 3, 1), D(2026, 2, 23)),  # across the month
])
def test_week_start(day, monday):
    assert week_start(day) == monday
    assert week_start(day).weekday() == 0


# --- bookings ------------------------------------------------------------------------------


def record(start: dt.datetime, end: dt.datetime, *, status=BookingStatus.CONFIRMED,
           option_until: dt.date | None = None) -> BookingRecord:
    return BookingRecord(
        id=1, space_id=3, space_name="Salle Sèvre", start=start, end=end,
        title="Conseil d'administration SCIC", booker=Booker(organisation_id=7),
        booker_name="SCIC Réseau", attendees=9, status=status, option_until=option_until,
        notes="", price_cents=4000, price_basis=PriceBasis.HALF_DAY, member_rate=True,
        override_reason="", series_id=None)


def test_a_booking_knows_its_paris_day_and_length():
    booking = record(paris(THURSDAY, 14), paris(THURSDAY, 16, 30))
    assert booking.day == THURSDAY
    assert booking.minutes == 150
    # stored in UTC: late evening in Paris is the next UTC day, and the other way round
    late = record(dt.datetime(2026, 11, 25, 23, 30, tzinfo=UTC),
                  dt.datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    assert late.day == THURSDAY
    assert late.minutes == 90


def test_a_booking_across_the_clock_change_lasts_its_real_time():
    autumn = record(paris(D(2026, 10, 25), 1), paris(D(2026, 10, 25), 4))
    assert autumn.minutes == 240
    spring = record(paris(D(2026, 3, 29), 1), paris(D(2026, 3, 29), 4))
    assert spring.minutes == 120


def test_an_option_holds_the_room_until_its_expiry_day_included():
    option = record(paris(THURSDAY, 14), paris(THURSDAY, 16), status=BookingStatus.OPTION,
                    option_until=D(2026, 11, 30))
    assert not option.expired(D(2026, 11, 30))
    assert option.holds_room(D(2026, 11, 30))
    assert option.expired(D(2026, 12, 1))
    assert not option.holds_room(D(2026, 12, 1))


def test_an_option_without_a_date_and_a_confirmed_booking_never_expire():
    option = record(paris(THURSDAY, 14), paris(THURSDAY, 16), status=BookingStatus.OPTION)
    confirmed = record(paris(THURSDAY, 14), paris(THURSDAY, 16))
    far = D(2030, 1, 1)
    assert not option.expired(far) and option.holds_room(far)
    assert not confirmed.expired(far) and confirmed.holds_room(far)
    # a confirmed booking that kept an old option date does not expire either
    kept = replace(confirmed, option_until=D(2026, 11, 1))
    assert not kept.expired(far) and kept.holds_room(far)


def test_a_cancelled_booking_holds_nothing():
    cancelled = record(paris(THURSDAY, 14), paris(THURSDAY, 16),
                       status=BookingStatus.CANCELLED)
    assert not cancelled.expired(THURSDAY)
    assert not cancelled.holds_room(THURSDAY)


def test_who_booked():
    assert Booker(contact_name="Association Vélo Niort").outside
    assert not Booker(organisation_id=3).outside
    assert not Booker(person_id=5).outside
