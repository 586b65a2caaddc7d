"""Member badges: card size, ten per A4 sheet, everything printed, long names kept inside
the card, and a QR code that carries exactly the member code."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from dataclasses import replace
from html import unescape
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from maison_app.documents import badge as badge_module
from maison_app.documents.badge import (
    CARD_HEIGHT,
    CARD_WIDTH,
    INSET,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PER_PAGE,
    QR_BORDER,
    QR_LEVEL,
    card_origin,
    fit_text,
    qr_box,
    render_badges,
    wrap_text,
)
from maison_app.documents.fonts import BOLD, register_fonts
from maison_app.domain.members import BadgeData, member_code, parse_member_code
from maison_app.domain.records import MaisonIdentity
from tests.documents.test_letterhead import tiny_png

IDENTITY = MaisonIdentity(address="12 rue Joseph Cugnot")
LONG_NAME = "Marie-Hélène de La Rochefoucauld-Montmorency"
LONG_ORGANISATION = ("Société coopérative d'intérêt collectif des énergies renouvelables "
                     "du Marais poitevin")


def badge(pid: int, name: str, organisation: str = "", college: str | None = None,
          year: int | None = None) -> BadgeData:
    return BadgeData(person_id=pid, name=name, organisation=organisation,
                     member_code=member_code(pid), college=college, year=year)


SAMPLE = [
    badge(12, "Hélène Lefèvre", "Élan Coopératif Niortais", "Entreprises adhérentes", 2026),
    badge(345, "Noël Martin", "La Ressourcerie du Marais", "Bénévoles", 2026),
    badge(7, "Zoé Abadie"),  # not a member this year: no college, no year
    badge(999999, LONG_NAME, LONG_ORGANISATION, "Collectivités", 2026),
    badge(42, "Ève Œillet", "SCOP Atelier & Cie", "Salarié·es", 2026),
]


def crowd(n: int) -> list[BadgeData]:
    return [badge(i, f"Personne {i:02d}", "Structure", "Bénévoles", 2026) for i in range(1, n + 1)]


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in reader(pdf).pages]


needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils missing")


# --- what is printed --------------------------------------------------------------------------


def test_every_item_is_printed():
    pdf = render_badges(IDENTITY, SAMPLE)
    assert pdf.startswith(b"%PDF")
    (text,) = page_texts(pdf)
    assert text.count("Maison de l'ESS") == len(SAMPLE)
    for b in SAMPLE:
        assert b.member_code in text, b.member_code
    for needle in ("Hélène Lefèvre", "Élan Coopératif Niortais", "Collège Entreprises adhérentes · 2026",
                   "Noël Martin", "La Ressourcerie du Marais", "Collège Bénévoles · 2026",
                   "Zoé Abadie", "Ève Œillet", "SCOP Atelier & Cie", "Collège Salarié·es · 2026",
                   "Montmorency", "Collège Collectivités · 2026"):
        assert needle in text, needle
    # the year of membership in the band, for members of that year only
    assert text.count("Adhérent·e 2026") == 4
    assert "feuille 1 / 1" in text
    assert "5 badges" in text


def test_codes_are_ascii_and_read_back():
    for b in SAMPLE:
        assert b.member_code.isascii()
        assert parse_member_code(b.member_code) == b.person_id


def test_the_logo_is_drawn_once_per_card_when_set():
    with_logo = render_badges(replace(IDENTITY, logo=tiny_png(60, 20)), SAMPLE[:3])
    page = reader(with_logo).pages[0]
    assert len(page.images) == 1  # one image, drawn on each card
    assert page.get_contents().get_data().count(b" Do") == 3
    assert len(reader(render_badges(IDENTITY, SAMPLE[:3])).pages[0].images) == 0
    broken = render_badges(replace(IDENTITY, logo=b"not an image"), SAMPLE[:3])
    assert "Maison de l'ESS" in page_texts(broken)[0]


def test_embedded_fonts_only():
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader(render_badges(IDENTITY, SAMPLE)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(f.endswith(("DejaVuSans", "DejaVuSans-Bold")) for f in fonts), fonts


# --- the sheet ---------------------------------------------------------------------------------


def test_card_size_and_ten_cards_per_a4_sheet():
    assert round(CARD_WIDTH / mm, 2) == 85.6
    assert round(CARD_HEIGHT / mm, 2) == 54
    assert PER_PAGE == 10
    page = reader(render_badges(IDENTITY, SAMPLE)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    origins = [card_origin(i) for i in range(PER_PAGE)]
    assert len(set(origins)) == PER_PAGE
    for x, y in origins:  # every card on the page, none overlapping another
        assert x >= 10 * mm and x + CARD_WIDTH <= PAGE_WIDTH - 10 * mm
        assert y >= 10 * mm and y + CARD_HEIGHT <= PAGE_HEIGHT - 10 * mm
    for i, (x1, y1) in enumerate(origins):
        for x2, y2 in origins[i + 1:]:
            assert abs(x1 - x2) >= CARD_WIDTH - 1e-6 or abs(y1 - y2) >= CARD_HEIGHT - 1e-6
    # two columns, five rows, filled left to right then top to bottom
    assert {round(x) for x, _y in origins} == {round(origins[0][0]), round(origins[1][0])}
    assert origins[0][1] == origins[1][1] > origins[2][1]


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (10, 1), (11, 2), (20, 2), (21, 3)])
def test_as_many_sheets_as_needed(count, pages):
    texts = page_texts(render_badges(IDENTITY, crowd(count)))
    assert len(texts) == pages
    for number, text in enumerate(texts, start=1):
        assert f"feuille {number} / {pages}" in text
    everything = " ".join(texts)
    for i in range(1, count + 1):
        assert f"Personne {i:02d}" in everything
        assert member_code(i) in everything
    # in the order given: the 11th badge opens the second sheet
    if count >= 11:
        assert "Personne 11" in texts[1] and "Personne 11" not in texts[0]
        assert "Personne 10" in texts[0]


def test_same_inputs_same_bytes():
    first = render_badges(IDENTITY, crowd(12))
    second = render_badges(IDENTITY, crowd(12))
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert render_badges(IDENTITY, crowd(12)[::-1]) != first
    meta = reader(first).metadata
    assert meta.title == "Badges des membres"


# --- long names ----------------------------------------------------------------------------------


def test_fit_text_shrinks_then_wraps_then_cuts():
    register_fonts()
    width = badge_module.TEXT_WIDTH  # 52.6 mm
    size, lines = fit_text("Zoé Abadie", font=BOLD, width=width, sizes=(15, 8),
                           plans=badge_module.NAME_PLANS)
    assert (size, lines) == (15, ["Zoé Abadie"])
    size, lines = fit_text("Marie-Christine Lefèvre", font=BOLD, width=width,
                           sizes=(15, 8), plans=badge_module.NAME_PLANS)
    assert len(lines) == 1 and 11 <= size < 15  # shrunk, still on one line
    size, lines = fit_text("Jean-Christophe Vandenbroucke", font=BOLD, width=width,
                           sizes=(15, 8), plans=badge_module.NAME_PLANS)
    assert lines == ["Jean-Christophe", "Vandenbroucke"]  # too long for one line: two
    size, lines = fit_text(LONG_NAME, font=BOLD, width=width, sizes=(15, 8),
                           plans=badge_module.NAME_PLANS)
    assert 2 <= len(lines) <= 3
    assert "".join(lines).replace(" ", "") == LONG_NAME.replace(" ", "")  # nothing lost
    absurd = "Wolfeschlegelsteinhausenbergerdorff" * 6 + " Hubert"
    size, lines = fit_text(absurd, font=BOLD, width=width, sizes=(15, 8),
                           plans=badge_module.NAME_PLANS)
    assert size == 8 and len(lines) == 3 and lines[-1].endswith("…")
    for text in ("Zoé Abadie", LONG_NAME, absurd, LONG_ORGANISATION):
        size, lines = fit_text(text, font=BOLD, width=width, sizes=(15, 8), max_lines=2)
        assert all(stringWidth(line, BOLD, size) <= width for line in lines), (text, lines)


def test_wrap_text_breaks_at_spaces_and_after_hyphens_only_when_asked():
    register_fonts()
    width = stringWidth("Rochefoucauld-", BOLD, 12) + 1
    assert wrap_text("La Rochefoucauld-Montmorency", BOLD, 12, width, at_hyphens=True) == [
        "La", "Rochefoucauld-", "Montmorency"]
    plain = wrap_text("La Rochefoucauld-Montmorency", BOLD, 12, width)
    assert all(stringWidth(line, BOLD, 12) <= width for line in plain)  # cut anywhere
    assert "".join(plain[1:]) == "Rochefoucauld-Montmorency"
    assert wrap_text("", BOLD, 12, width) == []


def _words(pdf: bytes, tmp_path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word pdftotext finds, with its page and bounding box in PDF points (origin at
    the bottom left, like card_origin)."""
    path = tmp_path / "badges.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = []
    for page, body in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">(.*?)</word>', body):
            x0, top, x1, bottom = (float(v) for v in m.groups()[:4])
            words.append((page, x0, PAGE_HEIGHT - bottom, x1, PAGE_HEIGHT - top,
                          unescape(m.group(5))))
    return words


@needs_poppler
def test_no_text_runs_off_its_card_or_onto_the_qr_code(tmp_path):
    long_ones = [
        badge(1, LONG_NAME, LONG_ORGANISATION, "Collectivités territoriales et établissements "
              "publics de coopération intercommunale", 2026),
        badge(2, "Wolfeschlegelsteinhausenbergerdorff" * 4, "X" * 120, "Bénévoles", 2026),
        badge(3, "Jean-Baptiste Marie Étienne Hippolyte de Saint-Exupéry-Vandenbroucke",
              "Elan Coopératif Niortais, La Ressourcerie du Marais, Mairie de Niort, CAE",
              None, None),
    ] + SAMPLE + crowd(3)
    pdf = render_badges(replace(IDENTITY, name="Maison de l'Économie Sociale et Solidaire "
                                "du Niortais et du Sud Deux-Sèvres"), long_ones)
    words = _words(pdf, tmp_path)
    assert words
    tolerance = 0.5
    on_cards = 0
    for page, x0, y0, x1, y1, word in words:
        cards = [(i, *card_origin(i)) for i in range(PER_PAGE)
                 if card_origin(i)[0] <= x0 < card_origin(i)[0] + CARD_WIDTH
                 and card_origin(i)[1] <= y0 < card_origin(i)[1] + CARD_HEIGHT]
        if not cards:  # the sheet's note in the bottom margin
            assert y1 < card_origin(PER_PAGE - 1)[1], word
            continue
        ((index, cx, cy),) = cards
        on_cards += 1
        assert x0 >= cx + INSET - tolerance, word
        assert x1 <= cx + CARD_WIDTH - INSET + tolerance, (word, x1 - cx)
        assert y0 >= cy + INSET - tolerance, word
        assert y1 <= cy + CARD_HEIGHT - INSET + tolerance, word
        qx, qy, side = qr_box(index)
        overlaps_qr = x0 < qx + side and x1 > qx and y0 < qy + side and y1 > qy
        assert not overlaps_qr, word
    assert on_cards > 40


# --- the QR code ---------------------------------------------------------------------------------


def test_the_qr_widget_is_given_exactly_the_member_code(monkeypatch):
    given: list[str] = []
    original = badge_module.QrCodeWidget

    class Spy(original):
        def __init__(self, value, **kw):
            given.append(value)
            super().__init__(value, **kw)

    monkeypatch.setattr(badge_module, "QrCodeWidget", Spy)
    render_badges(IDENTITY, SAMPLE)
    assert given == [b.member_code for b in SAMPLE]
    assert all(isinstance(v, str) and v.isascii() for v in given)


def _expected_modules(code: str) -> list[list[bool]]:
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, QR_LEVEL))
    qr.addData(code)
    qr.make()
    return [[bool(m) for m in row] for row in qr.modules]


@needs_poppler
def test_the_printed_qr_code_is_the_encoding_of_the_member_code(tmp_path):
    """Rasterise the sheet and read every module of every QR code back: each is exactly
    the QR encoding of that card's member code, with a clean quiet zone around it."""
    badges = SAMPLE + crowd(5)
    path = tmp_path / "badges.pdf"
    path.write_bytes(render_badges(IDENTITY, badges))
    dpi = 300
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-png",
                    str(path), str(tmp_path / "sheet")], check=True)
    (png,) = tmp_path.glob("sheet*.png")
    image = Image.open(png).convert("L")
    scale = dpi / 72

    def dark(x_pt: float, y_pt: float) -> bool:
        return image.getpixel((round(x_pt * scale), round((PAGE_HEIGHT - y_pt) * scale))) < 128

    for index, b in enumerate(badges):
        expected = _expected_modules(b.member_code)
        n = len(expected)
        x, y, side = qr_box(index)
        module = side / (n + 2 * QR_BORDER)
        read = [[dark(x + (QR_BORDER + c + 0.5) * module, y + side - (QR_BORDER + r + 0.5) * module)
                 for c in range(n)] for r in range(n)]
        assert read == expected, b.member_code
        # the quiet zone: the ring of modules just outside the code is blank
        ring = [(r, c) for r in range(-2, n + 2) for c in range(-2, n + 2)
                if not (0 <= r < n and 0 <= c < n)]
        assert not any(dark(x + (QR_BORDER + c + 0.5) * module,
                            y + side - (QR_BORDER + r + 0.5) * module) for r, c in ring)
    # another code would not match
    assert _expected_modules(member_code(13)) != _expected_modules(member_code(12))


@needs_poppler
def test_cut_marks_are_drawn_in_the_margins(tmp_path):
    path = tmp_path / "badges.pdf"
    path.write_bytes(render_badges(IDENTITY, SAMPLE[:1]))
    subprocess.run(["pdftoppm", "-gray", "-r", "150", "-png", str(path), str(tmp_path / "s")],
                   check=True)
    (png,) = tmp_path.glob("s*.png")
    image = Image.open(png).convert("L")
    scale = 150 / 72
    top_edge = card_origin(0)[1] + CARD_HEIGHT
    left_edge = card_origin(0)[0]

    def darkest_near(x_pt: float, y_pt: float) -> int:
        px, py = round(x_pt * scale), round((PAGE_HEIGHT - y_pt) * scale)
        return min(image.getpixel((px + dx, py + dy)) for dx in range(-2, 3) for dy in range(-2, 3))

    # a short vertical tick above each column edge, a horizontal one left of each row edge
    for column in range(3):
        assert darkest_near(left_edge + column * CARD_WIDTH, top_edge + 5 * mm) < 235
    for row in range(6):
        assert darkest_near(left_edge - 5 * mm, top_edge - row * CARD_HEIGHT) < 235
    # and nothing in the margin between the marks
    assert darkest_near(left_edge + CARD_WIDTH / 2, top_edge + 5 * mm) == 255
