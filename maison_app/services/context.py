"""The database handle and the context every service shares (who acts, what time it is)."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from maison_app.db import audit, migrate
from maison_app.db.engine import create_db_engine, describe_url, make_session_factories
from maison_app.domain.enums import Role
from maison_app.domain.errors import DatabaseUnavailable
from maison_app.i18n import _


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is using the app: a logged-in user with a role, or the system itself
    (role None: the command line and start-up work, which may do anything)."""

    login: str
    role: Role | None = None
    user_id: int | None = None

    @classmethod
    def from_os(cls) -> Actor:
        try:
            return cls(login=getpass.getuser())
        except Exception:  # noqa: BLE001 - no user name on some systems
            return cls(login="accueil")


class Database:
    """An opened, migrated database: the engine and its read/write units of work."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.description = describe_url(url)
        self._reader, self._writer = make_session_factories(engine)
        audit.install(self._writer)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str, *, migrate_schema: bool = True) -> Database:
        """Open `url`, check it answers, and apply the migrations.

        Raises DatabaseUnavailable with a French message saying what to do."""
        engine = create_db_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            if migrate_schema:
                migrate.upgrade(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            raise DatabaseUnavailable(explain_connection_error(url, exc)) from exc
        return cls(engine, url)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def explain_connection_error(url: str, exc: Exception) -> str:
    """A French sentence for a database that cannot be opened."""
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    where = describe_url(url)
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        advice = _("Le fichier est verrouillé par un autre programme. Fermez l'autre "
                   "application qui l'utilise, puis réessayez.")
    elif "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
        advice = _("Le fichier ne peut pas être ouvert ou écrit. Vérifiez que le dossier "
                   "existe et que vous avez le droit d'y écrire.")
    elif "not a database" in lowered or "malformed" in lowered:
        advice = _("Ce fichier n'est pas une base de données de l'application ou il est "
                   "endommagé. Choisissez un autre fichier ou restaurez une sauvegarde.")
    elif "password" in lowered or "authentication" in lowered:
        advice = _("Le serveur refuse l'identifiant ou le mot de passe. Vérifiez-les dans "
                   "l'adresse de la base de données.")
    elif "does not exist" in lowered:
        advice = _("La base n'existe pas sur le serveur. Demandez à l'administrateur de la créer.")
    elif url.startswith("sqlite"):
        advice = _("Le fichier ne peut pas être ouvert. Vérifiez son emplacement et vos droits "
                   "sur le dossier, ou choisissez une autre base dans les paramètres.")
    else:
        advice = _("Le serveur ne répond pas. Vérifiez qu'il est démarré, que l'adresse est "
                   "correcte et que le réseau fonctionne, puis réessayez.")
    return _("Impossible d'ouvrir la base de données ({where}). {advice}\n\nDétail technique : {detail}").format(
        where=where, advice=advice, detail=detail
    )


@dataclass
class ServiceContext:
    """What every service receives: the database, who acts, and the clock."""

    db: Database
    actor: Actor = field(default_factory=Actor.from_os)
    clock: Callable[[], dt.datetime] = utcnow

    def now(self) -> dt.datetime:
        return self.clock()

    def reading(self):
        """A unit of work that only reads."""
        return self.db.reading()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A unit of work that writes; every change it makes goes to the audit trail under
        this context's actor (db/audit.py)."""
        with self.db.writing() as s:
            s.info[audit.ACTOR_KEY] = self.actor.login
            s.info[audit.CLOCK_KEY] = self.clock
            yield s
