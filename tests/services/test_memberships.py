"""MembershipService: colleges and their fees, one membership per member and year, payments
and statuses, receipts numbered in one sequence per year (also with two desks printing at
once), renewals to chase, shares, badges, data protection and permissions."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from dataclasses import replace

import pypdf
import pytest
from sqlalchemy import func, select

from maison_app.db.members import Membership, Payment
from maison_app.db.models import Document
from maison_app.domain.enums import (
    AffiliationRole,
    DocumentKind,
    MemberKind,
    MembershipStatus,
    PaymentMethod,
    Role,
)
from maison_app.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from maison_app.domain.members import (
    DEFAULT_COLLEGES,
    MemberFilter,
    OrganisationDetail,
    PersonDetail,
    member_code,
)
from maison_app.domain.records import DocumentRecord
from maison_app.services.context import Actor, Database
from maison_app.services.registry import Services

YEAR = 2026  # the clock fixture's year (26 November 2026, 09:00 in Paris)
PERSON, ORGANISATION = MemberKind.PERSON, MemberKind.ORGANISATION


def person(services, first, last, email=None, **kw) -> int:
    return services.members.save_person(PersonDetail(first_name=first, last_name=last,
                                                     email=email, **kw))


def college_id(services, name="Entreprises adhérentes") -> int:
    return next(c.id for c in services.memberships.colleges() if c.name == name)


def plain(text: str) -> str:
    """Babel's narrow no-break space and no-break spaces as plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def pdf_text(content: bytes) -> str:
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages]
    return " ".join(" ".join(pages).replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture
def house(services):
    """Two colleges with a fee for the year, three people and an organisation."""
    ms = services.memberships
    ent, ben = college_id(services), college_id(services, "Bénévoles")
    ms.save_fee(college_id=ent, year=YEAR, fee_cents=5000)
    ms.save_fee(college_id=ben, year=YEAR, fee_cents=1000)
    return {
        "ent": ent, "ben": ben,
        "helene": person(services, "Hélène", "Lefèvre", "h.lefevre@elan.fr",
                         address="8 rue de l'Abreuvoir", postcode="79000", city="Niort"),
        "noel": person(services, "Noël", "Martin", "noel@exemple.fr", phone="0549000000"),
        "zoe": person(services, "Zoé", "Abadie"),
        "elan": services.members.save_organisation(OrganisationDetail(
            name="Élan Coopératif Niortais", email="contact@elan.fr")),
    }


def join(services, pid, college, year=YEAR, kind=PERSON, **kw) -> int:
    return services.memberships.create_membership(kind=kind, member_id=pid, year=year,
                                                  college_id=college, **kw)


def pay(services, membership_id, cents, on=dt.date(2026, 3, 2), method=PaymentMethod.CHEQUE,
        reference=None):
    return services.memberships.record_payment(membership_id=membership_id, amount_cents=cents,
                                               paid_on=on, method=method, reference=reference)


# --- colleges ------------------------------------------------------------------------------------


def test_the_six_default_colleges_of_the_scic(services):
    colleges = services.memberships.colleges()
    assert [c.name for c in colleges] == list(DEFAULT_COLLEGES)
    assert all(c.active for c in colleges)
    positions = [c.position for c in colleges]
    assert positions == sorted(positions) and len(set(positions)) == 6


def test_rename_add_and_deactivate_a_college(services, house):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    ms.save_college(college_id=house["ent"], name="  Entreprises et associations adhérentes ")
    assert ms.colleges()[0].name == "Entreprises et associations adhérentes"
    # memberships follow the college, under its new name
    assert ms.membership(membership_id=mid).college == "Entreprises et associations adhérentes"
    new = ms.save_college(college_id=None, name="Fondateurs")
    assert [c.name for c in ms.colleges()][-1] == "Fondateurs"
    # keeping its own name is not a clash
    assert ms.save_college(college_id=new, name="Fondateurs", active=False) == new
    assert "Fondateurs" not in [c.name for c in ms.colleges(include_inactive=False)]
    assert [c.active for c in ms.colleges() if c.name == "Fondateurs"] == [False]
    ms.save_college(college_id=new, name="Fondateurs", active=True, position=-1)
    assert ms.colleges()[0].name == "Fondateurs"


@pytest.mark.parametrize(("name", "message"), [
    ("Bénévoles", "déjà"),
    ("bénévoles", "déjà"),
    ("BÉNÉVOLES", "déjà"),
    ("benevoles", "déjà"),  # without the accents too (SQLite's lower() folds ASCII only)
    ("  collectivites ", "déjà"),
    ("   ", "obligatoire"),
    ("x" * 101, "trop long"),
])
def test_a_college_name_is_required_and_unique(services, name, message):
    with pytest.raises(ValidationError) as err:
        services.memberships.save_college(college_id=None, name=name)
    assert err.value.field == "name"
    assert message in err.value.message
    assert len(services.memberships.colleges()) == 6


def test_renaming_onto_another_college_is_refused(services):
    with pytest.raises(ValidationError, match="déjà"):
        services.memberships.save_college(college_id=college_id(services, "Partenaires"),
                                          name="Collectivités")
    with pytest.raises(NotFound):
        services.memberships.save_college(college_id=9999, name="Inconnu")


def test_a_deactivated_college_takes_no_new_membership(services, house):
    ben = college_id(services, "Bénévoles")
    services.memberships.save_college(college_id=ben, name="Bénévoles", active=False)
    with pytest.raises(ValidationError) as err:
        join(services, house["noel"], ben, fee_cents=1000)
    assert err.value.field == "college"
    assert "désactivé" in err.value.message


# --- fee schedule --------------------------------------------------------------------------------


def test_fee_schedule_per_college_and_year(services):
    ms = services.memberships
    ent, ben = college_id(services), college_id(services, "Bénévoles")
    assert [f.college for f in ms.fees(year=YEAR)] == list(DEFAULT_COLLEGES)
    assert all(f.fee_cents is None and f.year == YEAR for f in ms.fees(year=YEAR))
    ms.save_fee(college_id=ent, year=YEAR, fee_cents=5000)
    ms.save_fee(college_id=ben, year=YEAR, fee_cents=0)  # free for volunteers
    ms.save_fee(college_id=ent, year=YEAR + 1, fee_cents=5500)
    fees = {f.college_id: f.fee_cents for f in ms.fees(year=YEAR)}
    assert (fees[ent], fees[ben]) == (5000, 0)
    assert {f.college_id: f.fee_cents for f in ms.fees(year=YEAR + 1)}[ent] == 5500
    ms.save_fee(college_id=ent, year=YEAR, fee_cents=6000)  # changed
    assert {f.college_id: f.fee_cents for f in ms.fees(year=YEAR)}[ent] == 6000
    ms.save_fee(college_id=ent, year=YEAR, fee_cents=None)  # cleared
    assert {f.college_id: f.fee_cents for f in ms.fees(year=YEAR)}[ent] is None
    assert {f.college_id: f.fee_cents for f in ms.fees(year=YEAR + 1)}[ent] == 5500


def test_fee_schedule_refuses_bad_values(services):
    ms = services.memberships
    with pytest.raises(ValidationError) as err:
        ms.save_fee(college_id=college_id(services), year=1999, fee_cents=100)
    assert err.value.field == "year"
    with pytest.raises(ValidationError) as err:
        ms.save_fee(college_id=college_id(services), year=YEAR, fee_cents=-1)
    assert err.value.field == "fee"
    with pytest.raises(NotFound):
        ms.save_fee(college_id=9999, year=YEAR, fee_cents=100)


# --- memberships ---------------------------------------------------------------------------------


def test_the_fee_is_copied_from_the_schedule_or_given(services, house):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"], notes="  Entrée au CA  ")
    m = ms.membership(membership_id=mid)
    assert (m.member_name, m.year, m.college, m.fee_cents, m.paid_cents) == (
        "Hélène Lefèvre", YEAR, "Entreprises adhérentes", 5000, 0)
    assert m.notes == "Entrée au CA" and m.kind is PERSON and m.member_id == house["helene"]
    # a later change of the schedule leaves memberships already taken alone
    ms.save_fee(college_id=house["ent"], year=YEAR, fee_cents=9000)
    assert ms.membership(membership_id=mid).fee_cents == 5000
    # a fee given by hand wins over the schedule
    given = join(services, house["noel"], house["ent"], fee_cents=2500)
    assert ms.membership(membership_id=given).fee_cents == 2500
    # an organisation joins too
    org = join(services, house["elan"], house["ent"], kind=ORGANISATION)
    assert ms.membership(membership_id=org).member_name == "Élan Coopératif Niortais"


def test_without_a_fee_in_the_schedule_the_amount_must_be_given(services, house):
    with pytest.raises(ValidationError) as err:
        join(services, house["helene"], college_id(services, "Partenaires"))
    assert err.value.field == "fee"
    assert "Partenaires" in err.value.message and str(YEAR) in err.value.message
    with pytest.raises(ValidationError) as err:
        join(services, house["helene"], house["ent"], year=YEAR + 1)
    assert str(YEAR + 1) in err.value.message
    mid = join(services, house["helene"], college_id(services, "Partenaires"), fee_cents=12000)
    assert services.memberships.membership(membership_id=mid).fee_cents == 12000


def test_one_membership_per_member_and_year(services, house, database):
    ms = services.memberships
    first = join(services, house["helene"], house["ent"])
    with pytest.raises(Conflict) as err:
        join(services, house["helene"], house["ben"])
    assert err.value.existing_id == first
    assert "Hélène Lefèvre" in err.value.message and str(YEAR) in err.value.message
    org = join(services, house["elan"], house["ent"], kind=ORGANISATION)
    with pytest.raises(Conflict) as err:
        join(services, house["elan"], house["ent"], kind=ORGANISATION)
    assert err.value.existing_id == org
    # other years are other memberships
    join(services, house["helene"], house["ent"], year=YEAR - 1, fee_cents=4000)
    assert [m.year for m in ms.memberships_of(kind=PERSON, member_id=house["helene"])] == [
        YEAR, YEAR - 1]
    with database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Membership)) == 3


def test_bad_memberships_are_refused(services, house):
    with pytest.raises(ValidationError) as err:
        join(services, house["helene"], 9999)
    assert err.value.field == "college"
    with pytest.raises(ValidationError) as err:
        join(services, house["helene"], house["ent"], year=1899)
    assert err.value.field == "year"
    with pytest.raises(ValidationError) as err:
        join(services, house["helene"], house["ent"], fee_cents=-100)
    assert err.value.field == "fee"
    with pytest.raises(NotFound):
        join(services, 9999, house["ent"])
    with pytest.raises(NotFound):
        join(services, 9999, house["ent"], kind=ORGANISATION)
    with pytest.raises(NotFound):
        services.memberships.membership(membership_id=9999)
    with pytest.raises(NotFound):
        services.memberships.memberships_of(kind=PERSON, member_id=9999)


def test_update_and_delete_a_membership(services, house):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    ms.update_membership(membership_id=mid, college_id=house["ben"], fee_cents=3000,
                         notes=" réduit ")
    m = ms.membership(membership_id=mid)
    assert (m.college, m.fee_cents, m.notes) == ("Bénévoles", 3000, "réduit")
    pay(services, mid, 2000)
    with pytest.raises(ValidationError) as err:
        ms.update_membership(membership_id=mid, college_id=house["ben"], fee_cents=1500)
    assert err.value.field == "fee" and "20,00" in err.value.message
    with pytest.raises(Conflict):
        ms.delete_membership(membership_id=mid)
    other = join(services, house["noel"], house["ben"])
    ms.delete_membership(membership_id=other)
    assert ms.memberships_of(kind=PERSON, member_id=house["noel"]) == ()


# --- statuses ------------------------------------------------------------------------------------


def test_statuses_through_memberships_of_and_the_members_list(services, house):
    ms = services.memberships
    # à jour: paid in full
    paid = join(services, house["helene"], house["ent"])
    pay(services, paid, 5000)
    # partiellement payé
    partial = join(services, house["noel"], house["ent"])
    pay(services, partial, 1500)
    # à relancer: nothing paid yet
    join(services, house["elan"], house["ent"], kind=ORGANISATION)
    # non renouvelé: a member last year, not this year
    join(services, house["zoe"], house["ben"], year=YEAR - 1, fee_cents=1000)
    # à jour too: a free membership
    free = person(services, "Ève", "Œillet")
    join(services, free, house["ben"], fee_cents=0)
    # never a member: no status
    never = person(services, "Abel", "Durand")

    def status(pid, kind=PERSON):
        return ms.memberships_of(kind=kind, member_id=pid)[0].status

    assert status(house["helene"]) is MembershipStatus.A_JOUR
    assert status(house["noel"]) is MembershipStatus.PARTIEL
    assert status(house["elan"], ORGANISATION) is MembershipStatus.A_RELANCER
    assert status(free) is MembershipStatus.A_JOUR
    noel = ms.memberships_of(kind=PERSON, member_id=house["noel"])[0]
    assert (noel.paid_cents, noel.due_cents) == (1500, 3500)

    rows = {r.name: r.status for r in services.members.page(filter=MemberFilter(year=YEAR))}
    assert rows == {
        "Hélène Lefèvre": MembershipStatus.A_JOUR, "Noël Martin": MembershipStatus.PARTIEL,
        "Zoé Abadie": MembershipStatus.NON_RENOUVELE, "Ève Œillet": MembershipStatus.A_JOUR,
        "Abel Durand": None}
    orgs = services.members.page(filter=MemberFilter(kind=ORGANISATION, year=YEAR))
    assert [(r.name, r.status) for r in orgs] == [
        ("Élan Coopératif Niortais", MembershipStatus.A_RELANCER)]
    assert services.members.count(filter=MemberFilter(
        year=YEAR, status=MembershipStatus.A_JOUR)) == 2
    # the reception's view: this year's status of each person who is or was a member
    assert ms.statuses(person_ids=[house["helene"], house["noel"], house["zoe"], free, never]) == {
        house["helene"]: MembershipStatus.A_JOUR, house["noel"]: MembershipStatus.PARTIEL,
        house["zoe"]: MembershipStatus.NON_RENOUVELE, free: MembershipStatus.A_JOUR}
    assert ms.statuses(person_ids=[]) == {}


# --- payments ------------------------------------------------------------------------------------


def test_partial_payments_add_up(services, house):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    first = pay(services, mid, 2000, on=dt.date(2026, 4, 10), method=PaymentMethod.ESPECES)
    second = pay(services, mid, 3000, on=dt.date(2026, 2, 1), method=PaymentMethod.VIREMENT,
                 reference="  VIR-778  ")
    assert (first.amount_cents, first.method, first.receipt_number) == (
        2000, PaymentMethod.ESPECES, None)
    assert second.reference == "VIR-778"
    m = ms.membership(membership_id=mid)
    assert (m.paid_cents, m.due_cents, m.status) == (5000, 0, MembershipStatus.A_JOUR)
    # listed by date
    assert [p.id for p in m.payments] == [second.id, first.id]


def test_over_payment_and_bad_amounts_are_refused(services, house):
    mid = join(services, house["helene"], house["ent"])
    pay(services, mid, 2000)
    with pytest.raises(ValidationError) as err:
        pay(services, mid, 3001)
    assert err.value.field == "amount" and "30,00 €" in plain(err.value.message)
    pay(services, mid, 3000)
    with pytest.raises(ValidationError):
        pay(services, mid, 1)  # nothing left to pay
    other = join(services, house["noel"], house["ent"])
    for cents in (0, -500):
        with pytest.raises(ValidationError) as err:
            pay(services, other, cents)
        assert err.value.field == "amount"
    with pytest.raises(ValidationError) as err:
        pay(services, other, 100, reference="x" * 101)
    assert err.value.field == "reference"
    with pytest.raises(NotFound):
        pay(services, 9999, 100)
    assert services.memberships.membership(membership_id=other).paid_cents == 0


def test_a_payment_in_the_future_is_refused_by_the_paris_date(services, house, clock):
    mid = join(services, house["helene"], house["ent"])
    with pytest.raises(ValidationError) as err:
        pay(services, mid, 100, on=dt.date(2026, 11, 27))
    assert err.value.field == "paid_on"
    pay(services, mid, 100, on=dt.date(2026, 11, 26))  # today is fine
    # 23:30 UTC on the 26th is already the 27th in Niort
    clock.now = dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC)
    pay(services, mid, 100, on=dt.date(2026, 11, 27))


def test_cancel_a_payment_only_without_a_receipt(services, house):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    wrong = pay(services, mid, 4000)
    kept = pay(services, mid, 1000)
    ms.cancel_payment(payment_id=wrong.id)
    m = ms.membership(membership_id=mid)
    assert (m.paid_cents, [p.id for p in m.payments]) == (1000, [kept.id])
    record, _content = ms.receipt(payment_id=kept.id)
    with pytest.raises(Conflict) as err:
        ms.cancel_payment(payment_id=kept.id)
    assert err.value.existing_id == record.id
    assert ms.membership(membership_id=mid).paid_cents == 1000
    with pytest.raises(NotFound):
        ms.cancel_payment(payment_id=wrong.id)


# --- receipts ------------------------------------------------------------------------------------


def test_first_receipt_is_issued_numbered_and_archived(services, house, clock):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    p = pay(services, mid, 3000, method=PaymentMethod.CHEQUE, reference="1234567")
    record, content = ms.receipt(payment_id=p.id)
    assert record.number == "RC-2026-0001"
    assert record.kind is DocumentKind.RECU_COTISATION
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert record.filename == "RC-2026-0001.pdf" and record.size == len(content)
    assert "Hélène Lefèvre" in record.subject and "2026" in record.subject
    assert services.documents.content(document_id=record.id) == content
    assert [d.number for d in services.documents.recent(kind=DocumentKind.RECU_COTISATION)] == [
        "RC-2026-0001"]
    (paid,) = ms.membership(membership_id=mid).payments
    assert (paid.receipt_document_id, paid.receipt_number) == (record.id, "RC-2026-0001")
    text = pdf_text(content)
    for needle in ("Reçu de cotisation", "RC-2026-0001", "Hélène Lefèvre", "8 rue de l'Abreuvoir",
                   "79000 Niort", "Entreprises adhérentes", "du 1er janvier au 31 décembre 2026",
                   "30,00 €", "2 mars 2026", "Chèque n° 1234567", "Cotisation 2026 50,00 €",
                   "Total réglé, ce paiement compris 30,00 €", "Reste dû 20,00 €",
                   "Fait à Niort, le 26 novembre 2026"):
        assert needle in text, needle


def test_a_reprint_is_the_archived_document(services, house, clock):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    p = pay(services, mid, 5000)
    record, content = ms.receipt(payment_id=p.id)
    # later, with another identity and a renamed college, the reprint is still the original
    clock.advance(days=30)
    identity = services.settings.identity()
    services.settings.save_identity(replace(identity, name="Maison de l'ESS du Niortais"))
    ms.save_college(college_id=house["ent"], name="Entreprises")
    again, same = ms.receipt(payment_id=p.id)
    assert same == content
    assert (again.id, again.number, again.sha256) == (record.id, record.number, record.sha256)
    assert len(services.documents.recent(kind=DocumentKind.RECU_COTISATION)) == 1
    # the next payment gets the next number
    other = join(services, house["noel"], house["ben"])
    nxt, _ = ms.receipt(payment_id=pay(services, other, 1000).id)
    assert nxt.number == "RC-2026-0002"
    assert [d.number for d in services.documents.recent(kind=DocumentKind.RECU_COTISATION)] == [
        "RC-2026-0002", "RC-2026-0001"]


def test_a_receipt_shows_what_was_paid_up_to_that_payment(services, house):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    early = pay(services, mid, 2000, on=dt.date(2026, 2, 1))
    late = pay(services, mid, 3000, on=dt.date(2026, 5, 1), method=PaymentMethod.VIREMENT)
    _r, content = ms.receipt(payment_id=early.id)  # printed after the second payment
    text = pdf_text(content)
    assert "Total réglé, ce paiement compris 20,00 €" in text and "Reste dû 30,00 €" in text
    _r, content = ms.receipt(payment_id=late.id)
    text = pdf_text(content)
    assert "Total réglé, ce paiement compris 50,00 €" in text and "Reste dû 0,00 €" in text
    assert "1er mai 2026" in text and "Virement" in text


def test_receipt_of_an_organisation_and_unknown_payments(services, house):
    mid = join(services, house["elan"], house["ent"], kind=ORGANISATION)
    record, content = services.memberships.receipt(payment_id=pay(services, mid, 5000).id)
    assert record.number == "RC-2026-0001"
    assert "Élan Coopératif Niortais" in pdf_text(content)
    with pytest.raises(NotFound):
        services.memberships.receipt(payment_id=9999)


def test_the_numbering_follows_the_year_of_issue(services, house, clock):
    ms = services.memberships
    mid = join(services, house["helene"], house["ent"])
    ms.receipt(payment_id=pay(services, mid, 1000).id)
    clock.now = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
    record, _ = ms.receipt(payment_id=pay(services, mid, 1000).id)
    assert record.number == "RC-2027-0001"


# --- two desks at once ---------------------------------------------------------------------------


def _desk(db_url, clock, login) -> tuple[Database, Services]:
    db = Database.open(db_url)
    return db, Services.build(db, actor=Actor(login=login), clock=clock)


def _at_once(desks, work) -> list[object]:
    """`work(i, services)` on every desk at the same moment; results or exceptions."""
    barrier = threading.Barrier(len(desks))
    outcomes: list[object] = [None] * len(desks)

    def run(i: int, desk: Services) -> None:
        barrier.wait()
        try:
            outcomes[i] = work(i, desk)
        except Exception as exc:  # noqa: BLE001 - collected and judged by the test
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i, d)) for i, (_db, d) in enumerate(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_receipts_of_different_payments_printed_at_once_get_consecutive_numbers(
        db_url, services, house, clock, database):
    """Each round, four desks (own engine each) print the receipts of four different
    payments at the same moment: four distinct numbers, consecutive, none lost."""
    desks = [_desk(db_url, clock, f"desk-{i}") for i in range(4)]
    payments = []
    for i in range(8):
        pid = person(services, f"Membre{i}", "Course")
        payments.append(pay(services, join(services, pid, house["ben"]), 1000).id)
    try:
        issued: list[str] = []
        for round_ in range(2):
            batch = payments[4 * round_:4 * round_ + 4]
            outcomes = _at_once(desks, lambda i, d, batch=batch: d.memberships.receipt(
                payment_id=batch[i]))
            assert all(isinstance(o, tuple) for o in outcomes), outcomes
            numbers = [record.number for record, _content in outcomes]
            assert sorted(numbers) == [f"RC-2026-{n:04d}" for n in
                                       range(4 * round_ + 1, 4 * round_ + 5)], numbers
            issued += numbers
            for pid, (record, content) in zip(batch, outcomes, strict=True):
                assert record.sha256 == hashlib.sha256(content).hexdigest()
                assert f"{record.number}" in pdf_text(content)
        archived = services.documents.recent(kind=DocumentKind.RECU_COTISATION)
        assert sorted(d.number for d in archived) == sorted(issued)
        with database.reading() as s:
            linked = dict(s.execute(select(Payment.id, Document.number).join(
                Document, Document.id == Payment.receipt_document_id)).all())
        assert set(linked) == set(payments)
        assert sorted(linked.values()) == [f"RC-2026-{n:04d}" for n in range(1, 9)]
    finally:
        for db, _services in desks:
            db.dispose()


def test_the_same_receipt_printed_by_two_desks_at_once_is_one_document(
        db_url, services, house, clock, database):
    desks = [_desk(db_url, clock, f"desk-{i}") for i in range(4)]
    try:
        for round_ in range(3):
            pid = person(services, f"Membre{round_}", "Double")
            payment = pay(services, join(services, pid, house["ben"]), 1000).id
            outcomes = _at_once(desks, lambda i, d, payment=payment: d.memberships.receipt(
                payment_id=payment))
            assert all(isinstance(o, tuple) for o in outcomes), outcomes
            records = {record.id for record, _content in outcomes}
            contents = {content for _record, content in outcomes}
            assert len(records) == 1 and len(contents) == 1  # one document, same bytes
            (record, _content) = outcomes[0]
            # no number lost: the next number of the sequence is this round's
            assert record.number == f"RC-2026-{round_ + 1:04d}"
        with database.reading() as s:
            assert s.scalar(select(func.count()).select_from(Document).where(
                Document.kind == DocumentKind.RECU_COTISATION)) == 3
    finally:
        for db, _services in desks:
            db.dispose()


# --- renewals --------------------------------------------------------------------------------------


def test_renewals_due_lists_who_owes_and_who_lapsed_by_name(services, house):
    ms = services.memberships
    # paid in full: not to remind
    pay(services, join(services, house["helene"], house["ent"]), 5000)
    # owes part of it
    pay(services, join(services, house["noel"], house["ent"]), 2000)
    # owes all of it
    join(services, house["elan"], house["ent"], kind=ORGANISATION)
    # was a member last year, not renewed: this year's fee of the college is the one due
    join(services, house["zoe"], house["ben"], year=YEAR - 1, fee_cents=800)
    # renewed: not lapsed
    abel = person(services, "Abel", "Durand")
    join(services, abel, house["ben"], year=YEAR - 1, fee_cents=800)
    pay(services, join(services, abel, house["ben"]), 1000)
    # lapsed in a college without a fee this year: last year's fee
    camille = person(services, "Camille", "Rousseau", "camille@exemple.fr")
    join(services, camille, college_id(services, "Partenaires"), year=YEAR - 1, fee_cents=2000)
    # a free membership owes nothing
    join(services, person(services, "Ève", "Gratuit"), house["ben"], fee_cents=0)

    rows = ms.renewals_due(year=YEAR)
    assert [(r.name, r.status, r.fee_cents, r.paid_cents) for r in rows] == [
        ("Camille Rousseau", MembershipStatus.NON_RENOUVELE, 2000, 0),
        ("Élan Coopératif Niortais", MembershipStatus.A_RELANCER, 5000, 0),
        ("Noël Martin", MembershipStatus.PARTIEL, 5000, 2000),
        ("Zoé Abadie", MembershipStatus.NON_RENOUVELE, 1000, 0),
    ]
    by_name = {r.name: r for r in rows}
    assert set(by_name) == {"Camille Rousseau", "Noël Martin", "Zoé Abadie",
                            "Élan Coopératif Niortais"}
    assert (by_name["Noël Martin"].email, by_name["Noël Martin"].phone) == (
        "noel@exemple.fr", "05 49 00 00 00")
    assert by_name["Noël Martin"].college == "Entreprises adhérentes"
    assert by_name["Élan Coopératif Niortais"].kind is ORGANISATION
    assert by_name["Élan Coopératif Niortais"].email == "contact@elan.fr"
    assert by_name["Zoé Abadie"].college == "Bénévoles"
    assert all(r.year == YEAR for r in rows)
    assert ms.renewals_due(year=YEAR + 5) == ()


def test_renewals_due_puts_accented_names_in_their_place(services, house):
    for first, last in (("Noël", "Martin"), ("Émile", "Zola")):
        join(services, person(services, first, last), house["ben"])
    join(services, house["elan"], house["ent"], kind=ORGANISATION)
    names = [r.name for r in services.memberships.renewals_due(year=YEAR)]
    assert names == ["Élan Coopératif Niortais", "Émile Zola", "Noël Martin"]


def test_renewals_due_leaves_out_erased_people(services, house):
    join(services, house["noel"], house["ben"])
    services.privacy.erase(person_id=house["noel"])
    assert services.memberships.renewals_due(year=YEAR) == ()


# --- shares (parts sociales) -----------------------------------------------------------------------


def test_shares_add_list_delete(services, house):
    ms = services.memberships
    first = ms.add_share(kind=PERSON, member_id=house["helene"], count=2, nominal_cents=5000,
                         subscribed_on=dt.date(2026, 6, 1), notes="  AG de juin ")
    earlier = ms.add_share(kind=PERSON, member_id=house["helene"], count=1, nominal_cents=5000,
                           subscribed_on=dt.date(2025, 6, 1))
    org = ms.add_share(kind=ORGANISATION, member_id=house["elan"], count=10,
                       nominal_cents=10000, subscribed_on=dt.date(2026, 1, 15))
    shares = ms.shares_of(kind=PERSON, member_id=house["helene"])
    assert [s.id for s in shares] == [earlier, first]  # by date
    assert (shares[1].count, shares[1].total_cents, shares[1].notes) == (2, 10000, "AG de juin")
    assert [s.total_cents for s in ms.shares_of(kind=ORGANISATION, member_id=house["elan"])] == [
        100000]
    assert ms.shares_of(kind=PERSON, member_id=house["noel"]) == ()
    ms.delete_share(share_id=first)
    assert [s.id for s in ms.shares_of(kind=PERSON, member_id=house["helene"])] == [earlier]
    with pytest.raises(NotFound):
        ms.delete_share(share_id=first)
    assert org


@pytest.mark.parametrize(("count", "nominal", "field"), [(0, 5000, "count"), (-1, 5000, "count"),
                                                        (1, 0, "nominal"), (1, -5, "nominal")])
def test_share_validation(services, house, count, nominal, field):
    with pytest.raises(ValidationError) as err:
        services.memberships.add_share(kind=PERSON, member_id=house["helene"], count=count,
                                       nominal_cents=nominal, subscribed_on=dt.date(2026, 1, 1))
    assert err.value.field == field


def test_shares_of_an_unknown_member(services):
    with pytest.raises(NotFound):
        services.memberships.add_share(kind=PERSON, member_id=9999, count=1, nominal_cents=100,
                                       subscribed_on=dt.date(2026, 1, 1))
    with pytest.raises(NotFound):
        services.memberships.shares_of(kind=ORGANISATION, member_id=9999)


# --- badges ---------------------------------------------------------------------------------------


def test_badges_of_people(services, house):
    services.members.add_affiliation(person_id=house["helene"], organisation_id=house["elan"],
                                     role=AffiliationRole.DIRIGEANT)
    join(services, house["helene"], house["ent"])
    content = services.memberships.badges(
        person_ids=[house["helene"], house["noel"], house["helene"]])
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Hélène Lefèvre" in text and "Noël Martin" in text
    assert member_code(house["helene"]) in text and member_code(house["noel"]) in text
    assert "Élan Coopératif Niortais" in text
    assert "Collège Entreprises adhérentes · 2026" in text
    assert text.count("Hélène Lefèvre") == 1  # asked twice, printed once
    assert text.count("Adhérent·e 2026") == 1  # Noël is not a member this year
    # another year: no college on the badge
    assert "Collège" not in pdf_text(services.memberships.badges(person_ids=[house["helene"]],
                                                                 year=YEAR + 1))


def test_badges_of_unknown_or_erased_people(services, house):
    with pytest.raises(ValidationError) as err:
        services.memberships.badges(person_ids=[])
    assert err.value.field == "people"
    with pytest.raises(NotFound):
        services.memberships.badges(person_ids=[9998, 9999])
    services.privacy.erase(person_id=house["zoe"])
    with pytest.raises(NotFound):
        services.memberships.badges(person_ids=[house["zoe"]])
    text = pdf_text(services.memberships.badges(person_ids=[9999, house["noel"], house["zoe"]]))
    assert "Noël Martin" in text and "anonymisée" not in text


# --- data protection -------------------------------------------------------------------------------


def test_privacy_export_and_erasure_of_the_memberships_area(services, house, database):
    ms = services.memberships
    pid = house["helene"]
    mid = join(services, pid, house["ent"], notes="Trésorière adjointe")
    p = pay(services, mid, 3000, reference="1234567")
    ms.add_share(kind=PERSON, member_id=pid, count=2, nominal_cents=5000,
                 subscribed_on=dt.date(2026, 6, 1), notes="AG de juin")
    record, content = ms.receipt(payment_id=p.id)

    export = services.privacy.export(person_id=pid)
    (section,) = [s for s in export.sections if s.area == "memberships"]
    membership, payment, share = section.records
    assert (membership["année"], membership["collège"], membership["notes"]) == (
        YEAR, "Entreprises adhérentes", "Trésorière adjointe")
    assert plain(membership["cotisation"]) == "50,00 €"
    assert (payment["le"], payment["mode"], payment["référence"]) == (
        "2026-03-02", "Chèque", "1234567")
    assert (share["parts sociales"], share["notes"]) == (2, "AG de juin")

    report = services.privacy.erase(person_id=pid)
    assert any("1 adhésion conservée" in line for line in report.lines), report.lines
    after = next(s for s in services.privacy.export(person_id=pid).sections
                 if s.area == "memberships").records
    assert after[0]["notes"] is None and after[2]["notes"] is None
    assert after[0]["payé"] == membership["payé"]  # the accounts are kept
    with database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
    # the receipt stays in the archive, unchanged
    assert services.documents.content(document_id=record.id) == content
    assert ms.receipt(payment_id=p.id)[1] == content


def test_a_member_is_an_active_contact_for_the_retention_rules(services, house, database):
    from maison_app.services.privacy import inactive_people

    join(services, house["helene"], house["ent"])
    join(services, house["noel"], house["ben"], year=YEAR - 1, fee_cents=1000)
    soon = dt.datetime(YEAR, 12, 15, tzinfo=dt.UTC)  # after everyone was created
    with database.reading() as s:
        inactive = set(inactive_people(s, soon))
        assert house["helene"] not in inactive  # a member this year
        assert {house["noel"], house["zoe"]} <= inactive  # last year's member, never a member
        assert house["helene"] in set(inactive_people(s, dt.datetime(YEAR + 1, 1, 2,
                                                                     tzinfo=dt.UTC)))


# --- permissions ---------------------------------------------------------------------------------


def test_reception_may_read_memberships_but_not_record_a_payment(services, house):
    mid = join(services, house["helene"], house["ent"])
    p = pay(services, mid, 1000)
    for role in (Role.ACCUEIL, Role.INCUBATION):
        desk = services.for_actor(Actor(login=role.value, role=role))
        ms = desk.memberships
        assert ms.memberships_of(kind=PERSON, member_id=house["helene"])[0].paid_cents == 1000
        assert ms.colleges() and ms.fees(year=YEAR)
        assert ms.statuses(person_ids=[house["helene"]]) == {
            house["helene"]: MembershipStatus.PARTIEL}
        assert [r.name for r in ms.renewals_due(year=YEAR)] == ["Hélène Lefèvre"]
        assert ms.badges(person_ids=[house["helene"]]).startswith(b"%PDF")
        forbidden = {
            "record_payment": {"membership_id": mid, "amount_cents": 100,
                               "paid_on": dt.date(2026, 3, 1), "method": PaymentMethod.ESPECES},
            "cancel_payment": {"payment_id": p.id},
            "receipt": {"payment_id": p.id},
            "create_membership": {"kind": PERSON, "member_id": house["noel"], "year": YEAR,
                                  "college_id": house["ent"]},
            "save_fee": {"college_id": house["ent"], "year": YEAR, "fee_cents": 1},
            "save_college": {"college_id": None, "name": "Nouveau"},
            "add_share": {"kind": PERSON, "member_id": house["helene"], "count": 1,
                          "nominal_cents": 100, "subscribed_on": dt.date(2026, 1, 1)},
        }
        for method, kwargs in forbidden.items():
            with pytest.raises(PermissionDenied) as err:
                getattr(ms, method)(**kwargs)
            assert "rôle" in err.value.message, method
    # nothing was written
    m = services.memberships.membership(membership_id=mid)
    assert m.paid_cents == 1000 and m.payments[0].receipt_document_id is None
    assert services.documents.recent(kind=DocumentKind.RECU_COTISATION) == ()


def test_administration_records_and_prints(services, house):
    admin = services.for_actor(Actor(login="admin", role=Role.ADMINISTRATION))
    mid = admin.memberships.create_membership(kind=PERSON, member_id=house["helene"], year=YEAR,
                                              college_id=house["ent"])
    p = admin.memberships.record_payment(membership_id=mid, amount_cents=5000,
                                         paid_on=dt.date(2026, 3, 1), method=PaymentMethod.CARTE)
    record, _content = admin.memberships.receipt(payment_id=p.id)
    assert isinstance(record, DocumentRecord) and record.author == "admin"
