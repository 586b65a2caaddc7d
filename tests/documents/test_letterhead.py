"""The letterhead, fonts and styles every document shares."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zlib
from dataclasses import replace

import pypdf
import pytest
from reportlab.platypus import Flowable, Paragraph

from maison_app.documents import fonts
from maison_app.documents.letterhead import build_pdf, content_width, format_siret
from maison_app.documents.styles import markup, stylesheet
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import format_money

ISSUED = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris

IDENTITY = MaisonIdentity(
    name="Maison de l'ESS",
    organisation="Pôle Territorial de Coopération Économique Niortais",
    address="12 rue Joseph Cugnot",
    postcode="79000",
    city="Niort",
    siret="12345678900012",
    phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
)


def tiny_png(width: int = 24, height: int = 12) -> bytes:
    """A valid RGB PNG written by hand (no Qt, no Pillow)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x1f\x5f\x5b" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


class DrawnString(Flowable):
    """Draws its text straight on the canvas (no Paragraph), as a footer or a form would."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, aw, ah):
        return aw, 14

    def draw(self):
        self.canv.setFont(fonts.REGULAR, 10)
        self.canv.drawString(0, 2, self.text)


def _story(n: int = 3):
    styles = stylesheet()
    story = [Paragraph(markup("Document d'essai"), styles["title"])]
    story += [
        Paragraph(markup(f"Ligne {i} : Hélène Lefèvre doit {format_money(123450)}"), styles["body"])
        for i in range(n)
    ]
    story.append(DrawnString(f"Montant {format_money(123450)}"))
    return story


def _pdf(**overrides) -> bytes:
    kwargs = dict(identity=IDENTITY, title="Document d'essai", number="XX-2026-0001",
                  issued_at=ISSUED, author="accueil")
    n = overrides.pop("n", 3)
    kwargs.update(overrides)
    return build_pdf(_story(n), **kwargs)


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in _reader(pdf).pages]


def _base_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in _reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _spaces_normalised(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_fonts_are_read_from_the_package_resources_and_registered_once():
    assert fonts.font_bytes("DejaVuSans.ttf")[:4] == b"\x00\x01\x00\x00"  # a TrueType file
    fonts.register_fonts()
    fonts.register_fonts()
    from reportlab.lib.fonts import tt2ps
    from reportlab.pdfbase import pdfmetrics

    assert {"DejaVuSans", "DejaVuSans-Bold"} <= set(pdfmetrics.getRegisteredFontNames())
    assert tt2ps("DejaVuSans", 1, 0) == "DejaVuSans-Bold"
    assert tt2ps("DejaVuSans", 0, 0) == "DejaVuSans"


def test_french_money_has_every_glyph_in_both_faces():
    money = format_money(123450)
    assert "\u202f" in money  # babel's narrow no-break space, which Helvetica cannot draw
    assert fonts.missing_glyphs(money) == set()
    assert fonts.missing_glyphs(money, fonts.BOLD) == set()
    assert fonts.missing_glyphs("Éloïse Cœur, François Ménard · N° ☐") == set()
    # and the check does see a glyph the font lacks
    assert fonts.missing_glyphs("Niort 漢") == {"漢"}


def test_markup_escapes_and_keeps_amounts_on_one_line():
    assert markup("Dupont & fils <SARL>") == "Dupont &amp; fils &lt;SARL&gt;"
    assert markup(None) == ""
    para = Paragraph(markup(f"Total dû {format_money(123450)}"), stylesheet()["body"])
    para.wrap(60, 1000)  # narrow: one word a line
    lines = [" ".join(str(w) for w in line[1]) for line in para.blPara.lines]
    assert any("234,50" in line and "1" in line and "€" in line for line in lines), lines


def test_letterhead_carries_identity_metadata_and_page_count():
    pdf = _pdf()
    (page,) = _text(pdf)
    assert "Maison de l'ESS" in page
    assert "Pôle Territorial de Coopération Économique Niortais" in page
    assert "12 rue Joseph Cugnot, 79000 Niort" in page
    assert "SIRET 123 456 789 00012" in _spaces_normalised(page)
    assert "accueil@maison-ess-niort.fr" in page
    assert "Tél. 05 49 00 00 00" in page
    assert "XX-2026-0001" in page
    assert "26 novembre 2026 à 09:00" in page  # issued_at shown in Paris time
    assert "page 1 / 1" in page
    assert "Document d'essai — XX-2026-0001" in page
    meta = _reader(pdf).metadata
    assert meta.title == "Document d'essai"
    assert meta.author == "accueil"
    assert meta["/CreationDate"].startswith("D:20261126080000")


def test_money_is_drawn_with_the_embedded_font():
    pdf = _pdf()
    (page,) = _text(pdf)
    # drawn on the canvas: the narrow no-break space itself is in the PDF
    # (pypdf reports U+00A0 as a plain space, but keeps U+202F)
    assert "Montant 1\u202f234,50 €" in page
    # in a paragraph it becomes a no-break space (same words, no line break inside)
    assert "Hélène Lefèvre doit 1 234,50 €" in _spaces_normalised(page)
    assert all("DejaVuSans" in name for name in _base_fonts(pdf)), _base_fonts(pdf)
    assert not any("Helvetica" in name for name in _base_fonts(pdf))


def test_logo_is_drawn_when_set_and_a_broken_logo_is_ignored():
    with_logo = _pdf(identity=replace(IDENTITY, logo=tiny_png()))
    assert len(_reader(with_logo).pages[0].images) == 1
    without = _pdf()
    assert len(_reader(without).pages[0].images) == 0
    broken = _pdf(identity=replace(IDENTITY, logo=b"not an image"))
    assert len(_reader(broken).pages[0].images) == 0
    assert "Maison de l'ESS" in _text(broken)[0]


def test_siret_is_optional_and_grouped():
    assert format_siret("12345678900012") == "123\u00a0456\u00a0789\u00a000012"
    assert format_siret(" 123 456 789 00012 ") == "123\u00a0456\u00a0789\u00a000012"
    (page,) = _text(_pdf(identity=replace(IDENTITY, siret="", phone="", email="")))
    assert "SIRET" not in page
    assert "Tél." not in page


def test_multi_page_footer_has_true_total():
    pages = _text(_pdf(n=150))
    total = len(pages)
    assert total >= 3
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {total}" in page
        assert "Maison de l'ESS" in page  # the header on every page


def test_landscape():
    portrait = _reader(_pdf()).pages[0].mediabox
    landscape = _reader(_pdf(landscape=True)).pages[0].mediabox
    assert float(portrait.width) < float(portrait.height)
    assert float(landscape.width) > float(landscape.height)
    assert content_width(landscape=True) > content_width()


def test_same_inputs_same_bytes():
    logo = replace(IDENTITY, logo=tiny_png())
    first = _pdf(identity=logo, n=80)
    second = _pdf(identity=logo, n=80)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert _pdf(issued_at=ISSUED + dt.timedelta(minutes=1)) != _pdf()


def test_bytes_do_not_depend_on_source_date_epoch(monkeypatch):
    reference = _pdf()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _pdf() == reference


@pytest.mark.parametrize("name", ["Dupont & fils", "<Maison>"])
def test_identity_text_is_escaped(name):
    (page,) = _text(_pdf(identity=replace(IDENTITY, name=name)))
    assert name in page
