"""What belongs to this computer rather than to the shared database: which database to
open, the language, where the data and logs live. Stored as JSON in the user's config
folder."""

from __future__ import annotations

import json
import re
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import platformdirs

from maison_app import APP_NAME, DATABASE_ENV_VAR
from maison_app.domain.errors import ValidationError
from maison_app.i18n import _

log = logging.getLogger(__name__)

_AUTHOR = "MaisonESS"


def data_dir() -> Path:
    """The user's data folder (database, logs): MAISON_DATA_DIR overrides it."""
    override = os.environ.get("MAISON_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, _AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_path() -> Path:
    override = os.environ.get("MAISON_CONFIG_DIR")
    folder = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, _AUTHOR))
    return folder / "config.json"


def default_database_path() -> Path:
    return data_dir() / "maison.db"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class LocalConfig:
    database_url: str = ""  # empty: the default SQLite file
    language: str = "fr"

    @classmethod
    def load(cls) -> LocalConfig:
        path = config_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("unreadable configuration %s: %s", path, exc)
            return cls()
        known = {k: str(v) for k, v in data.items() if k in cls.__dataclass_fields__}
        return replace(cls(), **known)

    def save(self) -> Path:
        path = config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        return path


_PG_URL = re.compile(r"^postgresql\+psycopg://(?:[^@/]*@)?[^@/]+/[^/?#]+(?:\?.*)?$")


def check_database_url(text: str) -> str:
    """The URL to store for `text` ("" for the default SQLite file), normalised; a
    ValidationError on the field "database_url" when it is clearly malformed."""
    from maison_app.db.engine import normalise_url  # SQLAlchemy: not before the first paint

    text = (text or "").strip()
    if not text:
        return ""
    url = normalise_url(text)
    scheme, _sep, rest = url.partition("://")
    if scheme.split("+")[0] == "sqlite":
        path = rest[1:] if rest.startswith("/") else ""
        if not path or path.endswith("/") or path == ":memory:":
            raise ValidationError(
                _("Indiquez le chemin d'un fichier SQLite, par exemple "
                  "sqlite:///C:/Maison/maison.db."),
                field="database_url",
            )
        if Path(path).is_dir():
            raise ValidationError(
                _("Ce chemin est un dossier : indiquez un fichier (par exemple maison.db)."),
                field="database_url",
            )
        return url
    if scheme.split("+")[0] == "postgresql":
        if not _PG_URL.match(url):
            raise ValidationError(
                _("Adresse PostgreSQL incomplète. Forme attendue : "
                  "postgresql+psycopg://utilisateur@serveur/base."),
                field="database_url",
            )
        return url
    raise ValidationError(
        _("Seules les bases SQLite (un fichier) et PostgreSQL sont prises en charge."),
        field="database_url",
    )
