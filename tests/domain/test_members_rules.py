"""The members area's pure rules: member codes, French phone numbers, postcodes, NAF codes,
amounts typed the French way, and the membership status of a year."""

from __future__ import annotations

import pytest

from maison_app.domain.enums import MembershipStatus
from maison_app.domain.errors import ValidationError
from maison_app.domain.members import (
    check_naf,
    check_phone,
    check_postcode,
    member_code,
    membership_status,
    parse_euros,
    parse_member_code,
)


@pytest.mark.parametrize("person_id", [1, 42, 193, 999_999, 1_000_000, 123_456_789])
def test_member_codes_round_trip(person_id):
    code = member_code(person_id)
    assert code.isascii() and code.startswith("ESS")
    assert parse_member_code(code) == person_id
    assert parse_member_code(f"  {code.lower()} ") == person_id  # a scanner's spaces, case


def test_member_code_format():
    assert member_code(193) == "ESS0001933"


def test_a_mistyped_digit_is_never_another_member():
    code = member_code(4321)
    for i in range(3, len(code)):
        for d in "0123456789":
            if d != code[i]:
                typo = code[:i] + d + code[i + 1:]
                assert parse_member_code(typo) is None, typo
    # two neighbouring digits swapped
    swapped = code[:4] + code[5] + code[4] + code[6:]
    assert swapped == code or parse_member_code(swapped) is None


@pytest.mark.parametrize("text", ["", "ESS", "ESS12", "dupont", "ESS00012a3", "XSS0001933"])
def test_texts_that_are_not_codes(text):
    assert parse_member_code(text) is None


@pytest.mark.parametrize(("typed", "stored"), [
    ("0549123456", "05 49 12 34 56"),
    ("05.49.12.34.56", "05 49 12 34 56"),
    ("05-49-12-34-56", "05 49 12 34 56"),
    ("06 39 98 12 34", "06 39 98 12 34"),
    ("+33549123456", "+33 5 49 12 34 56"),
    ("+33 (0)5 49 12 34 56", "+33 5 49 12 34 56"),
    ("0033 6 39 98 12 34", "+33 6 39 98 12 34"),
    ("+32 2 123 45 67", "+32 2 123 45 67"),  # Belgium: kept as typed
    ("", None),
    (None, None),
])
def test_phone_numbers(typed, stored):
    assert check_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12 34", "1549123456", "05491234567", "0049123456", "tel"])
def test_bad_phone_numbers_are_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as err:
        check_phone(typed)
    assert err.value.field == "phone"
    assert "05 49 12 34 56" in err.value.message


def test_postcodes():
    assert check_postcode(" 79 000") == "79000"
    assert check_postcode("20000") == "20000"
    assert check_postcode("") is None
    for bad in ("7900", "790000", "79OOO"):
        with pytest.raises(ValidationError, match="5 chiffres"):
            check_postcode(bad)


def test_naf_codes():
    assert check_naf("88.99B") == "88.99B"
    assert check_naf("8899b") == "88.99B"
    assert check_naf(" 94.99z ") == "94.99Z"
    for bad in ("8899", "88.9B", "AB.12C", "88.99BB"):
        with pytest.raises(ValidationError, match="NAF"):
            check_naf(bad)


@pytest.mark.parametrize(("typed", "cents"), [
    ("25", 2500), ("12,50", 1250), ("12.5", 1250), ("1 234,50", 123450),
    ("1\u202f234,50 €", 123450), ("1.234,50", 123450), ("0", 0), (30, 3000),
])
def test_amounts_typed_the_french_way(typed, cents):
    assert parse_euros(typed, field="fee") == cents


@pytest.mark.parametrize(("typed", "message"), [
    ("douze", "illisible"), ("12,345", "centime"), ("-5", "positif"),
    ("1000000000", "trop élevé"),
])
def test_bad_amounts(typed, message):
    with pytest.raises(ValidationError) as err:
        parse_euros(typed, field="fee")
    assert err.value.field == "fee"
    assert message in err.value.message


def test_zero_can_be_refused():
    with pytest.raises(ValidationError, match="supérieur à zéro"):
        parse_euros("0", field="amount", allow_zero=False)


@pytest.mark.parametrize(("fee", "paid", "before", "status"), [
    (5000, 5000, False, MembershipStatus.A_JOUR),
    (5000, 6000, False, MembershipStatus.A_JOUR),
    (0, 0, False, MembershipStatus.A_JOUR),  # a free membership (bénévoles…)
    (5000, 1, True, MembershipStatus.PARTIEL),
    (5000, 0, True, MembershipStatus.A_RELANCER),
    (None, 0, True, MembershipStatus.NON_RENOUVELE),
    (None, 0, False, None),
])
def test_membership_status(fee, paid, before, status):
    assert membership_status(fee_cents=fee, paid_cents=paid, had_previous_year=before) is status
