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
    from maison_app.services.local_config import LocalConfig, log_dir
    from maison_app.ui.crash import install_excepthook, install_qt_message_handler, setup_logging

    log_path = setup_logging(log_dir())
    app = make_qapplication()
    install_qt_message_handler()
    install_excepthook(log_path)
    config = config or LocalConfig.load()

    services = None
    url = database_url
    while services is None:
        try:
            services = opener(url, config=config)
        except MaisonError as exc:
            log.warning("database unavailable: %s", exc.message)
            answer = _ask_for_database(exc, config)
            if answer is None:
                return 2
            if answer:
                url = answer
                if database_url is None:  # remember the choice for the next start
                    from dataclasses import replace

                    config = replace(config, database_url=answer)
                    config.save()

    from maison_app.ui.main_window import MainWindow

    window = MainWindow(services, areas(), config)
    window.show()
    log.info("started on %s", services.database_description)
    code = app.exec()
    services.ctx.db.dispose()
    return code
