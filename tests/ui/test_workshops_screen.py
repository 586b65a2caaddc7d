"""The « Ateliers » screen as the reception and the incubator use it: a workshop created
from its dialog, a session of two half-days that books its room, people registered until
the waiting list, one unregistered (the first waiting takes the place and the screen says
so), a past session without attendance flagged at the top, the keyboard (Ctrl+N, Enter,
Delete with its confirmation), the upcoming sessions, the PDFs.

The clock says Thursday 26 November 2026, 09:00 in Paris."""

from __future__ import annotations

import datetime as dt

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
)

from maison_app.domain.enums import (
    BookingStatus,
    HalfDayPart,
    RegistrationStatus,
    SpaceKind,
    WorkshopAxis,
)
from maison_app.domain.records import MaisonIdentity
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.domain.workshops import (
    DEFAULT_TIMES,
    Facilitator,
    HalfDay,
    RegistrationRecord,
    SessionRecord,
    WorkshopRecord,
)
from maison_app.i18n import PARIS
from maison_app.ui.pdf_preview import PdfPreviewDialog
from maison_app.ui.tasks import TaskRunner
from maison_app.views.workshops import screen as screen_module
from maison_app.views.workshops.session_dialog import RegistrationDialog, SessionDialog
from maison_app.views.workshops.workshop_dialog import WorkshopDialog
from tests.ui.conftest import find, press, type_text

TODAY = dt.date(2026, 11, 26)  # a Thursday
PAST = dt.date(2026, 11, 19)  # the Thursday before
SEVRE_RATES = Rates(hour_member=1500, hour_public=2500, half_day_member=4000,
                    half_day_public=7000, day_member=7000, day_public=12000)


def half(day: dt.date, part: HalfDayPart) -> HalfDay:
    start, end = DEFAULT_TIMES[part]
    return HalfDay(None, day, part, start, end)


def build_house(services, clock) -> dict[str, int]:
    """Three rooms, people and organisations of the house, four workshops (one no longer
    offered), sessions: « Circuits courts » on the Thursday before (three registered, no
    attendance) and on Thursday 3 December (full day, four places, all taken, two waiting);
    « École de l'entrepreneur collectif » over two days; « Financer son entreprise de
    l'ESS » outside the house."""
    services.settings.save_identity(MaisonIdentity(
        address="12 rue Joseph Cugnot", email="accueil@maison-ess-niort.fr",
        phone="05 49 00 00 00"))
    spaces = services.spaces
    ids = {
        "Sèvre": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Sèvre",
                                               capacity=14, rates=SEVRE_RATES)),
        "Marais": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Marais",
                                                capacity=6, rates=SEVRE_RATES)),
        "Pilori": spaces.save_space(SpaceRecord(None, SpaceKind.WORKSHOP_ROOM,
                                                "Atelier du Pilori", capacity=24,
                                                rates=SEVRE_RATES)),
    }
    people = services.people
    ids["Circuits"] = people.create_organisation(name="Association Circuits Courts 79")
    ids["Elan"] = people.create_organisation(name="Elan Coopératif Niortais")
    for first, last, email in (
            ("Hélène", "Lefèvre", "helene.lefevre@exemple.fr"),
            ("Paul", "Martin", "paul.martin@exemple.fr"),
            ("Aïcha", "Benali", "aicha.benali@exemple.fr"),
            ("Jérôme", "Dupuis", "jerome.dupuis@exemple.fr"),
            ("Camille", "Roux", "camille.roux@exemple.fr"),
            ("Léa", "Moreau", "lea.moreau@exemple.fr"),
            ("Noé", "Garnier", "noe.garnier@exemple.fr")):
        ids[first] = people.create_person(first_name=first, last_name=last, email=email)
    w = services.workshops
    ids["École"] = w.save_workshop(WorkshopRecord(
        None, "École de l'entrepreneur collectif", WorkshopAxis.CREATION,
        description="Deux jours pour construire un projet d'entreprise à plusieurs.",
        facilitator=Facilitator(organisation_id=ids["Elan"]), capacity=12))
    ids["Circuits courts"] = w.save_workshop(WorkshopRecord(
        None, "Circuits courts : monter un groupement d'achat", WorkshopAxis.LIVING_ECONOMY,
        facilitator=Facilitator(organisation_id=ids["Circuits"]), capacity=4))
    ids["Financer"] = w.save_workshop(WorkshopRecord(
        None, "Financer son entreprise de l'ESS", WorkshopAxis.TRAINING,
        facilitator=Facilitator(name="Sophie Garnier (France Active)"), capacity=10,
        price_cents=1500))
    ids["Mona"] = w.save_workshop(WorkshopRecord(
        None, "Monnaie complémentaire : lancer la Mona", WorkshopAxis.COOPERATION,
        facilitator=Facilitator(person_id=ids["Hélène"]), capacity=15, active=False))

    # the session of the week before, registered then, attendance not recorded
    now = clock.now
    clock.now = dt.datetime(2026, 11, 16, 9, 0, tzinfo=PARIS)
    ids["past"] = w.save_session(SessionRecord(
        None, ids["Circuits courts"], ids["Sèvre"], (half(PAST, HalfDayPart.MORNING),)))
    for first in ("Hélène", "Paul", "Aïcha"):
        w.register(RegistrationRecord(None, ids["past"], person_id=ids[first]))
    clock.now = now

    december_3 = dt.date(2026, 12, 3)
    ids["full"] = w.save_session(SessionRecord(
        None, ids["Circuits courts"], ids["Sèvre"],
        (half(december_3, HalfDayPart.MORNING), half(december_3, HalfDayPart.AFTERNOON))))
    for first in ("Hélène", "Paul", "Aïcha", "Jérôme", "Camille"):
        w.register(RegistrationRecord(None, ids["full"], person_id=ids[first]))
    w.register(RegistrationRecord(None, ids["full"], name="Marc Texier",
                                  email="marc.texier@exemple.org"))
    ids["École 1"] = w.save_session(SessionRecord(
        None, ids["École"], ids["Pilori"],
        tuple(half(d, p) for d in (dt.date(2026, 12, 7), dt.date(2026, 12, 8))
              for p in (HalfDayPart.MORNING, HalfDayPart.AFTERNOON))))
    for first in ("Léa", "Noé", "Camille"):
        w.register(RegistrationRecord(None, ids["École 1"], person_id=ids[first]))
    ids["Financer 1"] = w.save_session(SessionRecord(
        None, ids["Financer"], None, (half(dt.date(2026, 12, 1), HalfDayPart.AFTERNOON),),
        place="CCI Deux-Sèvres, 10 place du Temple, Niort"))
    return ids


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def house(services, clock):
    return build_house(services, clock)


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


def open_screen(qtbot, services, tasks):
    widget = screen_module.WorkshopsScreen(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot, widget)
    return widget


@pytest.fixture
def screen(qtbot, services, house, tasks):
    return open_screen(qtbot, services, tasks)


def settle(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: widget.tasks.idle)


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    assert widget.isVisible(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def table_rows(table) -> list[list[str]]:
    model = table.model()
    return [[plain(model.index(r, c).data() or "") for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def titles(screen) -> list[str]:
    return [row[0] for row in table_rows(screen.workshops.table)]


def choose_workshop(qtbot, screen, workshop_id: int) -> None:
    assert screen.workshops.select_workshop(workshop_id)
    settle(qtbot, screen)


def choose_session(qtbot, screen, session_id: int, panel=None) -> None:
    panel = panel or screen.workshops.sessions
    assert panel.select_session(session_id)
    settle(qtbot, screen)


def registered_names(panel) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in table_rows(panel.registrations.table)]


def fill(widget: QLineEdit, text: str) -> None:
    widget.selectAll()
    widget.del_()
    type_text(widget, text)


# --- the list ------------------------------------------------------------------------------------


def test_the_workshops_are_listed_and_filtered(qtbot, screen, house):
    assert titles(screen) == ["Circuits courts : monter un groupement d'achat",
                              "École de l'entrepreneur collectif",
                              "Financer son entreprise de l'ESS"]
    rows = {row[0]: row for row in table_rows(screen.workshops.table)}
    assert rows["Financer son entreprise de l'ESS"][1:] == [
        "Formation", "Sophie Garnier (France Active)", "10", "15,00 €", "1",
        "mar. 1 déc. 2026 · 10 places libres"]
    # the session of the week before is over: the next one is shown
    assert rows["Circuits courts : monter un groupement d'achat"][2:] == [
        "Association Circuits Courts 79", "4", "Gratuit", "2", "jeu. 3 déc. 2026 · complet"]
    assert find(screen, "Nombre d'ateliers", QLabel).text() == "3 ateliers"
    # accents do not matter
    type_text(find(screen, "Rechercher un atelier", QLineEdit), "ecole")
    qtbot.waitUntil(lambda: titles(screen) == ["École de l'entrepreneur collectif"])
    find(screen, "Rechercher un atelier", QLineEdit).clear()
    qtbot.waitUntil(lambda: len(titles(screen)) == 3)
    # the axis
    axis = find(screen, "Axe", QComboBox)
    axis.setCurrentIndex(axis.findText("Économie vivante et durable"))
    qtbot.waitUntil(lambda: titles(screen) == [("Circuits courts : monter un groupement "
                                               "d'achat")])
    axis.setCurrentIndex(0)
    # the workshops no longer offered, on demand
    find(screen, "Inactifs aussi", QCheckBox).setChecked(True)
    qtbot.waitUntil(lambda: len(titles(screen)) == 4)
    assert "Monnaie complémentaire : lancer la Mona (inactif)" in titles(screen)
    # Down in the search field: into the list, on its first row
    table = screen.workshops.table
    table.clearSelection()
    search = find(screen, "Rechercher un atelier", QLineEdit)
    search.setFocus()
    press(search, Qt.Key.Key_Down)
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0]
    settle(qtbot, screen)


def test_a_workshop_is_created_from_its_dialog_with_ctrl_n(qtbot, screen, services,
                                                            monkeypatch, no_modal):
    seen = {}

    def drive(dialog):
        dialog.show()
        save = find(dialog, "Enregistrer", QPushButton)
        click(qtbot, save)  # no title yet
        seen["no title"] = dialog.error_text("title")
        type_text(find(dialog, "Titre de l'atelier", QLineEdit),
                  "Fabrique d'entrepreneurs coopératifs")
        axis = find(dialog, "Axe", QComboBox)
        axis.setCurrentIndex(axis.findText("Formation"))
        fill(find(dialog, "Prix par participant", QLineEdit), "douze")
        click(qtbot, save)
        seen["bad price"] = dialog.error_text("price")
        fill(find(dialog, "Prix par participant", QLineEdit), "12,50")
        seen["price read"] = plain(find(dialog, "Prix lu", QLabel).text())
        find(dialog, "Places par séance", QSpinBox).setValue(16)
        assert find(dialog, "Animé par un·e intervenant·e extérieur·e").isChecked()
        type_text(find(dialog, "Nom de l'intervenant·e", QLineEdit), "Julien Perrin (URSCOP)")
        assert find(dialog, "Nature de l'action").currentText() == "Action de formation"
        click(qtbot, save)
        return dialog.result()

    monkeypatch.setattr(WorkshopDialog, "exec", drive)
    screen.workshops.table.setFocus()
    QTest.keyClick(screen.workshops.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen == {
        "no title": "Donnez le titre de l'atelier, tel qu'il sera imprimé sur les feuilles "
                    "d'émargement.",
        "bad price": "Montant illisible : écrivez par exemple 25 ou 12,50.",
        "price read": "soit 12,50 € par participant"}
    settle(qtbot, screen)
    assert screen.notice_text() == "Atelier « Fabrique d'entrepreneurs coopératifs » créé."
    selected = screen.workshops.selected()
    assert selected is not None and selected.title == "Fabrique d'entrepreneurs coopératifs"
    saved = services.workshops.workshop(workshop_id=selected.id)
    assert (saved.axis, saved.capacity, saved.price_cents, saved.facilitator.name,
            saved.nature) == (WorkshopAxis.TRAINING, 16, 1250, "Julien Perrin (URSCOP)",
                              "Action de formation")
    assert find(screen.workshops, "Titre des séances", QLabel).text() == (
        "Séances de « Fabrique d'entrepreneurs coopératifs »")


def test_enter_opens_the_workshop_and_delete_asks_first(qtbot, screen, services, house,
                                                        monkeypatch, no_modal):
    choose_workshop(qtbot, screen, house["Circuits courts"])
    seen = {}

    def drive(dialog):
        dialog.show()
        seen["title"] = find(dialog, "Titre de l'atelier", QLineEdit).text()
        seen["facilitator"] = dialog.organisation_picker.chosen()
        find(dialog, "Places par séance", QSpinBox).setValue(6)
        click(qtbot, find(dialog, "Enregistrer", QPushButton))
        return dialog.result()

    monkeypatch.setattr(WorkshopDialog, "exec", drive)
    screen.workshops.table.setFocus()
    QTest.keyClick(screen.workshops.table, Qt.Key.Key_Return)
    assert seen == {"title": "Circuits courts : monter un groupement d'achat",
                    "facilitator": (house["Circuits"], "Association Circuits Courts 79")}
    settle(qtbot, screen)
    assert services.workshops.workshop(workshop_id=house["Circuits courts"]).capacity == 6
    assert screen.workshops.selected().capacity == 6

    # Delete: asked first; a workshop with sessions is not deleted, the service says why
    QTest.keyClick(screen.workshops.table, Qt.Key.Key_Delete)
    assert no_modal.texts("confirm") == [
        "Supprimer l'atelier « Circuits courts : monter un groupement d'achat » ?"]
    no_modal.answers.append(True)
    QTest.keyClick(screen.workshops.table, Qt.Key.Key_Delete)
    assert "ne peut pas être supprimé" in no_modal.texts("warn")[0]
    # one without sessions goes
    workshop_id = services.workshops.save_workshop(WorkshopRecord(
        None, "Achats responsables", WorkshopAxis.COOPERATION))
    screen.refresh()
    settle(qtbot, screen)
    choose_workshop(qtbot, screen, workshop_id)
    no_modal.answers.append(True)
    QTest.keyClick(screen.workshops.table, Qt.Key.Key_Delete)
    settle(qtbot, screen)
    assert "Achats responsables" not in titles(screen)
    assert screen.notice_text() == "Atelier « Achats responsables » supprimé."


# --- sessions ------------------------------------------------------------------------------------


def test_a_session_of_two_half_days_books_its_room(qtbot, screen, services, house,
                                                   monkeypatch, no_modal):
    choose_workshop(qtbot, screen, house["École"])
    panel = screen.workshops.sessions
    assert [row[0] for row in table_rows(panel.table)] == ["lun. 7 et mar. 8 déc. 2026"]
    december_10 = dt.date(2026, 12, 10)

    def drive(dialog):
        dialog.show()
        room = find(dialog, "Salle", QComboBox)
        room.setCurrentIndex(room.findData(house["Sèvre"]))
        fill(find(dialog, "Date de la demi-journée 1", QLineEdit), "10/12/2026")
        click(qtbot, find(dialog, "Ajouter une demi-journée", QPushButton))
        assert find(dialog, "Date de la demi-journée 2", QLineEdit).text() == "10/12/2026"
        assert find(dialog, "Durée de la séance", QLabel).text() == "2 demi-journées · 7 h"
        click(qtbot, find(dialog, "Enregistrer", QPushButton))
        return dialog.result()

    monkeypatch.setattr(SessionDialog, "exec", drive)
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, screen)
    booked = [(b.title, b.start.astimezone(PARIS).strftime("%H:%M"),
               b.end.astimezone(PARIS).strftime("%H:%M"), b.status)
              for b in services.bookings.day(day=december_10) if b.space_id == house["Sèvre"]]
    assert booked == [
        ("Atelier : École de l'entrepreneur collectif", "09:00", "12:30", BookingStatus.CONFIRMED),
        ("Atelier : École de l'entrepreneur collectif", "13:30", "17:00", BookingStatus.CONFIRMED)]
    assert screen.notice_text() == (
        "Séance de « École de l'entrepreneur collectif » enregistrée : jeudi 10 décembre 2026 "
        "(2 demi-journées) ; réservation confirmée : Salle Sèvre.")
    rows = table_rows(panel.table)
    assert [row[:5] for row in rows] == [
        ["lun. 7 et mar. 8 déc. 2026", "4 demi-journées · 14 h", "Atelier du Pilori", "3 / 12",
         ""],
        ["jeu. 10 déc. 2026", "Journée entière · 7 h", "Salle Sèvre", "0 / 12", ""]]
    assert panel.selected().first_day == december_10  # the new one is shown
    assert find(panel, "Inscriptions de la séance", QLabel).text() == (
        "Inscriptions — jeudi 10 décembre 2026")


def test_a_session_is_changed_with_enter_and_deleted_with_delete(qtbot, screen, services, house,
                                                                monkeypatch, no_modal):
    choose_workshop(qtbot, screen, house["École"])
    panel = screen.workshops.sessions
    choose_session(qtbot, screen, house["École 1"])

    def drive(dialog):
        dialog.show()
        assert find(dialog, "Date de la demi-journée 4", QLineEdit).text() == "08/12/2026"
        click(qtbot, find(dialog, "Retirer la demi-journée 4", QPushButton))
        click(qtbot, find(dialog, "Enregistrer", QPushButton))
        return dialog.result()

    monkeypatch.setattr(SessionDialog, "exec", drive)
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert table_rows(panel.table)[0][1] == "3 demi-journées · 10 h 30"
    afternoon = [b for b in services.bookings.day(day=dt.date(2026, 12, 8))
                 if b.space_id == house["Pilori"]]
    assert [b.start.astimezone(PARIS).hour for b in afternoon] == [9]  # the afternoon freed

    # Delete asks first; « no » keeps the session
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    assert no_modal.texts("confirm") == [
        ("Supprimer la séance de « École de l'entrepreneur collectif » (lundi 7 et mardi 8 "
        "décembre 2026) ? La réservation de « Atelier du Pilori » est annulée. Ses 3 "
        "inscriptions sont supprimées : prévenez les personnes.")]
    assert len(table_rows(panel.table)) == 1
    no_modal.answers.append(True)
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    settle(qtbot, screen)
    assert table_rows(panel.table) == []
    assert services.bookings.day(day=dt.date(2026, 12, 7)) == ()
    assert screen.notice_text() == (
        "Séance de « École de l'entrepreneur collectif » du lundi 7 et mardi 8 décembre 2026 "
        "supprimée. Réservation annulée : Atelier du Pilori.")
    assert screen.workshops.selected().sessions == 0


# --- registrations -----------------------------------------------------------------------------


def register_outsider(qtbot, monkeypatch, panel, name: str, email: str) -> dict:
    seen = {}

    def drive(dialog):
        dialog.show()
        seen["places"] = plain(find(dialog, "Places de la séance", QLabel).text())
        find(dialog, "Une personne extérieure").setChecked(True)
        type_text(find(dialog, "Nom du participant", QLineEdit), name)
        type_text(find(dialog, "E-mail du participant", QLineEdit), email)
        click(qtbot, find(dialog, "Inscrire", QPushButton))
        return dialog.result()

    monkeypatch.setattr(RegistrationDialog, "exec", drive)
    click(qtbot, panel.registrations.register_button)
    return seen


def test_people_are_registered_until_the_waiting_list_and_the_first_waiting_is_promoted(
        qtbot, screen, services, house, monkeypatch, no_modal):
    workshop_id = services.workshops.save_workshop(WorkshopRecord(
        None, "Achats responsables", WorkshopAxis.COOPERATION, capacity=2,
        facilitator=Facilitator(organisation_id=house["Elan"])))
    session_id = services.workshops.save_session(SessionRecord(
        None, workshop_id, house["Marais"], (half(dt.date(2026, 12, 4), HalfDayPart.MORNING),)))
    screen.refresh()
    settle(qtbot, screen)
    choose_workshop(qtbot, screen, workshop_id)
    panel = screen.workshops.sessions
    choose_session(qtbot, screen, session_id)
    assert find(panel, "Places de la séance", QLabel).text() == (
        "0 inscrit·e sur 2 places · 2 places libres")

    # a person of the house, found by her name
    def person(dialog):
        dialog.show()
        with qtbot.waitSignal(dialog.picker.results_shown, timeout=5000):
            type_text(find(dialog, "Rechercher une personne", QLineEdit), "lefè")
        settle(qtbot, dialog)
        results = find(dialog, "Personnes trouvées", QListWidget)
        assert results.item(0).text() == "Hélène Lefèvre — helene.lefevre@exemple.fr"
        click(qtbot, find(dialog, "Inscrire", QPushButton))
        return dialog.result()

    monkeypatch.setattr(RegistrationDialog, "exec", person)
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, screen)
    assert screen.notice_text() == ("Hélène Lefèvre est inscrit·e à « Achats responsables », "
                                    "vendredi 4 décembre 2026.")
    seen = register_outsider(qtbot, monkeypatch, panel, "Lucie Bernard",
                             "lucie.bernard@exemple.fr")
    assert seen["places"] == "1 inscrit·e sur 2 places · 1 place libre"
    settle(qtbot, screen)
    seen = register_outsider(qtbot, monkeypatch, panel, "Marc Texier", "marc.texier@exemple.org")
    assert seen["places"] == ("2 inscrit·es sur 2 places · complet. La personne sera inscrite "
                              "en liste d'attente (n° 1) et prendra la première place libérée.")
    settle(qtbot, screen)
    assert screen.notice_text() == ("Marc Texier est en liste d'attente de « Achats "
                                    "responsables » (n° 1) : la séance est complète.")
    # the registered ones by name, then the waiting list
    assert registered_names(panel) == [("Lucie Bernard", "Inscrit·e"),
                                       ("Hélène Lefèvre", "Inscrit·e"),
                                       ("Marc Texier", "En attente (n° 1)")]
    assert table_rows(panel.table)[0][3:5] == ["2 / 2", "1"]

    # one cancels (asked first): the first waiting takes the place, and the screen says so
    assert panel.registrations.select_name("Lucie Bernard")
    click(qtbot, panel.registrations.unregister_button)
    assert no_modal.texts("confirm") == [
        ("Désinscrire Lucie Bernard de « Achats responsables » (vendredi 4 décembre 2026) ? Sa "
        "place revient à la première personne en liste d'attente, s'il y en a une.")]
    assert len(registered_names(panel)) == 3  # « no »: nothing changed
    no_modal.answers.append(True)
    panel.registrations.table.setFocus()
    QTest.keyClick(panel.registrations.table, Qt.Key.Key_Delete)
    settle(qtbot, screen)
    assert screen.notice_text() == ("Lucie Bernard est désinscrit·e. Marc Texier passe de la "
                                    "liste d'attente aux inscrits.")
    assert registered_names(panel) == [("Hélène Lefèvre", "Inscrit·e"),
                                       ("Marc Texier", "Inscrit·e")]
    assert table_rows(panel.table)[0][3:5] == ["2 / 2", ""]
    statuses = {r.name: r.status for r in services.workshops.registrations(
        session_id=session_id, include_cancelled=True)}
    assert statuses == {"Hélène Lefèvre": RegistrationStatus.REGISTERED,
                        "Marc Texier": RegistrationStatus.REGISTERED,
                        "Lucie Bernard": RegistrationStatus.CANCELLED}


def test_the_waiting_list_is_shown_in_order(qtbot, screen, house):
    choose_workshop(qtbot, screen, house["Circuits courts"])
    panel = screen.workshops.sessions
    choose_session(qtbot, screen, house["full"])
    assert registered_names(panel) == [
        ("Aïcha Benali", "Inscrit·e"), ("Jérôme Dupuis", "Inscrit·e"),
        ("Hélène Lefèvre", "Inscrit·e"), ("Paul Martin", "Inscrit·e"),
        ("Camille Roux", "En attente (n° 1)"), ("Marc Texier", "En attente (n° 2)")]
    assert find(panel, "Places de la séance", QLabel).text() == (
        "4 inscrit·es sur 4 places · complet · 2 en liste d'attente")


# --- the sessions without attendance -----------------------------------------------------------


def test_a_past_session_without_attendance_is_flagged_and_shown_on_click(qtbot, screen, house):
    title = find(screen, "Séances passées sans émargement", QLabel)
    assert title.isVisible()
    assert title.text().startswith("Séance passée sans émargement : 1")
    assert screen.unrecorded_lines() == [
        ("« Circuits courts : monter un groupement d'achat » — jeudi 19 novembre 2026 — "
        "Salle Sèvre — 3 inscrit·es")]
    # a filter hides its workshop; clicking the line shows it anyway
    type_text(find(screen, "Rechercher un atelier", QLineEdit), "financer")
    qtbot.waitUntil(lambda: titles(screen) == ["Financer son entreprise de l'ESS"])
    screen.tabs.setCurrentWidget(screen.upcoming)
    settle(qtbot, screen)
    screen.unrecorded_links[house["past"]].linkActivated.emit(str(house["past"]))
    settle(qtbot, screen)
    assert screen.tabs.currentWidget() is screen.workshops
    assert screen.workshops.selected().id == house["Circuits courts"]
    panel = screen.workshops.sessions
    assert panel.selected().id == house["past"]
    assert table_rows(panel.table)[0][-1] == "à émarger"
    # over: no registration here, the attendance instead
    assert [n for n, _s in registered_names(panel)] == ["Aïcha Benali", "Hélène Lefèvre",
                                                        "Paul Martin"]
    assert not panel.registrations.register_button.isEnabled()
    assert not panel.registrations.unregister_button.isEnabled()
    assert find(panel, "Séance terminée", QLabel).isVisible()
    assert panel.attendance_button.isEnabled()
    assert not panel.certificates_button.isEnabled()


def test_the_attendance_opens_from_the_banner_and_the_lists_follow(qtbot, screen, services,
                                                                   house, monkeypatch):
    attendance = pytest.importorskip("maison_app.views.workshops.attendance_dialog")
    opened = []

    def record(dialog):
        opened.append(dialog.session_id)
        sheet = services.workshops.attendance(session_id=dialog.session_id)
        services.workshops.record_attendance(
            session_id=dialog.session_id,
            present={(r.id, h.id): True for r in sheet.participants
                     for h in sheet.session.half_days})
        return 1

    monkeypatch.setattr(attendance.AttendanceDialog, "exec", record)
    click(qtbot, find(screen, "Émarger : " + screen.unrecorded_lines()[0], QPushButton))
    settle(qtbot, screen)
    assert opened == [house["past"]]
    assert not find(screen, "Séances passées sans émargement", QLabel).isVisible()
    choose_workshop(qtbot, screen, house["Circuits courts"])
    panel = screen.workshops.sessions
    choose_session(qtbot, screen, house["past"])
    assert table_rows(panel.table)[0][-1] == "✓ émargée"
    assert panel.certificates_button.isEnabled()
    assert not panel.delete_button.isEnabled()


# --- upcoming sessions, PDFs, figures ------------------------------------------------------------


def test_the_upcoming_sessions_from_today(qtbot, screen, house):
    screen.tabs.setCurrentWidget(screen.upcoming)
    settle(qtbot, screen)
    panel = screen.upcoming.sessions
    assert [row[:6] for row in table_rows(panel.table)] == [
        ["Financer son entreprise de l'ESS", "mar. 1 déc. 2026", "Après-midi, 13:30–17:00",
         "CCI Deux-Sèvres, 10 place du Temple, Niort", "0 / 10", ""],
        ["Circuits courts : monter un groupement d'achat", "jeu. 3 déc. 2026",
         "Journée entière · 7 h", "Salle Sèvre", "4 / 4", "2"],
        ["École de l'entrepreneur collectif", "lun. 7 et mar. 8 déc. 2026",
         "4 demi-journées · 14 h", "Atelier du Pilori", "3 / 12", ""]]
    assert not panel.new_button.isVisible()
    choose_session(qtbot, screen, house["École 1"], panel=panel)
    assert [n for n, _s in registered_names(panel)] == ["Noé Garnier", "Léa Moreau",
                                                        "Camille Roux"]
    assert panel.registrations.register_button.isEnabled()


def test_the_sign_in_sheet_and_the_certificates(qtbot, screen, services, house, previews):
    choose_workshop(qtbot, screen, house["Circuits courts"])
    panel = screen.workshops.sessions
    choose_session(qtbot, screen, house["full"])
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Ctrl+P
    settle(qtbot, screen)
    assert len(previews) == 1 and previews[0].startswith(b"%PDF")
    assert screen.notice_text() == "Feuille d'émargement FE-2026-0001 archivée."
    # the certificates wait for the attendance
    choose_session(qtbot, screen, house["past"])
    assert not panel.certificates_button.isEnabled()
    sheet = services.workshops.attendance(session_id=house["past"])
    services.workshops.record_attendance(
        session_id=house["past"], present={(sheet.participants[0].id,
                                            sheet.session.half_days[0].id): True})
    screen.refresh()
    settle(qtbot, screen)
    click(qtbot, panel.certificates_button)
    settle(qtbot, screen)
    assert len(previews) == 2 and previews[1].startswith(b"%PDF")
    assert screen.notice_text() == "Attestations de présence AP-2026-0001 archivées."


def test_the_figures_tab(qtbot, screen):
    pytest.importorskip("maison_app.views.workshops.figures_tab")
    tabs = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert tabs == ["Ateliers", "Séances à venir", "Chiffres"]
    screen.tabs.setCurrentIndex(2)
    settle(qtbot, screen)
    assert shiboken6.isValid(screen.figures)


def test_the_reception_registers_too(qtbot, services, house, tasks):
    from maison_app.domain.enums import Role
    from maison_app.services.context import Actor

    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    screen = open_screen(qtbot, desk, tasks)
    choose_workshop(qtbot, screen, house["École"])
    panel = screen.workshops.sessions
    assert panel.selected().id == house["École 1"]  # the next session, chosen for the desk
    for button in (panel.registrations.register_button, panel.sheet_button,
                   screen.workshops.new_button, panel.new_button):
        assert button.isVisible() and button.isEnabled(), button.accessibleName()
