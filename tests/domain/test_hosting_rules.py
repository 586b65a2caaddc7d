"""The pure rules of incubation and hosting (domain/hosting.py): adding months, VAT on a fee,
the state of an agreement on a day and its last day, the stay and follow-up alerts of a
project, mail waiting too long, what a draft lacks before it is signed, the half-years."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from maison_app.domain.enums import AgreementState, AgreementStatus, HostingService
from maison_app.domain.hosting import (
    AgreementRecord,
    GrantedSpace,
    MailRecord,
    ProjectRecord,
    add_months,
    agreement_state,
    follow_up_overdue,
    half_year,
    mail_overdue,
    missing_for_signature,
    stay_alert,
    vat_cents,
)

D = dt.date
TODAY = D(2026, 11, 26)


# --- add_months ------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),  # a shorter month: its last day
    (D(2028, 1, 31), 1, D(2028, 2, 29)),  # a leap year
    (D(2026, 1, 30), 1, D(2026, 2, 28)),
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 1, 31), 2, D(2026, 3, 31)),  # from the 31st, not from the 28th
    (D(2026, 12, 15), 1, D(2027, 1, 15)),  # over the new year
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2025, 1, 15), 23, D(2026, 12, 15)),  # the pépinière's stay
    (D(2026, 3, 31), -1, D(2026, 2, 28)),  # backwards
    (D(2026, 1, 10), -1, D(2025, 12, 10)),
    (D(2026, 5, 17), 0, D(2026, 5, 17)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# --- VAT ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("excl", "bp", "expected"), [
    (25000, 2000, 5000),  # 250 € at 20 %: 50 €
    (0, 2000, 0),
    (12345, 0, 0),
    (1000, 550, 55),  # 10 € at 5,5 %
    (5, 1000, 1),  # 0,5 cent: half away from zero
    (-5, 1000, -1),  # a credit: also away from zero
    (15, 1000, 2),  # 1,5 → 2
    (-15, 1000, -2),
    (14, 1000, 1),  # 1,4 → 1
    (-14, 1000, -1),
    (9, 550, 0),  # 0,495 → 0
    (10, 550, 1),  # 0,55 → 1
    (1, 2000, 0),  # 0,2 → 0
    (3, 2000, 1),  # 0,6 → 1
    (12345, 2000, 2469),  # 2 469,0
    (12347, 550, 679),  # 679,085 → 679
    (12346, 550, 679),  # 679,03
    (1010, 550, 56),  # 55,55 → 56
])
def test_vat_is_rounded_to_the_cent_halves_away_from_zero(excl, bp, expected):
    assert vat_cents(excl, bp) == expected


def test_the_fee_with_vat():
    a = agreement(monthly_fee_cents=1010, vat_bp=550)
    assert (a.fee_vat_cents, a.fee_incl_cents) == (56, 1066)
    assert agreement(monthly_fee_cents=25000).fee_incl_cents == 30000  # 20 % by default
    assert agreement(monthly_fee_cents=25000, vat_bp=0).fee_incl_cents == 25000


# --- agreements: state and last day -----------------------------------------------------------


def agreement(**kw) -> AgreementRecord:
    """Signed, from 1 January to 31 December 2027, a desk, a representative."""
    fields = {"id": 1, "number": "CH-2026-0001", "status": AgreementStatus.SIGNED,
              "start": D(2027, 1, 1), "end": D(2027, 12, 31), "organisation_id": 7,
              "representative": "Jeanne Martin", "spaces": (GrantedSpace(space_id=3),)}
    return AgreementRecord(**fields | kw)


def test_a_draft_is_a_draft_whatever_the_dates():
    a = agreement(status=AgreementStatus.DRAFT)
    for day in (D(2026, 1, 1), D(2027, 6, 1), D(2030, 1, 1)):
        assert agreement_state(a, day) is AgreementState.DRAFT
    assert a.state(D(2027, 6, 1)) is AgreementState.DRAFT


def test_a_signed_agreement_is_to_come_then_running_then_over():
    a = agreement()
    assert agreement_state(a, D(2026, 12, 31)) is AgreementState.SIGNED
    assert agreement_state(a, D(2027, 1, 1)) is AgreementState.ACTIVE  # its first day
    assert agreement_state(a, D(2027, 12, 31)) is AgreementState.ACTIVE  # its last day
    assert agreement_state(a, D(2028, 1, 1)) is AgreementState.ENDED
    one_day = agreement(start=D(2027, 3, 1), end=D(2027, 3, 1))
    assert [one_day.state(D(2027, 3, d)) for d in (1, 2)] == [AgreementState.ACTIVE,
                                                             AgreementState.ENDED]


def test_a_terminated_agreement_runs_until_its_last_day():
    a = agreement(status=AgreementStatus.TERMINATED, terminated_on=D(2027, 6, 30),
                  termination_reason="Départ")
    assert a.last_day == D(2027, 6, 30)
    assert a.state(D(2026, 12, 1)) is AgreementState.SIGNED
    assert a.state(D(2027, 6, 30)) is AgreementState.ACTIVE
    assert a.state(D(2027, 7, 1)) is AgreementState.TERMINATED
    assert a.state(D(2028, 1, 1)) is AgreementState.TERMINATED  # not "échue"


def test_an_agreement_terminated_before_it_starts_is_terminated_at_once():
    a = agreement(status=AgreementStatus.TERMINATED, terminated_on=D(2026, 12, 31),
                  termination_reason="Projet abandonné")
    assert a.last_day < a.start
    assert a.state(D(2026, 12, 1)) is AgreementState.TERMINATED


def test_an_agreement_replaced_by_an_amendment():
    a = agreement(replaced_from=D(2027, 4, 1))
    assert a.last_day == D(2027, 3, 31)
    assert a.state(D(2026, 12, 1)) is AgreementState.SIGNED
    assert a.state(D(2027, 3, 31)) is AgreementState.ACTIVE
    assert a.state(D(2027, 4, 1)) is AgreementState.REPLACED
    assert a.state(D(2028, 6, 1)) is AgreementState.REPLACED


def test_the_last_day_is_the_earliest_of_end_termination_and_replacement():
    assert agreement().last_day == D(2027, 12, 31)
    assert agreement(terminated_on=D(2027, 9, 15)).last_day == D(2027, 9, 15)
    assert agreement(replaced_from=D(2027, 5, 1)).last_day == D(2027, 4, 30)
    both = agreement(terminated_on=D(2027, 9, 15), replaced_from=D(2027, 5, 1))
    assert both.last_day == D(2027, 4, 30)
    both = agreement(terminated_on=D(2027, 2, 10), replaced_from=D(2027, 5, 1))
    assert both.last_day == D(2027, 2, 10)
    # a termination "after" the end does not stretch it
    assert agreement(terminated_on=D(2028, 3, 1)).last_day == D(2027, 12, 31)


# --- what a draft lacks before it is signed ------------------------------------------------------


def test_a_complete_draft_lacks_nothing():
    assert missing_for_signature(agreement(status=AgreementStatus.DRAFT)) == []
    # domiciled without an office: complete too
    domiciled = agreement(spaces=(), services=frozenset({HostingService.DOMICILIATION}))
    assert missing_for_signature(domiciled) == []
    # a person rather than an organisation
    assert missing_for_signature(agreement(organisation_id=None, person_id=4)) == []


@pytest.mark.parametrize(("change", "fields"), [
    ({"organisation_id": None}, ["occupant"]),
    ({"representative": ""}, ["representative"]),
    ({"representative": "   "}, ["representative"]),
    ({"spaces": ()}, ["spaces"]),
    ({"spaces": (), "services": frozenset({HostingService.MAIL, HostingService.INTERNET})},
     ["spaces"]),  # services without domiciliation do not make a convention
    ({"end": D(2026, 12, 31)}, ["end"]),
    ({"organisation_id": None, "representative": "", "spaces": ()},
     ["occupant", "representative", "spaces"]),  # in the order of the form
])
def test_what_a_draft_lacks(change, fields):
    missing = missing_for_signature(agreement(**change))
    assert [f for f, _message in missing] == fields
    assert all(message for _f, message in missing)


def test_the_messages_say_what_is_missing():
    (only,) = missing_for_signature(agreement(representative=""))
    assert only == ("representative", "Indiquez qui signe pour l'occupant.")


# --- projects: stay limit and follow-up -----------------------------------------------------------


def project(**kw) -> ProjectRecord:
    fields = {"id": 1, "name": "Recyclerie", "programme_id": 1, "entry_date": D(2025, 2, 1),
              "max_months": 23}
    return ProjectRecord(**fields | kw)


def test_the_stay_limit():
    assert project().stay_limit == D(2026, 12, 31)  # 1 Feb 2025 + 23 months − 1 day
    assert project(entry_date=D(2025, 1, 31)).stay_limit == D(2026, 12, 30)
    assert project(max_months=None).stay_limit is None
    assert project(entry_date=None).stay_limit is None


def test_the_stay_alert_from_sixty_days_before_the_limit():
    p = project()  # limit 31 December 2026
    assert not stay_alert(p, D(2026, 10, 31))  # 61 days before
    assert stay_alert(p, D(2026, 11, 1))  # 60 days before
    assert stay_alert(p, D(2026, 12, 31))
    assert stay_alert(p, D(2027, 3, 1))  # past it: still flagged
    assert not stay_alert(p, D(2026, 11, 20), days=30)
    assert stay_alert(p, D(2026, 12, 1), days=30)


def test_no_stay_alert_without_a_limit_or_after_the_exit():
    assert not stay_alert(project(max_months=None), D(2030, 1, 1))
    assert not stay_alert(project(entry_date=None), D(2030, 1, 1))
    assert not stay_alert(project(exit_date=D(2026, 12, 1)), D(2027, 1, 15))


def test_a_follow_up_is_overdue_after_sixty_days():
    p = project(last_follow_up=D(2026, 9, 27))
    assert not follow_up_overdue(p, D(2026, 11, 25))  # 59 days
    assert follow_up_overdue(p, D(2026, 11, 26))  # 60 days
    assert follow_up_overdue(p, D(2027, 2, 1))
    assert not follow_up_overdue(p, D(2026, 10, 27), days=31)
    assert follow_up_overdue(p, D(2026, 10, 28), days=31)


def test_without_a_follow_up_the_gap_counts_from_the_entry():
    p = project(entry_date=D(2026, 9, 27), last_follow_up=None)
    assert not follow_up_overdue(p, D(2026, 11, 25))
    assert follow_up_overdue(p, D(2026, 11, 26))
    assert not follow_up_overdue(project(entry_date=None), TODAY)  # nothing to count from
    # a project that left is not followed any more
    assert not follow_up_overdue(project(exit_date=D(2026, 1, 1)), TODAY)


# --- mail ------------------------------------------------------------------------------------------


def mail(**kw) -> MailRecord:
    fields = {"id": 1, "organisation_id": 7, "person_id": None, "recipient": "Brûlerie",
              "received_on": D(2026, 8, 26)}
    return MailRecord(**fields | kw)


def test_mail_waiting_three_months_is_overdue():
    m = mail()
    assert not mail_overdue(m, D(2026, 11, 25))
    assert mail_overdue(m, D(2026, 11, 26))  # three months to the day
    assert mail_overdue(m, D(2027, 3, 1))
    assert not mail_overdue(mail(received_on=D(2026, 8, 27)), TODAY)


def test_three_months_after_the_end_of_a_month():
    m = mail(received_on=D(2026, 8, 31))  # three months later: 30 November
    assert not mail_overdue(m, D(2026, 11, 29))
    assert mail_overdue(m, D(2026, 11, 30))
    m = mail(received_on=D(2026, 11, 30))  # → 28 February 2027
    assert not mail_overdue(m, D(2027, 2, 27))
    assert mail_overdue(m, D(2027, 2, 28))


def test_collected_mail_is_never_overdue():
    m = mail(notified_on=D(2026, 8, 27), collected_on=D(2026, 11, 1))
    assert not m.waiting
    assert not mail_overdue(m, D(2027, 6, 1))
    notified = mail(notified_on=D(2026, 8, 27))  # told, but still waiting
    assert notified.waiting and mail_overdue(notified, TODAY)
    assert not mail_overdue(mail(), TODAY, months=4)


# --- the half-years of the domiciliation list ------------------------------------------------------


def test_half_years():
    assert half_year(2026, 1) == (D(2026, 1, 1), D(2026, 6, 30))
    assert half_year(2026, 2) == (D(2026, 7, 1), D(2026, 12, 31))
    assert half_year(2028, 1) == (D(2028, 1, 1), D(2028, 6, 30))
    _first, last = half_year(2026, 1)
    second, _last = half_year(2026, 2)
    assert second - last == dt.timedelta(days=1)  # nothing falls between the two


def test_a_record_is_frozen():
    a = agreement()
    with pytest.raises(AttributeError):
        a.end = D(2030, 1, 1)  # type: ignore[misc]
    assert replace(a, end=D(2030, 1, 1)).end == D(2030, 1, 1)
