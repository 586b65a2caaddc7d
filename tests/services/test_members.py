"""MembersService: the list (filters, sort, pages), the detail records and their
validation, affiliations from both sides, duplicates flagged on entry and listed, merging."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from maison_app.db.members import Membership, Payment
from maison_app.db.models import AuditEntry, Person, Visit
from maison_app.domain.enums import (
    AffiliationRole,
    LegalForm,
    MemberKind,
    MembershipStatus,
    PaymentMethod,
    VisitPurpose,
)
from maison_app.domain.errors import Conflict, LikelyDuplicate, ValidationError
from maison_app.domain.members import MemberFilter, MemberSort, OrganisationDetail, PersonDetail

YEAR = 2026


def person(services, first, last, email=None, **kw) -> int:
    return services.members.save_person(PersonDetail(first_name=first, last_name=last,
                                                     email=email, **kw))


def college_id(services, name="Entreprises adhérentes") -> int:
    return next(c.id for c in services.memberships.colleges() if c.name == name)


@pytest.fixture
def house(services):
    m = services.members
    elan = m.save_organisation(OrganisationDetail(
        name="Élan Coopératif Niortais", legal_form=LegalForm.SCIC, siret="732 829 320 00074",
        city="Niort"))
    ress = m.save_organisation(OrganisationDetail(name="La Ressourcerie du Marais",
                                                  legal_form=LegalForm.ASSOCIATION))
    helene = person(services, "Hélène", "Lefèvre", "h.lefevre@elan.fr", city="Niort",
                    postcode="79000")
    noel = person(services, "Noël", "Martin", "noel@exemple.fr", city="Chauray")
    zoe = person(services, "Zoé", "Abadie")
    m.add_affiliation(person_id=helene, organisation_id=elan, role=AffiliationRole.DIRIGEANT)
    m.add_affiliation(person_id=noel, organisation_id=ress, role=AffiliationRole.BENEVOLE)
    ms = services.memberships
    ent, ben = college_id(services), college_id(services, "Bénévoles")
    ms.save_fee(college_id=ent, year=YEAR, fee_cents=5000)
    ms.save_fee(college_id=ben, year=YEAR, fee_cents=1000)
    paid = ms.create_membership(kind=MemberKind.PERSON, member_id=helene, year=YEAR, college_id=ent)
    ms.record_payment(membership_id=paid, amount_cents=5000, paid_on=dt.date(2026, 3, 2),
                      method=PaymentMethod.CHEQUE)
    ms.create_membership(kind=MemberKind.PERSON, member_id=noel, year=YEAR, college_id=ben)
    ms.create_membership(kind=MemberKind.PERSON, member_id=zoe, year=YEAR - 1, college_id=ben,
                         fee_cents=1000)
    return {"elan": elan, "ress": ress, "helene": helene, "noel": noel, "zoe": zoe,
            "ent": ent, "ben": ben}


def names(rows):
    return [r.name for r in rows]


def test_the_list_filters_by_status_college_and_search(services, house):
    m = services.members
    f = MemberFilter(year=YEAR)
    assert names(m.page(filter=f)) == ["Zoé Abadie", "Hélène Lefèvre", "Noël Martin"]
    rows = {r.name: r for r in m.page(filter=f)}
    assert rows["Hélène Lefèvre"].status is MembershipStatus.A_JOUR
    assert rows["Hélène Lefèvre"].detail == "Élan Coopératif Niortais"
    assert rows["Noël Martin"].status is MembershipStatus.A_RELANCER
    assert rows["Zoé Abadie"].status is MembershipStatus.NON_RENOUVELE
    for status, expected in [(MembershipStatus.A_JOUR, ["Hélène Lefèvre"]),
                             (MembershipStatus.A_RELANCER, ["Noël Martin"]),
                             (MembershipStatus.NON_RENOUVELE, ["Zoé Abadie"]),
                             (MembershipStatus.PARTIEL, [])]:
        assert names(m.page(filter=MemberFilter(year=YEAR, status=status))) == expected
        assert m.count(filter=MemberFilter(year=YEAR, status=status)) == len(expected)
    assert names(m.page(filter=MemberFilter(year=YEAR, college_id=house["ben"]))) == ["Noël Martin"]
    assert names(m.page(filter=MemberFilter(query="helene elan"))) == ["Hélène Lefèvre"]
    assert names(m.page(filter=MemberFilter(query="LEFEVRE"))) == ["Hélène Lefèvre"]
    assert m.count(filter=MemberFilter(year=YEAR, members_only=True)) == 2


def test_the_list_sorts_and_pages(services, house):
    m = services.members
    f = MemberFilter(year=YEAR)
    assert names(m.page(filter=f, sort=MemberSort.NAME, descending=True)) == [
        "Noël Martin", "Hélène Lefèvre", "Zoé Abadie"]
    # empty cities last, either way, on both engines
    assert names(m.page(filter=f, sort=MemberSort.CITY)) == [
        "Noël Martin", "Hélène Lefèvre", "Zoé Abadie"]
    assert names(m.page(filter=f, sort=MemberSort.CITY, descending=True)) == [
        "Hélène Lefèvre", "Noël Martin", "Zoé Abadie"]
    assert names(m.page(filter=f, offset=1, limit=1)) == ["Hélène Lefèvre"]


def test_cities_and_e_mails_sort_whatever_their_accents_and_case(services, house):
    m = services.members
    f = MemberFilter(year=YEAR)
    for first, last, city, email in [("Yann", "Ribot", "Échiré", "Yann.Ribot@exemple.fr"),
                                     ("Marc", "Durand", "Aiffres", "marc@exemple.fr"),
                                     ("Léa", "Bonnet", "ÉPANNES", None)]:
        pid = person(services, first, last, email, city=city)
        services.memberships.create_membership(kind=MemberKind.PERSON, member_id=pid,
                                               year=YEAR, college_id=house["ben"])
    # « Échiré » among the E (SQLite's lower() leaves « É » as it is), empty ones last
    assert [r.city for r in m.page(filter=f, sort=MemberSort.CITY)] == [
        "Aiffres", "Chauray", "Échiré", "ÉPANNES", "Niort", None]
    # « Yann.Ribot@… » among the y, not before every lower-case address
    assert [r.email for r in m.page(filter=f, sort=MemberSort.EMAIL)] == [
        "h.lefevre@elan.fr", "marc@exemple.fr", "noel@exemple.fr", "Yann.Ribot@exemple.fr",
        None, None]
    # a city changed keeps its key
    yann = next(r for r in m.page(filter=f) if r.name == "Yann Ribot")
    detail = m.person(person_id=yann.id)
    m.save_person(replace(detail, city="Zénith-sur-Sèvre"))
    assert [r.city for r in m.page(filter=f, sort=MemberSort.CITY)][-2:] == [
        "Zénith-sur-Sèvre", None]


def test_organisations_list_with_legal_form(services, house):
    m = services.members
    f = MemberFilter(kind=MemberKind.ORGANISATION)
    assert names(m.page(filter=f)) == ["Élan Coopératif Niortais", "La Ressourcerie du Marais"]
    only = m.page(filter=MemberFilter(kind=MemberKind.ORGANISATION, legal_form=LegalForm.SCIC))
    assert names(only) == ["Élan Coopératif Niortais"]
    assert only[0].detail == "SCIC · 73282932000074"


def test_affiliations_are_seen_from_both_sides(services, house):
    p = services.members.person(person_id=house["helene"])
    assert [(a.organisation_name, a.role) for a in p.affiliations] == [
        ("Élan Coopératif Niortais", AffiliationRole.DIRIGEANT)]
    o = services.members.organisation(organisation_id=house["elan"])
    assert [a.person_name for a in o.affiliations] == ["Hélène Lefèvre"]
    with pytest.raises(Conflict):
        services.members.add_affiliation(person_id=house["helene"], organisation_id=house["elan"],
                                         role=AffiliationRole.DIRIGEANT)
    services.members.remove_affiliation(affiliation_id=p.affiliations[0].id)
    assert services.members.organisation(organisation_id=house["elan"]).affiliations == ()
    assert services.people.search(query="cooperatif").hits == ()


@pytest.mark.parametrize(("field", "detail", "message"), [
    ("last_name", PersonDetail(last_name="  "), "Le nom est obligatoire"),
    ("email", PersonDetail(last_name="X", email="pas-un-mail"), "adresse e-mail"),
    ("phone", PersonDetail(last_name="X", phone="12 34"), "10 chiffres"),
    ("postcode", PersonDetail(last_name="X", postcode="7900"), "5 chiffres"),
])
def test_person_validation_names_the_field(services, field, detail, message):
    with pytest.raises(ValidationError) as err:
        services.members.save_person(detail)
    assert err.value.field == field
    assert message in err.value.message


def test_phone_numbers_are_put_in_french_form(services):
    pid = person(services, "A", "B", phone="0549123456")
    assert services.members.person(person_id=pid).phone == "05 49 12 34 56"
    pid = person(services, "C", "D", phone="+33 (0)5 49 12 34 56")
    assert services.members.person(person_id=pid).phone == "+33 5 49 12 34 56"


@pytest.mark.parametrize(("field", "detail", "message"), [
    ("siret", OrganisationDetail(name="X", siret="73282932000075"), "clé de contrôle"),
    ("siret", OrganisationDetail(name="X", siret="1234"), "14 chiffres"),
    ("naf_code", OrganisationDetail(name="X", naf_code="8899"), "NAF"),
    ("name", OrganisationDetail(name=""), "obligatoire"),
])
def test_organisation_validation_names_the_field(services, field, detail, message):
    with pytest.raises(ValidationError) as err:
        services.members.save_organisation(detail)
    assert err.value.field == field
    assert message in err.value.message


def test_naf_code_and_la_poste_siret(services):
    oid = services.members.save_organisation(OrganisationDetail(
        name="La Poste Niort", siret="35600000000048", naf_code="5310z"))
    o = services.members.organisation(organisation_id=oid)
    assert (o.siret, o.naf_code) == ("35600000000048", "53.10Z")


def test_a_likely_duplicate_is_flagged_on_entry_and_listed(services, house):
    with pytest.raises(LikelyDuplicate) as err:
        person(services, "helene", "LEFEVRE", "H.Lefevre@elan.fr")
    assert err.value.candidates == (house["helene"],)
    twin = services.members.save_person(
        PersonDetail(first_name="helene", last_name="LEFEVRE", email="H.Lefevre@elan.fr"),
        allow_duplicate=True)
    groups = services.members.duplicates(kind=MemberKind.PERSON)
    assert [g.ids for g in groups] == [(house["helene"], twin)]
    with pytest.raises(LikelyDuplicate):
        services.members.save_organisation(OrganisationDetail(name="Elan", siret="73282932000074"))
    services.members.save_organisation(OrganisationDetail(name="Elan", siret="73282932000074"),
                                       allow_duplicate=True)
    assert len(services.members.duplicates(kind=MemberKind.ORGANISATION)) == 1


def test_merging_two_people_keeps_everything_of_both(services, house, database):
    twin = services.members.save_person(
        PersonDetail(first_name="Hélène", last_name="Lefèvre", email="h.lefevre@elan.fr",
                     phone="0549000000"), allow_duplicate=True)
    services.members.add_affiliation(person_id=twin, organisation_id=house["ress"],
                                     role=AffiliationRole.BENEVOLE)
    services.members.add_affiliation(person_id=twin, organisation_id=house["elan"],
                                     role=AffiliationRole.DIRIGEANT)
    services.reception.check_in(person_id=twin, purpose=VisitPurpose.REUNION)
    ms = services.memberships
    last_year = ms.create_membership(kind=MemberKind.PERSON, member_id=twin, year=YEAR - 1,
                                     college_id=house["ent"], fee_cents=4000)
    ms.record_payment(membership_id=last_year, amount_cents=4000, paid_on=dt.date(2025, 5, 1),
                      method=PaymentMethod.ESPECES)
    preview = services.members.merge_preview(kind=MemberKind.PERSON, keep_id=house["helene"],
                                             remove_id=twin)
    assert ("Passages à l'accueil", 1) in preview.moved
    assert ("Adhésions", 1) in preview.moved
    assert ("Rattachements", 2) in preview.moved
    assert preview.filled_fields == ("téléphone",)

    services.members.merge(kind=MemberKind.PERSON, keep_id=house["helene"], remove_id=twin)
    kept = services.members.person(person_id=house["helene"])
    assert kept.phone == "05 49 00 00 00"
    assert sorted(a.organisation_name for a in kept.affiliations) == [
        "La Ressourcerie du Marais", "Élan Coopératif Niortais"]
    assert [m.year for m in ms.memberships_of(kind=MemberKind.PERSON,
                                             member_id=house["helene"])] == [YEAR, YEAR - 1]
    with database.reading() as s:
        assert s.get(Person, twin) is None
        assert s.scalar(select(func.count()).select_from(Visit)
                        .where(Visit.person_id == house["helene"])) == 1
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "merge")) is not None
    assert services.people.search(query="ressourcerie").hits[0].id == house["helene"]


def test_merging_memberships_of_the_same_year_joins_their_payments(services, house, database):
    ms = services.memberships
    twin = services.members.save_person(
        PersonDetail(first_name="Noël", last_name="Martin", email="noel@exemple.fr"),
        allow_duplicate=True)
    mid = ms.create_membership(kind=MemberKind.PERSON, member_id=twin, year=YEAR,
                               college_id=house["ben"])
    ms.record_payment(membership_id=mid, amount_cents=400, paid_on=dt.date(2026, 2, 1),
                      method=PaymentMethod.ESPECES)
    preview = services.members.merge(kind=MemberKind.PERSON, keep_id=house["noel"], remove_id=twin)
    assert preview.joined_years == (YEAR,)
    (m,) = ms.memberships_of(kind=MemberKind.PERSON, member_id=house["noel"])
    assert (m.fee_cents, m.paid_cents, m.status) == (1000, 400, MembershipStatus.PARTIEL)
    assert len(m.payments) == 1
    with database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Membership)) == 3
        assert s.scalar(select(func.count()).select_from(Payment)) == 2


def test_merging_when_both_are_in_the_building(services, house, clock):
    twin = services.members.save_person(
        PersonDetail(first_name="Zoé", last_name="Abadie"), allow_duplicate=True)
    services.reception.check_in(person_id=house["zoe"])
    services.reception.check_in(person_id=twin)
    services.members.merge(kind=MemberKind.PERSON, keep_id=house["zoe"], remove_id=twin)
    present = services.reception.present()
    assert [v.person_id for v in present] == [house["zoe"]]


def test_merging_two_organisations_moves_their_people(services, house):
    twin = services.members.save_organisation(
        OrganisationDetail(name="Elan Cooperatif", siret="73282932000074",
                           naf_code="88.99B"), allow_duplicate=True)
    services.members.add_affiliation(person_id=house["noel"], organisation_id=twin,
                                     role=AffiliationRole.SALARIE)
    services.members.merge(kind=MemberKind.ORGANISATION, keep_id=house["elan"], remove_id=twin)
    o = services.members.organisation(organisation_id=house["elan"])
    assert o.naf_code == "88.99B"
    assert sorted(a.person_name for a in o.affiliations) == ["Hélène Lefèvre", "Noël Martin"]


def test_a_record_with_history_is_not_deleted(services, house):
    with pytest.raises(Conflict):
        services.members.delete_person(person_id=house["helene"])
    fresh = person(services, "Faute", "Defrappe")
    services.members.delete_person(person_id=fresh)
    services.members.delete_organisation(organisation_id=house["ress"])
    assert services.people.search(query="ressourcerie").hits == ()


def test_reception_search_shows_the_membership_status(services, house):
    hits = {h.name: h.membership
            for q in ("noel", "helene", "zoe") for h in services.people.search(query=q).hits}
    assert hits["Noël Martin"] is MembershipStatus.A_RELANCER
    assert hits["Hélène Lefèvre"] is MembershipStatus.A_JOUR
    assert hits["Zoé Abadie"] is MembershipStatus.NON_RENOUVELE
