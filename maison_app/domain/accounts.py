"""Accounts: the record of a user and the password rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from maison_app.domain.enums import Role
from maison_app.domain.errors import ValidationError
from maison_app.i18n import _

MIN_PASSWORD_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5  # then a pause
LOCKOUT_SECONDS = 60


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    login: str
    display_name: str
    role: Role
    active: bool
    last_login_at: dt.datetime | None

    @property
    def name(self) -> str:
        return self.display_name or self.login


def check_password_rules(password: str, *, field: str = "password") -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _("Le mot de passe doit compter au moins {n} caractères.").format(
                n=MIN_PASSWORD_LENGTH), field=field)
    return password


def check_login(login: str, *, field: str = "login") -> str:
    text = (login or "").strip().lower()
    if not text:
        raise ValidationError(_("Indiquez l'identifiant."), field=field)
    if len(text) > 60 or not all(c.isalnum() or c in "._-" for c in text):
        raise ValidationError(
            _("L'identifiant ne peut contenir que des lettres, des chiffres, « . », « _ » et "
              "« - » (60 caractères au plus)."), field=field)
    return text


def check_confirmation(password: str, confirmation: str, *, field: str = "confirmation") -> None:
    """A new password is typed twice: the two must be the same."""
    if password != confirmation:
        raise ValidationError(_("Les deux mots de passe ne sont pas identiques."), field=field)
