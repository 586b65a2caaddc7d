"""Member badges: cards of 85.6 × 54 mm (the size of a bank card), ten per A4 sheet in two
columns and five rows, with light cut marks in the margins, as many sheets as needed.

Each card carries the Maison's name (and logo when set) in a coloured band, the member's name
in large type, their organisation, their college and year when they are a member that year,
and the member code twice: as text, and as a QR code whose payload is exactly that ASCII
code (a scanner at the reception types it into the search field). Long names shrink, then
wrap, then are cut with an ellipsis: nothing ever runs off a card.

Same inputs, same bytes (invariant mode, a fixed creation date, a file ID made from the
content), like every other document.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from maison_app.documents.fonts import BOLD, REGULAR, register_fonts
from maison_app.documents.letterhead import logo_image
from maison_app.documents.styles import ACCENT, MUTED, RULE, TEXT
from maison_app.domain.members import BadgeData
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _, current_language, ngettext

# --- the sheet ---------------------------------------------------------------------------------

CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
COLUMNS = 2
ROWS = 5
PER_PAGE = COLUMNS * ROWS
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = (PAGE_WIDTH - COLUMNS * CARD_WIDTH) / 2  # 19.4 mm
MARGIN_Y = (PAGE_HEIGHT - ROWS * CARD_HEIGHT) / 2  # 13.5 mm
CUT_MARK_GAP = 2 * mm  # between the cards' edge and a cut mark
CUT_MARK_LENGTH = 6 * mm

# --- the card (offsets from its bottom-left corner) ---------------------------------------------

INSET = 3 * mm  # nothing is printed closer to the edge: a cut slightly off spoils nothing
PADDING = 4 * mm  # the text's left margin
BAND_HEIGHT = 10 * mm
QR_SIZE = 26 * mm  # the widget, with its 4-module quiet zone
QR_BORDER = 4  # modules of quiet zone, part of QR_SIZE
QR_LEVEL = "M"
QR_X = CARD_WIDTH - INSET - QR_SIZE
QR_Y = INSET + 4 * mm  # the code's text sits below it
TEXT_X = PADDING
TEXT_WIDTH = QR_X - TEXT_X  # the QR's quiet zone separates the text from its modules
TEXT_TOP = CARD_HEIGHT - INSET - BAND_HEIGHT - 4 * mm

NAME_SIZES = (15.0, 8.0)  # largest, smallest (points)
# one line while it is 11 points or more, else two lines down to 10 points, else three
NAME_PLANS = ((1, 11.0), (2, 10.0), (3, 8.0))
ORGANISATION_SIZES = (8.5, 6.5)
DETAIL_SIZE = 7.0
CODE_SIZE = 7.5
HOUSE_SIZES = (9.5, 6.0)

FIXED_DATE = "D:20000101000000+00'00'"  # badges carry no date of issue

BAND_TEXT = white
CODE_COLOR = TEXT


def card_origin(index: int) -> tuple[float, float]:
    """The bottom-left corner of the `index`-th card of a sheet (0 to 9: left to right, then
    top to bottom), in points from the bottom-left corner of the page."""
    column, row = index % COLUMNS, index // COLUMNS
    return MARGIN_X + column * CARD_WIDTH, PAGE_HEIGHT - MARGIN_Y - (row + 1) * CARD_HEIGHT


def qr_box(index: int) -> tuple[float, float, float]:
    """Where the QR code of the `index`-th card of a sheet is drawn: x, y, side (points),
    its quiet zone included."""
    x, y = card_origin(index)
    return x + QR_X, y + QR_Y, QR_SIZE


# --- fitting text in a box -----------------------------------------------------------------------


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than a line, cut anywhere."""
    pieces, current = [], ""
    for ch in word:
        if current and stringWidth(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return pieces + ([current] if current else [])


def _tokens(text: str, *, at_hyphens: bool) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether it follows the previous one
    without a space (after a hyphen of "Rochefoucauld-Montmorency")."""
    out: list[tuple[str, bool]] = []
    for word in text.split():
        parts = re.split(r"(?<=-)(?=[^-])", word) if at_hyphens else [word]
        out += [(part, i > 0) for i, part in enumerate(parts)]
    return out


def wrap_text(text: str, font: str, size: float, width: float, *,
              at_hyphens: bool = False) -> list[str]:
    """Greedy wrap at spaces (and after hyphens if asked): lines no wider than `width` at
    this size; a word too long for a line on its own is cut anywhere."""
    lines: list[str] = []
    current = ""
    for token, glued in _tokens(text, at_hyphens=at_hyphens):
        pieces = ([token] if stringWidth(token, font, size) <= width
                  else _break_word(token, font, size, width))
        for i, piece in enumerate(pieces):
            glue = "" if (glued or i > 0) else " "
            candidate = current + glue + piece if current else piece
            if stringWidth(candidate, font, size) <= width:
                current = candidate
            else:
                if current:
                    lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines


def _ellipsis(line: str, font: str, size: float, width: float) -> str:
    while line and stringWidth(line + "…", font, size) > width:
        line = line[:-1].rstrip()
    return line + "…"


def fit_text(text: str, *, font: str, width: float, sizes: tuple[float, float],
             plans: Sequence[tuple[int, float]] | None = None, max_lines: int = 1
             ) -> tuple[float, list[str]]:
    """The size and the lines in which `text` fits lines of `width`.

    `plans` are tried in order, each a number of lines and the smallest size it may use:
    for each, sizes from `sizes[0]` down by half points (never below `sizes[1]`) until the
    text fits in that many lines (wrapped at spaces first, then after hyphens too). So a
    name stays on one line while it can be read, then takes two lines, then three. Without
    `plans`: up to `max_lines` lines down to `sizes[1]`. Whatever cannot fit even so is cut
    with an ellipsis. Every line returned is at most `width` wide."""
    text = " ".join((text or "").split())
    largest, smallest = sizes
    if plans is None:
        plans = ((max_lines, smallest),)
    if not text:
        return largest, []
    for lines_allowed, plan_smallest in plans:
        size = largest
        while size >= max(plan_smallest, smallest) - 1e-9:
            for at_hyphens in (False, True):  # names break at their spaces first
                lines = wrap_text(text, font, size, width, at_hyphens=at_hyphens)
                if len(lines) <= lines_allowed:
                    return size, lines
            size -= 0.5
    lines_allowed = plans[-1][0]
    lines = wrap_text(text, font, smallest, width, at_hyphens=True)
    kept = lines[:lines_allowed]
    kept[-1] = _ellipsis(kept[-1], font, smallest, width)
    return smallest, kept


# --- drawing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _House:
    """What every card of a batch shares: the Maison's name and logo."""

    name: str
    logo: tuple | None  # (ImageReader, width, height) scaled into the band


def _house(identity: MaisonIdentity) -> _House:
    logo = logo_image(identity)
    if logo is not None:
        reader, width, height = logo
        scale = min(16 * mm / width, (BAND_HEIGHT - 3 * mm) / height)
        logo = (reader, width * scale, height * scale)
    return _House(name=identity.name.strip() or identity.organisation.strip(), logo=logo)


def _draw_lines(c: Canvas, lines: Sequence[str], font: str, size: float, x: float, top: float,
                leading: float) -> float:
    """Draws lines from `top` down; returns the y below the last one."""
    c.setFont(font, size)
    y = top
    for line in lines:
        y -= size
        c.drawString(x, y, line)
        y -= leading - size
    return y


def _draw_band(c: Canvas, house: _House, badge: BadgeData) -> None:
    left, right = INSET, CARD_WIDTH - INSET
    bottom = CARD_HEIGHT - INSET - BAND_HEIGHT
    c.setFillColor(ACCENT)
    c.roundRect(left, bottom, right - left, BAND_HEIGHT, 1.6 * mm, stroke=0, fill=1)
    x = left + 2.5 * mm
    if house.logo is not None:
        reader, width, height = house.logo
        pad = 0.8 * mm
        c.setFillColor(white)
        c.roundRect(x - pad, bottom + (BAND_HEIGHT - height) / 2 - pad, width + 2 * pad,
                    height + 2 * pad, 1 * mm, stroke=0, fill=1)
        c.drawImage(reader, x, bottom + (BAND_HEIGHT - height) / 2, width, height,
                    mask="auto", preserveAspectRatio=True)
        x += width + 2.5 * mm
    c.setFillColor(BAND_TEXT)
    available = right - 2.5 * mm - x
    if badge.year:  # a member that year
        tag = _("Adhérent·e {year}").format(year=badge.year)
        tag_size = 6.5
        c.setFont(BOLD, tag_size)
        c.drawRightString(right - 2.5 * mm, bottom + (BAND_HEIGHT - tag_size * 0.72) / 2, tag)
        available -= stringWidth(tag, BOLD, tag_size) + 3 * mm
    size, lines = fit_text(house.name, font=BOLD, width=available, sizes=HOUSE_SIZES,
                           max_lines=1)
    if lines:
        c.setFont(BOLD, size)
        c.drawString(x, bottom + (BAND_HEIGHT - size * 0.72) / 2, lines[0])


def _draw_qr(c: Canvas, code: str) -> None:
    widget = QrCodeWidget(code, barLevel=QR_LEVEL, barBorder=QR_BORDER,
                          barWidth=QR_SIZE, barHeight=QR_SIZE, barFillColor=TEXT)
    drawing = Drawing(QR_SIZE, QR_SIZE, initialFontName=REGULAR)  # no Helvetica in the PDF
    drawing.add(widget)
    renderPDF.draw(drawing, c, QR_X, QR_Y)


def _draw_card(c: Canvas, house: _House, badge: BadgeData) -> None:
    _draw_band(c, house, badge)

    # at the foot of the text column: the college and the year
    floor = INSET + 1 * mm
    if badge.college:
        detail = (_("Collège {college} · {year}").format(college=badge.college, year=badge.year)
                  if badge.year else _("Collège {college}").format(college=badge.college))
        size, lines = fit_text(detail, font=REGULAR, width=TEXT_WIDTH,
                               sizes=(DETAIL_SIZE, 5.5), max_lines=2)
        c.setFillColor(ACCENT)
        leading = size * 1.2
        floor = INSET + 1 * mm + len(lines) * leading
        _draw_lines(c, lines, REGULAR, size, TEXT_X, floor, leading)
        floor += 1.5 * mm

    # the member: name, then organisation, in what is left above
    size, lines = fit_text(badge.name, font=BOLD, width=TEXT_WIDTH, sizes=NAME_SIZES,
                           plans=NAME_PLANS)
    c.setFillColor(TEXT)
    top = _draw_lines(c, lines, BOLD, size, TEXT_X, TEXT_TOP, size * 1.12)
    if badge.organisation:
        top -= 1.8 * mm
        room = int((top - floor) // (ORGANISATION_SIZES[0] * 1.2))
        if room >= 1:
            size, lines = fit_text(badge.organisation, font=REGULAR, width=TEXT_WIDTH,
                                   sizes=ORGANISATION_SIZES, max_lines=min(room, 2))
            _draw_lines(c, lines, REGULAR, size, TEXT_X, top, size * 1.2)

    # the code, as a QR code and as text below it
    _draw_qr(c, badge.member_code)
    c.setFillColor(CODE_COLOR)
    c.setFont(BOLD, CODE_SIZE)
    c.drawCentredString(QR_X + QR_SIZE / 2, INSET + 1 * mm, badge.member_code)


def _draw_cut_marks(c: Canvas) -> None:
    c.setStrokeColor(RULE)
    c.setLineWidth(0.3)
    left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
    bottom, top = MARGIN_Y, PAGE_HEIGHT - MARGIN_Y
    for column in range(COLUMNS + 1):
        x = MARGIN_X + column * CARD_WIDTH
        c.line(x, top + CUT_MARK_GAP, x, top + CUT_MARK_GAP + CUT_MARK_LENGTH)
        c.line(x, bottom - CUT_MARK_GAP, x, bottom - CUT_MARK_GAP - CUT_MARK_LENGTH)
    for row in range(ROWS + 1):
        y = MARGIN_Y + row * CARD_HEIGHT
        c.line(left - CUT_MARK_GAP, y, left - CUT_MARK_GAP - CUT_MARK_LENGTH, y)
        c.line(right + CUT_MARK_GAP, y, right + CUT_MARK_GAP + CUT_MARK_LENGTH, y)


def _draw_sheet_note(c: Canvas, page: int, pages: int, count: int) -> None:
    c.setFillColor(MUTED)
    c.setFont(REGULAR, 6.5)
    label = ngettext("{n} badge", "{n} badges", count).format(n=count)
    c.drawString(MARGIN_X, 4 * mm, _(
        "Badges des membres — {count} — découper le long des traits").format(count=label))
    c.drawRightString(PAGE_WIDTH - MARGIN_X, 4 * mm,
                      _("feuille {page} / {total}").format(page=page, total=pages))


def _fixed_canvas(buffer: io.BytesIO, badges: Sequence[BadgeData]) -> Canvas:
    canvas = Canvas(buffer, pagesize=A4, invariant=1,
                    lang="fr-FR" if current_language() == "fr" else "en-GB",
                    initialFontName=REGULAR)
    canvas.setDateFormatter(lambda *_args: FIXED_DATE)
    # The file ID is a digest reportlab seeds with a timestamp: seed it with the content.
    signature = hashlib.md5(usedforsecurity=False)
    signature.update(b"maison_app badges")
    for badge in badges:
        signature.update(repr(badge).encode("utf-8"))
    canvas._doc.signature = signature
    return canvas


def render_badges(identity: MaisonIdentity, badges: list[BadgeData]) -> bytes:
    """The badges as PDF bytes, ten per A4 sheet, in the order given. Same inputs, same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = _fixed_canvas(buffer, badges)
    title = _("Badges des membres")
    canvas.setTitle(title)
    canvas.setSubject(ngettext("{n} badge", "{n} badges", len(badges)).format(n=len(badges)))
    canvas.setAuthor(identity.name)
    canvas.setCreator("maison_app")
    canvas.setProducer("maison_app")
    house = _house(identity)
    pages = max(1, math.ceil(len(badges) / PER_PAGE))
    for page in range(pages):
        batch = badges[page * PER_PAGE:(page + 1) * PER_PAGE]
        _draw_cut_marks(canvas)
        _draw_sheet_note(canvas, page + 1, pages, len(badges))
        for index, badge in enumerate(batch):
            x, y = card_origin(index)
            canvas.saveState()
            canvas.translate(x, y)
            _draw_card(canvas, house, badge)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


__all__ = ["CARD_HEIGHT", "CARD_WIDTH", "PER_PAGE", "card_origin", "fit_text", "qr_box",
           "render_badges", "wrap_text"]
