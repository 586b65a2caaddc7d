"""Composition root: command line, local configuration, language, database (migrated),
services, QApplication and the main window. The only module that knows every layer."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence

_T0 = time.perf_counter()
log = logging.getLogger("maison_app")


def open_services(database_url: str | None, *, config=None):
    """Resolve the database URL, open and migrate it, and build the services."""
    from maison_app.db.engine import resolve_url
    from maison_app.services.context import Database
    from maison_app.services.local_config import LocalConfig, default_database_path
    from maison_app.services.registry import Services

    config = config or LocalConfig.load()
    url = resolve_url(database_url, config.database_url, default_database_path())
    return Services.build(Database.open(url))


def main(argv: Sequence[str] | None = None) -> int:
    from maison_app import i18n
    from maison_app.cli import build_parser
    from maison_app.services.local_config import LocalConfig

    args = build_parser().parse_args(argv)
    config = LocalConfig.load()
    i18n.set_language(args.lang or config.language)
    database_url = getattr(args, "database", None)

    if args.command == "demo":
        return _run_demo(args, database_url)
    if args.command == "screenshots":
        return _run_screenshots(args, database_url)
    if args.command in ("backup", "restore"):
        return _run_backup(args, database_url, config)
    if args.command == "purge":
        return _run_purge(database_url)
    if args.command in ("import", "export"):
        from maison_app.cli import run_members_io

        return run_members_io(args, database_url, open_services)
    return run_gui(database_url, config)


def _run_demo(args, database_url: str | None) -> int:
    """Fill a demo database. Without --database (nor MAISON_DATABASE_URL) it is a file of
    its own, demo.db in the data folder, so demo people never mix with the real ones."""
    from maison_app.db.engine import ENV_VAR, sqlite_url
    from maison_app.domain.errors import Conflict, MaisonError
    from maison_app.i18n import _
    from maison_app.services import demo
    from maison_app.services.local_config import data_dir

    if database_url is None and not os.environ.get(ENV_VAR):
        database_url = sqlite_url(data_dir() / "demo.db")
    try:
        services = open_services(database_url)
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        started = time.perf_counter()
        summary = demo.fill(
            services.ctx, people=args.people, visit_days=args.visits_days, seed=args.seed,
            visits_per_day=args.visits_per_day,
        )
    except Conflict as exc:
        if not args.start:
            print(exc.message, file=sys.stderr)
            return 2
        print(_("La base de démonstration est déjà remplie ({where}) : démarrage.").format(
            where=services.database_description))
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    else:
        print(_("Base de démonstration prête ({where}) : {summary} en {s:.1f} s.").format(
            where=services.database_description, summary=summary,
            s=time.perf_counter() - started))
    services.ctx.db.dispose()
    if args.start:
        return run_gui(services.ctx.db.url, None)
    return 0


def _run_purge(database_url: str | None) -> int:
    from maison_app.domain.errors import MaisonError
    from maison_app.i18n import format_date, ngettext

    try:
        services = open_services(database_url)
        report = services.retention.purge()
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    n = report.visits_anonymised
    print(ngettext("{n} passage antérieur au {date} anonymisé.",
                   "{n} passages antérieurs au {date} anonymisés.", n).format(
        n=n, date=format_date(report.visits_before)))
    c = report.contacts_anonymised
    d = report.lists_deleted
    print(ngettext("{n} liste des présents archivée supprimée (même durée que les passages).",
                   "{n} listes des présents archivées supprimées (même durée que les passages).",
                   d).format(n=d))
    print(ngettext("{n} contact sans activité depuis le {date} anonymisé.",
                   "{n} contacts sans activité depuis le {date} anonymisés.", c).format(
        n=c, date=format_date(report.contacts_before)))
    services.ctx.db.dispose()
    return 0


def _run_screenshots(args, database_url: str | None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from maison_app.domain.errors import MaisonError
    from maison_app.views.screenshots import render_all

    try:
        services = open_services(database_url)
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    for path in render_all(services, args.directory):
        print(path)
    return 0


def _run_backup(args, database_url: str | None, config) -> int:
    """`backup [FILE]` and `restore FILE`: no question asked; what was done on stdout, a
    refusal on stderr with exit code 2. The database is not opened (nor migrated) first,
    so that a damaged one can still be restored."""
    from pathlib import Path

    from maison_app.db.engine import resolve_url
    from maison_app.domain.errors import MaisonError
    from maison_app.i18n import _
    from maison_app.services.backup import BackupService
    from maison_app.services.local_config import default_database_path

    url = resolve_url(database_url, config.database_url, default_database_path())
    try:
        service = BackupService.for_url(url)
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        if args.command == "backup":
            record = service.backup(destination=Path(args.file) if args.file else None)
            print(record.path)
            return 0
        done = service.restore(source=Path(args.file))
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        service.ctx.db.dispose()
    if done.safety_backup is not None:
        print(_("Base actuelle mise de côté : {path}").format(path=done.safety_backup.path))
    print(_("Base {where} restaurée depuis {source} (schéma {revision}).").format(
        where=done.database, source=done.source, revision=done.restored_revision))
    if done.revision != done.restored_revision:
        print(_("Schéma mis à jour : {before} → {after}.").format(
            before=done.restored_revision, after=done.revision))
    return 0


def run_gui(database_url: str | None, config) -> int:
    from maison_app.ui.application import run
    from maison_app.views import built_areas

    return run(opener=open_services, areas=built_areas, database_url=database_url, config=config, started_at=_T0)
