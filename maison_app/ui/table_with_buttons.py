"""A list or table with its buttons in a column at its right (Ajouter…, Modifier…,
Supprimer…), as the settings tabs show their closures, programmes and colleges."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget


def table_with_buttons(view: QWidget, buttons: Iterable[QWidget], *,
                       alignment: Qt.AlignmentFlag | None = None) -> QHBoxLayout:
    """`view` taking the width, and `buttons` stacked at its right from the top (a stretch
    under them). `alignment`: the view's place in its row (Qt.AlignmentFlag.AlignTop keeps
    it at its own height); by default it fills the row's height."""
    side = QVBoxLayout()
    for button in buttons:
        side.addWidget(button)
    side.addStretch(1)
    row = QHBoxLayout()
    if alignment is None:
        row.addWidget(view, 1)
    else:
        row.addWidget(view, 1, alignment)
    row.addLayout(side)
    return row
