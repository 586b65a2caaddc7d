"""Workshops and attendance: the records the area returns and its pure rules — the hours of
a half-day, the hours a participant attended, the waiting list's order, the attendance rate.

A workshop (« École de l'entrepreneur collectif », « Circuits courts »…) belongs to one of the
PTCE's four axes and has sessions. A session takes place in one room over one or more
half-days (a morning and/or an afternoon, possibly on several dates), each with its start and
end time; scheduling a session books its room for each half-day (room bookings, #7).
People register to a session: a member or anyone of the house (a person record), or an
outsider with just a name and an e-mail. Beyond the capacity they wait, in order, and the
first one waiting takes a place that frees. Attendance is recorded per participant and per
half-day; the hours attended are the sum of the half-days attended. Money is in cents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from maison_app.domain.enums import HalfDayPart, RegistrationStatus, WorkshopAxis

MAX_HALF_DAYS = 20  # a session of ten days at most
NOON = dt.time(13, 0)  # before: the morning; from then: the afternoon (reception check-in)
DEFAULT_TIMES = {HalfDayPart.MORNING: (dt.time(9, 0), dt.time(12, 30)),
                 HalfDayPart.AFTERNOON: (dt.time(13, 30), dt.time(17, 0))}


@dataclass(frozen=True, slots=True)
class Facilitator:
    """Who runs a workshop: a person or an organisation of the house, or just a name
    (an outside trainer)."""

    person_id: int | None = None
    organisation_id: int | None = None
    name: str = ""  # the outside trainer's name; filled by the service with the record's name


@dataclass(frozen=True, slots=True)
class WorkshopRecord:
    id: int | None  # None: a new workshop
    title: str  # the exact title, printed on the sign-in sheet and the certificates
    axis: WorkshopAxis
    description: str = ""
    facilitator: Facilitator = Facilitator()
    capacity: int = 12  # places per session (a session's room may hold fewer)
    price_cents: int = 0  # per participant; 0: free
    nature: str = ""  # the nature of the action on the certificate (default from the service)
    active: bool = True
    sessions: int = 0  # how many sessions it has (read-only)


@dataclass(frozen=True, slots=True)
class HalfDay:
    id: int | None  # None: a new half-day of a session being saved
    day: dt.date
    part: HalfDayPart
    start: dt.time
    end: dt.time
    booking_id: int | None = None  # the room booking made for it

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


def half_day_minutes(half_days: Iterable[HalfDay]) -> int:
    return sum(h.minutes for h in half_days)


def hours_text_value(minutes: int) -> float:
    """Minutes as decimal hours (3 h 30 → 3.5), for figures and CSV."""
    return round(minutes / 60, 2)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int | None  # None: a new session
    workshop_id: int
    space_id: int | None  # the room; None: outside the house (no booking)
    half_days: tuple[HalfDay, ...]  # in date and part order
    place: str = ""  # where, when not in one of the house's rooms
    notes: str = ""
    # read-only, filled by the service
    workshop_title: str = ""
    axis: WorkshopAxis | None = None
    space_name: str = ""
    capacity: int = 0
    registered: int = 0
    waiting: int = 0
    attendance_recorded: bool = False

    @property
    def first_day(self) -> dt.date:
        return self.half_days[0].day

    @property
    def last_day(self) -> dt.date:
        return self.half_days[-1].day

    @property
    def minutes(self) -> int:
        return half_day_minutes(self.half_days)

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.registered)


@dataclass(frozen=True, slots=True)
class RegistrationRecord:
    id: int | None  # None: a new registration
    session_id: int
    person_id: int | None = None  # a person of the house…
    name: str = ""  # …or an outsider: a name…
    email: str = ""  # …and an e-mail
    status: RegistrationStatus = RegistrationStatus.REGISTERED
    position: int | None = None  # on the waiting list: 1 is the next to get a place
    walk_in: bool = False  # added on the day at the attendance screen
    registered_at: dt.datetime | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class AttendanceSheet:
    """A session's attendance: one row per participant (registered or walk-in), and for each
    half-day whether they were there."""

    session: SessionRecord
    participants: tuple[RegistrationRecord, ...]  # registered ones, by name
    present: Mapping[tuple[int, int], bool]  # (registration id, half-day id) → present
    # registration id → the person's organisation on the session's first day, or the
    # e-mail (a person of the house without one, an outsider)
    details: Mapping[int, str] = field(default_factory=dict)

    def is_present(self, registration_id: int, half_day_id: int) -> bool:
        return bool(self.present.get((registration_id, half_day_id), False))

    def minutes_of(self, registration_id: int) -> int:
        return attended_minutes(self.session.half_days, registration_id, self.present)


def attended_minutes(half_days: Iterable[HalfDay], registration_id: int,
                     present: Mapping[tuple[int, int], bool]) -> int:
    """The minutes a participant attended: the half-days they were present for."""
    return sum(h.minutes for h in half_days
               if h.id is not None and present.get((registration_id, h.id), False))


def attendance_rate(sheet: AttendanceSheet) -> float | None:
    """Present participant-half-days over expected ones (None when nobody is registered)."""
    expected = len(sheet.participants) * len(sheet.session.half_days)
    if expected == 0:
        return None
    done = sum(1 for r in sheet.participants for h in sheet.session.half_days
               if r.id is not None and h.id is not None and sheet.is_present(r.id, h.id))
    return done / expected


def current_part(moment: dt.time) -> HalfDayPart:
    return HalfDayPart.MORNING if moment < NOON else HalfDayPart.AFTERNOON


@dataclass(frozen=True, slots=True)
class CertificateData:
    """What an attestation de présence / certificat de réalisation carries for one
    participant of one session."""

    participant: str  # the participant's name
    participant_lines: tuple[str, ...]  # organisation, e-mail… as available
    title: str  # the workshop's exact title
    nature: str  # the nature of the action
    axis: WorkshopAxis
    facilitator: str
    place: str  # the room and the house's address
    half_days: tuple[HalfDay, ...]  # the session's half-days
    attended: tuple[int, ...]  # ids of the half-days attended
    minutes_attended: int
    minutes_planned: int


@dataclass(frozen=True, slots=True)
class SignInSheetData:
    """What a feuille d'émargement carries: the session and its participants."""

    title: str
    nature: str
    axis: WorkshopAxis
    facilitator: str
    place: str
    half_days: tuple[HalfDay, ...]
    participants: tuple[tuple[str, str], ...]  # (name, organisation or "") by name


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One line of the figures funders ask for."""

    key: str  # the person's name, the axis' label or the workshop's title
    participants: int  # distinct participants
    sessions: int
    minutes_attended: int
    attendance_rate: float | None  # present half-days / expected ones


@dataclass(frozen=True, slots=True)
class WorkshopFigures:
    start: dt.date
    end: dt.date  # included
    by_person: tuple[FigureRow, ...]
    by_axis: tuple[FigureRow, ...]
    by_workshop: tuple[FigureRow, ...]
    total: FigureRow
