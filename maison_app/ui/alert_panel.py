"""An amber panel over a list: what needs attention (the agreements that end soon, the past
workshop sessions whose attendance was not recorded…). A bold title, then one row per item
in a grid (a link that opens it, a few words, a button to act), in a scroll area that grows
with its rows up to a maximum height, then scrolls. Hidden while there is nothing to show."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

PANEL_STYLE = ("#alertPanel { background: #fff6e5; border: 1px solid #e6c27a; "
               "border-radius: 4px; }")
TITLE_STYLE = "font-weight: 600; color: #5c3d00; border: none;"
WHEN_STYLE = "color: #7a4f00; border: none;"  # a row's date or delay
PLAIN_STYLE = "border: none;"


def link_label(text: str, href: str, on_click: Callable[[str], None], *, tooltip: str,
               accessible_name: str) -> QLabel:
    """A link in a row (mouse or keyboard); `on_click(href)`."""
    label = QLabel(f"<a href='{html.escape(href)}'>{html.escape(text)}</a>")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                  | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
    label.setToolTip(tooltip)
    label.setAccessibleName(accessible_name)
    label.setStyleSheet(PLAIN_STYLE)
    label.linkActivated.connect(on_click)
    return label


def text_label(text: str, style: str = PLAIN_STYLE) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(style)
    return label


class AlertPanel(QFrame):
    """The panel; `set_rows(title, rows)` fills it (each row a sequence of widgets, None for
    an empty cell) and shows it when there are rows."""

    def __init__(self, *, title_name: str, max_height: int, stretch_column: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_height = max_height
        self.setObjectName("alertPanel")
        self.setStyleSheet(PANEL_STYLE)
        self.title = QLabel()
        self.title.setAccessibleName(title_name)
        self.title.setStyleSheet(TITLE_STYLE)
        self.rows = QWidget()
        self.rows.setObjectName("alertRows")
        self.rows.setStyleSheet("#alertRows { background: transparent; }")
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(stretch_column, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setStyleSheet("QScrollArea { background: transparent; border: none; }")
        self.scroll.viewport().setAutoFillBackground(False)
        self.scroll.setWidget(self.rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll)
        self.setVisible(False)

    def set_rows(self, title: str, rows: Sequence[Sequence[QWidget | None]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        heights = []
        for r, cells in enumerate(rows):
            for c, widget in enumerate(cells):
                if widget is not None:
                    self.grid.addWidget(widget, r, c)
            # the row's height from its widgets: the panel may still be hidden, when the
            # grid's own size hint is not computed yet
            heights.append(max((w.sizeHint().height() for w in cells if w is not None),
                               default=0))
        wanted = sum(heights) + self.grid.verticalSpacing() * max(len(rows) - 1, 0)
        self.scroll.setFixedHeight(min(max(wanted, self.rows.sizeHint().height()),
                                       self.max_height))
        self.title.setText(title)
        self.setVisible(bool(rows))
