"""Reçu de cotisation: everything French practice asks of a receipt, and the same bytes
for the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf
import pytest

from maison_app.documents import receipt
from maison_app.documents.receipt import (
    long_date,
    method_label,
    period_label,
    render_receipt,
)
from maison_app.domain.enums import PaymentMethod
from maison_app.domain.members import ReceiptData
from maison_app.domain.records import MaisonIdentity

ISSUED = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris
IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
)
PARTIAL = ReceiptData(
    member_name="Hélène Lefèvre", member_address="8 rue de l'Abreuvoir, 79000 Niort",
    college="Entreprises adhérentes", year=2026, amount_cents=3000,
    paid_on=dt.date(2026, 3, 2), method=PaymentMethod.CHEQUE, reference="1234567",
    fee_cents=5000, paid_total_cents=3000,
)


def text_of(pdf: bytes) -> str:
    """The text of every page, spaces normalised (no-break spaces, line breaks)."""
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    text = "\n".join(pages).replace("\u202f", " ").replace("\u00a0", " ")
    return " ".join(text.split())


def render(data: ReceiptData = PARTIAL, **overrides) -> bytes:
    kwargs = {"number": "RC-2026-0001", "identity": IDENTITY, "data": data, "issued_at": ISSUED}
    kwargs.update(overrides)
    return render_receipt(**kwargs)


def test_every_item_of_the_receipt_is_printed():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    # the document and its number
    assert "Reçu de cotisation" in text
    assert "RC-2026-0001" in text
    assert "page 1 / 1" in text
    # the Maison
    assert "Maison de l'ESS" in text
    assert "Pôle Territorial de Coopération Économique Niortais" in text
    assert "12 rue Joseph Cugnot, 79000 Niort" in text
    assert "SIRET 123 456 789 00012" in text
    assert "accueil@maison-ess-niort.fr" in text
    # the member
    assert "Hélène Lefèvre" in text
    assert "8 rue de l'Abreuvoir" in text and "79000 Niort" in text
    assert "Entreprises adhérentes" in text
    # the period: the calendar year
    assert "du 1er janvier au 31 décembre 2026" in text
    # the payment
    assert "Montant de ce paiement 30,00 €" in text
    assert "Date du paiement 2 mars 2026" in text
    assert "Mode de paiement Chèque n° 1234567" in text
    # where the membership stands
    assert "Cotisation 2026 50,00 €" in text
    assert "Total réglé, ce paiement compris 30,00 €" in text
    assert "Reste dû 20,00 €" in text
    assert "il reste 20,00 € à régler" in text
    # issued in Niort on the Paris date, signed and stamped
    assert "Fait à Niort, le 26 novembre 2026" in text
    assert "Émis le 26 novembre 2026 à 09:00" in text
    assert "Signature et cachet" in text
    assert "ne constitue pas un reçu fiscal" in text


def test_the_statement_names_member_amount_year_and_college():
    text = text_of(render())
    assert ("Nous attestons avoir reçu de Hélène Lefèvre la somme de 30,00 € au titre de sa "
            "cotisation pour l'année 2026, collège « Entreprises adhérentes »") in text


def test_a_membership_paid_in_full():
    data = replace(PARTIAL, amount_cents=2000, paid_total_cents=5000, paid_on=dt.date(2026, 4, 1),
                   method=PaymentMethod.VIREMENT, reference="VIR-2026-042")
    text = text_of(render(data))
    assert "Reste dû 0,00 €" in text
    assert "La cotisation 2026 est entièrement réglée." in text
    assert "il reste" not in text
    assert "Virement — référence VIR-2026-042" in text
    assert "Date du paiement 1er avril 2026" in text


def test_the_date_of_issue_is_the_paris_date():
    # 23:30 UTC on 31 December is already New Year's Day in Niort
    late = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    text = text_of(render(issued_at=late))
    assert "Fait à Niort, le 1er janvier 2027" in text
    assert "Émis le 1 janvier 2027 à 00:30" in text or "Émis le 1er janvier 2027" in text


def test_organisation_member_without_address_or_reference():
    data = replace(PARTIAL, member_name="SCOP « L'Atelier & Cie »", member_address="",
                   method=PaymentMethod.ESPECES, reference=None, college="Réseaux de l'ESS")
    text = text_of(render(data))
    assert "SCOP « L'Atelier & Cie »" in text  # escaped, not broken markup
    assert "Mode de paiement Espèces" in text
    assert "Réseaux de l'ESS" in text


def test_without_a_city_the_place_is_left_out():
    text = text_of(render(identity=replace(IDENTITY, city="", postcode="")))
    assert "Fait le 26 novembre 2026" in text
    assert "Fait à" not in text


@pytest.mark.parametrize(("method", "reference", "label"), [
    (PaymentMethod.CHEQUE, "0012345", "Chèque n° 0012345"),
    (PaymentMethod.CHEQUE, None, "Chèque"),
    (PaymentMethod.CARTE, " ", "Carte bancaire"),
    (PaymentMethod.PLATEFORME, "HA-778", "Plateforme en ligne — référence HA-778"),
    (PaymentMethod.PRELEVEMENT, None, "Prélèvement"),
])
def test_method_labels(method, reference, label):
    assert method_label(method, reference) == label


def test_period_and_dates():
    assert period_label(2027) == "du 1er janvier au 31 décembre 2027"
    assert long_date(dt.date(2026, 3, 1)) == "1er mars 2026"
    assert long_date(dt.date(2026, 3, 12)) == "12 mars 2026"
    assert long_date(dt.date(2026, 11, 21)) == "21 novembre 2026"


def test_same_inputs_same_bytes():
    first, second = render(), render()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    assert render(number="RC-2026-0002") != first
    assert render(replace(PARTIAL, amount_cents=2999, paid_total_cents=2999)) != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Reçu de cotisation"
    assert meta["/CreationDate"].startswith("D:20261126080000")


def test_embedded_fonts_only():
    reader = pypdf.PdfReader(io.BytesIO(render()))
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(f.endswith(("DejaVuSans", "DejaVuSans-Bold")) for f in fonts), fonts


def test_a_very_long_name_and_college_stay_on_one_page():
    data = replace(PARTIAL, member_name="Société coopérative d'intérêt collectif des énergies "
                   "renouvelables et de la mobilité durable du Marais poitevin et de la Sèvre",
                   college="Collège des collectivités territoriales et des établissements publics",
                   member_address="Zone d'activités de la Mude, bâtiment B, 3e étage, "
                   "12 avenue de la Venise Verte, 79000 Niort")
    pdf = render(data)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = text_of(pdf)
    assert "Marais poitevin et de la Sèvre" in text
    assert "12 avenue de la Venise Verte" in text


def test_module_has_no_qt():
    assert "PySide6" not in receipt.__dict__
