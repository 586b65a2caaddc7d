"""Members: the rules of the SCIC's membership, the member code on badges, the checks of
French contact data, and the records the members area returns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from maison_app.domain.enums import (
    AffiliationRole,
    LegalForm,
    MemberKind,
    MembershipStatus,
    PaymentMethod,
)
from maison_app.domain.errors import ValidationError
from maison_app.i18n import _

# --- the colleges of the SCIC (defaults, from the PTCE's governance) ---------------------

# Data, not interface text: the names are stored by migration 0005 and renamed in the
# settings, so they are not translated.
DEFAULT_COLLEGES = (
    "Entreprises adhérentes",
    "Réseaux de l'ESS",
    "Collectivités",
    "Partenaires",
    "Bénévoles",
    "Salarié·es",
)

# --- membership status -------------------------------------------------------------------


def membership_status(*, fee_cents: int | None, paid_cents: int, had_previous_year: bool
                      ) -> MembershipStatus | None:
    """Where a member stands for a year.

    `fee_cents` is the fee of that year's membership, None when the member has none that
    year. Paid in full (or a free membership): à jour. Something paid: partiellement payé.
    Nothing paid yet: à relancer. No membership this year but one the year before: non
    renouvelé. Never a member around that year: None."""
    if fee_cents is None:
        return MembershipStatus.NON_RENOUVELE if had_previous_year else None
    if paid_cents >= fee_cents:
        return MembershipStatus.A_JOUR
    if paid_cents > 0:
        return MembershipStatus.PARTIEL
    return MembershipStatus.A_RELANCER


# --- the member code printed as a QR code on badges ----------------------------------------

MEMBER_CODE_PREFIX = "ESS"
_CODE = re.compile(r"^ESS(\d{6,9})(\d)$")


def _luhn_digit(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # the digit next to the check digit is doubled
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def member_code(person_id: int) -> str:
    """"ESS0001234" + a check digit: ASCII only, short enough for a small QR code, and a
    mistyped digit is never read as somebody else's code."""
    digits = f"{person_id:06d}"  # more digits past a million people
    return f"{MEMBER_CODE_PREFIX}{digits}{_luhn_digit(digits)}"


def parse_member_code(text: str) -> int | None:
    """The person id in a typed or scanned member code, or None if the text is not one
    (a scanner may add spaces; case does not matter)."""
    m = _CODE.match(re.sub(r"\s", "", text or "").upper())
    if m is None or _luhn_digit(m.group(1)) != int(m.group(2)):
        return None
    return int(m.group(1))


# --- French contact data ---------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"[\s.\-/()]")


def check_phone(value: str | None, *, field: str = "phone") -> str | None:
    """A French phone number, stored as "05 49 00 00 00" (or "+33 5 49 00 00 00" when
    typed in international form); other international numbers are kept as typed."""
    if not value or not value.strip():
        return None
    raw = _PHONE_CHARS.sub("", value.strip())
    if raw.startswith("0033"):
        raw = "+33" + raw[4:]
    if raw.startswith("+33"):
        rest = raw[3:].removeprefix("0")
        if re.fullmatch(r"[1-9]\d{8}", rest):
            return "+33 " + rest[0] + " " + " ".join(rest[i:i + 2] for i in range(1, 9, 2))
    elif raw.startswith("+") and re.fullmatch(r"\+\d{6,15}", raw):
        return value.strip()
    elif re.fullmatch(r"0[1-9]\d{8}", raw):
        return " ".join(raw[i:i + 2] for i in range(0, 10, 2))
    raise ValidationError(
        _("Ce numéro de téléphone n'est pas valide : 10 chiffres commençant par 0 "
          "(exemple : 05 49 12 34 56) ou la forme internationale +33 5 49 12 34 56."),
        field=field)


def check_postcode(value: str | None, *, field: str = "postcode") -> str | None:
    """Five digits (Corsica's 20xxx included)."""
    if not value or not value.strip():
        return None
    code = re.sub(r"\s", "", value)
    if not re.fullmatch(r"\d{5}", code):
        raise ValidationError(
            _("Le code postal compte 5 chiffres (exemple : 79000)."), field=field)
    return code


def check_naf(value: str | None, *, field: str = "naf_code") -> str | None:
    """The NAF (APE) code: two digits, a dot, two digits, a letter ("88.99B"); typed
    without the dot or in lower case, it is put right."""
    if not value or not value.strip():
        return None
    code = re.sub(r"\s", "", value).upper()
    m = re.fullmatch(r"(\d{2})\.?(\d{2})([A-Z])", code)
    if m is None:
        raise ValidationError(
            _("Le code NAF s'écrit 2 chiffres, un point, 2 chiffres et une lettre "
              "(exemple : 88.99B)."), field=field)
    return f"{m.group(1)}.{m.group(2)}{m.group(3)}"


# --- money -----------------------------------------------------------------------------------


def parse_euros(text: str | int | Decimal | None, *, field: str, allow_zero: bool = True) -> int:
    """Cents from "1 234,50", "1234.5", "12 €"; a French message next to `field` otherwise."""
    if isinstance(text, int):
        cents = text * 100
    else:
        raw = re.sub(r"[\s\u00a0\u202f€]", "", str(text or ""))
        if raw.count(",") == 1 and "." in raw:  # "1.234,50"
            raw = raw.replace(".", "")
        raw = raw.replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(
                _("Montant illisible : écrivez par exemple 25 ou 12,50."), field=field) from None
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(_("Un montant se donne au centime près."), field=field)
        cents = int(value * 100)
    if cents < 0 or (cents == 0 and not allow_zero):
        raise ValidationError(
            _("Le montant doit être positif.") if cents < 0
            else _("Le montant doit être supérieur à zéro."), field=field)
    if cents > 100_000_000:
        raise ValidationError(_("Ce montant est trop élevé."), field=field)
    return cents


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class College:
    id: int
    name: str
    position: int
    active: bool


@dataclass(frozen=True, slots=True)
class Fee:
    """The fee of a college for a year (None: not set yet)."""

    college_id: int
    college: str
    year: int
    fee_cents: int | None


@dataclass(frozen=True, slots=True)
class MemberFilter:
    """What the members list shows. `year` is the year the college and status columns
    and filters refer to."""

    kind: MemberKind = MemberKind.PERSON
    query: str = ""
    year: int | None = None
    college_id: int | None = None
    status: MembershipStatus | None = None
    legal_form: LegalForm | None = None
    members_only: bool = False  # only those with a membership that year


class MemberSort:
    """The columns the list may be sorted by."""

    NAME = "name"
    EMAIL = "email"
    CITY = "city"
    POSTCODE = "postcode"
    CREATED = "created"
    COLLEGE = "college"
    ALL = (NAME, EMAIL, CITY, POSTCODE, CREATED, COLLEGE)


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One line of the members list (a person or an organisation)."""

    kind: MemberKind
    id: int
    name: str  # "Hélène Lefèvre" or the organisation's name
    email: str | None
    phone: str | None
    postcode: str | None
    city: str | None
    detail: str  # people: their organisations; organisations: legal form and SIRET
    college: str | None  # that year's
    status: MembershipStatus | None  # that year's
    fee_cents: int | None
    paid_cents: int


@dataclass(frozen=True, slots=True)
class AffiliationRecord:
    id: int
    person_id: int
    person_name: str
    organisation_id: int
    organisation_name: str
    role: AffiliationRole
    since: dt.date | None
    until: dt.date | None


@dataclass(frozen=True, slots=True)
class PersonDetail:
    id: int | None = None  # None: a new person
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    notes: str | None = None
    consent_date: dt.date | None = None
    member_code: str | None = None
    affiliations: tuple[AffiliationRecord, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class OrganisationDetail:
    id: int | None = None
    name: str = ""
    legal_form: LegalForm | None = None
    siret: str | None = None
    naf_code: str | None = None
    esus_agrement: bool = False
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    notes: str | None = None
    affiliations: tuple[AffiliationRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    id: int
    membership_id: int
    amount_cents: int
    paid_on: dt.date
    method: PaymentMethod
    reference: str | None
    receipt_document_id: int | None
    receipt_number: str | None


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    id: int
    kind: MemberKind
    member_id: int
    member_name: str
    year: int
    college_id: int
    college: str
    fee_cents: int
    paid_cents: int
    notes: str | None
    payments: tuple[PaymentRecord, ...] = ()

    @property
    def status(self) -> MembershipStatus:
        return membership_status(fee_cents=self.fee_cents, paid_cents=self.paid_cents,
                                 had_previous_year=False)

    @property
    def due_cents(self) -> int:
        return max(self.fee_cents - self.paid_cents, 0)


@dataclass(frozen=True, slots=True)
class ShareRecord:
    """A subscription of parts sociales of the SCIC."""

    id: int
    kind: MemberKind
    member_id: int
    count: int
    nominal_cents: int
    subscribed_on: dt.date
    notes: str | None

    @property
    def total_cents(self) -> int:
        return self.count * self.nominal_cents


@dataclass(frozen=True, slots=True)
class RenewalRow:
    """A member to remind: what they owe for the year, or that they have not renewed."""

    kind: MemberKind
    member_id: int
    name: str
    email: str | None
    phone: str | None
    college: str
    year: int
    status: MembershipStatus
    fee_cents: int
    paid_cents: int


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Records that look like the same person or organisation."""

    kind: MemberKind
    reason: str  # "même nom et même e-mail", "même SIRET"
    ids: tuple[int, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergePreview:
    """What a merge will do, for the confirmation."""

    kind: MemberKind
    keep_id: int
    keep_name: str
    remove_id: int
    remove_name: str
    moved: tuple[tuple[str, int], ...] = ()  # ("Passages à l'accueil", 12), …
    filled_fields: tuple[str, ...] = ()  # fields of the kept record filled from the other
    joined_years: tuple[int, ...] = ()  # years where both had a membership (payments joined)

    def lines(self) -> list[str]:
        out = [_("{label} : {n}").format(label=label, n=n) for label, n in self.moved if n]
        if self.filled_fields:
            out.append(_("Champs complétés : {fields}").format(fields=", ".join(self.filled_fields)))
        if self.joined_years:
            out.append(_("Adhésions réunies (paiements regroupés) : {years}").format(
                years=", ".join(str(y) for y in self.joined_years)))
        return out


@dataclass(frozen=True, slots=True)
class BadgeData:
    """What a member badge shows."""

    person_id: int
    name: str
    organisation: str
    member_code: str
    college: str | None = None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class ReceiptData:
    """What a reçu de cotisation carries (the number is given when it is issued)."""

    member_name: str
    member_address: str
    college: str
    year: int  # the period: the calendar year of the membership
    amount_cents: int
    paid_on: dt.date
    method: PaymentMethod
    reference: str | None
    fee_cents: int
    paid_total_cents: int  # every payment of the membership so far, this one included
