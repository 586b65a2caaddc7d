"""Feuille d'émargement: every half-day (date, times, duration) and every participant is on
the sheet, with the organiser, the exact title, the facilitator and the hours; the cells are
tall enough to sign; long sessions and long lists run over pages with the table's head
repeated; the same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
from dataclasses import replace

import pypdf
import pytest
from reportlab.lib.units import mm

from maison_app.documents import sign_in_sheet
from maison_app.documents.sign_in_sheet import (
    SIGNATURE_MIN_WIDTH,
    build_pdf,
    hours_text,
    sign_table,
    split_half_days,
)
from maison_app.domain.enums import HalfDayPart, WorkshopAxis
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.workshops import HalfDay, SignInSheetData

ISSUED = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris
IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
)
MORNING, AFTERNOON = HalfDayPart.MORNING, HalfDayPart.AFTERNOON
THURSDAY = dt.date(2026, 11, 26)


def half_day(id_: int, day: dt.date, part: HalfDayPart, start: tuple[int, int],
             end: tuple[int, int]) -> HalfDay:
    return HalfDay(id_, day, part, dt.time(*start), dt.time(*end), booking_id=100 + id_)


def working_days(count: int) -> tuple[HalfDay, ...]:
    """`count` working days from Thursday 26 November 2026, a morning and an afternoon
    each."""
    half_days: list[HalfDay] = []
    day = THURSDAY
    while len(half_days) < 2 * count:
        if day.weekday() < 5:
            n = len(half_days)
            half_days += [half_day(n + 1, day, MORNING, (9, 0), (12, 30)),
                          half_day(n + 2, day, AFTERNOON, (13, 30), (17, 0))]
        day += dt.timedelta(days=1)
    return tuple(half_days)


PARTICIPANTS = (
    ("Hélène Lefèvre", "Coopérative Alpha"),
    ("Zoé Martin", "SCOP L'Atelier"),
    ("Mohamed Benali", ""),
    ("Jean-Baptiste de La Rochefoucauld-Montmorency", "Les Jardins de la Sèvre"),
)
DATA = SignInSheetData(
    title="École de l'entrepreneur collectif",
    nature="Action de formation",
    axis=WorkshopAxis.TRAINING,
    facilitator="Claire Dupuis",
    place="Salle Sèvre, 12 rue Joseph Cugnot, 79000 Niort",
    half_days=(half_day(11, THURSDAY, MORNING, (9, 0), (12, 30)),
               half_day(12, THURSDAY, AFTERNOON, (14, 0), (17, 15))),
    participants=PARTICIPANTS,
)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, spaces normalised (no-break spaces, line breaks)."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [" ".join(p.extract_text().replace("\u202f", " ").replace("\u00a0", " ").split())
            for p in pages]


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def render(data: SignInSheetData = DATA, **overrides) -> bytes:
    kwargs = {"number": "FE-2026-0003", "issued": ISSUED}
    kwargs.update(overrides)
    identity = kwargs.pop("identity", IDENTITY)
    return build_pdf(identity, data, **kwargs)


def is_landscape(pdf: bytes) -> list[bool]:
    return [p.mediabox.width > p.mediabox.height
            for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_the_sheet_carries_the_organiser_the_action_and_every_half_day():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    assert is_landscape(pdf) == [False]  # two half-days fit on a portrait page
    text = text_of(pdf)
    # the document and its number
    assert "Feuille d'émargement" in text
    assert "N° FE-2026-0003 — École de l'entrepreneur collectif" in text
    assert "page 1 / 1" in text
    # the organiser: name, address, SIRET
    assert ("Organisme Maison de l'ESS — Pôle Territorial de Coopération Économique Niortais "
            "12 rue Joseph Cugnot, 79000 Niort SIRET 123 456 789 00012") in text
    # the action
    assert "Action École de l'entrepreneur collectif" in text
    assert "Nature Action de formation" in text
    assert "Axe Formation" in text
    assert "Intervenant·e Claire Dupuis" in text
    assert "Lieu Salle Sèvre, 12 rue Joseph Cugnot, 79000 Niort" in text
    assert "Dates jeudi 26 novembre 2026" in text
    # 3 h 30 + 3 h 15
    assert "Durée totale 6 h 45 (2 demi-journées)" in text
    # each half-day heads its column: date, part, times, duration
    assert "jeu. 26/11/2026 Matin 9 h 00 – 12 h 30 (3 h 30)" in text
    assert "jeu. 26/11/2026 Après-midi 14 h 00 – 17 h 15 (3 h 15)" in text
    assert "Émis le 26 novembre 2026 à 09:00" in text


def test_the_facilitator_signs_first_then_every_participant_in_the_order_given():
    text = text_of(render())
    table = text[text.index("Participant·e (nom, structure) Heures prévues"):]
    assert table.index("Intervenant·e Claire Dupuis") < table.index("Hélène Lefèvre")
    assert ("1 Hélène Lefèvre Coopérative Alpha 6 h 45 "
            "2 Zoé Martin SCOP L'Atelier 6 h 45 "
            "3 Mohamed Benali 6 h 45 "
            "4 Jean-Baptiste de La Rochefoucauld-") in table  # not sorted again
    assert "Montmorency Les Jardins de la Sèvre 6 h 45" in table
    # a few blank numbered rows for walk-ins, then the count of people present
    assert re.search(r"Sèvre 6 h 45 5 6 h 45 6 6 h 45 7 6 h 45 8 6 h 45 "
                     r"Nombre de présent·e·s", table)


def test_signature_cells_are_tall_and_wide_enough_to_sign():
    for half_days in (DATA.half_days, working_days(3)):  # portrait, then landscape
        landscape = len(half_days) > sign_in_sheet.PORTRAIT_MAX
        table = sign_table(replace(DATA, half_days=half_days), half_days[:6], 1, landscape)
        table.wrap(sign_in_sheet.content_width(landscape), 10_000)
        head, body = sign_in_sheet.HEAD_ROWS, table._rowHeights[sign_in_sheet.HEAD_ROWS:]
        assert head == 2
        # the facilitator, 4 participants, 4 blank rows: at least 1 cm each
        assert len(body) == 1 + 4 + 4 + 1
        assert all(height >= 10 * mm for height in body[:-1])
        assert all(width >= SIGNATURE_MIN_WIDTH for width in table._colWidths[3:])
        assert len(table._colWidths) == 3 + min(len(half_days), 6)


def test_a_long_name_makes_its_row_taller_rather_than_overflowing():
    long_name = "Marie-Antoinette-Joséphine de la Tour d'Auvergne-Lauraguais " * 3
    data = replace(DATA, participants=((long_name.strip(), "Structure au nom très long " * 4),))
    table = sign_table(data, data.half_days, 1, False)
    table.wrap(sign_in_sheet.content_width(False), 10_000)
    assert table._rowHeights[3] > sign_in_sheet.SIGN_ROW_HEIGHT
    assert "Tour d'Auvergne-Lauraguais" in text_of(render(data))


def test_a_session_of_ten_half_days_is_split_into_tables_that_fit():
    data = replace(DATA, half_days=working_days(5))
    pdf = render(data)
    assert all(is_landscape(pdf))
    pages = page_texts(pdf)
    text = " ".join(pages)
    # every half-day, with its date and times, heads a column
    for day in ("jeu. 26/11/2026", "ven. 27/11/2026", "lun. 30/11/2026", "mar. 01/12/2026",
                "mer. 02/12/2026"):
        assert f"{day} Matin 9 h 00 – 12 h 30 (3 h 30)" in text
        assert f"{day} Après-midi 13 h 30 – 17 h 00 (3 h 30)" in text
    assert "Durée totale 35 h 00 (10 demi-journées)" in text
    # two tables, whole days kept together: 3 days then 2
    assert "demi-journées 1 à 6 sur 10" in text and "demi-journées 7 à 10 sur 10" in text
    assert "Demi-journées du mardi 1er décembre 2026 au mercredi 2 décembre 2026" in text
    # each table has every participant, the facilitator and the hours planned
    for name, _organisation in PARTICIPANTS[:3]:
        assert text.count(name) == 2
    assert text.count("Intervenant·e Claire Dupuis") == 1 + 2  # the summary, each table
    assert "Zoé Martin SCOP L'Atelier 35 h 00" in text
    # and the second table starts on a page of its own
    second = next(i for i, page in enumerate(pages) if "demi-journées 7 à 10" in page)
    assert "demi-journées 1 à 6" not in pages[second]
    assert "mar. 01/12/2026 Matin" in pages[second]


@pytest.mark.parametrize(("count", "sizes"), [
    (1, [1]), (2, [2]), (6, [6]), (7, [4, 3]), (10, [6, 4]), (20, [6, 6, 6, 2]),
])
def test_half_days_split_by_whole_days(count, sizes):
    half_days = working_days(10)[:count]
    groups = split_half_days(half_days, 6)
    assert [len(g) for g in groups] == sizes
    assert tuple(h for g in groups for h in g) == half_days
    for first, second in itertools.pairwise(groups):
        assert first[-1].day != second[0].day  # a day is never cut in two


def test_single_half_days_on_many_dates_are_split_evenly():
    mornings = tuple(half_day(n, THURSDAY + dt.timedelta(days=7 * n), MORNING, (9, 0), (12, 0))
                     for n in range(1, 8))
    assert [len(g) for g in split_half_days(mornings, 6)] == [4, 3]


def test_three_half_days_stay_portrait_and_four_go_landscape():
    three = replace(DATA, half_days=working_days(2)[:3])
    four = replace(DATA, half_days=working_days(2))
    assert not any(is_landscape(render(three)))
    assert all(is_landscape(render(four)))
    assert "ven. 27/11/2026 Matin 9 h 00 – 12 h 30 (3 h 30)" in text_of(render(three))


def test_a_long_list_runs_over_pages_with_the_head_repeated():
    people = tuple((f"Participant {n:02d}", f"Structure {n:02d}") for n in range(1, 41))
    pdf = render(replace(DATA, participants=people))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert "FE-2026-0003" in page
        # the band with the workshop's title and the half-days, on every page
        assert "Émargement — École de l'entrepreneur collectif" in page
        assert ("N° Participant·e (nom, structure) Heures prévues jeu. 26/11/2026 Matin "
                "9 h 00 – 12 h 30 (3 h 30) jeu. 26/11/2026 Après-midi 14 h 00 – 17 h 15 "
                "(3 h 15)") in page
    text = " ".join(pages)
    for n in range(1, 41):
        assert text.count(f"Participant {n:02d} Structure {n:02d} 6 h 45") == 1
    # the 4 blank rows follow the last participant, numbered on
    assert "40 Participant 40 Structure 40 6 h 45 41 6 h 45" in text
    assert "44 6 h 45 Nombre de présent·e·s" in text


def test_a_session_nobody_registered_to_yet_has_blank_rows_to_fill():
    text = text_of(render(replace(DATA, participants=())))
    assert "Intervenant·e Claire Dupuis 1 6 h 45 2 6 h 45" in text
    assert "10 6 h 45 Nombre de présent·e·s" in text


def test_the_same_inputs_give_the_same_bytes():
    first, second = render(), render()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render(number="FE-2026-0004") != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Feuille d'émargement"
    assert "École de l'entrepreneur collectif" in meta.subject


def test_markup_characters_are_printed_not_interpreted():
    data = replace(DATA, title="Atelier <b>R&D</b> & co", facilitator="Dupont & fils",
                   participants=(("Léa <i>Petit</i>", "A & B"),))
    text = text_of(render(data))
    assert "Atelier <b>R&D</b> & co" in text
    assert "Intervenant·e Dupont & fils" in text
    assert "Léa <i>Petit</i> A & B" in text


def test_without_siret_or_facilitator():
    identity = replace(IDENTITY, siret="")
    text = text_of(render(replace(DATA, facilitator=""), identity=identity))
    assert "SIRET" not in text
    assert "Intervenant·e 1 Hélène Lefèvre" in text  # the trainer writes their name


def test_a_session_without_half_days_has_nothing_to_sign():
    with pytest.raises(ValueError):
        render(replace(DATA, half_days=()))


def test_hours_are_written_with_their_minutes():
    assert hours_text(420).replace("\u00a0", " ") == "7 h 00"
    assert hours_text(210).replace("\u00a0", " ") == "3 h 30"
    assert hours_text(45).replace("\u00a0", " ") == "0 h 45"
