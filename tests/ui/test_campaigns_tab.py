"""The « Commandes groupées » tab as the reception uses it: a campaign created from its
dialog with a producer's products, an order typed in its dialog (a decimal quantity for the
kilo, whole pieces otherwise, the total shown live), the totals with a producer's minimum
not reached, the pickup marked, a purchase order previewed, then the campaign closed: the
order buttons are disabled and the service refuses a new order.

The clock says Thursday 26 November 2026, 09:00 in Paris."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QLineEdit, QPushButton, QTableView

from maison_app.domain.catalogue import (
    CampaignRecord,
    OrderLine,
    OrderRecord,
    ProducerRecord,
    ProductRecord,
)
from maison_app.domain.enums import ProducerLabel, ProductUnit
from maison_app.domain.errors import MaisonError
from maison_app.ui.pdf_preview import PdfPreviewDialog
from maison_app.ui.tasks import TaskRunner
from maison_app.views.catalogue import campaigns_tab as tab_module
from maison_app.views.catalogue.campaign_dialog import CampaignDialog
from maison_app.views.catalogue.campaigns_tab import CampaignsTab
from maison_app.views.catalogue.order_dialog import OrderDialog
from tests.ui.conftest import find, press, type_text


def build_catalogue(services) -> dict[str, int]:
    c = services.catalogue
    ids: dict[str, int] = {}
    ids["prés"] = c.save_producer(ProducerRecord(
        None, "GAEC des Prés Verts", town="Échiré", distance_km=12,
        labels=(ProducerLabel.AB,), min_order_cents=5000))
    ids["cidre"] = c.save_producer(ProducerRecord(
        None, "Cidrerie de Kerné", town="Quimper", distance_km=410))
    ids["pommes"] = c.save_product(ProductRecord(
        None, ids["prés"], "Fruits", "Pommes Reinette", ProductUnit.KG, 320, vat_bp=550))
    ids["pain"] = c.save_product(ProductRecord(
        None, ids["prés"], "Boulangerie", "Pain de campagne", ProductUnit.PIECE, 450,
        vat_bp=550))
    ids["cidre brut"] = c.save_product(ProductRecord(
        None, ids["cidre"], "Boissons", "Cidre brut", ProductUnit.BOTTLE, 590, vat_bp=2000))
    ids["Hélène"] = services.people.create_person(
        first_name="Hélène", last_name="Lefèvre", email="helene.lefevre@exemple.fr")
    ids["Paul"] = services.people.create_person(
        first_name="Paul", last_name="Martin", email="paul.martin@exemple.fr")
    ids["Circuits"] = services.people.create_organisation(name="Association Circuits Courts 79")
    return ids


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def previews(monkeypatch) -> list[bytes]:
    shown: list[bytes] = []
    monkeypatch.setattr(PdfPreviewDialog, "open", lambda self: shown.append(self.pdf_bytes))
    return shown


def make_tab(qtbot, services, tasks) -> CampaignsTab:
    tab = CampaignsTab(services, tasks)
    qtbot.addWidget(tab)
    tab.resize(1200, 760)
    with qtbot.waitSignal(tab.loaded):
        tab.show()
    return tab


def test_campaign_to_purchase_order(qtbot, services, tasks, monkeypatch, no_modal, previews):
    ids = build_catalogue(services)
    tab = make_tab(qtbot, services, tasks)
    assert find(tab, "Nouvelle commande", QPushButton).isEnabled() is False

    # a campaign: the whole first producer, and the cider
    def drive_campaign(dialog: CampaignDialog) -> bool:
        type_text(find(dialog, "Titre de la campagne", QLineEdit), "Paniers de Noël")
        closes = find(dialog, "Clôture des commandes", QLineEdit)
        closes.setText("03/12/2026")
        find(dialog, "Jour de retrait", QLineEdit).setText("05/12/2026")
        dialog.producer_item("GAEC des Prés Verts").setCheckState(0, Qt.CheckState.Checked)
        dialog.check_product(ids["cidre brut"])
        assert "3 produits proposés" in find(dialog, "Produits choisis", QLabel).text()
        dialog.save()
        assert dialog.result() == dialog.DialogCode.Accepted, dialog.errors.message("title")
        return True

    monkeypatch.setattr(tab_module, "run_dialog", drive_campaign)
    with qtbot.waitSignal(tab.orders_loaded):
        tab.new_campaign()
    campaign = services.catalogue.campaigns()[0]
    assert campaign.title == "Paniers de Noël"
    assert set(campaign.product_ids) == {ids["pommes"], ids["pain"], ids["cidre brut"]}
    assert tab.current.id == campaign.id
    assert find(tab, "Nouvelle commande", QPushButton).isEnabled()

    # an order: 1,5 kg of apples typed, two loaves; the total shown as one types
    shown_totals: list[str] = []

    def drive_order(dialog: OrderDialog) -> bool:
        # nothing chosen yet: refused under the member, nothing written
        dialog.save()
        assert dialog.result() != dialog.DialogCode.Accepted
        assert "personne qui commande" in dialog.errors.message("member")
        picker = dialog.person_picker
        type_text(picker.field, "Lefè")
        qtbot.waitUntil(lambda: picker.chosen() is not None)
        # a member but no quantity: said under the products, the member kept
        dialog.save()
        assert "au moins un produit" in dialog.errors.message("lines")
        assert picker.chosen() is not None and dialog.errors.message("member") == ""
        assert services.catalogue.orders(campaign_id=tab.current.id) == ()
        apples = find(dialog, "Quantité : Pommes Reinette", QDoubleSpinBox)
        apples.lineEdit().selectAll()
        type_text(apples.lineEdit(), "1,5")
        apples.interpretText()
        bread = find(dialog, "Quantité : Pain de campagne", QDoubleSpinBox)
        assert bread.decimals() == 0 and apples.decimals() > 0
        bread.lineEdit().selectAll()
        type_text(bread.lineEdit(), "2")
        bread.interpretText()
        shown_totals.append(find(dialog, "Total de la commande", QLabel).text())
        dialog.save()
        assert dialog.result() == dialog.DialogCode.Accepted
        return True

    monkeypatch.setattr(tab_module, "run_dialog", drive_order)
    with qtbot.waitSignal(tab.orders_loaded):
        find(tab, "Nouvelle commande", QPushButton).click()
    # 1,5 × 3,20 = 4,80 ; 2 × 4,50 = 9,00
    assert shown_totals[0].replace("\u202f", " ").replace("\xa0", " ") == "13,80 €"
    orders = services.catalogue.orders(campaign_id=campaign.id)
    assert len(orders) == 1 and orders[0].person_id == ids["Hélène"]
    assert {(line.product_id, line.quantity_milli) for line in orders[0].lines} == {
        (ids["pommes"], 1500), (ids["pain"], 2000)}
    assert tab.orders_model.rowCount() == 1
    assert tab.orders_model.data(tab.orders_model.index(0, 1)).replace("\xa0", " ") == (
        "2 × Pain de campagne, 1,5 kg Pommes Reinette")
    # the producer's 50 € minimum is not reached
    totals = tab.totals_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "GAEC des Prés Verts" in totals and "non atteint" in totals
    assert "13,80" in totals
    # each producer's products under it, with the quantity ordered, and the VAT per rate
    assert "  Pommes Reinette 1,5 kg 4,80 €" in totals
    assert "  Pain de campagne 2 pièces 9,00 €" in totals
    assert "dont TVA" in totals

    # a second order by the service; the pickup marked for the first one
    services.catalogue.save_order(OrderRecord(
        None, campaign.id, person_id=ids["Paul"],
        lines=(OrderLine(ids["cidre brut"], 6000),)))
    with qtbot.waitSignal(tab.orders_loaded):
        tab.reload()
    view = find(tab, "Commandes de la campagne", QTableView)
    assert tab.orders_model.rowCount() == 2
    assert tab_module.select_record(view, tab.orders_model, lambda o: o.person_id == ids["Hélène"])
    with qtbot.waitSignal(tab.orders_loaded):
        find(tab, "Marquer retiré", QPushButton).click()
    helene = services.catalogue.order(order_id=orders[0].id)
    assert helene.collected_at is not None
    row = next(r for r, o in enumerate(tab.orders_model.records()) if o.id == helene.id)
    assert tab.orders_model.data(tab.orders_model.index(row, 3)) == "✓"

    # the receipt of the chosen order, the pickup list
    assert tab_module.select_record(view, tab.orders_model, lambda o: o.person_id == ids["Paul"])
    find(tab, "Reçu", QPushButton).click()
    find(tab, "Liste de retrait", QPushButton).click()
    qtbot.waitUntil(lambda: len(previews) == 2)  # issued in the task runner
    assert all(p.startswith(b"%PDF") for p in previews)
    previews.clear()

    # a purchase order: the producer chosen from the list
    monkeypatch.setattr(tab_module, "choose_producer", lambda parent, names: names[0])
    find(tab, "Bons de commande", QPushButton).click()
    qtbot.waitUntil(lambda: len(previews) == 1)
    assert previews[0].startswith(b"%PDF")
    monkeypatch.setattr(tab_module, "choose_producer",
                        lambda parent, names: tab_module.ALL_PRODUCERS)
    find(tab, "Bons de commande", QPushButton).click()
    qtbot.waitUntil(lambda: len(previews) == 3)  # one per producer

    # closing freezes the orders
    no_modal.answers.append(True)
    with qtbot.waitSignal(tab.orders_loaded):
        find(tab, "Clore la campagne", QPushButton).click()
    assert any("figées" in text for text in no_modal.texts("confirm"))
    assert services.catalogue.campaign(campaign_id=campaign.id).closed_at is not None
    assert tab.current.closed_at is not None
    for name in ("Nouvelle commande", "Modifier la commande", "Supprimer la commande",
                 "Clore la campagne"):
        assert not find(tab, name, QPushButton).isEnabled(), name
    with pytest.raises(MaisonError):
        services.catalogue.save_order(OrderRecord(
            None, campaign.id, organisation_id=ids["Circuits"],
            lines=(OrderLine(ids["pain"], 1000),)))
    with pytest.raises(MaisonError):
        services.catalogue.delete_order(order_id=helene.id)
    # collected marks are still allowed
    assert tab_module.select_record(view, tab.orders_model, lambda o: o.person_id == ids["Paul"])
    assert find(tab, "Marquer retiré", QPushButton).isEnabled()
    with qtbot.waitSignal(tab.orders_loaded):
        find(tab, "Marquer retiré", QPushButton).click()
    assert all(o.collected_at for o in services.catalogue.orders(campaign_id=campaign.id))


def test_edit_and_delete_an_order(qtbot, services, tasks, monkeypatch, no_modal):
    ids = build_catalogue(services)
    cid = services.catalogue.save_campaign(CampaignRecord(
        None, "Commande de décembre", dt.date(2026, 11, 20), dt.date(2026, 12, 2),
        dt.date(2026, 12, 4), pickup_place="Accueil",
        product_ids=(ids["pain"],)))
    services.catalogue.save_order(OrderRecord(
        None, cid, person_id=ids["Paul"], lines=(OrderLine(ids["pain"], 3000),)))
    tab = make_tab(qtbot, services, tasks)
    qtbot.waitUntil(lambda: tab.orders_model.rowCount() == 1)
    view = find(tab, "Commandes de la campagne", QTableView)
    view.setFocus()
    view.selectRow(0)

    # Enter opens the order: its quantity shown, changed; a second order for the same
    # member is refused with the service's message, the dialog stays open
    def edit(dialog: OrderDialog) -> bool:
        bread = find(dialog, "Quantité : Pain de campagne", QDoubleSpinBox)
        assert bread.value() == 3
        bread.setValue(4)
        assert "18,00" in find(dialog, "Total de la commande", QLabel).text()
        dialog.save()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(tab_module, "run_dialog", edit)
    with qtbot.waitSignal(tab.orders_loaded):
        press(view, Qt.Key.Key_Return)
    assert services.catalogue.orders(campaign_id=cid)[0].lines[0].quantity_milli == 4000

    def twice(dialog: OrderDialog) -> bool:
        dialog.person_picker.choose(ids["Paul"], "Paul Martin")
        find(dialog, "Quantité : Pain de campagne", QDoubleSpinBox).setValue(1)
        dialog.save()
        assert dialog.result() != dialog.DialogCode.Accepted
        return False

    monkeypatch.setattr(tab_module, "run_dialog", twice)
    tab.new_order()
    assert any("déjà une commande" in text for text in no_modal.texts("warn"))
    assert len(services.catalogue.orders(campaign_id=cid)) == 1

    view.setFocus()
    view.selectRow(0)
    no_modal.answers.append(False)
    press(view, Qt.Key.Key_Delete)
    assert len(services.catalogue.orders(campaign_id=cid)) == 1
    no_modal.answers.append(True)
    with qtbot.waitSignal(tab.orders_loaded):
        press(view, Qt.Key.Key_Delete)
    assert services.catalogue.orders(campaign_id=cid) == ()
    assert tab.orders_model.rowCount() == 0
