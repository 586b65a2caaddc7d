"""Hosting agreements (conventions d'hébergement), their attestations and the half-yearly
list of domiciled organisations.

Life of an agreement: a draft gets its number (CH-2026-0007, one sequence per year shared
with the archive of documents, never reused) when it is first saved, and may be changed or
deleted as long as it is a draft. Signing checks that nothing is missing, that no desk it
grants is granted by another running agreement at the same dates, and that the offices and
desks can be held (the rules of the spaces area); then, in one unit of work, it creates the
desk assignments, renders the convention and archives it under the agreement's number. From
then on the archived PDF is the reference: printing it again gives the same bytes, and the
agreement no longer changes, but for an early termination. A change is an amendment (avenant:
a new agreement that takes over from its start date; the previous one's desks end the day
before) and a new period a renewal (a new agreement after the previous one's end)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maison_app.db.hosting import (
    AgreementSpace,
    HostingAgreement,
    Programme,
    Project,
    ProjectHolder,
)
from maison_app.db.models import Affiliation, Document, Organisation, Person
from maison_app.db.spaces import DeskAssignment, Space
from maison_app.domain.enums import (
    AffiliationRole,
    AgreementLink,
    AgreementState,
    AgreementStatus,
    DocumentKind,
    HostingService,
    LegalForm,
    SpaceKind,
)
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.hosting import (
    ENDING_AGREEMENTS_DAYS,
    AgreementRecord,
    AttestationData,
    ConventionData,
    DomiciliationLine,
    DomiciliationList,
    GrantedSpace,
    Party,
    add_months,
    half_year,
    missing_for_signature,
)
from maison_app.domain.permissions import Access, Area
from maison_app.domain.records import DocumentRecord
from maison_app.domain.spaces import overlaps
from maison_app.domain.text import full_name, search_key, search_terms
from maison_app.i18n import PARIS, _, format_date, ngettext
from maison_app.services import spaces as spaces_module
from maison_app.services.context import ServiceContext
from maison_app.services.documents import DocumentService, next_sequence
from maison_app.services.documents import _record as document_record
from maison_app.services.hosting_texts import HostingTextsService
from maison_app.services.permissions import requires
from maison_app.services.privacy import PersonalDataArea, register
from maison_app.services.settings import SettingsService

_SERVICE_COLUMNS = {
    HostingService.DOMICILIATION: "domiciliation",
    HostingService.MAIL: "mail_handling",
    HostingService.INTERNET: "internet",
    HostingService.PRINTING: "printing",
}
MAX_MONEY_CENTS = 100_000_00  # 100,000 € a month: beyond that, a typing mistake


def _services_of(a: HostingAgreement) -> frozenset[HostingService]:
    return frozenset(k for k, column in _SERVICE_COLUMNS.items() if getattr(a, column))


def _chunks(ids: Sequence[int], size: int = 500):
    """The ids by slices: an IN list stays within every database's limit of parameters."""
    for k in range(0, len(ids), size):
        yield ids[k:k + size]


def _records(s: Session, agreements: Sequence[HostingAgreement]) -> list[AgreementRecord]:
    """The records of `agreements`, in their order, read with a few queries whatever their
    number (the occupants, projects, programmes, previous agreements, granted spaces and
    amendments of all of them at once)."""
    if not agreements:
        return []
    ids = [a.id for a in agreements]
    orgs: dict[int, str] = {}
    people: dict[int, str] = {}
    projects: dict[int, tuple[str, int | None]] = {}
    programmes: dict[int, str] = {}
    previous: dict[int, str] = {}
    granted: dict[int, list[GrantedSpace]] = {}
    replaced: dict[int, dt.date] = {}
    org_ids = sorted({a.organisation_id for a in agreements if a.organisation_id is not None})
    person_ids = sorted({a.person_id for a in agreements if a.person_id is not None})
    project_ids = sorted({a.project_id for a in agreements if a.project_id is not None})
    previous_ids = sorted({a.previous_id for a in agreements if a.previous_id is not None})
    for chunk in _chunks(org_ids):
        orgs.update((k, v) for k, v in s.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(chunk))))
    for chunk in _chunks(person_ids):
        for pid, first, last in s.execute(select(Person.id, Person.first_name, Person.last_name)
                                          .where(Person.id.in_(chunk))):
            people[pid] = full_name(first, last)
    for chunk in _chunks(project_ids):
        for pid, name, programme_id in s.execute(
                select(Project.id, Project.name, Project.programme_id)
                .where(Project.id.in_(chunk))):
            projects[pid] = (name, programme_id)
    programme_ids = sorted({p for _n, p in projects.values() if p is not None})
    for chunk in _chunks(programme_ids):
        programmes.update((k, v) for k, v in s.execute(
            select(Programme.id, Programme.name).where(Programme.id.in_(chunk))))
    for chunk in _chunks(previous_ids):
        previous.update((k, v) for k, v in s.execute(
            select(HostingAgreement.id, HostingAgreement.number)
            .where(HostingAgreement.id.in_(chunk))))
    for chunk in _chunks(ids):
        for agreement_id, seats, space_id, name, floor, kind, equipment in s.execute(
                select(AgreementSpace.agreement_id, AgreementSpace.seats, Space.id, Space.name,
                       Space.floor, Space.kind, Space.equipment)
                .join(Space, Space.id == AgreementSpace.space_id)
                .where(AgreementSpace.agreement_id.in_(chunk))
                .order_by(Space.floor, Space.name, Space.id)):
            granted.setdefault(agreement_id, []).append(GrantedSpace(
                space_id=space_id, space_name=name, seats=seats, floor=floor,
                kind_label=SpaceKind(kind).label, equipment=equipment or ""))
        # the start of the signed amendment that took over from an agreement, if any
        replaced.update((k, v) for k, v in s.execute(
            select(HostingAgreement.previous_id, func.min(HostingAgreement.start))
            .where(HostingAgreement.previous_id.in_(chunk),
                   HostingAgreement.link == AgreementLink.AMENDMENT,
                   HostingAgreement.status != AgreementStatus.DRAFT)
            .group_by(HostingAgreement.previous_id)))
    out = []
    for a in agreements:
        project_name, programme_id = projects.get(a.project_id, ("", None))
        occupant = (orgs.get(a.organisation_id, "") if a.organisation_id is not None
                    else people.get(a.person_id, ""))
        out.append(AgreementRecord(
            id=a.id, number=a.number, status=AgreementStatus(a.status), start=a.start,
            end=a.end, organisation_id=a.organisation_id, person_id=a.person_id,
            occupant_name=occupant, project_id=a.project_id, project_name=project_name,
            programme_name=programmes.get(programme_id, "") if programme_id else "",
            representative=a.representative, representative_title=a.representative_title,
            monthly_fee_cents=a.monthly_fee_cents, vat_bp=a.vat_bp,
            deposit_cents=a.deposit_cents, services=_services_of(a),
            notice_months=a.notice_months, spaces=tuple(granted.get(a.id, ())),
            previous_id=a.previous_id, previous_number=previous.get(a.previous_id, ""),
            link=AgreementLink(a.link) if a.link else None, signed_on=a.signed_on,
            host_signatory=a.host_signatory, occupant_signatory=a.occupant_signatory,
            terminated_on=a.terminated_on, termination_reason=a.termination_reason or "",
            replaced_from=replaced.get(a.id), document_id=a.document_id, notes=a.notes))
    return out


def _record(s: Session, a: HostingAgreement) -> AgreementRecord:
    return _records(s, [a])[0]


def _party(s: Session, *, organisation_id: int | None, person_id: int | None,
           representative: str = "", representative_title: str = "") -> Party:
    def address(x) -> str:
        return ", ".join(p for p in (x.address, f"{x.postcode or ''} {x.city or ''}".strip())
                         if p)

    if organisation_id is not None:
        org = s.get(Organisation, organisation_id)
        if org is None:
            raise NotFound(_("Cette structure n'existe plus dans la base."))
        return Party(name=org.name, legal_form=LegalForm(org.legal_form) if org.legal_form
                     else None, siret=org.siret or "", address=address(org),
                     representative=representative, representative_title=representative_title,
                     email=org.email or "", phone=org.phone or "")
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(_("Cette personne n'existe plus dans la base."))
    name = full_name(person.first_name, person.last_name)
    return Party(name=name, address=address(person),
                 representative=representative or name,
                 representative_title=representative_title, email=person.email or "",
                 phone=person.phone or "")


class AgreementsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> dt.date:
        return self.ctx.now().astimezone(PARIS).date()

    @staticmethod
    def _row(s: Session, agreement_id: int, *, lock: bool = False) -> HostingAgreement:
        a = s.get(HostingAgreement, agreement_id, with_for_update=lock)
        if a is None:
            raise NotFound(_("Cette convention n'existe plus."))
        if lock:
            s.refresh(a)
        return a

    # --- reading ---------------------------------------------------------------------------

    @requires(Area.AGREEMENTS, Access.READ)
    def agreements(self, *, query: str = "", state: AgreementState | None = None,
                   organisation_id: int | None = None, project_id: int | None = None
                   ) -> tuple[AgreementRecord, ...]:
        """The agreements, the newest first; filtered by words (number, occupant, project),
        by state today, by occupant or by project."""
        stmt = select(HostingAgreement).order_by(HostingAgreement.year.desc(),
                                                 HostingAgreement.sequence.desc())
        if organisation_id is not None:
            stmt = stmt.where(HostingAgreement.organisation_id == organisation_id)
        if project_id is not None:
            stmt = stmt.where(HostingAgreement.project_id == project_id)
        today = self._today()
        terms = search_terms(query)
        with self.ctx.reading() as s:
            out = []
            for record in _records(s, list(s.scalars(stmt))):
                if state is not None and record.state(today) is not state:
                    continue
                if terms:
                    key = search_key(record.number, record.occupant_name, record.project_name,
                                     record.programme_name)
                    if not all(t in key for t in terms):
                        continue
                out.append(record)
            return tuple(out)

    @requires(Area.AGREEMENTS, Access.READ)
    def agreement(self, *, agreement_id: int) -> AgreementRecord:
        with self.ctx.reading() as s:
            return _record(s, self._row(s, agreement_id))

    @requires(Area.AGREEMENTS, Access.READ)
    def ending_soon(self, *, days: int = ENDING_AGREEMENTS_DAYS) -> tuple[AgreementRecord, ...]:
        """Signed agreements whose last day falls within the next `days` days and that no
        signed (or drafted) renewal or amendment follows, the soonest first."""
        today = self._today()
        horizon = today + dt.timedelta(days=days)
        with self.ctx.reading() as s:
            followed = set(s.scalars(select(HostingAgreement.previous_id).where(
                HostingAgreement.previous_id.is_not(None))))
            rows = s.scalars(select(HostingAgreement).where(
                HostingAgreement.status != AgreementStatus.DRAFT,
                HostingAgreement.start <= horizon,
                or_(HostingAgreement.end <= horizon,
                    HostingAgreement.terminated_on <= horizon)))
            out = [r for r in _records(s, [a for a in rows if a.id not in followed])
                   if today <= r.last_day <= horizon and r.replaced_from is None]
        return tuple(sorted(out, key=lambda r: (r.last_day, r.number)))

    @requires(Area.AGREEMENTS, Access.READ)
    def occupant(self, *, organisation_id: int | None = None, person_id: int | None = None
                 ) -> Party:
        with self.ctx.reading() as s:
            return _party(s, organisation_id=organisation_id, person_id=person_id)

    # --- drafts ------------------------------------------------------------------------------

    @requires(Area.AGREEMENTS, Access.READ)
    def new_draft(self, *, organisation_id: int | None = None, person_id: int | None = None,
                  project_id: int | None = None) -> AgreementRecord:
        """A draft prefilled for an occupant (or a project: its organisation, else its first
        holder): its representative, the offices and desks it holds now or later, one year
        from the first of next month (within the programme's longest stay), the VAT rate
        and notice of the settings. Not saved."""
        texts = HostingTextsService(self.ctx).texts()
        today = self._today()
        start = add_months(today.replace(day=1), 1)
        end = add_months(start, 12) - dt.timedelta(days=1)
        representative = title = ""
        project_name = programme_name = ""
        with self.ctx.reading() as s:
            if project_id is not None:
                project = s.get(Project, project_id)
                if project is None:
                    raise NotFound(_("Ce projet n'existe plus."))
                project_name = project.name
                programme = s.get(Programme, project.programme_id)
                programme_name = programme.name if programme else ""
                if programme is not None and programme.max_months and project.entry_date:
                    limit = add_months(project.entry_date, programme.max_months) - \
                        dt.timedelta(days=1)
                    end = max(start, min(end, limit))
                if organisation_id is None and person_id is None:
                    if project.organisation_id is not None:
                        organisation_id = project.organisation_id
                    else:
                        person_id = s.scalar(select(ProjectHolder.person_id).where(
                            ProjectHolder.project_id == project_id).order_by(
                            ProjectHolder.person_id).limit(1))
            name = ""
            spaces: list[GrantedSpace] = []
            if organisation_id is not None or person_id is not None:
                party = _party(s, organisation_id=organisation_id, person_id=person_id)
                name = party.name
                if organisation_id is not None:
                    leader = s.execute(
                        select(Person).join(Affiliation, Affiliation.person_id == Person.id)
                        .where(Affiliation.organisation_id == organisation_id,
                               Affiliation.role == AffiliationRole.DIRIGEANT)
                        .order_by(Person.last_name).limit(1)).scalar()
                    if leader is not None:
                        representative = full_name(leader.first_name, leader.last_name)
                        title = _("dirigeant·e")
                else:
                    representative, title = party.representative, _("porteur·se du projet")
                holder = (DeskAssignment.organisation_id == organisation_id
                          if organisation_id is not None
                          else DeskAssignment.person_id == person_id)
                rows = s.execute(select(DeskAssignment, Space)
                                 .join(Space, Space.id == DeskAssignment.space_id)
                                 .where(holder, DeskAssignment.agreement_id.is_(None),
                                        or_(DeskAssignment.end.is_(None),
                                            DeskAssignment.end >= today))
                                 .order_by(Space.floor, Space.name))
                seen = set()
                for a, sp in rows:
                    if sp.id not in seen:
                        seen.add(sp.id)
                        spaces.append(GrantedSpace(
                            space_id=sp.id, space_name=sp.name, seats=a.seats, floor=sp.floor,
                            kind_label=SpaceKind(sp.kind).label, equipment=sp.equipment or ""))
        return AgreementRecord(
            id=None, number="", status=AgreementStatus.DRAFT, start=start, end=end,
            organisation_id=organisation_id, person_id=person_id, occupant_name=name,
            project_id=project_id, project_name=project_name, programme_name=programme_name,
            representative=representative, representative_title=title,
            vat_bp=texts.vat_bp, notice_months=texts.default_notice_months,
            spaces=tuple(spaces), host_signatory=texts.host_signatory)

    @requires(Area.AGREEMENTS, Access.READ)
    def follow_up_draft(self, *, agreement_id: int, link: AgreementLink) -> AgreementRecord:
        """A renewal (the next period, as long as this one) or an amendment (from the first
        of next month to this one's end) of a signed agreement, prefilled. Not saved."""
        link = AgreementLink(link)
        today = self._today()
        with self.ctx.reading() as s:
            previous = _record(s, self._row(s, agreement_id))
        if previous.status is AgreementStatus.DRAFT:
            raise ValidationError(_("Signez d'abord la convention {number} : un brouillon se "
                                    "modifie directement.").format(number=previous.number),
                                  field="previous")
        with self.ctx.reading() as s:
            self._check_not_followed(s, previous, exclude_id=None)
        if link is AgreementLink.RENEWAL:
            start = previous.last_day + dt.timedelta(days=1)
            months = max(1, (previous.end.year - previous.start.year) * 12
                         + previous.end.month - previous.start.month + 1)
            end = add_months(start, months) - dt.timedelta(days=1)
        else:
            if previous.state(today) not in (AgreementState.SIGNED, AgreementState.ACTIVE):
                raise ValidationError(_("Seule une convention signée, en cours ou à venir, "
                                        "reçoit un avenant."), field="previous")
            start = max(previous.start + dt.timedelta(days=1),
                        add_months(today.replace(day=1), 1))
            end = previous.last_day
        return AgreementRecord(
            id=None, number="", status=AgreementStatus.DRAFT, start=start, end=max(start, end),
            organisation_id=previous.organisation_id, person_id=previous.person_id,
            occupant_name=previous.occupant_name, project_id=previous.project_id,
            project_name=previous.project_name, programme_name=previous.programme_name,
            representative=previous.representative,
            representative_title=previous.representative_title,
            monthly_fee_cents=previous.monthly_fee_cents, vat_bp=previous.vat_bp,
            deposit_cents=previous.deposit_cents, services=previous.services,
            notice_months=previous.notice_months, spaces=previous.spaces,
            previous_id=previous.id, previous_number=previous.number, link=link,
            host_signatory=previous.host_signatory, notes=None)

    def _validate(self, record: AgreementRecord) -> None:
        if (record.organisation_id is None) == (record.person_id is None):
            raise ValidationError(_("Choisissez la structure ou la personne hébergée."),
                                  field="occupant")
        if record.start is None:
            raise ValidationError(_("La date de début est obligatoire."), field="start")
        if record.end is None or record.end < record.start:
            raise ValidationError(_("La date de fin doit suivre la date de début."),
                                  field="end")
        if (record.end - record.start).days > 366 * 5:
            raise ValidationError(_("Une convention dure cinq ans au plus."), field="end")
        # (an amendment or a renewal continues a domiciliation already agreed)
        if (HostingService.DOMICILIATION in record.services and record.previous_id is None
                and record.end < add_months(record.start, 3) - dt.timedelta(days=1)):
            raise ValidationError(_("Une domiciliation se conclut pour trois mois au moins "
                                    "(article R.123-168 du Code de commerce)."), field="end")
        for name, value in (("monthly_fee_cents", record.monthly_fee_cents),
                            ("deposit_cents", record.deposit_cents)):
            if value is None or not 0 <= value <= MAX_MONEY_CENTS:
                raise ValidationError(_("Montant invalide : entre 0 et 100 000 €."), field=name)
        if record.vat_bp not in (0, 550, 1000, 2000):
            raise ValidationError(_("Taux de TVA : 20 %, 10 %, 5,5 % ou 0 %."), field="vat_bp")
        if not 0 <= record.notice_months <= 12:
            raise ValidationError(_("Le préavis se compte en mois, de 0 à 12."),
                                  field="notice_months")
        if len(record.representative or "") > 200 or len(record.representative_title or "") > 100:
            raise ValidationError(_("Ce texte est trop long."), field="representative")
        ids = [g.space_id for g in record.spaces]
        if len(set(ids)) != len(ids):
            raise ValidationError(_("Un même bureau ou poste figure deux fois."), field="spaces")
        for g in record.spaces:
            if g.seats < 1:
                raise ValidationError(_("Une place au moins par bureau ou poste."),
                                      field="spaces")

    @requires(Area.AGREEMENTS, Access.WRITE)
    def save_draft(self, record: AgreementRecord) -> int:
        """Create a draft (it takes the next number of the year) or change one."""
        self._validate(record)
        for attempt in range(3):
            try:
                with self.ctx.writing() as s:
                    return self._write_draft(s, record)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _write_draft(self, s: Session, record: AgreementRecord) -> int:
        if record.organisation_id is not None and s.get(Organisation,
                                                        record.organisation_id) is None:
            raise NotFound(_("Cette structure n'existe plus dans la base."))
        if record.person_id is not None and s.get(Person, record.person_id) is None:
            raise NotFound(_("Cette personne n'existe plus dans la base."))
        if record.project_id is not None and s.get(Project, record.project_id) is None:
            raise NotFound(_("Ce projet n'existe plus."))
        for g in record.spaces:
            sp = s.get(Space, g.space_id)
            if sp is None:
                raise NotFound(_("Cet espace n'existe plus."))
            kind = SpaceKind(sp.kind)
            if not kind.allocatable:
                raise ValidationError(_("« {name} » ne s'attribue pas : seuls les bureaux et "
                                        "les postes de travail s'attribuent.").format(
                    name=sp.name), field="spaces")
            if g.seats > sp.capacity:
                raise ValidationError(_("« {name} » accueille {n} personne(s) au plus.").format(
                    name=sp.name, n=sp.capacity), field="spaces")
        if record.previous_id is not None:
            previous = s.get(HostingAgreement, record.previous_id)
            if previous is None:
                raise NotFound(_("La convention précédente n'existe plus."))
            if (previous.organisation_id, previous.person_id) != (record.organisation_id,
                                                                  record.person_id):
                raise ValidationError(_("Un avenant ou un renouvellement garde le même "
                                        "occupant."), field="occupant")
        if record.id is None:
            year = self.ctx.now().astimezone(PARIS).year
            sequence = next_sequence(s, DocumentKind.CONVENTION, year)
            a = HostingAgreement(number=f"{DocumentKind.CONVENTION.prefix}-{year}-{sequence:04d}",
                                 year=year, sequence=sequence, status=AgreementStatus.DRAFT)
            s.add(a)
        else:
            a = self._row(s, record.id, lock=True)
            if AgreementStatus(a.status) is not AgreementStatus.DRAFT:
                raise ValidationError(_("La convention {number} est signée : elle ne se modifie "
                                        "plus. Faites un avenant.").format(number=a.number),
                                      field="status")
        a.organisation_id, a.person_id = record.organisation_id, record.person_id
        a.project_id = record.project_id
        a.representative = (record.representative or "").strip()
        a.representative_title = (record.representative_title or "").strip()
        a.start, a.end = record.start, record.end
        a.monthly_fee_cents, a.vat_bp = record.monthly_fee_cents, record.vat_bp
        a.deposit_cents, a.notice_months = record.deposit_cents, record.notice_months
        for service, column in _SERVICE_COLUMNS.items():
            setattr(a, column, service in record.services)
        a.previous_id = record.previous_id
        a.link = AgreementLink(record.link) if record.link else None
        a.host_signatory = (record.host_signatory or "").strip()
        a.notes = (record.notes or "").strip() or None
        s.flush()
        existing = {g.space_id: g for g in s.scalars(select(AgreementSpace).where(
            AgreementSpace.agreement_id == a.id))}
        wanted = {g.space_id: g.seats for g in record.spaces}
        for space_id, row in existing.items():
            if space_id not in wanted:
                s.delete(row)
        for space_id, seats in wanted.items():
            if space_id in existing:
                existing[space_id].seats = seats
            else:
                s.add(AgreementSpace(agreement_id=a.id, space_id=space_id, seats=seats))
        s.flush()
        return a.id

    @requires(Area.AGREEMENTS, Access.WRITE)
    def delete_draft(self, *, agreement_id: int) -> None:
        """Delete a draft entered by mistake (its number is not given again)."""
        with self.ctx.writing() as s:
            a = self._row(s, agreement_id, lock=True)
            if AgreementStatus(a.status) is not AgreementStatus.DRAFT:
                raise ValidationError(_("Une convention signée ne se supprime pas : elle se "
                                        "résilie."), field="status")
            s.delete(a)

    # --- signing -------------------------------------------------------------------------------

    @requires(Area.AGREEMENTS, Access.WRITE)
    def sign(self, *, agreement_id: int, signed_on: dt.date, host_signatory: str,
             occupant_signatory: str) -> DocumentRecord:
        """Record the signature: checks, desk assignments, the archived PDF — all or
        nothing."""
        from maison_app.documents.convention import render_convention

        host_signatory = (host_signatory or "").strip()
        occupant_signatory = (occupant_signatory or "").strip()
        if signed_on is None or signed_on > self._today():
            raise ValidationError(_("La date de signature ne peut pas être dans le futur."),
                                  field="signed_on")
        if not host_signatory:
            raise ValidationError(_("Indiquez qui signe pour la Maison."),
                                  field="host_signatory")
        texts = HostingTextsService(self.ctx).texts()
        identity = SettingsService(self.ctx).identity()
        spaces = spaces_module.SpacesService(self.ctx)
        with self.ctx.writing() as s:
            a = self._row(s, agreement_id, lock=True)
            if AgreementStatus(a.status) is not AgreementStatus.DRAFT:
                raise ValidationError(_("La convention {number} est déjà signée.").format(
                    number=a.number), field="status")
            record = _record(s, a)
            missing = missing_for_signature(record)
            if missing:
                field, message = missing[0]
                raise ValidationError(message, field=field)
            self._check_previous(s, a, record)
            self._check_desks(s, record)
            holder = {"organisation_id": a.organisation_id, "person_id": a.person_id}
            if record.link is AgreementLink.AMENDMENT:
                self._end_assignments(s, record.previous_id, record.start - dt.timedelta(days=1))
            for g in record.spaces:
                self._absorb(s, space_id=g.space_id, start=record.start, end=record.end, **holder)
                spaces._check(s, space_id=g.space_id, start=record.start, end=record.end,
                              seats=g.seats, agreement_id=None, exclude_id=None)
                s.add(DeskAssignment(space_id=g.space_id, seats=g.seats, start=record.start,
                                     end=record.end, agreement_id=a.id, **holder))
            a.status = AgreementStatus.SIGNED
            a.signed_on = signed_on
            a.host_signatory = host_signatory
            a.occupant_signatory = occupant_signatory or record.representative
            s.flush()
            signed = _record(s, a)
            party = _party(s, organisation_id=a.organisation_id, person_id=a.person_id,
                           representative=a.representative,
                           representative_title=a.representative_title)
            content = render_convention(ConventionData(agreement=signed, occupant=party,
                                                       texts=texts), identity, a.number,
                                        signed_on)
            doc = DocumentService(self.ctx).archive(
                s, kind=DocumentKind.CONVENTION, year=a.year, sequence=a.sequence,
                subject=_("Convention d'hébergement — {name}").format(name=party.name),
                content=content)
            a.document_id = doc.id
            s.flush()
            return document_record(doc)

    @staticmethod
    def _check_not_followed(s: Session, previous: AgreementRecord, *,
                            exclude_id: int | None) -> None:
        """A signed agreement is renewed or amended once: the next change starts from the
        agreement that followed it."""
        stmt = select(HostingAgreement).where(
            HostingAgreement.previous_id == previous.id,
            HostingAgreement.status != AgreementStatus.DRAFT)
        if exclude_id is not None:
            stmt = stmt.where(HostingAgreement.id != exclude_id)
        follower = s.scalars(stmt.limit(1)).first()
        if follower is not None:
            raise ValidationError(_("La convention {number} a déjà été suivie par {link} "
                                    "{other} : partez de celle-ci.").format(
                number=previous.number, link=AgreementLink(follower.link).label.lower()
                if follower.link else "", other=follower.number), field="previous")

    def _check_previous(self, s: Session, a: HostingAgreement, record: AgreementRecord) -> None:
        if record.previous_id is None:
            return
        previous = _record(s, self._row(s, record.previous_id, lock=True))
        if previous.status is AgreementStatus.DRAFT:
            raise ValidationError(_("La convention précédente ({number}) n'est pas signée."
                                    ).format(number=previous.number), field="previous")
        self._check_not_followed(s, previous, exclude_id=a.id)
        if record.link is AgreementLink.RENEWAL and record.start <= previous.last_day:
            raise ValidationError(_("Le renouvellement commence après la fin de la convention "
                                    "{number} ({day}).").format(
                number=previous.number, day=format_date(previous.last_day)), field="start")
        if record.link is AgreementLink.AMENDMENT and not (
                previous.start < record.start <= previous.last_day):
            raise ValidationError(_("L'avenant prend effet pendant la convention {number} "
                                    "(du {start} au {end}).").format(
                number=previous.number, start=format_date(previous.start),
                end=format_date(previous.last_day)), field="start")

    def _check_desks(self, s: Session, record: AgreementRecord) -> None:
        """No desk granted by two running agreements at the same dates (the office's
        capacity is the spaces area's rule)."""
        for g in record.spaces:
            sp = s.get(Space, g.space_id, with_for_update=True)
            if SpaceKind(sp.kind) is not SpaceKind.DESK:
                continue
            others = s.scalars(select(HostingAgreement).join(
                AgreementSpace, AgreementSpace.agreement_id == HostingAgreement.id).where(
                AgreementSpace.space_id == g.space_id, HostingAgreement.id != record.id,
                HostingAgreement.status != AgreementStatus.DRAFT,
                HostingAgreement.start <= record.end, HostingAgreement.end >= record.start))
            for other in others:
                o = _record(s, other)
                last = o.last_day
                if record.link is AgreementLink.AMENDMENT and o.id == record.previous_id:
                    last = min(last, record.start - dt.timedelta(days=1))
                if overlaps(record.start, record.end, o.start, last):
                    raise Conflict(_("« {space} » est déjà accordé à {holder} par la convention "
                                     "{number} (du {start} au {end}).").format(
                        space=sp.name, holder=o.occupant_name, number=o.number,
                        start=format_date(o.start), end=format_date(last)),
                        existing_id=o.id)

    @staticmethod
    def _absorb(s: Session, *, space_id: int, start: dt.date, end: dt.date,
                organisation_id: int | None, person_id: int | None) -> None:
        """The occupant's own assignments of the space without an agreement give way to the
        agreement's: ended the day before it starts, or removed when they start within it."""
        holder = (DeskAssignment.organisation_id == organisation_id
                  if organisation_id is not None else DeskAssignment.person_id == person_id)
        rows = s.scalars(select(DeskAssignment).where(
            DeskAssignment.space_id == space_id, holder, DeskAssignment.agreement_id.is_(None),
            or_(DeskAssignment.end.is_(None), DeskAssignment.end >= start),
            DeskAssignment.start <= end))
        for row in rows:
            if row.start < start:
                row.end = start - dt.timedelta(days=1)
            else:
                s.delete(row)
        s.flush()

    @staticmethod
    def _end_assignments(s: Session, agreement_id: int, last_day: dt.date) -> None:
        """The desk assignments an agreement granted end on `last_day` (removed when they
        would start after it)."""
        for row in s.scalars(select(DeskAssignment).where(
                DeskAssignment.agreement_id == agreement_id)):
            if row.start > last_day:
                s.delete(row)
            elif row.end is None or row.end > last_day:
                row.end = last_day
        s.flush()

    @requires(Area.AGREEMENTS, Access.WRITE)
    def terminate(self, *, agreement_id: int, last_day: dt.date, reason: str) -> None:
        """End a signed agreement early: `last_day` is its last day; its desks are freed
        the day after."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Indiquez le motif de la résiliation."), field="reason")
        with self.ctx.writing() as s:
            a = self._row(s, agreement_id, lock=True)
            record = _record(s, a)
            if record.status is AgreementStatus.DRAFT:
                raise ValidationError(_("Un brouillon se supprime, il ne se résilie pas."),
                                      field="status")
            if record.status is AgreementStatus.TERMINATED:
                raise ValidationError(_("Cette convention est déjà résiliée."), field="status")
            if last_day is None or not record.start - dt.timedelta(days=1) <= last_day \
                    < record.last_day:
                raise ValidationError(_("La résiliation prend effet avant la fin prévue "
                                        "({end}) et pas avant le début.").format(
                    end=format_date(record.last_day)), field="last_day")
            self._end_assignments(s, a.id, last_day)
            a.status = AgreementStatus.TERMINATED
            a.terminated_on = last_day
            a.termination_reason = reason

    # --- documents -------------------------------------------------------------------------------

    @requires(Area.AGREEMENTS, Access.READ)
    def pdf(self, *, agreement_id: int) -> tuple[str, bytes]:
        """A signed agreement's archived PDF (the same bytes every time), or a draft's
        rendering marked PROJET."""
        from maison_app.documents.convention import render_convention

        with self.ctx.reading() as s:
            a = self._row(s, agreement_id)
            if a.document_id is not None:
                doc = s.get(Document, a.document_id)
                return doc.filename, doc.content
            record = _record(s, a)
            party = _party(s, organisation_id=a.organisation_id, person_id=a.person_id,
                           representative=a.representative,
                           representative_title=a.representative_title)
        texts = HostingTextsService(self.ctx).texts()
        identity = SettingsService(self.ctx).identity()
        content = render_convention(ConventionData(agreement=record, occupant=party,
                                                   texts=texts, draft=True),
                                    identity, record.number, self._today())
        return f"{record.number}-projet.pdf", content

    @requires(Area.AGREEMENTS, Access.WRITE)
    def attestation(self, *, agreement_id: int, domiciliation: bool = False
                    ) -> tuple[DocumentRecord, bytes]:
        """An attestation d'hébergement (or de domiciliation) of a signed agreement running
        today or to come, issued and archived."""
        from maison_app.documents.attestation import render_attestation

        today = self._today()
        with self.ctx.reading() as s:
            a = self._row(s, agreement_id)
            record = _record(s, a)
            party = _party(s, organisation_id=a.organisation_id, person_id=a.person_id,
                           representative=a.representative,
                           representative_title=a.representative_title)
        if record.state(today) not in (AgreementState.ACTIVE, AgreementState.SIGNED):
            raise ValidationError(_("Une attestation se délivre pour une convention signée, en "
                                    "cours ou à venir."), field="status")
        if domiciliation and not record.domiciled:
            raise ValidationError(_("Cette convention ne comprend pas la domiciliation."),
                                  field="services")
        if not domiciliation and not record.spaces:
            raise ValidationError(_("Cette convention ne met aucun bureau à disposition : "
                                    "délivrez une attestation de domiciliation."),
                                  field="spaces")
        texts = HostingTextsService(self.ctx).texts()
        identity = SettingsService(self.ctx).identity()
        data = AttestationData(agreement=record, occupant=party, issued_on=today,
                               signatory=texts.host_signatory or record.host_signatory,
                               domiciliation=domiciliation)
        kind = (DocumentKind.ATTESTATION_DOMICILIATION if domiciliation
                else DocumentKind.ATTESTATION_HEBERGEMENT)
        return DocumentService(self.ctx).issue(
            kind=kind, subject=f"{kind.label} — {party.name}",
            render=lambda number: render_attestation(data, identity, number))

    @requires(Area.AGREEMENTS, Access.READ)
    def domiciliation_list(self, *, year: int, half: int) -> DomiciliationList:
        """Everyone domiciled at the house during a half-year (R.123-168 du Code de
        commerce), with the start of their domiciliation and its end when it ended."""
        if half not in (1, 2):
            raise ValidationError(_("Semestre 1 ou 2."), field="half")
        first, last = half_year(year, half)
        with self.ctx.reading() as s:
            occupants = set(s.execute(select(
                HostingAgreement.organisation_id, HostingAgreement.person_id).where(
                HostingAgreement.status != AgreementStatus.DRAFT,
                HostingAgreement.domiciliation.is_(True),
                HostingAgreement.start <= last, HostingAgreement.end >= first)).all())
            lines = []
            for org_id, person_id in occupants:
                holder = (HostingAgreement.organisation_id == org_id if org_id is not None
                          else HostingAgreement.person_id == person_id)
                records = sorted((r for r in (_record(s, a) for a in s.scalars(
                    select(HostingAgreement).where(
                        holder, HostingAgreement.status != AgreementStatus.DRAFT,
                        HostingAgreement.domiciliation.is_(True))))
                    if r.last_day >= r.start), key=lambda r: r.start)
                # the continuous domiciliations (an amendment or a renewal without a gap
                # continues the same one) that touch the half-year
                periods: list[list] = []
                for r in records:
                    if periods and r.start <= periods[-1][1] + dt.timedelta(days=1):
                        periods[-1][1] = max(periods[-1][1], r.last_day)
                        periods[-1][2] = r
                    else:
                        periods.append([r.start, r.last_day, r])
                touching = [p for p in periods if p[0] <= last and p[1] >= first]
                if not touching:
                    continue
                party = _party(s, organisation_id=org_id, person_id=person_id)
                start, end, latest = touching[0][0], touching[-1][1], touching[-1][2]
                lines.append(DomiciliationLine(
                    organisation_id=org_id, person_id=person_id, name=party.name,
                    legal_form=party.legal_form, siret=party.siret,
                    representative=latest.representative, start=start,
                    end=end if end <= last else None, agreement_number=latest.number))
        lines.sort(key=lambda x: search_key(x.name))
        return DomiciliationList(year=year, half=half, first=first, last=last,
                                 lines=tuple(lines))

    @requires(Area.AGREEMENTS, Access.WRITE)
    def domiciliation_list_pdf(self, *, year: int, half: int) -> tuple[DocumentRecord, bytes]:
        from maison_app.documents.domiciliation_list import render_domiciliation_list

        data = self.domiciliation_list(year=year, half=half)
        identity = SettingsService(self.ctx).identity()
        today = self._today()
        return DocumentService(self.ctx).issue(
            kind=DocumentKind.LISTE_DOMICILIATIONS,
            subject=_("Domiciliations du {half} semestre {year}").format(
                half=_("1er") if half == 1 else _("2e"), year=year),
            render=lambda number: render_domiciliation_list(data, identity, number, today))

    @requires(Area.AGREEMENTS, Access.READ)
    def domiciliation_list_csv(self, *, year: int, half: int) -> bytes:
        """The same list as a CSV file that Excel opens with its accents (UTF-8 with BOM,
        `;`)."""
        data = self.domiciliation_list(year=year, half=half)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Dénomination"), _("Forme juridique"), _("SIRET"),
                         _("Représentant·e"), _("Début de la domiciliation"),
                         _("Fin de la domiciliation"), _("Convention")])
        for line in data.lines:
            writer.writerow([line.name, line.legal_form.label if line.legal_form else "",
                             line.siret, line.representative, line.start.strftime("%d/%m/%Y"),
                             line.end.strftime("%d/%m/%Y") if line.end else "",
                             line.agreement_number])
        return "\ufeff".encode() + out.getvalue().encode("utf-8")


def agreement_period(s: Session, agreement_id: int) -> tuple[dt.date, dt.date | None] | None:
    """The dates within which an assignment granted by an agreement must stay (the spaces
    area's rule), or None when it does not exist."""
    a = s.get(HostingAgreement, agreement_id)
    if a is None:
        return None
    last = a.end if a.terminated_on is None else min(a.end, a.terminated_on)
    return a.start, last


spaces_module.agreement_period = agreement_period


# --- data protection: the agreements a person signed as occupant ---------------------------------


def _export_agreements(s: Session, person_id: int) -> list[dict[str, object]]:
    rows = s.scalars(select(HostingAgreement).where(HostingAgreement.person_id == person_id)
                     .order_by(HostingAgreement.start))
    return [{"convention": a.number, "statut": AgreementStatus(a.status).value,
             "du": a.start.isoformat(), "au": a.end.isoformat(),
             "redevance_ht_centimes": a.monthly_fee_cents,
             "signee_le": a.signed_on.isoformat() if a.signed_on else None,
             "notes": a.notes} for a in rows]


def _erase_agreements(s: Session, person_id: int) -> str:
    """Signed agreements are contracts kept 10 years (with their archived PDF): they stay
    attached to the anonymised record; their notes are erased, drafts deleted."""
    rows = list(s.scalars(select(HostingAgreement).where(
        HostingAgreement.person_id == person_id)))
    kept = 0
    for a in rows:
        if AgreementStatus(a.status) is AgreementStatus.DRAFT:
            s.delete(a)
        else:
            a.notes = None
            kept += 1
    s.flush()
    return ngettext("{n} convention d'hébergement conservée (contrat, 10 ans), ses notes "
                    "effacées.",
                    "{n} conventions d'hébergement conservées (contrats, 10 ans), leurs notes "
                    "effacées.", kept).format(n=kept)


register(PersonalDataArea(
    "agreements", lambda: _("Conventions d'hébergement"), _export_agreements,
    _erase_agreements,
    active_since=lambda since: select(HostingAgreement.person_id).where(
        HostingAgreement.person_id.is_not(None), HostingAgreement.end >= since.date()),
))
