"""Taking the attendance of a workshop session: one box per participant and half-day, ticked
with the mouse or the keyboard, « Tous présents », a walk-in added on the spot, the hours
following the ticks, « Enregistrer » read back through the service; the sign-in sheet and
the certificates shown in the preview."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableView

from maison_app.domain.enums import HalfDayPart, Role, SpaceKind, WorkshopAxis
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.domain.workshops import (
    DEFAULT_TIMES,
    Facilitator,
    HalfDay,
    RegistrationRecord,
    SessionRecord,
    WorkshopRecord,
)
from maison_app.services.context import Actor
from maison_app.ui.tasks import TaskRunner
from maison_app.views.workshops import attendance_dialog as view
from maison_app.views.workshops.attendance_dialog import (
    FIXED_COLUMNS,
    WALK_IN_ROLE,
    AttendanceDialog,
)
from tests.ui.conftest import find, press, type_text

TODAY = dt.date(2026, 11, 26)  # the test clock's Thursday, 09:00 in Paris
TITLE = "École de l'entrepreneur collectif"
ROOM_RATES = Rates(hour_member=1500, hour_public=2500, half_day_member=4000,
                   half_day_public=7000, day_member=7000, day_public=12000)


def half_day(day: dt.date, part: HalfDayPart) -> HalfDay:
    start, end = DEFAULT_TIMES[part]
    return HalfDay(id=None, day=day, part=part, start=start, end=end)


def build_workshop(services, *, day: dt.date = TODAY, title: str = TITLE,
                   parts=(HalfDayPart.MORNING, HalfDayPart.AFTERNOON)) -> dict:
    """A room, a workshop run by an organisation, a session on `day` (morning and
    afternoon), two people of the house and one outsider registered. The clock must be
    before the session (registrations to a session over are refused)."""
    ids: dict = {}
    ids["room"] = services.spaces.save_space(SpaceRecord(
        None, SpaceKind.MEETING_ROOM, "Salle Sèvre", capacity=14, rates=ROOM_RATES))
    people = services.people
    ids["BGE"] = people.create_organisation(name="BGE")
    ids["Hélène"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene.lefevre@exemple.fr",
                                         organisation_ids=(ids["BGE"],))
    ids["Karim"] = people.create_person(first_name="Karim", last_name="Benali",
                                        email="karim.benali@exemple.fr")
    workshops = services.workshops
    ids["workshop"] = workshops.save_workshop(WorkshopRecord(
        id=None, title=title, axis=WorkshopAxis.TRAINING, capacity=12,
        facilitator=Facilitator(organisation_id=ids["BGE"])))
    ids["session"] = workshops.save_session(SessionRecord(
        id=None, workshop_id=ids["workshop"], space_id=ids["room"],
        half_days=tuple(half_day(day, p) for p in parts)))
    register = workshops.register
    ids["reg Hélène"] = register(RegistrationRecord(
        id=None, session_id=ids["session"], person_id=ids["Hélène"])).id
    ids["reg Karim"] = register(RegistrationRecord(
        id=None, session_id=ids["session"], person_id=ids["Karim"])).id
    ids["reg Zoé"] = register(RegistrationRecord(
        id=None, session_id=ids["session"], name="Zoé Martin", email="zoe.martin@exemple.org")).id
    session = workshops.session(session_id=ids["session"])
    for h in session.half_days:
        ids[h.part] = h.id
    return ids


@pytest.fixture
def house(services):
    return build_workshop(services)


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def desk(services):
    """The reception's account: every role takes attendance."""
    return services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))


def open_dialog(qtbot, services, house, tasks) -> AttendanceDialog:
    dialog = AttendanceDialog(services, house["session"], tasks=tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def table_rows(dialog) -> list[list]:
    model = dialog.model
    rows = []
    for r in range(model.rowCount()):
        row = [model.index(r, c).data() for c in range(FIXED_COLUMNS)]
        row += [model.index(r, c).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
                for c in range(FIXED_COLUMNS, model.hours_column)]
        row.append(model.index(r, model.hours_column).data())
        rows.append(row)
    return rows


def row_of(dialog, name: str) -> int:
    return next(i for i, r in enumerate(dialog.model.participants) if r.name == name)


def test_the_sheet_shows_the_session_its_half_days_and_participants(qtbot, desk, house,
                                                                     tasks):
    dialog = open_dialog(qtbot, desk, house, tasks)
    assert dialog.windowTitle() == f"Présences — {TITLE}"
    assert find(dialog, "Atelier", QLabel).text() == TITLE
    assert find(dialog, "Dates de la séance", QLabel).text() == (
        "jeudi 26 novembre 2026, 9\u00a0h\u00a000–12\u00a0h\u00a030 et "
        "13\u00a0h\u00a030–17\u00a0h\u00a000")
    assert find(dialog, "Lieu de la séance", QLabel).text() == (
        "Salle Sèvre · Formation · animé par BGE")
    table = find(dialog, "Présences par demi-journée", QTableView)
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal)
               for c in range(table.model().columnCount())]
    assert headers == [
        "Participant·e", "Structure / e-mail",
        "jeu. 26/11 matin\n9\u00a0h\u00a000–12\u00a0h\u00a030\n0 / 3 présents",
        "jeu. 26/11 après-midi\n13\u00a0h\u00a030–17\u00a0h\u00a000\nà venir",
        "Heures"]
    # by last name; a person of the house shows their organisation, an outsider their e-mail
    assert table_rows(dialog) == [
        ["Karim Benali", "karim.benali@exemple.fr", False, False, "0\u00a0h"],
        ["Hélène Lefèvre", "BGE", False, False, "0\u00a0h"],
        ["Zoé Martin", "zoe.martin@exemple.org", False, False, "0\u00a0h"],
    ]
    # 09:00: the morning can be ticked, the afternoon not yet
    model = dialog.model
    morning, afternoon = model.index(0, FIXED_COLUMNS), model.index(0, FIXED_COLUMNS + 1)
    assert morning.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert morning.flags() & Qt.ItemFlag.ItemIsEnabled
    assert not afternoon.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "pas encore commencé" in afternoon.data(Qt.ItemDataRole.ToolTipRole)
    assert find(dialog, "Tous présents : jeu. 26/11 après-midi", QPushButton).isEnabled() is False
    # the keyboard starts on the morning's first box
    assert table.currentIndex().column() == FIXED_COLUMNS and dialog.focusWidget() is table


def test_space_ticks_arrows_move_and_the_hours_follow(qtbot, desk, house, tasks, services):
    dialog = open_dialog(qtbot, desk, house, tasks)
    table = find(dialog, "Présences par demi-journée", QTableView)
    press(table, Qt.Key.Key_Space)  # Karim, morning
    press(table, Qt.Key.Key_Down)
    press(table, Qt.Key.Key_Down)
    press(table, Qt.Key.Key_Space)  # Zoé, morning
    press(table, Qt.Key.Key_Right)
    press(table, Qt.Key.Key_Space)  # the afternoon has not started: nothing happens
    assert [r[2:] for r in table_rows(dialog)] == [
        [True, False, "3\u00a0h\u00a030"], [False, False, "0\u00a0h"],
        [True, False, "3\u00a0h\u00a030"]]
    assert table.model().headerData(FIXED_COLUMNS, Qt.Orientation.Horizontal).endswith(
        "2 / 3 présents")
    assert "modifications non enregistrées" in find(dialog, "Résumé des présences",
                                                     QLabel).text()
    press(table, Qt.Key.Key_Left)
    press(table, Qt.Key.Key_Space)  # Zoé unticked again
    assert table_rows(dialog)[2][2:] == [False, False, "0\u00a0h"]
    press(table, Qt.Key.Key_Space)

    qtbot.mouseClick(find(dialog, "Enregistrer les présences", QPushButton),
                     Qt.MouseButton.LeftButton)
    sheet = services.workshops.attendance(session_id=house["session"])
    morning = house[HalfDayPart.MORNING]
    assert sheet.is_present(house["reg Karim"], morning)
    assert sheet.is_present(house["reg Zoé"], morning)
    assert not sheet.is_present(house["reg Hélène"], morning)
    assert sheet.minutes_of(house["reg Karim"]) == 210
    assert sheet.session.attendance_recorded
    assert dialog.banner_message() == "Présences enregistrées à 09:00."
    assert "modifications non enregistrées" not in find(dialog, "Résumé des présences",
                                                         QLabel).text()
    dialog.reject()
    assert dialog.result() == dialog.DialogCode.Accepted  # the screen refreshes its lists


def test_tous_presents_per_half_day_and_for_the_whole_session(qtbot, desk, house, tasks,
                                                              services, clock, no_modal):
    clock.advance(hours=6)  # 15:00: both half-days have started
    dialog = open_dialog(qtbot, desk, house, tasks)
    qtbot.mouseClick(find(dialog, "Tous présents : jeu. 26/11 matin", QPushButton),
                     Qt.MouseButton.LeftButton)
    assert [r[2:] for r in table_rows(dialog)] == [[True, False, "3\u00a0h\u00a030"]] * 3
    # Karim left at noon: untick him in the afternoon after « toute la séance »
    qtbot.mouseClick(find(dialog, "Tous présents pour toute la séance", QPushButton),
                     Qt.MouseButton.LeftButton)
    assert [r[2:] for r in table_rows(dialog)] == [[True, True, "7\u00a0h"]] * 3
    karim = dialog.model.index(row_of(dialog, "Karim Benali"), FIXED_COLUMNS + 1)
    dialog.model.setData(karim, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert table_rows(dialog)[0][2:] == [True, False, "3\u00a0h\u00a030"]
    assert "taux de présence 83 %" in find(dialog, "Résumé des présences", QLabel).text()
    assert dialog.save()
    sheet = services.workshops.attendance(session_id=house["session"])
    assert [sheet.minutes_of(house[k]) for k in ("reg Karim", "reg Hélène", "reg Zoé")] == [
        210, 420, 420]
    # a click on a half-day's header ticks everyone (a second click unticks them)
    table = find(dialog, "Présences par demi-journée", QTableView)
    table.horizontalHeader().sectionClicked.emit(FIXED_COLUMNS + 1)
    assert all(r[3] for r in table_rows(dialog))
    table.horizontalHeader().sectionClicked.emit(FIXED_COLUMNS + 1)
    assert not any(r[3] for r in table_rows(dialog))


def test_a_walk_in_is_added_and_ticked_for_the_half_day_under_way(qtbot, desk, house, tasks,
                                                                   services, monkeypatch):
    dialog = open_dialog(qtbot, desk, house, tasks)

    def fill(walk_in) -> bool:
        walk_in.other_choice.setChecked(True)
        add = find(walk_in, "Ajouter la personne", QPushButton)
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # no name yet: said under the field
        assert walk_in.errors.message("name") == (
            "Indiquez le nom de la personne (l'e-mail est facultatif).")
        type_text(find(walk_in, "Nom de la personne"), "Inès Marchand")
        qtbot.mouseClick(find(walk_in, "Ajouter la personne", QPushButton),
                         Qt.MouseButton.LeftButton)
        return walk_in.result() == walk_in.DialogCode.Accepted

    monkeypatch.setattr(view, "run_dialog", fill)
    qtbot.mouseClick(find(dialog, "Ajouter une personne arrivée sur place", QPushButton),
                     Qt.MouseButton.LeftButton)
    row = row_of(dialog, "Inès Marchand")
    model = dialog.model
    assert model.index(row, 0).data(WALK_IN_ROLE) is True
    assert model.index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Inès Marchand, arrivé·e sur place")
    assert table_rows(dialog)[row][2:] == [True, False, "3\u00a0h\u00a030"]
    assert "Inès Marchand est ajouté·e" in dialog.banner_message()
    # the registration is written at once; the tick with « Enregistrer »
    walk_in = next(r for r in services.workshops.registrations(session_id=house["session"])
                   if r.name == "Inès Marchand")
    assert walk_in.walk_in and walk_in.email == ""
    assert not services.workshops.attendance(session_id=house["session"]).is_present(
        walk_in.id, house[HalfDayPart.MORNING])
    assert dialog.save()
    assert services.workshops.attendance(session_id=house["session"]).is_present(
        walk_in.id, house[HalfDayPart.MORNING])


def test_a_walk_in_of_the_house_found_by_name(qtbot, desk, house, tasks, services,
                                              monkeypatch, no_modal):
    other = services.people.create_person(first_name="Maël", last_name="Texier")
    dialog = open_dialog(qtbot, desk, house, tasks)
    asked = []

    def fill(walk_in) -> bool:
        asked.append(walk_in)
        # nobody chosen yet: the form says so under the search
        walk_in.add()
        assert "Choisissez la personne" in walk_in.errors.message("person_id")
        picker = walk_in.picker
        type_text(picker.field, "texier")
        with qtbot.waitSignal(picker.results_shown, timeout=5000):
            picker.run_search()
        assert picker.chosen() == (other, "Maël Texier")
        walk_in.add()
        return walk_in.result() == walk_in.DialogCode.Accepted

    monkeypatch.setattr(view, "run_dialog", fill)
    dialog.add_walk_in()
    assert asked
    assert "Maël Texier" in [r.name for r in dialog.model.participants]
    # someone already registered is refused, with the service's message
    monkeypatch.setattr(view, "run_dialog", lambda w: (w.picker.choose(other, "Maël Texier"),
                                                        w.add(), False)[-1])
    dialog.add_walk_in()
    assert any("déjà inscrit" in text for text in no_modal.texts("warn"))


def test_closing_with_unsaved_ticks_asks_first(qtbot, desk, house, tasks, no_modal):
    dialog = open_dialog(qtbot, desk, house, tasks)
    dialog.tick_all()
    no_modal.answers.append(False)  # « Revenir »
    dialog.reject()
    assert dialog.isVisible()
    assert "Fermer sans enregistrer ?" in no_modal.texts("confirm")[0]
    no_modal.answers.append(True)
    dialog.reject()
    assert not dialog.isVisible()
    assert dialog.result() == dialog.DialogCode.Rejected  # nothing written


def test_sign_in_sheet_and_certificates_in_the_preview(qtbot, desk, house, tasks, services,
                                                       monkeypatch, no_modal):
    shown = []
    monkeypatch.setattr(view, "preview_pdf",
                        lambda parent, record, content: shown.append((record, content)))
    dialog = open_dialog(qtbot, desk, house, tasks)
    qtbot.mouseClick(find(dialog, "Feuille d'émargement", QPushButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 1 and tasks.idle, timeout=10_000)
    record, content = shown[0]
    assert record.number.startswith("FE-2026-") and content.startswith(b"%PDF")

    # Karim and Zoé came this morning; the certificates follow « Enregistrer »: asked first
    table = find(dialog, "Présences par demi-journée", QTableView)
    for name in ("Karim Benali", "Zoé Martin"):
        dialog.model.setData(dialog.model.index(row_of(dialog, name), FIXED_COLUMNS),
                             Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    no_modal.answers.append(True)  # « Enregistrer et continuer »
    dialog.certificates(selected=False)
    assert "pas encore enregistrées" in no_modal.texts("confirm")[0]
    qtbot.waitUntil(lambda: len(shown) == 2 and tasks.idle, timeout=10_000)
    record, content = shown[1]
    assert record.number.startswith("AP-2026-") and content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 2  # one page per participant who attended
    # only the chosen row: Zoé
    table.setCurrentIndex(dialog.model.index(row_of(dialog, "Zoé Martin"), 0))
    dialog._update_certificates_menu()
    assert dialog.certificates_selected.text() == "Pour Zoé Martin seulement"
    dialog.certificates_selected.trigger()
    qtbot.waitUntil(lambda: len(shown) == 3 and tasks.idle, timeout=10_000)
    pages = PdfReader(io.BytesIO(shown[2][1])).pages
    assert len(pages) == 1 and "Zoé Martin" in pages[0].extract_text()
