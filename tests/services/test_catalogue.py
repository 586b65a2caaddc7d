"""Short circuits: producers, products and their price history, campaigns, members' orders
(price copied at order time, closing freezes), totals with mixed VAT rates, the papers, the CSV,
personal data and roles. The clock says Thursday 26 November 2026, 09:00 in Paris."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace

import pytest
from pypdf import PdfReader

from maison_app.domain.catalogue import (
    CampaignRecord,
    OrderLine,
    OrderRecord,
    ProducerRecord,
    ProductRecord,
    vat_in_cents,
)
from maison_app.domain.enums import DocumentKind, ProducerLabel, ProductUnit, Role
from maison_app.domain.errors import Conflict, NotFound, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.privacy import ANONYMOUS_NAME
from maison_app.domain.records import MaisonIdentity
from maison_app.services.catalogue import CatalogueService
from maison_app.services.context import Actor
from maison_app.services.permissions import declared

TODAY = dt.date(2026, 11, 26)
ALL_YEAR = tuple(range(1, 13))


@pytest.fixture
def shop(services):
    """Identity; members Hélène Lefèvre, Zoé Garnier, Yann Ribot and Coopérative Alpha;
    producers: Fournil des Halles (12 km), Verger de la Sèvre (25 km, AB, minimum 50 €),
    Cidrerie du Pays d'Auge (350 km, HVE); products: pain (pièce 1,00 € 5,5 %), pommes (kg,
    3,33 €, 5,5 %, September to March), terrine (pot 5,75 €, 10 %), cidre (bouteille 6,50 €,
    20 %), and an inactive one; a campaign open from 20 November to 3 December offering the four."""
    services.settings.save_identity(MaisonIdentity(
        name="Maison de l'ESS", organisation="PTCE Niortais", address="12 rue de l'Arsenal",
        postcode="79000", city="Niort", email="contact@maison-ess-niort.fr"))
    people, cat = services.people, services.catalogue
    ids = {
        "alpha": people.create_organisation(name="Coopérative Alpha"),
        "helene": people.create_person(first_name="Hélène", last_name="Lefèvre",
                                       email="helene@exemple.fr"),
        "zoe": people.create_person(first_name="Zoé", last_name="Garnier"),
        "yann": people.create_person(first_name="Yann", last_name="Ribot"),
    }
    ids["fournil"] = cat.save_producer(ProducerRecord(None, "Fournil des Halles", town="Niort",
                                                      distance_km=12))
    ids["verger"] = cat.save_producer(ProducerRecord(
        None, "Verger de la Sèvre", town="Échiré", distance_km=25, labels=(ProducerLabel.AB,),
        contact_name="Paul Bernard", phone="05 49 11 22 33", email="verger@exemple.fr",
        min_order_cents=5000))
    ids["cidrerie"] = cat.save_producer(ProducerRecord(
        None, "Cidrerie du Pays d'Auge", town="Lisieux", distance_km=350,
        labels=(ProducerLabel.HVE,)))
    ids["pain"] = cat.save_product(ProductRecord(None, ids["fournil"], "Boulangerie",
                                                 "Pain de campagne", ProductUnit.PIECE, 100))
    ids["pommes"] = cat.save_product(ProductRecord(
        None, ids["verger"], "Fruits", "Pommes Reinette", ProductUnit.KG, 333,
        packaging="vrac", months=(1, 2, 3, 9, 10, 11, 12)))
    ids["terrine"] = cat.save_product(ProductRecord(None, ids["fournil"], "Épicerie",
                                                    "Terrine de campagne", ProductUnit.JAR, 575,
                                                    vat_bp=1000))
    ids["cidre"] = cat.save_product(ProductRecord(None, ids["cidrerie"], "Boissons",
                                                  "Cidre brut", ProductUnit.BOTTLE, 650,
                                                  vat_bp=2000))
    ids["old"] = cat.save_product(ProductRecord(None, ids["verger"], "Fruits", "Poires Comice",
                                                ProductUnit.KG, 400, active=False))
    ids["campaign"] = cat.save_campaign(CampaignRecord(
        None, "Paniers de Noël", opens_on=dt.date(2026, 11, 20), closes_on=dt.date(2026, 12, 3),
        pickup_on=dt.date(2026, 12, 5), pickup_place="Hall de la Maison",
        product_ids=(ids["pain"], ids["pommes"], ids["terrine"], ids["cidre"])))
    return ids


def order(services, shop, member: str, *lines: tuple[str, int], campaign: str = "campaign",
          notes: str = "") -> int:
    who = ({"organisation_id": shop[member]} if member == "alpha"
           else {"person_id": shop[member]})
    return services.catalogue.save_order(OrderRecord(
        None, shop[campaign], lines=tuple(OrderLine(shop[p], q) for p, q in lines),
        notes=notes, **who))


def message(excinfo) -> str:
    return str(excinfo.value)


# --- producers and products ----------------------------------------------------------------


def test_producer_validation_messages(services, shop):
    cat = services.catalogue
    with pytest.raises(ValidationError, match="nom du producteur") as e:
        cat.save_producer(ProducerRecord(None, "  "))
    assert e.value.field == "name"
    with pytest.raises(Conflict, match="« Fournil des Halles »"):
        cat.save_producer(ProducerRecord(None, "fournil des  halles"))
    etang = cat.save_producer(ProducerRecord(None, "Ferme de l'Étang"))
    with pytest.raises(Conflict, match="« Ferme de l'Étang »"):  # accents folded on SQLite too
        cat.save_producer(ProducerRecord(None, "FERME DE L'éTANG"))
    cat.save_producer(replace(cat.producer(producer_id=etang), name="Ferme de l'ÉTANG",
                              active=False))  # renaming itself is no conflict
    with pytest.raises(ValidationError, match="entre 0 et 2000 km") as e:
        cat.save_producer(ProducerRecord(None, "Loin", distance_km=2001))
    assert e.value.field == "distance_km"
    with pytest.raises(ValidationError, match="e-mail") as e:
        cat.save_producer(ProducerRecord(None, "Ferme", email="pas-une-adresse"))
    assert e.value.field == "email"
    with pytest.raises(ValidationError) as e:
        cat.save_producer(ProducerRecord(None, "Ferme", phone="12"))
    assert e.value.field == "phone"
    with pytest.raises(ValidationError, match="minimum") as e:
        cat.save_producer(ProducerRecord(None, "Ferme", min_order_cents=-1))
    saved = cat.producer(producer_id=shop["verger"])
    assert saved.phone == "05 49 11 22 33" and saved.labels == (ProducerLabel.AB,)
    assert saved.min_order_cents == 5000 and saved.local
    assert [p.name for p in cat.producers(query="echire")] == ["Verger de la Sèvre"]
    cat.save_producer(replace(cat.producer(producer_id=shop["cidrerie"]), active=False))
    assert [p.name for p in cat.producers(active_only=True)] == [
        "Fournil des Halles", "Verger de la Sèvre"]
    with pytest.raises(NotFound):
        cat.producer(producer_id=999)


def test_product_validation_messages(services, shop):
    cat = services.catalogue
    base = ProductRecord(None, shop["fournil"], "Boulangerie", "Brioche", ProductUnit.PIECE, 450)
    for changes, field, text in [
        ({"name": " "}, "name", "nom du produit"),
        ({"category": ""}, "category", "catégorie"),
        ({"producer_id": 999}, "producer_id", "producteur"),
        ({"price_cents": -1}, "price_cents", "positif"),
        ({"vat_bp": 700}, "vat_bp", "5,5 %, 10 % ou 20 %"),
        ({"months": ()}, "months", "au moins un mois"),
    ]:
        with pytest.raises(ValidationError, match=text) as e:
            cat.save_product(replace(base, **changes))
        assert e.value.field == field
    with pytest.raises(Conflict, match="Pain de campagne"):
        cat.save_product(replace(base, name="pain de campagne"))
    cat.save_product(replace(base, name="Pâté"))
    with pytest.raises(Conflict, match="Pâté"):
        cat.save_product(replace(base, name="PÂTÉ"))
    cat.save_product(replace(base, producer_id=shop["verger"], name="PÂTÉ"))  # another producer


def test_a_price_change_keeps_the_history(services, shop, clock):
    cat = services.catalogue
    pid = shop["pommes"]
    clock.advance(days=7)
    cat.save_product(replace(cat.product(product_id=pid), price_cents=350))
    cat.save_product(replace(cat.product(product_id=pid), packaging="cagette"))  # no change
    clock.advance(days=7)
    cat.save_product(replace(cat.product(product_id=pid), vat_bp=1000))
    history = cat.price_history(product_id=pid)
    assert [(h.valid_from, h.price_cents, h.vat_bp) for h in history] == [
        (dt.date(2026, 12, 10), 350, 1000), (dt.date(2026, 12, 3), 350, 550),
        (TODAY, 333, 550)]
    assert cat.product(product_id=pid).price_cents == 350


def test_products_filters(services, shop):
    cat = services.catalogue
    names = lambda **kw: [p.name for p in cat.products(**kw)]
    assert names() == ["Cidre brut", "Pain de campagne", "Terrine de campagne",
                       "Pommes Reinette"]  # Boissons, Boulangerie, Épicerie, Fruits
    assert cat.categories() == ("Boissons", "Boulangerie", "Épicerie", "Fruits")
    assert names(category="Fruits") == ["Pommes Reinette"]
    assert names(category="Fruits", active_only=False) == ["Poires Comice", "Pommes Reinette"]
    assert names(producer_id=shop["fournil"]) == ["Pain de campagne", "Terrine de campagne"]
    assert "Pommes Reinette" not in names(in_season_on=dt.date(2027, 6, 1))
    assert "Pommes Reinette" in names(in_season_on=TODAY)
    assert names(label=ProducerLabel.HVE) == ["Cidre brut"]
    assert names(label=ProducerLabel.DEMETER) == []
    assert names(query="TERRINE") == ["Terrine de campagne"]
    assert names(query="sevre") == ["Pommes Reinette"]  # the producer's name, accents aside
    assert names(query="épicerie") == []  # the category is not searched
    assert names(query="campagne fournil") == ["Pain de campagne", "Terrine de campagne"]
    pommes = cat.product(product_id=shop["pommes"])
    assert pommes.producer_name == "Verger de la Sèvre" and pommes.distance_km == 25


# --- campaigns and orders ------------------------------------------------------------------


def test_campaign_date_and_product_rules(services, shop):
    cat = services.catalogue
    c = cat.campaign(campaign_id=shop["campaign"])
    assert c.product_ids == tuple(sorted((shop["pain"], shop["pommes"], shop["terrine"],
                                          shop["cidre"])))
    with pytest.raises(ValidationError, match="titre"):
        cat.save_campaign(replace(c, id=None, title=""))
    with pytest.raises(ValidationError, match="précéder leur ouverture") as e:
        cat.save_campaign(replace(c, closes_on=dt.date(2026, 11, 19)))
    assert e.value.field == "closes_on"
    with pytest.raises(ValidationError, match="avant la clôture") as e:
        cat.save_campaign(replace(c, pickup_on=dt.date(2026, 12, 2)))
    assert e.value.field == "pickup_on"
    with pytest.raises(ValidationError, match="Poires Comice"):
        cat.save_campaign(replace(c, product_ids=c.product_ids + (shop["old"],)))
    with pytest.raises(ValidationError, match="n'existe plus"):
        cat.save_campaign(replace(c, product_ids=c.product_ids + (999,)))
    order(services, shop, "helene", ("cidre", 2000))
    with pytest.raises(Conflict, match="« Cidre brut » est déjà commandé"):
        cat.save_campaign(replace(c, product_ids=(shop["pain"],)))
    cat.save_campaign(replace(c, product_ids=(shop["cidre"], shop["pain"])))  # terrine, pommes out
    assert set(cat.campaign(campaign_id=c.id).product_ids) == {shop["cidre"], shop["pain"]}
    cat.close_campaign(campaign_id=c.id)
    with pytest.raises(Conflict, match="close"):
        cat.save_campaign(replace(c, title="Autre"))
    assert [x.title for x in cat.campaigns(include_closed=False)] == []
    listed = cat.campaigns()
    assert listed[0].orders == 1 and listed[0].total_cents == 1300


def test_order_rules(services, shop, clock):
    cat = services.catalogue
    with pytest.raises(ValidationError, match="une personne ou une organisation"):
        cat.save_order(OrderRecord(None, shop["campaign"], lines=(OrderLine(shop["pain"], 1000),)))
    with pytest.raises(ValidationError, match="une personne ou une organisation"):
        cat.save_order(OrderRecord(None, shop["campaign"], person_id=shop["zoe"],
                                   organisation_id=shop["alpha"],
                                   lines=(OrderLine(shop["pain"], 1000),)))
    with pytest.raises(ValidationError, match="n'est pas proposé"):
        order(services, shop, "zoe", ("old", 1000))
    with pytest.raises(ValidationError, match="nombre entier"):
        order(services, shop, "zoe", ("pain", 1500))
    with pytest.raises(ValidationError, match="positive"):
        order(services, shop, "zoe", ("pain", 0))
    with pytest.raises(ValidationError, match="deux fois"):
        order(services, shop, "zoe", ("pain", 1000), ("pain", 2000))
    oid = order(services, shop, "zoe", ("pommes", 1500), ("pain", 2000))  # 1,5 kg is fine
    with pytest.raises(Conflict, match=f"commande n° {oid}"):
        order(services, shop, "zoe", ("cidre", 1000))
    org = order(services, shop, "alpha", ("cidre", 6000))
    assert cat.order(order_id=org).member_name == "Coopérative Alpha"
    # a campaign not open yet, and one whose orders are closed by date
    later = cat.save_campaign(CampaignRecord(
        None, "Printemps", opens_on=dt.date(2027, 3, 1), closes_on=dt.date(2027, 3, 10),
        pickup_on=dt.date(2027, 3, 12), product_ids=(shop["pain"],)))
    with pytest.raises(Conflict, match="ouvrent le"):
        cat.save_order(OrderRecord(None, later, person_id=shop["zoe"],
                                   lines=(OrderLine(shop["pain"], 1000),)))
    clock.advance(days=8)  # 4 December: closed by date
    with pytest.raises(Conflict, match="closes depuis"):
        order(services, shop, "yann", ("pain", 1000))


def test_the_unit_price_is_copied_at_order_time(services, shop):
    cat = services.catalogue
    oid = order(services, shop, "helene", ("pain", 2000))
    cat.save_product(replace(cat.product(product_id=shop["pain"]), price_cents=120))
    cat.save_product(replace(cat.product(product_id=shop["cidre"]), price_cents=700))
    record = cat.order(order_id=oid)
    # the order is saved again with a new quantity and a new product
    cat.save_order(replace(record, lines=(OrderLine(shop["pain"], 3000),
                                          OrderLine(shop["cidre"], 1000))))
    lines = {li.product_name: li for li in cat.order(order_id=oid).lines}
    assert lines["Pain de campagne"].unit_price_cents == 100  # kept
    assert lines["Pain de campagne"].quantity_milli == 3000
    assert lines["Cidre brut"].unit_price_cents == 700 and lines["Cidre brut"].vat_bp == 2000
    assert cat.order(order_id=oid).total_cents == 300 + 700
    # a removed then re-added line takes the price of the day
    cat.save_order(replace(cat.order(order_id=oid), lines=(OrderLine(shop["cidre"], 1000),)))
    cat.save_order(replace(cat.order(order_id=oid), lines=(OrderLine(shop["cidre"], 1000),
                                                           OrderLine(shop["pain"], 1000))))
    lines = {li.product_name: li for li in cat.order(order_id=oid).lines}
    assert lines["Pain de campagne"].unit_price_cents == 120


def test_closing_freezes_the_orders_but_not_the_collected_marks(services, shop):
    cat = services.catalogue
    oid = order(services, shop, "helene", ("pain", 2000))
    other = order(services, shop, "zoe", ("cidre", 1000))
    cat.close_campaign(campaign_id=shop["campaign"])
    assert cat.campaign(campaign_id=shop["campaign"]).closed_at is not None
    with pytest.raises(Conflict, match="« Paniers de Noël » est close"):
        order(services, shop, "yann", ("pain", 1000))
    with pytest.raises(Conflict, match="close"):
        cat.save_order(replace(cat.order(order_id=oid), lines=(OrderLine(shop["pain"], 5000),)))
    with pytest.raises(Conflict, match="close"):
        cat.delete_order(order_id=oid)
    assert cat.order(order_id=oid).lines[0].quantity_milli == 2000
    cat.mark_collected(order_ids=[oid, other])
    assert all(o.collected_at is not None for o in cat.orders(campaign_id=shop["campaign"]))
    cat.mark_collected(order_ids=[other], collected=False)
    assert cat.order(order_id=other).collected_at is None


def test_delete_order_while_open(services, shop):
    cat = services.catalogue
    oid = order(services, shop, "helene", ("pain", 2000))
    cat.delete_order(order_id=oid)
    assert cat.orders(campaign_id=shop["campaign"]) == ()
    with pytest.raises(NotFound):
        cat.order(order_id=oid)


# --- totals --------------------------------------------------------------------------------


def test_totals_with_mixed_vat_rates_rounded_per_line_then_summed(services, shop):
    cat = services.catalogue
    # three loaves of 1,00 € at 5,5 %: 0,05 € of VAT each (100 − 94,79 → 95), 0,15 € in all,
    # while the VAT of the 3,00 € sum would be 0,16 € (300 − 284,36 → 284)
    order(services, shop, "helene", ("pain", 1000), ("pommes", 1500), ("terrine", 1000))
    order(services, shop, "zoe", ("pain", 1000), ("cidre", 1000))
    order(services, shop, "alpha", ("pain", 1000))
    totals = cat.totals(campaign_id=shop["campaign"])
    pommes = 500  # 1,5 × 3,33 = 4,995 → 5,00
    assert totals.total_cents == 300 + pommes + 575 + 650
    pain_vat = 3 * vat_in_cents(100, 550)
    assert pain_vat == 15 != vat_in_cents(300, 550) == 16
    assert vat_in_cents(pommes, 550) == 26
    assert totals.vat_by_rate == {550: 15 + 26, 1000: 52, 2000: 108}
    by_product = {r.key: r for r in totals.by_product}
    assert (by_product["Pain de campagne"].quantity_milli, by_product["Pain de campagne"].total_cents,
            by_product["Pain de campagne"].vat_cents, by_product["Pain de campagne"].orders) == (
        3000, 300, 15, 3)
    assert by_product["Pommes Reinette"].quantity_milli == 1500
    assert (by_product["Pommes Reinette"].group, by_product["Pommes Reinette"].unit) == (
        "Verger de la Sèvre", ProductUnit.KG)
    by_member = {r.key: r.total_cents for r in totals.by_member}
    assert by_member == {"Hélène Lefèvre": 100 + 500 + 575, "Zoé Garnier": 750,
                         "Coopérative Alpha": 100}
    by_producer = {r.key: r for r in totals.by_producer}
    assert by_producer["Fournil des Halles"].total_cents == 875
    assert not by_producer["Fournil des Halles"].below_minimum
    verger = by_producer["Verger de la Sèvre"]
    assert verger.below_minimum and verger.minimum_cents == 5000 and verger.total_cents == 500
    # within 100 km: everything but the cider; distance weighted by amount
    assert totals.local_share == pytest.approx((2025 - 650) / 2025)
    assert totals.average_km == pytest.approx((875 * 12 + 500 * 25 + 650 * 350) / 2025)
    assert cat.campaign(campaign_id=shop["campaign"]).total_cents == 2025


def test_empty_campaign_totals(services, shop):
    totals = services.catalogue.totals(campaign_id=shop["campaign"])
    assert totals.total_cents == 0 and totals.local_share is None and totals.average_km is None


# --- papers and CSV ------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_three_papers_are_archived(services, shop):
    cat = services.catalogue
    mine = order(services, shop, "helene", ("pommes", 1500), ("pain", 2000))
    order(services, shop, "zoe", ("pommes", 2000))
    doc, content = cat.purchase_order(campaign_id=shop["campaign"], producer_id=shop["verger"])
    assert doc.number == "BC-2026-0001" and doc.kind is DocumentKind.BON_COMMANDE
    text = pdf_text(content)
    assert "Bon de commande" in text and "Verger de la Sèvre" in text
    assert "Pommes Reinette" in text and "3,5" in text and "Paniers de Noël" in text
    assert "Pain de campagne" not in text  # another producer's
    assert "Minimum de commande non atteint" in " ".join(text.split())  # 11,66 € < 50 €
    doc, content = cat.pickup_list(campaign_id=shop["campaign"])
    assert doc.number == "LR-2026-0001" and doc.kind is DocumentKind.LISTE_RETRAIT
    text = pdf_text(content)
    assert "Liste de retrait" in text and "Hélène Lefèvre" in text and "Zoé Garnier" in text
    doc, content = cat.receipt(order_id=mine)
    assert doc.number == "RA-2026-0001" and doc.kind is DocumentKind.RECU_COMMANDE
    text = pdf_text(content)
    assert "Reçu" in text and "Hélène Lefèvre" in text and "Pain de campagne" in text
    numbers = [d.number for d in services.documents.recent()]
    assert {"BC-2026-0001", "LR-2026-0001", "RA-2026-0001"} <= set(numbers)
    with pytest.raises(Conflict, match="Cidrerie"):
        cat.purchase_order(campaign_id=shop["campaign"], producer_id=shop["cidrerie"])


def test_papers_printed_again_unchanged_keep_their_number(services, shop, clock):
    cat = services.catalogue
    mine = order(services, shop, "helene", ("pommes", 1500))
    first, content = cat.purchase_order(campaign_id=shop["campaign"], producer_id=shop["verger"])
    receipt, receipt_bytes = cat.receipt(order_id=mine)
    pickup, _pdf = cat.pickup_list(campaign_id=shop["campaign"])
    clock.advance(hours=26)  # the next day, nothing changed: the archived papers themselves
    again, same = cat.purchase_order(campaign_id=shop["campaign"], producer_id=shop["verger"])
    assert (again.id, again.number, same) == (first.id, "BC-2026-0001", content)
    assert cat.receipt(order_id=mine) == (receipt, receipt_bytes)
    assert cat.pickup_list(campaign_id=shop["campaign"])[0] == pickup
    # a change in what they show: new numbers, issued today
    order(services, shop, "zoe", ("pommes", 2000))
    changed, _pdf = cat.purchase_order(campaign_id=shop["campaign"], producer_id=shop["verger"])
    assert changed.number == "BC-2026-0002"
    assert "3,5" in pdf_text(_pdf)
    assert cat.receipt(order_id=mine)[0] == receipt  # Hélène's order did not change
    assert cat.pickup_list(campaign_id=shop["campaign"])[0].number == "LR-2026-0002"
    cat.mark_collected(order_ids=[mine])
    # the list shows who has collected: a new one
    assert cat.pickup_list(campaign_id=shop["campaign"])[0].number == "LR-2026-0003"


def test_campaign_csv(services, shop):
    mine = order(services, shop, "helene", ("pommes", 1500), ("terrine", 1000))
    order(services, shop, "alpha", ("pain", 2000))
    services.catalogue.mark_collected(order_ids=[mine])
    content = services.catalogue.campaign_csv(campaign_id=shop["campaign"])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Membre", "Produit", "Producteur", "Quantité", "Unité",
                       "Prix unitaire TTC", "Taux de TVA (%)", "Montant TTC", "Retiré le"]
    assert rows[1:] == [
        ["Coopérative Alpha", "Pain de campagne", "Fournil des Halles", "2", "pièce", "1,00",
         "5,5", "2,00", ""],
        ["Hélène Lefèvre", "Pommes Reinette", "Verger de la Sèvre", "1,5", "kg", "3,33", "5,5",
         "5,00", "26/11/2026"],
        ["Hélène Lefèvre", "Terrine de campagne", "Fournil des Halles", "1", "pot", "5,75",
         "10", "5,75", "26/11/2026"],
    ]


# --- personal data and roles ---------------------------------------------------------------


def test_personal_data_export_and_erasure(services, shop):
    oid = order(services, shop, "helene", ("pain", 2000), notes="Sans sel, merci")
    export = services.privacy.export(person_id=shop["helene"])
    (section,) = [x for x in export.sections if x.area == "catalogue"]
    assert section.title == "Commandes groupées"
    (record,) = section.records
    assert record["commande groupée"] == "Paniers de Noël" and record["notes"] == "Sans sel, merci"
    assert record["montant TTC"] == "2,00"
    json.dumps(export.as_json_dict(), ensure_ascii=False)
    report = services.privacy.erase(person_id=shop["helene"])
    assert any(line.startswith("Commandes groupées : 1 commande groupée conservée")
               for line in report.lines)
    kept = services.catalogue.order(order_id=oid)
    assert kept.notes == "" and kept.total_cents == 200 and kept.member_name == ANONYMOUS_NAME


def test_orders_keep_a_person_active_for_the_retention(services, shop, clock):
    from maison_app.db.catalogue import GroupOrder
    from maison_app.services.privacy import inactive_people

    oid = order(services, shop, "zoe", ("pain", 1000))
    with services.ctx.reading() as s:  # dated by the service's clock, not the machine's
        row = s.get(GroupOrder, oid)
        assert row.created_at.replace(tzinfo=dt.UTC) == clock.now
    with services.ctx.reading() as s:
        idle = inactive_people(s, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert shop["zoe"] not in idle and shop["yann"] in idle


def test_every_method_declares_the_catalogue_area_and_every_role_writes(services, shop):
    for name in dir(CatalogueService):
        if not name.startswith("_") and callable(getattr(CatalogueService, name)):
            area, access = declared(getattr(CatalogueService, name))
            assert area is Area.CATALOGUE, name
            assert access in (Access.READ, Access.WRITE)
    assert declared(CatalogueService.save_order)[1] is Access.WRITE
    assert declared(CatalogueService.totals)[1] is Access.READ
    for role in Role:
        desk = services.for_actor(Actor(login=f"poste-{role.value}", role=role))
        key = {Role.ACCUEIL: "zoe", Role.INCUBATION: "yann"}.get(role, "helene")
        order(desk, shop, key, ("pain", 1000))
        assert desk.catalogue.totals(campaign_id=shop["campaign"]).total_cents > 0
    assert services.catalogue.campaign(campaign_id=shop["campaign"]).orders == len(Role)
