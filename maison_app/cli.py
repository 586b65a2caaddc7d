"""Command line: the GUI by default, and the non-GUI commands.

    maison-app [--database URL]                   start the app
    maison-app demo [--people N] [--database URL] fill a database with demo data
    maison-app screenshots DIR [--database URL]   render every screen to PNG files
    maison-app backup [FILE] [--database URL]     back the SQLite database up
    maison-app restore FILE [--database URL]      restore a backup (checked first)
    maison-app purge [--database URL]             apply the retention rules now
"""

from __future__ import annotations

import argparse

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
    return parser
