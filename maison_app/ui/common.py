"""Small helpers and widgets shared by the screens: the note and banner styles, dates typed
jj/mm/aaaa (parse_date, date_text, DateField, and DateInput with its calendar; qdate and
pydate between dates and QDate), times moved by quarters of an hour (QuarterTimeEdit), a
room shown with its places and floor (room_text), amounts shown "12,50" (amount_text), a
task callback that skips a destroyed widget (guarded), today's date in Paris (today) and the
PDF preview of an issued document (preview_pdf)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale, Qt, QTime
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCalendarWidget,
    QDateTimeEdit,
    QDialog,
    QLineEdit,
    QMenu,
    QTimeEdit,
    QWidget,
    QWidgetAction,
)

from maison_app.domain.bookings import SLOT_MINUTES
from maison_app.domain.errors import ValidationError
from maison_app.domain.spaces import SpaceRecord, floor_label
from maison_app.i18n import _, babel_locale, current_language, ngettext, to_paris

NOTE_STYLE = "color: #555; font-size: 90%;"
BANNER_STYLE = ("#memberBanner { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; padding: 6px 8px; }")

_DATE = re.compile(r"^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str | None, *, field: str) -> dt.date | None:
    """A date typed the French way ("15/03/2026", "15/3/26", "15.03.2026"; also
    "2026-03-15"); None when empty; a French message next to `field` otherwise."""
    raw = (text or "").strip()
    if not raw:
        return None
    m = _DATE.match(raw)
    if m is not None:
        day, month, year = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            year += 2000
    else:
        m = _ISO_DATE.match(raw)
        if m is None:
            raise ValidationError(_("Date illisible : écrivez-la jour/mois/année, par exemple "
                                    "15/03/2026."), field=field)
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(_("Cette date n'existe pas : vérifiez le jour et le mois."),
                              field=field) from None


def date_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class DateField(QLineEdit):
    """A date typed jj/mm/aaaa (optional unless the form says otherwise)."""

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("jj/mm/aaaa"))
        self.setMaximumWidth(140)
        self.set_date(day)

    def set_date(self, day: dt.date | None) -> None:
        self.setText(date_text(day))

    def date(self, *, field: str) -> dt.date | None:
        return parse_date(self.text(), field=field)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _calendar_icon() -> QIcon:
    """A small calendar drawn here (the resources hold no icon set)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setPen(QColor("#555555"))
    p.setBrush(QColor("#ffffff"))
    p.drawRect(1, 2, 13, 12)
    p.fillRect(2, 3, 12, 3, QColor("#1e6b3a"))
    for x in (4, 7, 10):
        for y in (8, 11):
            p.fillRect(x, y, 2, 2, QColor("#555555"))
    p.end()
    return QIcon(pixmap)


class DateInput(DateField):
    """A date typed jj/mm/aaaa (also "1/12/26", "01.12.2026"), or chosen in a calendar: the
    icon at the end of the field, or Alt+Down / F4. Up and Down move it by a day. What was
    typed stays, readable or not: `date(field=…)` says what is wrong, next to the field."""

    def __init__(self, name: str, day: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(day, parent)
        self.setAccessibleName(name)
        self.setMaximumWidth(170)
        self.setToolTip(_("Tapez la date (jj/mm/aaaa) ou choisissez-la dans le calendrier "
                          "(Alt+Bas)."))
        self.calendar_action = self.addAction(_calendar_icon(),
                                              QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip(_("Choisir dans le calendrier"))
        self.calendar_action.triggered.connect(self.show_calendar)
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName(_("Calendrier"))
        self.calendar.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France)
                                if current_language() == "fr" else QLocale())
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.popup = QMenu(self)
        holder = QWidgetAction(self.popup)
        holder.setDefaultWidget(self.calendar)
        self.popup.addAction(holder)

    def value(self) -> dt.date | None:
        """The date typed, None when empty or unreadable."""
        try:
            return parse_date(self.text(), field="")
        except ValidationError:
            return None

    def show_calendar(self) -> None:
        day = self.value()
        if day is not None:
            self.calendar.setSelectedDate(qdate(day))
        self.popup.popup(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, value: QDate) -> None:
        self.set_date(pydate(value))
        self.popup.hide()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down
                                    and mods & Qt.KeyboardModifier.AltModifier):
            self.show_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.value() is not None:
            step = 1 if key == Qt.Key.Key_Up else -1
            self.set_date(self.value() + dt.timedelta(days=step))
            return
        super().keyPressEvent(event)


class QuarterTimeEdit(QTimeEdit):
    """A time of day; Up/Down (or the arrows) on the minutes move by quarters of an hour,
    on the hours by hours. Any minute may be typed."""

    def __init__(self, value: QTime, parent: QWidget | None = None) -> None:
        super().__init__(value, parent)
        self.setDisplayFormat("HH:mm")
        self.setCurrentSection(QDateTimeEdit.Section.MinuteSection)
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setMinimumWidth(80)

    def stepBy(self, steps: int) -> None:
        if self.currentSection() == QDateTimeEdit.Section.MinuteSection:
            minutes = self.time().hour() * 60 + self.time().minute()
            snapped = (minutes // SLOT_MINUTES) * SLOT_MINUTES
            if steps < 0 and snapped < minutes:
                steps += 1  # 14:10, down: 14:00 first
            value = max(0, min(24 * 60 - SLOT_MINUTES, snapped + steps * SLOT_MINUTES))
            self.setTime(QTime(value // 60, value % 60))
            return
        super().stepBy(steps)


def room_text(room: SpaceRecord) -> str:
    """"Salle Sèvre — 14 places, rez-de-chaussée"."""
    return _("{name} — {places}, {floor}").format(
        name=room.name, places=ngettext("{n} place", "{n} places", room.capacity).format(
            n=room.capacity), floor=floor_label(room.floor).lower())


def amount_text(cents: int) -> str:
    """Cents as the French would type them: "12,50", "1 234,00" (no € sign), which
    domain.members.parse_euros reads back."""
    from babel.numbers import format_decimal

    return format_decimal(Decimal(cents) / 100, format="#,##0.00", locale=babel_locale())


def guarded(widget: QWidget, callback):
    """`callback` for a task's answer, skipped when `widget` was destroyed meanwhile (a
    dialog closed and deleted before its list came back)."""
    import shiboken6

    def run(*args):
        if shiboken6.isValid(widget):
            callback(*args)
    return run


def today(services) -> dt.date:
    return to_paris(services.ctx.now()).date()


def preview_pdf(parent: QWidget, record, content: bytes) -> QDialog:
    """Show an issued document in the PDF preview (print, save, open). Tests replace it."""
    from maison_app.ui.pdf_preview import PdfPreviewDialog

    dialog = PdfPreviewDialog(content, title=_("{kind} — {number}").format(
        kind=record.kind.label, number=record.number), suggested_filename=record.filename,
        parent=parent)
    dialog.open()
    return dialog
