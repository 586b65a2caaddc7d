"""Backups of the SQLite database: taken while the app (and other programs) use it, kept
in rotation, and restored after an integrity check.

A backup is made with SQLite's online backup API from a connection of its own to the live
file: one step, inside one read transaction, so the copy is the database as it was at one
moment even while other desks or processes write (WAL mode: they are not blocked). The
copy is written to a temporary file, switched to a single-file journal, checked with
`PRAGMA integrity_check`, then renamed into place.

Backups live in `<data folder>/backups/` under names sortable by time, in UTC:
`maison-2026-11-26T13-05-00Z-demarrage.db` (stem of the database file, moment, reason).
Automatic ones (start-up, closing, daily) are rotated; manual ones and the safety copy
taken before a restore are kept.

PostgreSQL is backed up with pg_dump / pg_restore (see the README): the methods here
raise a MaisonError saying so.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from maison_app.db import audit, migrate
from maison_app.db.engine import SQLITE_BUSY_TIMEOUT_MS, create_db_engine
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _
from maison_app.services.context import Actor, Database, ServiceContext
from maison_app.services.permissions import requires
from maison_app.services.settings import read_number, save_number

log = logging.getLogger(__name__)

KEEP_ENV_VAR = "MAISON_BACKUP_KEEP"
DEFAULT_KEEP = 14

MANUAL = "manuel"
AT_START = "demarrage"
AT_CLOSE = "fermeture"
DAILY = "quotidienne"
BEFORE_RESTORE = "avant-restauration"
AUTOMATIC_REASONS = frozenset({AT_START, AT_CLOSE, DAILY})
SYSTEM_LOGIN = "sauvegarde-automatique"

SQLITE_HEADER = b"SQLite format 3\x00"
# tables every version of the schema has: a file without them is not one of ours, even if
# some other program's Alembic happened to use the same revision names
REQUIRED_TABLES = ("person", "visit", "setting")

_STAMP = "%Y-%m-%dT%H-%M-%S"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d)Z-(?P<reason>[a-z][a-z-]*)"
    r"(?:_(?P<n>\d+))?\.db$"
)
_REASON = re.compile(r"^[a-z][a-z-]*$")
_TIMEOUT_S = SQLITE_BUSY_TIMEOUT_MS / 1000


@dataclass(frozen=True, slots=True)
class BackupRecord:
    """One backup file."""

    path: Path
    taken_at: dt.datetime  # aware, UTC
    size: int  # bytes
    reason: str  # "manuel", "demarrage", "fermeture", "quotidienne", "avant-restauration"

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC_REASONS


@dataclass(frozen=True, slots=True)
class RestoreRecord:
    """What a restore did."""

    source: Path
    database: str  # the short name of the restored database (describe_url)
    safety_backup: BackupRecord | None  # the copy of the database as it was before
    restored_revision: str  # schema version found in the file
    revision: str  # schema version now (after migrating to head)


KEEP_SETTING = "backup.keep"


def keep_from_environment() -> int:
    """How many automatic backups to keep: MAISON_BACKUP_KEEP, else 14."""
    raw = os.environ.get(KEEP_ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_KEEP
    try:
        value = int(raw)
    except ValueError:
        log.warning("%s=%r is not a number: keeping %d backups", KEEP_ENV_VAR, raw, DEFAULT_KEEP)
        return DEFAULT_KEEP
    return max(1, value)


def default_folder() -> Path:
    from maison_app.services.local_config import data_dir

    return data_dir() / "backups"


def known_revisions() -> set[str]:
    """Every schema revision this version of the app ships."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _side_files(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _integrity_problem(conn: sqlite3.Connection) -> str | None:
    """None when `PRAGMA integrity_check` says ok, else its first complaint."""
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if rows == [("ok",)]:
        return None
    return "; ".join(str(r[0]) for r in rows[:3]) or "?"


class BackupService:
    """Backups of the database of `ctx` (SQLite only).

    `folder` defaults to `<data folder>/backups` (MAISON_DATA_DIR honoured), read when used."""

    def __init__(self, ctx: ServiceContext, *, folder: Path | None = None) -> None:
        self.ctx = ctx
        self._folder = Path(folder) if folder is not None else None

    @classmethod
    def for_url(cls, url: str, *, folder: Path | None = None) -> BackupService:
        """A service on `url` without opening nor migrating it (the command line: a
        damaged database can still be restored). It acts as the system (no role)."""
        return cls(ServiceContext(db=Database(create_db_engine(url), url)), folder=folder)

    @classmethod
    def automatic(cls, ctx: ServiceContext) -> BackupService:
        """The service the app's automatic backups use: the same database and clock, acting
        as the system whatever the role of the person logged in."""
        return cls(ServiceContext(db=ctx.db, actor=Actor(login=SYSTEM_LOGIN), clock=ctx.clock))

    # --- where --------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self._folder if self._folder is not None else default_folder()

    @property
    def supported(self) -> bool:
        """True for a SQLite file (the only kind this service backs up)."""
        try:
            parsed = make_url(self.ctx.db.url)
        except Exception:  # noqa: BLE001 - a malformed URL is simply not supported
            return False
        return parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")

    @requires(Area.BACKUPS, Access.READ)
    def database_path(self) -> Path:
        """The SQLite file; a MaisonError pointing to pg_dump for PostgreSQL."""
        parsed = make_url(self.ctx.db.url)
        if parsed.get_backend_name() != "sqlite":
            raise MaisonError(
                _("L'application ne sauvegarde elle-même que les bases SQLite. Pour la base "
                  "{where}, utilisez pg_dump (sauvegarde) et pg_restore (restauration) : la "
                  "marche à suivre est dans la section « Sauvegardes » du README.").format(
                    where=self.ctx.db.description)
            )
        if parsed.database in (None, "", ":memory:"):
            raise MaisonError(_("Une base en mémoire ne peut pas être sauvegardée."))
        return Path(parsed.database).resolve()

    # --- backup -------------------------------------------------------------------------

    @requires(Area.BACKUPS, Access.WRITE)
    def backup(self, *, destination: Path | None = None, reason: str = MANUAL,
               keep: int | None = None) -> BackupRecord:
        """Copy the live database, check the copy and keep it.

        `destination`: a file to write (never rotated; refused when it exists) or a folder
        to write a dated file into; by default the backups folder, where automatic backups
        beyond the `keep` most recent (MAISON_BACKUP_KEEP, else 14) are deleted."""
        if not _REASON.match(reason):
            raise ValueError(f"bad backup reason {reason!r}")
        source = self.database_path()
        if not source.is_file():
            raise MaisonError(
                _("La base « {path} » n'existe pas : il n'y a rien à sauvegarder.").format(
                    path=source)
            )
        now = self.ctx.now().astimezone(dt.UTC).replace(microsecond=0)
        in_folder = destination is None
        if destination is None:
            target = self._new_name(self.folder, source, now, reason)
        else:
            destination = Path(destination).expanduser()
            if destination.is_dir():
                target = self._new_name(destination, source, now, reason)
            elif destination.exists() or destination.with_name(destination.name + "-wal").exists():
                raise ValidationError(
                    _("Le fichier « {path} » existe déjà : choisissez un autre nom (rien n'a "
                      "été écrasé).").format(path=destination),
                    field="destination",
                )
            else:
                target = destination.resolve()
        self._copy(source, target)
        record = BackupRecord(path=target, taken_at=now, size=target.stat().st_size,
                              reason=reason)
        log.info("database %s backed up to %s (%s, %d bytes)", source, target, reason,
                 record.size)
        if in_folder and reason in AUTOMATIC_REASONS:
            self.rotate(keep=keep)
        return record

    def _new_name(self, folder: Path, source: Path, now: dt.datetime, reason: str) -> Path:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MaisonError(
                _("Impossible de créer le dossier des sauvegardes « {folder} » : {detail}").format(
                    folder=folder, detail=_first_line(exc))
            ) from exc
        base = f"{source.stem}-{now.strftime(_STAMP)}Z-{reason}"
        target = folder / f"{base}.db"
        n = 2
        while target.exists():
            target = folder / f"{base}_{n}.db"
            n += 1
        return target.resolve()

    def _copy(self, source: Path, target: Path) -> None:
        """source → a temporary file next to target (checked) → target."""
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partiel")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._snapshot(source, tmp)
            _fsync(tmp)
            os.replace(tmp, target)
        except OSError as exc:
            raise MaisonError(
                _("Impossible d'écrire la sauvegarde « {path} » : {detail}. Vérifiez la place "
                  "libre sur le disque et vos droits sur le dossier.").format(
                    path=target, detail=_first_line(exc))
            ) from exc
        finally:
            for leftover in (tmp, *_side_files(tmp)):
                leftover.unlink(missing_ok=True)

    def _snapshot(self, source: Path, tmp: Path) -> None:
        try:
            src = sqlite3.connect(source, timeout=_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise self._unreadable(exc) from exc
        try:
            dst = sqlite3.connect(tmp)
            try:
                try:
                    # one step (pages=-1): the whole file inside one read transaction
                    src.backup(dst, pages=-1)
                except sqlite3.Error as exc:
                    raise self._unreadable(exc) from exc
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                problem = _integrity_problem(dst)
                if problem is not None:
                    raise MaisonError(
                        _("La copie de la base est endommagée (contrôle d'intégrité : "
                          "{detail}) : elle n'a pas été gardée. La base elle-même est peut-être "
                          "abîmée : restaurez une sauvegarde récente.").format(detail=problem)
                    )
            finally:
                dst.close()
        finally:
            src.close()

    def _unreadable(self, exc: sqlite3.Error) -> MaisonError:
        return MaisonError(
            _("La base {where} n'a pas pu être lue pour la sauvegarde : {detail}").format(
                where=self.ctx.db.description, detail=_first_line(exc))
        )

    # --- the backups folder -------------------------------------------------------------

    @requires(Area.BACKUPS, Access.READ)
    def list_backups(self) -> tuple[BackupRecord, ...]:
        """The backups of this database in the backups folder, newest first."""
        source = self.database_path()
        folder = self.folder
        if not folder.is_dir():
            return ()
        found: list[tuple[tuple, BackupRecord]] = []
        for path in folder.glob("*.db"):
            match = _NAME.match(path.name)
            if match is None or match["stem"] != source.stem:
                continue
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted meanwhile
            taken = dt.datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=dt.UTC)
            record = BackupRecord(path=path.resolve(), taken_at=taken, size=stat.st_size,
                                  reason=match["reason"])
            found.append(((taken, int(match["n"] or 1), stat.st_mtime_ns), record))
        found.sort(key=lambda pair: pair[0], reverse=True)
        return tuple(record for _key, record in found)

    @requires(Area.BACKUPS, Access.READ)
    def keep_count(self) -> int:
        """How many automatic backups are kept: MAISON_BACKUP_KEEP when set (a desk's own
        override), else the setting `backup.keep`, else 14."""
        if os.environ.get(KEEP_ENV_VAR, "").strip():
            return keep_from_environment()
        try:
            return max(1, int(read_number(self.ctx, KEEP_SETTING, DEFAULT_KEEP)))
        except SQLAlchemyError:  # the database is unreadable: the default, not a failure
            return DEFAULT_KEEP

    @requires(Area.BACKUPS, Access.WRITE)
    def save_keep_count(self, *, count: int) -> int:
        return int(save_number(
            self.ctx, KEEP_SETTING, count, minimum=1, maximum=365, field="backup_keep",
            message=_("Le nombre de sauvegardes automatiques gardées se règle entre 1 et 365.")))

    @requires(Area.BACKUPS, Access.WRITE)
    def rotate(self, *, keep: int | None = None) -> tuple[Path, ...]:
        """Delete the automatic backups beyond the `keep` most recent; returns the deleted."""
        keep = max(1, keep if keep is not None else self.keep_count())
        automatic = [b for b in self.list_backups() if b.automatic]
        deleted = []
        for old in automatic[keep:]:
            try:
                old.path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.warning("could not delete the old backup %s: %s", old.path, exc)
                continue
            deleted.append(old.path)
        if deleted:
            log.info("backup rotation: %d deleted, %d kept", len(deleted), keep)
        return tuple(deleted)

    # --- restore ------------------------------------------------------------------------

    @requires(Area.BACKUPS, Access.WRITE)
    def check_backup(self, *, source: Path) -> str:
        """Check that `source` can be restored; returns its schema revision. Raises a
        ValidationError (French) for anything that is not a sound backup of this app."""
        source = Path(source).expanduser()
        staging = self._stage(source)
        try:
            return self._check_staged(staging, source)
        finally:
            self._discard(staging)

    @requires(Area.BACKUPS, Access.WRITE)
    def restore(self, *, source: Path) -> RestoreRecord:
        """Replace the database with the backup `source`, after checking it (SQLite file,
        integrity, a database of this app whose schema this version knows) and taking a
        safety backup of the current database; then migrate it to the current schema.
        Nothing is replaced when a check fails."""
        target = self.database_path()
        source = Path(source).expanduser()
        if source.exists() and target.exists() and source.resolve() == target:
            raise ValidationError(
                _("Ce fichier est la base en service elle-même : choisissez une sauvegarde."),
                field="source",
            )
        staging = self._stage(source)
        try:
            restored_revision = self._check_staged(staging, source)
            self._match_page_size(staging, target)
            safety = self._safety_backup(target)
            self.ctx.db.dispose()  # no pooled connection of ours on the old content
            self._write_into(staging, target)
        finally:
            self._discard(staging)
        self.ctx.db.dispose()
        migrate.upgrade(self.ctx.db.engine)
        revision = migrate.current_revision(self.ctx.db.engine) or restored_revision
        with self.ctx.writing() as s:  # the restored trail says it was restored, by whom
            audit.record(
                s, action="restore", entity="database",
                summary=f"restaurée depuis {source.name} (schéma {restored_revision})"
                        + (f"; copie de sécurité : {safety.path.name}" if safety else ""),
            )
        log.info("database %s restored from %s (schema %s -> %s); safety backup %s",
                 target, source, restored_revision, revision, safety.path if safety else None)
        return RestoreRecord(source=source.resolve(), database=self.ctx.db.description,
                             safety_backup=safety, restored_revision=restored_revision,
                             revision=revision)

    def _stage(self, source: Path) -> Path:
        """A private copy of `source` (and of its -wal, if any) to check and restore from:
        the user's file is never modified, and cannot change under our feet."""
        if not source.is_file():
            raise ValidationError(
                _("Le fichier « {path} » n'existe pas.").format(path=source), field="source")
        folder = self.folder
        staging = folder / f".restauration-{uuid.uuid4().hex[:12]}.db"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging)
            wal = source.with_name(source.name + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, staging.with_name(staging.name + "-wal"))
        except OSError as exc:
            self._discard(staging)
            raise MaisonError(
                _("Impossible de lire le fichier « {path} » : {detail}").format(
                    path=source, detail=_first_line(exc))
            ) from exc
        return staging

    @staticmethod
    def _discard(staging: Path) -> None:
        for path in (staging, *_side_files(staging),
                     staging.with_name(staging.name + "-journal")):
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("could not delete %s: %s", path, exc)

    def _check_staged(self, staging: Path, source: Path) -> str:
        name = source.name
        with staging.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise ValidationError(
                _("« {name} » n'est pas une base de données SQLite : rien n'a été "
                  "restauré.").format(name=name), field="source")
        try:
            conn = sqlite3.connect(staging)
        except sqlite3.Error as exc:
            raise self._damaged(name, _first_line(exc)) from exc
        try:
            try:
                problem = _integrity_problem(conn)
            except sqlite3.DatabaseError as exc:
                raise self._damaged(name, _first_line(exc)) from exc
            if problem is not None:
                raise self._damaged(name, problem)
            conn.execute("PRAGMA journal_mode=DELETE")  # fold a copied -wal in
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
        if revision is None or not set(REQUIRED_TABLES) <= tables:
            raise ValidationError(
                _("« {name} » est une base SQLite, mais pas une base de l'application "
                  "d'accueil : rien n'a été restauré.").format(name=name), field="source")
        if revision not in known_revisions():
            raise ValidationError(
                _("« {name} » vient d'une version plus récente de l'application (schéma "
                  "« {revision} », inconnu de celle-ci, dont le dernier est « {head} ») : "
                  "mettez l'application à jour avant de restaurer cette sauvegarde. Rien n'a "
                  "été restauré.").format(name=name, revision=revision,
                                           head=migrate.head_revision()),
                field="source")
        return revision

    @staticmethod
    def _damaged(name: str, detail: str) -> ValidationError:
        return ValidationError(
            _("« {name} » est endommagé (contrôle d'intégrité : {detail}) : rien n'a été "
              "restauré.").format(name=name, detail=detail), field="source")

    @staticmethod
    def _match_page_size(staging: Path, target: Path) -> None:
        """The backup API refuses to copy into a WAL database of another page size: give
        the staged copy the target's page size first."""
        if not target.is_file():
            return
        try:
            conn = sqlite3.connect(target, timeout=_TIMEOUT_S)
            try:
                page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            return  # a damaged target is replaced whole (see _write_into)
        conn = sqlite3.connect(staging)
        try:
            if conn.execute("PRAGMA page_size").fetchone()[0] != page_size:
                conn.execute(f"PRAGMA page_size={int(page_size)}")
                conn.execute("VACUUM")
        finally:
            conn.close()

    def _safety_backup(self, target: Path) -> BackupRecord | None:
        """A copy of the current database before it is replaced. A damaged database is
        copied as it is (byte for byte): the restore is what repairs it."""
        if not target.is_file() or target.stat().st_size == 0:
            return None
        try:
            return self.backup(reason=BEFORE_RESTORE)
        except MaisonError as exc:
            log.warning("safety backup by the backup API failed (%s): copying the file as it is",
                        exc.message)
        now = self.ctx.now().astimezone(dt.UTC).replace(microsecond=0)
        copy = self._new_name(self.folder, target, now, BEFORE_RESTORE)
        try:
            shutil.copyfile(target, copy)
            wal = target.with_name(target.name + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except OSError as exc:
            raise MaisonError(
                _("Impossible de mettre de côté la base actuelle avant la restauration "
                  "({detail}) : rien n'a été restauré.").format(detail=_first_line(exc))
            ) from exc
        return BackupRecord(path=copy, taken_at=now, size=copy.stat().st_size,
                            reason=BEFORE_RESTORE)

    def _write_into(self, staging: Path, target: Path) -> None:
        """Copy the checked backup into the live file with the backup API: other
        connections (and the -wal / -shm files) see it as one more transaction."""
        src = sqlite3.connect(staging)
        try:
            try:
                dst = sqlite3.connect(target, timeout=_TIMEOUT_S)
                try:
                    src.backup(dst, pages=-1)
                finally:
                    dst.close()
                return
            except sqlite3.DatabaseError as exc:
                code = getattr(exc, "sqlite_errorname", "")
                damaged = code in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or any(
                    word in str(exc).lower() for word in ("not a database", "malformed"))
                if not damaged:
                    raise MaisonError(
                        _("La base n'a pas pu être remplacée ({detail}). Fermez les autres "
                          "programmes qui l'utilisent, puis réessayez.").format(
                            detail=_first_line(exc))
                    ) from exc
                log.warning("the current database is damaged (%s): replaced whole", exc)
            # the live file is damaged: replace it and its side files
            for path in (target, *_side_files(target)):
                path.unlink(missing_ok=True)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst, pages=-1)
            finally:
                dst.close()
        finally:
            src.close()
