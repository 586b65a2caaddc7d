"""Room bookings: the records the area returns and its pure rules — the price of a booking
from the room's rates, the days the house is closed (closures from the settings and French
public holidays), the occurrences of a recurring series, and overlaps.

Times are aware datetimes. The service stores them in UTC and returns them in Europe/Paris;
a series repeats at the same wall-clock time in Paris, across daylight-saving changes (a
weekly 14:00 stays at 14:00 in March and in October). A booking is a half-open interval
[start, end): one that ends at 12:00 and one that starts at 12:00 do not overlap. A booking
lies within one day. Money is in cents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays as _holidays

from maison_app.domain.enums import BookingStatus, OccurrenceState, PriceBasis
from maison_app.domain.spaces import Rates
from maison_app.i18n import PARIS, _, current_language

HALF_DAY_MINUTES = 4 * 60  # up to 4 hours is a half-day
DEFAULT_OPTION_DAYS = 7  # an option expires after so many days unless given a date
MAX_OCCURRENCES = 200  # a series is at most this long (about four years of weeks)
MAX_INTERVAL_WEEKS = 52
SLOT_MINUTES = 15  # the calendar's grid; the service accepts any minute


# --- settings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Closure:
    """The house closed from `start` to `end` (both included): summer break, Christmas…"""

    id: int | None  # None: a new closure
    start: dt.date
    end: dt.date
    label: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class BookingSettings:
    """Opening hours and booking rules, from Paramètres › Réservations."""

    opens: dt.time = dt.time(8, 0)
    closes: dt.time = dt.time(19, 0)
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0; the days the house opens
    skip_public_holidays: bool = True  # French public holidays (métropole) are closed days
    option_days: int = DEFAULT_OPTION_DAYS  # an option's default lifetime
    conditions: str = ""  # printed on the confirmation (cancellation, cleaning, keys…)


def public_holidays(year: int) -> dict[dt.date, str]:
    """The French public holidays (métropole) of `year`, named in the language of the
    session (French, or English with --lang en)."""
    return dict(_french_holidays(year, _holiday_language()))


def _holiday_language() -> str:
    return "en_US" if current_language() == "en" else "fr"


@lru_cache(maxsize=64)
def _holiday_names(year: int, language: str) -> dict[dt.date, str]:
    return dict(_french_holidays(year, language))


@lru_cache(maxsize=64)
def _french_holidays(year: int, language: str) -> tuple[tuple[dt.date, str], ...]:
    days = _holidays.country_holidays("FR", years=year, language=language)
    return tuple(sorted(days.items()))


def closed_reason(day: dt.date, settings: BookingSettings, closures: tuple[Closure, ...] | list[Closure]
                  ) -> str | None:
    """Why the house is closed on `day` (a closure's label, a public holiday's name), or
    None when it is open. A weekday the house does not open is not a closure: rooms may be
    booked on a Saturday for an event; the calendar only greys it."""
    for closure in closures:
        if closure.covers(day):
            return closure.label or _("Fermeture")
    if settings.skip_public_holidays:
        return _holiday_names(day.year, _holiday_language()).get(day)
    return None


# --- who books -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Booker:
    """Who booked: a person or an organisation of the house, or an outside contact (a name,
    and an e-mail or a phone number)."""

    organisation_id: int | None = None
    person_id: int | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""

    @property
    def outside(self) -> bool:
        return self.organisation_id is None and self.person_id is None


# --- bookings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BookingDraft:
    """A booking as a form fills it, before the service checks and writes it."""

    space_id: int
    start: dt.datetime  # aware
    end: dt.datetime  # aware, after start, the same day in Paris
    title: str
    booker: Booker
    attendees: int = 1
    status: BookingStatus = BookingStatus.CONFIRMED  # OPTION or CONFIRMED
    option_until: dt.date | None = None  # an option's expiry (default: settings.option_days)
    notes: str = ""
    price_override_cents: int | None = None  # a manual price…
    override_reason: str = ""  # …needs a reason


@dataclass(frozen=True, slots=True)
class Quote:
    """The price of a booking, shown before saving."""

    price_cents: int  # what will be charged (the override when there is one)
    basis: PriceBasis
    member_rate: bool  # the member (adhérent) rates apply
    computed_cents: int  # what the rates give, before any override
    explanation: str  # "3 h au tarif demi-journée adhérent : 40,00 €"
    warnings: tuple[str, ...] = ()  # outside opening hours, on a day the house does not open…


@dataclass(frozen=True, slots=True)
class BookingRecord:
    id: int
    space_id: int
    space_name: str
    start: dt.datetime  # aware, Europe/Paris
    end: dt.datetime
    title: str
    booker: Booker
    booker_name: str  # the organisation's, the person's or the contact's name
    attendees: int
    status: BookingStatus
    option_until: dt.date | None
    notes: str
    price_cents: int
    price_basis: PriceBasis
    member_rate: bool
    override_reason: str
    series_id: int | None
    cancel_reason: str = ""
    document_id: int | None = None  # the archived confirmation, once printed

    @property
    def day(self) -> dt.date:
        return self.start.astimezone(PARIS).date()

    @property
    def minutes(self) -> int:
        # in UTC: on the nights the clocks change, wall-clock subtraction is an hour off
        return int((self.end.astimezone(dt.UTC) - self.start.astimezone(dt.UTC)).total_seconds()
                   // 60)

    def expired(self, today: dt.date) -> bool:
        """An option past its expiry date no longer holds the room."""
        return (self.status is BookingStatus.OPTION and self.option_until is not None
                and self.option_until < today)

    def holds_room(self, today: dt.date) -> bool:
        return self.status is not BookingStatus.CANCELLED and not self.expired(today)


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime,
             b_end: dt.datetime) -> bool:
    """Half-open intervals: touching ends do not overlap."""
    return a_start < b_end and b_start < a_end


# --- price -----------------------------------------------------------------------------------


def compute_price(minutes: int, rates: Rates, *, member: bool) -> tuple[int, PriceBasis, int | None]:
    """The cheapest of the room's rates for a booking of `minutes`: (price in cents, basis,
    the rate used in cents).

    The hour rate counts started half-hours (1 h 10 is 1 h 30); the half-day rate counts
    started half-days of 4 hours; the day rate covers one day. A rate the room does not
    offer to this audience (None) is skipped; with none at all the booking is free."""
    if minutes <= 0:
        raise ValueError("minutes must be positive")
    hour = rates.hour_member if member else rates.hour_public
    half = rates.half_day_member if member else rates.half_day_public
    day = rates.day_member if member else rates.day_public
    candidates: list[tuple[int, int, PriceBasis, int]] = []  # price, preference, basis, rate
    if hour is not None:
        half_hours = -(-minutes // 30)
        candidates.append(((hour * half_hours + 1) // 2, 0, PriceBasis.HOUR, hour))
    if half is not None:
        candidates.append((half * -(-minutes // HALF_DAY_MINUTES), 1, PriceBasis.HALF_DAY, half))
    if day is not None:
        candidates.append((day, 2, PriceBasis.DAY, day))
    if not candidates:
        return 0, PriceBasis.FREE, None
    price, _pref, basis, rate = min(candidates)
    return price, basis, rate


# --- recurring series ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recurrence:
    """Every `interval_weeks` weeks, until a date (included) or for a number of occurrences
    (the first one included): exactly one of `until` and `count`."""

    interval_weeks: int = 1
    until: dt.date | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: dt.datetime  # aware, Europe/Paris
    end: dt.datetime
    state: OccurrenceState = OccurrenceState.FREE
    reason: str = ""  # the closure or holiday, or the booking in the way
    conflict_id: int | None = None  # the booking in the way

    @property
    def day(self) -> dt.date:
        return self.start.astimezone(PARIS).date()


@dataclass(frozen=True, slots=True)
class SeriesPlan:
    """What a series would book: each occurrence, free, skipped (closed) or in conflict."""

    occurrences: tuple[Occurrence, ...]

    @property
    def free(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.state is OccurrenceState.FREE)

    @property
    def conflicts(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.state is OccurrenceState.CONFLICT)

    @property
    def closed(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.state is OccurrenceState.CLOSED)


@dataclass(frozen=True, slots=True)
class SeriesResult:
    series_id: int
    created: tuple[int, ...]  # the booking ids, in date order
    skipped: tuple[Occurrence, ...] = field(default=())  # closed days and conflicts left out


def series_dates(first: dt.date, recurrence: Recurrence) -> tuple[dt.date, ...]:
    """The days of a series: `first`, then every `interval_weeks` weeks, until the date or
    for the count (closed days are counted: a series "for 10 weeks" covers 10 weeks)."""
    if not 1 <= recurrence.interval_weeks <= MAX_INTERVAL_WEEKS:
        raise ValueError("interval_weeks out of range")
    if (recurrence.until is None) == (recurrence.count is None):
        raise ValueError("exactly one of until and count")
    if recurrence.count is not None and recurrence.count < 1:
        raise ValueError("count must be positive")
    step = dt.timedelta(weeks=recurrence.interval_weeks)
    days: list[dt.date] = []
    day = first
    while len(days) < MAX_OCCURRENCES:
        if recurrence.until is not None and day > recurrence.until:
            break
        if recurrence.count is not None and len(days) >= recurrence.count:
            break
        days.append(day)
        day += step
    return tuple(days)


def at_wall_time(day: dt.date, template: dt.datetime) -> dt.datetime:
    """`day` at the Paris wall-clock time of `template` (14:00 stays 14:00 across DST)."""
    local = template.astimezone(PARIS)
    return dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=PARIS)


def occurrence_times(start: dt.datetime, end: dt.datetime, recurrence: Recurrence
                     ) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """(start, end) of each occurrence of a series whose first booking is start–end."""
    first = start.astimezone(PARIS).date()
    return tuple((at_wall_time(day, start), at_wall_time(day, end))
                 for day in series_dates(first, recurrence))


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight in Paris (23 or 25 hours on the days the clocks change)."""
    return (dt.datetime.combine(day, dt.time(0), tzinfo=PARIS),
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=PARIS))
