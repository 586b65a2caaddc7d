"""AgreementsService: the life of a hosting agreement (numbered draft, changed or deleted,
signed once complete, running, over, terminated), the desks it grants (no two running
agreements on one desk, an office shared within its capacity, the occupant's own assignment
taken over), renewals and amendments, the numbering when two desks create drafts at once
(two processes — on SQLite and, with MAISON_TEST_POSTGRES_URL, on PostgreSQL), the archived
PDF printed again byte for byte, attestations, the half-yearly list of domiciliations, the
agreements ending soon, the prefilled draft, the permissions, and the spaces rule that keeps
an assignment within its agreement's dates."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import multiprocessing
from dataclasses import replace

import pypdf
import pytest

from maison_app.domain.enums import (
    AffiliationRole,
    AgreementLink,
    AgreementState,
    AgreementStatus,
    DocumentKind,
    HostingService,
    LegalForm,
    Role,
    SpaceKind,
)
from maison_app.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from maison_app.domain.hosting import (
    AgreementRecord,
    GrantedSpace,
    Holder,
    HostingTexts,
    ProjectRecord,
)
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.spaces import SpaceRecord
from maison_app.services.context import Actor

D = dt.date  # the clock says Thursday 26 November 2026
TODAY = D(2026, 11, 26)
DOMICILIATION = frozenset({HostingService.DOMICILIATION})
HOST = "Claire Dupuis, présidente"
NEXT_YEAR = (D(2027, 1, 1), D(2027, 12, 31))


def at(day: dt.date) -> dt.datetime:
    """9:00 in Paris on that day (8:00 UTC in winter, 7:00 in summer: 8:00 UTC is fine)."""
    return dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=dt.UTC)


def refused(exc_type, call, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return info.value


def pdf_text(content: bytes) -> str:
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages]
    return " ".join(" ".join(pages).replace("\u202f", " ").replace("\u00a0", " ").split())


def new_space(services, name: str, kind: SpaceKind, *, floor: int = 0, capacity: int = 1,
              parent: int | None = None) -> int:
    return services.spaces.save_space(SpaceRecord(id=None, kind=kind, name=name, floor=floor,
                                                  capacity=capacity, parent_id=parent))


@pytest.fixture
def house(services):
    """Four organisations and a project holder; on the ground floor an open space with two
    desks; upstairs an office of 3 and an office of 2."""
    people = services.people
    ids = {"Brûlerie Équitable": people.create_organisation(
        name="Brûlerie Équitable", legal_form=LegalForm.SCOP, city="Niort")}
    for name in ("Ébène Traduction", "Compost'Âge", "Atelier Vélo"):
        ids[name] = people.create_organisation(name=name, legal_form=LegalForm.ASSOCIATION)
    ids["Hélène"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene@exemple.fr")
    ids["open"] = new_space(services, "Espace partagé", SpaceKind.OPEN_SPACE, capacity=8)
    ids["a1"] = new_space(services, "Poste A1", SpaceKind.DESK, parent=ids["open"])
    ids["a2"] = new_space(services, "Poste A2", SpaceKind.DESK, parent=ids["open"])
    ids["b101"] = new_space(services, "Bureau 101", SpaceKind.OFFICE, floor=1, capacity=3)
    ids["b102"] = new_space(services, "Bureau 102", SpaceKind.OFFICE, floor=1, capacity=2)
    ids["room"] = new_space(services, "Salle Sèvre", SpaceKind.MEETING_ROOM, capacity=12)
    return ids


def record(house, who: str = "Brûlerie Équitable", *, spaces=(("a1", 1),),
           start=NEXT_YEAR[0], end=NEXT_YEAR[1], offers=frozenset(), **kw) -> AgreementRecord:
    """A draft's record; `offers`: the services it includes (domiciliation…)."""
    occupant = {"person_id": house[who]} if who == "Hélène" else {"organisation_id": house[who]}
    fields = {"id": None, "number": "", "status": AgreementStatus.DRAFT, "start": start,
              "end": end, "representative": "Jeanne Martin",
              "representative_title": "présidente", "monthly_fee_cents": 25000,
              "deposit_cents": 25000,
              "services": frozenset(offers),
              "spaces": tuple(GrantedSpace(space_id=house[k], seats=n) for k, n in spaces)}
    return AgreementRecord(**fields | occupant | kw)


def draft(services, house, who: str = "Brûlerie Équitable", **kw) -> int:
    return services.agreements.save_draft(record(house, who, **kw))


def sign(services, agreement_id: int, signed_on: dt.date = TODAY):
    return services.agreements.sign(agreement_id=agreement_id, signed_on=signed_on,
                                    host_signatory=HOST, occupant_signatory="")


def signed(services, house, who: str = "Brûlerie Équitable", signed_on=TODAY, **kw) -> int:
    aid = draft(services, house, who, **kw)
    sign(services, aid, signed_on)
    return aid


def get(services, agreement_id: int) -> AgreementRecord:
    return services.agreements.agreement(agreement_id=agreement_id)


def history(services, house, space: str) -> list[tuple[str, dt.date, dt.date | None, int | None]]:
    """(holder, start, end, agreement) of a space's assignments, the earliest first."""
    return [(a.holder, a.start, a.end, a.agreement_id)
            for a in reversed(services.spaces.history(space_id=house[space]))]


# --- drafts and their numbers -----------------------------------------------------------------


def test_drafts_are_numbered_in_one_sequence_a_deleted_number_is_not_given_again(services,
                                                                                 house):
    first = draft(services, house)
    second = draft(services, house, "Ébène Traduction", spaces=(("a2", 1),))
    assert [get(services, i).number for i in (first, second)] == ["CH-2026-0001",
                                                                  "CH-2026-0002"]
    services.agreements.delete_draft(agreement_id=second)
    refused(NotFound, services.agreements.agreement, agreement_id=second)
    third = draft(services, house, "Compost'Âge", spaces=(("a2", 1),))
    assert get(services, third).number == "CH-2026-0003"
    assert [a.number for a in services.agreements.agreements()] == ["CH-2026-0003",
                                                                    "CH-2026-0001"]


def test_a_new_year_starts_a_new_sequence(services, house, clock):
    draft(services, house)
    clock.now = at(D(2027, 1, 4))
    later = draft(services, house, "Ébène Traduction", spaces=(("a2", 1),))
    assert get(services, later).number == "CH-2027-0001"
    # the newest first
    assert [a.number for a in services.agreements.agreements()] == ["CH-2027-0001",
                                                                    "CH-2026-0001"]


def test_a_draft_is_read_back_and_changed(services, house):
    aid = draft(services, house, notes="  Clés remises  ",
                offers=frozenset({HostingService.INTERNET}))
    saved = get(services, aid)
    assert (saved.status, saved.state(TODAY), saved.occupant_name) == (
        AgreementStatus.DRAFT, AgreementState.DRAFT, "Brûlerie Équitable")
    assert [(g.space_id, g.space_name, g.seats) for g in saved.spaces] == [
        (house["a1"], "Poste A1", 1)]
    assert saved.notes == "Clés remises" and saved.services == {HostingService.INTERNET}
    assert (saved.monthly_fee_cents, saved.fee_incl_cents) == (25000, 30000)

    changed = replace(saved, end=D(2027, 6, 30), monthly_fee_cents=18000,
                      services=DOMICILIATION,
                      spaces=(GrantedSpace(space_id=house["b102"], seats=2),
                              GrantedSpace(space_id=house["a2"])))
    assert services.agreements.save_draft(changed) == aid
    again = get(services, aid)
    assert again.number == "CH-2026-0001"  # the same number
    assert again.end == D(2027, 6, 30) and again.monthly_fee_cents == 18000
    assert again.services == DOMICILIATION and again.domiciled
    assert sorted((g.space_name, g.seats) for g in again.spaces) == [
        ("Bureau 102", 2), ("Poste A2", 1)]
    assert len(services.agreements.agreements()) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"organisation_id": None}, "occupant"),
    ({"end": D(2026, 12, 31)}, "end"),
    ({"end": D(2033, 1, 1)}, "end"),  # more than five years
    ({"monthly_fee_cents": -1}, "monthly_fee_cents"),
    ({"deposit_cents": 100_000_01}, "deposit_cents"),
    ({"vat_bp": 1960}, "vat_bp"),
    ({"notice_months": 13}, "notice_months"),
])
def test_a_draft_that_makes_no_sense_is_refused(services, house, change, field):
    error = refused(ValidationError, services.agreements.save_draft,
                    replace(record(house), **change))
    assert error.field == field and error.message
    assert services.agreements.agreements() == ()


def test_a_draft_granting_what_cannot_be_granted_is_refused(services, house):
    error = refused(ValidationError, draft, services, house, spaces=(("room", 1),))
    assert error.field == "spaces" and "Salle Sèvre" in error.message
    error = refused(ValidationError, draft, services, house, spaces=(("b102", 3),))
    assert error.field == "spaces" and "Bureau 102" in error.message
    error = refused(ValidationError, draft, services, house, spaces=(("a1", 1), ("a1", 1)))
    assert error.field == "spaces"
    assert services.agreements.agreements() == ()


def test_a_signed_agreement_is_neither_changed_nor_deleted(services, house):
    aid = signed(services, house)
    current = get(services, aid)
    error = refused(ValidationError, services.agreements.save_draft,
                    replace(current, monthly_fee_cents=1))
    assert error.field == "status" and "CH-2026-0001" in error.message
    error = refused(ValidationError, services.agreements.delete_draft, agreement_id=aid)
    assert error.field == "status"
    error = refused(ValidationError, sign, services, aid)
    assert error.field == "status"
    assert get(services, aid) == current


# --- signing ---------------------------------------------------------------------------------------


def test_signing_an_incomplete_draft_names_what_is_missing(services, house):
    nobody = draft(services, house, representative="  ")
    error = refused(ValidationError, sign, services, nobody)
    assert (error.field, error.message) == ("representative",
                                            "Indiquez qui signe pour l'occupant.")
    nothing = draft(services, house, "Ébène Traduction", spaces=())
    error = refused(ValidationError, sign, services, nothing)
    assert error.field == "spaces"
    # domiciliation alone is enough
    services.agreements.save_draft(replace(get(services, nothing), services=DOMICILIATION))
    sign(services, nothing)
    assert get(services, nothing).status is AgreementStatus.SIGNED
    assert get(services, nobody).status is AgreementStatus.DRAFT


def test_signing_in_the_future_or_without_a_signatory_is_refused(services, house):
    aid = draft(services, house)
    error = refused(ValidationError, sign, services, aid, TODAY + dt.timedelta(days=1))
    assert error.field == "signed_on"
    error = refused(ValidationError, services.agreements.sign, agreement_id=aid,
                    signed_on=TODAY, host_signatory="  ", occupant_signatory="")
    assert error.field == "host_signatory"
    assert get(services, aid).status is AgreementStatus.DRAFT
    assert services.documents.recent(kind=DocumentKind.CONVENTION) == ()


def test_signing_creates_the_assignments_and_archives_the_convention(services, house):
    aid = draft(services, house, spaces=(("a1", 1), ("b102", 2)))
    document = services.agreements.sign(agreement_id=aid, signed_on=D(2026, 11, 20),
                                        host_signatory=f"  {HOST} ", occupant_signatory="")
    a = get(services, aid)
    assert (a.status, a.signed_on, a.host_signatory, a.occupant_signatory) == (
        AgreementStatus.SIGNED, D(2026, 11, 20), HOST, "Jeanne Martin")
    assert a.document_id == document.id
    assert (document.kind, document.number, document.filename) == (
        DocumentKind.CONVENTION, "CH-2026-0001", "CH-2026-0001.pdf")
    assert [d.number for d in services.documents.recent(kind=DocumentKind.CONVENTION)] == [
        "CH-2026-0001"]
    content = services.documents.content(document_id=document.id)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    text = pdf_text(content)
    assert "CH-2026-0001" in text and "Brûlerie Équitable" in text and "PROJET" not in text
    assert history(services, house, "a1") == [
        ("Brûlerie Équitable", D(2027, 1, 1), D(2027, 12, 31), aid)]
    (office,) = services.spaces.history(space_id=house["b102"])
    assert (office.seats, office.agreement_id) == (2, aid)


def test_the_state_follows_the_dates(services, house, clock):
    aid = draft(services, house, start=D(2027, 1, 1), end=D(2027, 3, 31))
    assert get(services, aid).state(TODAY) is AgreementState.DRAFT
    sign(services, aid)
    assert [a.id for a in services.agreements.agreements(state=AgreementState.SIGNED)] == [aid]
    for day, state in ((D(2026, 12, 31), AgreementState.SIGNED),
                       (D(2027, 1, 1), AgreementState.ACTIVE),
                       (D(2027, 3, 31), AgreementState.ACTIVE),
                       (D(2027, 4, 1), AgreementState.ENDED)):
        clock.now = at(day)
        assert [a.id for a in services.agreements.agreements(state=state)] == [aid], day
        assert services.agreements.agreements(state=AgreementState.DRAFT) == ()


def test_terminate(services, house, clock):
    aid = signed(services, house, start=D(2026, 1, 1), end=D(2026, 12, 31),
                 signed_on=D(2025, 12, 15))
    terminate = services.agreements.terminate
    error = refused(ValidationError, terminate, agreement_id=aid, last_day=D(2026, 12, 15),
                    reason="   ")
    assert error.field == "reason"
    for too_late_or_early in (D(2026, 12, 31), D(2027, 1, 15), D(2025, 12, 30)):
        error = refused(ValidationError, terminate, agreement_id=aid,
                        last_day=too_late_or_early, reason="Départ")
        assert error.field == "last_day", too_late_or_early
    assert get(services, aid).status is AgreementStatus.SIGNED

    terminate(agreement_id=aid, last_day=D(2026, 12, 15), reason="  Départ à Poitiers ")
    a = get(services, aid)
    assert (a.status, a.terminated_on, a.termination_reason, a.last_day) == (
        AgreementStatus.TERMINATED, D(2026, 12, 15), "Départ à Poitiers", D(2026, 12, 15))
    assert history(services, house, "a1") == [
        ("Brûlerie Équitable", D(2026, 1, 1), D(2026, 12, 15), aid)]
    assert a.state(TODAY) is AgreementState.ACTIVE
    clock.now = at(D(2026, 12, 15))
    assert get(services, aid).state(D(2026, 12, 15)) is AgreementState.ACTIVE
    clock.now = at(D(2026, 12, 16))
    assert [x.id for x in services.agreements.agreements(state=AgreementState.TERMINATED)] == [
        aid]
    error = refused(ValidationError, terminate, agreement_id=aid, last_day=D(2026, 12, 10),
                    reason="Encore")
    assert error.field == "status"
    # the desk is free again the day after
    other = signed(services, house, "Ébène Traduction", start=D(2026, 12, 16),
                   end=D(2027, 6, 30), signed_on=D(2026, 12, 16))
    assert history(services, house, "a1")[-1][3] == other


def test_a_draft_is_deleted_not_terminated(services, house):
    aid = draft(services, house)
    error = refused(ValidationError, services.agreements.terminate, agreement_id=aid,
                    last_day=D(2027, 3, 31), reason="Départ")
    assert error.field == "status"


def test_terminated_before_it_starts_its_assignments_are_removed(services, house):
    aid = signed(services, house, start=D(2027, 1, 1), end=D(2027, 12, 31))
    services.agreements.terminate(agreement_id=aid, last_day=D(2026, 12, 31),
                                  reason="Projet abandonné")
    assert history(services, house, "a1") == []
    assert get(services, aid).last_day == D(2026, 12, 31)


def test_an_agreement_terminated_before_it_starts_gets_no_attestation(services, house):
    aid = signed(services, house, start=D(2027, 1, 1), end=D(2027, 12, 31))
    services.agreements.terminate(agreement_id=aid, last_day=D(2026, 12, 31),
                                  reason="Projet abandonné")
    assert services.agreements.agreements(state=AgreementState.SIGNED) == ()
    error = refused(ValidationError, services.agreements.attestation, agreement_id=aid)
    assert error.field == "status"


# --- the desks of two agreements ---------------------------------------------------------------


def test_a_desk_is_not_granted_by_two_running_agreements(services, house):
    first = signed(services, house, start=D(2026, 1, 1), end=D(2027, 3, 31),
                   signed_on=D(2025, 12, 1))
    other = draft(services, house, "Ébène Traduction", start=D(2027, 3, 1),
                  end=D(2027, 12, 31))
    error = refused(Conflict, sign, services, other)
    assert "CH-2026-0001" in error.message and "Poste A1" in error.message
    assert "Brûlerie Équitable" in error.message
    assert error.existing_id == first
    assert get(services, other).status is AgreementStatus.DRAFT  # nothing written
    assert len(services.documents.recent(kind=DocumentKind.CONVENTION)) == 1
    # from the day after the other's end: fine
    services.agreements.save_draft(replace(get(services, other), start=D(2027, 4, 1)))
    sign(services, other)
    assert history(services, house, "a1") == [
        ("Brûlerie Équitable", D(2026, 1, 1), D(2027, 3, 31), first),
        ("Ébène Traduction", D(2027, 4, 1), D(2027, 12, 31), other)]


def test_a_terminated_agreement_frees_its_desk_for_another(services, house):
    first = signed(services, house, start=D(2026, 1, 1), end=D(2027, 12, 31),
                   signed_on=D(2025, 12, 1))
    other = draft(services, house, "Ébène Traduction", start=D(2027, 2, 1),
                  end=D(2027, 12, 31))
    refused(Conflict, sign, services, other)
    services.agreements.terminate(agreement_id=first, last_day=D(2027, 1, 31),
                                  reason="Départ")
    sign(services, other)
    assert get(services, other).status is AgreementStatus.SIGNED


def test_an_office_is_shared_within_its_capacity(services, house):
    one = signed(services, house, spaces=(("b102", 1),))
    two = signed(services, house, "Ébène Traduction", spaces=(("b102", 1),))
    third = draft(services, house, "Compost'Âge", spaces=(("b102", 1),))
    error = refused(Conflict, sign, services, third)
    assert error.message.startswith("« Bureau 102 » accueille 2 personnes au plus")
    assert get(services, third).status is AgreementStatus.DRAFT
    assert sorted(a.agreement_id for a in services.spaces.history(space_id=house["b102"])) == [
        one, two]


def test_the_occupants_own_assignment_gives_way_to_the_agreement(services, house):
    compost = house["Compost'Âge"]
    services.spaces.assign(space_id=house["a1"], organisation_id=compost, start=D(2026, 6, 1))
    services.spaces.assign(space_id=house["a2"], organisation_id=compost, start=D(2027, 2, 1),
                           end=D(2027, 6, 30))
    # another holder's assignment elsewhere is left alone
    services.spaces.assign(space_id=house["b101"], organisation_id=compost, start=D(2026, 6, 1))
    aid = signed(services, house, "Compost'Âge", spaces=(("a1", 1), ("a2", 1)))
    assert history(services, house, "a1") == [
        ("Compost'Âge", D(2026, 6, 1), D(2026, 12, 31), None),  # ended the day before
        ("Compost'Âge", D(2027, 1, 1), D(2027, 12, 31), aid)]
    assert history(services, house, "a2") == [  # starting within it: removed
        ("Compost'Âge", D(2027, 1, 1), D(2027, 12, 31), aid)]
    assert history(services, house, "b101") == [("Compost'Âge", D(2026, 6, 1), None, None)]


def test_someone_elses_assignment_is_not_absorbed(services, house):
    services.spaces.assign(space_id=house["a1"], organisation_id=house["Atelier Vélo"],
                           start=D(2026, 6, 1))
    aid = draft(services, house)
    error = refused(Conflict, sign, services, aid)
    assert "Poste A1" in error.message and "Atelier Vélo" in error.message
    assert history(services, house, "a1") == [("Atelier Vélo", D(2026, 6, 1), None, None)]


# --- renewals and amendments ----------------------------------------------------------------------


@pytest.fixture
def running(services, house):
    """Brûlerie's agreement for 2026: desk A1 and a seat of Bureau 102, domiciled."""
    return signed(services, house, start=D(2026, 1, 1), end=D(2026, 12, 31),
                  signed_on=D(2025, 12, 15), spaces=(("a1", 1), ("b102", 1)),
                  offers=DOMICILIATION)


def test_a_renewal_starts_the_day_after(services, house, running):
    follow = services.agreements.follow_up_draft(agreement_id=running,
                                                 link=AgreementLink.RENEWAL)
    assert follow.id is None and follow.number == ""
    assert (follow.start, follow.end) == (D(2027, 1, 1), D(2027, 12, 31))
    assert (follow.previous_id, follow.previous_number, follow.link) == (
        running, "CH-2026-0001", AgreementLink.RENEWAL)
    assert follow.organisation_id == house["Brûlerie Équitable"]
    assert {g.space_id for g in follow.spaces} == {house["a1"], house["b102"]}
    assert follow.services == DOMICILIATION and follow.representative == "Jeanne Martin"
    renewal = services.agreements.save_draft(replace(follow, monthly_fee_cents=27000))
    sign(services, renewal)
    r = get(services, renewal)
    assert (r.number, r.previous_number, r.link) == ("CH-2026-0002", "CH-2026-0001",
                                                     AgreementLink.RENEWAL)
    assert history(services, house, "a1") == [
        ("Brûlerie Équitable", D(2026, 1, 1), D(2026, 12, 31), running),
        ("Brûlerie Équitable", D(2027, 1, 1), D(2027, 12, 31), renewal)]
    assert get(services, running).state(TODAY) is AgreementState.ACTIVE  # not replaced


def test_a_renewal_overlapping_the_previous_is_refused(services, house, running):
    follow = services.agreements.follow_up_draft(agreement_id=running,
                                                 link=AgreementLink.RENEWAL)
    renewal = services.agreements.save_draft(replace(follow, start=D(2026, 12, 31)))
    error = refused(ValidationError, sign, services, renewal)
    assert error.field == "start" and "CH-2026-0001" in error.message
    assert get(services, renewal).status is AgreementStatus.DRAFT


def test_an_amendment_takes_over_from_its_start(services, house, running, clock):
    follow = services.agreements.follow_up_draft(agreement_id=running,
                                                 link=AgreementLink.AMENDMENT)
    assert (follow.start, follow.end) == (D(2026, 12, 1), D(2026, 12, 31))
    # the amendment moves Brûlerie from desk A1 to desk A2, keeps its seat in the office
    amendment = services.agreements.save_draft(replace(
        follow, spaces=(GrantedSpace(space_id=house["a2"]),
                        GrantedSpace(space_id=house["b102"])), monthly_fee_cents=30000))
    sign(services, amendment)
    previous = get(services, running)
    assert previous.replaced_from == D(2026, 12, 1)
    assert previous.last_day == D(2026, 11, 30)
    assert previous.state(TODAY) is AgreementState.ACTIVE
    assert history(services, house, "a1") == [
        ("Brûlerie Équitable", D(2026, 1, 1), D(2026, 11, 30), running)]
    assert history(services, house, "a2") == [
        ("Brûlerie Équitable", D(2026, 12, 1), D(2026, 12, 31), amendment)]
    assert history(services, house, "b102") == [
        ("Brûlerie Équitable", D(2026, 1, 1), D(2026, 11, 30), running),
        ("Brûlerie Équitable", D(2026, 12, 1), D(2026, 12, 31), amendment)]
    clock.now = at(D(2026, 12, 1))
    assert [a.id for a in services.agreements.agreements(state=AgreementState.REPLACED)] == [
        running]
    assert [a.id for a in services.agreements.agreements(state=AgreementState.ACTIVE)] == [
        amendment]


def test_an_amendment_starts_within_the_previous(services, house, running):
    follow = services.agreements.follow_up_draft(agreement_id=running,
                                                 link=AgreementLink.AMENDMENT)
    for start in (D(2026, 1, 1), D(2027, 1, 1)):
        amendment = services.agreements.save_draft(replace(follow, start=start,
                                                           end=D(2027, 3, 31)))
        error = refused(ValidationError, sign, services, amendment)
        assert error.field == "start", start
        services.agreements.delete_draft(agreement_id=amendment)
    assert get(services, running).replaced_from is None


def test_a_follow_up_of_a_draft_is_refused(services, house):
    aid = draft(services, house)
    for link in AgreementLink:
        error = refused(ValidationError, services.agreements.follow_up_draft,
                        agreement_id=aid, link=link)
        assert error.field == "previous"


def test_a_follow_up_keeps_the_occupant(services, house, running):
    follow = services.agreements.follow_up_draft(agreement_id=running,
                                                 link=AgreementLink.RENEWAL)
    error = refused(ValidationError, services.agreements.save_draft,
                    replace(follow, organisation_id=house["Ébène Traduction"]))
    assert error.field == "occupant"


def test_an_agreement_is_renewed_once(services, house):
    first = signed(services, house, start=D(2026, 1, 1), end=D(2026, 12, 31), spaces=(),
                   offers=DOMICILIATION, signed_on=D(2025, 12, 15))
    renewals = [services.agreements.save_draft(services.agreements.follow_up_draft(
        agreement_id=first, link=AgreementLink.RENEWAL)) for _ in range(2)]
    sign(services, renewals[0])
    error = refused(ValidationError, sign, services, renewals[1])
    assert error.field == "previous"


def test_an_amended_agreement_is_renewed_through_its_amendment(services, house):
    first = signed(services, house, start=D(2026, 1, 1), end=D(2026, 12, 31), spaces=(),
                   offers=DOMICILIATION, signed_on=D(2025, 12, 15))
    amendment = services.agreements.save_draft(services.agreements.follow_up_draft(
        agreement_id=first, link=AgreementLink.AMENDMENT))
    sign(services, amendment)
    try:
        follow = services.agreements.follow_up_draft(agreement_id=first,
                                                     link=AgreementLink.RENEWAL)
    except ValidationError:
        return  # refused: fine
    assert follow.start > D(2026, 12, 31)
    renewal = services.agreements.save_draft(follow)
    refused(ValidationError, sign, services, renewal)


# --- two desks creating drafts at once -------------------------------------------------------------


def _november_26() -> dt.datetime:
    return dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def _drafts_from_another_process(url, organisation_id, count, barrier, results):
    """One desk of the house: its own connection, waits for the other, then saves drafts."""
    from maison_app import i18n
    from maison_app.services.context import Actor, Database
    from maison_app.services.registry import Services

    i18n.set_language("fr")
    db = Database.open(url, migrate_schema=False)
    try:
        services = Services.build(db, actor=Actor(login=f"poste-{organisation_id}",
                                                  role=Role.INCUBATION), clock=_november_26)
        services.agreements.agreements()  # connected and warm before the race
        barrier.wait(timeout=60)
        ids = []
        for _ in range(count):
            ids.append(services.agreements.save_draft(AgreementRecord(
                id=None, number="", status=AgreementStatus.DRAFT, start=D(2027, 1, 1),
                end=D(2027, 12, 31), organisation_id=organisation_id,
                representative="Jeanne Martin", services=DOMICILIATION)))
        results.put(("ok", organisation_id, ids))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        results.put(("error", organisation_id, repr(exc)))
    finally:
        db.dispose()


def test_two_desks_creating_drafts_at_once_get_distinct_consecutive_numbers(services, house,
                                                                          db_url):
    orgs = [house["Brûlerie Équitable"], house["Ébène Traduction"]]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(orgs))
    results = ctx.Queue()
    processes = [ctx.Process(target=_drafts_from_another_process,
                             args=(db_url, org, 5, barrier, results)) for org in orgs]
    for p in processes:
        p.start()
    try:
        outcomes = [results.get(timeout=120) for _ in processes]
    finally:
        for p in processes:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in processes)
    assert [o for o in outcomes if o[0] == "error"] == []
    numbers = {a.id: a.number for a in services.agreements.agreements()}
    assert sorted(numbers.values()) == [f"CH-2026-{n:04d}" for n in range(1, 11)]
    for _kind, org, ids in outcomes:
        assert len(ids) == 5
        mine = [numbers[i] for i in ids]
        assert mine == sorted(mine)  # each desk's drafts in the order it saved them
        assert {a.organisation_id for a in services.agreements.agreements()
                if a.id in ids} == {org}
    # and the sequence goes on after them
    assert get(services, draft(services, house)).number == "CH-2026-0011"


# --- the archived PDF ---------------------------------------------------------------------------------


def test_a_signed_agreement_prints_the_same_bytes_every_time(services, house):
    aid = draft(services, house)
    document = sign(services, aid)
    name, content = services.agreements.pdf(agreement_id=aid)
    assert name == "CH-2026-0001.pdf"
    assert content.startswith(b"%PDF")
    assert services.agreements.pdf(agreement_id=aid) == (name, content)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert content == services.documents.content(document_id=document.id)

    # the house changes its name and its texts afterwards: the signed convention does not
    services.settings.save_identity(MaisonIdentity(name="Maison de l'ESS du Niortais",
                                                   address="3 rue de la Coopération"))
    services.hosting_texts.save_texts(HostingTexts(
        preamble="Un nouveau préambule pour les conventions à venir.",
        special_clauses="Clause nouvelle.", host_signatory="Paul Renard, trésorier"))
    assert services.agreements.pdf(agreement_id=aid) == (name, content)
    # a draft printed now has them
    later = draft(services, house, "Ébène Traduction", spaces=(("a2", 1),))
    later_name, later_content = services.agreements.pdf(agreement_id=later)
    assert later_name == "CH-2026-0002-projet.pdf"
    text = pdf_text(later_content)
    assert "PROJET" in text and "Un nouveau préambule" in text
    assert "Un nouveau préambule" not in pdf_text(content)


def test_a_drafts_pdf_says_projet_and_is_not_archived(services, house):
    aid = draft(services, house)
    name, content = services.agreements.pdf(agreement_id=aid)
    assert name == "CH-2026-0001-projet.pdf"
    text = pdf_text(content)
    assert "PROJET" in text and "CH-2026-0001" in text and "Brûlerie Équitable" in text
    assert services.documents.recent() == ()
    refused(NotFound, services.agreements.pdf, agreement_id=9999)


# --- attestations ----------------------------------------------------------------------------------


def test_attestations_are_issued_for_a_signed_agreement(services, house, running):
    document, content = services.agreements.attestation(agreement_id=running)
    assert (document.kind, document.number) == (DocumentKind.ATTESTATION_HEBERGEMENT,
                                                "AH-2026-0001")
    assert hashlib.sha256(content).hexdigest() == document.sha256
    text = pdf_text(content)
    assert "Brûlerie Équitable" in text and "AH-2026-0001" in text
    document, content = services.agreements.attestation(agreement_id=running,
                                                        domiciliation=True)
    assert (document.kind, document.number) == (DocumentKind.ATTESTATION_DOMICILIATION,
                                                "AD-2026-0001")
    assert "Brûlerie Équitable" in pdf_text(content)
    again, _content = services.agreements.attestation(agreement_id=running)
    assert again.number == "AH-2026-0002"
    assert {d.number for d in services.documents.recent()} >= {
        "AH-2026-0001", "AH-2026-0002", "AD-2026-0001"}


def test_an_attestation_for_an_agreement_to_come(services, house):
    aid = signed(services, house, start=D(2027, 1, 1))
    document, _content = services.agreements.attestation(agreement_id=aid)
    assert document.number == "AH-2026-0001"


def test_attestations_that_cannot_be_issued(services, house, clock):
    aid = draft(services, house, offers=DOMICILIATION)
    error = refused(ValidationError, services.agreements.attestation, agreement_id=aid)
    assert error.field == "status"
    desk_only = signed(services, house, "Ébène Traduction", spaces=(("a2", 1),))
    error = refused(ValidationError, services.agreements.attestation, agreement_id=desk_only,
                    domiciliation=True)
    assert error.field == "services"
    domiciled_only = signed(services, house, "Compost'Âge", spaces=(),
                            offers=DOMICILIATION)
    error = refused(ValidationError, services.agreements.attestation,
                    agreement_id=domiciled_only)
    assert error.field == "spaces"
    clock.now = at(D(2028, 1, 10))  # over
    error = refused(ValidationError, services.agreements.attestation, agreement_id=desk_only)
    assert error.field == "status"
    assert services.documents.recent(kind=DocumentKind.ATTESTATION_HEBERGEMENT) == ()
    assert services.documents.recent(kind=DocumentKind.ATTESTATION_DOMICILIATION) == ()


# --- the half-yearly list of domiciliations ----------------------------------------------------------


@pytest.fixture
def domiciled(services, house):
    """For the 2nd half of 2026: Brûlerie domiciled since March, Ébène until 30 September,
    Hélène from October; Compost'Âge only in the first half; Atelier Vélo has a desk and
    no domiciliation; a draft domiciles nobody."""
    signed(services, house, start=D(2026, 3, 1), end=D(2027, 2, 28), spaces=(),
           offers=DOMICILIATION, signed_on=D(2026, 2, 20))
    signed(services, house, "Ébène Traduction", start=D(2026, 1, 1), end=D(2026, 9, 30),
           spaces=(), offers=DOMICILIATION, signed_on=D(2025, 12, 20))
    signed(services, house, "Hélène", start=D(2026, 10, 1), end=D(2027, 9, 30), spaces=(),
           offers=DOMICILIATION, representative="Hélène Lefèvre",
           signed_on=D(2026, 9, 25))
    signed(services, house, "Compost'Âge", start=D(2026, 1, 1), end=D(2026, 6, 30),
           spaces=(), offers=DOMICILIATION, signed_on=D(2025, 12, 20))
    signed(services, house, "Atelier Vélo", start=D(2026, 1, 1), end=D(2026, 12, 31),
           spaces=(("a1", 1),), signed_on=D(2025, 12, 20))
    draft(services, house, "Atelier Vélo", start=D(2027, 1, 1), end=D(2027, 12, 31),
          spaces=(), offers=DOMICILIATION)
    return house


def test_the_domiciliation_list_of_the_second_half(services, domiciled):
    data = services.agreements.domiciliation_list(year=2026, half=2)
    assert (data.first, data.last) == (D(2026, 7, 1), D(2026, 12, 31))
    assert [(x.name, x.start, x.end) for x in data.lines] == [
        ("Brûlerie Équitable", D(2026, 3, 1), None),
        ("Ébène Traduction", D(2026, 1, 1), D(2026, 9, 30)),
        ("Hélène Lefèvre", D(2026, 10, 1), None)]
    brulerie = data.lines[0]
    assert (brulerie.legal_form, brulerie.representative, brulerie.agreement_number) == (
        LegalForm.SCOP, "Jeanne Martin", "CH-2026-0001")
    assert data.lines[2].person_id == domiciled["Hélène"]
    first_half = services.agreements.domiciliation_list(year=2026, half=1)
    assert [x.name for x in first_half.lines] == ["Brûlerie Équitable", "Compost'Âge",
                                                  "Ébène Traduction"]
    error = refused(ValidationError, services.agreements.domiciliation_list, year=2026, half=3)
    assert error.field == "half"


def test_the_domiciliation_list_as_csv_and_pdf(services, domiciled):
    content = services.agreements.domiciliation_list_csv(year=2026, half=2)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content[3:].decode("utf-8")), delimiter=";"))
    assert rows[0][0] == "Dénomination" and len(rows[0]) == 7
    assert rows[1][:2] == ["Brûlerie Équitable", LegalForm.SCOP.label]
    assert rows[1][4:] == ["01/03/2026", "", "CH-2026-0001"]
    assert rows[2][0] == "Ébène Traduction" and rows[2][4:6] == ["01/01/2026", "30/09/2026"]
    assert [r[0] for r in rows[1:]] == ["Brûlerie Équitable", "Ébène Traduction",
                                        "Hélène Lefèvre"]
    assert b"\r\n" in content
    document, pdf = services.agreements.domiciliation_list_pdf(year=2026, half=2)
    assert (document.kind, document.number) == (DocumentKind.LISTE_DOMICILIATIONS,
                                                "LD-2026-0001")
    text = pdf_text(pdf)
    assert "Brûlerie Équitable" in text and "Hélène Lefèvre" in text
    assert "Compost'Âge" not in text and "Atelier Vélo" not in text


def test_a_terminated_domiciliation_ends_on_its_last_day(services, house):
    aid = signed(services, house, start=D(2026, 1, 1), end=D(2027, 6, 30), spaces=(),
                 offers=DOMICILIATION, signed_on=D(2025, 12, 20))
    services.agreements.terminate(agreement_id=aid, last_day=D(2026, 8, 31), reason="Départ")
    (line,) = services.agreements.domiciliation_list(year=2026, half=2).lines
    assert (line.start, line.end) == (D(2026, 1, 1), D(2026, 8, 31))


def test_a_renewed_domiciliation_has_not_ended(services, house):
    first = signed(services, house, start=D(2026, 1, 1), end=D(2026, 12, 31), spaces=(),
                   offers=DOMICILIATION, signed_on=D(2025, 12, 20))
    renewal = services.agreements.save_draft(services.agreements.follow_up_draft(
        agreement_id=first, link=AgreementLink.RENEWAL))
    sign(services, renewal)
    (line,) = services.agreements.domiciliation_list(year=2026, half=2).lines
    assert (line.start, line.end) == (D(2026, 1, 1), None)


# --- ending soon ---------------------------------------------------------------------------------------


def test_ending_soon(services, house):
    soon = signed(services, house, start=D(2026, 1, 1), end=D(2026, 12, 31),
                  signed_on=D(2025, 12, 15))
    signed(services, house, "Ébène Traduction", spaces=(("a2", 1),), start=D(2026, 1, 1),
           end=D(2027, 6, 30), signed_on=D(2025, 12, 15))
    draft(services, house, "Compost'Âge", spaces=(("b101", 1),), start=D(2026, 1, 1),
          end=D(2026, 12, 15))  # a draft: not listed
    over = signed(services, house, "Atelier Vélo", spaces=(("b102", 1),), start=D(2026, 1, 1),
                  end=D(2026, 11, 25), signed_on=D(2025, 12, 15))  # yesterday
    assert [a.id for a in services.agreements.ending_soon()] == [soon]
    assert services.agreements.ending_soon(days=30) == ()
    assert over not in [a.id for a in services.agreements.ending_soon(days=400)]
    # a renewal drafted: no longer listed
    services.agreements.save_draft(services.agreements.follow_up_draft(
        agreement_id=soon, link=AgreementLink.RENEWAL))
    assert services.agreements.ending_soon() == ()


def test_an_early_termination_puts_it_among_those_ending_soon(services, house):
    aid = signed(services, house, start=D(2026, 1, 1), end=D(2027, 12, 31),
                 signed_on=D(2025, 12, 15))
    assert services.agreements.ending_soon() == ()
    services.agreements.terminate(agreement_id=aid, last_day=D(2027, 1, 15), reason="Départ")
    assert [a.id for a in services.agreements.ending_soon()] == [aid]


# --- the prefilled draft ---------------------------------------------------------------------------


def test_a_new_draft_is_prefilled_from_a_project(services, house):
    brulerie = house["Brûlerie Équitable"]
    services.people.create_person(first_name="Jeanne", last_name="Martin",
                                  organisation_ids=(brulerie,), role=AffiliationRole.DIRIGEANT)
    services.people.create_person(first_name="Paul", last_name="Aubert",
                                  organisation_ids=(brulerie,), role=AffiliationRole.SALARIE)
    services.spaces.assign(space_id=house["a1"], organisation_id=brulerie, start=D(2026, 6, 1))
    services.spaces.assign(space_id=house["b101"], organisation_id=brulerie,
                           start=D(2027, 1, 1), seats=2)  # to come: granted too
    services.spaces.assign(space_id=house["b102"], organisation_id=brulerie,
                           start=D(2026, 1, 1), end=D(2026, 10, 31))  # over: not granted
    programmes = {p.name: p for p in services.projects.programmes()}
    project = services.projects.save_project(ProjectRecord(
        id=None, name="Torréfaction solidaire", programme_id=programmes["Pépinière"].id,
        entry_date=D(2025, 1, 15), organisation_id=brulerie))
    texts = services.hosting_texts.save_texts(HostingTexts(
        host_signatory=HOST, vat_bp=1000, default_notice_months=3))

    d = services.agreements.new_draft(project_id=project)
    assert (d.id, d.number, d.status) == (None, "", AgreementStatus.DRAFT)
    assert (d.organisation_id, d.person_id, d.occupant_name) == (brulerie, None,
                                                                 "Brûlerie Équitable")
    assert (d.representative, d.representative_title) == ("Jeanne Martin", "dirigeant·e")
    assert (d.project_id, d.project_name, d.programme_name) == (
        project, "Torréfaction solidaire", "Pépinière")
    assert [(g.space_name, g.seats) for g in d.spaces] == [("Poste A1", 1),
                                                            ("Bureau 101", 2)]
    # from the first of next month, capped at the 23 months of the pépinière
    assert (d.start, d.end) == (D(2026, 12, 1), D(2026, 12, 14))
    assert (d.vat_bp, d.notice_months, d.host_signatory) == (
        1000, 3, texts.host_signatory)
    assert services.agreements.agreements() == ()  # not saved

    aid = services.agreements.save_draft(d)
    sign(services, aid)
    assert history(services, house, "a1") == [
        ("Brûlerie Équitable", D(2026, 6, 1), D(2026, 11, 30), None),
        ("Brûlerie Équitable", D(2026, 12, 1), D(2026, 12, 14), aid)]
    assert get(services, aid).project_name == "Torréfaction solidaire"
    assert [a.id for a in services.agreements.agreements(project_id=project)] == [aid]
    assert [a.id for a in services.agreements.agreements(organisation_id=brulerie)] == [aid]
    assert services.agreements.agreements(organisation_id=house["Ébène Traduction"]) == ()


def test_a_new_draft_for_a_person_or_a_project_without_organisation(services, house):
    d = services.agreements.new_draft(person_id=house["Hélène"])
    assert (d.person_id, d.occupant_name, d.representative) == (
        house["Hélène"], "Hélène Lefèvre", "Hélène Lefèvre")
    assert (d.start, d.end) == (D(2026, 12, 1), D(2027, 11, 30))  # a year
    assert d.spaces == ()
    programmes = {p.name: p for p in services.projects.programmes()}
    project = services.projects.save_project(ProjectRecord(
        id=None, name="Vélos partagés", programme_id=programmes["CAE"].id,
        entry_date=D(2024, 1, 1), holders=(Holder(person_id=house["Hélène"], name="Hélène Lefèvre"),)))
    d = services.agreements.new_draft(project_id=project)
    assert d.person_id == house["Hélène"] and d.organisation_id is None
    assert d.end == D(2027, 11, 30)  # the CAE has no limit
    blank = services.agreements.new_draft()
    assert blank.organisation_id is None and blank.representative == ""
    refused(NotFound, services.agreements.new_draft, project_id=9999)


def test_the_occupant_as_the_convention_names_it(services, house):
    party = services.agreements.occupant(organisation_id=house["Brûlerie Équitable"])
    assert (party.name, party.legal_form) == ("Brûlerie Équitable", LegalForm.SCOP)
    assert "Niort" in party.address
    person = services.agreements.occupant(person_id=house["Hélène"])
    assert (person.name, person.email) == ("Hélène Lefèvre", "helene@exemple.fr")
    refused(NotFound, services.agreements.occupant, organisation_id=9999)


# --- search -----------------------------------------------------------------------------------------


def test_the_list_is_searched_without_accents(services, house):
    first = draft(services, house)
    second = draft(services, house, "Ébène Traduction", spaces=(("a2", 1),))
    assert [a.id for a in services.agreements.agreements(query="ebene")] == [second]
    assert [a.id for a in services.agreements.agreements(query="BRULERIE")] == [first]
    assert [a.id for a in services.agreements.agreements(query="ch-2026-0002")] == [second]
    assert services.agreements.agreements(query="introuvable") == ()


# --- permissions -----------------------------------------------------------------------------------


def test_the_reception_reads_but_does_not_write(services, house):
    aid = signed(services, house)
    other = draft(services, house, "Ébène Traduction", spaces=(("a2", 1),))
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL)).agreements
    assert [a.id for a in desk.agreements()] == [other, aid]
    assert desk.agreement(agreement_id=aid).number == "CH-2026-0001"
    assert desk.pdf(agreement_id=aid) == services.agreements.pdf(agreement_id=aid)
    assert "PROJET" in pdf_text(desk.pdf(agreement_id=other)[1])
    for call, kwargs in (
        (desk.save_draft, {"record": record(house, "Compost'Âge", spaces=(("b101", 1),))}),
        (desk.sign, {"agreement_id": other, "signed_on": TODAY, "host_signatory": HOST,
                     "occupant_signatory": ""}),
        (desk.delete_draft, {"agreement_id": other}),
        (desk.terminate, {"agreement_id": aid, "last_day": D(2027, 6, 30), "reason": "x"}),
        (desk.attestation, {"agreement_id": aid}),
    ):
        refused(PermissionDenied, call, **kwargs)
    assert get(services, other).status is AgreementStatus.DRAFT
    assert len(services.agreements.agreements()) == 2


def test_the_incubator_manager_drafts_and_signs(services, house):
    desk = services.for_actor(Actor(login="incubation", role=Role.INCUBATION))
    aid = desk.agreements.save_draft(record(house))
    document = desk.agreements.sign(agreement_id=aid, signed_on=TODAY, host_signatory=HOST,
                                    occupant_signatory="Jeanne Martin")
    assert document.author == "incubation"
    assert get(services, aid).status is AgreementStatus.SIGNED
    attestation, _content = desk.agreements.attestation(agreement_id=aid)
    assert attestation.number == "AH-2026-0001"


# --- the spaces rule through the hook -----------------------------------------------------------


def test_an_agreements_assignment_stays_within_its_dates(services, house):
    aid = signed(services, house, start=D(2026, 1, 1), end=D(2026, 12, 31),
                 signed_on=D(2025, 12, 15))
    (assignment,) = services.spaces.history(space_id=house["a1"])
    for end in (D(2027, 6, 30), None):
        error = refused(ValidationError, services.spaces.update_assignment,
                        assignment_id=assignment.id, start=D(2026, 1, 1), end=end)
        assert error.field == "end" and "convention" in error.message
    error = refused(ValidationError, services.spaces.update_assignment,
                    assignment_id=assignment.id, start=D(2025, 12, 1), end=D(2026, 12, 31))
    assert error.field == "end"
    # shortening within the dates is fine
    services.spaces.update_assignment(assignment_id=assignment.id, start=D(2026, 1, 1),
                                      end=D(2026, 12, 15))
    assert history(services, house, "a1") == [
        ("Brûlerie Équitable", D(2026, 1, 1), D(2026, 12, 15), aid)]
    # after a termination, the termination's day is the limit
    services.agreements.terminate(agreement_id=aid, last_day=D(2026, 12, 10), reason="Départ")
    error = refused(ValidationError, services.spaces.update_assignment,
                    assignment_id=assignment.id, start=D(2026, 1, 1), end=D(2026, 12, 12))
    assert error.field == "end"
    # a new assignment pointing to the agreement too
    error = refused(ValidationError, services.spaces.assign, space_id=house["a2"],
                    organisation_id=house["Brûlerie Équitable"], start=D(2026, 6, 1),
                    end=D(2027, 1, 31), agreement_id=aid)
    assert error.field == "end"


def test_a_domiciliation_lasts_three_months_at_least(services, house):
    """R.123-168 du Code de commerce: a domiciliation contract runs three months or more."""
    draft = services.agreements.new_draft(organisation_id=house["Compost'Âge"])
    short = replace(draft, start=D(2027, 1, 1), end=D(2027, 3, 30),
                services=frozenset({HostingService.DOMICILIATION}))
    error = refused(ValidationError, services.agreements.save_draft, short)
    assert error.field == "end" and "R.123-168" in error.message
    assert services.agreements.save_draft(replace(short, end=D(2027, 3, 31)))
    # without the domiciliation, a short stay is fine
    assert services.agreements.save_draft(replace(short, services=frozenset()))
