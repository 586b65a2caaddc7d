"""The "Adhésions" tab: a membership at the fee of the schedule, a partial payment typed
the French way, the receipt printed (and reprinted with the same number), a payment
cancelled, share subscriptions; read-only for the reception."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
)

from maison_app.domain.enums import MemberKind, PaymentMethod, Role
from maison_app.domain.members import OrganisationDetail, PersonDetail
from maison_app.i18n import format_money
from maison_app.services.context import Actor
from tests.ui.conftest import find, press, type_text

YEAR = 2026  # the test clock's year


@pytest.fixture
def tasks():
    from maison_app.ui.tasks import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def house(services):
    ms = services.memberships
    colleges = {c.name: c.id for c in ms.colleges()}
    for name in ("Entreprises adhérentes", "Bénévoles"):  # seeded by the migration, but
        if name not in colleges:  # the PostgreSQL run of the tests empties every table
            colleges[name] = ms.save_college(college_id=None, name=name)
    ms.save_fee(college_id=colleges["Entreprises adhérentes"], year=YEAR, fee_cents=5000)
    ms.save_fee(college_id=colleges["Bénévoles"], year=YEAR, fee_cents=1000)
    helene = services.members.save_person(PersonDetail(
        first_name="Hélène", last_name="Lefèvre", email="h.lefevre@exemple.fr",
        address="3 place de la Brèche", postcode="79000", city="Niort"))
    elan = services.members.save_organisation(OrganisationDetail(name="Élan Coopératif Niortais"))
    return {"helene": helene, "elan": elan, **colleges}


def make_panel(qtbot, services, tasks, kind, member_id):
    from maison_app.views.members.membership_panel import MembershipPanel

    panel = MembershipPanel(services, tasks, kind=kind, member_id=member_id)
    qtbot.addWidget(panel)
    panel.resize(760, 640)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: tasks.idle)
    return panel


@pytest.fixture
def panel(qtbot, services, tasks, house):
    return make_panel(qtbot, services, tasks, MemberKind.PERSON, house["helene"])


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def retype(field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    press(field, Qt.Key.Key_Backspace)
    type_text(field, text)


def click(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def answer_dialog(monkeypatch, cls, fill):
    """Replace `cls.exec` by `fill(dialog)` (shown, not modal), which returns the result."""
    def exec_(dialog):
        dialog.show()
        fill(dialog)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)


def new_membership(qtbot, monkeypatch, panel, tasks, fill) -> None:
    from maison_app.views.members.membership_dialog import MembershipDialog

    answer_dialog(monkeypatch, MembershipDialog, fill)
    click(find(panel, "Nouvelle adhésion", QPushButton))
    qtbot.waitUntil(lambda: tasks.idle)


def pay(qtbot, monkeypatch, panel, tasks, amount: str, reference: str = "") -> None:
    from maison_app.views.members.payment_dialog import PaymentDialog

    def fill(dialog):
        retype(find(dialog, "Montant", QLineEdit), amount)
        if reference:
            type_text(find(dialog, "Référence du paiement", QLineEdit), reference)
        press(find(dialog, "Montant", QLineEdit), Qt.Key.Key_Return)

    answer_dialog(monkeypatch, PaymentDialog, fill)
    click(find(panel, "Enregistrer un paiement", QPushButton))
    qtbot.waitUntil(lambda: tasks.idle)


def euros(cents: int) -> str:
    return format_money(cents)


def test_membership_at_the_fee_of_the_schedule_then_a_partial_payment(
        qtbot, monkeypatch, services, tasks, house, panel, no_modal):
    memberships = find(panel, "Adhésions", QTableView)
    assert rows(memberships) == []
    assert not find(panel, "Enregistrer un paiement", QPushButton).isEnabled()

    seen = {}

    def fill(dialog):
        assert find(dialog, "Année d'adhésion", QSpinBox).value() == YEAR
        college = find(dialog, "Collège", QComboBox)
        assert college.currentIndex() == -1  # a first membership: a conscious choice
        fee = find(dialog, "Cotisation", QLineEdit)
        # Enter without a college: said next to the field
        press(fee, Qt.Key.Key_Return)
        assert dialog.errors.message("college") == "Choisissez un collège."
        college.setCurrentIndex(college.findText("Bénévoles"))
        assert fee.text() == "10,00"
        college.setCurrentIndex(college.findText("Entreprises adhérentes"))
        seen["fee"] = fee.text()
        seen["schedule"] = find(dialog, "Tarif du collège", QLabel).text()
        press(fee, Qt.Key.Key_Return)

    new_membership(qtbot, monkeypatch, panel, tasks, fill)
    assert seen["fee"] == "50,00"  # the schedule's, following the college chosen
    assert seen["schedule"] == f"Tarif {YEAR} du collège : {euros(5000)}."
    assert rows(memberships) == [[str(YEAR), "Entreprises adhérentes", euros(5000), euros(0),
                                  euros(5000), "À relancer"]]

    # more than what is due: refused next to the amount, what was typed stays
    from maison_app.views.members.payment_dialog import PaymentDialog

    said = {}

    def too_much(dialog):
        amount = find(dialog, "Montant", QLineEdit)
        said["proposed"] = amount.text()
        said["date"] = find(dialog, "Date du paiement", QLineEdit).text()
        said["method"] = find(dialog, "Mode de paiement", QComboBox).currentData()
        retype(amount, "60")
        press(amount, Qt.Key.Key_Return)
        said["error"] = dialog.errors.message("amount")
        said["kept"] = amount.text()
        dialog.reject()

    answer_dialog(monkeypatch, PaymentDialog, too_much)
    click(find(panel, "Enregistrer un paiement", QPushButton))
    assert said == {"proposed": "50,00", "date": "26/11/2026", "method": PaymentMethod.CHEQUE,
                    "error": f"Ce paiement dépasse le reste dû ({euros(5000)}).", "kept": "60"}

    # a partial payment typed "12,50", with the cheque's number
    pay(qtbot, monkeypatch, panel, tasks, "12,50", "1234567")
    record = services.memberships.memberships_of(kind=MemberKind.PERSON,
                                                 member_id=house["helene"])[0]
    assert record.paid_cents == 1250
    assert record.payments[0].amount_cents == 1250
    assert record.payments[0].paid_on == dt.date(2026, 11, 26)
    assert record.payments[0].reference == "1234567"
    assert rows(memberships)[0][3:] == [euros(1250), euros(3750), "Partiellement payé"]
    payments = find(panel, "Paiements", QTableView)
    assert rows(payments) == [["26/11/2026", euros(1250), "Chèque", "1234567", "non émis"]]


def test_receipt_printed_then_reprinted_with_the_same_number(
        qtbot, monkeypatch, services, tasks, house, panel, no_modal):
    from pypdf import PdfReader

    from maison_app.views.members import membership_panel

    ms = services.memberships
    mid = ms.create_membership(kind=MemberKind.PERSON, member_id=house["helene"], year=YEAR,
                               college_id=house["Entreprises adhérentes"])
    ms.record_payment(membership_id=mid, amount_cents=1250, paid_on=dt.date(2026, 3, 2),
                      method=PaymentMethod.CHEQUE, reference="1234567")
    panel.refresh()
    qtbot.waitUntil(lambda: tasks.idle)
    payments = find(panel, "Paiements", QTableView)
    assert len(rows(payments)) == 1

    shown = []
    monkeypatch.setattr(membership_panel, "preview_pdf",
                        lambda parent, record, content: shown.append((record, content)))
    button = find(panel, "Imprimer le reçu", QPushButton)
    assert button.text() == "Imprimer le reçu…"
    click(button)
    qtbot.waitUntil(lambda: len(shown) == 1 and tasks.idle, timeout=15_000)
    record, content = shown[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert record.number in text
    assert "Hélène Lefèvre" in text
    assert rows(payments)[0][4] == record.number  # the number now shows in the payments
    assert button.text() == "Réimprimer le reçu…"

    click(button)
    qtbot.waitUntil(lambda: len(shown) == 2 and tasks.idle, timeout=15_000)
    again, content_again = shown[1]
    assert again.number == record.number and again.id == record.id
    assert content_again == content

    # a payment with a receipt cannot be cancelled: the service says why
    no_modal.answers.append(True)
    click(find(panel, "Annuler le paiement", QPushButton))
    assert no_modal.texts("warn")[-1] == ("Un reçu a déjà été émis pour ce paiement : il ne "
                                          "peut plus être annulé.")
    assert ms.membership(membership_id=mid).paid_cents == 1250


def test_receipt_shown_in_the_pdf_preview(qtbot, services, tasks, house, panel):
    ms = services.memberships
    mid = ms.create_membership(kind=MemberKind.PERSON, member_id=house["helene"], year=YEAR,
                               college_id=house["Bénévoles"])
    ms.record_payment(membership_id=mid, amount_cents=1000, paid_on=dt.date(2026, 3, 2),
                      method=PaymentMethod.ESPECES)
    panel.refresh()
    qtbot.waitUntil(lambda: tasks.idle)
    click(find(panel, "Imprimer le reçu", QPushButton))
    qtbot.waitUntil(lambda: panel.receipt_dialog is not None and tasks.idle, timeout=15_000)
    dialog = panel.receipt_dialog
    assert dialog.isVisible()
    assert dialog.windowTitle().startswith("Reçu de cotisation — ")
    assert dialog.page_count >= 1
    dialog.close()


def test_cancel_a_payment_and_delete_a_membership(qtbot, monkeypatch, services, tasks, house,
                                                  panel, no_modal):
    ms = services.memberships
    memberships = find(panel, "Adhésions", QTableView)

    # a year without a fee in the schedule: the fee is typed, after the message says so
    def fill(dialog):
        year = find(dialog, "Année d'adhésion", QSpinBox)
        year.setValue(YEAR - 1)
        college = find(dialog, "Collège", QComboBox)
        college.setCurrentIndex(college.findText("Bénévoles"))
        fee = find(dialog, "Cotisation", QLineEdit)
        assert fee.text() == ""
        press(fee, Qt.Key.Key_Return)
        assert "n'est pas fixée" in dialog.errors.message("fee")
        type_text(fee, "8")
        press(fee, Qt.Key.Key_Return)

    new_membership(qtbot, monkeypatch, panel, tasks, fill)
    assert rows(memberships) == [[str(YEAR - 1), "Bénévoles", euros(800), euros(0), euros(800),
                                  "À relancer"]]
    pay(qtbot, monkeypatch, panel, tasks, "3")
    assert rows(memberships)[0][3] == euros(300)

    # the fee changed afterwards (a reduced fee), never below what was paid
    from maison_app.views.members.membership_dialog import MembershipDialog

    def reduce(dialog):
        assert not find(dialog, "Année d'adhésion", QSpinBox).isEnabled()
        fee = find(dialog, "Cotisation", QLineEdit)
        assert fee.text() == "8,00"
        retype(fee, "2")
        press(fee, Qt.Key.Key_Return)
        assert dialog.errors.message("fee").startswith(
            "La cotisation ne peut pas être inférieure à ce qui a déjà été payé")
        retype(fee, "6,5")
        type_text(find(dialog, "Notes de l'adhésion", QLineEdit), "tarif réduit")
        press(fee, Qt.Key.Key_Return)

    answer_dialog(monkeypatch, MembershipDialog, reduce)
    click(find(panel, "Modifier l'adhésion", QPushButton))
    qtbot.waitUntil(lambda: tasks.idle)
    assert rows(memberships)[0][2:5] == [euros(650), euros(300), euros(350)]
    delete = find(panel, "Supprimer l'adhésion", QPushButton)
    assert not delete.isEnabled()  # it has a payment

    payments = find(panel, "Paiements", QTableView)
    no_modal.answers.append(False)
    click(find(panel, "Annuler le paiement", QPushButton))
    assert "Annuler le paiement de" in no_modal.texts("confirm")[-1]
    assert len(rows(payments)) == 1
    no_modal.answers.append(True)
    click(find(panel, "Annuler le paiement", QPushButton))
    qtbot.waitUntil(lambda: tasks.idle and rows(payments) == [])
    assert rows(memberships)[0][3] == euros(0)
    mid = ms.memberships_of(kind=MemberKind.PERSON, member_id=house["helene"])[0].id
    assert ms.membership(membership_id=mid).payments == ()

    assert delete.isEnabled()
    no_modal.answers.append(True)
    click(delete)
    qtbot.waitUntil(lambda: tasks.idle and rows(memberships) == [])
    assert ms.memberships_of(kind=MemberKind.PERSON, member_id=house["helene"]) == ()


def test_shares_of_an_organisation(qtbot, monkeypatch, services, tasks, house, no_modal):
    from maison_app.views.members.membership_dialog import ShareDialog

    panel = make_panel(qtbot, services, tasks, MemberKind.ORGANISATION, house["elan"])
    shares = find(panel, "Parts sociales", QTableView)
    total = find(panel, "Total des parts sociales", QLabel)
    assert total.text() == "Aucune part souscrite"
    seen = {}

    def fill(dialog):
        find(dialog, "Nombre de parts", QSpinBox).setValue(3)
        nominal = find(dialog, "Valeur nominale", QLineEdit)
        press(nominal, Qt.Key.Key_Return)
        seen["error"] = dialog.errors.message("nominal")
        type_text(nominal, "50")
        seen["total"] = find(dialog, "Total souscrit", QLabel).text()
        type_text(find(dialog, "Notes de la souscription", QLineEdit), "AG du 12 juin")
        press(nominal, Qt.Key.Key_Return)

    answer_dialog(monkeypatch, ShareDialog, fill)
    click(find(panel, "Ajouter des parts sociales", QPushButton))
    qtbot.waitUntil(lambda: tasks.idle and len(rows(shares)) == 1)
    assert seen == {"error": "Indiquez la valeur nominale d'une part.", "total": euros(15000)}
    assert rows(shares) == [["26/11/2026", "3", euros(5000), euros(15000), "AG du 12 juin"]]
    assert total.text() == f"3 parts, {euros(15000)}"
    (share,) = services.memberships.shares_of(kind=MemberKind.ORGANISATION,
                                              member_id=house["elan"])
    assert (share.count, share.nominal_cents) == (3, 5000)

    shares.selectRow(0)
    no_modal.answers.append(True)
    click(find(panel, "Supprimer la souscription", QPushButton))
    assert "3 parts" in no_modal.texts("confirm")[-1]
    qtbot.waitUntil(lambda: tasks.idle and rows(shares) == [])
    assert services.memberships.shares_of(kind=MemberKind.ORGANISATION,
                                          member_id=house["elan"]) == ()


def test_the_reception_reads_but_does_not_record(qtbot, services, tasks, house):
    ms = services.memberships
    mid = ms.create_membership(kind=MemberKind.PERSON, member_id=house["helene"], year=YEAR,
                               college_id=house["Bénévoles"])
    ms.record_payment(membership_id=mid, amount_cents=1000, paid_on=dt.date(2026, 3, 2),
                      method=PaymentMethod.CARTE)
    reception = services.for_actor(Actor(login="lina", role=Role.ACCUEIL))
    panel = make_panel(qtbot, reception, tasks, MemberKind.PERSON, house["helene"])
    assert rows(find(panel, "Adhésions", QTableView)) == [
        [str(YEAR), "Bénévoles", euros(1000), euros(1000), euros(0), "À jour"]]
    assert rows(find(panel, "Paiements", QTableView))[0][2] == "Carte bancaire"
    for name in ("Nouvelle adhésion", "Modifier l'adhésion", "Supprimer l'adhésion",
                 "Enregistrer un paiement", "Annuler le paiement", "Imprimer le reçu",
                 "Ajouter des parts sociales", "Supprimer la souscription"):
        assert find(panel, name, QPushButton).isHidden(), name
    assert "administration" in find(panel, "Note sur les adhésions", QLabel).text()
