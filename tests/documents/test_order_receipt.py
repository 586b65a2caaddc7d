"""Reçu de commande groupée: the member, the campaign, every product with quantity, unit price
and amount, the total and the VAT per rate (rounded per line, then summed), the date; same
inputs, same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf

from maison_app.documents.order_receipt import build_pdf
from maison_app.domain.catalogue import CampaignRecord, OrderLine, OrderRecord
from maison_app.domain.enums import ProductUnit
from maison_app.domain.records import MaisonIdentity

ISSUED = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
IDENTITY = MaisonIdentity(address="12 rue Joseph Cugnot", siret="12345678900012")
CAMPAIGN = CampaignRecord(
    id=1, title="Paniers de Noël", opens_on=dt.date(2026, 11, 16),
    closes_on=dt.date(2026, 12, 6), pickup_on=dt.date(2026, 12, 17),
    pickup_place="Salle polyvalente",
)
ORDER = OrderRecord(
    7, 1, person_id=1, member_name="Hélène Lefèvre",
    lines=(
        OrderLine(1, 2000, 360, 550, "Pain de campagne", ProductUnit.PIECE, 3, "Fournil du Marais"),
        OrderLine(2, 1500, 299, 550, "Pommes Reinette", ProductUnit.KG, 4, "Verger des Prés"),
        OrderLine(3, 1000, 350, 2000, "Jus de pomme pétillant", ProductUnit.BOTTLE, 4,
                  "Verger des Prés"),
        OrderLine(4, 750, 1240, 1000, "Plat du jour", ProductUnit.LITRE, 5, "Traiteur"),
    ),
)


def text_of(pdf: bytes) -> str:
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    return " ".join("\n".join(pages).replace("\u202f", " ").replace("\u00a0", " ").split())


def render(order: OrderRecord = ORDER, **overrides) -> bytes:
    kwargs = {"number": "RA-2026-0001", "issued": ISSUED}
    kwargs.update(overrides)
    return build_pdf(IDENTITY, CAMPAIGN, order, **kwargs)


def test_every_item_of_the_receipt_is_printed():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Reçu de commande groupée" in text
    assert "RA-2026-0001" in text
    assert "page 1 / 1" in text
    assert "Commande de Hélène Lefèvre" in text
    assert "Commande groupée Paniers de Noël" in text
    assert "Jour de retrait jeudi 17 décembre 2026" in text
    assert "Lieu de retrait Salle polyvalente" in text
    # one line per product: producer, quantity, unit price, VAT rate, amount
    assert "Pain de campagne Fournil du Marais 2 pièces 3,60 € / pièce 5,5 % 7,20 €" in text
    # 1,5 × 2,99 = 4,485 → 4,49 € (half up)
    assert "Pommes Reinette Verger des Prés 1,5 kg 2,99 € / kg 5,5 % 4,49 €" in text
    assert "Jus de pomme pétillant Verger des Prés 1 bouteille 3,50 € / bouteille 20 % 3,50 €" \
        in text
    assert "Plat du jour Traiteur 0,75 litre 12,40 € / litre 10 % 9,30 €" in text
    # the total and the VAT per rate, each line's VAT rounded then summed
    assert ORDER.total_cents == 2449
    assert ORDER.vat_by_rate == {550: 61, 1000: 85, 2000: 58}
    assert "Total TTC 24,49 €" in text
    assert "dont TVA 5,5 % 0,61 €" in text
    assert "dont TVA 10 % 0,85 €" in text
    assert "dont TVA 20 % 0,58 €" in text
    # the date
    assert "Fait à Niort, le 26 novembre 2026" in text
    assert "Pour la Maison, signature et cachet" in text
    assert "retirée" not in text


def test_a_collected_order_says_when():
    collected = dt.datetime(2026, 12, 17, 23, 30, tzinfo=dt.UTC)  # already the 18th in Paris
    text = text_of(render(replace(ORDER, collected_at=collected)))
    assert "Commande retirée le 18 décembre 2026." in text


def test_an_empty_order():
    text = text_of(render(replace(ORDER, lines=())))
    assert "Cette commande ne contient aucun produit." in text


def test_the_same_inputs_give_the_same_bytes():
    first, second = render(), render()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render(number="RA-2026-0002") != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Reçu de commande groupée"
    assert "Hélène Lefèvre" in meta.subject
