"""The main window: a navigation list of the areas that exist, the current screen, the
menus and a status bar naming the database and the user."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from maison_app import APP_DISPLAY_NAME, __version__
from maison_app.i18n import _
from maison_app.ui import messages
from maison_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# For benchmarks/run.py: print the time of the first paint (or of the moment the database
# is open and the login would show) on stdout and quit.
EXIT_AFTER_FIRST_PAINT = "MAISON_EXIT_AFTER_FIRST_PAINT"
EXIT_WHEN_READY = "MAISON_EXIT_WHEN_READY"


@dataclass(frozen=True)
class Area:
    """One entry of the navigation: a stable id, a French label, the screen's factory."""

    id: str
    label: Callable[[], str]
    factory: Callable[..., QWidget]
    shortcut: str
    # whether the actor's role may see this area at all (the services check again)
    allowed: Callable[[object], bool] = lambda actor: True


class MainWindow(QMainWindow):
    """Built in two steps so that the window paints at once: the frame, the navigation and a
    "opening the database" page first; `attach(services)` then builds the screens once the
    database is open (the composition root opens it off the GUI thread, once the window has
    painted: `first_painted`)."""

    first_painted = Signal()

    def __init__(self, areas: list[Area], config=None, *, services=None,
                 on_settings_saved=None) -> None:
        super().__init__()
        self.services = None
        self.config = config
        self._first_paint_done = False
        self.tasks = TaskRunner(self)
        self.tasks.default_error_handler = lambda exc: messages.show_error(self, exc)
        self.setWindowTitle(_("{name} — Accueil").format(name=APP_DISPLAY_NAME))
        self.setAccessibleName(_("Fenêtre principale"))
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setAccessibleName(_("Navigation"))
        self.nav.setFixedWidth(170)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setStyleSheet(
            "QListWidget { background: #24473d; color: white; border: none; font-size: 15px; }"
            "QListWidget::item { padding: 10px 12px; }"
            "QListWidget::item:selected { background: #3d7a68; color: white; }"
        )
        self.stack = QStackedWidget()
        self.loading = QLabel(_("Ouverture de la base de données…"))
        self.loading.setAccessibleName(_("Ouverture de la base de données"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet("color: #555; font-size: 16px;")
        self.stack.addWidget(self.loading)
        self.screens: dict[str, QWidget] = {}
        self.areas = areas
        for area in self.areas:
            item = QListWidgetItem(area.label())
            item.setData(Qt.ItemDataRole.UserRole, area.id)
            item.setToolTip(f"{area.label()} ({area.shortcut})")
            self.nav.addItem(item)
            action = QAction(area.label(), self)
            action.setData(area.id)
            action.setShortcut(QKeySequence(area.shortcut))
            action.triggered.connect(lambda _c=False, a=area.id: self.show_area(a))
            self.addAction(action)
        self.nav.setEnabled(False)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(12, 8, 12, 8)
        body_layout.addWidget(self.stack)
        layout.addWidget(body, 1)
        self.setCentralWidget(central)

        self._build_menus(on_settings_saved)
        self._build_status_bar()
        if services is not None:
            self.attach(services)

    def attach(self, services, user=None) -> None:
        """The database is open (and `user` logged in): build the screens this person may
        see, hide the others from the navigation, and show the first one."""
        self.services = services
        self.user = user
        actor = services.ctx.actor
        self.areas = [a for a in self.areas if a.allowed(actor)]
        for row in reversed(range(self.nav.count())):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) not in {a.id for a in self.areas}:
                self.nav.takeItem(row)
        for action in self.actions():
            if action.data() and action.data() not in {a.id for a in self.areas}:
                self.removeAction(action)
        for area in self.areas:
            screen = area.factory(services, self.tasks)
            self.screens[area.id] = screen
            self.stack.addWidget(screen)
        self.nav.currentRowChanged.connect(
            lambda row: self.stack.setCurrentWidget(self.screens[self.areas[row].id])
        )
        self.nav.setEnabled(True)
        self.nav.setCurrentRow(0)
        self.stack.setCurrentWidget(self.screens[self.areas[0].id])
        self.stack.removeWidget(self.loading)
        self.loading.deleteLater()
        self.database_label.setText(_("Base : {db}").format(db=services.database_description))
        self.user_label.setText(
            _("Utilisateur : {name} ({role})").format(name=user.name, role=user.role.label)
            if user is not None else _("Poste : {user}").format(user=services.ctx.actor.login))
        self.settings_action.setEnabled(True)

    def set_locked(self, locked: bool) -> None:
        """The idle lock hides everything personal until the user types the password."""
        self.centralWidget().setVisible(not locked)
        self.menuBar().setEnabled(not locked)
        self.setWindowTitle(_("{name} — session verrouillée").format(name=APP_DISPLAY_NAME)
                            if locked else _("{name} — Accueil").format(name=APP_DISPLAY_NAME))

    # --- menus ------------------------------------------------------------------------

    def _build_menus(self, on_settings_saved) -> None:
        self._on_settings_saved = on_settings_saved
        file_menu = self.menuBar().addMenu(_("&Fichier"))
        settings = QAction(_("&Paramètres…"), self)
        preferences = QKeySequence(QKeySequence.StandardKey.Preferences)
        # the platform's own key where it has one (⌘, on macOS), else Ctrl+,
        settings.setShortcut(preferences if not preferences.isEmpty() else QKeySequence("Ctrl+,"))
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        settings.triggered.connect(self.open_settings)
        settings.setEnabled(False)  # until the database is open
        self.settings_action = settings
        file_menu.addAction(settings)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quitter"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        help_menu = self.menuBar().addMenu(_("&Aide"))
        logs = QAction(_("Ouvrir le dossier des &journaux"), self)
        logs.triggered.connect(self.open_log_folder)
        help_menu.addAction(logs)
        about = QAction(_("À &propos"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.database_label = QLabel(_("Base : ouverture…"))
        self.database_label.setAccessibleName(_("Base de données"))
        self.user_label = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.setVisible(False)
        self.busy.setAccessibleName(_("Travail en cours"))
        self._busy_timer = QTimer(self, singleShot=True, interval=300)
        self._busy_timer.timeout.connect(lambda: self.busy.setVisible(not self.tasks.idle))
        self.tasks.busy_changed.connect(self._busy_changed)
        bar.addWidget(self.database_label, 1)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.user_label)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()  # only show the indicator for work that lasts
        else:
            self._busy_timer.stop()
            self.busy.setVisible(False)

    # --- actions ----------------------------------------------------------------------

    def show_area(self, area_id: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == area_id:
                self.nav.setCurrentRow(row)
                return

    def open_settings(self) -> None:
        from maison_app.services.local_config import LocalConfig
        from maison_app.ui.settings_dialog import SettingsDialog

        config = self.config or LocalConfig.load()
        dialog = SettingsDialog(self.services.settings, config, self,
                                retention=self.services.retention,
                                backups=self.services.backups,
                                memberships=self.services.memberships,
                                hosting=self.services.hosting_texts,
                                projects=self.services.projects,
                                bookings=self.services.bookings)
        if dialog.exec():
            self.config = dialog.saved_config
            if self._on_settings_saved is not None:
                self._on_settings_saved(self.config)

    def open_log_folder(self) -> None:
        from maison_app.services.local_config import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def about(self) -> None:
        database = self.services.database_description if self.services else "—"
        messages.info(
            self,
            _("{name}, version {version}.\nL'application d'accueil de la Maison de l'ESS de Niort "
              "(Pôle Territorial de Coopération Économique Niortais).\n\nBase : {db}").format(
                name=APP_DISPLAY_NAME, version=__version__, db=database),
            title=_("À propos"),
        )

    # --- painting and closing ---------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._first_paint_done:
            self._first_paint_done = True
            if os.environ.get(EXIT_AFTER_FIRST_PAINT):
                print(f"first-paint {time.time():.6f}", flush=True)
                QTimer.singleShot(0, QApplication.instance().quit)
                return
            QTimer.singleShot(0, self.first_painted.emit)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.tasks.wait(10_000)
        super().closeEvent(event)
        log.info("main window closed")
        sys.stdout.flush()
