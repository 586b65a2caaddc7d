"""Incubation and hosting: programmes, accompanied projects and their follow-up, hosting
agreements (conventions d'hébergement) and the mail of domiciled organisations — the records
the area returns and its pure rules (stay limits, follow-up gaps, the state of an agreement
on a day, fees with VAT, the half-year of the domiciliation list).

Periods are whole days, both ends included, as for desk assignments. Money is in cents; a VAT
rate is in basis points (2000 = 20 %); jobs are counted in hundredths of a full-time
equivalent (150 = 1,5 ETP)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from maison_app.domain.enums import (
    AgreementLink,
    AgreementState,
    AgreementStatus,
    HostingService,
    LegalForm,
    MailKind,
    ProjectOutcome,
    ProjectStage,
)

FOLLOW_UP_GAP_DAYS = 60  # a project without a follow-up meeting for so long is listed
STAY_WARNING_DAYS = 60  # a project this close to its programme's maximum stay is flagged
ENDING_AGREEMENTS_DAYS = 60  # agreements ending within so many days are listed
MAIL_UNCOLLECTED_MONTHS = 3  # mail waiting longer than this is flagged
DEFAULT_VAT_BP = 2000


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# --- programmes and projects ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgrammeRecord:
    id: int | None  # None: a new programme
    name: str  # "Pépinière", "Hôtel d'entreprises", "CAE", "Incubation"
    max_months: int | None = None  # the longest stay (23 for the pépinière); None: no limit
    description: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class Holder:
    person_id: int
    name: str


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: int | None  # None: a new project
    name: str
    programme_id: int
    programme_name: str = ""
    stage: ProjectStage = ProjectStage.IDEE
    referent: str = ""  # the staff member who follows it
    entry_date: dt.date | None = None
    exit_date: dt.date | None = None
    outcome: ProjectOutcome | None = None
    jobs_fte_hundredths: int | None = None  # jobs created at exit, in hundredths of an FTE
    organisation_id: int | None = None  # once the company exists
    organisation_name: str = ""
    holders: tuple[Holder, ...] = ()
    description: str = ""
    notes: str | None = None
    last_follow_up: dt.date | None = None  # read-only: the latest meeting
    max_months: int | None = None  # read-only: the programme's limit

    @property
    def active(self) -> bool:
        return self.exit_date is None

    @property
    def stay_limit(self) -> dt.date | None:
        """The last day the programme allows (entry + maximum stay − 1 day)."""
        if self.entry_date is None or self.max_months is None:
            return None
        return add_months(self.entry_date, self.max_months) - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class FollowUpRecord:
    id: int | None
    project_id: int
    date: dt.date
    topic: str
    notes: str = ""
    next_steps: str = ""
    author: str = ""


@dataclass(frozen=True, slots=True)
class ProjectAlert:
    """A project near the end of its stay, or without a follow-up for too long."""

    project_id: int
    project_name: str
    kind: str  # "stay" or "follow_up"
    day: dt.date | None  # the stay limit, or the last follow-up (None: never)
    message: str


def stay_alert(project: ProjectRecord, today: dt.date, *, days: int = STAY_WARNING_DAYS
               ) -> bool:
    """Is an active project within `days` of its programme's maximum stay (or past it)?"""
    limit = project.stay_limit
    return project.active and limit is not None and limit - today <= dt.timedelta(days=days)


def follow_up_overdue(project: ProjectRecord, today: dt.date, *,
                      days: int = FOLLOW_UP_GAP_DAYS) -> bool:
    """Has an active project gone `days` without a follow-up meeting (counted from its entry
    when it never had one)?"""
    if not project.active:
        return False
    since = project.last_follow_up or project.entry_date
    return since is not None and (today - since).days >= days


# --- hosting agreements -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GrantedSpace:
    """An office or a desk an agreement grants, and how many people it seats there."""

    space_id: int
    space_name: str = ""
    seats: int = 1
    floor: int = 0
    kind_label: str = ""  # "Bureau", "Poste de travail" (for the document)
    equipment: str = ""


@dataclass(frozen=True, slots=True)
class Party:
    """The occupant as the convention names it."""

    name: str
    legal_form: LegalForm | None = None
    siret: str = ""
    address: str = ""  # one line: "12 rue …, 79000 Niort"
    representative: str = ""  # "Mme Jeanne Martin"
    representative_title: str = ""  # "gérante", "présidente", "porteuse du projet"
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class AgreementRecord:
    id: int | None  # None: a new draft
    number: str  # "CH-2026-0007" ("" before the first save)
    status: AgreementStatus
    start: dt.date
    end: dt.date
    organisation_id: int | None = None  # the occupant: an organisation…
    person_id: int | None = None  # …or a project holder before the company exists
    occupant_name: str = ""
    project_id: int | None = None
    project_name: str = ""
    programme_name: str = ""
    representative: str = ""  # who signs for the occupant
    representative_title: str = ""
    monthly_fee_cents: int = 0  # excl. VAT
    vat_bp: int = DEFAULT_VAT_BP
    deposit_cents: int = 0
    services: frozenset[HostingService] = frozenset()
    notice_months: int = 1
    spaces: tuple[GrantedSpace, ...] = ()
    previous_id: int | None = None
    previous_number: str = ""
    link: AgreementLink | None = None
    signed_on: dt.date | None = None
    host_signatory: str = ""  # "Mme …, présidente" for the house
    occupant_signatory: str = ""
    terminated_on: dt.date | None = None  # last day, when terminated early
    termination_reason: str = ""
    replaced_from: dt.date | None = None  # read-only: an amendment's start
    document_id: int | None = None  # the archived signed PDF
    notes: str | None = None

    @property
    def fee_vat_cents(self) -> int:
        return vat_cents(self.monthly_fee_cents, self.vat_bp)

    @property
    def fee_incl_cents(self) -> int:
        return self.monthly_fee_cents + self.fee_vat_cents

    @property
    def domiciled(self) -> bool:
        return HostingService.DOMICILIATION in self.services

    @property
    def last_day(self) -> dt.date:
        """The last day it runs: its end, or earlier when terminated or replaced."""
        days = [self.end]
        if self.terminated_on is not None:
            days.append(self.terminated_on)
        if self.replaced_from is not None:
            days.append(self.replaced_from - dt.timedelta(days=1))
        return min(days)

    def state(self, today: dt.date) -> AgreementState:
        return agreement_state(self, today)


def vat_cents(excl_cents: int, vat_bp: int) -> int:
    """VAT on an amount, rounded to the cent, halves away from zero (as invoices do)."""
    value = excl_cents * vat_bp
    q, r = divmod(abs(value), 10_000)
    rounded = q + (1 if r * 2 >= 10_000 else 0)
    return rounded if value >= 0 else -rounded


def agreement_state(a: AgreementRecord, today: dt.date) -> AgreementState:
    if a.status is AgreementStatus.DRAFT:
        return AgreementState.DRAFT
    if a.status is AgreementStatus.TERMINATED and (a.terminated_on is None
                                                   or a.terminated_on < today
                                                   or a.terminated_on < a.start):
        return AgreementState.TERMINATED  # over, or ended before it began
    if a.replaced_from is not None and a.replaced_from <= today:
        return AgreementState.REPLACED
    if today < a.start:
        return AgreementState.SIGNED
    if today > a.last_day:
        return (AgreementState.TERMINATED if a.status is AgreementStatus.TERMINATED
                else AgreementState.ENDED)
    return AgreementState.ACTIVE


def missing_for_signature(a: AgreementRecord) -> list[tuple[str, str]]:
    """What a draft lacks before it can be signed: (field, French message) pairs."""
    from maison_app.i18n import _

    missing = []
    if a.organisation_id is None and a.person_id is None:
        missing.append(("occupant", _("Choisissez la structure ou la personne hébergée.")))
    if not a.representative.strip():
        missing.append(("representative", _("Indiquez qui signe pour l'occupant.")))
    if not a.spaces and not a.domiciled:
        missing.append(("spaces", _("Une convention met à disposition au moins un bureau ou "
                                    "un poste, ou domicilie la structure.")))
    if a.end < a.start:
        missing.append(("end", _("La date de fin précède la date de début.")))
    return missing


@dataclass(frozen=True, slots=True)
class HostingTexts:
    """The house's own text for the conventions, editable in the settings."""

    preamble: str = ""
    special_clauses: str = ""  # added after the standard articles
    internal_rules: str = ""  # the règlement intérieur, annexed
    host_signatory: str = ""  # "Mme Claire Dupuis, présidente"
    vat_bp: int = DEFAULT_VAT_BP
    default_notice_months: int = 1
    insurance_text: str = ""  # optional override of the insurance article


@dataclass(frozen=True, slots=True)
class ConventionData:
    """Everything the convention PDF prints (documents/convention.py)."""

    agreement: AgreementRecord
    occupant: Party
    texts: HostingTexts
    draft: bool = False  # a draft prints "PROJET" and no signature date


@dataclass(frozen=True, slots=True)
class AttestationData:
    """An attestation d'hébergement or de domiciliation (documents/attestation.py)."""

    agreement: AgreementRecord
    occupant: Party
    issued_on: dt.date
    signatory: str  # who signs for the house
    domiciliation: bool = False


@dataclass(frozen=True, slots=True)
class DomiciliationLine:
    organisation_id: int | None
    person_id: int | None
    name: str
    legal_form: LegalForm | None
    siret: str
    representative: str
    start: dt.date  # of the domiciliation
    end: dt.date | None  # when it ended within the half-year; None: still running
    agreement_number: str


@dataclass(frozen=True, slots=True)
class DomiciliationList:
    year: int
    half: int  # 1: January–June, 2: July–December
    first: dt.date
    last: dt.date
    lines: tuple[DomiciliationLine, ...] = field(default=())


def half_year(year: int, half: int) -> tuple[dt.date, dt.date]:
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


# --- mail of domiciled organisations ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MailRecord:
    id: int | None
    organisation_id: int | None
    person_id: int | None
    recipient: str  # the organisation's (or person's) name
    received_on: dt.date
    kind: MailKind = MailKind.LETTER
    sender: str = ""
    notified_on: dt.date | None = None
    collected_on: dt.date | None = None
    notes: str = ""

    @property
    def waiting(self) -> bool:
        return self.collected_on is None


def mail_overdue(mail: MailRecord, today: dt.date, *,
                 months: int = MAIL_UNCOLLECTED_MONTHS) -> bool:
    """Mail still waiting `months` after it arrived."""
    return mail.waiting and add_months(mail.received_on, months) <= today
