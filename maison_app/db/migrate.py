"""Applies the shipped Alembic migrations. Called by the app at every start."""

from __future__ import annotations

import logging
import re
from importlib import resources

from sqlalchemy import Engine, inspect

log = logging.getLogger(__name__)


def alembic_config(url: str | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("maison_app.db") / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision(?::[^=]+)?=\s*['\"]([^'\"]+)['\"]", re.M)


def head_revision() -> str:
    """The newest revision shipped, read from the version files without importing Alembic
    (a good part of a second at every start). tests/migrations checks it against Alembic's
    own answer."""
    revisions: set[str] = set()
    parents: set[str] = set()
    versions = resources.files("maison_app.db") / "migrations" / "versions"
    for entry in versions.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        text = entry.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        if found:
            revisions.add(found.group(1))
        parents.update(_DOWN.findall(text))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the database to `revision`; returns True when something was applied."""
    if revision == "head" and current_revision(engine) == head_revision():
        return False
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    log.info("database migrated to %s", revision)
    return True


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
