"""Form helpers: a French error message shown right under the field it belongs to, and
mapping a service's ValidationError to that field. The form keeps what was typed.
FormErrors places its slots as form rows; PlacedFormErrors lets the form place them by hand
(a field with a unit or a second field beside it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.i18n import _
from maison_app.ui import messages

ERROR_STYLE = "color: #b3261e; font-size: 90%;"
INVALID_STYLE = "border: 1px solid #b3261e;"


class FieldWithError(QWidget):
    """A field and, under it, the place for its error message."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.error.setAccessibleName(message or "")
        self.field.setStyleSheet(INVALID_STYLE if message else "")
        if message:
            self.field.setFocus()


class FormErrors:
    """The error slots of one form, by the field names services use in ValidationError."""

    def __init__(self) -> None:
        self._slots: dict[str, FieldWithError] = {}

    def add_row(self, form: QFormLayout, label: str, name: str, field: QWidget,
                accessible_name: str | None = None) -> FieldWithError:
        field.setAccessibleName(accessible_name or label.rstrip(" :*"))
        slot = FieldWithError(field)
        form.addRow(label, slot)
        self._slots[name] = slot
        return slot

    def clear(self) -> None:
        for slot in self._slots.values():
            slot.set_error(None)

    def show(self, error: ValidationError) -> bool:
        """Put the message next to its field; False when the field is not on this form."""
        self.clear()
        slot = self._slots.get(error.field or "")
        if slot is None:
            return False
        slot.set_error(error.message)
        return True

    def message(self, name: str) -> str:
        slot = self._slots.get(name)
        return slot.error.text() if slot and not slot.error.isHidden() else ""


class PlacedFormErrors(FormErrors):
    """The form's error slots, placed by hand (a field with a unit or a second field beside
    it: the message under both). `show_quietly` puts the live price's refusal under its
    field without taking the focus from where the person types; only a plain input gets
    the red border (a row of several widgets keeps its look, its message says it all)."""

    def __init__(self) -> None:
        super().__init__()
        self._focus: dict[str, QWidget] = {}

    def slot(self, name: str, field: QWidget, accessible_name: str | None = None, *,
             focus: QWidget | None = None) -> FieldWithError:
        if accessible_name:
            field.setAccessibleName(accessible_name)
        slot = FieldWithError(field)
        self._slots[name] = slot
        self._focus[name] = focus or field
        return slot

    def has(self, name: str) -> bool:
        return name in self._slots

    def _set(self, name: str, message: str, *, focus: bool) -> None:
        for key, slot in self._slots.items():
            text = message if key == name else ""
            slot.error.setText(text)
            slot.error.setVisible(bool(text))
            slot.error.setAccessibleName(text)
            plain = isinstance(slot.field, (QLineEdit, QComboBox, QPlainTextEdit))
            slot.field.setStyleSheet(INVALID_STYLE if text and plain else "")
        if message and focus and name in self._focus:
            self._focus[name].setFocus(Qt.FocusReason.OtherFocusReason)

    def show(self, error: ValidationError) -> bool:
        if error.field not in self._slots:
            self.clear()
            return False
        self._set(error.field, error.message, focus=True)
        return True

    def show_quietly(self, name: str, message: str) -> None:
        self._set(name, message, focus=False)

    def clear(self) -> None:
        self._set("", "", focus=False)


def dialog_buttons(dialog: QDialog, ok: str, on_ok, *, cancel: str | None = None
                   ) -> tuple[QDialogButtonBox, QPushButton]:
    """OK (the default button: Enter in a field) and Annuler (Escape), or the given
    cancel text (« Fermer », « Quitter »…)."""
    buttons = QDialogButtonBox()
    ok_button = buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    ok_button.setAccessibleName(ok.rstrip("…"))
    ok_button.setDefault(True)
    cancel = cancel if cancel is not None else _("Annuler")
    cancel_button = buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    cancel_button.setAccessibleName(cancel)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok_button


def show_error(parent: QWidget, errors: FormErrors, exc: MaisonError) -> None:
    """A ValidationError goes under its field; anything else the service refused, in a box."""
    if isinstance(exc, ValidationError) and errors.show(exc):
        return
    messages.warn(parent, exc.message)
