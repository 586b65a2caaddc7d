"""ui/shortcuts.add_shortcuts: every kind of keys, the default context (the whole widget)
and a list's own context, the slot called when the keys are pressed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from maison_app.ui.shortcuts import add_shortcuts


def test_keys_context_and_slot(qtbot):
    screen = QWidget()
    field, other = QLineEdit(screen), QLineEdit(screen)
    layout = QVBoxLayout(screen)
    layout.addWidget(field)
    layout.addWidget(other)
    qtbot.addWidget(screen)
    pressed: list[str] = []
    shortcuts = add_shortcuts(screen, [
        (QKeySequence.StandardKey.Find, lambda: pressed.append("find")),
        (Qt.Key.Key_F2, lambda: pressed.append("f2")),
        ("Ctrl+N", lambda: pressed.append("new")),
        (QKeySequence("Ctrl+P"), lambda: pressed.append("print")),
    ])
    assert [s.key().toString() for s in shortcuts] == ["Ctrl+F", "F2", "Ctrl+N", "Ctrl+P"]
    assert {s.context() for s in shortcuts} == {Qt.ShortcutContext.WidgetWithChildrenShortcut}
    (own,) = add_shortcuts(field, [("F3", lambda: pressed.append("f3"))],
                           context=Qt.ShortcutContext.WidgetShortcut)
    assert own.context() is Qt.ShortcutContext.WidgetShortcut
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()  # shortcuts go to the active window
    qtbot.waitUntil(screen.isActiveWindow)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_F2)
    qtbot.keyClick(field, Qt.Key.Key_F3)
    assert pressed == ["new", "f2", "f3"]
    other.setFocus()  # the field's own key does nothing elsewhere; the screen's do
    qtbot.keyClick(other, Qt.Key.Key_F3)
    qtbot.keyClick(other, Qt.Key.Key_F2)
    assert pressed == ["new", "f2", "f3", "f2"]
