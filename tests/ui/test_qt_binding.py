"""The Qt binding itself: a method that returns nothing must not release None (PySide6
6.12.0 does, once per call: on Python 3.11 the app then aborts with "none_dealloc" after
some hours at the desk). pyproject.toml keeps such a release out; this test says so if a
new one comes in."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setEnabled(True)
        label.setToolTip("Poste A1")
    # other threads may take or drop a few references meanwhile; a leak loses 400
    assert sys.getrefcount(None) - before > -50
