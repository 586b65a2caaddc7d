"""The « Circuits courts » screen as the desk keeps the catalogue: a producer and a product
created through their dialogs, a refused value named next to its field with the form kept,
the filters (category, in season), a price change that shows in the product's history.

The clock says Thursday 26 November 2026, 09:00 in Paris (November: squash in season,
strawberries not)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QSpinBox,
)

from maison_app.domain.catalogue import ProducerRecord, ProductRecord
from maison_app.domain.enums import ProducerLabel, ProductUnit
from maison_app.domain.members import OrganisationDetail
from maison_app.ui.tasks import TaskRunner
from maison_app.views.catalogue import CatalogueScreen, product_dialog
from maison_app.views.catalogue.producer_dialog import ProducerDialog
from maison_app.views.catalogue.product_dialog import ProductDialog, months_text
from tests.ui.conftest import find, type_text


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


def build_catalogue(services) -> dict[str, int]:
    cat = services.catalogue
    ids = {}
    ids["gaec"] = cat.save_producer(ProducerRecord(
        None, "GAEC des Prés Verts", town="Échiré", distance_km=12,
        labels=(ProducerLabel.AB,), contact_name="Mathilde Guérin", phone="05 49 25 10 10",
        min_order_cents=8000))
    ids["fournil"] = cat.save_producer(ProducerRecord(
        None, "Boulangerie Le Fournil Niortais", town="Niort", distance_km=2,
        contact_name="Karim Benali"))
    ids["chevre"] = cat.save_producer(ProducerRecord(
        None, "Chèvrerie du Marais", town="Coulon", distance_km=11,
        labels=(ProducerLabel.AB, ProducerLabel.ACCUEIL_PAYSAN)))
    ids["courge"] = cat.save_product(ProductRecord(
        None, ids["gaec"], "Légumes", "Courge butternut", ProductUnit.KG, 240,
        packaging="vrac", months=(9, 10, 11, 12, 1, 2)))
    ids["fraise"] = cat.save_product(ProductRecord(
        None, ids["gaec"], "Fruits", "Fraises gariguette", ProductUnit.BASKET, 450,
        packaging="barquette de 500 g", months=(5, 6, 7)))
    ids["pain"] = cat.save_product(ProductRecord(
        None, ids["fournil"], "Boulangerie", "Pain de campagne", ProductUnit.PIECE, 380))
    ids["chabichou"] = cat.save_product(ProductRecord(
        None, ids["chevre"], "Produits laitiers", "Chabichou du Poitou", ProductUnit.PIECE,
        520, packaging="pièce de 150 g"))
    return ids


def open_screen(qtbot, services, tasks) -> CatalogueScreen:
    widget = CatalogueScreen(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle)
    return widget


def names(screen) -> list[str]:
    return [p.name for p in screen.catalogue.model.records()]


def drive(monkeypatch, fill):
    """The dialogs opened by the screen: `fill(dialog)` types into them, then « Enregistrer »."""
    seen = []

    def run(dialog: QDialog) -> bool:
        seen.append(dialog)
        fill(dialog)
        dialog.ok.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(product_dialog, "run_dialog", run)
    return seen


def test_season_text():
    assert months_text(range(1, 13)) == "Toute l'année"
    assert months_text((5, 6, 7)) == "mai → juil."
    assert months_text((9, 10, 11, 12, 1, 2)) == "sept. → févr."  # over the new year
    assert months_text((1, 3, 12)) == "janv., mars, déc."


def test_screen_has_its_tabs(qtbot, services, tasks):
    screen = open_screen(qtbot, services, tasks)
    tabs = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert tabs[:2] == ["Catalogue", "Producteurs"]


def test_producer_then_product_through_the_dialogs(qtbot, services, tasks, monkeypatch):
    org = services.members.save_organisation(OrganisationDetail(name="SCEA Chèvrerie du Marais"))
    screen = open_screen(qtbot, services, tasks)
    screen.tabs.setCurrentWidget(screen.producers)

    def fill_producer(d: ProducerDialog):
        type_text(find(d, "Nom", QLineEdit), "Chèvrerie du Marais")
        type_text(find(d, "Commune", QLineEdit), "Coulon")
        find(d, "Distance", QSpinBox).setValue(11)
        find(d, "AB (agriculture biologique)", QCheckBox).setChecked(True)
        type_text(find(d, "Commande minimum", QLineEdit), "50")
        picker = d.organisation  # the producer is also an organisation of the house
        type_text(picker.field, "Marais")
        picker.run_search()
        qtbot.waitUntil(lambda: picker.chosen() is not None)

    drive(monkeypatch, fill_producer)
    find(screen.producers, "Nouveau producteur").click()
    qtbot.waitUntil(lambda: [p.name for p in screen.producers.model.records()]
                    == ["Chèvrerie du Marais"])
    saved = services.catalogue.producers()[0]
    assert (saved.town, saved.distance_km, saved.labels, saved.min_order_cents,
            saved.organisation_id) == ("Coulon", 11, (ProducerLabel.AB,), 5000, org)
    # opened again, the link shows; « Sans lien » removes it
    again = ProducerDialog(services, saved, tasks=tasks)
    qtbot.addWidget(again)
    assert again.organisation.chosen() == (org, "SCEA Chèvrerie du Marais")
    find(again, "Sans lien avec une structure").click()
    assert again.built().organisation_id is None

    screen.tabs.setCurrentWidget(screen.catalogue)

    def fill_product(d: ProductDialog):
        assert find(d, "Producteur", QComboBox).currentText() == "Chèvrerie du Marais"
        find(d, "Catégorie", QComboBox).setEditText("Produits laitiers")
        type_text(find(d, "Nom", QLineEdit), "Chabichou du Poitou")
        unit = find(d, "Unité", QComboBox)
        unit.setCurrentIndex(unit.findData(ProductUnit.PIECE))
        type_text(find(d, "Prix TTC", QLineEdit), "5,20")
        type_text(find(d, "Conditionnement", QLineEdit), "pièce de 150 g")

    drive(monkeypatch, fill_product)
    qtbot.waitUntil(lambda: tasks.idle)
    find(screen.catalogue, "Nouveau produit").click()
    qtbot.waitUntil(lambda: names(screen) == ["Chabichou du Poitou"])
    product = screen.catalogue.model.records()[0]
    assert (product.price_cents, product.vat_bp, product.unit, product.producer_name,
            product.months) == (520, 550, ProductUnit.PIECE, "Chèvrerie du Marais",
                                tuple(range(1, 13)))
    qtbot.waitUntil(lambda: tasks.idle)


def test_refused_value_is_named_next_to_its_field(qtbot, services):
    services.catalogue.save_producer(ProducerRecord(None, "GAEC des Prés Verts"))
    dialog = ProductDialog(services)
    qtbot.addWidget(dialog)
    dialog.category.setEditText("Légumes")
    type_text(dialog.name, "Poireaux")
    type_text(dialog.price, "2,4x")
    dialog.ok.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "illisible" in dialog.errors.message("price_cents")
    assert dialog.name.text() == "Poireaux"  # the form is kept
    assert services.catalogue.products() == ()

    # no month: the service refuses, the message is under the season
    dialog.price.clear()
    type_text(dialog.price, "2,40")
    dialog.all_year.click()  # unticks every month
    assert dialog.months() == ()
    dialog.ok.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors.message("months")  # under the season
    assert dialog.errors.message("price_cents") == ""
    assert dialog.price.text() == "2,40"

    producer = ProducerDialog(services)
    qtbot.addWidget(producer)
    type_text(producer.town, "Échiré")
    producer.ok.click()  # no name
    assert producer.result() != QDialog.DialogCode.Accepted
    assert producer.errors.message("name")
    assert producer.town.text() == "Échiré"


def test_filters_category_and_in_season(qtbot, services, tasks):
    build_catalogue(services)
    screen = open_screen(qtbot, services, tasks)
    tab = screen.catalogue
    qtbot.waitUntil(lambda: len(names(screen)) == 4)
    tab.category.setCurrentIndex(tab.category.findData("Légumes"))
    qtbot.waitUntil(lambda: names(screen) == ["Courge butternut"])
    tab.category.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(names(screen)) == 4)
    tab.in_season.setChecked(True)  # November
    qtbot.waitUntil(lambda: len(names(screen)) == 3)
    assert "Fraises gariguette" not in names(screen)
    season = [tab.model.columns[7].text(p) for p in tab.model.records()]
    assert "sept. → févr." in season
    tab.producer.setCurrentIndex(tab.producer.findText("GAEC des Prés Verts"))
    qtbot.waitUntil(lambda: names(screen) == ["Courge butternut"])
    tab.producer.setCurrentIndex(0)
    tab.in_season.setChecked(False)
    type_text(tab.search, "chevrerie")  # accents ignored, on the producer too
    qtbot.waitUntil(lambda: names(screen) == ["Chabichou du Poitou"])
    assert tab.count.text() == "1 produit"
    qtbot.waitUntil(lambda: tasks.idle)


def test_price_change_shows_in_the_history(qtbot, services, tasks, clock, monkeypatch):
    ids = build_catalogue(services)
    clock.advance(days=5)
    screen = open_screen(qtbot, services, tasks)
    tab = screen.catalogue
    qtbot.waitUntil(lambda: len(names(screen)) == 4)

    def fill(d: ProductDialog):
        assert d.price.text() == "2,40"
        d.price.clear()
        type_text(d.price, "2,60")

    seen = drive(monkeypatch, fill)
    from maison_app.ui.table_model import select_record

    assert select_record(tab.view, tab.model, lambda p: p.id == ids["courge"])
    tab.open_selected()
    assert seen and seen[0].saved_id == ids["courge"]
    assert services.catalogue.product(product_id=ids["courge"]).price_cents == 260

    dialog = ProductDialog(services, services.catalogue.product(product_id=ids["courge"]))
    qtbot.addWidget(dialog)
    history = find(dialog, "Historique des prix", QListWidget)
    lines = [history.item(i).text() for i in range(history.count())]
    assert len(lines) == 2
    assert "2,60" in lines[0] and "1 décembre 2026" in lines[0]
    assert "2,40" in lines[1] and "26 novembre 2026" in lines[1]
    qtbot.waitUntil(lambda: tasks.idle)
