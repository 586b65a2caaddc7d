"""What belongs to this computer rather than to the shared database: which database to
open, the language, where the data and logs live. Stored as JSON in the user's config
folder."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import platformdirs

from maison_app import APP_NAME

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
