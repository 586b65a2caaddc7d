"""The letterhead every document is printed on.

Header: the Maison's logo (when set), name, organisation, address, SIRET and contact on the
left; the document number and date of issue on the right. Footer: the document title and
number, and "page X / Y" with the true page count (drawn when the document is saved, by
`_NumberedCanvas`).

`build_pdf(story, identity=…, title=…, number=…, issued_at=…, author=…)` turns a list of
flowables into PDF bytes. The output depends only on its inputs: reportlab runs in invariant
mode and the PDF creation date is the date of issue, so a reprint of an archived document has
the same bytes (and the same SHA-256) as the original.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as landscape_of
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from maison_app.documents.fonts import BOLD, REGULAR, register_fonts
from maison_app.documents.styles import ACCENT, MUTED, RULE, markup, stylesheet
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import _, current_language, format_date, format_datetime, to_paris

log = logging.getLogger(__name__)

SIDE_MARGIN = 15 * mm
TOP_MARGIN = 11 * mm
BOTTOM_MARGIN = 11 * mm
HEADER_GAP = 6 * mm  # between the header rule and the text
FOOTER_HEIGHT = 9 * mm  # from the bottom margin to the footer rule
LOGO_MAX_WIDTH = 42 * mm
LOGO_MAX_HEIGHT = 20 * mm
LOGO_GAP = 5 * mm
RIGHT_COLUMN = 55 * mm
FOOTER_SIZE = 7.5


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What the letterhead prints about the document itself."""

    title: str
    number: str
    issued_at: dt.datetime  # aware
    author: str
    subject: str = ""
    dated_only: bool = False  # the header says « Émis le 1er décembre 2026 », without a time

    @property
    def issued_text(self) -> str:
        if self.dated_only:
            return _("Émis le {date}").format(date=long_date(to_paris(self.issued_at).date()))
        return _("Émis le {datetime}").format(datetime=format_datetime(self.issued_at))


def long_date(day: dt.date) -> str:
    """"2 mars 2026"; in French the first of the month is "1er mars 2026"."""
    text = format_date(day)
    if day.day == 1 and current_language() == "fr" and text.startswith("1 "):
        text = "1er " + text[2:]
    return text


def page_size(landscape: bool = False) -> tuple[float, float]:
    return landscape_of(A4) if landscape else A4


def content_width(landscape: bool = False) -> float:
    """The width of the text frame, for documents that size table columns."""
    return page_size(landscape)[0] - 2 * SIDE_MARGIN


def format_siret(siret: str) -> str:
    """"12345678900012" as "123 456 789 00012" (non-breaking spaces)."""
    digits = "".join(ch for ch in siret if ch.isdigit())
    if len(digits) != 14:
        return siret.strip()
    return "\u00a0".join((digits[:3], digits[3:6], digits[6:9], digits[9:]))


def _pdf_date(moment: dt.datetime) -> str:
    """A PDF date string (UTC) for reportlab's date formatter."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def logo_image(identity: MaisonIdentity) -> tuple[ImageReader, float, float] | None:
    """The logo scaled into its box, or None (no logo, or bytes that are not an image:
    a broken setting must never stop a document from printing)."""
    if not identity.logo:
        return None
    try:
        reader = ImageReader(io.BytesIO(identity.logo))
        width, height = reader.getSize()
    except Exception:  # noqa: BLE001 - any decoding failure means "no logo"
        log.warning("Le logo de la Maison n'est pas une image lisible ; il est ignoré.")
        return None
    if width <= 0 or height <= 0:
        return None
    scale = min(LOGO_MAX_WIDTH / width, LOGO_MAX_HEIGHT / height)
    return reader, width * scale, height * scale


class _Header:
    """The header block, measured once per document and drawn on every page."""

    def __init__(self, identity: MaisonIdentity, meta: DocumentMeta, page_width: float) -> None:
        styles = stylesheet()
        self.logo = logo_image(identity)
        logo_width = self.logo[1] + LOGO_GAP if self.logo else 0
        self.left_x = SIDE_MARGIN + logo_width
        self.left_width = page_width - 2 * SIDE_MARGIN - logo_width - RIGHT_COLUMN
        self.right_width = RIGHT_COLUMN

        lines: list[Paragraph] = [Paragraph(markup(identity.name), styles["lh_name"])]
        if identity.organisation:
            lines.append(Paragraph(markup(identity.organisation), styles["lh_line"]))
        if identity.address_line:
            lines.append(Paragraph(markup(identity.address_line), styles["lh_line"]))
        if identity.siret.strip():
            lines.append(Paragraph(
                markup(_("SIRET {siret}").format(siret=format_siret(identity.siret))),
                styles["lh_line"],
            ))
        contact = [c for c in (
            _("Tél. {phone}").format(phone=identity.phone.strip()) if identity.phone.strip() else "",
            identity.email.strip(),
        ) if c]
        if contact:
            lines.append(Paragraph(markup(" · ".join(contact)), styles["lh_line"]))
        self.left = lines

        self.right = [
            Paragraph(f'<font name="{BOLD}" color="{ACCENT.hexval()}">{markup(meta.number)}</font>',
                      styles["lh_right"]),
            Paragraph(markup(meta.issued_text), styles["lh_right"]),
        ]
        if meta.author:
            self.right.append(
                Paragraph(markup(_("par {author}").format(author=meta.author)), styles["lh_right"])
            )

        self.left_heights = [p.wrap(self.left_width, 1000)[1] for p in self.left]
        self.right_heights = [p.wrap(self.right_width, 1000)[1] for p in self.right]
        self.height = max(
            sum(self.left_heights),
            sum(self.right_heights),
            self.logo[2] if self.logo else 0,
        )

    def draw(self, canvas: Canvas, page_width: float, page_height: float) -> None:
        top = page_height - TOP_MARGIN
        if self.logo:
            reader, width, height = self.logo
            canvas.drawImage(reader, SIDE_MARGIN, top - height, width, height,
                             mask="auto", preserveAspectRatio=True)
        y = top
        for para, height in zip(self.left, self.left_heights, strict=True):
            y -= height
            para.drawOn(canvas, self.left_x, y)
        y = top
        right_x = page_width - SIDE_MARGIN - self.right_width
        for para, height in zip(self.right, self.right_heights, strict=True):
            y -= height
            para.drawOn(canvas, right_x, y)
        rule_y = top - self.height - 2.5 * mm
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.2)
        canvas.line(SIDE_MARGIN, rule_y, page_width - SIDE_MARGIN, rule_y)

    @property
    def total_height(self) -> float:
        """From the top margin to the start of the text frame."""
        return self.height + 2.5 * mm + HEADER_GAP


def _footer_baseline() -> float:
    return BOTTOM_MARGIN + FOOTER_HEIGHT - 3.6 * mm


def _draw_footer(canvas: Canvas, meta: DocumentMeta, page_width: float) -> None:
    rule_y = BOTTOM_MARGIN + FOOTER_HEIGHT
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(SIDE_MARGIN, rule_y, page_width - SIDE_MARGIN, rule_y)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, FOOTER_SIZE)
    label = " — ".join(p for p in (meta.title, meta.number) if p)
    # Keep clear of the page counter on the right.
    available = page_width - 2 * SIDE_MARGIN - 30 * mm
    while label and canvas.stringWidth(label, REGULAR, FOOTER_SIZE) > available:
        label = label[:-2] + "…"
    canvas.drawString(SIDE_MARGIN, _footer_baseline(), label)


class _NumberedCanvas(Canvas):
    """Keeps every page until the end, then writes "page X / Y" on each with the true total."""

    def __init__(self, *args, issued_at: dt.datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._saved_page_states: list[dict] = []
        stamp = _pdf_date(issued_at)
        self.setDateFormatter(lambda *_args: stamp)
        # The file ID is a digest seeded with a timestamp, which in invariant mode still
        # follows $SOURCE_DATE_EPOCH: seed it with the date of issue so that a reprint on any
        # machine has the same bytes.
        if hasattr(self._doc, "signature"):
            signature = hashlib.md5(usedforsecurity=False)
            signature.update(b"maison_app " + stamp.encode("ascii"))
            self._doc.signature = signature

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_page_states)
        for state in self._saved_page_states:
            self.__dict__.update(state)
            self._draw_page_count(total)
            super().showPage()
        super().save()

    def _draw_page_count(self, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFillColor(MUTED)
        self.setFont(REGULAR, FOOTER_SIZE)
        self.drawRightString(
            width - SIDE_MARGIN, _footer_baseline(),
            _("page {page} / {total}").format(page=self._pageNumber, total=total),
        )
        self.restoreState()


class LetterheadDocTemplate(BaseDocTemplate):
    """A4 (portrait or landscape) with the Maison's letterhead on every page."""

    def __init__(
        self, output, *, identity: MaisonIdentity, meta: DocumentMeta, landscape: bool = False,
    ) -> None:
        register_fonts()
        size = page_size(landscape)
        self.identity = identity
        self.meta = meta
        self.header = _Header(identity, meta, size[0])
        top = TOP_MARGIN + self.header.total_height
        bottom = BOTTOM_MARGIN + FOOTER_HEIGHT + 4 * mm
        super().__init__(
            output,
            pagesize=size,
            leftMargin=SIDE_MARGIN, rightMargin=SIDE_MARGIN,
            topMargin=top, bottomMargin=bottom,
            title=meta.title,
            author=meta.author,
            subject=meta.subject or meta.title,
            creator="maison_app",
            producer="maison_app",
            invariant=1,
            lang="fr-FR" if current_language() == "fr" else "en-GB",
            initialFontName=REGULAR,
        )
        frame = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
        )
        self.addPageTemplates([PageTemplate(id="letterhead", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        canvas.saveState()
        self.header.draw(canvas, width, height)
        _draw_footer(canvas, self.meta, width)
        canvas.restoreState()

    def build_bytes(self, story: Sequence[Flowable]) -> bytes:
        self.build(
            list(story),
            canvasmaker=functools.partial(_NumberedCanvas, issued_at=self.meta.issued_at),
        )
        return self.filename.getvalue()


def build_pdf(
    story: Sequence[Flowable],
    *,
    identity: MaisonIdentity,
    title: str,
    number: str,
    issued_at: dt.datetime,
    author: str,
    subject: str = "",
    landscape: bool = False,
) -> bytes:
    """The PDF bytes of `story` on the Maison's letterhead. Same inputs, same bytes."""
    meta = DocumentMeta(title=title, number=number, issued_at=issued_at, author=author,
                        subject=subject)
    doc = LetterheadDocTemplate(io.BytesIO(), identity=identity, meta=meta, landscape=landscape)
    return doc.build_bytes(story)
