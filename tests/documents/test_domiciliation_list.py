"""Liste des personnes domiciliées (R.123-168 du Code de commerce): the half-year, the table
with its header on every page, the count; the same bytes for the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pypdf

from maison_app.documents.domiciliation_list import (
    count_label,
    list_title,
    render_domiciliation_list,
)
from maison_app.domain.enums import LegalForm
from maison_app.domain.hosting import DomiciliationLine, DomiciliationList, half_year
from maison_app.domain.records import MaisonIdentity

IDENTITY = MaisonIdentity(address="12 rue Joseph Cugnot", siret="12345678900012")
ISSUED = dt.date(2026, 7, 3)
HEADER = ("Nom ou dénomination", "Forme juridique", "SIRET", "Représentant·e légal·e", "Début",
          "Fin", "Convention")


def line(n: int, name: str, *, end: dt.date | None = None,
         legal_form: LegalForm | None = LegalForm.SCOP) -> DomiciliationLine:
    return DomiciliationLine(
        organisation_id=n, person_id=None, name=name, legal_form=legal_form,
        siret=f"{987654321 + n:09d}{n:05d}", representative=f"Mme Martin {n}",
        start=dt.date(2025, 3, 1), end=end, agreement_number=f"CH-2025-{n:04d}",
    )


def listing(lines, year: int = 2026, half: int = 1) -> DomiciliationList:
    first, last = half_year(year, half)
    return DomiciliationList(year=year, half=half, first=first, last=last, lines=tuple(lines))


SMALL = listing([
    line(1, "Les Tisserands"),
    line(2, "Élan Coopératif", end=dt.date(2026, 4, 30), legal_form=LegalForm.SCIC),
    line(3, "Atelier du Marais", legal_form=None),
])


def pages_of(pdf: bytes) -> list[str]:
    texts = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    return [" ".join(t.replace("\u202f", " ").replace("\u00a0", " ").split()) for t in texts]


def render(data: DomiciliationList = SMALL, **overrides) -> bytes:
    kwargs = {"data": data, "identity": IDENTITY, "number": "LD-2026-0001", "issued_on": ISSUED}
    kwargs.update(overrides)
    return render_domiciliation_list(**kwargs)


def test_title_period_reason_table_and_count():
    pdf = render()
    (text,) = pages_of(pdf)
    assert "Liste des personnes domiciliées — 1er semestre 2026" in text
    assert "N° LD-2026-0001 · Période du 1er janvier 2026 au 30 juin 2026" in text
    assert ("En application de l'article R.123-168 du Code de commerce, Maison de l'ESS, "
            "entreprise domiciliataire, communique chaque semestre au centre des impôts et à "
            "l'URSSAF la liste des personnes domiciliées dans ses locaux") in text
    assert "et de celles qui ont cessé de l'être" in text
    for header in HEADER:
        assert header in text
    assert "Les Tisserands SCOP 987 654 322 00001 Mme Martin 1 01/03/2025 en cours CH-2025-0001" \
        in text
    assert ("Élan Coopératif SCIC 987 654 323 00002 Mme Martin 2 01/03/2025 30/04/2026 "
            "CH-2025-0002") in text
    assert "Atelier du Marais — 987 654 324 00003" in text
    # sorted by name, accents ignored: Atelier, Élan, Les Tisserands
    assert text.index("Atelier du Marais") < text.index("Élan Coopératif") < text.index(
        "Les Tisserands")
    assert "3 personnes domiciliées au cours du semestre, dont 1 ayant cessé de l'être." in text
    assert "Fait à Niort, le 3 juillet 2026" in text
    assert "Signature et cachet du domiciliataire" in text
    assert "page 1 / 1" in text
    # landscape A4
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert box.width > box.height


def test_second_half_and_labels():
    second = listing([line(1, "Les Tisserands")], half=2)
    assert list_title(second) == "Liste des personnes domiciliées — 2e semestre 2026"
    (text,) = pages_of(render(second))
    assert "Période du 1er juillet 2026 au 31 décembre 2026" in text
    assert "1 personne domiciliée au cours du semestre." in text
    assert count_label(listing([])) == "Aucune personne domiciliée au cours du semestre."


def test_an_empty_half_year():
    (text,) = pages_of(render(listing([])))
    assert "Aucune personne domiciliée au cours du semestre." in text
    assert "Nom ou dénomination" not in text


def test_45_lines_span_pages_with_the_header_repeated():
    many = listing([line(n, f"Structure {n:02d}", end=dt.date(2026, 5, 31) if n % 9 == 0
                         else None) for n in range(1, 46)])
    pages = pages_of(render(many))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        for header in HEADER:
            assert header in page, (number, header)
        assert f"page {number} / {len(pages)}" in page
        assert "LD-2026-0001" in page
    text = " ".join(pages)
    for n in range(1, 46):
        assert f"Structure {n:02d}" in text
    assert "Structure 45" in pages[-1] and "Structure 01" in pages[0]
    assert "45 personnes domiciliées au cours du semestre, dont 5 ayant cessé de l'être." in (
        pages[-1])


def test_same_inputs_same_bytes():
    first = render()
    assert hashlib.sha256(first).digest() == hashlib.sha256(render()).digest()
    assert render(number="LD-2026-0002") != first
    assert render(issued_on=dt.date(2026, 7, 4)) != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Liste des personnes domiciliées — 1er semestre 2026"
