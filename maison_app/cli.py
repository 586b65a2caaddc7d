"""Command line: the GUI by default, and the non-GUI commands.

    maison-app [--database URL]                   start the app
    maison-app demo [--people N] [--database URL] fill a database with demo data
    maison-app screenshots DIR [--database URL]   render every screen to PNG files
    maison-app backup [FILE] [--database URL]     back the SQLite database up
    maison-app restore FILE [--database URL]      restore a backup (checked first)
    maison-app purge [--database URL]             apply the retention rules now
    maison-app import members FILE [--dry-run]    import people and organisations (CSV, XLSX)
    maison-app export members FILE [--kind K]     export the members list (CSV, XLSX)
    maison-app export renewals FILE [--year Y]    export the members to remind (CSV, XLSX)
"""

from __future__ import annotations

import argparse
import sys

from maison_app import __version__
from maison_app.i18n import _


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database", metavar="URL", default=argparse.SUPPRESS,
        help=_("base de données : sqlite:///chemin/maison.db ou "
               "postgresql+psycopg://utilisateur@serveur/base (sinon MAISON_DATABASE_URL, "
               "puis les paramètres, puis le fichier par défaut)"),
    )
    parser = argparse.ArgumentParser(
        prog="maison-app", parents=[common],
        description=_("Accueil de la Maison de l'ESS de Niort."),
    )
    parser.add_argument("--version", action="version", version=f"maison-app {__version__}")
    parser.add_argument("--lang", choices=["fr", "en"], default=None,
                        help=_("langue de l'interface (sinon celle des paramètres)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")

    demo = sub.add_parser("demo", parents=[common],
                          help=_("remplit une base avec des données de démonstration"))
    demo.add_argument("--people", type=int, default=300, metavar="N",
                      help=_("nombre de personnes fictives (300 par défaut)"))
    demo.add_argument("--visits-days", type=int, default=60, metavar="J",
                      help=_("jours de passages passés à générer (60 par défaut)"))
    demo.add_argument("--visits-per-day", type=int, default=None, metavar="N",
                      help=_("passages par jour ouvré passé (par défaut, environ 2,5 par "
                             "personne sur la période ; 24000 sur 60 jours : un million)"))
    demo.add_argument("--seed", type=int, default=2026, help=_("graine du hasard"))
    demo.add_argument("--start", action="store_true",
                      help=_("démarre l'application sur la base une fois remplie"))

    shots = sub.add_parser("screenshots", parents=[common],
                           help=_("enregistre une image PNG de chaque écran"))
    shots.add_argument("directory", metavar="DOSSIER")

    backup = sub.add_parser(
        "backup", parents=[common],
        help=_("sauvegarde la base SQLite (dans le dossier des sauvegardes, ou dans FICHIER)"))
    backup.add_argument("file", metavar="FICHIER", nargs="?", default=None,
                        help=_("fichier (ou dossier) où écrire la sauvegarde ; par défaut le "
                               "dossier « backups » des données de l'application"))

    restore = sub.add_parser(
        "restore", parents=[common],
        help=_("remplace la base SQLite par une sauvegarde, après l'avoir vérifiée et avoir "
               "mis la base actuelle de côté"))
    restore.add_argument("file", metavar="FICHIER", help=_("la sauvegarde à restaurer"))

    sub.add_parser("purge", parents=[common],
                   help=_("applique les durées de conservation (les passages de plus de trois "
                          "mois sont anonymisés) ; fait aussi à chaque démarrage"))

    importing = sub.add_parser("import", parents=[common],
                               help=_("importe des données d'un fichier CSV ou XLSX"))
    what = importing.add_subparsers(dest="what", metavar="QUOI", required=True)
    members = what.add_parser(
        "members", parents=[common],
        help=_("personnes et structures (adhérents) : tout ou rien, sans créer de doublon"),
        description=_("Importe les personnes et les structures d'un fichier CSV (séparateur "
                      "« ; » ou « , », UTF-8 ou Windows-1252) ou XLSX. Chaque ligne est "
                      "vérifiée comme dans les formulaires ; si une seule est en erreur, rien "
                      "n'est importé et chaque erreur est indiquée avec son numéro de ligne."))
    members.add_argument("file", metavar="FICHIER")
    members.add_argument("--dry-run", action="store_true",
                         help=_("vérifie le fichier et montre ce qui serait fait, sans rien "
                                "écrire"))

    exporting = sub.add_parser("export", parents=[common],
                               help=_("exporte une liste dans un fichier CSV ou XLSX"))
    what = exporting.add_subparsers(dest="what", metavar="QUOI", required=True)
    members = what.add_parser(
        "members", parents=[common],
        help=_("la liste des personnes ou des structures (CSV pour Excel, ou XLSX selon "
               "l'extension du fichier)"))
    members.add_argument("file", metavar="FICHIER")
    members.add_argument("--kind", choices=["person", "organisation"], default="person",
                         help=_("person : les personnes (par défaut) ; organisation : les "
                                "structures"))
    members.add_argument("--year", type=int, default=None, metavar="ANNÉE",
                         help=_("année du collège et du statut d'adhésion (par défaut, "
                                "l'année en cours)"))
    renewals = what.add_parser(
        "renewals", parents=[common],
        help=_("les adhérents à relancer pour une année, pour un publipostage"))
    renewals.add_argument("file", metavar="FICHIER")
    renewals.add_argument("--year", type=int, default=None, metavar="ANNÉE",
                          help=_("l'année des cotisations (par défaut, l'année en cours)"))
    return parser


# --- import and export of members ----------------------------------------------------------------


def run_members_io(args, database_url: str | None, open_services) -> int:
    """`import members` and `export members|renewals`. A file refused, a database that
    cannot be opened: the reason on stderr, exit code 2. Lines in error: each one on
    stderr with its line number, nothing written, exit code 1."""
    from pathlib import Path

    from maison_app.domain.errors import MaisonError

    try:
        services = open_services(database_url)
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        if args.command == "import":
            return _import_members(services, Path(args.file), dry_run=args.dry_run)
        if args.what == "renewals":
            return _export_renewals(services, Path(args.file), args.year)
        return _export_members(services, Path(args.file), args.kind, args.year)
    except MaisonError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        services.ctx.db.dispose()


def _import_members(services, path, *, dry_run: bool) -> int:
    from maison_app.domain.spreadsheet import RowAction
    from maison_app.i18n import ngettext

    preview = services.member_io.preview(path=path)
    print(_("Fichier « {name} » : {how}.").format(name=preview.file_name,
                                                 how=preview.describe_file()))
    print(_("Colonnes : {mapping}").format(mapping=preview.mapping_text()))
    for note in preview.file_notes:
        print(note)
    print(preview.summary() + ".")
    errors = preview.error_rows
    if errors:
        for row in errors:
            for message in row.errors:
                print(_("Ligne {line} ({name}) : {message}").format(
                    line=row.line, name=row.name or "—", message=message), file=sys.stderr)
        print(ngettext(
            "Rien n'a été importé : {n} ligne est en erreur. Corrigez-la dans le fichier (ou "
            "supprimez-la), puis relancez la commande ; les autres lignes sont prêtes.",
            "Rien n'a été importé : {n} lignes sont en erreur. Corrigez-les dans le fichier "
            "(ou supprimez-les), puis relancez la commande ; les autres lignes sont prêtes.",
            len(errors)).format(n=len(errors)), file=sys.stderr)
        return 1
    if dry_run:
        for row in preview.rows:
            if row.action in (RowAction.CREATE, RowAction.UPDATE, RowAction.SKIP):
                print(_("Ligne {line} — {action} — {name} : {what}").format(
                    line=row.line, action=row.action.label, name=row.name,
                    what=row.message))
        print(ngettext("Essai (--dry-run) : rien n'a été écrit. Sans --dry-run, {n} ligne "
                       "sera importée.",
                       "Essai (--dry-run) : rien n'a été écrit. Sans --dry-run, {n} lignes "
                       "seront importées.", preview.to_write).format(n=preview.to_write))
        return 0
    report = services.member_io.apply(preview=preview)
    print(report.summary())
    return 0


def _export_members(services, path, kind: str, year: int | None) -> int:
    from maison_app.domain.enums import MemberKind
    from maison_app.domain.members import MemberFilter
    from maison_app.i18n import ngettext

    n = services.member_io.export(filter=MemberFilter(kind=MemberKind(kind), year=year),
                                  path=path)
    print(ngettext("{n} ligne écrite dans {path}.", "{n} lignes écrites dans {path}.",
                   n).format(n=n, path=path))
    return 0


def _export_renewals(services, path, year: int | None) -> int:
    from maison_app.i18n import ngettext

    year = year or services.memberships.this_year()
    n = services.member_io.export_renewals(year=year, path=path)
    print(ngettext("{n} adhérent à relancer pour {year}, écrit dans {path}.",
                   "{n} adhérents à relancer pour {year}, écrits dans {path}.", n).format(
        n=n, year=year, path=path))
    return 0
