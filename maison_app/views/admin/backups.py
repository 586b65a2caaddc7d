"""The backups tab of the Administration screen.

SQLite: where the backups are, the list of this database's backups, a backup now, and a
restore (of the chosen backup or of a file) after the file is checked and the person has
confirmed; the app then closes, to be started again on the restored database.
PostgreSQL: the app does not back the server up itself; the tab gives the pg_dump /
pg_restore procedure (the README's), with this database's address filled in."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.errors import MaisonError
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import N_, _, format_datetime, format_number, to_paris
from maison_app.services.backup import (
    BackupRecord,
    RestoreRecord,
    keep_from_environment,
)
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import Column, RecordTableModel, record_table

REASON_LABELS = {
    "demarrage": N_("Démarrage"),
    "quotidienne": N_("Quotidienne"),
    "fermeture": N_("Fermeture"),
    "manuel": N_("Manuelle"),
    "avant-restauration": N_("Avant restauration"),
}

OK_STYLE = "color: #1e6b3a;"
BUSY_STYLE = "color: #444;"


def reason_label(reason: str) -> str:
    label = REASON_LABELS.get(reason)
    return _(label) if label else reason


def format_size(size: int) -> str:
    """Bytes as "850 Ko" or "12,4 Mo" (French decimal comma)."""
    kib = size / 1024
    if kib < 1000:
        return _("{n} Ko").format(n=format_number(max(1, round(kib))))
    return _("{n} Mo").format(n=format_number(round(kib / 1024, 1)))


# --- what tests replace --------------------------------------------------------------------


def _ask_backup_file(parent: QWidget, start: str) -> str:
    """The backup file the person picks ("" if cancelled). Tests replace it."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Choisir la sauvegarde à restaurer"), start,
        _("Sauvegardes SQLite (*.db *.sqlite *.sqlite3);;Tous les fichiers (*)"),
    )
    return path


def _quit_application() -> None:
    """Close the app after a restore (the composition root then closes the window and
    the database). Tests replace it."""
    QApplication.quit()


def _open_folder(path: Path) -> bool:
    """Show `path` in the file manager. Tests replace it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_names(url: str) -> dict[str, str]:
    """Host, port, account and database of a PostgreSQL URL, and the URL for the client
    programs (libpq: no "+psycopg", never the password)."""
    names = {"host": "serveur", "port": "", "user": "accueil", "database": "maison"}
    try:
        parts = urlsplit(url)
        names["host"] = parts.hostname or "localhost"
        names["port"] = str(parts.port) if parts.port else ""
        names["user"] = parts.username or names["user"]
        names["database"] = parts.path.lstrip("/") or names["database"]
        query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() != "password"]
    except ValueError:
        query = []
    names["query"] = ("?" + urlencode(query)) if query else ""
    return names


def _pg_url(names: dict[str, str], database: str) -> str:
    port = f":{names['port']}" if names["port"] else ""
    return f"postgresql://{names['user']}@{names['host']}{port}/{database}{names['query']}"


def postgres_procedure(url: str, today: dt.date) -> str:
    """The README's pg_dump / pg_restore procedure for the database at `url`, as HTML."""
    n = _pg_names(url)
    db, user = n["database"], n["user"]
    server = f"-h {n['host']}" + (f" -p {n['port']}" if n["port"] else "")
    dump = f"{db}-{today.isoformat()}.dump"
    restored, before = f"{db}_restauree", f"{db}_avant_restauration"
    commands = {
        "dump": f'pg_dump --format=custom --file={dump} "{_pg_url(n, db)}"',
        "createdb": f"createdb {server} -U postgres -O {user} {restored}",
        "restore": (f'pg_restore --no-owner --exit-on-error '
                    f'--dbname="{_pg_url(n, restored)}" {dump}'),
        "swap": (f'psql {server} -U postgres -c "ALTER DATABASE {db} RENAME TO {before}" '
                 f'-c "ALTER DATABASE {restored} RENAME TO {db}"'),
        "drop": f"dropdb {server} -U postgres {before}",
    }

    def p(text: str) -> str:
        return f"<p>{html.escape(text)}</p>"

    def cmd(key: str) -> str:  # wrapped on screen, one line when copied
        return f'<pre style="white-space: pre-wrap">{html.escape(commands[key])}</pre>'

    def h(text: str) -> str:
        return f"<h3>{html.escape(text)}</h3>"

    return "".join([
        p(_("La base « {db} » est sur le serveur PostgreSQL {host} : l'application ne la "
            "sauvegarde pas elle-même. Utilisez les outils de PostgreSQL (pg_dump, pg_restore), "
            "depuis un ordinateur où sont installés les programmes clients de PostgreSQL, de "
            "la version du serveur ou plus récents.").format(db=db, host=n["host"])),
        h(_("Sauvegarder")),
        p(_("Pendant que les postes travaillent, la copie reste cohérente :")),
        cmd("dump"),
        p(_("Gardez les fichiers .dump ailleurs que sur le serveur, et planifiez la commande "
            "(cron, ou le planificateur de tâches de Windows).")),
        h(_("Restaurer")),
        p(_("D'abord dans une nouvelle base, pour garder la base actuelle jusqu'à ce que la "
            "base restaurée soit vérifiée :")),
        p(_("1. Fermez l'application sur tous les postes.")),
        p(_("2. Créez une base vide qui appartient au compte de l'application, et restaurez-y "
            "la sauvegarde :")),
        cmd("createdb"),
        cmd("restore"),
        p(_("3. Échangez les noms (la base actuelle est gardée sous le nom {before}) :")
          .format(before=before)),
        cmd("swap"),
        p(_("4. Démarrez l'application sur un poste : elle met le schéma à jour. Puis "
            "démarrez-la sur les autres postes.")),
        p(_("Une fois tout vérifié, cette commande libère la place de l'ancienne base :")),
        cmd("drop"),
        p(_("La procédure complète est aussi dans la section « Backups » du README.")),
    ])


# --- the tab -------------------------------------------------------------------------------


class BackupsTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._busy = False
        self.restored: RestoreRecord | None = None
        self.setAccessibleName(_("Sauvegardes"))
        self.is_postgres = services.ctx.db.dialect == "postgresql"
        if self.is_postgres:
            self._build_postgres()
        else:
            self._build_sqlite()
            self.refresh()

    # --- PostgreSQL -------------------------------------------------------------------

    def _build_postgres(self) -> None:
        today = to_paris(self.services.ctx.now()).date()
        self.procedure = QTextBrowser()
        self.procedure.setAccessibleName(_("Procédure de sauvegarde PostgreSQL"))
        self.procedure.setOpenLinks(False)
        self.procedure.document().setDefaultStyleSheet(
            "pre { background: #f1f1f1; } h3 { margin-top: 12px; }")
        self.procedure.setHtml(postgres_procedure(self.services.ctx.db.url, today))
        layout = QVBoxLayout(self)
        layout.addWidget(self.procedure, 1)

    # --- SQLite: layout ---------------------------------------------------------------

    def _build_sqlite(self) -> None:
        backups = self.services.backups
        self.folder = backups.folder
        keep = keep_from_environment()
        intro = QLabel(_(
            "L'application sauvegarde la base toute seule : au démarrage, chaque jour et à la "
            "fermeture. Les {n} sauvegardes automatiques les plus récentes sont gardées ; les "
            "sauvegardes manuelles et les copies faites avant une restauration ne sont jamais "
            "effacées. Pour revenir à une sauvegarde, choisissez-la dans la liste puis "
            "« Restaurer la sauvegarde choisie… ».").format(n=keep))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")

        self.folder_label = QLabel(_("Dossier des sauvegardes : {folder}").format(
            folder=self.folder))
        self.folder_label.setAccessibleName(_("Dossier des sauvegardes"))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_button = QPushButton(_("Ouvrir le dossier"))
        self.open_button.setAccessibleName(_("Ouvrir le dossier"))
        self.open_button.clicked.connect(self.open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_button)

        self.model: RecordTableModel[BackupRecord] = RecordTableModel([
            Column(_("Date"), lambda b: format_datetime(b.taken_at)),
            Column(_("Motif"), lambda b: reason_label(b.reason)),
            Column(_("Taille"), lambda b: format_size(b.size),
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Column(_("Fichier"), lambda b: b.path.name, tooltip=lambda b: str(b.path)),
        ])
        self.table, _proxy = record_table(_("Sauvegardes"), self.model, sortable=False,
                                          proxy=False, widths=(190, 140, 90))
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

        self.status = QLabel()
        self.status.setAccessibleName(_("Message"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.backup_button = QPushButton(_("Sauvegarder maintenant"))
        self.backup_button.setAccessibleName(_("Sauvegarder maintenant"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(_("Restaurer la sauvegarde choisie…"))
        self.restore_button.setAccessibleName(_("Restaurer"))
        self.restore_button.setToolTip(_("Remplace la base actuelle par la sauvegarde choisie "
                                         "dans la liste."))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(_("Restaurer depuis un fichier…"))
        self.restore_file_button.setAccessibleName(_("Restaurer depuis un fichier"))
        self.restore_file_button.setToolTip(_("Remplace la base actuelle par une sauvegarde "
                                              "copiée ailleurs (clé USB, autre dossier)."))
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.refresh_button = QPushButton(_("Actualiser (F5)"))
        self.refresh_button.setAccessibleName(_("Actualiser"))
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.restore_file_button)
        buttons.addWidget(self.refresh_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        add_shortcuts(self, [(QKeySequence.StandardKey.Refresh, self.refresh)])
        self._update_buttons()

    def _can_write(self) -> bool:
        return can(self.services.ctx.actor, Area.BACKUPS, Access.WRITE)

    def _update_buttons(self) -> None:
        writable = self._can_write() and not self._busy
        self.backup_button.setEnabled(writable)
        self.restore_button.setEnabled(writable and self.selected_backup() is not None)
        self.restore_file_button.setEnabled(writable)
        self.refresh_button.setEnabled(not self._busy)

    def _say(self, text: str, style: str = OK_STYLE) -> None:
        self.status.setStyleSheet(style)
        self.status.setText(text)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        if busy:
            self._say(text, BUSY_STYLE)
        self._update_buttons()

    # --- the list ---------------------------------------------------------------------

    def refresh(self, *, select: Path | None = None) -> None:
        backups = self.services.backups
        self.tasks.run(backups.list_backups, key="admin-backups-list",
                       on_success=lambda found: self._show(found, select),
                       on_error=self._list_failed)

    def _show(self, found: tuple[BackupRecord, ...], select: Path | None = None) -> None:
        chosen = select or (self.selected_backup().path if self.selected_backup() else None)
        self.model.set_records(found)
        if not found:
            self._say(_("Aucune sauvegarde de cette base dans le dossier pour l'instant."),
                      BUSY_STYLE)
        for row, record in enumerate(found):
            if record.path == chosen:
                self.table.selectRow(row)
                break
        self._update_buttons()

    def _list_failed(self, exc: BaseException) -> None:
        self.model.set_records([])
        self._update_buttons()
        messages.show_error(self, exc)

    def selected_backup(self) -> BackupRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(rows[0].row())

    def open_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # said below: the file manager cannot show it
        if not _open_folder(self.folder):
            messages.warn(self, _("Le dossier « {folder} » n'a pas pu être ouvert.").format(
                folder=self.folder))

    # --- backup now -------------------------------------------------------------------

    def backup_now(self) -> None:
        if self._busy:
            return
        self._set_busy(True, _("Sauvegarde en cours…"))
        backups = self.services.backups
        self.tasks.run(lambda: backups.backup(), on_success=self._backed_up,
                       on_error=self._failed)

    def _backed_up(self, record: BackupRecord) -> None:
        self._set_busy(False)
        self._say(_("Sauvegarde faite : {name} ({size}).").format(
            name=record.path.name, size=format_size(record.size)))
        self.refresh(select=record.path)

    # --- restore ----------------------------------------------------------------------

    def restore_selected(self) -> None:
        record = self.selected_backup()
        if record is None or not self._can_write() or self._busy:
            return
        self._check_then_restore(record.path, _("la sauvegarde du {date} ({reason})").format(
            date=format_datetime(record.taken_at), reason=reason_label(record.reason).lower()))

    def restore_from_file(self) -> None:
        if not self._can_write() or self._busy:
            return
        chosen = _ask_backup_file(self, str(self.folder if self.folder.is_dir() else Path.home()))
        if not chosen:
            return
        path = Path(chosen)
        self._check_then_restore(path, _("la sauvegarde « {name} »").format(name=path.name))

    def _check_then_restore(self, path: Path, what: str) -> None:
        """Check the file first (a refusal needs no confirmation), then ask, then restore."""
        self._set_busy(True, _("Vérification de « {name} »…").format(name=path.name))
        backups = self.services.backups
        self.tasks.run(lambda: backups.check_backup(source=path),
                       on_success=lambda _revision: self._confirm_restore(path, what),
                       on_error=self._failed)

    def _confirm_restore(self, path: Path, what: str) -> None:
        self._set_busy(False)
        self._say("")
        question = _(
            "Restaurer {what} ?\n\n"
            "La base actuelle sera remplacée par cette sauvegarde : ce qui a été saisi depuis "
            "sera perdu. Elle sera d'abord mise de côté, dans le dossier des sauvegardes "
            "(motif « Avant restauration »).\n\n"
            "L'application se fermera ensuite : il faudra la relancer."
        ).format(what=what)
        if not messages.confirm(self, question, title=_("Restaurer une sauvegarde"),
                                yes=_("Remplacer la base et fermer"), destructive=True):
            return
        self._set_busy(True, _("Restauration en cours… Ne fermez pas l'application."))
        backups = self.services.backups
        self.tasks.run(lambda: backups.restore(source=path), on_success=self._restored,
                       on_error=self._failed)

    def _restored(self, record: RestoreRecord) -> None:
        self.restored = record
        self._set_busy(False)
        self._say(_("Base restaurée."))
        kept = (_("La base d'avant la restauration est gardée dans « {name} ».").format(
            name=record.safety_backup.path.name) + "\n\n") if record.safety_backup else ""
        messages.info(
            self,
            _("La sauvegarde « {name} » a été restaurée.").format(name=record.source.name)
            + "\n\n" + kept
            + _("L'application va maintenant se fermer : relancez-la pour continuer sur la "
                "base restaurée."),
            title=_("Restauration terminée"),
        )
        _quit_application()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._say("")
        if isinstance(exc, MaisonError):
            messages.warn(self, exc.message)
        else:
            messages.show_error(self, exc)
        if not self.is_postgres:
            self.refresh()
