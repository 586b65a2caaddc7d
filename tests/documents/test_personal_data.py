"""Données personnelles: the readable export of one person's data (right of access)."""

from __future__ import annotations

import io
import re

import pypdf

from maison_app.documents import personal_data
from maison_app.domain.privacy import PersonalDataExport, PersonalDataSection
from maison_app.domain.records import MaisonIdentity

IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", email="accueil@maison-ess-niort.fr"
)
EXPORT = PersonalDataExport(
    person_id=42,
    person_name="Hélène Lefèvre",
    generated_at="2026-11-26T15:30:00+00:00",
    sections=(
        PersonalDataSection(area="people", title="Fiche et rattachements", records=(
            {"prénom": "Hélène", "nom": "Lefèvre", "e-mail": "helene@exemple.fr",
             "téléphone": None, "créé le": "2026-03-07T13:05:00+00:00"},
            {"structure": "Elan Coopératif Niortais", "rôle": "Salarié·e", "depuis": "2025-09-01"},
        )),
        PersonalDataSection(area="reception", title="Passages à l'accueil", records=()),
    ),
)


def text_of(pdf: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))


def render(export: PersonalDataExport = EXPORT) -> bytes:
    return personal_data.render(identity=IDENTITY, export=export, author="admin")


def test_name_sections_values_and_rights():
    text = text_of(render())
    assert "Données personnelles — Hélène Lefèvre" in text
    assert "Fiche et rattachements" in text and "Passages à l'accueil" in text
    assert "helene@exemple.fr" in text and "Elan Coopératif Niortais" in text
    assert "Aucune donnée dans cette rubrique." in text  # the empty section says so
    assert "—" in text  # a missing phone
    assert "7 mars 2026 à 14:05" in text  # an ISO moment shown in Paris time
    assert "26 novembre 2026 à 16:30" in text  # the date of the export
    assert "rectification" in text and "effacement" in text and "CNIL" in text
    assert "1 septembre 2025" in text  # an ISO date
    assert "RGPD-42" in text


def test_metadata_and_same_bytes_for_the_same_export():
    pdf = render()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Données personnelles — Hélène Lefèvre"
    assert reader.metadata.author == "admin"
    assert render() == pdf


def test_many_records_run_over_several_pages():
    visits = tuple({"rôle": "visiteur", "arrivée": f"2026-11-{d:02d}T08:00:00+00:00",
                    "départ": None, "motif": "Coworking", "personne visitée": None}
                   for d in range(1, 29))
    export = PersonalDataExport(
        person_id=7, person_name="Noël Ménard", generated_at="2026-11-30T10:00:00",  # naive
        sections=(PersonalDataSection(area="reception", title="Passages à l'accueil",
                                      records=visits),))
    pdf = render(export)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = text_of(pdf)
    assert "page 1 / " in text and "CNIL" in text
    assert "28 novembre 2026 à 09:00" in text
