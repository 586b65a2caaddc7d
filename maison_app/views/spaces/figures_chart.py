"""The occupancy figures beside the floor plan: the rate of this month in big, a small bar
chart of the last 12 months (drawn with QPainter), for the whole house or one floor, and the
desks and office seats free today and on the first of next month.

The chart's figures are also its tooltip and its accessible description, so that a screen
reader reads them; hovering a bar shows that month's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.spaces import OccupancyFigure, OccupancyFigures, floor_label
from maison_app.i18n import _, babel_locale, format_date, ngettext

BAR = QColor("#9cc8ab")
BAR_CURRENT = QColor("#1e6b3a")
GRID = QColor("#d8d8d8")
AXIS_TEXT = QColor("#666666")
HOUSE = "house"  # the selector's data for the whole house (a floor's is its number)


def percent(rate: float) -> str:
    """0.725 → "73 %" (whole percents, halves up; spaces the locale's way)."""
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_percent

    whole = (Decimal(repr(rate)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_percent(whole / 100, locale=babel_locale())


def month_name(year: int, month: int, fmt: str = "MMMM y") -> str:
    """"novembre 2026" ("MMMM y"), "nov." ("MMM"), "N" ("MMMMM")."""
    return format_date(dt.date(year, month, 1), fmt)


def month_detail(f: OccupancyFigure) -> str:
    if not f.seat_days:
        return _("{month} : aucune place à attribuer").format(month=month_name(f.year, f.month))
    return _("{month} : {rate} ({occupied} jours-places occupés sur {available})").format(
        month=month_name(f.year, f.month), rate=percent(f.rate),
        occupied=f.occupied_seat_days, available=f.seat_days)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # "nov."
    narrow: str  # "N"
    rate: float
    detail: str  # the tooltip of the bar


class OccupancyChart(QWidget):
    """Bars from 0 to 100 %, one per month, the last (this month) darker."""

    LEFT, TOP, BOTTOM, RIGHT = 38, 16, 22, 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.setAccessibleName(_("Graphique du taux d'occupation"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(360, 170)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 120)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        self.update()

    def _plot(self) -> QRectF:
        return QRectF(self.LEFT, self.TOP, max(self.width() - self.LEFT - self.RIGHT, 1),
                      max(self.height() - self.TOP - self.BOTTOM, 1))

    def bar_rect(self, i: int) -> QRectF:
        plot = self._plot()
        column = plot.width() / max(len(self.bars), 1)
        width = max(column * 0.64, 2.0)
        height = plot.height() * max(0.0, min(self.bars[i].rate, 1.0))
        x = plot.left() + column * i + (column - width) / 2
        return QRectF(x, plot.bottom() - height, width, height)

    def bar_at(self, x: float) -> int | None:
        plot = self._plot()
        if not self.bars or not plot.left() <= x < plot.right():
            return None
        return min(int((x - plot.left()) / (plot.width() / len(self.bars))), len(self.bars) - 1)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            i = self.bar_at(event.position().x() if hasattr(event, "position")
                            else event.pos().x())
            if i is not None:
                QToolTip.showText(event.globalPos(), self.bars[i].detail, self)
            else:
                QToolTip.showText(event.globalPos(), self.toolTip(), self)
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = self._plot()
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 6.0))
        fm = QFontMetrics(small)
        p.setFont(small)
        # the grid: 0, 50 and 100 %
        for level in (0.0, 0.5, 1.0):
            y = plot.bottom() - plot.height() * level
            p.setPen(QPen(GRID, 1, Qt.PenStyle.SolidLine if level == 0 else Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(AXIS_TEXT)
            p.drawText(QRectF(0, y - fm.height() / 2, self.LEFT - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       percent(level))
        if not self.bars:
            p.setPen(AXIS_TEXT)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, _("Pas encore de chiffres"))
            return
        column = plot.width() / len(self.bars)
        widest = max(fm.horizontalAdvance(b.label) for b in self.bars)
        short = widest + 2 > column  # too narrow for "janv.": the initials
        values = column >= fm.horizontalAdvance("100 %") + 2
        last = len(self.bars) - 1
        for i, bar in enumerate(self.bars):
            rect = self.bar_rect(i)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(BAR_CURRENT if i == last else BAR)
            p.drawRect(rect)
            cell = QRectF(plot.left() + column * i, plot.bottom() + 2, column, self.BOTTOM - 2)
            p.setPen(BAR_CURRENT if i == last else AXIS_TEXT)
            label_font = QFont(small)
            label_font.setBold(i == last)
            p.setFont(label_font)
            p.drawText(cell, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                       bar.narrow if short else bar.label)
            if values or i == last:
                above = QRectF(plot.left() + column * i - 10, rect.top() - fm.height() - 1,
                               column + 20, fm.height())
                p.drawText(above, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                           percent(bar.rate))
            p.setFont(small)


class FiguresPanel(QWidget):
    """`set_figures(OccupancyFigures)`; the selector shows the house or one floor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: OccupancyFigures | None = None

        title = QLabel(_("Taux d'occupation"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        title.setFont(font)

        self.scope = QComboBox()
        self.scope.setAccessibleName(_("Étage des chiffres"))
        self.scope.setToolTip(_("Toute la maison ou un étage"))
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope.currentIndexChanged.connect(lambda _i: self._show())

        self.rate = QLabel("—")
        self.rate.setAccessibleName(_("Taux d'occupation du mois"))
        big = self.rate.font()
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 2.2)
        self.rate.setFont(big)
        self.rate.setStyleSheet(f"color: {BAR_CURRENT.name()};")
        self.rate_caption = QLabel()
        self.rate_caption.setAccessibleName(_("Mois du taux"))
        self.rate_caption.setStyleSheet("color: #555;")
        self.rate_caption.setWordWrap(True)

        self.chart = OccupancyChart()
        self.free = QLabel()
        self.free.setAccessibleName(_("Places libres"))
        self.free.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.scope)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate)
        rate_row.addWidget(self.rate_caption, 1, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(rate_row)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.free)
        self.setAccessibleName(_("Chiffres d'occupation"))
        self._show()

    def set_figures(self, figures: OccupancyFigures) -> None:
        self.figures = figures
        keep = self.scope.currentData()
        floors = sorted({f.floor for f in figures.months if f.floor is not None})
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(_("Toute la maison"), HOUSE)
        for floor in floors:
            self.scope.addItem(floor_label(floor), floor)
        index = self.scope.findData(keep) if keep is not None else 0
        self.scope.setCurrentIndex(max(index, 0))
        self.scope.blockSignals(False)
        self._show()

    def months(self) -> list[OccupancyFigure]:
        """The figures of the chosen scope, oldest first (the last: this month)."""
        if self.figures is None:
            return []
        data = self.scope.currentData()
        floor = None if data in (None, HOUSE) else data
        return [f for f in self.figures.months if f.floor == floor]

    def _show(self) -> None:
        months = self.months()
        self.chart.set_bars([Bar(month_name(f.year, f.month, "MMM"),
                                 month_name(f.year, f.month, "MMMMM"), f.rate, month_detail(f))
                             for f in months])
        if not months:
            self.rate.setText("—")
            self.rate_caption.setText(_("Pas encore de chiffres"))
            self.free.setText("")
            self._describe([])
            return
        now = months[-1]
        self.rate.setText(percent(now.rate) if now.seat_days else "—")
        scope = self.scope.currentText() or _("Toute la maison")
        self.rate_caption.setText(_("des places occupées en {month}\n{scope}").format(
            month=month_name(now.year, now.month), scope=scope))
        f = self.figures
        free = _("Places libres : {now} aujourd'hui, {next} le 1er du mois prochain").format(
            now=f.free_now, next=f.free_next_month)
        if self.scope.currentIndex() > 0:  # the free desks are counted for the whole house
            free = _("{free} (toute la maison)").format(free=free)
        self.free.setText(free)
        self.free.setToolTip(ngettext("sur {n} place de bureau ou poste dans la maison",
                                      "sur {n} places de bureaux et postes dans la maison",
                                      f.seats).format(n=f.seats))
        self._describe(months)

    def _describe(self, months: list[OccupancyFigure]) -> None:
        """The figures in words: the chart's tooltip and accessible description."""
        if not months:
            text = _("Pas encore de chiffres d'occupation.")
        else:
            head = ngettext("Taux d'occupation, {scope}, du dernier mois",
                            "Taux d'occupation, {scope}, des {n} derniers mois",
                            len(months)).format(
                scope=self.scope.currentText().lower() if self.scope.currentIndex() > 0
                else _("toute la maison"), n=len(months))
            details = [month_detail(m) for m in months]
            tip = "\n".join([head + " :", *details, self.free.text()])
            text = _("{head} : {months}. {free}.").format(
                head=head, months=" ; ".join(details), free=self.free.text())
        self.chart.setToolTip(tip if months else text)
        self.chart.setAccessibleDescription(text)
        self.setAccessibleDescription(text)

    def description(self) -> str:
        return self.chart.accessibleDescription()
