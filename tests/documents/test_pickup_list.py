"""Liste de retrait: the campaign, the pickup day and place, one row per member with the
products in short, the amount, a box to tick and a cell to sign; the total; the head repeated
over pages; same inputs, same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace

import pypdf
from reportlab.lib.units import mm

from maison_app.documents import pickup_list
from maison_app.documents.pickup_list import build_pdf, order_summary, pickup_table
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
BREAD = OrderLine(1, 2000, 360, 550, "pain de campagne", ProductUnit.PIECE, 3, "Fournil")
APPLES = OrderLine(2, 1500, 300, 550, "pommes", ProductUnit.KG, 4, "Verger")
JUICE = OrderLine(3, 1000, 350, 2000, "jus de pomme", ProductUnit.BOTTLE, 4, "Verger")
ORDERS = (
    OrderRecord(10, 1, person_id=1, lines=(BREAD, APPLES), member_name="Hélène Lefèvre"),
    OrderRecord(11, 1, organisation_id=2, lines=(JUICE,), member_name="SCOP L'Atelier & Cie",
                collected_at=ISSUED),
    OrderRecord(12, 1, person_id=3, lines=(APPLES, JUICE), member_name="Karim Benali"),
)


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().replace("\u202f", " ").replace("\u00a0", " ").split())
            for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def render(orders=ORDERS, **overrides) -> bytes:
    kwargs = {"number": "LR-2026-0001", "issued": ISSUED}
    kwargs.update(overrides)
    return build_pdf(IDENTITY, CAMPAIGN, orders, **kwargs)


def test_every_member_line_with_products_amount_and_signature():
    pdf = render()
    assert pdf.startswith(b"%PDF")
    text = " ".join(page_texts(pdf))
    assert "Liste de retrait" in text
    assert "LR-2026-0001" in text
    assert "page 1 / 1" in text
    # the campaign, the pickup day and place
    assert "Commande groupée Paniers de Noël" in text
    assert "Jour de retrait jeudi 17 décembre 2026" in text
    assert "Lieu de retrait Salle polyvalente" in text
    # the head of the table, signature column included
    assert "N° Adhérent·e Produits Montant Retiré Signature" in text
    # one line per member, in the order given: products in short, amount
    assert "1 Hélène Lefèvre 2 × pain de campagne, 1,5 kg pommes 11,70 €" in text
    assert "2 SCOP L'Atelier & Cie 1 × jus de pomme 3,50 €" in text
    assert "3 Karim Benali 1,5 kg pommes, 1 × jus de pomme 8,00 €" in text
    # the total
    assert "Total — 3 commandes 23,20 €" in text


def test_signature_cells_are_tall_enough_to_sign():
    table = pickup_table(CAMPAIGN, ORDERS)
    table.wrap(pickup_list.content_width(), 10_000)
    body = table._rowHeights[pickup_list.HEAD_ROWS:-1]
    assert len(body) == 3
    assert all(height >= 10 * mm for height in body)
    assert table._colWidths[-1] >= 30 * mm  # the signature
    assert table._colWidths[-2] >= 10 * mm  # « retiré »
    # the ticked box of a collected order, an empty one otherwise
    boxes = [row[4] for row in table._cellvalues[pickup_list.HEAD_ROWS:-1]]
    assert [box.ticked for box in boxes] == [False, True, False]


def test_a_long_list_runs_over_pages_with_the_head_repeated():
    orders = tuple(OrderRecord(n, 1, person_id=n, lines=(BREAD, APPLES),
                               member_name=f"Membre {n:03d}") for n in range(1, 61))
    pages = page_texts(render(orders))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert "LR-2026-0001" in page
        assert "Retrait — Paniers de Noël · jeudi 17 décembre 2026 · Salle polyvalente" in page
        assert "N° Adhérent·e Produits Montant Retiré Signature" in page
    text = " ".join(pages)
    for n in range(1, 61):
        assert text.count(f"{n} Membre {n:03d} 2 × pain de campagne, 1,5 kg pommes 11,70 €") == 1
    assert "Total — 60 commandes 702,00 €" in pages[-1]


def test_a_campaign_without_orders_and_without_place():
    text = " ".join(page_texts(build_pdf(IDENTITY, replace(CAMPAIGN, pickup_place=""), (),
                                         number="LR-2026-0002", issued=ISSUED)))
    assert "Total — 0 commande 0,00 €" in text
    assert "Lieu de retrait" not in text


def test_order_summary():
    assert order_summary(ORDERS[0]) == "2\u00a0×\u00a0pain de campagne, 1,5\u00a0kg\u00a0pommes"


def test_the_same_inputs_give_the_same_bytes():
    first, second = render(), render()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render(number="LR-2026-0009") != first
    meta = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert meta.title == "Liste de retrait"
    assert "Paniers de Noël" in meta.subject


def test_a_long_order_makes_its_row_taller_rather_than_overflowing():
    many = tuple(replace(APPLES, product_id=n, product_name=f"pommes variété n° {n}")
                 for n in range(1, 16))
    order = OrderRecord(20, 1, person_id=9, lines=many,
                        member_name="Marie-Antoinette de la Tour d'Auvergne-Lauraguais")
    table = pickup_table(CAMPAIGN, (order,))
    table.wrap(pickup_list.content_width(), 10_000)
    assert table._rowHeights[pickup_list.HEAD_ROWS] > pickup_list.ROW_HEIGHT
    text = " ".join(page_texts(render((order,))))
    assert "1,5 kg pommes variété n° 15" in text
