"""Liste des présents (evacuation list)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pypdf

from maison_app.documents import presence_list
from maison_app.domain.enums import VisitPurpose
from maison_app.domain.records import MaisonIdentity, VisitRecord

NOW = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)  # 16:30 in Paris
IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", email="accueil@maison-ess-niort.fr"
)


def visit(
    vid: int, name: str, *, organisation: str | None = "Elan Coopératif Niortais",
    purpose: VisitPurpose = VisitPurpose.RENDEZ_VOUS, host: str | None = "Claire Dupont",
    arrived_at: dt.datetime | None = None, walk_in: bool = False,
) -> VisitRecord:
    return VisitRecord(
        id=vid, person_id=None if walk_in else vid, name=name, organisation=organisation,
        purpose=purpose, host=host,
        arrived_at=arrived_at or NOW - dt.timedelta(hours=2, minutes=vid),
        left_at=None, is_walk_in=walk_in,
    )


ACCENTED = [
    visit(1, "Hélène Lefèvre", arrived_at=dt.datetime(2026, 11, 26, 7, 5, tzinfo=dt.UTC)),
    visit(2, "Éloïse Cœur", organisation="SCIC Atelier du Marais", purpose=VisitPurpose.ATELIER,
          host=None, arrived_at=dt.datetime(2026, 11, 26, 8, 15, tzinfo=dt.UTC)),
    visit(3, "François Ménard", organisation=None, purpose=VisitPurpose.LIVRAISON,
          walk_in=True, arrived_at=dt.datetime(2026, 11, 26, 13, 45, tzinfo=dt.UTC)),
    # arrived yesterday evening (Paris) and never checked out
    visit(4, "Abel Durand", purpose=VisitPurpose.COWORKING,
          arrived_at=dt.datetime(2026, 11, 25, 17, 40, tzinfo=dt.UTC)),
]


def render(visits, **overrides) -> bytes:
    kwargs = dict(identity=IDENTITY, visits=visits, generated_at=NOW, number="LP-2026-0007",
                  author="accueil")
    kwargs.update(overrides)
    return presence_list.render(**kwargs)


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def base_fonts(pdf: bytes) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"])
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_accented_names_title_count_and_identity():
    (text,) = pages(render(ACCENTED))
    assert "Liste des présents" in text
    assert "4 personnes présentes" in text
    assert "26 novembre 2026 à 16:30" in text  # generated_at in Paris time
    for name in ("Hélène Lefèvre", "Éloïse Cœur", "François Ménard", "Abel Durand"):
        assert name in text
    assert "Pôle Territorial de Coopération Économique Niortais" in text
    assert "LP-2026-0007" in text
    assert "page 1 / 1" in text
    for header in ("N°", "Nom", "Structure", "Motif", "Arrivée", "rassemblement"):
        assert header in text
    assert "Cochez chaque personne au point de rassemblement" in text


def test_rows_sorted_by_name_with_purpose_host_and_arrival():
    (text,) = pages(render(ACCENTED))
    text = " ".join(text.split())  # cells wrap: compare words, not lines
    order = [text.index(n) for n in ("Abel Durand", "Éloïse Cœur", "François Ménard", "Hélène Lefèvre")]
    assert order == sorted(order)  # É sorts as E, not after Z
    assert "Livraison / courrier" in text
    assert "Coworking" in text and "Atelier" in text and "Rendez-vous" in text
    assert "Claire Dupont" in text
    assert "08:05" in text  # 07:05 UTC is 08:05 in Paris (winter time)
    assert "14:45" in text
    assert "25/11/2026" in text and "18:40" in text  # arrived the day before: date shown
    assert "26/11/2026" not in text  # today's arrivals show the time only


def test_walk_in_visitor_is_marked():
    (text,) = pages(render(ACCENTED))
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if "François Ménard" in line)
    assert "(visiteur)" in " ".join(lines[index:index + 3])
    assert text.count("(visiteur)") == 1


def test_no_one_present():
    (text,) = pages(render([]))
    assert "Aucune personne présente" in text
    assert "Liste des présents" in text
    assert "page 1 / 1" in text
    assert "Structure" not in text  # no empty table


def test_one_person_is_singular():
    (text,) = pages(render(ACCENTED[:1]))
    assert "1 personne présente" in text
    assert "1 personnes" not in text


def test_count_labels():
    assert presence_list.count_label(0) == "Aucune personne présente"
    assert presence_list.count_label(1) == "1 personne présente"
    assert presence_list.count_label(2) == "2 personnes présentes"
    assert presence_list.arrival_label(ACCENTED[0].arrived_at, NOW) == "08:05"
    assert presence_list.arrival_label(ACCENTED[3].arrived_at, NOW) == "25/11/2026 18:40"


def crowd(n: int = 120) -> list[VisitRecord]:
    long_org = "Société coopérative d'intérêt collectif des Deux-Sèvres et du Marais poitevin"
    return [
        visit(
            i, f"Personne {i:03d} Jean-Baptiste de La Rochefoucauld-Montmorency" if i % 17 == 0
            else f"Personne {i:03d}",
            organisation=long_org if i % 3 == 0 else "BGE Deux-Sèvres",
            purpose=list(VisitPurpose)[i % len(VisitPurpose)],
            walk_in=i % 7 == 0,
            arrived_at=NOW - dt.timedelta(minutes=3 * i),
        )
        for i in range(1, n + 1)
    ]


def test_many_people_span_pages_with_repeated_header_and_true_total():
    texts = pages(render(crowd()))
    total = len(texts)
    assert total >= 3
    for number, text in enumerate(texts, start=1):
        assert f"page {number} / {total}" in text
        assert "Maison de l'ESS" in text  # letterhead
        assert "Structure" in text and "Arrivée" in text  # the table header repeats
    everything = "\n".join(texts)
    assert "120 personnes présentes" in everything
    for i in (1, 60, 120):
        assert f"Personne {i:03d}" in everything
    assert everything.index("Personne 001") < everything.index("Personne 120")
    # each row: its number, then the name; row N is "Personne N" (sorted by name)
    rows = re.findall(r"^ ?(\d{1,3})\nPersonne (\d{3})", everything, re.M)
    assert [int(n) for n, _ in rows] == list(range(1, 121))
    assert all(int(n) == int(person) for n, person in rows)
    # the note comes once, after the last row
    assert everything.count("Cochez chaque personne") == 1
    assert everything.index("Cochez chaque personne") > everything.index("Personne 120")


def test_long_name_wraps_without_losing_letters():
    (text, *_rest) = pages(render(crowd(20)))
    flat = text.replace("\n", " ")
    assert "Rochefoucauld-" in flat and "Montmorency" in flat


def test_pdf_embeds_dejavu_not_helvetica():
    fonts = base_fonts(render(ACCENTED))
    assert fonts and all(f.endswith(("DejaVuSans", "DejaVuSans-Bold")) for f in fonts), fonts


def test_same_inputs_same_bytes():
    first = render(crowd(60))
    second = render(crowd(60))
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert render(ACCENTED, number="LP-2026-0008") != render(ACCENTED)


def test_order_of_input_does_not_matter():
    assert render(list(reversed(ACCENTED))) == render(ACCENTED)
