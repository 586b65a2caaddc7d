"""The house's settings stored in the database (shared by every desk): its identity today;
rates, retention and the rest as later areas need them."""

from __future__ import annotations

from dataclasses import fields, replace

from sqlalchemy import select

from maison_app.db.models import Setting
from maison_app.domain.errors import ValidationError
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.validation import check_email, check_length, check_required, check_siret
from maison_app.i18n import _
from maison_app.services.context import ServiceContext
from maison_app.domain.permissions import Access, Area
from maison_app.services.permissions import requires

_IDENTITY_PREFIX = "identity."
_TEXT_FIELDS = [f.name for f in fields(MaisonIdentity) if f.name != "logo"]
MAX_LOGO_BYTES = 2 * 1024 * 1024
IDLE_MINUTES_KEY = "security.idle_minutes"
DEFAULT_IDLE_MINUTES = 10.0


def read_number(ctx: ServiceContext, key: str, default: float) -> float:
    """A positive number stored in the settings, or `default` (absent, unreadable, <= 0)."""
    with ctx.reading() as s:
        row = s.get(Setting, key)
    try:
        value = float(row.value) if row is not None else default
    except ValueError:
        return default
    return value if value > 0 else default


def save_number(ctx: ServiceContext, key: str, value: float, *, minimum: float, maximum: float,
                field: str, message: str) -> float:
    """Check `value` against its bounds (ValidationError on `field` with `message`) and store it."""
    if not minimum <= value <= maximum:
        raise ValidationError(message, field=field)
    with ctx.writing() as s:
        SettingsService._put(s, key, value=f"{value:g}")
    return value


class SettingsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @requires(Area.SETTINGS, Access.READ)
    def identity(self) -> MaisonIdentity:
        with self.ctx.reading() as s:
            rows = {
                r.key: r
                for r in s.scalars(select(Setting).where(Setting.key.startswith(_IDENTITY_PREFIX)))
            }
        values = {
            name: rows[_IDENTITY_PREFIX + name].value
            for name in _TEXT_FIELDS
            if _IDENTITY_PREFIX + name in rows
        }
        logo_row = rows.get(_IDENTITY_PREFIX + "logo")
        return replace(MaisonIdentity(), **values, logo=logo_row.blob if logo_row else None)

    @requires(Area.SETTINGS, Access.WRITE)
    def save_identity(self, identity: MaisonIdentity) -> MaisonIdentity:
        """Validate and store the identity printed on every document."""
        cleaned = replace(
            identity,
            name=check_required(identity.name, field="name",
                                message=_("Le nom de la maison est obligatoire.")),
            siret=check_siret(identity.siret) or "",
            email=check_email(identity.email) or "",
            postcode=(identity.postcode or "").strip(),
        )
        if cleaned.postcode and not (cleaned.postcode.isdigit() and len(cleaned.postcode) == 5):
            raise ValidationError(_("Le code postal compte 5 chiffres."), field="postcode")
        for name in _TEXT_FIELDS:
            check_length(getattr(cleaned, name), field=name, maximum=300)
        if cleaned.logo is not None and len(cleaned.logo) > MAX_LOGO_BYTES:
            raise ValidationError(_("Le logo est trop lourd (2 Mo au plus)."), field="logo")
        with self.ctx.writing() as s:
            for name in _TEXT_FIELDS:
                self._put(s, _IDENTITY_PREFIX + name, value=str(getattr(cleaned, name) or ""))
            self._put(s, _IDENTITY_PREFIX + "logo", value="", blob=cleaned.logo)
        return cleaned

    @requires(Area.SETTINGS, Access.READ)
    def idle_minutes(self) -> float:
        """Minutes without a key press or a click before the session locks itself."""
        return read_number(self.ctx, IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES)

    @requires(Area.SETTINGS, Access.WRITE)
    def save_idle_minutes(self, *, minutes: float) -> float:
        return save_number(
            self.ctx, IDLE_MINUTES_KEY, minutes, minimum=1, maximum=240, field="idle_minutes",
            message=_("Le verrouillage automatique se règle entre 1 et 240 minutes."))

    @staticmethod
    def _put(s, key: str, *, value: str, blob: bytes | None = None) -> None:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=value, blob=blob))
        else:
            row.value = value
            row.blob = blob
