"""Memberships of the SCIC: colleges and their fees, one membership per member and year,
payments and their receipts, share subscriptions, renewals to chase, member badges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from maison_app.db.members import College, CollegeFee, Membership, Payment, ShareSubscription
from maison_app.db.models import Affiliation, Document, Organisation, Person
from maison_app.domain.enums import DocumentKind, MemberKind, MembershipStatus, PaymentMethod
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.members import (
    BadgeData,
    College as CollegeRecord,
    Fee,
    MembershipRecord,
    PaymentRecord,
    ReceiptData,
    RenewalRow,
    ShareRecord,
    member_code,
    membership_status,
)
from maison_app.domain.permissions import Access, Area
from maison_app.domain.records import DocumentRecord
from maison_app.domain.text import full_name, search_key
from maison_app.i18n import PARIS, _, format_money, ngettext
from maison_app.services.context import ServiceContext
from maison_app.services.documents import DocumentService
from maison_app.services.permissions import public, requires
from maison_app.services.privacy import PersonalDataArea, register
from maison_app.services.settings import SettingsService


def _member_col(kind: MemberKind, model=Membership):
    return model.person_id if kind is MemberKind.PERSON else model.organisation_id


def _member(s: Session, kind: MemberKind, member_id: int):
    model = Person if kind is MemberKind.PERSON else Organisation
    row = s.get(model, member_id)
    if row is None or (kind is MemberKind.PERSON and row.anonymised):
        raise NotFound(_("Ce membre n'existe plus dans la base."))
    return row


def _name(row) -> str:
    return full_name(row.first_name, row.last_name) if isinstance(row, Person) else row.name


def _kind_and_id(m) -> tuple[MemberKind, int]:
    if m.person_id is not None:
        return MemberKind.PERSON, m.person_id
    return MemberKind.ORGANISATION, m.organisation_id


def _payment_record(p: Payment, number: str | None) -> PaymentRecord:
    return PaymentRecord(
        id=p.id, membership_id=p.membership_id, amount_cents=p.amount_cents, paid_on=p.paid_on,
        method=PaymentMethod(p.method), reference=p.reference,
        receipt_document_id=p.receipt_document_id, receipt_number=number)


def status_of_people(s: Session, person_ids: Iterable[int], year: int
                     ) -> dict[int, MembershipStatus]:
    """Each person's membership status for `year` (those who are or were members)."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows = s.execute(select(Membership.person_id, Membership.year, Membership.fee_cents,
                            Membership.paid_cents)
                     .where(Membership.person_id.in_(ids), Membership.year.in_((year, year - 1))))
    this_year: dict[int, tuple[int, int]] = {}
    previous: set[int] = set()
    for pid, y, fee, paid in rows:
        if y == year:
            this_year[pid] = (fee, paid)
        else:
            previous.add(pid)
    out = {}
    for pid in ids:
        fee, paid = this_year.get(pid, (None, 0))
        status = membership_status(fee_cents=fee, paid_cents=paid, had_previous_year=pid in previous)
        if status is not None:
            out[pid] = status
    return out


# --- data protection: what this area holds about a person ------------------------------------


def _export_memberships(s: Session, person_id: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for m, college in s.execute(
            select(Membership, College.name).join(College, College.id == Membership.college_id)
            .where(Membership.person_id == person_id).order_by(Membership.year)):
        rows.append({"année": m.year, "collège": college, "cotisation": format_money(m.fee_cents),
                     "payé": format_money(m.paid_cents), "notes": m.notes})
        for p in s.scalars(select(Payment).where(Payment.membership_id == m.id)
                           .order_by(Payment.paid_on)):
            rows.append({"paiement": format_money(p.amount_cents), "le": p.paid_on.isoformat(),
                         "mode": PaymentMethod(p.method).label, "référence": p.reference})
    for sh in s.scalars(select(ShareSubscription).where(ShareSubscription.person_id == person_id)):
        rows.append({"parts sociales": sh.count, "valeur nominale": format_money(sh.nominal_cents),
                     "souscrites le": sh.subscribed_on.isoformat(), "notes": sh.notes})
    return rows


def _erase_memberships(s: Session, person_id: int) -> str:
    n = s.scalar(select(func.count()).where(Membership.person_id == person_id)) or 0
    for m in s.scalars(select(Membership).where(Membership.person_id == person_id)):
        m.notes = None
    for sh in s.scalars(select(ShareSubscription).where(ShareSubscription.person_id == person_id)):
        sh.notes = None
    return ngettext(
        "{n} adhésion conservée avec ses paiements et reçus (pièces comptables, 10 ans), "
        "rattachée à la fiche anonymisée ; notes effacées.",
        "{n} adhésions conservées avec leurs paiements et reçus (pièces comptables, 10 ans), "
        "rattachées à la fiche anonymisée ; notes effacées.", n).format(n=n)


register(PersonalDataArea(
    "memberships", lambda: _("Adhésions, paiements et parts sociales"),
    _export_memberships, _erase_memberships,
    # a member of this year or the last is active
    active_since=lambda since: select(Membership.person_id).where(
        Membership.person_id.is_not(None), Membership.year >= since.year),
))


class _AlreadyIssued(Exception):
    def __init__(self, document_id: int) -> None:
        self.document_id = document_id


class MembershipService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @public
    def this_year(self) -> int:
        return self.ctx.now().astimezone(PARIS).year

    # --- colleges and the fee schedule ---------------------------------------------------

    @requires(Area.PEOPLE, Access.READ)
    def colleges(self, *, include_inactive: bool = True) -> tuple[CollegeRecord, ...]:
        stmt = select(College).order_by(College.position, College.name)
        if not include_inactive:
            stmt = stmt.where(College.active.is_(True))
        with self.ctx.reading() as s:
            return tuple(CollegeRecord(id=c.id, name=c.name, position=c.position, active=c.active)
                         for c in s.scalars(stmt))

    @requires(Area.SETTINGS, Access.WRITE)
    def save_college(self, *, college_id: int | None, name: str, active: bool = True,
                     position: int | None = None) -> int:
        name = (name or "").strip()
        if not name:
            raise ValidationError(_("Le nom du collège est obligatoire."), field="name")
        if len(name) > 100:
            raise ValidationError(_("Ce nom est trop long (100 caractères au plus)."), field="name")
        try:
            return self._save_college(college_id, name, active, position)
        except IntegrityError:  # another desk took the name at the same moment
            raise ValidationError(_("Un collège porte déjà ce nom."), field="name") from None

    def _save_college(self, college_id: int | None, name: str, active: bool,
                      position: int | None) -> int:
        with self.ctx.writing() as s:
            # compared without case or accents ("economie" is "Économie")
            clash = next((cid for cid, other in s.execute(select(College.id, College.name))
                          if search_key(other) == search_key(name)), None)
            if clash is not None and clash != college_id:
                raise ValidationError(_("Un collège porte déjà ce nom."), field="name")
            if college_id is None:
                last = s.scalar(select(func.max(College.position))) or 0
                college = College(name=name, active=active,
                                  position=position if position is not None else last + 1)
                s.add(college)
            else:
                college = s.get(College, college_id)
                if college is None:
                    raise NotFound(_("Ce collège n'existe plus."))
                college.name, college.active = name, active
                if position is not None:
                    college.position = position
            s.flush()
            return college.id

    @requires(Area.PEOPLE, Access.READ)
    def fees(self, *, year: int) -> tuple[Fee, ...]:
        """The fee of every college for `year` (None where it is not set)."""
        with self.ctx.reading() as s:
            rows = s.execute(
                select(College.id, College.name, CollegeFee.fee_cents)
                .outerjoin(CollegeFee, and_(CollegeFee.college_id == College.id,
                                            CollegeFee.year == year))
                .order_by(College.position, College.name))
            return tuple(Fee(college_id=cid, college=name, year=year, fee_cents=fee)
                         for cid, name, fee in rows)

    @requires(Area.SETTINGS, Access.WRITE)
    def save_fee(self, *, college_id: int, year: int, fee_cents: int | None) -> None:
        """Set (or, with None, clear) the fee of a college for a year. Memberships already
        taken keep the fee they were taken at."""
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Année invalide."), field="year")
        if fee_cents is not None and fee_cents < 0:
            raise ValidationError(_("Le montant doit être positif."), field="fee")
        with self.ctx.writing() as s:
            if s.get(College, college_id) is None:
                raise NotFound(_("Ce collège n'existe plus."))
            row = s.scalar(select(CollegeFee).where(CollegeFee.college_id == college_id,
                                                    CollegeFee.year == year))
            if fee_cents is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(CollegeFee(college_id=college_id, year=year, fee_cents=fee_cents))
            else:
                row.fee_cents = fee_cents

    # --- memberships -----------------------------------------------------------------------

    @requires(Area.MEMBERSHIP, Access.READ)
    def memberships_of(self, *, kind: MemberKind, member_id: int) -> tuple[MembershipRecord, ...]:
        """Every membership of a member, the latest year first, with its payments."""
        with self.ctx.reading() as s:
            member = _member(s, kind, member_id)
            rows = s.execute(
                select(Membership, College.name).join(College, College.id == Membership.college_id)
                .where(_member_col(kind) == member_id).order_by(Membership.year.desc())).all()
            return tuple(self._record(s, m, college, _name(member)) for m, college in rows)

    @requires(Area.MEMBERSHIP, Access.READ)
    def membership(self, *, membership_id: int) -> MembershipRecord:
        with self.ctx.reading() as s:
            m = self._get(s, membership_id)
            kind, member_id = _kind_and_id(m)
            return self._record(s, m, s.get(College, m.college_id).name,
                                _name(_member(s, kind, member_id)))

    @staticmethod
    def _get(s: Session, membership_id: int, *, lock: bool = False) -> Membership:
        m = s.get(Membership, membership_id, with_for_update=lock)
        if m is None:
            raise NotFound(_("Cette adhésion n'existe plus."))
        return m

    @staticmethod
    def _record(s: Session, m: Membership, college: str, member_name: str) -> MembershipRecord:
        kind, member_id = _kind_and_id(m)
        payments = tuple(
            _payment_record(p, number) for p, number in s.execute(
                select(Payment, Document.number)
                .outerjoin(Document, Document.id == Payment.receipt_document_id)
                .where(Payment.membership_id == m.id).order_by(Payment.paid_on, Payment.id)))
        return MembershipRecord(
            id=m.id, kind=kind, member_id=member_id, member_name=member_name, year=m.year,
            college_id=m.college_id, college=college, fee_cents=m.fee_cents,
            paid_cents=m.paid_cents, notes=m.notes, payments=payments)

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def create_membership(self, *, kind: MemberKind, member_id: int, year: int, college_id: int,
                          fee_cents: int | None = None, notes: str | None = None) -> int:
        """A member joins (or renews) for `year`. The fee is the college's for that year
        unless given."""
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Année invalide."), field="year")
        try:
            with self.ctx.writing() as s:
                member = _member(s, kind, member_id)
                college = s.get(College, college_id)
                if college is None:
                    raise ValidationError(_("Choisissez un collège."), field="college")
                if not college.active:
                    raise ValidationError(
                        _("Le collège « {college} » est désactivé : choisissez-en un autre, ou "
                          "réactivez-le dans les paramètres.").format(college=college.name),
                        field="college")
                existing = s.scalar(select(Membership.id).where(
                    _member_col(kind) == member_id, Membership.year == year))
                if existing is not None:
                    raise Conflict(_("{name} est déjà adhérent·e pour {year}.").format(
                        name=_name(member), year=year), existing_id=existing)
                if fee_cents is None:
                    fee_cents = s.scalar(select(CollegeFee.fee_cents).where(
                        CollegeFee.college_id == college_id, CollegeFee.year == year))
                    if fee_cents is None:
                        raise ValidationError(
                            _("La cotisation du collège « {college} » pour {year} n'est pas "
                              "fixée : saisissez le montant, ou fixez-la dans les paramètres."
                              ).format(college=college.name, year=year), field="fee")
                elif fee_cents < 0:
                    raise ValidationError(_("Le montant doit être positif."), field="fee")
                m = Membership(year=year, college_id=college_id, fee_cents=fee_cents,
                               paid_cents=0, notes=(notes or "").strip() or None,
                               **{_member_col(kind).key: member_id})
                s.add(m)
                s.flush()
                return m.id
        except IntegrityError:  # another desk created it at the same moment
            raise Conflict(_("Ce membre est déjà adhérent pour {year}.").format(year=year)) from None

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def update_membership(self, *, membership_id: int, college_id: int, fee_cents: int,
                          notes: str | None = None) -> None:
        if fee_cents < 0:
            raise ValidationError(_("Le montant doit être positif."), field="fee")
        with self.ctx.writing() as s:
            m = self._get(s, membership_id, lock=True)
            if s.get(College, college_id) is None:
                raise ValidationError(_("Choisissez un collège."), field="college")
            if fee_cents < m.paid_cents:
                raise ValidationError(
                    _("La cotisation ne peut pas être inférieure à ce qui a déjà été payé "
                      "({paid}).").format(paid=format_money(m.paid_cents)), field="fee")
            m.college_id, m.fee_cents = college_id, fee_cents
            m.notes = (notes or "").strip() or None

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def delete_membership(self, *, membership_id: int) -> None:
        """Undo a membership entered by mistake (only while nothing was paid)."""
        with self.ctx.writing() as s:
            m = self._get(s, membership_id, lock=True)
            if s.scalar(select(func.count()).where(Payment.membership_id == m.id)):
                raise Conflict(_("Cette adhésion a des paiements : annulez-les d'abord."),
                               existing_id=m.id)
            s.delete(m)

    # --- payments and receipts ---------------------------------------------------------------

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def record_payment(self, *, membership_id: int, amount_cents: int, paid_on: dt.date,
                       method: PaymentMethod, reference: str | None = None) -> PaymentRecord:
        """A payment towards a membership; partial payments add up. More than what is
        still due is refused."""
        if amount_cents <= 0:
            raise ValidationError(_("Le montant doit être supérieur à zéro."), field="amount")
        if paid_on > self.ctx.now().astimezone(PARIS).date():
            raise ValidationError(_("La date de paiement ne peut pas être dans le futur."),
                                  field="paid_on")
        reference = (reference or "").strip() or None
        if reference and len(reference) > 100:
            raise ValidationError(_("Ce champ est trop long ({n} caractères au plus).").format(
                n=100), field="reference")
        with self.ctx.writing() as s:
            m = self._get(s, membership_id, lock=True)
            due = m.fee_cents - m.paid_cents
            if amount_cents > due:
                raise ValidationError(
                    _("Ce paiement dépasse le reste dû ({due}).").format(due=format_money(max(due, 0))),
                    field="amount")
            p = Payment(membership_id=m.id, amount_cents=amount_cents, paid_on=paid_on,
                        method=PaymentMethod(method), reference=reference)
            s.add(p)
            m.paid_cents += amount_cents
            s.flush()
            return _payment_record(p, None)

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def cancel_payment(self, *, payment_id: int) -> None:
        """Undo a payment entered by mistake, as long as no receipt was issued for it (a
        receipt's number is never withdrawn)."""
        with self.ctx.writing() as s:
            p = s.get(Payment, payment_id)
            if p is None:
                raise NotFound(_("Ce paiement n'existe plus."))
            if p.receipt_document_id is not None:
                raise Conflict(_("Un reçu a déjà été émis pour ce paiement : il ne peut plus "
                                 "être annulé."), existing_id=p.receipt_document_id)
            m = self._get(s, p.membership_id, lock=True)
            m.paid_cents -= p.amount_cents
            s.delete(p)

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def receipt(self, *, payment_id: int) -> tuple[DocumentRecord, bytes]:
        """The reçu de cotisation of a payment: issued and archived the first time (next
        number of the year's RC sequence), the archived document itself afterwards."""
        from maison_app.documents.receipt import render_receipt

        documents = DocumentService(self.ctx)
        with self.ctx.reading() as s:
            p = s.get(Payment, payment_id)
            if p is None:
                raise NotFound(_("Ce paiement n'existe plus."))
            if p.receipt_document_id is not None:
                return self._archived(s, p.receipt_document_id)
            m = s.get(Membership, p.membership_id)
            kind, member_id = _kind_and_id(m)
            member = _member(s, kind, member_id)
            paid_total = s.scalar(select(func.sum(Payment.amount_cents)).where(
                Payment.membership_id == m.id,
                (Payment.paid_on < p.paid_on) | ((Payment.paid_on == p.paid_on) & (Payment.id <= p.id))
            )) or 0
            address = ", ".join(x for x in (member.address, f"{member.postcode or ''} {member.city or ''}".strip()) if x)
            data = ReceiptData(
                member_name=_name(member), member_address=address,
                college=s.get(College, m.college_id).name, year=m.year,
                amount_cents=p.amount_cents, paid_on=p.paid_on, method=PaymentMethod(p.method),
                reference=p.reference, fee_cents=m.fee_cents, paid_total_cents=paid_total)
        identity = SettingsService(self.ctx).identity()
        issued_at = self.ctx.now()

        def attach(s: Session, doc: Document) -> None:
            payment = s.get(Payment, payment_id, with_for_update=True)
            s.refresh(payment)
            if payment.receipt_document_id is not None:  # another desk was quicker
                raise _AlreadyIssued(payment.receipt_document_id)
            payment.receipt_document_id = doc.id

        try:
            return documents.issue(
                kind=DocumentKind.RECU_COTISATION,
                subject=_("Reçu de cotisation {year} — {name}").format(year=data.year,
                                                                     name=data.member_name),
                render=lambda number: render_receipt(number, identity, data, issued_at),
                attach=attach)
        except _AlreadyIssued as already:
            with self.ctx.reading() as s:
                return self._archived(s, already.document_id)

    @staticmethod
    def _archived(s: Session, document_id: int) -> tuple[DocumentRecord, bytes]:
        from maison_app.services.documents import _record

        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(_("Ce document n'est plus dans les archives."))
        return _record(doc), doc.content

    # --- shares (parts sociales) -----------------------------------------------------------

    @requires(Area.MEMBERSHIP, Access.READ)
    def shares_of(self, *, kind: MemberKind, member_id: int) -> tuple[ShareRecord, ...]:
        with self.ctx.reading() as s:
            _member(s, kind, member_id)
            return tuple(
                ShareRecord(id=r.id, kind=kind, member_id=member_id, count=r.count,
                            nominal_cents=r.nominal_cents, subscribed_on=r.subscribed_on,
                            notes=r.notes)
                for r in s.scalars(select(ShareSubscription).where(
                    _member_col(kind, ShareSubscription) == member_id)
                    .order_by(ShareSubscription.subscribed_on, ShareSubscription.id)))

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def add_share(self, *, kind: MemberKind, member_id: int, count: int, nominal_cents: int,
                  subscribed_on: dt.date, notes: str | None = None) -> int:
        if count <= 0:
            raise ValidationError(_("Le nombre de parts doit être d'au moins 1."), field="count")
        if nominal_cents <= 0:
            raise ValidationError(_("La valeur nominale doit être supérieure à zéro."),
                                  field="nominal")
        with self.ctx.writing() as s:
            _member(s, kind, member_id)
            share = ShareSubscription(count=count, nominal_cents=nominal_cents,
                                      subscribed_on=subscribed_on,
                                      notes=(notes or "").strip() or None,
                                      **{_member_col(kind, ShareSubscription).key: member_id})
            s.add(share)
            s.flush()
            return share.id

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def delete_share(self, *, share_id: int) -> None:
        with self.ctx.writing() as s:
            share = s.get(ShareSubscription, share_id)
            if share is None:
                raise NotFound(_("Cette souscription n'existe plus."))
            s.delete(share)

    # --- renewals ------------------------------------------------------------------------------

    @requires(Area.MEMBERSHIP, Access.READ)
    def renewals_due(self, *, year: int) -> tuple[RenewalRow, ...]:
        """Members to remind for `year`: those who owe all or part of their fee, and those
        who were members the year before and have not renewed. By name."""
        out: list[RenewalRow] = []
        with self.ctx.reading() as s:
            for kind in MemberKind:
                model = Person if kind is MemberKind.PERSON else Organisation
                col = _member_col(kind)
                owing = s.execute(
                    select(model, Membership, College.name)
                    .join(Membership, col == model.id)
                    .join(College, College.id == Membership.college_id)
                    .where(Membership.year == year, Membership.paid_cents < Membership.fee_cents))
                for member, m, college in owing:
                    if kind is MemberKind.PERSON and member.anonymised:
                        continue
                    out.append(self._renewal(kind, member, college, year, m.fee_cents,
                                             m.paid_cents))
                this_year = select(col).where(Membership.year == year, col.is_not(None))
                lapsed = s.execute(
                    select(model, Membership, College.name)
                    .join(Membership, col == model.id)
                    .join(College, College.id == Membership.college_id)
                    .where(Membership.year == year - 1, col.not_in(this_year)))
                for member, m, college in lapsed:
                    if kind is MemberKind.PERSON and member.anonymised:
                        continue
                    fee = s.scalar(select(CollegeFee.fee_cents).where(
                        CollegeFee.college_id == m.college_id, CollegeFee.year == year))
                    out.append(self._renewal(kind, member, college, year,
                                             fee if fee is not None else m.fee_cents, 0,
                                             lapsed=True))
        out.sort(key=lambda r: (search_key(r.name), r.member_id))  # É with the E
        return tuple(out)

    @staticmethod
    def _renewal(kind, member, college, year, fee, paid, *, lapsed=False) -> RenewalRow:
        status = MembershipStatus.NON_RENOUVELE if lapsed else membership_status(
            fee_cents=fee, paid_cents=paid, had_previous_year=False)
        return RenewalRow(kind=kind, member_id=member.id, name=_name(member),
                          email=member.email, phone=member.phone, college=college, year=year,
                          status=status, fee_cents=fee, paid_cents=paid)

    # --- badges and the reception ------------------------------------------------------------

    @requires(Area.MEMBERSHIP, Access.READ)
    def badges(self, *, person_ids: Iterable[int], year: int | None = None) -> bytes:
        """Member badges (card size, ten per A4 sheet) of these people, in this order."""
        from maison_app.documents.badge import render_badges

        year = year or self.this_year()
        ids = list(dict.fromkeys(person_ids))
        if not ids:
            raise ValidationError(_("Choisissez au moins une personne."), field="people")
        with self.ctx.reading() as s:
            people = {p.id: p for p in s.scalars(select(Person).where(
                Person.id.in_(ids), Person.anonymised.is_(False)))}
            orgs: dict[int, list[str]] = {}
            for pid, name in s.execute(
                    select(Affiliation.person_id, Organisation.name)
                    .join(Organisation, Organisation.id == Affiliation.organisation_id)
                    .where(Affiliation.person_id.in_(ids)).order_by(Organisation.search_key)):
                orgs.setdefault(pid, []).append(name)
            colleges = dict(s.execute(
                select(Membership.person_id, College.name)
                .join(College, College.id == Membership.college_id)
                .where(Membership.person_id.in_(ids), Membership.year == year)).all())
        badges = [
            BadgeData(person_id=pid, name=_name(people[pid]),
                      organisation=", ".join(dict.fromkeys(orgs.get(pid, []))),
                      member_code=member_code(pid), college=colleges.get(pid),
                      year=year if pid in colleges else None)
            for pid in ids if pid in people
        ]
        if not badges:
            raise NotFound(_("Ces personnes n'existent plus dans la base."))
        identity = SettingsService(self.ctx).identity()
        return render_badges(identity, badges)

    @requires(Area.RECEPTION, Access.READ)
    def statuses(self, *, person_ids: Iterable[int]) -> dict[int, MembershipStatus]:
        """This year's membership status of each person who is or was a member."""
        with self.ctx.reading() as s:
            return status_of_people(s, person_ids, self.this_year())
