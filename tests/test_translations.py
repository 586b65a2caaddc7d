"""The English catalog is complete and well-formed, and the formatters follow the language.

Messages are extracted from the current source with the same babel API (and the same code)
as scripts/update_translations.py, so a French string added without its English translation
fails here."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from maison_app import i18n

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "update_translations.py"
HOW_TO_FIX = ("run `python scripts/update_translations.py`, then translate the empty entries "
              "of maison_app/resources/translations/en.po")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
ACCELERATOR = re.compile(r"&(?!&)")


def _load_script():
    spec = importlib.util.spec_from_file_location("update_translations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _load_script().extract_template(ROOT)


@pytest.fixture(scope="module")
def english() -> Catalog:
    po = resources.files("maison_app").joinpath("resources", "translations", "en.po")
    with po.open("rb") as fh:
        return read_po(fh, locale="en")


def _forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def test_catalogs_are_package_data():
    translations = resources.files("maison_app").joinpath("resources", "translations")
    assert translations.joinpath("en.po").is_file()
    assert translations.joinpath("messages.pot").is_file()
    catalog = i18n.load_catalog("en")
    assert catalog.gettext("Accueil") == "Reception"


def test_extraction_finds_the_source_messages(template):
    ids = {m.id for m in template if m.id}
    assert "Accueil" in ids  # _()
    assert "Rendez-vous" in ids  # N_() in domain/enums.py
    plurals = [m for m in template if isinstance(m.id, tuple)]
    assert plurals, "ngettext(singular, plural, n) should give plural messages"
    assert all(len(m.id) == 2 for m in plurals)


def test_english_header(english):
    assert str(english.locale) == "en"
    assert english.num_plurals == 2
    assert english.plural_expr.replace(" ", "") == "(n!=1)"
    assert not english.fuzzy


def test_every_source_message_has_an_english_translation(template, english):
    problems = []
    for message in template:
        if not message.id:
            continue
        entry = english.get(message.id, message.context)
        label = repr(message.id)
        if entry is None:
            problems.append(f"missing from en.po: {label}")
        elif _ids(entry) != _ids(message):
            problems.append(f"singular/plural msgids differ in en.po: {label}")
        elif entry.fuzzy:
            problems.append(f"fuzzy in en.po: {label}")
        elif not all(s.strip() for s in _forms(entry)):
            problems.append(f"not translated in en.po: {label}")
    assert not problems, f"{len(problems)} message(s) need English ({HOW_TO_FIX}):\n" + "\n".join(problems)


def test_translations_keep_placeholders_accelerators_and_line_breaks(english):
    problems = []
    for entry in english:
        if not entry.id:
            continue
        ids = _ids(entry)
        for index, text in enumerate(_forms(entry)):
            if not text:
                continue  # reported by the completeness test
            source = ids[min(index, len(ids) - 1)]
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {source!r} -> {text!r}")
            if len(ACCELERATOR.findall(text)) != len(ACCELERATOR.findall(source)):
                problems.append(f"'&' accelerators differ: {source!r} -> {text!r}")
            if text.count("\n") != source.count("\n"):
                problems.append(f"line breaks differ: {source!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_english_at_run_time():
    try:
        i18n.set_language("en")
        assert i18n.current_language() == "en"
        assert i18n._("Accueil") == "Reception"
        assert i18n._("Pointer l'arrivée") == "Check in"
        assert i18n._("Liste des présents") == "Evacuation list"
        assert i18n.ngettext("{n} page", "{n} pages", 1).format(n=1) == "1 page"
        assert i18n.ngettext("{n} page", "{n} pages", 3).format(n=3) == "3 pages"
        assert i18n.ngettext("{n} personne présente", "{n} personnes présentes", 1).format(n=1) \
            == "1 person present"
        assert i18n.ngettext("{n} personne présente", "{n} personnes présentes", 3).format(n=3) \
            == "3 people present"
        assert i18n.format_date(dt.date(2026, 3, 7)) == "7 March 2026"
        assert i18n.format_datetime(dt.datetime(2026, 3, 7, 13, 5, tzinfo=dt.UTC)) \
            == "7 March 2026 at 14:05"
        # A message without a translation would come back in French; an unknown one unchanged.
        assert i18n._("pas un message de l'application") == "pas un message de l'application"
    finally:
        i18n.set_language("fr")
    assert i18n._("Accueil") == "Accueil"


def test_french_formats():
    assert i18n.current_language() == "fr"
    assert i18n.format_money(123450) == "1\u202f234,50\u00a0€"
    assert i18n.format_date(dt.date(2026, 3, 7)) == "7 mars 2026"
    assert i18n.ngettext("{n} page", "{n} pages", 3).format(n=3) == "3 pages"
    assert i18n._("Accueil") == "Accueil"


def test_french_plural_takes_the_singular_for_zero_and_one():
    assert i18n.ngettext("{n} arrivée", "{n} arrivées", 0).format(n=0) == "0 arrivée"
    assert i18n.ngettext("{n} arrivée", "{n} arrivées", 1).format(n=1) == "1 arrivée"
    assert i18n.ngettext("{n} arrivée", "{n} arrivées", 2).format(n=2) == "2 arrivées"


def test_context_keeps_undo_apart_from_cancel():
    i18n.set_language("en")
    try:
        assert i18n.pgettext("défaire", "Annuler") == "Undo"
        assert i18n._("Annuler") == "Cancel"
    finally:
        i18n.set_language("fr")
