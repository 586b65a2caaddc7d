"""Starts the Qt application: logging and crash hook, French Qt texts, the database
(with a French dialog when it cannot be opened), the main window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from maison_app import APP_DISPLAY_NAME, APP_NAME
from maison_app.domain.errors import MaisonError
from maison_app.i18n import _, current_language

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

    def open_database(url: str | None) -> None:
        window.tasks.run(lambda: opener(url, config=config),
                         on_success=lambda services: attached(services),
                         on_error=lambda exc: failed(url, exc))

    def attached(services) -> None:
        opened.append(services)
        window.attach(services)
        log.info("started on %s", services.database_description)

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
    for services in opened:
        services.ctx.db.dispose()
    return code
