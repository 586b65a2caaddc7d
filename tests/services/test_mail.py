"""MailService: who may receive mail (the domiciled, from the signed agreements), the rules
of a line of the log, several lines notified or collected at once, the search, mail waiting
for three months, corrections and deletions, the permissions and the personal data."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from maison_app.db.hosting import HostingAgreement
from maison_app.db.models import AuditEntry
from maison_app.domain.enums import AgreementLink, AgreementStatus, MailKind, Role
from maison_app.domain.errors import NotFound, ValidationError
from maison_app.domain.hosting import MailRecord
from maison_app.domain.permissions import Access, Area
from maison_app.services.context import Actor
from maison_app.services.mail import MailService
from maison_app.services.permissions import declared

D = dt.date  # the clock says Thursday 26 November 2026
TODAY = D(2026, 11, 26)
JANUARY_1, DECEMBER_31 = D(2026, 1, 1), D(2026, 12, 31)
_sequence = iter(range(1, 1000))


def add_agreement(services, *, organisation_id=None, person_id=None, start=JANUARY_1,
                  end=DECEMBER_31, status=AgreementStatus.SIGNED, domiciliation=True,
                  **kw) -> int:
    """A hosting agreement written straight into the table (its service is another
    module's): what the mail log reads from it is who is domiciled when."""
    n = next(_sequence)
    with services.ctx.writing() as s:
        row = HostingAgreement(number=f"CH-2026-{n:04d}", year=2026, sequence=n, status=status,
                               domiciliation=domiciliation, organisation_id=organisation_id,
                               person_id=person_id, start=start, end=end, **kw)
        s.add(row)
        s.flush()
        return row.id


@pytest.fixture
def house(services):
    people = services.people
    ids = {name: people.create_organisation(name=name) for name in (
        "Ébène Traduction", "Brûlerie Équitable", "Compost'Âge", "Atelier Vélo")}
    ids["Hélène"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene@exemple.fr")
    return ids


@pytest.fixture
def domiciled(services, house):
    """Ébène, Brûlerie and Hélène are domiciled today; Atelier Vélo has an office only."""
    for name in ("Ébène Traduction", "Brûlerie Équitable"):
        add_agreement(services, organisation_id=house[name])
    add_agreement(services, person_id=house["Hélène"], start=D(2026, 9, 1), end=D(2027, 8, 31))
    add_agreement(services, organisation_id=house["Atelier Vélo"], domiciliation=False)
    return house


def letter(house, who: str, received_on=TODAY, **kw) -> MailRecord:
    key = "person_id" if who == "Hélène" else "organisation_id"
    fields = {"id": None, "organisation_id": None, "person_id": None, "recipient": "",
              "received_on": received_on, key: house[who]}
    return MailRecord(**fields | kw)


def receive(services, house, who: str, received_on=TODAY, **kw) -> int:
    return services.mail.receive(letter(house, who, received_on, **kw))


def refused(exc_type, call, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return info.value


# --- who may receive mail -----------------------------------------------------------------------


def test_recipients_are_the_domiciled_of_the_day_sorted_by_name(services, domiciled):
    h = domiciled
    assert services.mail.recipients() == (
        (h["Brûlerie Équitable"], None, "Brûlerie Équitable"),
        (h["Ébène Traduction"], None, "Ébène Traduction"),  # É sorts with the E
        (None, h["Hélène"], "Hélène Lefèvre"),
    )
    # Hélène's agreement starts on 1 September; the others ran all year
    assert [name for _o, _p, name in services.mail.recipients(day=D(2026, 8, 31))] == [
        "Brûlerie Équitable", "Ébène Traduction"]
    assert [name for _o, _p, name in services.mail.recipients(day=D(2027, 1, 1))] == [
        "Hélène Lefèvre"]


def test_only_signed_domiciliations_running_that_day_count(services, house):
    h = house
    add_agreement(services, organisation_id=h["Ébène Traduction"], status=AgreementStatus.DRAFT)
    add_agreement(services, organisation_id=h["Atelier Vélo"], end=D(2026, 11, 25))  # over
    add_agreement(services, organisation_id=h["Compost'Âge"], start=D(2026, 11, 27))  # to come
    assert services.mail.recipients() == ()
    assert services.mail.recipients(day=D(2026, 11, 25)) == ((h["Atelier Vélo"], None,
                                                              "Atelier Vélo"),)


def test_a_terminated_agreement_domiciles_until_its_last_day(services, house):
    h = house
    add_agreement(services, organisation_id=h["Compost'Âge"], status=AgreementStatus.TERMINATED,
                  terminated_on=D(2026, 11, 30), termination_reason="Départ")
    add_agreement(services, organisation_id=h["Atelier Vélo"], status=AgreementStatus.TERMINATED,
                  terminated_on=D(2026, 11, 25), termination_reason="Départ")
    assert [name for _o, _p, name in services.mail.recipients()] == ["Compost'Âge"]
    assert services.mail.recipients(day=D(2026, 12, 1)) == ()
    assert len(services.mail.recipients(day=D(2026, 11, 25))) == 2


def test_an_amendment_keeps_the_organisation_domiciled_once(services, house):
    first = add_agreement(services, organisation_id=house["Compost'Âge"])
    add_agreement(services, organisation_id=house["Compost'Âge"], start=D(2026, 10, 1),
                  previous_id=first, link=AgreementLink.AMENDMENT)
    assert services.mail.recipients() == ((house["Compost'Âge"], None, "Compost'Âge"),)


# --- the rules of a line ------------------------------------------------------------------------


def test_a_letter_is_received_and_listed_with_its_recipient(services, domiciled):
    mail_id = receive(services, domiciled, "Ébène Traduction", kind=MailKind.REGISTERED,
                      sender="  URSSAF Poitou-Charentes ", notes="AR à signer")
    (line,) = services.mail.log()
    assert line == MailRecord(id=mail_id, organisation_id=domiciled["Ébène Traduction"],
                              person_id=None, recipient="Ébène Traduction",
                              received_on=TODAY, kind=MailKind.REGISTERED,
                              sender="URSSAF Poitou-Charentes", notes="AR à signer")
    assert line.waiting
    receive(services, domiciled, "Hélène")
    assert services.mail.log()[0].recipient == "Hélène Lefèvre"


def test_a_letter_needs_one_recipient(services, domiciled):
    error = refused(ValidationError, services.mail.receive,
                    MailRecord(id=None, organisation_id=None, person_id=None, recipient="",
                               received_on=TODAY))
    assert error.field == "recipient" and "destinataire" in error.message
    error = refused(ValidationError, receive, services, domiciled, "Hélène",
                    organisation_id=domiciled["Ébène Traduction"])
    assert error.field == "recipient"
    error = refused(ValidationError, services.mail.receive,
                    letter(domiciled, "Ébène Traduction", organisation_id=9999))
    assert error.field == "recipient" and "n'existe plus" in error.message
    assert services.mail.log() == ()


def test_the_day_of_receipt_is_required_and_not_in_the_future(services, domiciled):
    error = refused(ValidationError, receive, services, domiciled, "Ébène Traduction",
                    received_on=None)
    assert error.field == "received_on"
    error = refused(ValidationError, receive, services, domiciled, "Ébène Traduction",
                    received_on=D(2026, 11, 27))
    assert error.field == "received_on" and "26 novembre 2026" in error.message
    receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 20))
    assert [m.received_on for m in services.mail.log()] == [D(2026, 11, 20)]


def test_the_sender_holds_200_characters(services, domiciled):
    error = refused(ValidationError, receive, services, domiciled, "Ébène Traduction",
                    sender="x" * 201)
    assert error.field == "sender" and "200" in error.message
    receive(services, domiciled, "Ébène Traduction", sender="é" * 200)
    assert services.mail.log()[0].sender == "é" * 200


def test_dates_of_notice_and_collection_follow_the_receipt(services, domiciled):
    error = refused(ValidationError, receive, services, domiciled, "Ébène Traduction",
                    received_on=D(2026, 11, 20), collected_on=D(2026, 11, 19))
    assert error.field == "collected_on"
    error = refused(ValidationError, receive, services, domiciled, "Ébène Traduction",
                    received_on=D(2026, 11, 20), notified_on=D(2026, 11, 27))
    assert error.field == "notified_on"


# --- several lines at once ----------------------------------------------------------------------


def test_several_lines_are_notified_then_collected_at_once(services, domiciled):
    a = receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 20))
    b = receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 23))
    c = receive(services, domiciled, "Brûlerie Équitable", received_on=D(2026, 11, 24))
    services.mail.notify(mail_ids=[a, b], on=TODAY)
    by_id = {m.id: m for m in services.mail.log()}
    assert by_id[a].notified_on == by_id[b].notified_on == TODAY
    assert by_id[c].notified_on is None

    services.mail.collect(mail_ids=[a, b, c], on=TODAY)
    assert services.mail.log(waiting_only=True) == ()
    assert {m.collected_on for m in services.mail.log()} == {TODAY}
    # a collected line keeps its dates: a late notice or a second « retiré » change nothing
    services.mail.notify(mail_ids=[c], on=TODAY)
    services.mail.collect(mail_ids=[a], on=D(2026, 11, 25))
    by_id = {m.id: m for m in services.mail.log()}
    assert by_id[c].notified_on is None and by_id[a].collected_on == TODAY


def test_collecting_before_the_receipt_is_refused_and_changes_nothing(services, domiciled):
    early = receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 20))
    late = receive(services, domiciled, "Brûlerie Équitable", received_on=D(2026, 11, 25))
    error = refused(ValidationError, services.mail.collect, mail_ids=[early, late],
                    on=D(2026, 11, 24))
    assert error.field == "on" and "25 novembre 2026" in error.message
    assert all(m.waiting for m in services.mail.log())  # not even the first line
    error = refused(ValidationError, services.mail.notify, mail_ids=[early], on=D(2026, 11, 27))
    assert error.field == "on" and "futur" in error.message
    error = refused(ValidationError, services.mail.collect, mail_ids=[], on=TODAY)
    assert error.field == "mail_ids"
    refused(NotFound, services.mail.collect, mail_ids=[early, 9999], on=TODAY)
    assert services.mail.log(waiting_only=True)[-1].id == early


# --- corrections --------------------------------------------------------------------------------


def test_a_line_is_corrected(services, domiciled):
    mail_id = receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 20),
                      sender="Impots")
    (line,) = services.mail.log()
    services.mail.update(dataclasses.replace(
        line, organisation_id=domiciled["Brûlerie Équitable"], kind=MailKind.PARCEL,
        sender="Impôts", received_on=D(2026, 11, 19), notified_on=D(2026, 11, 20)))
    (line,) = services.mail.log()
    assert (line.id, line.recipient, line.kind, line.sender, line.received_on,
            line.notified_on) == (mail_id, "Brûlerie Équitable", MailKind.PARCEL, "Impôts",
                                  D(2026, 11, 19), D(2026, 11, 20))
    error = refused(ValidationError, services.mail.update,
                    dataclasses.replace(line, collected_on=D(2026, 11, 18)))
    assert error.field == "collected_on"
    # back on a collected line: « waiting » again
    services.mail.collect(mail_ids=[mail_id], on=TODAY)
    services.mail.update(dataclasses.replace(services.mail.log()[0], collected_on=None))
    assert services.mail.log(waiting_only=True)[0].id == mail_id


def test_a_line_entered_by_mistake_is_deleted(services, domiciled):
    keep = receive(services, domiciled, "Ébène Traduction")
    wrong = receive(services, domiciled, "Brûlerie Équitable")
    services.mail.delete(mail_id=wrong)
    assert [m.id for m in services.mail.log()] == [keep]
    refused(NotFound, services.mail.delete, mail_id=wrong)
    refused(NotFound, services.mail.update, letter(domiciled, "Ébène Traduction", id=wrong))


def test_every_write_is_audited(services, domiciled):
    mail_id = receive(services, domiciled, "Ébène Traduction", sender="CAF")
    services.mail.notify(mail_ids=[mail_id], on=TODAY)
    with services.ctx.reading() as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.summary)
                            .where(AuditEntry.entity == "mail_item")
                            .order_by(AuditEntry.id)).all()
    assert [a for a, _s in entries] == ["create", "update"]
    assert "sender: CAF" in entries[0][1] and "notified_on" in entries[1][1]


# --- the log and its search ---------------------------------------------------------------------


def test_the_log_is_latest_first_and_searched_without_accents(services, domiciled):
    receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 2),
            sender="Direction générale des Finances publiques")
    receive(services, domiciled, "Brûlerie Équitable", received_on=D(2026, 11, 24),
            sender="Impôts")
    receive(services, domiciled, "Hélène", received_on=D(2026, 11, 10), sender="Banque")
    log = services.mail.log
    assert [m.recipient for m in log()] == ["Brûlerie Équitable", "Hélène Lefèvre",
                                            "Ébène Traduction"]
    assert [m.recipient for m in log(query="ebene")] == ["Ébène Traduction"]
    assert [m.recipient for m in log(query="BRULERIE")] == ["Brûlerie Équitable"]
    assert [m.recipient for m in log(query="impots")] == ["Brûlerie Équitable"]
    assert [m.recipient for m in log(query="lefevre banque")] == ["Hélène Lefèvre"]
    assert log(query="lefevre impots") == ()
    assert [m.recipient for m in log(organisation_id=domiciled["Ébène Traduction"])] == [
        "Ébène Traduction"]
    assert [m.recipient for m in log(person_id=domiciled["Hélène"])] == ["Hélène Lefèvre"]


def test_waiting_only_hides_what_was_collected(services, domiciled):
    gone = receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 2))
    here = receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 11, 3))
    services.mail.collect(mail_ids=[gone], on=D(2026, 11, 4))
    assert [m.id for m in services.mail.log(waiting_only=True)] == [here]
    assert [m.id for m in services.mail.log()] == [here, gone]


def test_mail_waiting_three_months_is_overdue(services, domiciled):
    """The clock says 26 November 2026: mail of 26 August has waited three months."""
    old = receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 8, 26))
    receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 8, 27))
    older = receive(services, domiciled, "Hélène", received_on=D(2026, 8, 1))
    collected = receive(services, domiciled, "Brûlerie Équitable", received_on=D(2026, 7, 1))
    services.mail.collect(mail_ids=[collected], on=D(2026, 11, 2))
    assert [m.id for m in services.mail.overdue()] == [older, old]  # the oldest first


def test_overdue_follows_the_clock(services, domiciled, clock):
    receive(services, domiciled, "Ébène Traduction", received_on=D(2026, 8, 27))
    assert services.mail.overdue() == ()
    clock.advance(days=1)
    assert [m.received_on for m in services.mail.overdue()] == [D(2026, 8, 27)]


# --- permissions --------------------------------------------------------------------------------


def test_every_method_declares_the_mail_area():
    reads = {"recipients", "log", "overdue"}
    for name in ("recipients", "log", "overdue", "receive", "update", "notify", "collect",
                 "delete"):
        access = Access.READ if name in reads else Access.WRITE
        assert declared(getattr(MailService, name)) == (Area.MAIL, access), name


@pytest.mark.parametrize("role", list(Role))
def test_every_desk_keeps_the_mail_log(services, domiciled, role):
    desk = services.for_actor(Actor(login=f"test-{role}", role=role))
    ((org, person, _name), *_rest) = desk.mail.recipients()
    mail_id = desk.mail.receive(MailRecord(id=None, organisation_id=org, person_id=person,
                                           recipient="", received_on=TODAY))
    desk.mail.notify(mail_ids=[mail_id], on=TODAY)
    desk.mail.collect(mail_ids=[mail_id], on=TODAY)
    assert desk.mail.log()[0].collected_on == TODAY
    desk.mail.delete(mail_id=mail_id)
    assert desk.mail.log() == ()


# --- personal data ------------------------------------------------------------------------------


def test_a_persons_mail_is_exported_and_erased(services, domiciled):
    pid = domiciled["Hélène"]
    receive(services, domiciled, "Hélène", received_on=D(2026, 11, 2), sender="Banque Postale",
            kind=MailKind.REGISTERED, notes="Avis de passage")
    receive(services, domiciled, "Hélène", received_on=D(2026, 11, 3))
    services.mail.notify(mail_ids=[services.mail.log()[0].id], on=TODAY)
    receive(services, domiciled, "Ébène Traduction", sender="Banque Postale")

    export = services.privacy.export(person_id=pid)
    (mail,) = [s for s in export.sections if s.area == "mail"]
    assert mail.title == "Courrier reçu"
    assert mail.records == (
        {"reçu le": "2026-11-02", "type": "Recommandé", "expéditeur": "Banque Postale",
         "avisé le": None, "retiré le": None, "notes": "Avis de passage"},
        {"reçu le": "2026-11-03", "type": "Lettre", "expéditeur": "", "avisé le": "2026-11-26",
         "retiré le": None, "notes": ""},
    )

    report = services.privacy.erase(person_id=pid)
    assert "Courrier reçu : 2 courriers reçus supprimés du registre." in report.lines
    assert [m.recipient for m in services.mail.log()] == ["Ébène Traduction"]
    with services.ctx.reading() as s:
        summaries = s.scalars(select(AuditEntry.summary).where(
            AuditEntry.entity == "mail_item")).all()
    assert sum("Banque Postale" in text for text in summaries) == 1  # Ébène's line only
    (mail,) = [s for s in services.privacy.export(person_id=pid).sections if s.area == "mail"]
    assert mail.records == ()


def test_erasing_a_person_without_mail_says_so(services, house):
    report = services.privacy.erase(person_id=house["Hélène"])
    assert "Courrier reçu : 0 courrier reçu supprimé du registre." in report.lines
