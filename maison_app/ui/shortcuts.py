"""Keyboard shortcuts of a screen, set in one call: `add_shortcuts(widget, [(keys, slot),
…])`. Keys are a QKeySequence, a standard key (QKeySequence.StandardKey.Refresh: F5, or ⌘R
on macOS), a Qt.Key or a text ("Ctrl+N"). By default a shortcut works while the focus is
anywhere in the widget (a screen, a tab); a list's own keys (Enter, Suppr) use
Qt.ShortcutContext.WidgetShortcut."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

Keys = QKeySequence | QKeySequence.StandardKey | Qt.Key | str


def add_shortcuts(widget: QWidget, bindings: Iterable[tuple[Keys, Callable[[], object]]], *,
                  context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut
                  ) -> list[QShortcut]:
    """One QShortcut on `widget` per (keys, slot); returned in the same order."""
    shortcuts = []
    for keys, slot in bindings:
        shortcut = QShortcut(keys if isinstance(keys, QKeySequence) else QKeySequence(keys),
                             widget)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    return shortcuts
