"""The "Adhérents" screen as the admin and the receptionist use it: search, filters, sort by
a header, scroll through pages, open, create, delete, export, badges."""

from __future__ import annotations

import datetime as dt
import sys
import types
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
)

from maison_app.domain.enums import (
    AffiliationRole,
    LegalForm,
    MemberKind,
    PaymentMethod,
    Role,
)
from maison_app.domain.members import MemberSort, OrganisationDetail, PersonDetail
from maison_app.services.context import Actor
from maison_app.services.registry import Services
from tests.ui.conftest import find, press, type_text

YEAR = 2026  # the clock of the tests is in November 2026


def person(services, first, last, email=None, **kw) -> int:
    return services.members.save_person(PersonDetail(first_name=first, last_name=last,
                                                     email=email, **kw))


def college_id(services, name: str) -> int:
    return next(c.id for c in services.memberships.colleges() if c.name == name)


@pytest.fixture
def house(services):
    m, ms = services.members, services.memberships
    elan = m.save_organisation(OrganisationDetail(
        name="Élan Coopératif Niortais", legal_form=LegalForm.SCIC, siret="732 829 320 00074",
        city="Niort", postcode="79000"))
    ress = m.save_organisation(OrganisationDetail(name="La Ressourcerie du Marais",
                                                  legal_form=LegalForm.ASSOCIATION))
    helene = person(services, "Hélène", "Lefèvre", "h.lefevre@elan.fr", city="Niort",
                    postcode="79000", phone="0549123456")
    noel = person(services, "Noël", "Martin", "noel@exemple.fr", city="Chauray")
    zoe = person(services, "Zoé", "Abadie", "zoe@abadie.fr", city="Aiffres")
    m.add_affiliation(person_id=helene, organisation_id=elan, role=AffiliationRole.DIRIGEANT)
    m.add_affiliation(person_id=noel, organisation_id=ress, role=AffiliationRole.BENEVOLE)
    ent, ben = college_id(services, "Entreprises adhérentes"), college_id(services, "Bénévoles")
    ms.save_fee(college_id=ent, year=YEAR, fee_cents=5000)
    ms.save_fee(college_id=ben, year=YEAR, fee_cents=1000)
    paid = ms.create_membership(kind=MemberKind.PERSON, member_id=helene, year=YEAR,
                                college_id=ent)
    ms.record_payment(membership_id=paid, amount_cents=5000, paid_on=dt.date(2026, 3, 2),
                      method=PaymentMethod.CHEQUE)
    ms.create_membership(kind=MemberKind.PERSON, member_id=noel, year=YEAR, college_id=ben)
    ms.create_membership(kind=MemberKind.PERSON, member_id=zoe, year=YEAR - 1, college_id=ben,
                         fee_cents=1000)
    ms.create_membership(kind=MemberKind.ORGANISATION, member_id=elan, year=YEAR,
                         college_id=ent)
    return {"elan": elan, "ress": ress, "helene": helene, "noel": noel, "zoe": zoe}


def settled(screen) -> bool:
    return (screen.tasks.idle and not screen._search_timer.isActive()
            and not screen.model.busy and screen.model.ever_loaded)


def wait(qtbot, screen) -> None:
    qtbot.waitUntil(lambda: settled(screen))


def open_screen(qtbot, services):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.members import MembersScreen

    tasks = TaskRunner()
    widget = MembersScreen(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1250, 700)
    widget.show()
    qtbot.waitExposed(widget)
    wait(qtbot, widget)
    return widget


@pytest.fixture
def screen(qtbot, services, house):
    widget = open_screen(qtbot, services)
    yield widget
    widget.tasks.wait()


def table(screen) -> QTableView:
    return find(screen, "Liste des adhérents", QTableView)


def column(screen, title: str) -> list[str]:
    model = table(screen).model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    c = titles.index(title)
    return [model.index(r, c).data() for r in range(model.rowCount())]


def names(screen) -> list[str]:
    return column(screen, "Nom")


def count_text(screen) -> str:
    return find(screen, "Nombre de fiches", QLabel).text()


def search(qtbot, screen, text: str) -> None:
    field = find(screen, "Rechercher", QLineEdit)
    field.setFocus()
    field.selectAll()
    press(field, Qt.Key.Key_Backspace)
    type_text(field, text)
    assert screen._search_timer.isActive()  # typing waits for a pause before searching
    wait(qtbot, screen)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def click_header(view: QTableView, section: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(x, header.height() // 2))


def select_rows(view: QTableView, rows: list[int]) -> None:
    selection = view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(view.model().index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    selection.setCurrentIndex(view.model().index(rows[0], 0),
                              QItemSelectionModel.SelectionFlag.NoUpdate)


# --- the list ----------------------------------------------------------------------------------


def test_people_with_their_organisation_college_and_status(screen):
    assert count_text(screen) == "3 personnes"
    assert names(screen) == ["Zoé Abadie", "Hélène Lefèvre", "Noël Martin"]
    assert column(screen, "Structure(s)") == ["", "Élan Coopératif Niortais",
                                              "La Ressourcerie du Marais"]
    assert column(screen, "Ville") == ["Aiffres", "Niort (79000)", "Chauray"]
    assert column(screen, "Téléphone")[1] == "05 49 12 34 56"
    assert column(screen, f"Collège {YEAR}") == ["", "Entreprises adhérentes", "Bénévoles"]
    assert column(screen, f"Statut {YEAR}") == ["Non renouvelé", "À jour", "À relancer"]


def test_typing_searches_without_accents_after_a_pause(qtbot, screen):
    search(qtbot, screen, "lefevre")
    assert names(screen) == ["Hélène Lefèvre"]
    assert count_text(screen) == "1 personne"
    search(qtbot, screen, "noël")
    assert names(screen) == ["Noël Martin"]
    search(qtbot, screen, "ressourcerie")  # the organisation's name finds its people
    assert names(screen) == ["Noël Martin"]
    search(qtbot, screen, "personne inconnue")
    assert names(screen) == []
    assert "Aucune personne ne correspond" in count_text(screen)

    field = find(screen, "Rechercher", QLineEdit)
    press(field, Qt.Key.Key_Escape)
    assert field.text() == ""
    wait(qtbot, screen)
    assert len(names(screen)) == 3


def test_enter_right_after_typing_goes_to_the_first_match_once_found(qtbot, screen):
    field = find(screen, "Rechercher", QLineEdit)
    field.setFocus()
    type_text(field, "martin")
    press(field, Qt.Key.Key_Return)  # before the pause is over
    wait(qtbot, screen)
    assert names(screen) == ["Noël Martin"]
    qtbot.waitUntil(table(screen).hasFocus)
    assert [r.name for r in screen.selected_records()] == ["Noël Martin"]


def test_filters_college_status_members_only_and_year(qtbot, screen):
    college = find(screen, "Collège", QComboBox)
    assert college.itemText(0) == "Tous les collèges"
    choose(college, "Bénévoles")
    wait(qtbot, screen)
    assert names(screen) == ["Noël Martin"]
    college.setCurrentIndex(0)

    status = find(screen, "Statut", QComboBox)
    choose(status, "À jour")
    wait(qtbot, screen)
    assert names(screen) == ["Hélène Lefèvre"]
    clear = find(screen, "Effacer les filtres", QPushButton)
    assert clear.isVisible()
    choose(status, "Non renouvelé")
    wait(qtbot, screen)
    assert names(screen) == ["Zoé Abadie"]
    status.setCurrentIndex(0)
    wait(qtbot, screen)

    members_only = find(screen, "Adhérents seulement", QCheckBox)
    members_only.setChecked(True)
    wait(qtbot, screen)
    assert names(screen) == ["Hélène Lefèvre", "Noël Martin"]

    year = find(screen, "Année", QSpinBox)
    assert year.value() == YEAR
    year.setValue(YEAR - 1)
    wait(qtbot, screen)
    assert names(screen) == ["Zoé Abadie"]
    assert column(screen, f"Collège {YEAR - 1}") == ["Bénévoles"]

    clear.click()
    wait(qtbot, screen)
    assert not members_only.isChecked()
    assert len(names(screen)) == 3
    assert not clear.isVisible()


def test_organisations_with_legal_form_and_siret(qtbot, screen):
    legal_form = find(screen, "Forme juridique", QComboBox)
    assert not legal_form.isVisible()  # people have no legal form
    find(screen, "Structures", QPushButton).click()
    wait(qtbot, screen)
    assert count_text(screen) == "2 structures"
    assert names(screen) == ["Élan Coopératif Niortais", "La Ressourcerie du Marais"]
    assert column(screen, "Forme juridique · SIRET") == ["SCIC · 73282932000074", "Association"]
    assert column(screen, f"Statut {YEAR}") == ["À relancer", ""]
    assert legal_form.isVisible()
    assert not find(screen, "Imprimer les badges", QPushButton).isVisible()
    assert find(screen, "Nouvelle structure", QPushButton).isVisible()

    choose(legal_form, "Association")
    wait(qtbot, screen)
    assert names(screen) == ["La Ressourcerie du Marais"]
    search(qtbot, screen, "elan")
    assert names(screen) == []

    find(screen, "Personnes", QPushButton).click()
    wait(qtbot, screen)
    assert screen.model.filter.legal_form is None
    assert screen.model.filter.kind is MemberKind.PERSON


def test_the_status_shows_as_a_coloured_badge(screen):
    from maison_app.views.members.list_model import STATUS_ROLE, StatusBadgeDelegate

    view = table(screen)
    assert isinstance(view.itemDelegateForColumn(6), StatusBadgeDelegate)
    model = view.model()
    assert model.index(1, 6).data(STATUS_ROLE) == "a_jour"
    green = model.index(1, 6).data(Qt.ItemDataRole.ForegroundRole).color().name()
    red = model.index(2, 6).data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert green != red


def test_sorting_by_clicking_a_header(qtbot, screen):
    view = table(screen)
    titles = [view.model().headerData(c, Qt.Orientation.Horizontal)
              for c in range(view.model().columnCount())]
    email = titles.index("E-mail")
    click_header(view, email)
    wait(qtbot, screen)
    assert screen.model.sort_key == (MemberSort.EMAIL, False)
    assert column(screen, "E-mail") == ["h.lefevre@elan.fr", "noel@exemple.fr", "zoe@abadie.fr"]

    click_header(view, email)  # again: the other way round
    wait(qtbot, screen)
    assert screen.model.sort_key == (MemberSort.EMAIL, True)
    assert column(screen, "E-mail") == ["zoe@abadie.fr", "noel@exemple.fr", "h.lefevre@elan.fr"]

    click_header(view, titles.index("Téléphone"))  # not sortable: nothing changes
    wait(qtbot, screen)
    assert screen.model.sort_key == (MemberSort.EMAIL, True)
    assert view.horizontalHeader().sortIndicatorSection() == email
    assert column(screen, "E-mail")[0] == "zoe@abadie.fr"

    click_header(view, titles.index("Ville"))
    wait(qtbot, screen)
    assert column(screen, "Ville") == ["Aiffres", "Chauray", "Niort (79000)"]


def test_scrolling_fetches_the_next_pages(qtbot, services):
    for i in range(450):
        services.members.save_person(PersonDetail(first_name="Camille", last_name=f"Essai {i:03d}"))
    widget = open_screen(qtbot, services)
    try:
        model = widget.model
        assert count_text(widget) == "450 personnes"
        assert model.rowCount() == 200  # only the first page is read
        bar = table(widget).verticalScrollBar()
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda: model.rowCount() == 400)
        qtbot.waitUntil(lambda: not model.busy)
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda: model.rowCount() == 450)
        qtbot.waitUntil(lambda: widget.tasks.idle)
        assert not model.canFetchMore()
        assert names(widget)[0] == "Camille Essai 000"
        assert names(widget)[-1] == "Camille Essai 449"
        assert len(set(names(widget))) == 450
    finally:
        widget.tasks.wait()


# --- records --------------------------------------------------------------------------------


class FakeDialog:
    """Stands for the detail dialogs (written elsewhere): records how it was opened."""

    opened: ClassVar[list[tuple[str, int | None]]] = []
    on_exec: ClassVar[object] = None

    def __init__(self, services, tasks, *, person_id=None, organisation_id=None, parent=None,
                 **kw):
        kind = "person" if "person_id" in self._given else "organisation"
        self.record_id = person_id if kind == "person" else organisation_id
        FakeDialog.opened.append((kind, self.record_id))
        self.services = services
        self.saved_id = None

    def exec(self) -> int:
        if FakeDialog.on_exec is None:
            return 0
        self.saved_id = FakeDialog.on_exec(self)
        return 1


@pytest.fixture
def fake_dialogs(monkeypatch):
    FakeDialog.opened = []
    FakeDialog.on_exec = None

    class PersonDialog(FakeDialog):
        _given = ("person_id",)

    class OrganisationDialog(FakeDialog):
        _given = ("organisation_id",)

    monkeypatch.setitem(sys.modules, "maison_app.views.members.person_dialog",
                        types.SimpleNamespace(PersonDialog=PersonDialog))
    monkeypatch.setitem(sys.modules, "maison_app.views.members.organisation_dialog",
                        types.SimpleNamespace(OrganisationDialog=OrganisationDialog))
    return FakeDialog


def test_enter_opens_the_selected_person_and_the_list_shows_the_change(qtbot, screen, house,
                                                                       fake_dialogs):
    def rename(dialog):
        detail = dialog.services.members.person(person_id=dialog.record_id)
        return dialog.services.members.save_person(PersonDetail(
            id=detail.id, first_name=detail.first_name, last_name="Lefèvre-Durand",
            email=detail.email))

    fake_dialogs.on_exec = rename
    search(qtbot, screen, "lefev")
    field = find(screen, "Rechercher", QLineEdit)
    press(field, Qt.Key.Key_Down)  # from the search into the list, on the first row
    view = table(screen)
    assert view.hasFocus()
    press(view, Qt.Key.Key_Return)
    assert fake_dialogs.opened == [("person", house["helene"])]
    wait(qtbot, screen)
    assert names(screen) == ["Hélène Lefèvre-Durand"]
    assert [r.id for r in screen.selected_records()] == [house["helene"]]  # still selected


def test_double_click_and_ctrl_n(qtbot, screen, house, fake_dialogs):
    view = table(screen)
    rect = view.visualRect(view.model().index(2, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      rect.center())
    assert fake_dialogs.opened == [("person", house["noel"])]

    fake_dialogs.on_exec = lambda d: person(d.services, "Yves", "Nouveau")
    QTest.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert fake_dialogs.opened[-1] == ("person", None)
    wait(qtbot, screen)
    assert "Yves Nouveau" in names(screen)
    assert [r.name for r in screen.selected_records()] == ["Yves Nouveau"]

    find(screen, "Structures", QPushButton).click()
    wait(qtbot, screen)
    fake_dialogs.on_exec = None
    find(screen, "Nouvelle structure", QPushButton).click()
    assert fake_dialogs.opened[-1] == ("organisation", None)


def test_delete_asks_first_and_the_service_keeps_a_record_with_history(qtbot, screen, no_modal):
    person(screen.services, "Jean", "Erreur")
    screen.refresh()
    wait(qtbot, screen)
    view = table(screen)
    delete = find(screen, "Supprimer la fiche", QPushButton)
    assert not delete.isEnabled()  # nothing chosen yet
    view.selectRow(names(screen).index("Jean Erreur"))
    assert delete.isEnabled()

    no_modal.answers.append(False)
    delete.click()
    assert "Supprimer la fiche de Jean Erreur ?" in no_modal.texts("confirm")[0]
    assert "Jean Erreur" in names(screen)

    no_modal.answers.append(True)
    press(view, Qt.Key.Key_Delete)
    wait(qtbot, screen)
    assert "Jean Erreur" not in names(screen)
    assert find(screen, "Message", QLabel).text() == "Fiche de Jean Erreur supprimée."

    view.selectRow(names(screen).index("Hélène Lefèvre"))  # she has a membership
    no_modal.answers.append(True)
    delete.click()
    (warning,) = no_modal.texts("warn")
    assert "historique" in warning
    assert "Hélène Lefèvre" in names(screen)


def test_badges_of_the_chosen_people_in_the_preview(qtbot, screen, house, monkeypatch, no_modal):
    pytest.importorskip("maison_app.documents.badge")
    from maison_app.ui import pdf_preview

    shown = []

    class Preview:
        def __init__(self, content, *, title, suggested_filename, parent=None):
            shown.append((bytes(content), title, suggested_filename))

        def open(self):
            pass

    monkeypatch.setattr(pdf_preview, "PdfPreviewDialog", Preview)
    badges = find(screen, "Imprimer les badges", QPushButton)
    assert not badges.isEnabled()
    view = table(screen)
    select_rows(view, [1, 2])  # Hélène and Noël
    assert badges.isEnabled()
    badges.click()
    qtbot.waitUntil(lambda: bool(shown))
    content, title, filename = shown[0]
    assert content.startswith(b"%PDF")
    assert title == "Badges d'adhérent (2 personnes)"
    assert filename == f"badges-{YEAR}.pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "Lefèvre" in text and "Martin" in text
    assert "Abadie" not in text


# --- import and export ----------------------------------------------------------------------


def test_import_opens_the_import_dialog_and_reloads(qtbot, screen, monkeypatch):
    opened = []

    class ImportDialog:
        def __init__(self, services, tasks, parent=None):
            opened.append(parent)
            self.services = services

        def exec(self):
            person(self.services, "Irène", "Importée")
            return 1

    monkeypatch.setitem(sys.modules, "maison_app.views.members.import_dialog",
                        types.SimpleNamespace(ImportDialog=ImportDialog))
    find(screen, "Importer", QPushButton).click()
    assert opened == [screen]
    wait(qtbot, screen)
    assert "Irène Importée" in names(screen)


class FakeMemberIO:
    def __init__(self) -> None:
        self.calls = []

    def export(self, *, filter, path):
        self.calls.append(("export", filter, Path(path)))
        Path(path).write_text("nom\n", encoding="utf-8")
        return 1

    def export_renewals(self, *, year, path):
        self.calls.append(("export_renewals", year, Path(path)))
        Path(path).write_text("nom\n", encoding="utf-8")
        return 2


def test_export_hands_the_current_filter_to_the_service(qtbot, screen, tmp_path, monkeypatch):
    from maison_app.views.members import screen as screen_module

    fake = FakeMemberIO()
    object.__setattr__(screen.services, "member_io", fake)  # the frozen registry, for this test
    target = tmp_path / "adherents.xlsx"
    asked = []
    monkeypatch.setattr(screen_module, "_ask_export_path",
                        lambda parent, suggested, **kw: asked.append(suggested) or str(target))
    search(qtbot, screen, "lefevre")
    find(screen, "Exporter la liste", QPushButton).click()
    qtbot.waitUntil(lambda: screen.tasks.idle and bool(fake.calls))
    ((what, f, path),) = fake.calls
    assert (what, path) == ("export", target)
    assert f == screen.model.filter and f.query == "lefevre" and f.year == YEAR
    assert asked[0].name == f"adherents-personnes-{YEAR}.xlsx"
    qtbot.waitUntil(lambda: find(screen, "Message", QLabel).isVisible())
    assert find(screen, "Message", QLabel).text() == f"1 ligne exportée dans {target}."


@pytest.mark.skipif("member_io" not in Services.__dataclass_fields__,
                    reason="services.member_io n'existe pas encore (import/export, autre lot)")
def test_export_writes_the_filtered_list(qtbot, screen, tmp_path, monkeypatch):
    from maison_app.views.members import screen as screen_module

    target = tmp_path / "adherents.csv"
    monkeypatch.setattr(screen_module, "_ask_export_path", lambda *a, **kw: str(target))
    search(qtbot, screen, "lefevre")
    find(screen, "Exporter la liste", QPushButton).click()
    qtbot.waitUntil(lambda: screen.tasks.idle and target.exists())
    qtbot.waitUntil(lambda: screen.tasks.idle)
    text = target.read_bytes().decode("utf-8-sig")
    assert "Lefèvre" in text
    assert "Martin" not in text


# --- roles ------------------------------------------------------------------------------------


def test_reception_role_sees_the_list_without_import(qtbot, services, house):
    accueil = services.for_actor(Actor(login="lina", role=Role.ACCUEIL))
    widget = open_screen(qtbot, accueil)
    try:
        assert len(names(widget)) == 3
        assert find(widget, "Nouvelle personne", QPushButton).isVisible()
        assert find(widget, "Supprimer la fiche", QPushButton).isVisible()
        assert find(widget, "Relances", QPushButton).isVisible()
        assert not find(widget, "Importer", QPushButton).isVisible()
    finally:
        widget.tasks.wait()


def test_the_area_sits_between_reception_and_administration():
    from maison_app.views import built_areas

    areas = built_areas()
    ids = [a.id for a in areas]
    assert ids.index("reception") < ids.index("members") < ids.index("admin")
    members = areas[ids.index("members")]
    assert (members.label(), members.shortcut) == ("Adhérents", "Ctrl+2")
    assert all(members.allowed(Actor(login="x", role=role)) for role in Role)
