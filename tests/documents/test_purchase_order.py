"""Bon de commande: the buyer, the producer, the delivery, every product with its quantity in
its unit, the totals and the VAT per rate, the minimum warning; same inputs, same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf
import pytest

from maison_app.documents.purchase_order import (
    PurchaseOrderData,
    build_pdf,
    minimum_warning,
    quantity_number,
    quantity_text,
    short_line,
    unit_price_text,
)
from maison_app.domain.catalogue import CampaignRecord, ProducerRecord, TotalRow
from maison_app.domain.enums import ProducerLabel, ProductUnit
from maison_app.domain.records import MaisonIdentity

ISSUED = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris
IDENTITY = MaisonIdentity(
    address="12 rue Joseph Cugnot", siret="12345678900012", phone="05 49 00 00 00",
    email="accueil@maison-ess-niort.fr",
)
CAMPAIGN = CampaignRecord(
    id=1, title="Paniers de Noël", opens_on=dt.date(2026, 11, 16),
    closes_on=dt.date(2026, 12, 6), pickup_on=dt.date(2026, 12, 17),
    pickup_place="Maison de l'ESS, salle du rez-de-chaussée",
)
PRODUCER = ProducerRecord(
    id=3, name="GAEC des Prés Verts", town="Échiré", distance_km=12,
    labels=(ProducerLabel.AB,), contact_name="Marie Texier", phone="06 12 34 56 78",
    email="contact@presverts.fr", min_order_cents=10000,
)
DATA = PurchaseOrderData(
    campaign=CAMPAIGN,
    producer=PRODUCER,
    rows=(TotalRow("Pommes Reinette", 12500, 3750, 195, 5),
          TotalRow("Pain de campagne", 24000, 8640, 450, 8),
          TotalRow("Jus de pomme", 6000, 2100, 350, 3)),
    units=("kg", "pièce", "bouteille"),
    unit_prices=(300, 360, 350),
    total_cents=14490,
    vat_by_rate={550: 645, 2000: 350},
)


def text_of(pdf: bytes) -> str:
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    text = "\n".join(pages).replace("\u202f", " ").replace("\u00a0", " ")
    return " ".join(text.split())


def render(data: PurchaseOrderData = DATA, **overrides) -> bytes:
    kwargs = {"number": "BC-2026-0001", "issued": ISSUED}
    kwargs.update(overrides)
    return build_pdf(IDENTITY, data, **kwargs)


def test_every_item_of_the_purchase_order_is_printed():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Bon de commande" in text
    assert "BC-2026-0001" in text
    assert "page 1 / 1" in text
    # the buyer: the house, as the buying group of its members
    assert "Acheteur Maison de l'ESS" in text
    assert "12 rue Joseph Cugnot, 79000 Niort" in text
    assert "SIRET 123 456 789 00012" in text
    assert "groupement d'achats de ses membres" in text
    # the producer
    assert "Fournisseur GAEC des Prés Verts Échiré Contact : Marie Texier" in text
    assert "06 12 34 56 78 · contact@presverts.fr" in text
    assert "AB (agriculture biologique)" in text
    # the campaign and the delivery
    assert "Commande groupée Paniers de Noël" in text
    assert "Commandes reçues du 16 novembre 2026 au 6 décembre 2026" in text
    assert "Livraison et retrait jeudi 17 décembre 2026" in text
    assert "Lieu de retrait Maison de l'ESS, salle du rez-de-chaussée" in text
    # one line per product: quantity in its unit, unit price, amount
    assert "Pommes Reinette 12,5 kg 3,00 € / kg 37,50 €" in text
    assert "Pain de campagne 24 pièces 3,60 € / pièce 86,40 €" in text
    assert "Jus de pomme 6 bouteilles 3,50 € / bouteille 21,00 €" in text
    # the total and the VAT per rate
    assert "Total de la commande TTC 144,90 €" in text
    assert "dont TVA 5,5 % 6,45 €" in text
    assert "dont TVA 20 % 3,50 €" in text
    # the minimum is reached: no warning
    assert "Minimum de commande" not in text
    assert "Fait à Niort, le 26 novembre 2026" in text
    assert "Pour l'acheteur, signature et cachet" in text


def test_a_warning_when_the_minimum_order_is_not_reached():
    text = text_of(render(replace(DATA, producer=replace(PRODUCER, min_order_cents=20000))))
    assert ("Attention — Minimum de commande non atteint : 144,90 € commandés pour un minimum "
            "de 200,00 € (il manque 55,10 €).") in text
    assert minimum_warning(replace(PRODUCER, min_order_cents=0), 0) == ""
    assert minimum_warning(PRODUCER, 10000) == ""  # reached exactly


def test_a_long_order_runs_over_pages_with_the_head_repeated():
    rows = tuple(TotalRow(f"Produit {n:02d}", 1000 * n, 250 * n, 13 * n, 1) for n in range(1, 61))
    data = replace(DATA, rows=rows, units=("kg",) * 60, unit_prices=(250,) * 60,
                   total_cents=sum(r.total_cents for r in rows), vat_by_rate={550: 2379})
    pdf = render(data)
    pages = [" ".join(p.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
             for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert "Produit Quantité Prix unitaire TTC Montant TTC" in page
    text = " ".join(pages)
    for n in range(1, 61):
        assert text.count(f"Produit {n:02d} ") == 1
    assert "Total de la commande TTC 4 575,00 €" in text


def test_the_same_inputs_give_the_same_bytes():
    first, second = render(), render()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render(number="BC-2026-0002") != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Bon de commande"
    assert "GAEC des Prés Verts" in meta.subject


def test_rows_units_and_prices_must_match():
    with pytest.raises(ValueError):
        render(replace(DATA, units=("kg",)))


def test_markup_characters_are_printed_not_interpreted():
    data = replace(DATA, producer=replace(PRODUCER, name="Ferme <Dupont> & fils"),
                   rows=(TotalRow("Œufs « plein air » & co", 2000, 720, 38, 1),),
                   units=(ProductUnit.DOZEN,), unit_prices=(360,), total_cents=720,
                   vat_by_rate={550: 38})
    text = text_of(render(data))
    assert "Ferme <Dupont> & fils" in text
    assert "Œufs « plein air » & co 2 douzaines 3,60 € / douzaine 7,20 €" in text


@pytest.mark.parametrize(("milli", "number"), [
    (1500, "1,5"), (2000, "2"), (250, "0,25"), (12500, "12,5"), (1000, "1"), (1234, "1,234"),
    (1_000_000, "1 000"),
])
def test_quantities_are_thousandths_of_the_unit(milli, number):
    assert quantity_number(milli).replace("\u202f", " ").replace("\u00a0", " ") == number


def test_quantity_units_agree_with_the_quantity():
    nbsp = "\u00a0"
    assert quantity_text(1500, ProductUnit.KG) == f"1,5{nbsp}kg"
    assert quantity_text(1500, ProductUnit.LITRE) == f"1,5{nbsp}litre"
    assert quantity_text(2000, ProductUnit.PIECE) == f"2{nbsp}pièces"
    assert quantity_text(1000, "pièce") == f"1{nbsp}pièce"
    assert quantity_text(3000, "botte") == f"3{nbsp}bottes"
    assert quantity_text(3000, "cagette") == f"3{nbsp}cagette"  # an unknown label, as given
    assert unit_price_text(320, ProductUnit.KG) == f"3,20{nbsp}€{nbsp}/{nbsp}kg"
    assert short_line("pommes", 1500, ProductUnit.KG) == f"1,5{nbsp}kg{nbsp}pommes"
    assert short_line("pain", 2000, ProductUnit.PIECE) == f"2{nbsp}×{nbsp}pain"
