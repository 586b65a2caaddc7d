"""Room bookings: the calendar's loads, prices, conflicts, recurring series, the booking
confirmation and the iCalendar exports, the settings of the area (opening hours, closures).

Conflicts are refused inside the unit of work that writes, after locking the room's row:
SQLite takes the database's write lock at the first statement (BEGIN IMMEDIATE) and
PostgreSQL locks the room (SELECT … FOR UPDATE), so the second of two desks booking the same
slot at once reads the first one's booking once it may go on, and is refused. A booking holds
the room unless it is cancelled or an option past its expiry date. Intervals are half-open:
a booking ending at 12:00 and one starting at 12:00 both stand.

Times are stored in UTC and returned in Europe/Paris; a series repeats at the same wall-clock
time in Paris across daylight-saving changes. Settings live in the `setting` table under
"bookings.*"; a setting never saved reads as its default."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maison_app.db.bookings import Booking, BookingSeries
from maison_app.db.bookings import Closure as ClosureRow
from maison_app.db.members import Membership
from maison_app.db.models import Affiliation, Document, Organisation, Person, Setting
from maison_app.db.spaces import Space
from maison_app.domain.bookings import (
    DEFAULT_OPTION_DAYS,
    HALF_DAY_MINUTES,
    MAX_INTERVAL_WEEKS,
    MAX_OCCURRENCES,
    Booker,
    BookingDraft,
    BookingRecord,
    BookingSettings,
    Closure,
    Occurrence,
    Quote,
    Recurrence,
    SeriesPlan,
    SeriesResult,
    at_wall_time,
    closed_reason,
    compute_price,
    day_bounds,
    occurrence_times,
)
from maison_app.domain.enums import (
    BookingStatus,
    DocumentKind,
    OccurrenceState,
    PriceBasis,
    SeriesScope,
    SpaceKind,
)
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.members import check_phone
from maison_app.domain.permissions import Access, Area
from maison_app.domain.privacy import ANONYMOUS_NAME
from maison_app.domain.records import DocumentRecord
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.domain.text import MIN_QUERY_LENGTH, escape_like, full_name, search_key
from maison_app.domain.validation import check_email
from maison_app.i18n import (
    N_,
    PARIS,
    _,
    format_date,
    format_money,
    format_number,
    ngettext,
)
from maison_app.services.context import ServiceContext
from maison_app.services.documents import DocumentService, next_sequence
from maison_app.services.documents import _record as document_record
from maison_app.services.permissions import requires
from maison_app.services.privacy import ERASED_EMAIL_KEY, PersonalDataArea, register
from maison_app.services.settings import SettingsService
from maison_app.services.spaces import _record as space_record

PREFIX = "bookings."
MIN_MINUTES = 15
MAX_TITLE_LENGTH = 200
MAX_NAME_LENGTH = 200
MAX_NOTES_LENGTH = 5_000
MAX_REASON_LENGTH = 500
MAX_CONDITIONS_LENGTH = 20_000
MAX_PRICE_CENTS = 100_000_00  # 100,000 €: beyond that, a typing mistake
MIN_OPTION_DAYS, MAX_OPTION_DAYS = 1, 90
# A booking lies within one Paris day: at most 25 hours (the day the clocks go back). A
# booking that overlaps [start, end) therefore starts after start - 25 h, which bounds the
# search on the index (space_id, start).
LONGEST_BOOKING = dt.timedelta(hours=25)
_BOOKABLE = (SpaceKind.MEETING_ROOM, SpaceKind.WORKSHOP_ROOM)

# The model conditions printed on a confirmation until the house writes its own, one
# paragraph per message (translated when read).
_DEFAULT_CONDITIONS = (
    N_("Annulation : une réservation peut être annulée sans frais jusqu'à 48 heures avant son "
       "début ; passé ce délai, elle est due en totalité."),
    N_("Option : une salle réservée en option est gardée jusqu'à la date indiquée ; sans "
       "confirmation à cette date, elle est remise à disposition."),
    N_("Rangement : la salle est rendue propre et rangée, dans la disposition trouvée, "
       "fenêtres fermées et lumières éteintes ; le matériel prêté est rapporté à l'accueil."),
    N_("Clés : les clés et badges sont remis et rendus à l'accueil, aux heures d'ouverture de "
       "la maison."),
    N_("Sécurité : le nombre de participants ne dépasse pas la capacité de la salle ; "
       "l'organisateur veille au respect des consignes de sécurité affichées."),
)


def default_conditions() -> str:
    """The model conditions, in the language of the desk."""
    return "\n\n".join(_(paragraph) for paragraph in _DEFAULT_CONDITIONS)


class SeriesConflict(Conflict):
    """Some occurrences of a series clash with other bookings; `plan` says which (the dialog
    shows them and offers to book the others)."""

    def __init__(self, message: str, *, plan: SeriesPlan) -> None:
        first = plan.conflicts[0].conflict_id if plan.conflicts else None
        super().__init__(message, existing_id=first)
        self.plan = plan


# --- texts ----------------------------------------------------------------------------------


def _hours(t: dt.time) -> str:
    """"8 h 00"."""
    return _("{h} h {m:02d}").format(h=t.hour, m=t.minute)


def _hm(moment: dt.datetime) -> str:
    """"14:00" in Paris."""
    return moment.astimezone(PARIS).strftime("%H:%M")


def _duration(minutes: int) -> str:
    """"2 h", "1 h 30", "45 min"."""
    h, m = divmod(minutes, 60)
    if h and m:
        return _("{h} h {m:02d}").format(h=h, m=m)
    if h:
        return _("{h} h").format(h=h)
    return _("{m} min").format(m=m)


def _describe(b: BookingRecord) -> str:
    """"« Conseil d'administration » (Coopérative Alpha), 14:00–16:00"."""
    who = f" ({b.booker_name})" if b.booker_name else ""
    text = _("« {title} »{who}, {start}–{end}").format(title=b.title, who=who,
                                                        start=_hm(b.start), end=_hm(b.end))
    if b.status is BookingStatus.OPTION and b.option_until is not None:
        text += _(", en option jusqu'au {date}").format(date=format_date(b.option_until))
    return text


def _conflict_message(room: str, b: BookingRecord) -> str:
    return _("« {room} » est déjà réservée le {date} : {booking}.").format(
        room=room, date=format_date(b.day, "full"), booking=_describe(b))


def _audience(member: bool) -> str:
    return _("adhérent") if member else _("non-adhérent")


def _explain(minutes: int, basis: PriceBasis, price: int, rate: int | None, member: bool) -> str:
    """How the rates give the price: "2 h au tarif horaire adhérent (15,00 €/h) : 30,00 €"."""
    audience = _audience(member)
    if basis is PriceBasis.HOUR and rate is not None:
        billed = -(-minutes // 30) * 30
        return _("{duration} au tarif horaire {audience} ({rate}/h) : {price}").format(
            duration=_duration(billed), audience=audience, rate=format_money(rate),
            price=format_money(price))
    if basis is PriceBasis.HALF_DAY and rate is not None:
        n = -(-minutes // HALF_DAY_MINUTES)
        if n == 1:
            return _("Demi-journée, tarif {audience} : {price}").format(
                audience=audience, price=format_money(price))
        return ngettext("{n} demi-journée, tarif {audience} ({rate} la demi-journée) : {price}",
                        "{n} demi-journées, tarif {audience} ({rate} la demi-journée) : {price}",
                        n).format(n=n, audience=audience, rate=format_money(rate),
                                  price=format_money(price))
    if basis is PriceBasis.DAY:
        return _("Journée, tarif {audience} : {price}").format(audience=audience,
                                                              price=format_money(price))
    return _("Salle sans tarif : gratuit")


def _slug(text: str) -> str:
    """An ASCII file-name part: "Salle Sèvre" → "salle-sevre"."""
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "salle"


def _minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Elapsed minutes (real time: 01:00–04:00 on the night the clocks go forward is 2 h)."""
    return int((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() // 60)


def _occurrence(day: dt.date, start: dt.datetime, end: dt.datetime
                ) -> tuple[dt.datetime, dt.datetime]:
    """`day` at the wall-clock times of start–end (an end at midnight stays at midnight)."""
    s, e = at_wall_time(day, start), at_wall_time(day, end)
    if e <= s:  # ends at midnight: the next day's 00:00
        e = at_wall_time(day + dt.timedelta(days=1), end)
    return s, e


# --- settings -------------------------------------------------------------------------------


def _parse_time(value: str | None, default: dt.time) -> dt.time:
    try:
        h, m = (value or "").split(":")
        return dt.time(int(h), int(m))
    except ValueError:
        return default


def _read_settings(s: Session) -> BookingSettings:
    stored = {row.key[len(PREFIX):]: row.value for row in
              s.scalars(select(Setting).where(Setting.key.startswith(PREFIX)))}
    defaults = BookingSettings()
    opens = _parse_time(stored.get("opens"), defaults.opens)
    closes = _parse_time(stored.get("closes"), defaults.closes)
    if opens >= closes:
        opens, closes = defaults.opens, defaults.closes
    weekdays = defaults.weekdays
    if "weekdays" in stored:
        try:
            days = tuple(sorted({int(d) for d in stored["weekdays"].split(",") if d.strip()}))
        except ValueError:
            days = ()
        if days and all(0 <= d <= 6 for d in days):
            weekdays = days
    skip = stored.get("skip_public_holidays", "1" if defaults.skip_public_holidays else "0")
    try:
        option_days = int(stored.get("option_days", defaults.option_days))
    except ValueError:
        option_days = DEFAULT_OPTION_DAYS
    if not MIN_OPTION_DAYS <= option_days <= MAX_OPTION_DAYS:
        option_days = DEFAULT_OPTION_DAYS
    conditions = stored["conditions"] if "conditions" in stored else default_conditions()
    return BookingSettings(opens=opens, closes=closes, weekdays=weekdays,
                           skip_public_holidays=skip.strip() != "0", option_days=option_days,
                           conditions=conditions)


def _clean_text(value: str | None) -> str:
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _closure(c: ClosureRow) -> Closure:
    return Closure(id=c.id, start=c.start, end=c.end, label=c.label)


def _closures(s: Session, first: dt.date, last: dt.date) -> list[Closure]:
    """The closures touching [first, last] (both included)."""
    return [_closure(c) for c in s.scalars(
        select(ClosureRow).where(ClosureRow.start <= last, ClosureRow.end >= first)
        .order_by(ClosureRow.start, ClosureRow.id))]


# --- reading bookings -------------------------------------------------------------------------

_COLUMNS = (
    Booking.id, Booking.space_id, Space.name, Booking.start, Booking.end, Booking.title,
    Booking.organisation_id, Booking.person_id, Booking.contact_name, Booking.contact_email,
    Booking.contact_phone, Booking.attendees, Booking.status, Booking.option_until,
    Booking.notes, Booking.price_cents, Booking.price_basis, Booking.member_rate,
    Booking.override_reason, Booking.series_id, Booking.cancel_reason, Booking.document_id,
    Organisation.name, Person.first_name, Person.last_name,
)


def _select(*where):
    """One SELECT with the names joined: the room's, the organisation's, the person's."""
    return (select(*_COLUMNS)
            .join(Space, Space.id == Booking.space_id)
            .outerjoin(Organisation, Organisation.id == Booking.organisation_id)
            .outerjoin(Person, Person.id == Booking.person_id)
            .where(*where))


def _from_row(row) -> BookingRecord:
    (bid, space_id, space_name, start, end, title, org_id, person_id, contact_name,
     contact_email, contact_phone, attendees, status, option_until, notes, price, basis,
     member, reason, series_id, cancel_reason, document_id, org_name, first, last) = row
    if org_id is not None:
        name = org_name or ""
    elif person_id is not None:
        name = full_name(first, last)
    else:  # an outside contact; erased at their request, the booking stays without name
        name = contact_name or ANONYMOUS_NAME
    return BookingRecord(
        id=bid, space_id=space_id, space_name=space_name, start=start.astimezone(PARIS),
        end=end.astimezone(PARIS), title=title,
        booker=Booker(organisation_id=org_id, person_id=person_id,
                      contact_name=contact_name or "", contact_email=contact_email or "",
                      contact_phone=contact_phone or ""),
        booker_name=name, attendees=attendees, status=BookingStatus(status),
        option_until=option_until, notes=notes or "", price_cents=price,
        price_basis=PriceBasis(basis), member_rate=bool(member), override_reason=reason or "",
        series_id=series_id, cancel_reason=cancel_reason or "", document_id=document_id)


def _records(s: Session, stmt) -> list[BookingRecord]:
    return [_from_row(row) for row in s.execute(stmt)]


def _holding(today: dt.date):
    """The bookings that hold their room: not cancelled, not an option past its date."""
    return (Booking.status != BookingStatus.CANCELLED,
            or_(Booking.status != BookingStatus.OPTION, Booking.option_until.is_(None),
                Booking.option_until >= today))


def _in_the_way(s: Session, space_id: int, start: dt.datetime, end: dt.datetime,
                today: dt.date, ignore: Collection[int] = ()) -> list[BookingRecord]:
    """The bookings holding the room over [start, end), by start."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    where = [Booking.space_id == space_id, Booking.start > start - LONGEST_BOOKING,
             Booking.start < end, Booking.end > start, *_holding(today)]
    if ignore:
        where.append(Booking.id.not_in(list(ignore)))
    return _records(s, _select(*where).order_by(Booking.start, Booking.id))


# --- checking a draft ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Checked:
    """A draft checked against the database, ready to write."""

    space: Space
    start: dt.datetime  # UTC
    end: dt.datetime
    title: str
    booker: Booker
    attendees: int
    status: BookingStatus
    option_until: dt.date | None
    notes: str
    override_reason: str
    quote: Quote

    @property
    def day(self) -> dt.date:
        return self.start.astimezone(PARIS).date()


def _check_times(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValidationError(_("Indiquez le jour et l'heure de la réservation."),
                                  field=name)
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    if end <= start:
        raise ValidationError(_("La fin de la réservation doit venir après son début."),
                              field="end")
    if end > day_bounds(start.astimezone(PARIS).date())[1]:
        raise ValidationError(_("Une réservation tient dans une journée : elle finit le jour "
                                "où elle commence, à minuit au plus tard."), field="end")
    if end - start < dt.timedelta(minutes=MIN_MINUTES):
        raise ValidationError(_("Une réservation dure au moins {n} minutes.").format(
            n=MIN_MINUTES), field="end")
    return start, end


def _check_booker(b: Booker) -> Booker:
    if b.person_id is not None and b.organisation_id is not None:
        raise ValidationError(_("Une réservation est au nom d'une personne ou d'une structure, "
                                "pas des deux."), field="booker")
    if not b.outside:  # a person or an organisation of the house: no contact to keep
        return Booker(organisation_id=b.organisation_id, person_id=b.person_id)
    name = " ".join((b.contact_name or "").split())
    if not name:
        raise ValidationError(_("Indiquez qui réserve : une personne ou une structure de la "
                                "maison, ou le nom d'un contact extérieur."),
                              field="contact_name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(_("Ce nom est trop long ({n} caractères au plus).").format(
            n=MAX_NAME_LENGTH), field="contact_name")
    email = check_email(b.contact_email, field="contact_email") or ""
    if len(email) > 254:
        raise ValidationError(_("Cette adresse e-mail est trop longue."), field="contact_email")
    phone = check_phone(b.contact_phone, field="contact_phone") or ""
    if len(phone) > 40:
        raise ValidationError(_("Ce numéro de téléphone est trop long."), field="contact_phone")
    if not email and not phone:
        raise ValidationError(_("Pour un contact extérieur, indiquez une adresse e-mail ou un "
                                "numéro de téléphone."), field="contact_email")
    return Booker(contact_name=name, contact_email=email, contact_phone=phone)


def _check_recurrence(first: dt.date, r: Recurrence) -> None:
    interval = r.interval_weeks
    if not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL_WEEKS:
        raise ValidationError(_("Une série se répète toutes les 1 à {n} semaines.").format(
            n=MAX_INTERVAL_WEEKS), field="interval_weeks")
    if (r.until is None) == (r.count is None):
        raise ValidationError(_("Indiquez soit la date de la dernière séance, soit le nombre "
                                "de dates de la série."), field="until")
    if r.count is not None and not 1 <= r.count <= MAX_OCCURRENCES:
        raise ValidationError(_("Une série compte de 1 à {n} dates.").format(
            n=MAX_OCCURRENCES), field="count")
    if r.until is not None:
        if r.until < first:
            raise ValidationError(_("La fin de la série ne peut pas précéder sa première date "
                                    "({date}).").format(date=format_date(first)),
                                  field="until")
        if (r.until - first).days // (7 * interval) + 1 > MAX_OCCURRENCES:
            raise ValidationError(_("Une série compte {n} dates au plus : avancez la date de "
                                    "fin.").format(n=MAX_OCCURRENCES), field="until")


def _is_member(s: Session, booker: Booker, day: dt.date) -> bool:
    """A membership for the year of `day`: the booker's own, or for a person, one of an
    organisation they belong to on that day."""
    if booker.organisation_id is not None:
        return s.scalar(select(Membership.id).where(
            Membership.organisation_id == booker.organisation_id,
            Membership.year == day.year).limit(1)) is not None
    if booker.person_id is None:
        return False
    if s.scalar(select(Membership.id).where(Membership.person_id == booker.person_id,
                                            Membership.year == day.year).limit(1)) is not None:
        return True
    return s.scalar(
        select(Membership.id)
        .join(Affiliation, Affiliation.organisation_id == Membership.organisation_id)
        .where(Affiliation.person_id == booker.person_id, Membership.year == day.year,
               or_(Affiliation.since.is_(None), Affiliation.since <= day),
               or_(Affiliation.until.is_(None), Affiliation.until >= day)).limit(1)) is not None


def _quote(*, start: dt.datetime, end: dt.datetime, rates: Rates, member: bool,
           override: int | None, reason: str, settings: BookingSettings) -> Quote:
    minutes = _minutes(start, end)
    computed, basis, rate = compute_price(minutes, rates, member=member)
    explanation = _explain(minutes, basis, computed, rate, member)
    price = computed
    if override is not None:
        price, basis = override, PriceBasis.MANUAL
        explanation = _("Prix saisi : {price} (tarif : {computed}) — motif : {reason}").format(
            price=format_money(override), computed=format_money(computed), reason=reason)
    warnings = []
    day = start.astimezone(PARIS).date()
    opens = dt.datetime.combine(day, settings.opens, tzinfo=PARIS)
    closes = dt.datetime.combine(day, settings.closes, tzinfo=PARIS)
    if start < opens or end > closes:
        warnings.append(_("En dehors des heures d'ouverture ({opens} – {closes})").format(
            opens=_hours(settings.opens), closes=_hours(settings.closes)))
    if day.weekday() not in settings.weekdays:
        warnings.append(_("La maison n'ouvre pas ce jour-là"))
    return Quote(price_cents=price, basis=basis, member_rate=member, computed_cents=computed,
                 explanation=explanation, warnings=tuple(warnings))


def _prepare(s: Session, draft: BookingDraft, *, settings: BookingSettings, today: dt.date,
             lock: bool = False, check_closed: bool = True) -> _Checked:
    """Check a draft (fields, then the room, the booker, the day) and price it. Raises
    ValidationError / NotFound; conflicts are the caller's."""
    title = " ".join((draft.title or "").split())
    if not title:
        raise ValidationError(_("Donnez un titre à la réservation (l'objet de la réunion)."),
                              field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError(_("Ce titre est trop long ({n} caractères au plus).").format(
            n=MAX_TITLE_LENGTH), field="title")
    start, end = _check_times(draft.start, draft.end)
    attendees = draft.attendees
    if not isinstance(attendees, int) or isinstance(attendees, bool) or attendees < 1:
        raise ValidationError(_("Indiquez le nombre de participants (1 au moins)."),
                              field="attendees")
    booker = _check_booker(draft.booker)
    try:
        status = BookingStatus(draft.status)
    except ValueError:
        status = None
    if status not in (BookingStatus.OPTION, BookingStatus.CONFIRMED):
        raise ValidationError(_("Une réservation est en option ou confirmée (pour l'annuler, "
                                "utilisez « Annuler la réservation »)."), field="status")
    notes = _clean_text(draft.notes)
    if len(notes) > MAX_NOTES_LENGTH:
        raise ValidationError(_("Les notes sont trop longues ({n} caractères au plus).").format(
            n=format_number(MAX_NOTES_LENGTH)), field="notes")
    override = draft.price_override_cents
    reason = " ".join((draft.override_reason or "").split()) if override is not None else ""
    if override is not None:
        if not isinstance(override, int) or isinstance(override, bool) \
                or not 0 <= override <= MAX_PRICE_CENTS:
            raise ValidationError(_("Le prix saisi se compte en euros, de 0 à {max}.").format(
                max=format_money(MAX_PRICE_CENTS)), field="price_override")
        if not reason:
            raise ValidationError(_("Un prix saisi à la main demande un motif (gratuité "
                                    "accordée, forfait négocié…)."), field="override_reason")
        if len(reason) > MAX_REASON_LENGTH:
            raise ValidationError(_("Ce motif est trop long ({n} caractères au plus).").format(
                n=MAX_REASON_LENGTH), field="override_reason")

    space = s.get(Space, draft.space_id, with_for_update=True if lock else None)
    if space is None:
        raise NotFound(_("Cette salle n'existe plus."))
    if SpaceKind(space.kind) not in _BOOKABLE:
        raise ValidationError(_("« {name} » ne se réserve pas : seules les salles de réunion et "
                                "d'atelier se réservent.").format(name=space.name),
                              field="space_id")
    if not space.active:
        raise ValidationError(_("« {name} » est hors service : choisissez une autre "
                                "salle.").format(name=space.name), field="space_id")
    if attendees > space.capacity:
        raise ValidationError(ngettext(
            "« {name} » accueille {n} personne au plus.",
            "« {name} » accueille {n} personnes au plus.", space.capacity).format(
            name=space.name, n=space.capacity), field="attendees")
    if booker.organisation_id is not None and s.get(Organisation, booker.organisation_id) is None:
        raise NotFound(_("Cette structure n'existe plus dans la base."))
    if booker.person_id is not None and s.get(Person, booker.person_id) is None:
        raise NotFound(_("Cette personne n'existe plus dans la base."))
    day = start.astimezone(PARIS).date()
    if check_closed:
        closed = closed_reason(day, settings, _closures(s, day, day))
        if closed is not None:
            raise ValidationError(_("La maison est fermée le {date} ({reason}) : choisissez un "
                                    "autre jour.").format(date=format_date(day, "full"),
                                                          reason=closed), field="start")
    option_until = None
    if status is BookingStatus.OPTION:
        option_until = draft.option_until
        if option_until is None:  # the default lifetime, not beyond the booking's day
            option_until = today + dt.timedelta(days=settings.option_days)
            if day >= today:
                option_until = min(option_until, day)
        if option_until < today:
            raise ValidationError(_("La date limite de l'option est passée : choisissez "
                                    "aujourd'hui ou un jour à venir."), field="option_until")
    rates = space_record(space).rates
    quote = _quote(start=start, end=end, rates=rates, member=_is_member(s, booker, day),
                   override=override, reason=reason, settings=settings)
    return _Checked(space=space, start=start, end=end, title=title, booker=booker,
                    attendees=attendees, status=status, option_until=option_until, notes=notes,
                    override_reason=reason, quote=quote)


def _apply(b: Booking, c: _Checked) -> None:
    b.space_id = c.space.id
    b.start, b.end = c.start, c.end
    b.title = c.title
    b.organisation_id, b.person_id = c.booker.organisation_id, c.booker.person_id
    b.contact_name = c.booker.contact_name
    b.contact_email = c.booker.contact_email
    b.contact_phone = c.booker.contact_phone
    b.attendees = c.attendees
    b.status = c.status
    b.option_until = c.option_until
    b.notes = c.notes
    b.price_cents = c.quote.price_cents
    b.price_basis = c.quote.basis
    b.member_rate = c.quote.member_rate
    b.override_reason = c.override_reason


def _draft_of(b: Booking) -> BookingDraft:
    """A stored booking as a draft (to move it)."""
    manual = PriceBasis(b.price_basis) is PriceBasis.MANUAL
    return BookingDraft(
        space_id=b.space_id, start=b.start, end=b.end, title=b.title,
        booker=Booker(organisation_id=b.organisation_id, person_id=b.person_id,
                      contact_name=b.contact_name, contact_email=b.contact_email,
                      contact_phone=b.contact_phone),
        attendees=b.attendees, status=BookingStatus(b.status), option_until=b.option_until,
        notes=b.notes or "", price_override_cents=b.price_cents if manual else None,
        override_reason=b.override_reason if manual else "")


# --- for sibling services: booking inside their own unit of work ---------------------------------
# A workshop session books its room for each half-day in the unit of work that writes the
# session (services/workshops.py): the same checks, room lock and conflict refusal as
# `BookingsService.create`, without opening a unit of work of their own (`ctx.writing()` does
# not nest). The caller checks its permission; every write is audited as usual.


def book_in_session(s: Session, draft: BookingDraft, *, today: dt.date) -> int:
    """Check `draft` as `create` does (fields, room, booker, a day the house is closed), lock
    the room, refuse with Conflict naming the booking in the way, and insert the booking in
    the unit of work `s`. Returns its id."""
    settings = _read_settings(s)
    c = _prepare(s, draft, settings=settings, today=today, lock=True)
    clash = _in_the_way(s, c.space.id, c.start, c.end, today)
    if clash:
        raise Conflict(_conflict_message(c.space.name, clash[0]), existing_id=clash[0].id)
    b = Booking()
    _apply(b, c)
    s.add(b)
    s.flush()
    return b.id


def cancel_in_session(s: Session, booking_id: int, *, reason: str, now: dt.datetime) -> None:
    """Cancel one booking in the unit of work `s` (kept, marked cancelled with the date and
    the reason), as `cancel` does. A booking already cancelled, or gone, is left as it is."""
    b = s.get(Booking, booking_id, with_for_update=True, populate_existing=True)
    if b is None or BookingStatus(b.status) is BookingStatus.CANCELLED:
        return
    b.status = BookingStatus.CANCELLED
    b.cancelled_at = now
    b.cancel_reason = " ".join((reason or "").split())[:MAX_REASON_LENGTH]
    s.flush()


# --- the service --------------------------------------------------------------------------------


class BookingsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> dt.date:
        return self.ctx.now().astimezone(PARIS).date()

    @staticmethod
    def _row(s: Session, booking_id: int, *, lock: bool = False) -> Booking:
        b = s.get(Booking, booking_id, with_for_update=True if lock else None,
                  populate_existing=lock)
        if b is None:
            raise NotFound(_("Cette réservation n'existe plus."))
        return b

    @staticmethod
    def _record(s: Session, booking_id: int) -> BookingRecord:
        rows = _records(s, _select(Booking.id == booking_id))
        if not rows:
            raise NotFound(_("Cette réservation n'existe plus."))
        return rows[0]

    # --- settings and closures ---------------------------------------------------------------

    @requires(Area.BOOKINGS, Access.READ)
    def settings(self) -> BookingSettings:
        """Opening hours, open weekdays, public holidays, options' lifetime, conditions."""
        with self.ctx.reading() as s:
            return _read_settings(s)

    @requires(Area.SETTINGS, Access.WRITE)
    def save_settings(self, settings: BookingSettings) -> BookingSettings:
        """Check and store the settings; returns them as stored."""
        opens, closes = settings.opens, settings.closes
        if not isinstance(opens, dt.time) or not isinstance(closes, dt.time):
            raise ValidationError(_("Indiquez les heures d'ouverture et de fermeture."),
                                  field="opens")
        opens, closes = opens.replace(second=0, microsecond=0), closes.replace(second=0,
                                                                                microsecond=0)
        if opens >= closes:
            raise ValidationError(_("La maison ouvre avant de fermer : l'heure d'ouverture "
                                    "vient avant celle de fermeture."), field="closes")
        try:
            weekdays = tuple(sorted({int(d) for d in settings.weekdays}))
        except (TypeError, ValueError):
            weekdays = ()
        if not weekdays or not all(0 <= d <= 6 for d in weekdays):
            raise ValidationError(_("Cochez au moins un jour d'ouverture."), field="weekdays")
        option_days = settings.option_days
        if not isinstance(option_days, int) or isinstance(option_days, bool) \
                or not MIN_OPTION_DAYS <= option_days <= MAX_OPTION_DAYS:
            raise ValidationError(_("Une option dure de {low} à {high} jours.").format(
                low=MIN_OPTION_DAYS, high=MAX_OPTION_DAYS), field="option_days")
        conditions = _clean_text(settings.conditions)
        if len(conditions) > MAX_CONDITIONS_LENGTH:
            raise ValidationError(
                _("Ce texte est trop long ({n} caractères au plus ; il en compte "
                  "{count}).").format(n=format_number(MAX_CONDITIONS_LENGTH),
                                      count=format_number(len(conditions))),
                field="conditions")
        cleaned = BookingSettings(opens=opens, closes=closes, weekdays=weekdays,
                                  skip_public_holidays=bool(settings.skip_public_holidays),
                                  option_days=option_days, conditions=conditions)
        values = {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M"),
                  "weekdays": ",".join(str(d) for d in weekdays),
                  "skip_public_holidays": "1" if cleaned.skip_public_holidays else "0",
                  "option_days": str(option_days), "conditions": conditions}
        with self.ctx.writing() as s:
            for key, value in values.items():
                SettingsService._put(s, PREFIX + key, value=value)
        return cleaned

    @requires(Area.BOOKINGS, Access.READ)
    def closures(self, *, year: int | None = None) -> tuple[Closure, ...]:
        """The closures of the house by start (of a year: those touching it)."""
        with self.ctx.reading() as s:
            if year is None:
                return tuple(_closure(c) for c in s.scalars(
                    select(ClosureRow).order_by(ClosureRow.start, ClosureRow.id)))
            return tuple(_closures(s, dt.date(year, 1, 1), dt.date(year, 12, 31)))

    @requires(Area.BOOKINGS, Access.READ)
    def closed_days(self, *, start: dt.date, end: dt.date) -> dict[dt.date, str]:
        """The days of [start, end) the house is closed, with the reason (a closure's label,
        a public holiday's name when the settings skip them)."""
        if end <= start:
            return {}
        with self.ctx.reading() as s:
            settings = _read_settings(s)
            closures = _closures(s, start, end - dt.timedelta(days=1))
        out = {}
        day = start
        while day < end:
            reason = closed_reason(day, settings, closures)
            if reason is not None:
                out[day] = reason
            day += dt.timedelta(days=1)
        return out

    @requires(Area.SETTINGS, Access.WRITE)
    def save_closure(self, closure: Closure) -> int:
        """Create (`closure.id` None) or change a closure; returns its id."""
        label = " ".join((closure.label or "").split())
        if not label:
            raise ValidationError(_("Donnez un nom à la fermeture (vacances d'été, fêtes de fin "
                                    "d'année…)."), field="label")
        if len(label) > 200:
            raise ValidationError(_("Ce nom est trop long (200 caractères au plus)."),
                                  field="label")
        if not isinstance(closure.start, dt.date) or not isinstance(closure.end, dt.date):
            raise ValidationError(_("Indiquez le premier et le dernier jour de la fermeture."),
                                  field="start")
        if closure.end < closure.start:
            raise ValidationError(_("Le dernier jour de la fermeture ne peut pas précéder le "
                                    "premier ({date}).").format(
                date=format_date(closure.start)), field="end")
        with self.ctx.writing() as s:
            if closure.id is None:
                row = ClosureRow()
                s.add(row)
            else:
                row = s.get(ClosureRow, closure.id)
                if row is None:
                    raise NotFound(_("Cette fermeture n'existe plus."))
            row.start, row.end, row.label = closure.start, closure.end, label
            s.flush()
            return row.id

    @requires(Area.SETTINGS, Access.WRITE)
    def delete_closure(self, *, closure_id: int) -> None:
        with self.ctx.writing() as s:
            row = s.get(ClosureRow, closure_id)
            if row is None:
                raise NotFound(_("Cette fermeture n'existe plus."))
            s.delete(row)

    # --- reading ------------------------------------------------------------------------------

    @requires(Area.BOOKINGS, Access.READ)
    def rooms(self) -> tuple[SpaceRecord, ...]:
        """The rooms that can be booked (meeting and workshop rooms in service), by floor
        then name."""
        with self.ctx.reading() as s:
            return tuple(space_record(sp) for sp in s.scalars(
                select(Space).where(Space.kind.in_(_BOOKABLE), Space.active.is_(True))
                .order_by(Space.floor, Space.name)))

    @requires(Area.BOOKINGS, Access.READ)
    def bookings(self, *, start: dt.date, end: dt.date, space_id: int | None = None,
                 include_cancelled: bool = False) -> tuple[BookingRecord, ...]:
        """The bookings starting on the days [start, end) in Paris, by start then room (the
        calendar's load: one query)."""
        if end <= start:
            return ()
        lo = day_bounds(start)[0].astimezone(dt.UTC)
        hi = day_bounds(end - dt.timedelta(days=1))[1].astimezone(dt.UTC)
        where = [Booking.start >= lo, Booking.start < hi]
        if space_id is not None:
            where.append(Booking.space_id == space_id)
        if not include_cancelled:
            where.append(Booking.status != BookingStatus.CANCELLED)
        with self.ctx.reading() as s:
            return tuple(_records(s, _select(*where).order_by(Booking.start, Space.name,
                                                              Booking.id)))

    @requires(Area.BOOKINGS, Access.READ)
    def day(self, *, day: dt.date) -> tuple[BookingRecord, ...]:
        """The bookings of one day (the reception's list), cancelled ones left out."""
        return self.bookings(start=day, end=day + dt.timedelta(days=1))

    @requires(Area.BOOKINGS, Access.READ)
    def booking(self, *, booking_id: int) -> BookingRecord:
        with self.ctx.reading() as s:
            return self._record(s, booking_id)

    @requires(Area.BOOKINGS, Access.READ)
    def series(self, *, series_id: int) -> tuple[BookingRecord, ...]:
        """Every booking of a series by start, cancelled ones included."""
        with self.ctx.reading() as s:
            if s.get(BookingSeries, series_id) is None:
                raise NotFound(_("Cette série de réservations n'existe plus."))
            return tuple(_records(s, _select(Booking.series_id == series_id)
                                  .order_by(Booking.start, Booking.id)))

    @requires(Area.BOOKINGS, Access.READ)
    def find(self, *, query: str, limit: int = 100) -> tuple[BookingRecord, ...]:
        """Bookings whose title or booker's name holds every word typed (case and accents
        do not matter), the upcoming ones first (soonest first), then the past ones (latest
        first)."""
        terms = search_key(query).split()
        if len("".join(terms)) < MIN_QUERY_LENGTH or limit <= 0:
            return ()
        # Each word in the title, the outside contact's name, or the booker's accent-free
        # name (organisations' and people's keys). SQLite folds ASCII only: for the title
        # and the contact, letters that may carry an accent match any character in SQL, and
        # the exact accent-free match is checked here.
        # (SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE of all.)
        sqlite = self.ctx.db.dialect == "sqlite"
        where = []
        for t in terms:
            loose, exact = _loose_pattern(t), f"%{escape_like(t)}%"

            def like(column, pattern=loose):
                return (column.like(pattern, escape="\\") if sqlite
                        else column.ilike(pattern, escape="\\"))

            where.append(or_(
                like(Booking.title), like(Booking.contact_name),
                Booking.organisation_id.in_(select(Organisation.id).where(
                    Organisation.search_key.like(exact, escape="\\"))),
                Booking.person_id.in_(select(Person.id).where(
                    Person.sort_key.like(exact, escape="\\")))))
        now = self.ctx.now()
        out: list[BookingRecord] = []
        with self.ctx.reading() as s:
            upcoming = _select(*where, Booking.start > now - LONGEST_BOOKING, Booking.end >= now)
            past = _select(*where, Booking.start < now, Booking.end < now)
            for stmt in (upcoming.order_by(Booking.start, Booking.id),
                         past.order_by(Booking.start.desc(), Booking.id.desc())):
                for row in s.execute(stmt.execution_options(yield_per=500)):
                    record = _from_row(row)
                    key = search_key(record.title, record.booker_name)
                    if all(t in key for t in terms):
                        out.append(record)
                        if len(out) >= limit:
                            return tuple(out)
        return tuple(out)

    # --- prices, conflicts, plans --------------------------------------------------------------

    @requires(Area.BOOKINGS, Access.READ)
    def quote(self, draft: BookingDraft) -> Quote:
        """The price of a draft and its warnings (checked like `create`, conflicts aside)."""
        with self.ctx.reading() as s:
            return _prepare(s, draft, settings=_read_settings(s), today=self._today()).quote

    @requires(Area.BOOKINGS, Access.READ)
    def conflicts(self, draft: BookingDraft, *, ignore_id: int | None = None
                  ) -> tuple[BookingRecord, ...]:
        """The bookings holding the draft's room over its period."""
        start, end = _check_times(draft.start, draft.end)
        with self.ctx.reading() as s:
            return tuple(_in_the_way(s, draft.space_id, start, end, self._today(),
                                     () if ignore_id is None else (ignore_id,)))

    @staticmethod
    def _plan(s: Session, c: _Checked, recurrence: Recurrence, settings: BookingSettings,
              today: dt.date) -> SeriesPlan:
        times = occurrence_times(c.start, c.end, recurrence)
        times = tuple(_occurrence(st.astimezone(PARIS).date(), c.start, c.end)
                      for st, _en in times)
        first, last = times[0][0].date(), times[-1][0].date()
        closures = _closures(s, first, last)
        lo = times[0][0].astimezone(dt.UTC)
        hi = times[-1][1].astimezone(dt.UTC)
        holding = _records(s, _select(
            Booking.space_id == c.space.id, Booking.start > lo - LONGEST_BOOKING,
            Booking.start < hi, *_holding(today)).order_by(Booking.start, Booking.id))
        occurrences = []
        for st, en in times:
            reason = closed_reason(st.date(), settings, closures)
            if reason is not None:
                occurrences.append(Occurrence(st, en, OccurrenceState.CLOSED, reason))
                continue
            clash = next((b for b in holding if b.start < en and b.end > st), None)
            if clash is not None:
                occurrences.append(Occurrence(st, en, OccurrenceState.CONFLICT,
                                              _describe(clash), clash.id))
                continue
            occurrences.append(Occurrence(st, en))
        return SeriesPlan(tuple(occurrences))

    @requires(Area.BOOKINGS, Access.READ)
    def plan_series(self, draft: BookingDraft, recurrence: Recurrence) -> SeriesPlan:
        """Each occurrence of a series: free, closed (the closure or holiday) or in conflict
        (the booking in the way)."""
        today = self._today()
        with self.ctx.reading() as s:
            settings = _read_settings(s)
            c = _prepare(s, draft, settings=settings, today=today, check_closed=False)
            _check_recurrence(c.day, recurrence)
            return self._plan(s, c, recurrence, settings, today)

    # --- writing ------------------------------------------------------------------------------

    @requires(Area.BOOKINGS, Access.WRITE)
    def create(self, draft: BookingDraft) -> int:
        """Book a room; refused with Conflict when another booking holds it."""
        today = self._today()
        with self.ctx.writing() as s:
            settings = _read_settings(s)
            c = _prepare(s, draft, settings=settings, today=today, lock=True)
            clash = _in_the_way(s, c.space.id, c.start, c.end, today)
            if clash:
                raise Conflict(_conflict_message(c.space.name, clash[0]), existing_id=clash[0].id)
            b = Booking()
            _apply(b, c)
            s.add(b)
            s.flush()
            return b.id

    @requires(Area.BOOKINGS, Access.WRITE)
    def create_series(self, draft: BookingDraft, recurrence: Recurrence, *,
                      skip_conflicts: bool = False) -> SeriesResult:
        """Book every `interval_weeks` weeks at the same Paris time; closed days are skipped;
        occurrences in conflict refuse the series (SeriesConflict with the plan) unless
        `skip_conflicts`, which books the free ones."""
        today = self._today()
        with self.ctx.writing() as s:
            settings = _read_settings(s)
            c = _prepare(s, draft, settings=settings, today=today, lock=True, check_closed=False)
            _check_recurrence(c.day, recurrence)
            plan = self._plan(s, c, recurrence, settings, today)
            if plan.conflicts and (not skip_conflicts or not plan.free):
                raise SeriesConflict(_series_conflict_message(c.space.name, plan), plan=plan)
            if not plan.free:
                raise ValidationError(_("La maison est fermée à toutes les dates de cette "
                                        "série."), field="start")
            series = BookingSeries(interval_weeks=recurrence.interval_weeks,
                                   until=recurrence.until, count=recurrence.count)
            s.add(series)
            s.flush()
            created = []
            for occ in plan.free:
                one = _prepare(s, replace(draft, start=occ.start, end=occ.end),
                               settings=settings, today=today, check_closed=False)
                b = Booking(series_id=series.id)
                _apply(b, one)
                s.add(b)
                s.flush()
                created.append(b.id)
            skipped = tuple(o for o in plan.occurrences if o.state is not OccurrenceState.FREE)
            return SeriesResult(series_id=series.id, created=tuple(created), skipped=skipped)

    @requires(Area.BOOKINGS, Access.WRITE)
    def update(self, booking_id: int, draft: BookingDraft, *,
               scope: SeriesScope = SeriesScope.ONE) -> None:
        """Change a booking (ONE), or this one and the later ones of its series (FOLLOWING:
        each keeps its date and takes the title, booker, attendees, notes, status, times of
        day and room; every one is checked; any conflict refuses the whole change)."""
        scope = SeriesScope(scope)
        today = self._today()
        with self.ctx.writing() as s:
            settings = _read_settings(s)
            b = _not_cancelled(self._row(s, booking_id))
            old_day = b.start.astimezone(PARIS).date()
            c = _prepare(s, draft, settings=settings, today=today, lock=True,
                         check_closed=_paris_day(draft.start) != old_day)
            b = _not_cancelled(self._row(s, booking_id, lock=True))
            targets: list[tuple[Booking, _Checked]] = [(b, c)]
            if scope is SeriesScope.FOLLOWING and b.series_id is not None:
                later = s.scalars(select(Booking).where(
                    Booking.series_id == b.series_id, Booking.id != b.id,
                    Booking.start >= b.start, Booking.status != BookingStatus.CANCELLED)
                    .order_by(Booking.start, Booking.id).with_for_update())
                for o in later:
                    st, en = _occurrence(o.start.astimezone(PARIS).date(), c.start, c.end)
                    targets.append((o, _prepare(s, replace(draft, start=st, end=en),
                                                settings=settings, today=today,
                                                check_closed=False)))
            ignore = {row.id for row, _c in targets}
            for i, (_b, one) in enumerate(targets):
                clash = _in_the_way(s, one.space.id, one.start, one.end, today, ignore)
                if not clash:  # the occurrences themselves, on the same day (a moved one)
                    clash = [self._record(s, other.id) for other, two in targets[:i]
                             if two.day == one.day and two.start < one.end
                             and two.end > one.start]
                if clash:
                    raise Conflict(_conflict_message(one.space.name, clash[0]),
                                   existing_id=clash[0].id)
            for row, one in targets:
                _apply(row, one)

    @requires(Area.BOOKINGS, Access.WRITE)
    def move(self, *, booking_id: int, start: dt.datetime, end: dt.datetime,
             space_id: int | None = None) -> None:
        """New times (and room) from the calendar's drag or resize: same checks; the price
        is computed again unless it was entered by hand."""
        today = self._today()
        with self.ctx.writing() as s:
            settings = _read_settings(s)
            b = _not_cancelled(self._row(s, booking_id))
            draft = replace(_draft_of(b), start=start, end=end,
                            space_id=b.space_id if space_id is None else space_id)
            old_day = b.start.astimezone(PARIS).date()
            c = _prepare(s, draft, settings=settings, today=today, lock=True,
                         check_closed=_paris_day(start) != old_day)
            b = _not_cancelled(self._row(s, booking_id, lock=True))
            clash = _in_the_way(s, c.space.id, c.start, c.end, today, (b.id,))
            if clash:
                raise Conflict(_conflict_message(c.space.name, clash[0]), existing_id=clash[0].id)
            _apply(b, c)

    @requires(Area.BOOKINGS, Access.WRITE)
    def confirm(self, *, booking_id: int) -> None:
        """An option becomes a confirmed booking (if the room is still free for it)."""
        today = self._today()
        with self.ctx.writing() as s:
            space_id = self._row(s, booking_id).space_id
            space = s.get(Space, space_id, with_for_update=True)
            b = self._row(s, booking_id, lock=True)
            status = BookingStatus(b.status)
            if status is BookingStatus.CANCELLED:
                raise ValidationError(_("Cette réservation est annulée : elle ne peut plus être "
                                        "confirmée."), field="status")
            if status is BookingStatus.CONFIRMED:
                return
            clash = _in_the_way(s, b.space_id, b.start, b.end, today, (b.id,))
            if clash:
                raise Conflict(_conflict_message(space.name, clash[0]), existing_id=clash[0].id)
            b.status = BookingStatus.CONFIRMED
            b.option_until = None

    @requires(Area.BOOKINGS, Access.WRITE)
    def cancel(self, *, booking_id: int, scope: SeriesScope = SeriesScope.ONE,
               reason: str = "") -> int:
        """Cancel a booking (or this one and the later ones of its series); they are kept,
        marked cancelled with the date and reason. Returns how many were cancelled."""
        scope = SeriesScope(scope)
        reason = " ".join((reason or "").split())
        if len(reason) > MAX_REASON_LENGTH:
            raise ValidationError(_("Ce motif est trop long ({n} caractères au plus).").format(
                n=MAX_REASON_LENGTH), field="reason")
        now = self.ctx.now()
        with self.ctx.writing() as s:
            b = self._row(s, booking_id, lock=True)
            rows = [b]
            if scope is SeriesScope.FOLLOWING and b.series_id is not None:
                rows += list(s.scalars(select(Booking).where(
                    Booking.series_id == b.series_id, Booking.id != b.id,
                    Booking.start >= b.start).with_for_update()))
            n = 0
            for row in rows:
                if BookingStatus(row.status) is BookingStatus.CANCELLED:
                    continue
                row.status = BookingStatus.CANCELLED
                row.cancelled_at = now
                row.cancel_reason = reason
                n += 1
            return n

    # --- papers and calendars -----------------------------------------------------------------

    def _confirmation_data(self, s: Session, booking_id: int, settings: BookingSettings):
        from maison_app.documents.booking_confirmation import ConfirmationData

        record = self._record(s, booking_id)
        if record.status is BookingStatus.CANCELLED:
            raise ValidationError(_("Cette réservation est annulée : elle ne se confirme "
                                    "plus."), field="status")
        room = space_record(s.get(Space, record.space_id))
        return ConfirmationData(booking=record, room=room,
                                booker_lines=tuple(_booker_lines(s, record)),
                                price_text=_price_text(record, room.rates),
                                conditions=settings.conditions)

    @requires(Area.BOOKINGS, Access.WRITE)
    def confirmation(self, *, booking_id: int) -> tuple[DocumentRecord, bytes]:
        """The booking confirmation (PDF), archived as RS-YYYY-NNNN. Printed again with
        nothing changed since (the same rendering), it is the archived document itself;
        after a change, a new one with the next number."""
        from maison_app.documents.booking_confirmation import build_pdf

        identity = SettingsService(self.ctx).identity()

        def archived(s: Session, data) -> tuple[DocumentRecord, bytes] | None:
            """The last confirmation, if printing it now gives the same document."""
            if data.booking.document_id is None:
                return None
            doc = s.get(Document, data.booking.document_id)
            if doc is None:
                return None
            again = build_pdf(identity, data, number=doc.number, issued=doc.issued_at)
            if hashlib.sha256(again).hexdigest() != doc.sha256:
                return None
            return document_record(doc), doc.content

        with self.ctx.reading() as s:
            data = self._confirmation_data(s, booking_id, _read_settings(s))
            seen = data.booking.document_id
            same = archived(s, data)
            if same is not None:
                return same
        documents = DocumentService(self.ctx)
        for attempt in range(3):
            try:
                with self.ctx.writing() as s:
                    now = self.ctx.now()
                    year = now.astimezone(PARIS).year
                    b = self._row(s, booking_id, lock=True)
                    data = self._confirmation_data(s, booking_id, _read_settings(s))
                    if b.document_id != seen:  # another desk printed it meanwhile
                        same = archived(s, data)
                        if same is not None:
                            return same
                    kind = DocumentKind.CONFIRMATION_RESERVATION
                    sequence = next_sequence(s, kind, year)
                    number = f"{kind.prefix}-{year}-{sequence:04d}"
                    content = build_pdf(identity, data, number=number, issued=now)
                    record = data.booking
                    doc = documents.archive(
                        s, kind=kind, year=year, sequence=sequence, content=content,
                        subject=_("Confirmation de réservation — {title}, {room}, {date}").format(
                            title=record.title, room=record.space_name,
                            date=format_date(record.day)))
                    doc.issued_at = now  # the date printed: a reprint renders the same bytes
                    b.document_id = doc.id
                    s.flush()
                    return document_record(doc), content
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    @requires(Area.BOOKINGS, Access.READ)
    def ics(self, *, booking_id: int) -> tuple[str, bytes]:
        """One booking as an iCalendar file: (file name, bytes)."""
        from maison_app.documents.icalendar_export import booking_calendar

        with self.ctx.reading() as s:
            record = self._record(s, booking_id)
        identity = SettingsService(self.ctx).identity()
        content = booking_calendar([record], identity_name=identity.name,
                                   calendar_name=f"{record.title} — {record.space_name}",
                                   stamp=self.ctx.now())
        return f"reservation-{record.id}.ics", content

    @requires(Area.BOOKINGS, Access.READ)
    def room_ics(self, *, space_id: int, start: dt.date, end: dt.date) -> tuple[str, bytes]:
        """A room's bookings over the days [start, end), cancelled ones left out, as an
        iCalendar file: (file name, bytes)."""
        from maison_app.documents.icalendar_export import booking_calendar

        if end <= start:
            raise ValidationError(_("La fin de la période doit venir après son début."),
                                  field="end")
        with self.ctx.reading() as s:
            space = s.get(Space, space_id)
            if space is None:
                raise NotFound(_("Cette salle n'existe plus."))
            name = space.name
        records = self.bookings(start=start, end=end, space_id=space_id)
        identity = SettingsService(self.ctx).identity()
        content = booking_calendar(records, identity_name=identity.name,
                                   calendar_name=f"{name} — {identity.name}",
                                   stamp=self.ctx.now())
        last = end - dt.timedelta(days=1)
        if (start.year, start.month) == (last.year, last.month):
            period = f"{start:%Y-%m}"
        else:
            period = f"{start:%Y-%m-%d}-{last:%Y-%m-%d}"
        return f"{_slug(name)}-{period}.ics", content


def _not_cancelled(b: Booking) -> Booking:
    if BookingStatus(b.status) is BookingStatus.CANCELLED:
        raise ValidationError(_("Cette réservation est annulée : elle ne se modifie plus."),
                              field="status")
    return b


def _paris_day(moment: dt.datetime) -> dt.date | None:
    """The Paris day of an aware datetime (None for anything else: the checks say why)."""
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        return moment.astimezone(PARIS).date()
    return None


def _loose_pattern(term: str) -> str:
    """A LIKE pattern that an accented spelling of `term` matches in SQLite too: letters
    that may carry an accent (or a ligature: "oe", "ae") match any character."""
    term = escape_like(term)
    term = re.sub(r"oe|ae", "%", term)
    return "%" + re.sub(r"[aceiouy]", "_", term) + "%"


def _series_conflict_message(room: str, plan: SeriesPlan) -> str:
    lines = [_("{date} : {booking}").format(date=format_date(o.day), booking=o.reason)
             for o in plan.conflicts[:5]]
    more = len(plan.conflicts) - len(lines)
    text = ngettext("« {room} » est déjà réservée à {n} date de la série :",
                    "« {room} » est déjà réservée à {n} dates de la série :",
                    len(plan.conflicts)).format(room=room, n=len(plan.conflicts))
    text += "\n" + "\n".join(lines)
    if more:
        text += "\n" + ngettext("… et {n} autre.", "… et {n} autres.", more).format(n=more)
    if plan.free:
        text += "\n" + ngettext("{n} date reste libre : vous pouvez réserver celle-ci seule.",
                                "{n} dates restent libres : vous pouvez réserver celles-ci "
                                "seules.", len(plan.free)).format(n=len(plan.free))
    return text


def _address(address: str | None, postcode: str | None, city: str | None) -> list[str]:
    lines = [address.strip()] if address and address.strip() else []
    town = f"{postcode or ''} {city or ''}".strip()
    if town:
        lines.append(town)
    return lines


def _booker_lines(s: Session, b: BookingRecord) -> list[str]:
    """Who booked, as printed: the name, then the address, e-mail, phone as known."""
    if b.booker.organisation_id is not None:
        org = s.get(Organisation, b.booker.organisation_id)
        return [b.booker_name, *_address(org.address, org.postcode, org.city),
                *(x for x in (org.email, org.phone) if x)]
    if b.booker.person_id is not None:
        p = s.get(Person, b.booker.person_id)
        return [b.booker_name, *_address(p.address, p.postcode, p.city),
                *(x for x in (p.email, p.phone) if x)]
    return [x for x in (b.booker_name, b.booker.contact_email, b.booker.contact_phone) if x]


def _price_text(b: BookingRecord, rates: Rates) -> str:
    """The price as the confirmation prints it, with its basis (and the reason of a price
    entered by hand)."""
    if b.price_basis is PriceBasis.MANUAL:
        return _("Prix convenu : {price} — motif : {reason}").format(
            price=format_money(b.price_cents), reason=b.override_reason)
    minutes = _minutes(b.start, b.end)
    price, basis, rate = compute_price(minutes, rates, member=b.member_rate)
    if (price, basis) == (b.price_cents, b.price_basis):
        return _explain(minutes, basis, price, rate, b.member_rate)
    if b.price_basis is PriceBasis.FREE or b.price_cents == 0:
        return _("Gratuit")
    return _("{price} ({basis}, {audience})").format(
        price=format_money(b.price_cents), basis=b.price_basis.label.lower(),
        audience=_audience(b.member_rate))


# --- data protection: the bookings of a person ---------------------------------------------------


def _export_bookings(s: Session, person_id: int) -> list[dict[str, object]]:
    email = s.scalar(select(Person.email).where(Person.id == person_id))
    who = Booking.person_id == person_id
    if email:
        who = or_(who, func.lower(Booking.contact_email) == email.strip().lower())
    return [{"salle": b.space_name, "début": b.start.isoformat(), "fin": b.end.isoformat(),
             "objet": b.title, "statut": b.status.value, "participants": b.attendees,
             "prix_centimes": b.price_cents, "contact": b.booker.contact_name or None,
             "e-mail du contact": b.booker.contact_email or None,
             "téléphone du contact": b.booker.contact_phone or None,
             "notes": b.notes or None, "motif d'annulation": b.cancel_reason or None}
            for b in _records(s, _select(who).order_by(Booking.start, Booking.id))]


def _erase_bookings(s: Session, person_id: int) -> str:
    """The bookings stay for the accounts and the rooms' figures, linked to the anonymised
    record; their notes and contact details are erased."""
    email = s.info.get(ERASED_EMAIL_KEY, "")
    booked_as = Booking.person_id == person_id
    if email:  # also the bookings made as an outside contact with the person's e-mail
        booked_as = or_(booked_as, func.lower(Booking.contact_email) == email)
    rows = list(s.scalars(select(Booking).where(booked_as)))
    for b in rows:
        b.notes = ""
        b.contact_name = b.contact_email = b.contact_phone = ""
    return ngettext("{n} réservation de salle conservée sans nom pour les comptes, ses notes "
                    "effacées.",
                    "{n} réservations de salles conservées sans nom pour les comptes, leurs "
                    "notes effacées.", len(rows)).format(n=len(rows))


def _active_since(since: dt.datetime):
    return select(Booking.person_id).where(Booking.person_id.is_not(None), Booking.end >= since)


register(PersonalDataArea("bookings", lambda: _("Réservations de salles"), _export_bookings,
                          _erase_bookings, active_since=_active_since))

