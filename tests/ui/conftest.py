"""Helpers for screen tests: find widgets by their accessible name, type French text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget


def find(root: QWidget, name: str, cls: type[QWidget] = QWidget) -> QWidget:
    """The one visible-or-not child of `root` whose accessible name is `name`."""
    found = [w for w in root.findChildren(cls) if w.accessibleName() == name]
    assert found, f"no widget named {name!r} in {root!r}"
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def type_text(widget: QWidget, text: str) -> None:
    """Type like a person, one key at a time; works for é, ç, œ, € (qtbot.keyClicks
    aborts on non-ASCII text)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def drag_and_drop(target: QWidget, pos, mime) -> object:
    """Send a drag entering, moving over and dropped on `target` at `pos` (a QPoint or
    QPointF in its coordinates) carrying `mime`; returns the drop event (accepted or not).
    The enter and move events take a QPoint in some PySide6 releases, a QPointF in others."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    point = QPointF(pos)
    for cls in (QDragEnterEvent, QDragMoveEvent):
        try:
            event = cls(point.toPoint(), *args)
        except TypeError:
            event = cls(point, *args)
        QApplication.sendEvent(target, event)
    drop = QDropEvent(point, *args)
    QApplication.sendEvent(target, drop)
    return drop


def press(widget: QWidget, key: Qt.Key) -> None:
    QTest.keyClick(widget, key)


class Messages(list):
    """What the screen said (kind, text); `answers` are the replies to confirmations."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool] = []

    def texts(self, kind: str) -> list[str]:
        return [text for k, text in self if k == kind]


@pytest.fixture
def no_modal(monkeypatch) -> Messages:
    """Record messages instead of opening blocking boxes."""
    from maison_app.ui import messages

    said = Messages()
    monkeypatch.setattr(messages, "info", lambda parent, text, title=None: said.append(("info", text)))
    monkeypatch.setattr(messages, "warn", lambda parent, text, title=None: said.append(("warn", text)))

    def confirm(parent, text, **kwargs):
        said.append(("confirm", text))
        return said.answers.pop(0) if said.answers else False

    monkeypatch.setattr(messages, "confirm", confirm)
    return said
