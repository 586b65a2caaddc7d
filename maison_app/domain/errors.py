"""Errors a service may raise. Each carries a French sentence a receptionist understands.

Any other exception reaching the user interface is a bug (logged, crash dialog).
"""

from __future__ import annotations


class MaisonError(Exception):
    """Base of the errors meant for the user: `message` is already translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(MaisonError):
    """Bad input; `field` names the form field the message belongs next to."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(MaisonError):
    """The change clashes with the current state (already checked in, double booking…)."""

    def __init__(self, message: str, *, existing_id: int | None = None) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class LikelyDuplicate(MaisonError):
    """The record being saved looks like one (or more) already known: same normalised name
    and e-mail, or same SIRET. The form asks whether to create it anyway."""

    def __init__(self, message: str, *, candidates: tuple[int, ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


class NotFound(MaisonError):
    """The record asked for does not exist (any more)."""


class PermissionDenied(MaisonError):
    """The current user's role may not do this."""


class DatabaseUnavailable(MaisonError):
    """The database cannot be opened: wrong URL, server down, locked or unreadable file."""
