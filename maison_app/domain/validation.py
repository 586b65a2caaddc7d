"""Validation rules of identifiers and contact data, shared by every form."""

from __future__ import annotations

import re

from maison_app.domain.errors import ValidationError
from maison_app.i18n import _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def clean_siret(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def siret_is_valid(value: str) -> bool:
    """14 digits with a valid Luhn key; La Poste's establishments (SIREN 356 000 000)
    use instead a sum of digits that is a multiple of 5."""
    siret = clean_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00048":
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_ok(siret)


def check_siret(value: str | None, *, field: str = "siret") -> str | None:
    if not value or not value.strip():
        return None
    siret = clean_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValidationError(_("Le SIRET doit compter 14 chiffres."), field=field)
    if not siret_is_valid(siret):
        raise ValidationError(
            _("Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez les chiffres."),
            field=field,
        )
    return siret


def check_email(value: str | None, *, field: str = "email") -> str | None:
    if not value or not value.strip():
        return None
    email = value.strip()
    if not _EMAIL.match(email):
        raise ValidationError(
            _("Cette adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr)."),
            field=field,
        )
    return email


def check_required(value: str | None, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(message, field=field)
    return text


def check_length(value: str | None, *, field: str, maximum: int) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if len(text) > maximum:
        raise ValidationError(
            _("Ce champ est trop long ({n} caractères au plus).").format(n=maximum), field=field
        )
    return text or None
