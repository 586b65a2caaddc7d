"""Workshops and attendance (« Ateliers »): workshops on the PTCE's four axes, their sessions
of one or more half-days, registrations with the waiting list, attendance per half-day, the
sign-in sheet and the attendance certificates, the figures funders ask for.

Scheduling a session books its room for each half-day in the unit of work that writes the
session, through the bookings module (`book_in_session` / `cancel_in_session`): the room is
locked and a booking in the way refuses the whole session, naming it. Registering locks the
session's row (SQLite's writing unit is BEGIN IMMEDIATE already; PostgreSQL takes
SELECT … FOR UPDATE) before counting the places, so that two desks registering for the last
place at once give it to one and put the other on the waiting list. A cancellation
promotes the first one waiting in the same unit of work.

Half-days are Paris wall-clock times on a date; durations are counted in minutes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from maison_app.db.bookings import Booking
from maison_app.db.models import Affiliation, Organisation, Person
from maison_app.db.spaces import Space
from maison_app.db.workshops import (
    Attendance,
    Registration,
    SessionHalfDay,
    Workshop,
    WorkshopSession,
)
from maison_app.domain.bookings import Booker, BookingDraft, closed_reason
from maison_app.domain.enums import (
    BookingStatus,
    DocumentKind,
    HalfDayPart,
    RegistrationStatus,
    SpaceKind,
    WorkshopAxis,
)
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.privacy import ANONYMOUS_NAME
from maison_app.domain.records import DocumentRecord, MaisonIdentity
from maison_app.domain.text import full_name, search_key, search_terms
from maison_app.domain.validation import check_email
from maison_app.domain.workshops import (
    MAX_HALF_DAYS,
    NOON,
    AttendanceSheet,
    CertificateData,
    Facilitator,
    FigureRow,
    HalfDay,
    RegistrationRecord,
    SessionRecord,
    SignInSheetData,
    WorkshopFigures,
    WorkshopRecord,
    attended_minutes,
    current_part,
)
from maison_app.i18n import PARIS, _, format_date, ngettext
from maison_app.services.bookings import (
    _BOOKABLE,
    _closures,
    _read_settings,
    book_in_session,
    cancel_in_session,
)
from maison_app.services.bookings import MAX_TITLE_LENGTH as MAX_BOOKING_TITLE
from maison_app.services.context import ServiceContext
from maison_app.services.documents import DocumentService
from maison_app.services.permissions import requires
from maison_app.services.privacy import ERASED_EMAIL_KEY, PersonalDataArea, register
from maison_app.services.settings import SettingsService

MAX_TITLE_LENGTH = 200
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
MAX_PLACE_LENGTH = 200
MAX_NATURE_LENGTH = 200
MAX_TEXT_LENGTH = 5_000
MIN_CAPACITY, MAX_CAPACITY = 1, 500
MAX_PRICE_CENTS = 100_000_00  # 100,000 €: beyond that, a typing mistake
LATEST_MORNING_START = NOON  # a morning starts before 13:00…
EARLIEST_AFTERNOON_END = dt.time(12, 0)  # …and an afternoon ends after 12:00
_PART_ORDER = {HalfDayPart.MORNING: 0, HalfDayPart.AFTERNOON: 1}


def default_nature() -> str:
    """The nature of the action printed on the certificates when none is given."""
    return _("Action de formation")


# --- texts ------------------------------------------------------------------------------------


def _clean_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _clean_text(value: str | None) -> str:
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _clock(t: dt.time) -> str:
    """"9 h 00"."""
    return _("{h} h {m:02d}").format(h=t.hour, m=t.minute)


def _describe_half_day(h: HalfDay) -> str:
    """"jeudi 3 décembre 2026, matin (9 h 00 – 12 h 30)"."""
    return _("{date}, {part} ({start} – {end})").format(
        date=format_date(h.day, "full"), part=h.part.label.lower(), start=_clock(h.start),
        end=_clock(h.end))


def _hours_csv(minutes: int) -> str:
    """Minutes as decimal hours with a comma: 210 → "3,5", 420 → "7"."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _rate_csv(rate: float | None) -> str:
    if rate is None:
        return ""
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")


# --- records ----------------------------------------------------------------------------------


def _at(day: dt.date, t: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=PARIS)


def _half_day(h: SessionHalfDay) -> HalfDay:
    return HalfDay(id=h.id, day=h.day, part=HalfDayPart(h.part), start=h.start, end=h.end,
                   booking_id=h.booking_id)


def _order(h: HalfDay) -> tuple[dt.date, int]:
    return h.day, _PART_ORDER[h.part]


def _half_days_of(s: Session, session_ids: Iterable[int]) -> dict[int, tuple[HalfDay, ...]]:
    ids = list(set(session_ids))
    found: dict[int, list[HalfDay]] = {i: [] for i in ids}
    if ids:
        for h in s.scalars(select(SessionHalfDay).where(SessionHalfDay.session_id.in_(ids))):
            found[h.session_id].append(_half_day(h))
    return {i: tuple(sorted(hs, key=_order)) for i, hs in found.items()}


def _facilitator_name(person_id, first, last, org_id, org_name, name) -> str:
    if person_id is not None:
        return full_name(first, last)
    if org_id is not None:
        return org_name or ""
    return name or ""


def _session_records(s: Session, *where) -> list[SessionRecord]:
    """The sessions matching `where`, with their workshop's title, axis and capacity, the
    room's name, the half-days and the counts (a few queries, whatever their number); by
    first day, then start, then id."""
    rows = s.execute(
        select(WorkshopSession, Workshop.title, Workshop.axis, Workshop.capacity, Space.name)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .outerjoin(Space, Space.id == WorkshopSession.space_id)
        .where(*where)).all()
    ids = [row[0].id for row in rows]
    half_days = _half_days_of(s, ids)
    counts: dict[tuple[int, RegistrationStatus], int] = {}
    if ids:
        for sid, status, n in s.execute(
                select(Registration.session_id, Registration.status, func.count())
                .where(Registration.session_id.in_(ids))
                .group_by(Registration.session_id, Registration.status)):
            counts[(sid, RegistrationStatus(status))] = n
    records = []
    for ws, title, axis, capacity, space_name in rows:
        records.append(SessionRecord(
            id=ws.id, workshop_id=ws.workshop_id, space_id=ws.space_id,
            half_days=half_days.get(ws.id, ()), place=ws.place or "", notes=ws.notes or "",
            workshop_title=title, axis=WorkshopAxis(axis), space_name=space_name or "",
            capacity=capacity,
            registered=counts.get((ws.id, RegistrationStatus.REGISTERED), 0),
            waiting=counts.get((ws.id, RegistrationStatus.WAITING), 0),
            attendance_recorded=ws.attendance_recorded_at is not None))
    records.sort(key=lambda r: (r.half_days[0].day, r.half_days[0].start, r.id) if r.half_days
                 else (dt.date.max, dt.time(0), r.id))
    return records


def _registration(r: Registration, first: str | None, last: str | None,
                  person_email: str | None) -> RegistrationRecord:
    if r.person_id is not None:
        name, email = full_name(first, last), person_email or ""
    else:
        name, email = r.name or "", r.email or ""
        if not name:  # an outsider erased at their request
            name = ANONYMOUS_NAME
    return RegistrationRecord(
        id=r.id, session_id=r.session_id, person_id=r.person_id, name=name, email=email,
        status=RegistrationStatus(r.status), position=r.position, walk_in=bool(r.walk_in),
        registered_at=r.registered_at, notes=r.notes or "")


def _name_key(sort_key: str | None, r: Registration) -> str:
    """The order of names on lists and sheets: by last name. A person of the house has
    their record's key ("lefevre helene"); an outsider's name is taken as first names then
    the last name ("Jeanne Martin" → "martin jeanne"); anonymised ones come last."""
    if r.person_id is not None:
        return sort_key or "~"
    words = search_key(r.name).split()
    return " ".join(words[-1:] + words[:-1]) if words else "~"


def _registrations(s: Session, *where) -> list[RegistrationRecord]:
    """The registrations matching `where`, with the names of people of the house, by name
    (last name first)."""
    rows = s.execute(select(Registration, Person.first_name, Person.last_name, Person.email,
                            Person.sort_key)
                     .outerjoin(Person, Person.id == Registration.person_id).where(*where))
    keyed = [(_name_key(sort_key, r), r.id, _registration(r, first, last, email))
             for r, first, last, email, sort_key in rows]
    return [record for _k, _i, record in sorted(keyed, key=lambda x: (x[0], x[1]))]


def _by_name(records: Iterable[RegistrationRecord]) -> list[RegistrationRecord]:
    """Records from `_registrations` are in name order already."""
    return list(records)


def _listed(records: Iterable[RegistrationRecord]) -> list[RegistrationRecord]:
    """Registered ones by name, then the waiting list by position, then cancelled ones."""
    records = list(records)
    registered = _by_name(r for r in records if r.status is RegistrationStatus.REGISTERED)
    waiting = sorted((r for r in records if r.status is RegistrationStatus.WAITING),
                     key=lambda r: (r.position or 0, r.id))
    cancelled = sorted((r for r in records if r.status is RegistrationStatus.CANCELLED),
                       key=lambda r: r.id)
    return registered + waiting + cancelled


def _participant_key(r: RegistrationRecord) -> tuple[str, object]:
    """Who a registration is, to count people once: the person, or the outsider's e-mail
    (or name); an outsider erased is nobody else."""
    if r.person_id is not None:
        return "p", r.person_id
    if r.email:
        return "e", r.email.strip().lower()
    if r.name and r.name != ANONYMOUS_NAME:
        return "n", search_key(r.name)
    return "r", r.id


def _organisations_of(s: Session, person_ids: Iterable[int], day: dt.date) -> dict[int, str]:
    """Each person's organisation on `day` (the first by name when several)."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    out: dict[int, str] = {}
    for pid, name in s.execute(
            select(Affiliation.person_id, Organisation.name)
            .join(Organisation, Organisation.id == Affiliation.organisation_id)
            .where(Affiliation.person_id.in_(ids),
                   or_(Affiliation.since.is_(None), Affiliation.since <= day),
                   or_(Affiliation.until.is_(None), Affiliation.until >= day))
            .order_by(Organisation.name)):
        out.setdefault(pid, name)
    return out


def _present_pairs(s: Session, half_day_ids: Iterable[int]) -> dict[tuple[int, int], bool]:
    ids = list(set(half_day_ids))
    if not ids:
        return {}
    return {(a.registration_id, a.half_day_id): bool(a.present)
            for a in s.scalars(select(Attendance).where(Attendance.half_day_id.in_(ids)))}


def _place(record: SessionRecord, identity: MaisonIdentity) -> str:
    """Where the session takes place, as printed: the room and the house's address, or the
    place given."""
    if record.space_id is None:
        return record.place
    return ", ".join(p for p in (record.space_name, identity.name, identity.address_line) if p)


# --- checks -----------------------------------------------------------------------------------


def _check_half_days(half_days: Sequence[HalfDay]) -> tuple[HalfDay, ...]:
    if not half_days:
        raise ValidationError(_("Une séance compte au moins une demi-journée."),
                              field="half_days")
    if len(half_days) > MAX_HALF_DAYS:
        raise ValidationError(_("Une séance compte {n} demi-journées au plus.").format(
            n=MAX_HALF_DAYS), field="half_days")
    cleaned = []
    for h in half_days:
        if not isinstance(h.day, dt.date) or isinstance(h.day, dt.datetime):
            raise ValidationError(_("Indiquez la date de chaque demi-journée."),
                                  field="half_days")
        try:
            part = HalfDayPart(h.part)
        except ValueError:
            raise ValidationError(_("Une demi-journée est un matin ou un après-midi."),
                                  field="half_days") from None
        if not isinstance(h.start, dt.time) or not isinstance(h.end, dt.time):
            raise ValidationError(_("Indiquez l'heure de début et de fin de chaque "
                                    "demi-journée."), field="half_days")
        start, end = h.start.replace(second=0, microsecond=0, tzinfo=None), \
            h.end.replace(second=0, microsecond=0, tzinfo=None)
        one = HalfDay(id=h.id, day=h.day, part=part, start=start, end=end,
                      booking_id=h.booking_id)
        when = _("{date}, {part}").format(date=format_date(h.day, "full"),
                                          part=part.label.lower())
        if end <= start:
            raise ValidationError(_("{when} : la fin doit venir après le début.").format(
                when=when), field="half_days")
        if part is HalfDayPart.MORNING and start >= LATEST_MORNING_START:
            raise ValidationError(_("{when} : un matin commence avant {time}.").format(
                when=when, time=_clock(LATEST_MORNING_START)), field="half_days")
        if part is HalfDayPart.AFTERNOON and end <= EARLIEST_AFTERNOON_END:
            raise ValidationError(_("{when} : un après-midi finit après {time}.").format(
                when=when, time=_clock(EARLIEST_AFTERNOON_END)), field="half_days")
        cleaned.append(one)
    cleaned.sort(key=_order)
    for a, b in pairwise(cleaned):
        if (a.day, a.part) == (b.day, b.part):
            raise ValidationError(_("Le {date}, {part} figure deux fois dans la séance.").format(
                date=format_date(a.day, "full"), part=a.part.label.lower()),
                field="half_days")
        if a.day == b.day and a.end > b.start:
            raise ValidationError(_("Le {date}, le matin finit après le début de l'après-midi "
                                    "({end} > {start}).").format(
                date=format_date(a.day, "full"), end=_clock(a.end), start=_clock(b.start)),
                field="half_days")
    return tuple(cleaned)


def _check_person(s: Session, person_id: int) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(_("Cette personne n'existe plus dans la base."))
    return person


# --- figures ----------------------------------------------------------------------------------


@dataclass
class _Tally:
    """What one line of the figures adds up."""

    participants: set = field(default_factory=set)
    sessions: set = field(default_factory=set)
    minutes: int = 0
    present: int = 0  # present half-days, in the sessions with recorded attendance
    expected: int = 0  # participants × half-days of those sessions

    def row(self, key: str) -> FigureRow:
        return FigureRow(key=key, participants=len(self.participants),
                         sessions=len(self.sessions), minutes_attended=self.minutes,
                         attendance_rate=self.present / self.expected if self.expected else None)


# --- the service --------------------------------------------------------------------------------


class WorkshopsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> dt.date:
        return self.ctx.now().astimezone(PARIS).date()

    @staticmethod
    def _workshop_row(s: Session, workshop_id: int, *, lock: bool = False) -> Workshop:
        w = s.get(Workshop, workshop_id, with_for_update=True if lock else None)
        if w is None:
            raise NotFound(_("Cet atelier n'existe plus."))
        return w

    @staticmethod
    def _session_row(s: Session, session_id: int, *, lock: bool = False) -> WorkshopSession:
        ws = s.get(WorkshopSession, session_id, with_for_update=True if lock else None,
                   populate_existing=lock)
        if ws is None:
            raise NotFound(_("Cette séance n'existe plus."))
        return ws

    @staticmethod
    def _session_record(s: Session, session_id: int) -> SessionRecord:
        found = _session_records(s, WorkshopSession.id == session_id)
        if not found:
            raise NotFound(_("Cette séance n'existe plus."))
        return found[0]

    @staticmethod
    def _registration_row(s: Session, registration_id: int, *, lock: bool = False
                          ) -> Registration:
        r = s.get(Registration, registration_id, with_for_update=True if lock else None,
                  populate_existing=lock)
        if r is None:
            raise NotFound(_("Cette inscription n'existe plus."))
        return r

    def _over(self, record: SessionRecord) -> bool:
        """The session's last half-day has ended."""
        last = record.half_days[-1]
        return _at(last.day, last.end) <= self.ctx.now()

    # --- workshops ------------------------------------------------------------------------------

    @staticmethod
    def _workshop_records(s: Session, *where) -> list[WorkshopRecord]:
        counts = (select(WorkshopSession.workshop_id, func.count().label("n"))
                  .group_by(WorkshopSession.workshop_id).subquery())
        rows = s.execute(
            select(Workshop, Person.first_name, Person.last_name, Organisation.name, counts.c.n)
            .outerjoin(Person, Person.id == Workshop.facilitator_person_id)
            .outerjoin(Organisation, Organisation.id == Workshop.facilitator_organisation_id)
            .outerjoin(counts, counts.c.workshop_id == Workshop.id)
            .where(*where))
        out = []
        for w, first, last, org_name, n in rows:
            name = _facilitator_name(w.facilitator_person_id, first, last,
                                     w.facilitator_organisation_id, org_name, w.facilitator_name)
            out.append(WorkshopRecord(
                id=w.id, title=w.title, axis=WorkshopAxis(w.axis), description=w.description or "",
                facilitator=Facilitator(person_id=w.facilitator_person_id,
                                        organisation_id=w.facilitator_organisation_id,
                                        name=name),
                capacity=w.capacity, price_cents=w.price_cents, nature=w.nature or "",
                active=bool(w.active), sessions=n or 0))
        return out

    @requires(Area.WORKSHOPS, Access.READ)
    def workshops(self, *, query: str = "", axis: WorkshopAxis | None = None,
                  active_only: bool = True) -> tuple[WorkshopRecord, ...]:
        """The workshops by title; `query` looks for every word typed in the title and the
        facilitator's name (case and accents do not matter)."""
        where = []
        if axis is not None:
            where.append(Workshop.axis == WorkshopAxis(axis))
        if active_only:
            where.append(Workshop.active.is_(True))
        terms = search_terms(query)
        with self.ctx.reading() as s:
            records = self._workshop_records(s, *where)
        if terms:
            records = [r for r in records
                       if all(t in search_key(r.title, r.facilitator.name) for t in terms)]
        return tuple(sorted(records, key=lambda r: (search_key(r.title), r.id)))

    @requires(Area.WORKSHOPS, Access.READ)
    def workshop(self, *, workshop_id: int) -> WorkshopRecord:
        with self.ctx.reading() as s:
            found = self._workshop_records(s, Workshop.id == workshop_id)
        if not found:
            raise NotFound(_("Cet atelier n'existe plus."))
        return found[0]

    @requires(Area.WORKSHOPS, Access.WRITE)
    def save_workshop(self, record: WorkshopRecord) -> int:
        """Create (`record.id` None) or update a workshop. A larger capacity gives the
        places it opens in the sessions to come to the first ones waiting."""
        title = _clean_line(record.title)
        if not title:
            raise ValidationError(_("Donnez le titre exact de l'atelier (il figure sur la "
                                    "feuille d'émargement et les attestations)."), field="title")
        if len(title) > MAX_TITLE_LENGTH:
            raise ValidationError(_("Ce titre est trop long ({n} caractères au plus).").format(
                n=MAX_TITLE_LENGTH), field="title")
        try:
            axis = WorkshopAxis(record.axis)
        except ValueError:
            raise ValidationError(_("Choisissez l'axe du PTCE auquel l'atelier se rattache."),
                                  field="axis") from None
        capacity = record.capacity
        if not isinstance(capacity, int) or isinstance(capacity, bool) \
                or not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
            raise ValidationError(_("Le nombre de places se compte de {lo} à {hi}.").format(
                lo=MIN_CAPACITY, hi=MAX_CAPACITY), field="capacity")
        price = record.price_cents
        if not isinstance(price, int) or isinstance(price, bool) \
                or not 0 <= price <= MAX_PRICE_CENTS:
            raise ValidationError(_("Le prix se compte en euros, de 0 (gratuit) à 100 000 €."),
                                  field="price")
        description = _clean_text(record.description)
        if len(description) > MAX_TEXT_LENGTH:
            raise ValidationError(_("La description est trop longue ({n} caractères au "
                                    "plus).").format(n=MAX_TEXT_LENGTH), field="description")
        nature = _clean_line(record.nature) or default_nature()
        if len(nature) > MAX_NATURE_LENGTH:
            raise ValidationError(_("La nature de l'action est trop longue ({n} caractères au "
                                    "plus).").format(n=MAX_NATURE_LENGTH), field="nature")
        f = record.facilitator
        if f.person_id is not None and f.organisation_id is not None:
            raise ValidationError(_("L'animation est confiée à une personne ou à une structure, "
                                    "pas aux deux."), field="facilitator")
        outside_name = ""
        if f.person_id is None and f.organisation_id is None:
            outside_name = _clean_line(f.name)
            if len(outside_name) > MAX_NAME_LENGTH:
                raise ValidationError(_("Ce nom est trop long ({n} caractères au plus).").format(
                    n=MAX_NAME_LENGTH), field="facilitator")
        with self.ctx.writing() as s:
            if f.person_id is not None:
                _check_person(s, f.person_id)
            if f.organisation_id is not None and s.get(Organisation, f.organisation_id) is None:
                raise NotFound(_("Cette structure n'existe plus dans la base."))
            if record.id is None:
                w = Workshop()
                s.add(w)
                grown = False
            else:
                w = self._workshop_row(s, record.id, lock=True)
                grown = capacity > w.capacity
                if capacity > w.capacity:
                    self._check_rooms_hold(s, w.id, capacity)
            w.title, w.axis, w.description = title, axis, description
            w.facilitator_person_id = f.person_id
            w.facilitator_organisation_id = f.organisation_id
            w.facilitator_name = outside_name
            w.capacity, w.price_cents, w.nature = capacity, price, nature
            w.active = bool(record.active)
            s.flush()
            if grown:
                for ws in s.scalars(select(WorkshopSession).where(
                        WorkshopSession.workshop_id == w.id,
                        WorkshopSession.last_day >= self._today())
                        .order_by(WorkshopSession.id).with_for_update()):
                    self._promote(s, ws.id, capacity)
            return w.id

    def _check_rooms_hold(self, s: Session, workshop_id: int, capacity: int) -> None:
        """A capacity the room of a session to come cannot hold is refused."""
        row = s.execute(
            select(Space.name, Space.capacity, WorkshopSession.first_day)
            .join(WorkshopSession, WorkshopSession.space_id == Space.id)
            .where(WorkshopSession.workshop_id == workshop_id,
                   WorkshopSession.last_day >= self._today(), Space.capacity < capacity)
            .order_by(WorkshopSession.first_day).limit(1)).first()
        if row is not None:
            name, room_capacity, first_day = row
            raise ValidationError(_("« {room} » n'accueille que {n} personnes ; l'atelier "
                                    "en prévoirait {m} (séance du {date}).").format(
                room=name, n=room_capacity, m=capacity, date=format_date(first_day)),
                field="capacity")

    @requires(Area.WORKSHOPS, Access.WRITE)
    def delete_workshop(self, *, workshop_id: int) -> None:
        """Delete a workshop that never had a session; one with sessions is taken out of the
        list instead (active=False), which keeps its figures."""
        with self.ctx.writing() as s:
            w = self._workshop_row(s, workshop_id, lock=True)
            n = s.scalar(select(func.count()).select_from(WorkshopSession)
                         .where(WorkshopSession.workshop_id == w.id))
            if n:
                raise Conflict(ngettext(
                    "« {title} » a {n} séance : il ne peut pas être supprimé. Retirez-le plutôt "
                    "de la liste (décochez « Proposé ») : ses séances et ses chiffres restent.",
                    "« {title} » a {n} séances : il ne peut pas être supprimé. Retirez-le plutôt "
                    "de la liste (décochez « Proposé ») : ses séances et ses chiffres restent.",
                    n).format(title=w.title, n=n))
            s.delete(w)

    # --- sessions -------------------------------------------------------------------------------

    @staticmethod
    def _between(start: dt.date | None, end: dt.date | None) -> list:
        """The sessions with a half-day in [start, end] (both included)."""
        if start is None and end is None:
            return []
        inside = [SessionHalfDay.session_id == WorkshopSession.id]
        where = []
        if start is not None:
            inside.append(SessionHalfDay.day >= start)
            where.append(WorkshopSession.last_day >= start)
        if end is not None:
            inside.append(SessionHalfDay.day <= end)
            where.append(WorkshopSession.first_day <= end)
        return [*where, exists(select(SessionHalfDay.id).where(*inside))]

    @requires(Area.WORKSHOPS, Access.READ)
    def sessions(self, *, start: dt.date | None = None, end: dt.date | None = None,
                 workshop_id: int | None = None) -> tuple[SessionRecord, ...]:
        """The sessions with a half-day in [start, end] (both included; either may be left
        open), of one workshop or all, by first day."""
        where = self._between(start, end)
        if workshop_id is not None:
            where.append(WorkshopSession.workshop_id == workshop_id)
        with self.ctx.reading() as s:
            return tuple(_session_records(s, *where))

    @requires(Area.WORKSHOPS, Access.READ)
    def session(self, *, session_id: int) -> SessionRecord:
        with self.ctx.reading() as s:
            return self._session_record(s, session_id)

    @requires(Area.WORKSHOPS, Access.READ)
    def today(self, *, day: dt.date | None = None) -> tuple[SessionRecord, ...]:
        """The sessions with a half-day on `day` (default today), for the reception."""
        day = day or self._today()
        with self.ctx.reading() as s:
            return tuple(_session_records(s, *self._between(day, day)))

    @requires(Area.WORKSHOPS, Access.READ)
    def unrecorded(self) -> tuple[SessionRecord, ...]:
        """The sessions whose last half-day has ended, with at least one registered
        participant and no attendance recorded (flagged on the workshops screen)."""
        with self.ctx.reading() as s:
            records = _session_records(
                s, WorkshopSession.attendance_recorded_at.is_(None),
                WorkshopSession.last_day <= self._today(),
                exists(select(Registration.id).where(
                    Registration.session_id == WorkshopSession.id,
                    Registration.status == RegistrationStatus.REGISTERED)))
        return tuple(r for r in records if r.half_days and self._over(r))

    def _house_booker(self, identity: MaisonIdentity) -> Booker:
        """The booker of a room for a workshop with no facilitator of the house: the house
        itself, reachable at its e-mail or phone."""
        if not identity.email and not identity.phone:
            raise ValidationError(_(
                "La salle est réservée au nom de l'animateur·rice, ou de la maison quand "
                "l'atelier n'a pas d'animateur·rice de la maison : indiquez l'adresse e-mail ou "
                "le téléphone de la maison dans les paramètres (Identité de la maison), ou "
                "choisissez une personne ou une structure pour animer l'atelier."),
                field="space_id")
        return Booker(contact_name=identity.name[:200] or _("Maison de l'ESS"),
                      contact_email=identity.email, contact_phone=identity.phone)

    @requires(Area.WORKSHOPS, Access.WRITE)
    def save_session(self, record: SessionRecord) -> int:
        """Create (`record.id` None) or update a session. In one unit of work: the room is
        booked for every half-day (a confirmed booking « Atelier : <title> », free), refused
        with Conflict naming the booking in the way; on update, the bookings of half-days
        removed or changed (day, times, room) are cancelled and new ones made."""
        half_days = _check_half_days(record.half_days)
        place = _clean_line(record.place)
        if len(place) > MAX_PLACE_LENGTH:
            raise ValidationError(_("Ce lieu est trop long ({n} caractères au plus).").format(
                n=MAX_PLACE_LENGTH), field="place")
        if record.space_id is None and not place:
            raise ValidationError(_("Choisissez la salle de la maison où la séance a lieu, ou "
                                    "indiquez le lieu de la séance."), field="space_id")
        if record.space_id is not None:
            place = ""
        notes = _clean_text(record.notes)
        if len(notes) > MAX_TEXT_LENGTH:
            raise ValidationError(_("Les notes sont trop longues ({n} caractères au "
                                    "plus).").format(n=MAX_TEXT_LENGTH), field="notes")
        today, now = self._today(), self.ctx.now()
        identity = SettingsService(self.ctx).identity()
        with self.ctx.writing() as s:
            if record.id is None:
                w = self._workshop_row(s, record.workshop_id)
                if not w.active:
                    raise ValidationError(_("« {title} » n'est plus proposé : remettez-le dans la "
                                            "liste pour en programmer une séance.").format(
                        title=w.title), field="workshop_id")
                ws = WorkshopSession(workshop_id=w.id)
                existing: dict[int, SessionHalfDay] = {}
            else:
                ws = self._session_row(s, record.id, lock=True)
                if record.workshop_id != ws.workshop_id:
                    raise ValidationError(_("Une séance reste attachée à son atelier : "
                                            "programmez une séance de l'autre atelier."),
                                          field="workshop_id")
                w = self._workshop_row(s, ws.workshop_id)
                existing = {h.id: h for h in s.scalars(select(SessionHalfDay).where(
                    SessionHalfDay.session_id == ws.id))}
            unknown = [h.id for h in half_days if h.id is not None and h.id not in existing]
            if unknown:
                raise NotFound(_("Une demi-journée de cette séance n'existe plus : rouvrez la "
                                 "séance."))
            room_changed = record.id is not None and record.space_id != ws.space_id
            # the rooms first (the old one, whose bookings may be cancelled, and the new one),
            # in the order the bookings take their locks: room, then booking
            for room_id in sorted({i for i in (ws.space_id, record.space_id) if i is not None}):
                s.get(Space, room_id, with_for_update=True)

            def unchanged(h: HalfDay) -> bool:
                old = existing.get(h.id) if h.id is not None else None
                return (old is not None and not room_changed
                        and (old.day, HalfDayPart(old.part), old.start, old.end)
                        == (h.day, h.part, h.start, h.end))

            # the days the house is closed (new or moved half-days only, as bookings do)
            settings = _read_settings(s)
            moved = [h for h in half_days if not unchanged(h)]
            if moved:
                closures = _closures(s, moved[0].day, moved[-1].day)
                for h in moved:
                    reason = closed_reason(h.day, settings, closures)
                    if reason is not None:
                        raise ValidationError(_("La maison est fermée le {date} ({reason}) : "
                                                "choisissez un autre jour.").format(
                            date=format_date(h.day, "full"), reason=reason), field="half_days")
            if record.space_id is not None and moved:  # half-days to book there
                space = s.get(Space, record.space_id)
                if space is None:
                    raise NotFound(_("Cette salle n'existe plus."))
                # (a room that is not bookable, or out of service: the bookings say so)
                if SpaceKind(space.kind) in _BOOKABLE and space.active \
                        and space.capacity < w.capacity:
                    raise ValidationError(_("« {room} » n'accueille que {n} personnes ; "
                                            "l'atelier en prévoit {m}.").format(
                        room=space.name, n=space.capacity, m=w.capacity), field="space_id")
            # half-days removed: refused once someone was marked present at it
            kept_ids = {h.id for h in half_days if h.id is not None}
            removed = [h for hid, h in existing.items() if hid not in kept_ids]
            for h in removed:
                if s.scalar(select(Attendance.registration_id).where(
                        Attendance.half_day_id == h.id, Attendance.present.is_(True))
                        .limit(1)) is not None:
                    raise ValidationError(_("Des présences sont notées pour le {date}, {part} : "
                                            "cette demi-journée ne peut plus être retirée.")
                                          .format(date=format_date(h.day, "full"),
                                                  part=HalfDayPart(h.part).label.lower()),
                                          field="half_days")
            reason = _("Séance d'atelier modifiée")
            for h in removed:
                if h.booking_id is not None:
                    cancel_in_session(s, h.booking_id, reason=reason, now=now)
                s.delete(h)
            for h in half_days:
                if not unchanged(h) and h.id is not None:
                    old = existing[h.id]
                    if old.booking_id is not None:
                        cancel_in_session(s, old.booking_id, reason=reason, now=now)
                        old.booking_id = None
            s.flush()
            ws.space_id = record.space_id
            ws.place = place
            ws.notes = notes
            ws.first_day, ws.last_day = half_days[0].day, half_days[-1].day
            if record.id is None:
                s.add(ws)
            s.flush()
            booker = None
            for h in half_days:
                row = existing.get(h.id) if h.id is not None else None
                if row is None:
                    row = SessionHalfDay(session_id=ws.id)
                    s.add(row)
                row.day, row.part, row.start, row.end = h.day, h.part, h.start, h.end
                if record.space_id is None:
                    continue
                if unchanged(h) and row.booking_id is not None and self._holds(s, row.booking_id):
                    continue
                if booker is None:
                    booker = self._booker(w, identity)
                title = _("Atelier : {title}").format(title=w.title)
                if len(title) > MAX_BOOKING_TITLE:
                    title = title[:MAX_BOOKING_TITLE - 1] + "…"
                row.booking_id = book_in_session(s, BookingDraft(
                    space_id=record.space_id, start=_at(h.day, h.start), end=_at(h.day, h.end),
                    title=title, booker=booker, attendees=w.capacity,
                    status=BookingStatus.CONFIRMED, price_override_cents=0,
                    override_reason=_("Atelier de la maison")), today=today)
            s.flush()
            return ws.id

    @staticmethod
    def _holds(s: Session, booking_id: int) -> bool:
        status = s.scalar(select(Booking.status).where(Booking.id == booking_id))
        return status is not None and BookingStatus(status) is not BookingStatus.CANCELLED

    def _booker(self, w: Workshop, identity: MaisonIdentity) -> Booker:
        if w.facilitator_person_id is not None:
            return Booker(person_id=w.facilitator_person_id)
        if w.facilitator_organisation_id is not None:
            return Booker(organisation_id=w.facilitator_organisation_id)
        return self._house_booker(identity)

    @requires(Area.WORKSHOPS, Access.WRITE)
    def delete_session(self, *, session_id: int) -> None:
        """Delete a session with its registrations and cancel its room's bookings; refused
        once attendance is recorded (the sheet is a record for the funders)."""
        now = self.ctx.now()
        with self.ctx.writing() as s:
            ws = self._session_row(s, session_id, lock=True)
            half_days = list(s.scalars(select(SessionHalfDay).where(
                SessionHalfDay.session_id == ws.id)))
            marked = s.scalar(select(Attendance.registration_id).where(
                Attendance.half_day_id.in_([h.id for h in half_days]),
                Attendance.present.is_(True)).limit(1)) if half_days else None
            if ws.attendance_recorded_at is not None or marked is not None:
                raise ValidationError(_("Les présences de cette séance sont enregistrées : elle "
                                        "ne peut plus être supprimée."), field="attendance")
            for h in half_days:
                if h.booking_id is not None:
                    cancel_in_session(s, h.booking_id, reason=_("Séance d'atelier supprimée"),
                                      now=now)
            for r in s.scalars(select(Registration).where(Registration.session_id == ws.id)):
                s.delete(r)
            for h in half_days:
                s.delete(h)
            s.flush()
            s.delete(ws)

    # --- registrations ----------------------------------------------------------------------------

    @requires(Area.WORKSHOPS, Access.READ)
    def registrations(self, *, session_id: int, include_cancelled: bool = False
                      ) -> tuple[RegistrationRecord, ...]:
        """The registered ones by name, then the waiting list by position (then, asked for,
        the cancelled ones)."""
        where = [Registration.session_id == session_id]
        if not include_cancelled:
            where.append(Registration.status != RegistrationStatus.CANCELLED)
        with self.ctx.reading() as s:
            self._session_row(s, session_id)
            return tuple(_listed(_registrations(s, *where)))

    def _record_of(self, s: Session, registration_id: int) -> RegistrationRecord:
        return _registrations(s, Registration.id == registration_id)[0]

    @staticmethod
    def _who(s: Session, person_id: int | None, name: str, email: str, *,
             email_required: bool) -> tuple[str, str, str]:
        """(name, e-mail, how to name them in a message) of a person of the house or an
        outsider, checked."""
        if person_id is not None:
            p = _check_person(s, person_id)
            return "", "", full_name(p.first_name, p.last_name)
        name = _clean_line(name)
        if not name:
            raise ValidationError(_("Choisissez une personne de la maison, ou indiquez le nom "
                                    "et l'adresse e-mail de la personne extérieure."),
                                  field="name")
        if len(name) > MAX_NAME_LENGTH:
            raise ValidationError(_("Ce nom est trop long ({n} caractères au plus).").format(
                n=MAX_NAME_LENGTH), field="name")
        email = check_email(email, field="email") or ""
        if len(email) > MAX_EMAIL_LENGTH:
            raise ValidationError(_("Cette adresse e-mail est trop longue."), field="email")
        if email_required and not email:
            raise ValidationError(_("Pour une personne extérieure, indiquez son adresse "
                                    "e-mail."), field="email")
        return name, email, name

    @staticmethod
    def _already(s: Session, session_id: int, person_id: int | None, email: str
                 ) -> Registration | None:
        """The live registration (registered or waiting) of this person, or of this outsider's
        e-mail, to the session."""
        where = [Registration.session_id == session_id,
                 Registration.status != RegistrationStatus.CANCELLED]
        if person_id is not None:
            where.append(Registration.person_id == person_id)
        elif email:
            where += [Registration.person_id.is_(None),
                      func.lower(Registration.email) == email.lower()]
        else:
            return None
        return s.scalars(select(Registration).where(*where).limit(1)).first()

    @staticmethod
    def _count(s: Session, session_id: int, status: RegistrationStatus) -> int:
        return s.scalar(select(func.count()).select_from(Registration).where(
            Registration.session_id == session_id, Registration.status == status)) or 0

    @staticmethod
    def _promote(s: Session, session_id: int, capacity: int) -> list[Registration]:
        """The first ones waiting take the free places, in order; the list is renumbered.
        Returns those promoted."""
        registered = s.scalar(select(func.count()).select_from(Registration).where(
            Registration.session_id == session_id,
            Registration.status == RegistrationStatus.REGISTERED)) or 0
        waiting = list(s.scalars(select(Registration).where(
            Registration.session_id == session_id,
            Registration.status == RegistrationStatus.WAITING)
            .order_by(Registration.position, Registration.id).with_for_update()))
        promoted = []
        while waiting and registered < capacity:
            r = waiting.pop(0)
            r.status, r.position = RegistrationStatus.REGISTERED, None
            registered += 1
            promoted.append(r)
        for i, r in enumerate(waiting, start=1):
            if r.position != i:
                r.position = i
        s.flush()
        return promoted

    @requires(Area.WORKSHOPS, Access.WRITE)
    def register(self, record: RegistrationRecord) -> RegistrationRecord:
        """Register a person of the house (`person_id`) or an outsider (a name and an
        e-mail): REGISTERED while places remain, else WAITING at the end of the list. A
        session already over takes only walk-ins (`walk_in`, as `add_walk_in`)."""
        if record.walk_in:
            return self._walk_in(record.session_id, record.person_id, record.name,
                                 record.email, record.notes)
        notes = self._notes(record.notes)
        now = self.ctx.now()
        with self.ctx.writing() as s:
            ws = self._session_row(s, record.session_id, lock=True)
            name, email, who = self._who(s, record.person_id, record.name, record.email,
                                         email_required=True)
            session = self._session_record(s, ws.id)
            if self._over(session):
                raise ValidationError(_("Cette séance est terminée : ajoutez la personne venue "
                                        "sans inscription depuis la feuille de présence."),
                                      field="session_id")
            self._refuse_twice(s, ws.id, record.person_id, email, who)
            capacity = session.capacity
            registered = self._count(s, ws.id, RegistrationStatus.REGISTERED)
            r = Registration(session_id=ws.id, person_id=record.person_id, name=name,
                             email=email, walk_in=False, notes=notes, registered_at=now)
            if registered < capacity:
                r.status, r.position = RegistrationStatus.REGISTERED, None
            else:
                last = s.scalar(select(func.max(Registration.position)).where(
                    Registration.session_id == ws.id,
                    Registration.status == RegistrationStatus.WAITING))
                r.status, r.position = RegistrationStatus.WAITING, (last or 0) + 1
            s.add(r)
            s.flush()
            return self._record_of(s, r.id)

    @staticmethod
    def _notes(notes: str) -> str:
        notes = _clean_text(notes)
        if len(notes) > MAX_TEXT_LENGTH:
            raise ValidationError(_("Les notes sont trop longues ({n} caractères au "
                                    "plus).").format(n=MAX_TEXT_LENGTH), field="notes")
        return notes

    def _refuse_twice(self, s: Session, session_id: int, person_id: int | None, email: str,
                      who: str) -> None:
        twice = self._already(s, session_id, person_id, email)
        if twice is None:
            return
        if RegistrationStatus(twice.status) is RegistrationStatus.WAITING:
            message = _("{who} est déjà sur la liste d'attente de cette séance (rang "
                        "{n}).").format(who=who, n=twice.position)
        else:
            message = _("{who} est déjà inscrit·e à cette séance.").format(who=who)
        raise Conflict(message, existing_id=twice.id)

    @requires(Area.WORKSHOPS, Access.WRITE)
    def add_walk_in(self, *, session_id: int, person_id: int | None = None, name: str = "",
                    email: str = "") -> RegistrationRecord:
        """Someone who came without registering (or from the waiting list), added at the
        attendance screen: REGISTERED, even beyond the capacity; the e-mail is optional."""
        return self._walk_in(session_id, person_id, name, email, "")

    def _walk_in(self, session_id: int, person_id: int | None, name: str, email: str,
                 notes: str) -> RegistrationRecord:
        notes = self._notes(notes)
        now = self.ctx.now()
        with self.ctx.writing() as s:
            ws = self._session_row(s, session_id, lock=True)
            name, email, who = self._who(s, person_id, name, email, email_required=False)
            twice = self._already(s, ws.id, person_id, email)
            if twice is not None and RegistrationStatus(twice.status) is RegistrationStatus.WAITING:
                # on the waiting list and here after all: takes a place
                twice.status, twice.position, twice.walk_in = (
                    RegistrationStatus.REGISTERED, None, True)
                s.flush()
                self._promote(s, ws.id, 0)  # renumbers the rest of the list
                return self._record_of(s, twice.id)
            self._refuse_twice(s, ws.id, person_id, email, who)
            r = Registration(session_id=ws.id, person_id=person_id, name=name, email=email,
                             status=RegistrationStatus.REGISTERED, position=None, walk_in=True,
                             notes=notes, registered_at=now)
            s.add(r)
            s.flush()
            return self._record_of(s, r.id)

    @requires(Area.WORKSHOPS, Access.WRITE)
    def cancel_registration(self, *, registration_id: int) -> RegistrationRecord | None:
        """Cancel a registration. If it held a place in a session not over yet, the first
        one waiting takes it: returns that promoted registration, else None. The waiting
        list is renumbered."""
        now = self.ctx.now()
        with self.ctx.writing() as s:
            session_id = self._registration_row(s, registration_id).session_id
            ws = self._session_row(s, session_id, lock=True)
            r = self._registration_row(s, registration_id, lock=True)
            status = RegistrationStatus(r.status)
            if status is RegistrationStatus.CANCELLED:
                return None
            if s.scalar(select(Attendance.half_day_id).where(
                    Attendance.registration_id == r.id, Attendance.present.is_(True))
                    .limit(1)) is not None:
                raise ValidationError(_("Cette personne est notée présente à la séance : "
                                        "décochez d'abord ses présences."), field="status")
            r.status, r.position, r.cancelled_at = RegistrationStatus.CANCELLED, None, now
            s.flush()
            session = self._session_record(s, ws.id)
            capacity = 0 if (status is RegistrationStatus.WAITING or self._over(session)) \
                else session.capacity
            promoted = self._promote(s, ws.id, capacity)
            return self._record_of(s, promoted[0].id) if promoted else None

    # --- attendance -------------------------------------------------------------------------------

    @requires(Area.WORKSHOPS, Access.READ)
    def attendance(self, *, session_id: int) -> AttendanceSheet:
        """The session's attendance: its registered participants by name and, for each
        half-day, whether they were there."""
        with self.ctx.reading() as s:
            return self._sheet(s, session_id)

    def _sheet(self, s: Session, session_id: int) -> AttendanceSheet:
        record = self._session_record(s, session_id)
        participants = _by_name(_registrations(
            s, Registration.session_id == session_id,
            Registration.status == RegistrationStatus.REGISTERED))
        ids = {r.id for r in participants}
        present = {k: v for k, v in _present_pairs(s, (h.id for h in record.half_days)).items()
                   if k[0] in ids}
        orgs = _organisations_of(s, (r.person_id for r in participants
                                     if r.person_id is not None), record.first_day)
        details = {r.id: (orgs.get(r.person_id) if r.person_id is not None else None)
                   or r.email for r in participants}
        return AttendanceSheet(session=record, participants=tuple(participants),
                               present=present, details=details)

    def _mark(self, s: Session, registration_id: int, half_day_id: int, present: bool,
              now: dt.datetime) -> None:
        row = s.get(Attendance, (registration_id, half_day_id))
        if row is None:
            s.add(Attendance(registration_id=registration_id, half_day_id=half_day_id,
                             present=present, recorded_at=now))
        elif bool(row.present) != present:
            row.present, row.recorded_at = present, now

    @requires(Area.WORKSHOPS, Access.WRITE)
    def record_attendance(self, *, session_id: int,
                          present: Mapping[tuple[int, int], bool]) -> None:
        """Record who was there: (registration id, half-day id) → present. The pairs not
        given are left as they are; a half-day not yet started is refused."""
        now = self.ctx.now()
        with self.ctx.writing() as s:
            ws = self._session_row(s, session_id, lock=True)
            half_days = {h.id: _half_day(h) for h in s.scalars(
                select(SessionHalfDay).where(SessionHalfDay.session_id == ws.id))}
            participants = {r.id: r for r in _registrations(
                s, Registration.session_id == ws.id,
                Registration.status == RegistrationStatus.REGISTERED)}
            if not half_days:
                raise ValidationError(_("Cette séance n'a pas de demi-journée."),
                                      field="half_days")
            first = min(half_days.values(), key=_order)
            if not present and _at(first.day, first.start) > now:
                raise ValidationError(_("La séance n'a pas encore commencé : les présences se "
                                        "notent une fois la demi-journée commencée."),
                                      field="attendance")
            for (registration_id, half_day_id), here in present.items():
                h = half_days.get(half_day_id)
                if h is None:
                    raise ValidationError(_("Cette demi-journée n'appartient pas à la séance."),
                                          field="attendance")
                if registration_id not in participants:
                    raise ValidationError(_("Seules les personnes inscrites à la séance ont une "
                                            "présence à noter."), field="attendance")
                if _at(h.day, h.start) > now:
                    raise ValidationError(_("La demi-journée du {when} n'a pas encore commencé : "
                                            "sa présence se note une fois commencée.").format(
                        when=_describe_half_day(h)), field="attendance")
                self._mark(s, registration_id, half_day_id, bool(here), now)
            ws.attendance_recorded_at = now

    @requires(Area.WORKSHOPS, Access.WRITE)
    def check_in_attendance(self, *, person_id: int, at: dt.datetime | None = None
                            ) -> tuple[SessionRecord, HalfDay] | None:
        """A person checked in at reception: if they are registered to a session with a
        half-day today whose part is the current one (Paris time of `at`, default now),
        they are marked present for it, which is returned; else None. (The session's
        attendance still counts as not recorded until the sheet is saved.)"""
        moment = at or self.ctx.now()
        local = moment.astimezone(PARIS) if moment.tzinfo else moment.replace(tzinfo=PARIS)
        part = current_part(local.time().replace(tzinfo=None))
        day = local.date()
        with self.ctx.writing() as s:
            found = s.execute(
                select(SessionHalfDay, Registration.id)
                .join(Registration, Registration.session_id == SessionHalfDay.session_id)
                .where(Registration.person_id == person_id,
                       Registration.status == RegistrationStatus.REGISTERED,
                       SessionHalfDay.day == day, SessionHalfDay.part == part)
                .order_by(SessionHalfDay.start, SessionHalfDay.id)).first()
            if found is None:
                return None
            h, registration_id = found
            self._session_row(s, h.session_id, lock=True)
            self._mark(s, registration_id, h.id, True, self.ctx.now())
            s.flush()
            return self._session_record(s, h.session_id), _half_day(h)

    # --- documents --------------------------------------------------------------------------------

    @requires(Area.WORKSHOPS, Access.WRITE)
    def sign_in_sheet(self, *, session_id: int) -> tuple[DocumentRecord, bytes]:
        """The session's feuille d'émargement (PDF), archived as FE-YYYY-NNNN: every
        half-day, the facilitator and every registered participant."""
        from maison_app.documents.sign_in_sheet import build_pdf

        identity = SettingsService(self.ctx).identity()
        with self.ctx.reading() as s:
            record = self._session_record(s, session_id)
            w = self._workshop_records(s, Workshop.id == record.workshop_id)[0]
            participants = _by_name(_registrations(
                s, Registration.session_id == session_id,
                Registration.status == RegistrationStatus.REGISTERED))
            orgs = _organisations_of(s, (r.person_id for r in participants
                                         if r.person_id is not None), record.first_day)
        data = SignInSheetData(
            title=w.title, nature=w.nature or default_nature(), axis=w.axis,
            facilitator=w.facilitator.name, place=_place(record, identity),
            half_days=record.half_days,
            participants=tuple((r.name, orgs.get(r.person_id, "") if r.person_id else "")
                               for r in participants))
        now = self.ctx.now()
        return DocumentService(self.ctx).issue(
            kind=DocumentKind.FEUILLE_EMARGEMENT,
            subject=_("Feuille d'émargement — {title}, {date}").format(
                title=w.title, date=format_date(record.first_day)),
            render=lambda number: build_pdf(identity, data, number=number, issued=now))

    @requires(Area.WORKSHOPS, Access.WRITE)
    def certificates(self, *, session_id: int, registration_ids: Sequence[int] | None = None
                     ) -> tuple[DocumentRecord, bytes]:
        """The attestations de présence / certificats de réalisation of a session, one per
        page in one PDF, archived as AP-YYYY-NNNN: for the participants given, or every
        participant who attended at least one half-day. Refused before the attendance is
        recorded, or when nobody attended."""
        from maison_app.documents.attendance_certificate import build_pdf

        identity = SettingsService(self.ctx).identity()
        with self.ctx.reading() as s:
            ws = self._session_row(s, session_id)
            if ws.attendance_recorded_at is None:
                raise ValidationError(_("Les présences de cette séance ne sont pas encore "
                                        "enregistrées : notez-les avant d'établir les "
                                        "attestations."), field="attendance")
            sheet = self._sheet(s, session_id)
            record = sheet.session
            w = self._workshop_records(s, Workshop.id == record.workshop_id)[0]
            participants = {r.id: r for r in sheet.participants}
            if registration_ids is None:
                chosen = [r for r in sheet.participants if sheet.minutes_of(r.id) > 0]
                if not chosen:
                    raise ValidationError(_("Personne n'est noté·e présent·e à cette séance : "
                                            "aucune attestation à établir."), field="attendance")
            else:
                chosen = []
                for rid in dict.fromkeys(registration_ids):
                    r = participants.get(rid)
                    if r is None:
                        raise ValidationError(_("Une attestation se délivre aux personnes "
                                                "inscrites à la séance."),
                                              field="registration_ids")
                    if sheet.minutes_of(rid) == 0:
                        raise ValidationError(_("{name} n'est noté·e présent·e à aucune "
                                                "demi-journée : pas d'attestation.").format(
                            name=r.name), field="registration_ids")
                    chosen.append(r)
                if not chosen:
                    raise ValidationError(_("Choisissez au moins une personne."),
                                          field="registration_ids")
            orgs = _organisations_of(s, (r.person_id for r in chosen if r.person_id is not None),
                                     record.first_day)
        place = _place(record, identity)
        certificates = []
        for r in chosen:
            lines = tuple(x for x in ((orgs.get(r.person_id, "") if r.person_id else ""),
                                      r.email) if x)
            attended = tuple(h.id for h in record.half_days if sheet.is_present(r.id, h.id))
            certificates.append(CertificateData(
                participant=r.name, participant_lines=lines, title=w.title,
                nature=w.nature or default_nature(), axis=w.axis, facilitator=w.facilitator.name,
                place=place, half_days=record.half_days, attended=attended,
                minutes_attended=sheet.minutes_of(r.id), minutes_planned=record.minutes))
        if len(chosen) == 1:
            subject = _("Attestation de présence — {name}, {title}, {date}").format(
                name=chosen[0].name, title=w.title, date=format_date(record.first_day))
        else:
            subject = ngettext("Attestations de présence — {title}, {date} ({n} participant)",
                               "Attestations de présence — {title}, {date} ({n} participants)",
                               len(chosen)).format(title=w.title,
                                                   date=format_date(record.first_day),
                                                   n=len(chosen))
        now = self.ctx.now()
        return DocumentService(self.ctx).issue(
            kind=DocumentKind.ATTESTATION_PRESENCE, subject=subject,
            render=lambda number: build_pdf(identity, tuple(certificates), number=number,
                                            issued=now))

    # --- figures ----------------------------------------------------------------------------------

    @requires(Area.WORKSHOPS, Access.READ)
    def figures(self, *, start: dt.date, end: dt.date) -> WorkshopFigures:
        """What funders ask for, over the sessions with a half-day in [start, end] (their
        half-days within the period): by person (minutes attended, sessions, rate), by axis
        (the four, in order), by workshop (distinct registered participants), and the total.
        The rate is present half-days over expected ones, in the sessions whose attendance
        is recorded."""
        if not isinstance(start, dt.date) or not isinstance(end, dt.date):
            raise ValidationError(_("Indiquez le début et la fin de la période."), field="start")
        if end < start:
            raise ValidationError(_("La fin de la période ne peut pas précéder son début."),
                                  field="end")
        with self.ctx.reading() as s:
            sessions = _session_records(s, *self._between(start, end))
            ids = [r.id for r in sessions]
            registrations = _registrations(
                s, Registration.session_id.in_(ids),
                Registration.status == RegistrationStatus.REGISTERED) if ids else []
            hd_ids = [h.id for r in sessions for h in r.half_days if start <= h.day <= end]
            present = _present_pairs(s, hd_ids)
        by_session = {r.id: r for r in sessions}
        people: dict[tuple[str, object], tuple[str, _Tally]] = {}
        axes = {axis: _Tally() for axis in WorkshopAxis}
        workshops: dict[int, tuple[str, _Tally]] = {}
        total = _Tally()
        for reg in registrations:
            session = by_session[reg.session_id]
            half_days = [h for h in session.half_days if start <= h.day <= end]
            minutes = attended_minutes(half_days, reg.id, present)
            done = sum(1 for h in half_days if present.get((reg.id, h.id), False))
            expected = len(half_days) if session.attendance_recorded else 0
            if not session.attendance_recorded:
                done = 0
            who = _participant_key(reg)
            tallies = [people.setdefault(who, (reg.name, _Tally()))[1], axes[session.axis],
                       workshops.setdefault(session.workshop_id,
                                            (session.workshop_title, _Tally()))[1], total]
            for t in tallies:
                t.participants.add(who)
                t.sessions.add(session.id)
                t.minutes += minutes
                t.present += done
                t.expected += expected
        for session in sessions:  # sessions nobody registered to count too
            axes[session.axis].sessions.add(session.id)
            workshops.setdefault(session.workshop_id,
                                 (session.workshop_title, _Tally()))[1].sessions.add(session.id)
            total.sessions.add(session.id)
        return WorkshopFigures(
            start=start, end=end,
            by_person=tuple(t.row(name) for name, t in people.values()),  # by name
            by_axis=tuple(axes[a].row(a.label) for a in WorkshopAxis),
            by_workshop=tuple(sorted((t.row(title) for title, t in workshops.values()),
                                     key=lambda row: search_key(row.key))),
            total=total.row(_("Total")))

    @requires(Area.WORKSHOPS, Access.READ)
    def figures_csv(self, *, start: dt.date, end: dt.date) -> bytes:
        """The figures as one table that Excel opens with its accents (UTF-8 with BOM,
        `;`): a « Regroupement » column (person, axis, workshop, total), hours as « 3,5 »,
        the rate in percent."""
        figures = self.figures(start=start, end=end)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Regroupement"), _("Libellé"), _("Participants"), _("Séances"),
                         _("Heures de présence"), _("Taux de présence (%)")])
        groups = ((_("Personne"), figures.by_person), (_("Axe"), figures.by_axis),
                  (_("Atelier"), figures.by_workshop), (_("Total"), (figures.total,)))
        for group, rows in groups:
            for row in rows:
                writer.writerow([group, row.key, row.participants, row.sessions,
                                 _hours_csv(row.minutes_attended),
                                 _rate_csv(row.attendance_rate)])
        return "\ufeff".encode() + out.getvalue().encode("utf-8")


# --- data protection: a person's registrations and attendance ------------------------------------


def _registered_as(person_id: int, email: str):
    who = Registration.person_id == person_id
    if email:
        who = or_(who, (Registration.person_id.is_(None))
                  & (func.lower(Registration.email) == email))
    return who


def _export_workshops(s: Session, person_id: int) -> list[dict[str, object]]:
    email = (s.scalar(select(Person.email).where(Person.id == person_id)) or "").strip().lower()
    rows = list(s.execute(
        select(Registration, Workshop.title)
        .join(WorkshopSession, WorkshopSession.id == Registration.session_id)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(_registered_as(person_id, email))
        .order_by(WorkshopSession.first_day, Registration.id)))
    half_days = _half_days_of(s, {r.session_id for r, _t in rows})
    present = _present_pairs(s, (h.id for hs in half_days.values() for h in hs))
    out: list[dict[str, object]] = []
    for r, title in rows:
        hds = half_days.get(r.session_id, ())
        out.append({
            "atelier": title,
            "demi-journées": [f"{h.day.isoformat()} {h.part.value} "
                              f"{h.start:%H:%M}-{h.end:%H:%M}" for h in hds],
            "statut": RegistrationStatus(r.status).value, "rang d'attente": r.position,
            "sans inscription": bool(r.walk_in), "inscrit le": r.registered_at.isoformat(),
            "annulé le": r.cancelled_at.isoformat() if r.cancelled_at else None,
            "nom (personne extérieure)": r.name or None,
            "e-mail (personne extérieure)": r.email or None, "notes": r.notes or None,
            "présences": [f"{h.day.isoformat()} {h.part.value}" for h in hds
                          if present.get((r.id, h.id), False)],
            "minutes de présence": attended_minutes(hds, r.id, present)})
    for title in s.scalars(select(Workshop.title).where(
            Workshop.facilitator_person_id == person_id).order_by(Workshop.title)):
        out.append({"atelier animé": title})
    return out


def _erase_workshops(s: Session, person_id: int) -> str:
    """The registrations and the attendance stay for the funders' figures, linked to the
    anonymised record; their notes are erased, and the name and e-mail of the registrations
    made as an outsider with the person's e-mail."""
    email = s.info.get(ERASED_EMAIL_KEY, "")
    rows = list(s.scalars(select(Registration).where(_registered_as(person_id, email))))
    for r in rows:
        r.notes = ""
        if r.person_id is None:
            r.name = r.email = ""
    return ngettext("{n} inscription à un atelier conservée sans nom pour les chiffres des "
                    "financeurs, ses notes effacées.",
                    "{n} inscriptions à des ateliers conservées sans nom pour les chiffres des "
                    "financeurs, leurs notes effacées.", len(rows)).format(n=len(rows))


def _active_since(since: dt.datetime):
    """The people registered to a session since then (or run a workshop with one)."""
    day = since.astimezone(PARIS).date()
    registered = (select(Registration.person_id)
                  .join(WorkshopSession, WorkshopSession.id == Registration.session_id)
                  .where(Registration.person_id.is_not(None),
                         or_(WorkshopSession.last_day >= day, Registration.registered_at >= since)))
    facilitating = (select(Workshop.facilitator_person_id)
                    .join(WorkshopSession, WorkshopSession.workshop_id == Workshop.id)
                    .where(Workshop.facilitator_person_id.is_not(None),
                           WorkshopSession.last_day >= day))
    return select(Person.id).where(or_(Person.id.in_(registered), Person.id.in_(facilitating)))


register(PersonalDataArea("workshops", lambda: _("Ateliers et présences"), _export_workshops,
                          _erase_workshops, active_since=_active_since))


def forget_check_in_attendance(s: Session, person_id: int, arrived_at: dt.datetime) -> int:
    """A check-in cancelled as a mistake (reception): the presence `check_in_attendance`
    noted for it goes too — the person's presence on the half-day of `arrived_at`, recorded
    at or after that moment (a presence recorded before, on the sheet, stays). How many
    were removed."""
    local = arrived_at.astimezone(PARIS)
    part = current_part(local.time().replace(tzinfo=None))
    rows = list(s.scalars(
        select(Attendance)
        .join(Registration, Registration.id == Attendance.registration_id)
        .join(SessionHalfDay, SessionHalfDay.id == Attendance.half_day_id)
        .where(Registration.person_id == person_id, SessionHalfDay.day == local.date(),
               SessionHalfDay.part == part, Attendance.present.is_(True),
               Attendance.recorded_at >= arrived_at)))
    for row in rows:
        s.delete(row)
    return len(rows)
