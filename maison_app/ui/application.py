"""Starts the Qt application: logging and crash hook, French Qt texts, the database
(with a French dialog when it cannot be opened), the main window."""

from __future__ import annotations

import logging
import os
import time
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from maison_app import APP_DISPLAY_NAME, APP_NAME
from maison_app.domain.errors import MaisonError
from maison_app.i18n import _, current_language
from maison_app.ui.main_window import EXIT_WHEN_READY

log = logging.getLogger(__name__)


def make_qapplication(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setOrganizationName("MaisonESS")
    language = current_language()
    QLocale.setDefault(QLocale(QLocale.Language.French if language == "fr" else QLocale.Language.English,
                               QLocale.Country.France if language == "fr" else QLocale.Country.UnitedKingdom))
    if language == "fr":
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load("qtbase_fr", path):
            app.installTranslator(translator)
    return app


def _ask_for_database(error: MaisonError, config) -> str | None:
    """The database could not be opened: retry, choose another, or quit. Returns the
    URL to try next, or None to quit."""
    box = QMessageBox(QMessageBox.Icon.Critical, _("Base de données inaccessible"), error.message)
    box.setAccessibleName(_("Base de données inaccessible"))
    retry = box.addButton(_("Réessayer"), QMessageBox.ButtonRole.AcceptRole)
    choose_file = box.addButton(_("Choisir un fichier…"), QMessageBox.ButtonRole.ActionRole)
    choose_url = box.addButton(_("Saisir une adresse…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_("Quitter"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is retry:
        return ""
    if clicked is choose_file:
        path, _filter = QFileDialog.getSaveFileName(
            None, _("Fichier de la base de données"), "", _("Base SQLite (*.db *.sqlite)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        return path or ""
    if clicked is choose_url:
        url, ok = QInputDialog.getText(
            None, _("Adresse de la base de données"),
            _("Adresse (ex. postgresql+psycopg://accueil@serveur/maison) :"))
        return url.strip() if ok else ""
    return None


DAILY_BACKUP_MS = 24 * 60 * 60 * 1000


class AutomaticBackups(QObject):
    """The automatic backups of a SQLite database while the app runs: one at start-up (as
    soon as the first screen has its data), one every 24 hours, one at closing. The first
    two run in the window's task runner; a failure is logged and shown in the status bar,
    never a crash. Nothing happens for PostgreSQL (pg_dump, see the README)."""

    def __init__(self, window, services, *, service=None) -> None:
        super().__init__(window)
        from maison_app.services.backup import BackupService

        self.window = window
        # system work: allowed whatever the role of the person logged in
        self.service = service or BackupService.automatic(services.ctx)
        self.enabled = self.service.supported
        self._started = False
        self._running = False
        self._failure: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(DAILY_BACKUP_MS)
        self.timer.timeout.connect(lambda: self.run("quotidienne"))

    def start(self) -> None:
        """Call once the window has its services: the start-up backup waits until the task
        runner is idle (the first screen filled), then the daily timer runs."""
        if not self.enabled:
            log.info("no automatic backups for %s", self.window.services.database_description
                     if self.window.services else "this database")
            return
        self.timer.start()
        self.window.tasks.busy_changed.connect(self._on_busy_changed)
        if self.window.tasks.idle:
            QTimer.singleShot(0, self, lambda: self._on_busy_changed(False))

    def _on_busy_changed(self, busy: bool) -> None:
        if busy or self._started:
            return
        self._started = True
        self.window.tasks.busy_changed.disconnect(self._on_busy_changed)
        self.run("demarrage")

    def run(self, reason: str) -> None:
        if not self.enabled or self._running:
            return
        self._running = True
        service = self.service
        self.window.tasks.run(lambda: service.backup(reason=reason),
                              on_success=self._succeeded, on_error=self._failed)

    def _succeeded(self, record) -> None:
        self._running = False
        log.info("automatic backup: %s", record.path)
        bar = self.window.statusBar()
        if self._failure is not None and bar.currentMessage() == self._failure:
            bar.clearMessage()
        self._failure = None

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        log.error("automatic backup failed", exc_info=(type(exc), exc, exc.__traceback__))
        detail = exc.message if isinstance(exc, MaisonError) else (str(exc) or type(exc).__name__)
        self._failure = _("La sauvegarde automatique a échoué : {detail} (détails dans le "
                          "journal).").format(detail=detail)
        self.window.statusBar().showMessage(self._failure)

    def at_close(self) -> None:
        """The closing backup, synchronously (the window is gone): logged, never raised."""
        self.timer.stop()
        if not self.enabled:
            return
        try:
            record = self.service.backup(reason="fermeture")
        except Exception:  # noqa: BLE001 - closing must not fail for a backup
            log.exception("closing backup failed")
        else:
            log.info("closing backup: %s", record.path)


def login_flow(window, accounts):
    """The first administrator on the very first start, then the login. Returns the user,
    or None when the person chose to quit."""
    from maison_app.ui.login_dialog import FirstAdminDialog, LoginDialog

    if not accounts.has_users():
        first = FirstAdminDialog(accounts, window)
        if not first.exec():
            return None
        return first.user
    dialog = LoginDialog(accounts, window)
    return dialog.user if dialog.exec() else None


def quit_when_idle(window) -> None:
    """Quit once the task runner has nothing left (the start-up backup, for instance)."""
    def check(busy: bool = False) -> None:
        if not busy and window.tasks.idle:
            QTimer.singleShot(0, QApplication.instance().quit)

    window.tasks.busy_changed.connect(check)
    QTimer.singleShot(0, window, check)


def run(*, opener, areas, database_url: str | None, config, started_at: float) -> int:
    from maison_app.services.local_config import log_dir
    from PySide6.QtCore import qInstallMessageHandler

    from maison_app.ui.crash import (
        install_excepthook,
        install_qt_message_handler,
        setup_logging,
        teardown_logging,
    )
    from maison_app.ui.gc_guard import GuiThreadGarbageCollector

    log_path = setup_logging(log_dir())
    app = make_qapplication()
    collector = GuiThreadGarbageCollector(app)
    previous_qt_handler = install_qt_message_handler()
    restore_excepthook = install_excepthook(log_path)
    try:
        return _run(app, opener=opener, areas=areas, database_url=database_url, config=config)
    finally:
        # leave the process as it was (tests start the app more than once)
        restore_excepthook()
        qInstallMessageHandler(previous_qt_handler)
        collector.stop()
        teardown_logging()


def _run(app, *, opener, areas, database_url: str | None, config) -> int:
    from maison_app.services.local_config import LocalConfig

    config = config or LocalConfig.load()

    from maison_app.ui.main_window import MainWindow

    window = MainWindow(areas(), config)
    window.show()
    opened: list = []
    backups: list[AutomaticBackups] = []

    def open_database(url: str | None) -> None:
        window.tasks.run(lambda: opener(url, config=config),
                         on_success=lambda services: attached(services),
                         on_error=lambda exc: failed(url, exc))

    def attached(services) -> None:
        """The database is open (as the system): back it up, then somebody logs in."""
        opened.append(services)
        log.info("database opened: %s", services.database_description)
        automatic = AutomaticBackups(window, services)
        backups.append(automatic)
        automatic.start()
        retention = services.retention  # the system's work: applied whoever logs in
        window.tasks.run(retention.purge,
                         on_success=lambda r: log.info("retention: %d visit(s) anonymised",
                                                       r.visits_anonymised),
                         on_error=lambda exc: log.error("retention failed: %s", exc))
        if os.environ.get(EXIT_WHEN_READY):  # benchmarks and tests: the login is next
            print(f"ready {time.time():.6f}", flush=True)
            quit_when_idle(window)
            return
        QTimer.singleShot(0, window, lambda: log_in(services))

    def log_in(services) -> None:
        user = login_flow(window, services.accounts)
        if user is None:
            app.exit(0)
            return
        session = services.for_actor(services.accounts.actor_for(user))
        opened.append(session)
        window.attach(session, user=user)
        log.info("started on %s as %s (%s)", services.database_description, user.login,
                 user.role.value)
        watch_idle(session, user)

    def watch_idle(session, user) -> None:
        from maison_app.ui.idle_lock import IdleWatcher
        from maison_app.ui.login_dialog import UnlockDialog

        watcher = IdleWatcher(app, minutes=session.settings.idle_minutes(), parent=window)

        def lock() -> None:
            watcher.pause()
            window.set_locked(True)
            dialog = UnlockDialog(session.accounts, user, window)
            if dialog.exec():
                window.set_locked(False)
                watcher.resume()
            else:
                app.quit()

        watcher.idle.connect(lock)
        window.idle_watcher = watcher

    def failed(url: str | None, exc: BaseException) -> None:
        nonlocal config
        if not isinstance(exc, MaisonError):
            raise exc  # a bug: the crash path logs it and shows the dialog
        log.warning("database unavailable: %s", exc.message)
        answer = _ask_for_database(exc, config)
        if answer is None:
            app.exit(2)
            return
        if answer:
            url = answer
            if database_url is None:  # remember the choice for the next start
                from dataclasses import replace

                config = replace(config, database_url=answer)
                config.save()
        open_database(url)

    # Open the database once the window is on screen: importing SQLAlchemy and opening the
    # file in a worker thread meanwhile would slow the first paint (the GIL is shared).
    window.first_painted.connect(lambda: open_database(database_url))
    code = app.exec()
    window.tasks.wait()
    window.close()
    for automatic in backups:
        automatic.at_close()
    for services in opened:
        services.ctx.db.dispose()
    return code
