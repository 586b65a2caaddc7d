"""The "Protection des données" tab: find a person, export their data, anonymise them."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView

from maison_app.domain.enums import VisitPurpose
from maison_app.views.admin import privacy as privacy_view
from tests.ui.conftest import find, type_text


@pytest.fixture
def desk(services):
    admin = services.accounts.create_first_admin(login="admin", display_name="Claire",
                                                 password="admin-2026")
    return services.for_actor(services.accounts.actor_for(admin))


@pytest.fixture
def helene(desk, clock):
    org = desk.people.create_organisation(name="Elan Coopératif Niortais")
    pid = desk.people.create_person(first_name="Hélène", last_name="Lefèvre",
                                    email="helene@exemple.fr", organisation_ids=(org,))
    visit = desk.reception.check_in(person_id=pid, purpose=VisitPurpose.REUNION)
    clock.advance(hours=1)
    desk.reception.check_out(visit_id=visit.id)
    desk.people.create_person(first_name="Noël", last_name="Ménard")
    return pid


@pytest.fixture
def tab(qtbot, desk, helene):
    from maison_app.ui.tasks import TaskRunner

    tasks = TaskRunner()
    widget = privacy_view.PrivacyTab(desk, tasks)
    qtbot.addWidget(widget)
    widget.resize(900, 520)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    tasks.wait()


def search(qtbot, tab, text: str) -> list[str]:
    field = find(tab, "Rechercher une personne", QLineEdit)
    field.clear()
    with qtbot.waitSignal(tab.results_shown, timeout=5000):
        type_text(field, text)
    qtbot.waitUntil(lambda: tab.tasks.idle)
    model = find(tab, "Personnes", QTableView).model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def message(tab) -> str:
    label = find(tab, "Message de la protection des données", QLabel)
    return label.text() if label.isVisible() else ""


def click(qtbot, tab, name: str) -> None:
    button = find(tab, name, QPushButton)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_buttons_wait_for_a_person(qtbot, tab):
    for name in ("Exporter les données…", "Aperçu PDF", "Anonymiser…"):
        assert not find(tab, name, QPushButton).isEnabled()
    assert search(qtbot, tab, "helene lefevre") == ["Hélène Lefèvre"]
    assert tab.selected_person().name == "Hélène Lefèvre"  # the only match is chosen
    for name in ("Exporter les données…", "Aperçu PDF", "Anonymiser…"):
        assert find(tab, name, QPushButton).isEnabled()


def test_export_writes_the_json_and_the_pdf(qtbot, tab, helene, tmp_path, monkeypatch,
                                            no_modal):
    monkeypatch.setattr(privacy_view, "ask_folder", lambda parent: str(tmp_path))
    assert search(qtbot, tab, "lefevre") == ["Hélène Lefèvre"]
    click(qtbot, tab, "Exporter les données…")
    json_file = tmp_path / f"donnees-personnelles-{helene}.json"
    pdf_file = tmp_path / f"donnees-personnelles-{helene}.pdf"
    data = json.loads(json_file.read_text(encoding="utf-8"))
    assert data["person_name"] == "Hélène Lefèvre"
    assert {"people", "reception", "memberships", "desks"} <= {s["area"] for s in data["sections"]}
    assert "Hélène" in json_file.read_text(encoding="utf-8")  # not \u00e9 escapes
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_file.read_bytes())).pages)
    assert "Hélène Lefèvre" in text and "Passages à l'accueil" in text and "Réunion" in text
    said = message(tab)
    assert json_file.name in said and pdf_file.name in said
    assert no_modal == []


def test_export_cancelled_writes_nothing(qtbot, tab, tmp_path, monkeypatch):
    monkeypatch.setattr(privacy_view, "ask_folder", lambda parent: "")
    search(qtbot, tab, "lefevre")
    click(qtbot, tab, "Exporter les données…")
    assert list(tmp_path.glob("donnees-personnelles-*")) == []
    assert message(tab) == ""


def test_preview_shows_the_pdf(qtbot, tab, monkeypatch):
    from maison_app.ui import pdf_preview

    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec",
                        lambda self: shown.append((self.title, self.page_count)) or 0)
    search(qtbot, tab, "lefevre")
    click(qtbot, tab, "Aperçu PDF")
    # one section per area of the app, empty ones included: two pages today
    assert [title for title, _ in shown] == ["Données personnelles — Hélène Lefèvre"]
    assert shown[0][1] >= 1


def test_anonymise_after_confirmation(qtbot, tab, desk, no_modal):
    assert search(qtbot, tab, "lefevre") == ["Hélène Lefèvre"]
    no_modal.answers.append(True)
    click(qtbot, tab, "Anonymiser…")
    (question,) = no_modal.texts("confirm")
    assert "Hélène Lefèvre" in question and "ne peut pas être annulée" in question
    qtbot.waitUntil(lambda: tab.tasks.idle)
    said = message(tab)
    assert "Fiche anonymisée" in said and "1 passage conservé" in said
    assert find(tab, "Personnes", QTableView).model().rowCount() == 0
    assert desk.people.search(query="helene").hits == ()
    assert search(qtbot, tab, "menard") == ["Noël Ménard"]  # the others are still there


def test_anonymise_declined_changes_nothing(qtbot, tab, desk, no_modal):
    search(qtbot, tab, "lefevre")
    no_modal.answers.append(False)
    click(qtbot, tab, "Anonymiser…")
    assert len(no_modal.texts("confirm")) == 1
    assert message(tab) == ""
    assert [h.name for h in desk.people.search(query="lefevre").hits] == ["Hélène Lefèvre"]
    assert tab.selected_person().name == "Hélène Lefèvre"


def test_the_tab_is_in_the_administration_screen(qtbot, desk):
    from maison_app.domain.permissions import Area
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin import AdminScreen

    tasks = TaskRunner()
    screen = AdminScreen(desk, tasks)
    qtbot.addWidget(screen)
    assert isinstance(screen.pages[Area.PRIVACY], privacy_view.PrivacyTab)
    labels = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert labels[-1] == "Protection des données"
    qtbot.waitUntil(lambda: tasks.idle)
    tasks.wait()
