"""The one path for messages to the user: information, confirmation, and errors.

A `MaisonError` (its message already French) is shown as a warning; anything else is a bug
and goes to the crash handler (log + dialog)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from maison_app.domain.errors import MaisonError
from maison_app.i18n import _

log = logging.getLogger(__name__)


def info(parent: QWidget | None, text: str, title: str | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title or _("Information"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title or _("Information"))
    box.exec()


def warn(parent: QWidget | None, text: str, title: str | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title or _("Attention"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title or _("Attention"))
    box.exec()


def confirm(parent: QWidget | None, text: str, *, title: str, yes: str, no: str | None = None,
            destructive: bool = False) -> bool:
    """Ask before doing something; the safe answer is the default button."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no or _("Annuler"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button if destructive else yes_button)
    box.setEscapeButton(no_button)
    box.setAccessibleName(title)
    box.exec()
    return box.clickedButton() is yes_button


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """A service refused (MaisonError): say why. Anything else: the crash path."""
    if isinstance(error, MaisonError):
        warn(parent, error.message)
        return
    from maison_app.ui.crash import report_exception

    report_exception(type(error), error, error.__traceback__, parent=parent)
