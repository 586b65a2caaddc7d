"""The import dialog: a messy file read through the task runner, the columns understood,
every line with its result (lines in error in red, with their reasons), « Importer N
lignes » only when something valid is there, a confirmation when lines are left out, the
result at the end."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QPushButton, QTableView
from sqlalchemy import func, select

from maison_app.db.models import Person
from maison_app.domain.enums import Role
from maison_app.domain.spreadsheet import RowAction
from maison_app.services.context import Actor
from tests.services.test_member_io import MESSY_LINES, messy_csv, write_csv
from tests.ui.conftest import find


def make_dialog(qtbot, services):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.members.import_dialog import ImportDialog

    tasks = TaskRunner()
    dialog = ImportDialog(services, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def load(qtbot, dialog, path) -> None:
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.load(path)
    qtbot.waitUntil(lambda: dialog.tasks.idle)


def table(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def people_count(services) -> int:
    with services.ctx.reading() as s:
        return s.scalar(select(func.count()).select_from(Person))


def test_a_messy_file_is_previewed_line_by_line(qtbot, services, tmp_path, no_modal):
    dialog = make_dialog(qtbot, services)
    import_button = find(dialog, "Importer", QPushButton)
    assert not import_button.isEnabled()
    assert import_button.toolTip() == "Choisissez d'abord un fichier."

    load(qtbot, dialog, messy_csv(tmp_path / "adhérents.csv"))
    assert "CSV, Windows-1252, séparateur « ; »" in find(dialog, "Fichier choisi", QLabel).text()
    counts = find(dialog, "Nombre de lignes", QLabel).text()
    assert counts == "6 lignes : 3 à créer, 0 à mettre à jour, 1 doublon ignoré, 2 en erreur"
    message = find(dialog, "Message de l'import", QLabel).text()
    assert "2 lignes sont en erreur (en rouge) : elles ne seront pas importées." in message
    assert "Colonnes ignorées : Remarque interne." in message

    mapping = table(find(dialog, "Colonnes reconnues", QTableView))
    assert mapping[0] == ["A · NOM", "Nom"]
    assert ["D · Tél.", "Téléphone"] in mapping
    assert mapping[-1] == ["O · Remarque interne", "(colonne ignorée)"]

    view = find(dialog, "Lignes du fichier", QTableView)
    rows = table(view)
    assert [r[:4] for r in rows] == [
        ["2", "À créer", "Personne", "Hélène Lefèvre"],
        ["4", "En erreur", "Personne", "Jean Dupont"],
        ["5", "En erreur", "Personne", "Zoé Martin"],
        ["6", "Doublon ignoré", "Personne", "Hélène Lefèvre"],
        ["7", "À créer", "Personne", "Chloé Bernard"],
        ["9", "À créer", "Personne", "Luc Garnier"],
    ]
    assert rows[1][5] == "jean.dupont@exemple"  # the refused value, as typed
    assert rows[1][6].startswith("« E-MAIL » : Cette adresse e-mail n'est pas valide")
    model = view.model()
    red = model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert red is not None and red.color().name() == "#fde7e9"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    # the first line in error is selected and explained in full
    detail = find(dialog, "Détail de la ligne", QLabel).text()
    assert detail.startswith("Ligne 4 — Jean Dupont — En erreur\n• « E-MAIL » : ")
    view.selectRow(2)
    detail = find(dialog, "Détail de la ligne", QLabel).text()
    assert "• « N° SIRET » : " in detail and "• « Date d'adhésion » : " in detail

    errors_only = find(dialog, "Seulement les lignes en erreur", QCheckBox)
    errors_only.setChecked(True)
    assert [r[0] for r in table(view)] == ["4", "5"]
    errors_only.setChecked(False)

    assert import_button.isEnabled()
    assert import_button.text() == "Importer 3 lignes"
    assert people_count(services) == 0


def test_importing_with_lines_in_error_asks_first(qtbot, services, tmp_path, no_modal):
    dialog = make_dialog(qtbot, services)
    load(qtbot, dialog, messy_csv(tmp_path / "adhérents.csv"))
    import_button = find(dialog, "Importer", QPushButton)

    no_modal.answers.append(False)  # « Annuler »
    assert dialog.import_rows() is False
    (question,) = no_modal.texts("confirm")
    assert question.startswith("2 lignes sont en erreur : elles ne seront pas importées.")
    assert "les 3 autres lignes" in question
    assert people_count(services) == 0

    no_modal.answers.append(True)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        import_button.click()
    qtbot.waitUntil(lambda: dialog.tasks.idle)
    assert people_count(services) == 3
    message = find(dialog, "Message de l'import", QLabel).text()
    assert message.startswith("Import de « adhérents.csv » terminé : 3 personnes créées, "
                              "1 structure créée")
    assert "Les 2 lignes en erreur n'ont pas été importées" in message
    assert not import_button.isEnabled()
    close = find(dialog, "Fermer", QPushButton)
    assert close.text() == "Fermer"
    close.click()
    assert dialog.result() == QDialog.DialogCode.Accepted  # the list refreshes


def test_a_clean_file_imports_without_a_question_and_twice_changes_nothing(
        qtbot, services, tmp_path, no_modal):
    path = messy_csv(tmp_path / "propre.csv", lines=[MESSY_LINES[0], MESSY_LINES[7]])
    dialog = make_dialog(qtbot, services)
    load(qtbot, dialog, path)
    assert "Toutes les lignes sont valides" in dialog.message()
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        find(dialog, "Importer", QPushButton).click()
    assert no_modal.texts("confirm") == []
    assert people_count(services) == 2

    load(qtbot, dialog, path)  # the same file again
    assert "Rien à importer : toutes les lignes sont déjà dans la base." in dialog.message()
    assert [r.action for r in dialog.rows()] == [RowAction.UNCHANGED, RowAction.UNCHANGED]
    button = find(dialog, "Importer", QPushButton)
    assert not button.isEnabled()
    assert button.toolTip() == "Aucune ligne à importer : elles sont en erreur ou déjà à jour."
    assert people_count(services) == 2


def test_a_file_that_is_not_a_table_is_refused_in_the_dialog(qtbot, services, tmp_path,
                                                             no_modal):
    png = tmp_path / "liste.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    dialog = make_dialog(qtbot, services)
    load(qtbot, dialog, png)
    assert dialog.message().startswith("« liste.csv » n'est pas un tableau : c'est une image PNG.")
    assert "Choisissez un autre fichier" in dialog.message()
    assert not find(dialog, "Importer", QPushButton).isEnabled()
    assert find(dialog, "Choisir un fichier", QPushButton).isEnabled()
    assert table(find(dialog, "Lignes du fichier", QTableView)) == []
    assert no_modal == []  # said in the dialog, no box


def test_choosing_the_file_and_dropping_it(qtbot, services, tmp_path, no_modal, monkeypatch):
    from maison_app.views.members import import_dialog

    path = write_csv(tmp_path / "a.csv", [["Nom", "Prénom"], ["Lefèvre", "Hélène"]])
    monkeypatch.setattr(import_dialog, "_ask_import_path", lambda parent: str(path))
    dialog = make_dialog(qtbot, services)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        find(dialog, "Choisir un fichier", QPushButton).click()
    qtbot.waitUntil(lambda: dialog.tasks.idle)
    assert [r.name for r in dialog.rows()] == ["Hélène Lefèvre"]

    other = write_csv(tmp_path / "b.csv", [["Structure"], ["Élan Coopératif"]])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.dropEvent(drop)
    qtbot.waitUntil(lambda: dialog.tasks.idle)
    assert [r.name for r in dialog.rows()] == ["Élan Coopératif"]

    monkeypatch.setattr(import_dialog, "_ask_import_path", lambda parent: "")
    find(dialog, "Choisir un fichier", QPushButton).click()  # cancelled: nothing changes
    assert [r.name for r in dialog.rows()] == ["Élan Coopératif"]


def test_reception_cannot_import(qtbot, services, no_modal):
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    dialog = make_dialog(qtbot, desk)
    assert "Votre rôle ne permet pas d'importer" in dialog.message()
    assert not find(dialog, "Choisir un fichier", QPushButton).isEnabled()
    assert not find(dialog, "Importer", QPushButton).isEnabled()


def test_render_the_dialog_with_a_messy_file(qtbot, services, tmp_path, no_modal):
    dialog = make_dialog(qtbot, services)
    load(qtbot, dialog, messy_csv(tmp_path / "adhérents.csv"))
    image = dialog.grab()
    assert image.width() >= 1000
    assert image.save(str(tmp_path / "import.png"))
