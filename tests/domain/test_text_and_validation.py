import pytest

from maison_app.domain.errors import ValidationError
from maison_app.domain.text import escape_like, full_name, search_key, search_terms
from maison_app.domain.validation import (
    check_email,
    check_required,
    check_siret,
    luhn_ok,
    siret_is_valid,
)


@pytest.mark.parametrize("text, key", [
    ("Hélène LEFÈVRE", "helene lefevre"),
    ("Éloïse  Cœur", "eloise coeur"),
    ("Ægir Straße", "aegir strasse"),
    ("  François-Xavier   Ménard ", "francois-xavier menard"),
    ("ÇA", "ca"),
])
def test_search_key_folds_case_accents_and_ligatures(text, key):
    assert search_key(text) == key


def test_search_key_joins_parts_and_skips_empty_ones():
    assert search_key("Hélène", None, "", "h@x.fr") == "helene h@x.fr"


def test_search_terms_are_normalised_words():
    assert search_terms("  Lefèvre  HÉL ") == ["lefevre", "hel"]
    assert search_terms("   ") == []


def test_escape_like_makes_wildcards_literal():
    assert escape_like("50%_a\\b") == "50\\%\\_a\\\\b"


def test_full_name():
    assert full_name("Hélène", "Lefèvre") == "Hélène Lefèvre"
    assert full_name("", "Lefèvre") == "Lefèvre"


def test_luhn():
    assert luhn_ok("73282932000074")
    assert not luhn_ok("73282932000075")


@pytest.mark.parametrize("siret, ok", [
    ("732 829 320 00074", True),     # a valid key, written with spaces
    ("73282932000075", False),      # wrong key
    ("35600000000048", True),       # La Poste's head office: ordinary Luhn
    ("35600000049837", True),       # a La Poste establishment: digits sum to a multiple of 5
    ("35600000049838", False),
    ("1234", False),
    ("7328293200007A", False),
])
def test_siret(siret, ok):
    assert siret_is_valid(siret) is ok


def test_check_siret_messages_name_the_field():
    assert check_siret("") is None
    assert check_siret("732 829 320 00074") == "73282932000074"
    with pytest.raises(ValidationError) as info:
        check_siret("123", field="siret")
    assert info.value.field == "siret"
    assert "14 chiffres" in info.value.message
    with pytest.raises(ValidationError) as info:
        check_siret("73282932000075")
    assert "clé de contrôle" in info.value.message


def test_check_email():
    assert check_email(" a.b@exemple.fr ") == "a.b@exemple.fr"
    assert check_email(None) is None
    with pytest.raises(ValidationError) as info:
        check_email("pas-un-email")
    assert info.value.field == "email"


def test_check_required():
    assert check_required("  x ", field="name", message="m") == "x"
    with pytest.raises(ValidationError) as info:
        check_required("   ", field="name", message="Le nom est obligatoire.")
    assert info.value.message == "Le nom est obligatoire."
