"""The one stylesheet of every PDF: paragraph styles in the embedded font, sober colours.

Documents take their styles from `stylesheet()` and their table look from `table_style()`,
so that every paper of the Maison looks the same.
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.platypus import TableStyle

from maison_app.documents.fonts import BOLD, REGULAR, register_fonts

# Colours: a dark teal accent (the ESS green), greys for secondary text and rules.
ACCENT = colors.HexColor("#1F5F5B")
ACCENT_LIGHT = colors.HexColor("#E6F0EE")
TEXT = colors.HexColor("#1E1E1E")
MUTED = colors.HexColor("#5F6B6A")
RULE = colors.HexColor("#B9C6C4")
ZEBRA = colors.HexColor("#F4F7F6")
WHITE = colors.white

BODY_SIZE = 9.5
SMALL_SIZE = 7.5


@cache
def stylesheet() -> StyleSheet1:
    """Paragraph styles: title, subtitle, heading, body, small, muted, note, th, td, td_small."""
    register_fonts()
    sheet = StyleSheet1()
    base = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.3,
        textColor=TEXT, alignment=TA_LEFT, spaceAfter=4,
    )
    sheet.add(base)
    sheet.add(ParagraphStyle(
        "title", parent=base, fontName=BOLD, fontSize=17, leading=21, textColor=ACCENT,
        spaceBefore=0, spaceAfter=3,
    ))
    sheet.add(ParagraphStyle(
        "subtitle", parent=base, fontSize=10, leading=13, textColor=MUTED, spaceAfter=8,
    ))
    sheet.add(ParagraphStyle(
        "heading", parent=base, fontName=BOLD, fontSize=11.5, leading=14.5, textColor=ACCENT,
        spaceBefore=8, spaceAfter=4,
    ))
    sheet.add(ParagraphStyle(
        "strong", parent=base, fontName=BOLD,
    ))
    sheet.add(ParagraphStyle(
        "small", parent=base, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.3, spaceAfter=0,
    ))
    sheet.add(ParagraphStyle(
        "muted", parent=sheet["small"], textColor=MUTED,
    ))
    sheet.add(ParagraphStyle(
        "note", parent=base, fontSize=9, leading=12, backColor=ACCENT_LIGHT,
        borderColor=ACCENT, borderWidth=0.6, borderPadding=(5, 6, 6, 6),
        spaceBefore=10, spaceAfter=6,
    ))
    # Letterhead
    sheet.add(ParagraphStyle(
        "lh_name", parent=base, fontName=BOLD, fontSize=12.5, leading=15, textColor=ACCENT,
        spaceAfter=0,
    ))
    sheet.add(ParagraphStyle(
        "lh_line", parent=base, fontSize=8, leading=10, textColor=MUTED, spaceAfter=0,
    ))
    sheet.add(ParagraphStyle(
        "lh_right", parent=sheet["lh_line"], alignment=TA_RIGHT,
    ))
    # Tables
    sheet.add(ParagraphStyle(
        "th", parent=base, fontName=BOLD, fontSize=8, leading=10, textColor=WHITE, spaceAfter=0,
    ))
    sheet.add(ParagraphStyle("th_center", parent=sheet["th"], alignment=TA_CENTER))
    sheet.add(ParagraphStyle("th_small", parent=sheet["th_center"], fontSize=7, leading=8.5))
    sheet.add(ParagraphStyle(
        # embeddedHyphenation: "Rochefoucauld-Montmorency" breaks after its hyphen rather
        # than in the middle of a word.
        "td", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0, embeddedHyphenation=2,
    ))
    sheet.add(ParagraphStyle("td_center", parent=sheet["td"], alignment=TA_CENTER))
    sheet.add(ParagraphStyle("td_right", parent=sheet["td"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle(
        "td_small", parent=sheet["td"], fontSize=7, leading=8.5, textColor=MUTED,
    ))
    return sheet


def table_style(*, header_rows: int = 1, zebra: bool = True) -> TableStyle:
    """The look of data tables: accent header, thin rules, light zebra rows."""
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT),
            ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), WHITE),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [WHITE, ZEBRA]))
    return TableStyle(commands)



def markup(text: str | None) -> str:
    """Plain text made safe for a reportlab Paragraph.

    Escapes the XML specials (a name like "Dupont & fils" must not break the markup), and turns
    babel's narrow no-break space U+202F ("1 234,50 €") into a no-break space U+00A0: reportlab's
    Paragraph breaks lines at U+202F as if it were an ordinary space (and draws it as one), but
    keeps U+00A0 between the words it joins, so an amount never splits across two lines.
    """
    return escape(text or "").replace("\u202f", "\u00a0")
