"""Text rules shared by every area: the accent-free search key, name display."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The reception search starts at two letters: one letter would list half the house.
MIN_QUERY_LENGTH = 2

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_SPACES = re.compile(r"\s+")


def search_key(*parts: str | None) -> str:
    """Lower-case, accent-free, single-spaced text used for searching.

    "Hélène Lefèvre" → "helene lefevre"; "Cœur" → "coeur". SQLite's lower() and LIKE
    only fold ASCII, so every searchable column stores this key beside the real text.
    """
    return " ".join(key for key in map(_folded, filter(None, parts)) if key)


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    """One part of a search key (names repeat a lot: a bulk fill folds each once)."""
    if text.isascii():
        return _SPACES.sub(" ", text.lower()).strip()
    text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.casefold()).strip()


def search_terms(query: str) -> list[str]:
    """The words of a typed query, each normalised like `search_key`."""
    return [t for t in search_key(query).split(" ") if t]


def full_name(first_name: str | None, last_name: str | None) -> str:
    """"Hélène LEFÈVRE" style is for lists of papers; on screen we keep "Hélène Lefèvre"."""
    return " ".join(p for p in (first_name or "", last_name or "") if p).strip()


def escape_like(term: str, escape: str = "\\") -> str:
    """Escape LIKE wildcards so that "50%" searches for "50%"."""
    return (
        term.replace(escape, escape + escape).replace("%", escape + "%").replace("_", escape + "_")
    )
