"""Translations and French formatting. A leaf module: anyone may import it.

Source strings are French (the msgid); `resources/translations/<lang>.po` holds the other
languages (English today). Catalogs are compiled in memory from the shipped .po files, so
nothing needs a build step. Dates, numbers and money are formatted by babel for the current
locale, and times are shown in Europe/Paris whatever the machine's zone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext as _gettext
    from decimal import Decimal
    from zoneinfo import ZoneInfo

# Imports here are kept to the minimum: this module is loaded before the first window
# paints. gettext, zoneinfo, babel and importlib.resources are imported when first used.

LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"

_translations: _gettext.NullTranslations | None = None  # None: French, the msgids
_language = DEFAULT_LANGUAGE
_babel_locale = "fr_FR"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


def __getattr__(name: str):
    if name == "PARIS":  # Europe/Paris, loaded on first use
        return paris()
    raise AttributeError(name)


_paris: ZoneInfo | None = None


def paris() -> ZoneInfo:
    global _paris
    if _paris is None:
        from zoneinfo import ZoneInfo

        _paris = ZoneInfo("Europe/Paris")
    return _paris


def _(message: str) -> str:
    return message if _translations is None else _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _translations is None:  # French: the msgids themselves
        # French takes the singular for 0 and 1 ("0 arrivée", "1 arrivée", "2 arrivées").
        return singular if abs(n) < 2 else plural
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on where it is used ("Annuler": Cancel / Undo)."""
    return message if _translations is None else _translations.pgettext(context, message)


def current_language() -> str:
    return _language


def babel_locale() -> str:
    return _babel_locale


def load_catalog(language: str) -> _gettext.NullTranslations | None:
    """The gettext translations of `language`, compiled from the shipped .po file (None for
    French: the msgids are French)."""
    if language == DEFAULT_LANGUAGE:
        return None
    import gettext as _gettext
    import io
    from importlib import resources

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = resources.files("maison_app").joinpath("resources", "translations", f"{language}.po")
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def set_language(language: str) -> None:
    """Switch the language of messages and formats ("fr" or "en")."""
    global _translations, _language, _babel_locale
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _translations = load_catalog(language)
    _language = language
    _babel_locale = "fr_FR" if language == "fr" else "en_GB"


# --- formatting -----------------------------------------------------------------------------


def to_paris(moment: dt.datetime) -> dt.datetime:
    """A stored (UTC, or naive UTC from SQLite) datetime as Paris wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(paris())


def format_date(value: dt.date | dt.datetime, fmt: str = "long") -> str:
    """"7 mars 2026" (long), "07/03/2026" (short)."""
    from babel.dates import format_date as _fd

    if isinstance(value, dt.datetime):
        value = to_paris(value).date()
    return _fd(value, format=fmt, locale=_babel_locale)


def format_time(value: dt.datetime) -> str:
    """"14:05" in Paris time."""
    return to_paris(value).strftime("%H:%M")


def format_datetime(value: dt.datetime) -> str:
    """"7 mars 2026 à 14:05" in Paris time."""
    local = to_paris(value)
    return _("{date} à {time}").format(date=format_date(local.date()), time=local.strftime("%H:%M"))


def format_money(cents: int) -> str:
    """Integer cents as "1 234,50 €" (with babel's narrow no-break spaces)."""
    from decimal import Decimal

    from babel.numbers import format_currency

    return format_currency(Decimal(cents) / 100, "EUR", locale=_babel_locale)


def format_number(value: int | float | Decimal) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale)
