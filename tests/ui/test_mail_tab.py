"""The « Courrier » tab of the Hébergement screen, as the reception uses it: a letter
recorded through the dialog by typing, lines notified and collected several at once, the
filter and the search, mail waiting for three months, corrections and deletions. Everything
here is done by the accueil role."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
)

from maison_app.db.hosting import HostingAgreement
from maison_app.domain.enums import AgreementStatus, Role
from maison_app.domain.hosting import MailRecord
from maison_app.services.context import Actor
from maison_app.views.hosting import mail_tab
from tests.ui.conftest import find, type_text

D = dt.date  # the clock says Thursday 26 November 2026
TODAY = D(2026, 11, 26)
HEADERS = ["Reçu le", "Destinataire", "Type", "Expéditeur", "Avisé le", "Retiré le", "Notes"]


@pytest.fixture
def house(services):
    """Four domiciled organisations and a domiciled person; Atelier Vélo is hosted without
    the domiciliation."""
    ids = {}
    names = ("Ébène Traduction", "Brûlerie Équitable", "Compost'Âge", "Atelier Vélo",
             "SCOP Les Jardins de Sèvre")
    for n, name in enumerate(names, 1):
        ids[name] = services.people.create_organisation(name=name)
    ids["Hélène"] = services.people.create_person(first_name="Hélène", last_name="Lefèvre")
    with services.ctx.writing() as s:
        for n, name in enumerate([*names, "Hélène"], 1):
            key = "person_id" if name == "Hélène" else "organisation_id"
            s.add(HostingAgreement(number=f"CH-2026-{n:04d}", year=2026, sequence=n,
                                   status=AgreementStatus.SIGNED,
                                   domiciliation=name != "Atelier Vélo", start=D(2026, 1, 1),
                                   end=D(2027, 6, 30), **{key: ids[name]}))
    return ids


@pytest.fixture
def desk(services):
    """The services as the reception, logged in."""
    return services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))


def receive(services, house, who: str, received_on=TODAY, **kw) -> int:
    key = "person_id" if who == "Hélène" else "organisation_id"
    fields = {"id": None, "organisation_id": None, "person_id": None, "recipient": "",
              "received_on": received_on, key: house[who]}
    return services.mail.receive(MailRecord(**fields | kw))


def open_tab(qtbot, desk):
    from maison_app.ui.tasks import TaskRunner

    tasks = TaskRunner()
    tab = mail_tab.MailTab(desk, tasks)
    qtbot.addWidget(tab)
    tab.resize(1250, 600)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tasks.idle and tab.recipients is not None)
    return tab


def reload(qtbot, tab) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.refresh()


def rows(tab) -> list[list[str]]:
    proxy = tab.proxy
    return [[proxy.index(r, c).data() for c in range(proxy.columnCount())]
            for r in range(proxy.rowCount())]


def column(tab, title: str) -> list[str]:
    return [row[HEADERS.index(title)] for row in rows(tab)]


def click_rows(tab, *recipients: str) -> None:
    """Ctrl+click the lines of these recipients, as a person selects several lines."""
    tab.table.clearSelection()
    names = column(tab, "Destinataire")
    for name in recipients:
        index = tab.proxy.index(names.index(name), 0)
        QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ControlModifier,
                         tab.table.visualRect(index).center())


def enter(dialog) -> None:
    """Enter where the keyboard is: the suggestions when they are open, else the field."""
    popup = dialog.recipient.completer().popup()
    target = popup if popup.isVisible() else QApplication.focusWidget()
    QTest.keyClick(target, Qt.Key.Key_Return)


def drive_dialog(qtbot, monkeypatch, script) -> list:
    """The dialog opens as usual, then `script(dialog)` plays the person's part instead
    of a modal loop. Returns the dialogs opened."""
    opened = []

    def exec_(dialog):
        opened.append(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        script(dialog)
        if dialog.isVisible():
            dialog.reject()
        return dialog.result()

    monkeypatch.setattr(mail_tab.MailDialog, "exec", exec_)
    return opened


# --- recording mail ---------------------------------------------------------------------------


def test_a_letter_is_recorded_by_typing(qtbot, monkeypatch, desk, house):
    tab = open_tab(qtbot, desk)
    assert [tab.model.headerData(i, Qt.Orientation.Horizontal) for i in range(7)] == HEADERS
    assert rows(tab) == []

    def script(dialog):
        picker = find(dialog, "Destinataire", QComboBox)
        assert picker.hasFocus() or picker.lineEdit().hasFocus()
        # the list: the domiciled of the day, by name; Atelier Vélo has no domiciliation
        assert [picker.itemText(i) for i in range(picker.count())] == [
            "Brûlerie Équitable", "Compost'Âge", "Ébène Traduction", "Hélène Lefèvre",
            "SCOP Les Jardins de Sèvre"]
        assert find(dialog, "Date de réception", QLineEdit).text() == "26/11/2026"
        type_text(QApplication.focusWidget(), "ebene")
        enter(dialog)  # chooses, and goes on to the sender
        assert picker.currentText() == "Ébène Traduction"
        assert find(dialog, "Expéditeur", QLineEdit).hasFocus()
        find(dialog, "Type de courrier", QComboBox).setCurrentIndex(1)  # Recommandé
        type_text(QApplication.focusWidget(), "Impôts — SIE")
        enter(dialog)  # saves
        assert not dialog.isVisible()

    opened = drive_dialog(qtbot, monkeypatch, script)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    assert rows(tab) == [["26 novembre 2026", "Ébène Traduction", "Recommandé", "Impôts — SIE",
                          "à aviser", "en attente (arrivé aujourd'hui)", ""]]
    banner = find(tab, "Message du courrier", QLabel)
    assert banner.isVisible() and "Ébène Traduction" in banner.text()
    assert "aviser le destinataire" in banner.text()
    assert [m.id for m in tab.selected()] == [m.id for m in desk.mail.log()]  # the new line
    assert find(tab, "Nombre de courriers", QLabel).text() == "1 courrier en attente, dont 1 à aviser"


def test_the_suggestions_choose_among_several(qtbot, monkeypatch, desk, house):
    tab = open_tab(qtbot, desk)

    def script(dialog):
        type_text(QApplication.focusWidget(), "e")  # in every name
        enter(dialog)
        assert "5 destinataires correspondent à « e »" in dialog.errors.message("recipient")
        popup = dialog.recipient.completer().popup()
        qtbot.waitUntil(popup.isVisible)  # the suggestions, to choose among them
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Down)  # the second: Compost'Âge
        enter(dialog)
        assert dialog.recipient.currentText() == "Compost'Âge"
        assert dialog.errors.message("recipient") == ""
        find(dialog, "Enregistrer", QPushButton).click()

    drive_dialog(qtbot, monkeypatch, script)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        find(tab, "Courrier reçu…", QPushButton).click()
    assert column(tab, "Destinataire") == ["Compost'Âge"]


def test_errors_are_shown_next_to_their_fields(qtbot, monkeypatch, desk, house):
    tab = open_tab(qtbot, desk)

    def script(dialog):
        save = find(dialog, "Enregistrer", QPushButton)
        save.click()
        assert "Choisissez le destinataire" in dialog.errors.message("recipient")
        type_text(QApplication.focusWidget(), "atelier")  # hosted, not domiciled
        save.click()
        assert "ne correspond à « atelier »" in dialog.errors.message("recipient")
        picker = dialog.recipient
        picker.setCurrentIndex(picker.findText("Hélène Lefèvre"))
        date = find(dialog, "Date de réception", QLineEdit)
        date.clear()
        type_text(date, "27/11/2026")
        save.click()
        assert dialog.errors.message("recipient") == ""
        assert "futur" in dialog.errors.message("received_on")
        assert date.hasFocus()
        date.clear()
        type_text(date, "31/02/2026")
        save.click()
        assert "n'existe pas" in dialog.errors.message("received_on")
        assert dialog.isVisible()  # what was typed stays

    opened = drive_dialog(qtbot, monkeypatch, script)
    find(tab, "Courrier reçu…", QPushButton).click()
    assert len(opened) == 1 and desk.mail.log() == ()


def test_a_delivery_is_recorded_one_letter_after_the_other(qtbot, monkeypatch, desk, house):
    tab = open_tab(qtbot, desk)

    def script(dialog):
        find(dialog, "Type de courrier", QComboBox).setCurrentIndex(2)  # Colis
        for typed, sender in (("jardins", "Leroy"), ("lefevre", "Banque")):
            type_text(QApplication.focusWidget(), typed)
            enter(dialog)
            type_text(QApplication.focusWidget(), sender)
            find(dialog, "Enregistrer et saisir le suivant", QPushButton).click()
            assert dialog.recipient.currentText() == ""  # ready for the next one
            assert dialog.recipient.lineEdit().hasFocus()
        note = find(dialog, "Courrier enregistré", QLabel)
        assert "2 courriers saisis dans ce lot" in note.text()
        assert find(dialog, "Fermer", QPushButton).isVisible()
        find(dialog, "Fermer", QPushButton).click()

    drive_dialog(qtbot, monkeypatch, script)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        find(tab, "Courrier reçu…", QPushButton).click()
    assert sorted(column(tab, "Destinataire")) == ["Hélène Lefèvre", "SCOP Les Jardins de Sèvre"]
    assert set(column(tab, "Type")) == {"Colis"}
    assert find(tab, "Message du courrier", QLabel).text().startswith("2 courriers enregistrés")
    assert len(tab.selected()) == 2


# --- notified, collected ---------------------------------------------------------------------


def test_several_lines_are_notified_then_collected(qtbot, desk, house, no_modal):
    receive(desk, house, "Ébène Traduction", D(2026, 11, 20), sender="URSSAF")
    receive(desk, house, "Compost'Âge", D(2026, 11, 23))
    receive(desk, house, "Hélène", D(2026, 11, 24))
    tab = open_tab(qtbot, desk)
    notify = find(tab, "Avisé", QPushButton)
    collect = find(tab, "Retiré", QPushButton)
    assert not notify.isEnabled() and not collect.isEnabled()

    click_rows(tab, "Ébène Traduction", "Hélène Lefèvre")
    assert notify.isEnabled() and collect.isEnabled()
    assert not find(tab, "Corriger…", QPushButton).isEnabled()  # one line at a time
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        notify.click()
    notified = dict(zip(column(tab, "Destinataire"), column(tab, "Avisé le"), strict=True))
    assert notified == {"Hélène Lefèvre": "26 novembre 2026", "Compost'Âge": "à aviser",
                        "Ébène Traduction": "26 novembre 2026"}
    assert "2 courriers notés avisés" in find(tab, "Message du courrier", QLabel).text()
    assert no_modal == []  # no question for a notice

    # « Retiré » asks first, naming how many and which; « Annuler » changes nothing
    assert len(tab.selected()) == 2  # still chosen after the refresh
    no_modal.answers.append(False)
    collect.click()
    (question,) = no_modal.texts("confirm")
    assert "Noter 2 courriers comme retirés aujourd'hui (26 novembre 2026) ?" in question
    assert "Ébène Traduction — lettre du 20 novembre 2026 (URSSAF)" in question
    assert all(m.waiting for m in desk.mail.log())

    no_modal.answers.append(True)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        collect.click()
    assert column(tab, "Destinataire") == ["Compost'Âge"]  # « En attente seulement »
    assert "2 courriers retirés aujourd'hui" in find(tab, "Message du courrier", QLabel).text()
    assert {m.recipient: m.collected_on for m in desk.mail.log()} == {
        "Hélène Lefèvre": TODAY, "Compost'Âge": None, "Ébène Traduction": TODAY}


def test_the_filter_and_the_search(qtbot, desk, house):
    gone = receive(desk, house, "Ébène Traduction", D(2026, 11, 2), sender="Banque Postale")
    receive(desk, house, "Brûlerie Équitable", D(2026, 11, 20), sender="Impôts")
    receive(desk, house, "Hélène", D(2026, 11, 24), sender="CAF")
    desk.mail.collect(mail_ids=[gone], on=D(2026, 11, 5))
    tab = open_tab(qtbot, desk)
    waiting_only = find(tab, "En attente seulement", QCheckBox)
    assert waiting_only.isChecked()
    assert column(tab, "Destinataire") == ["Hélène Lefèvre", "Brûlerie Équitable"]

    with qtbot.waitSignal(tab.loaded, timeout=5000):
        waiting_only.click()
    assert column(tab, "Destinataire") == ["Hélène Lefèvre", "Brûlerie Équitable",
                                           "Ébène Traduction"]
    assert column(tab, "Retiré le") == ["en attente depuis 2 jours", "en attente depuis 6 jours",
                                        "5 novembre 2026"]
    assert find(tab, "Nombre de courriers", QLabel).text() == "3 courriers, dont 2 à aviser"

    search = find(tab, "Rechercher dans le courrier", QLineEdit)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        type_text(search, "ebene")
    assert column(tab, "Destinataire") == ["Ébène Traduction"]
    search.clear()
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        type_text(search, "IMPOTS")  # the sender, without its accent
    assert column(tab, "Destinataire") == ["Brûlerie Équitable"]
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        waiting_only.click()
    assert column(tab, "Destinataire") == ["Brûlerie Équitable"]


def test_mail_waiting_three_months_is_highlighted_and_counted(qtbot, desk, house):
    receive(desk, house, "Ébène Traduction", D(2026, 8, 27))  # three months tomorrow
    tab = open_tab(qtbot, desk)
    banner = find(tab, "Courrier en attente depuis longtemps", QLabel)
    assert not banner.isVisible()
    assert tab.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None

    receive(desk, house, "Ébène Traduction", D(2026, 8, 26))
    receive(desk, house, "Ébène Traduction", D(2026, 7, 1), sender="URSSAF")
    receive(desk, house, "Hélène", D(2026, 6, 15))
    receive(desk, house, "Compost'Âge", D(2026, 11, 25))
    reload(qtbot, tab)
    assert banner.isVisible()
    assert banner.text().startswith("3 courriers attendent depuis plus de 3 mois : "
                                    "Ébène Traduction (2), Hélène Lefèvre.")
    assert "Relancez les destinataires" in banner.text()
    received = column(tab, "Reçu le")
    highlighted = [tab.proxy.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
                   for r in range(len(received))]
    assert dict(zip(received, highlighted, strict=True)) == {
        "25 novembre 2026": False, "27 août 2026": False, "26 août 2026": True,
        "1 juillet 2026": True, "15 juin 2026": True}
    row = received.index("26 août 2026")
    brush = tab.proxy.index(row, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == QColor(mail_tab.OVERDUE_BACKGROUND)
    assert "relancez le destinataire" in tab.proxy.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert column(tab, "Retiré le")[row] == "en attente depuis 3 mois"
    painted = tab.table.viewport().grab().toImage()  # and it is painted that way
    cell = tab.table.visualRect(tab.proxy.index(row, 2))
    assert painted.pixelColor(cell.right() - 3, cell.center().y()) == QColor(
        mail_tab.OVERDUE_BACKGROUND)

    # once collected, it no longer waits
    click_rows(tab, "Hélène Lefèvre")
    tab.services.mail.collect(mail_ids=[m.id for m in tab.selected()], on=TODAY)
    reload(qtbot, tab)
    assert banner.text().startswith("2 courriers attendent depuis plus de 3 mois : "
                                    "Ébène Traduction (2).")
    assert "Relancez le destinataire," in banner.text()


# --- corrections and deletions -------------------------------------------------------------------


def test_a_line_is_corrected(qtbot, monkeypatch, desk, house):
    receive(desk, house, "Ébène Traduction", D(2026, 11, 20), sender="Impots")
    tab = open_tab(qtbot, desk)

    def script(dialog):
        assert dialog.windowTitle() == "Corriger une ligne du courrier"
        assert dialog.recipient.currentText() == "Ébène Traduction"
        sender = find(dialog, "Expéditeur", QLineEdit)
        assert sender.text() == "Impots"
        sender.clear()
        type_text(sender, "Impôts")
        find(dialog, "Date de l'avis", QLineEdit).setText("19/11/2026")  # before receipt
        find(dialog, "Enregistrer la correction", QPushButton).click()
        assert "précéder la réception" in dialog.errors.message("notified_on")
        find(dialog, "Date de l'avis", QLineEdit).setText("21/11/2026")
        find(dialog, "Enregistrer la correction", QPushButton).click()

    opened = drive_dialog(qtbot, monkeypatch, script)
    click_rows(tab, "Ébène Traduction")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        QTest.keyClick(tab.table, Qt.Key.Key_Return)  # Enter opens the line
    assert len(opened) == 1
    assert rows(tab)[0][3:5] == ["Impôts", "21 novembre 2026"]
    assert find(tab, "Message du courrier", QLabel).text().startswith("Ligne corrigée")


def test_a_line_is_deleted_after_a_confirmation(qtbot, desk, house, no_modal):
    receive(desk, house, "Ébène Traduction", D(2026, 11, 20), sender="URSSAF")
    receive(desk, house, "Hélène", D(2026, 11, 21))
    tab = open_tab(qtbot, desk)
    delete = find(tab, "Supprimer", QPushButton)
    click_rows(tab, "Ébène Traduction", "Hélène Lefèvre")
    assert not delete.isEnabled()  # one line at a time
    click_rows(tab, "Ébène Traduction")
    assert delete.isEnabled()

    no_modal.answers.append(False)
    delete.click()
    (question,) = no_modal.texts("confirm")
    assert "Ébène Traduction — lettre du 20 novembre 2026 (URSSAF)" in question
    assert "saisie par erreur" in question
    assert len(desk.mail.log()) == 2

    no_modal.answers.append(True)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        QTest.keyClick(tab.table, Qt.Key.Key_Delete)  # Suppr asks the same
    assert len(no_modal.texts("confirm")) == 2
    assert column(tab, "Destinataire") == ["Hélène Lefèvre"]
    assert [m.recipient for m in desk.mail.log()] == ["Hélène Lefèvre"]
    assert find(tab, "Message du courrier", QLabel).text().startswith("Ligne supprimée")


def test_a_line_deleted_at_another_desk_is_explained(qtbot, desk, house, no_modal):
    mail_id = receive(desk, house, "Ébène Traduction")
    tab = open_tab(qtbot, desk)
    click_rows(tab, "Ébène Traduction")
    desk.mail.delete(mail_id=mail_id)  # meanwhile, at the other desk
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        find(tab, "Avisé", QPushButton).click()
    assert "autre poste" in no_modal.texts("warn")[0]
    assert rows(tab) == []


def test_selection_survives_a_refresh(qtbot, desk, house):
    receive(desk, house, "Ébène Traduction", D(2026, 11, 20))
    receive(desk, house, "Hélène", D(2026, 11, 21))
    tab = open_tab(qtbot, desk)
    tab.table.selectionModel().select(
        tab.proxy.index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    reload(qtbot, tab)
    assert [m.recipient for m in tab.selected()] == ["Ébène Traduction"]
