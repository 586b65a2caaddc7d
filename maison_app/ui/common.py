"""Small helpers and widgets shared by the screens: the note and banner styles, dates typed
jj/mm/aaaa (parse_date, date_text, DateField), amounts shown "12,50" (amount_text), a task
callback that skips a destroyed widget (guarded), today's date in Paris (today) and the PDF
preview of an issued document (preview_pdf)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from maison_app.domain.errors import ValidationError
from maison_app.i18n import _, babel_locale, to_paris

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
