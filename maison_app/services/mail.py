"""The mail log of domiciled organisations: received, notified, collected.

A domiciled organisation (or a project holder domiciled in person) has its registered
office at the house: the reception takes its letters, registered letters and parcels,
writes each one in the log, tells the recipient (« avisé le ») and writes down when it was
collected (« retiré le »). Who may receive mail on a day follows from the signed hosting
agreements with the domiciliation service that run that day. Mail still waiting three
months after it arrived is flagged (domain.hosting.mail_overdue).

The log is small (a few hundred lines a year): the accent-insensitive search on the
recipient's name and the sender is done here, on the normalised text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from maison_app.db import audit
from maison_app.db.hosting import HostingAgreement, MailItem
from maison_app.db.models import Organisation, Person
from maison_app.domain.enums import AgreementStatus, MailKind
from maison_app.domain.errors import NotFound, ValidationError
from maison_app.domain.hosting import MailRecord, mail_overdue
from maison_app.domain.permissions import Access, Area
from maison_app.domain.text import full_name, search_key, search_terms
from maison_app.i18n import _, format_date, ngettext, to_paris
from maison_app.services.context import ServiceContext
from maison_app.services.permissions import requires
from maison_app.services.privacy import PersonalDataArea, register

SENDER_MAX = 200


def _record(m: MailItem, org_name: str | None, first: str | None, last: str | None
            ) -> MailRecord:
    recipient = org_name if m.organisation_id is not None else full_name(first, last)
    return MailRecord(
        id=m.id, organisation_id=m.organisation_id, person_id=m.person_id,
        recipient=recipient or "", received_on=m.received_on, kind=MailKind(m.kind),
        sender=m.sender or "", notified_on=m.notified_on, collected_on=m.collected_on,
        notes=m.notes or "")


def _records(s: Session, *where) -> list[MailRecord]:
    rows = s.execute(
        select(MailItem, Organisation.name, Person.first_name, Person.last_name)
        .outerjoin(Organisation, Organisation.id == MailItem.organisation_id)
        .outerjoin(Person, Person.id == MailItem.person_id)
        .where(*where)
        .order_by(MailItem.received_on.desc(), MailItem.id.desc()))
    return [_record(m, org, first, last) for m, org, first, last in rows]


def _mail_text(m: MailItem) -> str:
    """"le courrier reçu le 3 mars 2026": names a line in a message."""
    return _("le courrier reçu le {day}").format(day=format_date(m.received_on))


class MailService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> dt.date:
        return to_paris(self.ctx.now()).date()

    # --- who may receive mail ---------------------------------------------------------

    @requires(Area.MAIL, Access.READ)
    def recipients(self, *, day: dt.date | None = None
                   ) -> tuple[tuple[int | None, int | None, str], ...]:
        """(organisation_id, person_id, name) of everyone domiciled on `day` (today by
        default) by a signed agreement with the domiciliation service, sorted by name.
        An agreement terminated early domiciles until its last day; an amendment that
        replaces an agreement keeps the occupant domiciled, so it changes nothing here."""
        day = day or self._today()
        a = HostingAgreement
        running = or_(
            and_(a.status == AgreementStatus.SIGNED,
                 or_(a.terminated_on.is_(None), a.terminated_on >= day)),
            and_(a.status == AgreementStatus.TERMINATED, a.terminated_on >= day))
        with self.ctx.reading() as s:
            rows = s.execute(
                select(a.organisation_id, a.person_id, Organisation.name, Person.first_name,
                       Person.last_name)
                .outerjoin(Organisation, Organisation.id == a.organisation_id)
                .outerjoin(Person, Person.id == a.person_id)
                .where(a.domiciliation.is_(True), a.start <= day, a.end >= day, running)
                .distinct()).all()
        found = {(org_id, person_id): (org if org_id is not None else full_name(first, last))
                 for org_id, person_id, org, first, last in rows}
        return tuple(sorted(((o, p, name) for (o, p), name in found.items()),
                            key=lambda r: (search_key(r[2]), r[2], r[0] or 0, r[1] or 0)))

    # --- the log ------------------------------------------------------------------------

    @requires(Area.MAIL, Access.READ)
    def log(self, *, waiting_only: bool = False, query: str = "",
            organisation_id: int | None = None, person_id: int | None = None
            ) -> tuple[MailRecord, ...]:
        """The mail received, latest first. `waiting_only`: not collected yet; `query`:
        words of the recipient's name or the sender (case and accents do not matter)."""
        where = []
        if waiting_only:
            where.append(MailItem.collected_on.is_(None))
        if organisation_id is not None:
            where.append(MailItem.organisation_id == organisation_id)
        if person_id is not None:
            where.append(MailItem.person_id == person_id)
        with self.ctx.reading() as s:
            records = _records(s, *where)
        terms = search_terms(query)
        if terms:
            records = [r for r in records
                       if all(t in search_key(r.recipient, r.sender) for t in terms)]
        return tuple(records)

    @requires(Area.MAIL, Access.READ)
    def overdue(self) -> tuple[MailRecord, ...]:
        """The mail still waiting three months or more after it arrived, oldest first."""
        today = self._today()
        with self.ctx.reading() as s:
            waiting = _records(s, MailItem.collected_on.is_(None))
        return tuple(sorted((m for m in waiting if mail_overdue(m, today)),
                            key=lambda m: (m.received_on, m.id or 0)))

    # --- writing ------------------------------------------------------------------------

    def _check(self, s: Session, record: MailRecord) -> dict[str, object]:
        """The columns of a line as the record says, after the rules; raises
        ValidationError on the field at fault."""
        today = self._today()
        if (record.organisation_id is None) == (record.person_id is None):
            raise ValidationError(_("Choisissez le destinataire : la structure ou la personne "
                                    "domiciliée à qui le courrier est adressé."),
                                  field="recipient")
        if record.organisation_id is not None:
            if s.get(Organisation, record.organisation_id) is None:
                raise ValidationError(_("Cette structure n'existe plus : choisissez un autre "
                                        "destinataire."), field="recipient")
        elif s.get(Person, record.person_id) is None:
            raise ValidationError(_("Cette personne n'existe plus : choisissez un autre "
                                    "destinataire."), field="recipient")
        received = record.received_on
        if received is None:
            raise ValidationError(_("Indiquez la date de réception du courrier."),
                                  field="received_on")
        if received > today:
            raise ValidationError(_("La date de réception ne peut pas être dans le futur "
                                    "(nous sommes le {today}).").format(
                today=format_date(today)), field="received_on")
        try:
            kind = MailKind(record.kind)
        except ValueError:
            raise ValidationError(_("Choisissez le type : lettre, recommandé ou colis."),
                                  field="kind") from None
        sender = (record.sender or "").strip()
        if len(sender) > SENDER_MAX:
            raise ValidationError(ngettext(
                "L'expéditeur tient en {n} caractère au plus.",
                "L'expéditeur tient en {n} caractères au plus.", SENDER_MAX).format(n=SENDER_MAX),
                field="sender")
        for name, value, what in (
                ("notified_on", record.notified_on, _("L'avis")),
                ("collected_on", record.collected_on, _("Le retrait"))):
            if value is None:
                continue
            if value < received:
                raise ValidationError(_("{what} ne peut pas précéder la réception du courrier "
                                        "(le {day}).").format(what=what,
                                                             day=format_date(received)),
                                      field=name)
            if value > today:
                raise ValidationError(_("{what} ne peut pas être dans le futur (nous sommes "
                                        "le {today}).").format(what=what,
                                                              today=format_date(today)),
                                      field=name)
        return {"organisation_id": record.organisation_id, "person_id": record.person_id,
                "received_on": received, "kind": kind, "sender": sender,
                "notified_on": record.notified_on, "collected_on": record.collected_on,
                "notes": (record.notes or "").strip()}

    @requires(Area.MAIL, Access.WRITE)
    def receive(self, record: MailRecord) -> int:
        """A letter, registered letter or parcel received: a new line of the log."""
        with self.ctx.writing() as s:
            item = MailItem(**self._check(s, record))
            s.add(item)
            s.flush()
            return item.id

    @requires(Area.MAIL, Access.WRITE)
    def update(self, record: MailRecord) -> None:
        """Corrects a line (the recipient, the dates, the type, the sender, the notes)."""
        if record.id is None:
            raise NotFound(_("Ce courrier n'est pas encore enregistré."))
        with self.ctx.writing() as s:
            item = self._get(s, record.id)
            for column, value in self._check(s, record).items():
                if getattr(item, column) != value:
                    setattr(item, column, value)

    @staticmethod
    def _get(s: Session, mail_id: int) -> MailItem:
        item = s.get(MailItem, mail_id)
        if item is None:
            raise NotFound(_("Ce courrier n'est plus dans le registre (supprimé à un autre "
                             "poste ?). Actualisez la liste."))
        return item

    def _items(self, s: Session, mail_ids: Sequence[int], on: dt.date | None,
               what: str) -> list[MailItem]:
        ids = list(dict.fromkeys(mail_ids or ()))
        if not ids:
            raise ValidationError(_("Choisissez d'abord un ou plusieurs courriers dans la "
                                    "liste."), field="mail_ids")
        if on is None:
            raise ValidationError(_("Indiquez la date."), field="on")
        today = self._today()
        if on > today:
            raise ValidationError(_("{what} ne peut pas être dans le futur (nous sommes le "
                                    "{today}).").format(what=what, today=format_date(today)),
                                  field="on")
        items = [self._get(s, i) for i in ids]
        for item in items:
            if on < item.received_on:
                raise ValidationError(_("{what} ne peut pas précéder la réception : "
                                        "{mail}.").format(what=what, mail=_mail_text(item)),
                                      field="on")
        return items

    @requires(Area.MAIL, Access.WRITE)
    def notify(self, *, mail_ids: Sequence[int], on: dt.date) -> None:
        """The recipients of these lines were told on `on` that their mail is here (a
        reminder moves the date on). Mail already collected is left as it is."""
        with self.ctx.writing() as s:
            for item in self._items(s, mail_ids, on, _("L'avis")):
                if item.collected_on is None and item.notified_on != on:
                    item.notified_on = on

    @requires(Area.MAIL, Access.WRITE)
    def collect(self, *, mail_ids: Sequence[int], on: dt.date) -> None:
        """These lines were collected on `on`. Mail already collected keeps its date."""
        with self.ctx.writing() as s:
            for item in self._items(s, mail_ids, on, _("Le retrait")):
                if item.collected_on is None:
                    item.collected_on = on

    @requires(Area.MAIL, Access.WRITE)
    def delete(self, *, mail_id: int) -> None:
        """Removes a line entered by mistake."""
        with self.ctx.writing() as s:
            s.delete(self._get(s, mail_id))


# --- data protection: the mail received for a person ------------------------------------------


def _export_mail(s: Session, person_id: int) -> list[dict[str, object]]:
    return [{"reçu le": m.received_on.isoformat(), "type": m.kind.label,
             "expéditeur": m.sender,
             "avisé le": m.notified_on.isoformat() if m.notified_on else None,
             "retiré le": m.collected_on.isoformat() if m.collected_on else None,
             "notes": m.notes}
            for m in reversed(_records(s, MailItem.person_id == person_id))]


def _erase_mail(s: Session, person_id: int) -> str:
    rows = list(s.scalars(select(MailItem).where(MailItem.person_id == person_id)))
    for item in rows:
        # the past entries of the audit trail name the senders: they go too
        audit.scrub(s, entity=MailItem.__tablename__, entity_id=str(item.id))
        s.delete(item)
    return ngettext("{n} courrier reçu supprimé du registre.",
                    "{n} courriers reçus supprimés du registre.", len(rows)).format(n=len(rows))


register(PersonalDataArea(
    "mail", lambda: _("Courrier reçu"), _export_mail, _erase_mail,
    # mail received lately, or still waiting, keeps the person active
    active_since=lambda since: select(MailItem.person_id).where(
        MailItem.person_id.is_not(None),
        or_(MailItem.received_on >= since.date(), MailItem.collected_on.is_(None))),
))
