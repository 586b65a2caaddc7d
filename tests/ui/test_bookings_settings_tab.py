"""The "Réservations" tab of the settings: opening hours and days, public holidays, the
lifetime of an option and the conditions, written by "Enregistrer" only, a refusal next to
its field; the closures of the house, saved at once through their own dialog; read-only
without the right to change the settings."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
)

from maison_app.domain.bookings import BookingSettings, Closure
from maison_app.domain.enums import Role
from maison_app.services.context import Actor
from maison_app.services.local_config import LocalConfig
from maison_app.ui.bookings_tab import BookingsSettingsTab, ClosureDialog
from maison_app.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import find, press, type_text

D = dt.date
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def open_dialog(qtbot, services) -> SettingsDialog:
    dialog = SettingsDialog(services.settings, LocalConfig(), hosting=services.hosting_texts,
                            projects=services.projects, bookings=services.bookings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # keys go to the focused widget of the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.tabs.setCurrentWidget(dialog.bookings_tab)
    return dialog


@pytest.fixture
def dialog(qtbot, services, no_modal):
    return open_dialog(qtbot, services)


def click(qtbot, root, name: str) -> None:
    qtbot.mouseClick(find(root, name, QPushButton), Qt.MouseButton.LeftButton)


def day_box(root, day: str) -> QCheckBox:
    return find(root, f"Ouvert le {day}", QCheckBox)


def set_time(root, name: str, hour: int, minute: int = 0) -> None:
    find(root, name, QTimeEdit).setTime(QTime(hour, minute))


def replace_text(field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    if isinstance(field, QPlainTextEdit):
        field.clear()
    else:
        field.del_()
    for number, line in enumerate(text.split("\n")):
        if number:
            press(field, Qt.Key.Key_Return)
        type_text(field, line)


def closure_rows(dialog) -> list[list[str]]:
    model = find(dialog, "Fermetures de la maison", QTableView).model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def select_closure(dialog, label: str) -> None:
    table = find(dialog, "Fermetures de la maison", QTableView)
    model = table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 3).data() == label)
    table.setCurrentIndex(model.index(row, 0))
    table.setFocus()


class Seen(list):
    """The errors each closure dialog got, and what each showed first (`shown`)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[dict] = []


def answer_closure(monkeypatch, qtbot, *answers: dict | None) -> Seen:
    """The closure dialogs are filled with these answers one after the other ({"start":
    date, "end": date, "label": text}); each dialog sees the errors it got, and what it
    showed first is kept in `shown` ({"title", "start", "end", "label"})."""
    queue = list(answers)
    seen = Seen()
    shown = seen.shown

    def fake_exec(dialog: ClosureDialog) -> int:
        dialog.show()
        shown.append({"title": dialog.windowTitle(),
                      "start": dialog.start.date().toPython(),
                      "end": dialog.end.date().toPython(), "label": dialog.label.text()})
        errors = []
        while queue:
            answer = queue.pop(0)
            if answer is None:  # "Annuler"
                dialog.reject()
                break
            if "start" in answer:
                find(dialog, "Premier jour de fermeture", QDateEdit).setDate(
                    QDate(answer["start"]))
            if "end" in answer:
                find(dialog, "Dernier jour de fermeture", QDateEdit).setDate(
                    QDate(answer["end"]))
            if "label" in answer:
                replace_text(find(dialog, "Motif de la fermeture", QLineEdit), answer["label"])
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            if dialog.result():
                break
            errors.append(dialog.errors.message("start") or dialog.errors.message("end")
                          or dialog.errors.message("label"))
        seen.append(errors)
        return dialog.result()

    monkeypatch.setattr(ClosureDialog, "exec", fake_exec)
    return seen


# --- opening hours, days, holidays, options, conditions ------------------------------------


def test_shows_the_defaults(dialog):
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())][-2:] == [
        "Réservations", "Ce poste"]
    assert dialog.tabs.tabText(dialog.tabs.indexOf(dialog.hosting_tab)) == "Hébergement"
    assert dialog.tabs.indexOf(dialog.bookings_tab) == dialog.tabs.indexOf(
        dialog.hosting_tab) + 1
    assert find(dialog, "Heure d'ouverture", QTimeEdit).time() == QTime(8, 0)
    assert find(dialog, "Heure de fermeture", QTimeEdit).time() == QTime(19, 0)
    assert [day_box(dialog, d).isChecked() for d in DAYS] == [True] * 5 + [False] * 2
    assert [day_box(dialog, d).text() for d in DAYS] == [
        "lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    assert find(dialog, "Fermer les jours fériés", QCheckBox).isChecked()
    assert find(dialog, "Durée d'une option en jours", QSpinBox).value() == 7
    conditions = find(dialog, "Conditions imprimées sur la confirmation", QPlainTextEdit)
    assert "48 heures" in conditions.toPlainText()  # the service's model text
    assert closure_rows(dialog) == []


def test_the_public_holidays_of_this_year_and_the_next_are_listed(qtbot, dialog):
    table = find(dialog, "Jours fériés de 2026 et 2027", QTableView)
    model = table.model()
    rows = [(model.index(r, 0).data(), model.index(r, 1).data())
            for r in range(model.rowCount())]
    assert len(rows) == 22
    assert ("ven. 25 déc. 2026", "Noël") in rows
    assert ("jeu. 6 mai 2027", "Ascension") in rows
    assert rows[0] == ("jeu. 1 janv. 2026", "Jour de l'an")
    # the next one (Christmas, on 26 November) is at the top of the list
    assert table.rowAt(0) == rows.index(("ven. 25 déc. 2026", "Noël"))
    # unticked: the list is greyed, these days become ordinary days
    assert table.isEnabled()
    qtbot.mouseClick(find(dialog, "Fermer les jours fériés", QCheckBox),
                     Qt.MouseButton.LeftButton)
    assert not table.isEnabled()


def test_change_hours_days_and_rules_save_and_read_back(qtbot, services, dialog):
    set_time(dialog, "Heure d'ouverture", 9)
    set_time(dialog, "Heure de fermeture", 18, 30)
    qtbot.mouseClick(day_box(dialog, "lundi"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(day_box(dialog, "samedi"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(dialog, "Fermer les jours fériés", QCheckBox),
                     Qt.MouseButton.LeftButton)
    find(dialog, "Durée d'une option en jours", QSpinBox).setValue(10)
    replace_text(find(dialog, "Conditions imprimées sur la confirmation", QPlainTextEdit),
                 "Annulation gratuite jusqu'à 48 h avant.\nClés à l'accueil.")
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert services.bookings.settings() == BookingSettings(
        opens=dt.time(9), closes=dt.time(18, 30), weekdays=(1, 2, 3, 4, 5),
        skip_public_holidays=False, option_days=10,
        conditions="Annulation gratuite jusqu'à 48 h avant.\nClés à l'accueil.")
    again = open_dialog(qtbot, services)
    assert find(again, "Heure d'ouverture", QTimeEdit).time() == QTime(9, 0)
    assert find(again, "Heure de fermeture", QTimeEdit).time() == QTime(18, 30)
    assert [day_box(again, d).isChecked() for d in DAYS] == [
        False, True, True, True, True, True, False]
    assert not find(again, "Fermer les jours fériés", QCheckBox).isChecked()


def test_nothing_changed_writes_nothing(qtbot, services, dialog):
    from maison_app.domain.audit import AuditFilter

    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert services.audit.entries(where=AuditFilter(entity="setting",
                                                    entity_id="bookings.opens")) == ()


def test_cancel_throws_the_changes_away(qtbot, services, dialog):
    set_time(dialog, "Heure d'ouverture", 10)
    click(qtbot, dialog, "Annuler")
    assert not dialog.isVisible()
    assert services.bookings.settings().opens == dt.time(8)


def test_closing_before_opening_is_said_next_to_the_field_and_nothing_is_saved(
        qtbot, services, dialog):
    find(dialog, "Nom de la maison", QLineEdit).setText("Maison de l'ESS modifiée")
    set_time(dialog, "Heure d'ouverture", 9)
    set_time(dialog, "Heure de fermeture", 8, 30)
    qtbot.mouseClick(day_box(dialog, "samedi"), Qt.MouseButton.LeftButton)
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.bookings_tab
    message = dialog.bookings_tab.errors.message("closes")
    assert message == "L'heure de fermeture doit être après l'heure d'ouverture (09:00)."
    error = find(dialog, message, QLabel)
    assert error.isVisible()
    assert find(dialog, "Heure de fermeture", QTimeEdit).hasFocus()
    assert services.bookings.settings() == BookingSettings(  # nothing saved…
        conditions=services.bookings.settings().conditions)
    assert services.settings.identity().name != "Maison de l'ESS modifiée"  # …not even that
    # the same hour is refused too; a later one goes through
    set_time(dialog, "Heure de fermeture", 9)
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible() and dialog.bookings_tab.errors.message("closes")
    set_time(dialog, "Heure de fermeture", 17)
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    saved = services.bookings.settings()
    assert (saved.opens, saved.closes, saved.weekdays) == (
        dt.time(9), dt.time(17), (0, 1, 2, 3, 4, 5))


def test_the_services_refusal_is_said_next_to_its_field(qtbot, services, dialog):
    """What the tab does not check itself, the service refuses when saving: the message
    goes under the field all the same."""
    tab: BookingsSettingsTab = dialog.bookings_tab
    find(dialog, "Conditions imprimées sur la confirmation", QPlainTextEdit).setPlainText(
        "x" * 20_001)
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert "20\u202f000 caractères au plus" in tab.errors.message("conditions")
    assert len(services.bookings.settings().conditions) < 20_000
    # and the hours, when they reach the service without the tab's check
    set_time(dialog, "Heure de fermeture", 7)
    assert not tab.save()
    assert tab.errors.message("closes") == (
        "La maison ouvre avant de fermer : l'heure d'ouverture vient avant celle de "
        "fermeture.")
    assert services.bookings.settings().closes == dt.time(19)


def test_at_least_one_open_day(qtbot, services, dialog):
    for day in DAYS[:5]:
        qtbot.mouseClick(day_box(dialog, day), Qt.MouseButton.LeftButton)
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert dialog.bookings_tab.errors.message("weekdays") == (
        "Cochez au moins un jour d'ouverture.")
    assert services.bookings.settings().weekdays == (0, 1, 2, 3, 4)
    qtbot.mouseClick(day_box(dialog, "mercredi"), Qt.MouseButton.LeftButton)
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert services.bookings.settings().weekdays == (2,)


def test_the_error_under_the_hours_is_shown_whole(qtbot, dialog, tmp_path):
    """The message sits under both hours, on its own lines: the row makes room for it
    (rendered to tmp_path/bookings.png to look at)."""
    set_time(dialog, "Heure de fermeture", 7)
    click(qtbot, dialog, "Enregistrer")
    message = dialog.bookings_tab.errors.message("closes")
    label = find(dialog, message, QLabel)
    closes = find(dialog, "Heure de fermeture", QTimeEdit)
    days = day_box(dialog, "lundi")
    top = label.mapTo(dialog, label.rect().topLeft()).y()
    bottom = label.mapTo(dialog, label.rect().bottomLeft()).y()
    assert top >= closes.mapTo(dialog, closes.rect().bottomLeft()).y()
    assert bottom < days.mapTo(dialog, days.rect().topLeft()).y()  # not under the days
    assert label.height() >= label.heightForWidth(label.width())
    assert dialog.grab().save(str(tmp_path / "bookings.png"))


# --- closures (saved at once) --------------------------------------------------------------


def test_add_a_closure_saved_at_once(qtbot, services, dialog, monkeypatch):
    seen = answer_closure(monkeypatch, qtbot, {
        "start": D(2026, 8, 3), "end": D(2026, 8, 21), "label": "Fermeture estivale"})
    click(qtbot, dialog, "Ajouter une fermeture")
    assert seen == [[]]
    assert seen.shown[0] == {"title": "Nouvelle fermeture", "start": D(2026, 11, 26),
                             "end": D(2026, 11, 26), "label": ""}  # today, by default
    assert services.bookings.closures() == (
        Closure(id=services.bookings.closures()[0].id, start=D(2026, 8, 3),
                end=D(2026, 8, 21), label="Fermeture estivale"),)
    assert closure_rows(dialog) == [
        ["lun. 3 août 2026", "ven. 21 août 2026", "19 jours", "Fermeture estivale"]]
    # "Annuler" does not undo it: it was saved when added
    click(qtbot, dialog, "Annuler")
    assert len(services.bookings.closures()) == 1
    assert services.bookings.closed_days(start=D(2026, 8, 3), end=D(2026, 8, 4)) == {
        D(2026, 8, 3): "Fermeture estivale"}


def test_a_closure_ending_before_it_starts_or_without_a_reason_is_refused_in_the_dialog(
        qtbot, services, dialog, monkeypatch):
    seen = answer_closure(
        monkeypatch, qtbot,
        {"start": D(2026, 12, 24), "end": D(2026, 12, 20), "label": "Noël"},
        {"end": D(2027, 1, 1), "label": "  "},
        {"label": "Fermeture de fin d'année"},
    )
    click(qtbot, dialog, "Ajouter une fermeture")
    assert seen == [[
        "Le dernier jour de la fermeture ne peut pas précéder le premier (24 décembre 2026).",
        "Donnez un nom à la fermeture (vacances d'été, fêtes de fin d'année…).",
    ]]
    (saved,) = services.bookings.closures()
    assert (saved.start, saved.end, saved.label) == (
        D(2026, 12, 24), D(2027, 1, 1), "Fermeture de fin d'année")
    assert closure_rows(dialog)[0][2] == "9 jours"


def test_a_closure_dialog_cancelled_saves_nothing(qtbot, services, dialog, monkeypatch):
    answer_closure(monkeypatch, qtbot, None)
    click(qtbot, dialog, "Ajouter une fermeture")
    assert services.bookings.closures() == ()
    assert closure_rows(dialog) == []


def test_edit_a_closure(qtbot, services, no_modal, monkeypatch):
    closure_id = services.bookings.save_closure(
        Closure(None, D(2026, 8, 3), D(2026, 8, 21), "Fermeture estivale"))
    services.bookings.save_closure(Closure(None, D(2026, 5, 15), D(2026, 5, 15), "Pont"))
    dialog = open_dialog(qtbot, services)
    assert [row[3] for row in closure_rows(dialog)] == ["Pont", "Fermeture estivale"]
    assert not find(dialog, "Modifier la fermeture", QPushButton).isEnabled()  # none chosen
    seen = answer_closure(monkeypatch, qtbot, {"end": D(2026, 8, 14),
                                               "label": "Fermeture d'été"})
    select_closure(dialog, "Fermeture estivale")
    assert find(dialog, "Modifier la fermeture", QPushButton).isEnabled()
    click(qtbot, dialog, "Modifier la fermeture")
    assert seen.shown[0] == {"title": "Modifier la fermeture", "start": D(2026, 8, 3),
                             "end": D(2026, 8, 21), "label": "Fermeture estivale"}
    assert Closure(closure_id, D(2026, 8, 3), D(2026, 8, 14), "Fermeture d'été") in (
        services.bookings.closures())
    assert closure_rows(dialog)[1] == [
        "lun. 3 août 2026", "ven. 14 août 2026", "12 jours", "Fermeture d'été"]
    # still the chosen one
    table = find(dialog, "Fermetures de la maison", QTableView)
    assert table.currentIndex().row() == 1


def test_enter_edits_and_insert_adds(qtbot, services, no_modal, monkeypatch):
    services.bookings.save_closure(Closure(None, D(2026, 5, 15), D(2026, 5, 15), "Pont"))
    dialog = open_dialog(qtbot, services)
    seen = answer_closure(monkeypatch, qtbot, {"label": "Pont de l'Ascension"},
                          {"start": D(2026, 11, 10), "end": D(2026, 11, 10),
                           "label": "Pont du 11 novembre"})
    select_closure(dialog, "Pont")
    table = find(dialog, "Fermetures de la maison", QTableView)
    press(table, Qt.Key.Key_Return)
    press(table, Qt.Key.Key_Insert)
    assert [s["title"] for s in seen.shown] == ["Modifier la fermeture", "Nouvelle fermeture"]
    assert [c.label for c in services.bookings.closures()] == [
        "Pont de l'Ascension", "Pont du 11 novembre"]


def test_delete_a_closure_after_confirmation(qtbot, services, no_modal):
    services.bookings.save_closure(Closure(None, D(2026, 5, 15), D(2026, 5, 15), "Pont"))
    services.bookings.save_closure(
        Closure(None, D(2026, 8, 3), D(2026, 8, 21), "Fermeture estivale"))
    dialog = open_dialog(qtbot, services)
    select_closure(dialog, "Fermeture estivale")
    click(qtbot, dialog, "Supprimer la fermeture")  # "Annuler" answered
    assert len(services.bookings.closures()) == 2
    assert no_modal.texts("confirm") == [(
        "Supprimer la fermeture « Fermeture estivale » (lundi 3 août 2026 – vendredi 21 "
        "août 2026) ? La maison sera de nouveau ouverte ces jours-là.")]
    no_modal.answers.append(True)
    table = find(dialog, "Fermetures de la maison", QTableView)
    table.setFocus()
    press(table, Qt.Key.Key_Delete)
    assert [c.label for c in services.bookings.closures()] == ["Pont"]
    assert [row[3] for row in closure_rows(dialog)] == ["Pont"]
    assert services.bookings.closed_days(start=D(2026, 8, 3), end=D(2026, 8, 4)) == {}


# --- who may change them -------------------------------------------------------------------


def test_read_only_for_the_reception(qtbot, services, no_modal):
    services.bookings.save_closure(
        Closure(None, D(2026, 8, 3), D(2026, 8, 21), "Fermeture estivale"))
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    dialog = open_dialog(qtbot, desk)
    tab = dialog.bookings_tab
    assert isinstance(tab, BookingsSettingsTab)
    assert not tab.editable
    assert dialog.tabs.tabToolTip(dialog.tabs.indexOf(tab)) == (
        "Seule l'administration peut modifier ces informations.")
    assert find(dialog, "Réglages des réservations en lecture seule", QLabel).text()
    for name in ("Heure d'ouverture", "Heure de fermeture"):
        assert find(dialog, name, QTimeEdit).isReadOnly()
    assert not any(day_box(dialog, d).isEnabled() for d in DAYS)
    assert not find(dialog, "Fermer les jours fériés", QCheckBox).isEnabled()
    assert find(dialog, "Durée d'une option en jours", QSpinBox).isReadOnly()
    assert find(dialog, "Conditions imprimées sur la confirmation",
                QPlainTextEdit).isReadOnly()
    for name in ("Ajouter une fermeture", "Modifier la fermeture",
                 "Supprimer la fermeture"):
        assert not find(dialog, name, QPushButton).isEnabled()
    # what is there is shown
    assert [row[3] for row in closure_rows(dialog)] == ["Fermeture estivale"]
    select_closure(dialog, "Fermeture estivale")
    assert not find(dialog, "Modifier la fermeture", QPushButton).isEnabled()
    press(find(dialog, "Fermetures de la maison", QTableView), Qt.Key.Key_Delete)
    assert no_modal == []
    # the desk's own settings still save; the house's stay as they were
    find(dialog, "Heure de fermeture", QTimeEdit).setTime(QTime(7, 0))
    assert tab.check() and tab.save()
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert services.bookings.settings().closes == dt.time(19)
    assert len(services.bookings.closures()) == 1


def test_no_tab_without_the_service(qtbot, services):
    dialog = SettingsDialog(services.settings, LocalConfig())
    qtbot.addWidget(dialog)
    assert dialog.bookings_tab is None
    assert "Réservations" not in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
