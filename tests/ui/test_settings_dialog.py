"""The settings dialog: identity through the service, local configuration to JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QPushButton, QWidget

from maison_app.domain.records import MaisonIdentity
from maison_app.domain.validation import siret_is_valid
from maison_app.services.local_config import LocalConfig, config_path
from maison_app.ui import messages
from maison_app.ui import settings_dialog as module
from maison_app.services.local_config import check_database_url
from maison_app.ui.settings_dialog import SettingsDialog

VALID_SIRET = "73282932000074"
BAD_SIRET = "73282932000075"


@pytest.fixture(autouse=True)
def local_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("MAISON_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MAISON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MAISON_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture
def popups(monkeypatch):
    """Messages the dialog would have shown (modal boxes never open in tests)."""
    seen: list[tuple[str, str]] = []
    for kind in ("info", "warn"):
        monkeypatch.setattr(messages, kind, lambda parent, text, title=None, kind=kind:
                            seen.append((kind, text)))
    return seen


@pytest.fixture
def dialog(qtbot, services, popups):
    d = SettingsDialog(services.settings, LocalConfig.load())
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def find(parent: QWidget, kind: type, name: str):
    matches = [w for w in parent.findChildren(kind) if w.accessibleName() == name]
    assert len(matches) == 1, f"{kind.__name__} « {name} » : {len(matches)} trouvé(s)"
    return matches[0]


def type_text(widget: QLineEdit, text: str) -> None:
    """Type like a user, one character at a time (keyClicks aborts on non-ASCII)."""
    widget.setFocus()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def press_save(qtbot, d: SettingsDialog) -> None:
    qtbot.mouseClick(find(d, QPushButton, "Enregistrer"), Qt.MouseButton.LeftButton)


def test_siret_constants_are_what_the_tests_say():
    assert siret_is_valid(VALID_SIRET)
    assert not siret_is_valid(BAD_SIRET)


def test_every_input_has_its_french_label_as_accessible_name(dialog):
    for label in ("Nom de la maison", "Structure gestionnaire", "Adresse", "Code postal",
                  "Ville", "SIRET", "Téléphone", "Adresse e-mail",
                  "Adresse de la base de données"):
        find(dialog, QLineEdit, label)
    find(dialog, QComboBox, "Langue")
    for button in ("Choisir le logo", "Retirer le logo",
                   "Parcourir pour choisir un fichier SQLite", "Enregistrer", "Annuler"):
        find(dialog, QPushButton, button)
    for widget in dialog.findChildren(QLineEdit) + dialog.findChildren(QComboBox):
        assert widget.accessibleName(), widget


def test_typed_identity_is_saved_through_the_service(qtbot, dialog, services, popups):
    values = {
        "Nom de la maison": "Maison de l'ESS — Niort",
        "Structure gestionnaire": "Pôle Territorial de Coopération Économique Niortais",
        "Adresse": "12 rue de l'Économie sociale",
        "Code postal": "79000",
        "Ville": "Niort",
        "SIRET": VALID_SIRET,
        "Téléphone": "05 49 00 00 00",
        "Adresse e-mail": "accueil@maison-ess-niort.fr",
    }
    for label, value in values.items():
        type_text(find(dialog, QLineEdit, label), value)
    press_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = services.settings.identity()
    assert saved.name == "Maison de l'ESS — Niort"
    assert saved.organisation == "Pôle Territorial de Coopération Économique Niortais"
    assert saved.address == "12 rue de l'Économie sociale"
    assert saved.siret == VALID_SIRET
    assert saved.email == "accueil@maison-ess-niort.fr"
    assert saved.phone == "05 49 00 00 00"
    assert dialog.saved_identity == saved
    # Nothing changed on this computer: no "next start" message, but the file is written.
    assert popups == []
    assert dialog.saved_config == LocalConfig()
    assert LocalConfig.load() == LocalConfig()
    assert config_path().exists()


def test_bad_siret_is_shown_under_the_field_and_nothing_is_saved(qtbot, dialog, services):
    type_text(find(dialog, QLineEdit, "Nom de la maison"), "Maison Coopérative")
    siret = find(dialog, QLineEdit, "SIRET")
    type_text(siret, BAD_SIRET)
    find(dialog, QComboBox, "Langue").setCurrentIndex(1)
    press_save(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    message = "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez les chiffres."
    assert dialog.errors.message("siret") == message
    error_label = siret.parentWidget().error  # FieldWithError: the label right under it
    assert error_label.isVisible() and error_label.text() == message
    assert error_label.geometry().top() >= siret.geometry().bottom()
    assert siret.text() == BAD_SIRET
    assert find(dialog, QLineEdit, "Nom de la maison").text() == "Maison Coopérative"
    assert dialog.tabs.currentWidget() is dialog.house_tab
    assert services.settings.identity() == MaisonIdentity()
    assert not config_path().exists()
    assert dialog.saved_config is None

    # Corrected, it saves.
    type_text(siret, VALID_SIRET)
    press_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.errors.message("siret") == ""
    assert services.settings.identity().name == "Maison Coopérative"


def test_empty_name_is_refused(qtbot, dialog, services):
    find(dialog, QLineEdit, "Nom de la maison").clear()
    press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors.message("name") == "Le nom de la maison est obligatoire."
    assert services.settings.identity() == MaisonIdentity()


def test_database_and_language_are_saved_and_take_effect_at_next_start(
        qtbot, dialog, popups, local_dirs):
    target = local_dirs / "partage" / "maison.db"
    type_text(find(dialog, QLineEdit, "Adresse de la base de données"), str(target))
    langue = find(dialog, QComboBox, "Langue")
    langue.setCurrentIndex(langue.findData("en"))
    press_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    expected = LocalConfig(database_url="sqlite:///" + target.resolve().as_posix(), language="en")
    assert dialog.saved_config == expected
    assert LocalConfig.load() == expected
    assert len(popups) == 1 and popups[0][0] == "info"
    assert "prochain démarrage" in popups[0][1]


def test_postgresql_address_is_normalised(qtbot, dialog):
    type_text(find(dialog, QLineEdit, "Adresse de la base de données"),
              "postgresql://accueil@serveur.local/maison")
    press_save(qtbot, dialog)
    assert dialog.saved_config.database_url == "postgresql+psycopg://accueil@serveur.local/maison"


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgresql://serveur", "sqlite://"])
def test_malformed_database_address_is_shown_next_to_the_field(qtbot, dialog, services, url):
    find(dialog, QLineEdit, "Nom de la maison").setText("Ne pas enregistrer")
    field = find(dialog, QLineEdit, "Adresse de la base de données")
    field.setText(url)
    dialog.tabs.setCurrentIndex(0)
    press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors.message("database_url")
    assert dialog.tabs.currentWidget() is dialog.desk_tab
    assert field.text() == url
    assert services.settings.identity() == MaisonIdentity()
    assert not config_path().exists()


def test_check_database_url():
    assert check_database_url("  ") == ""
    assert check_database_url("postgres://u@h:5433/b") == "postgresql+psycopg://u@h:5433/b"
    assert check_database_url("/tmp/x.db").startswith("sqlite:///")


def test_cancel_changes_nothing(qtbot, dialog, services):
    find(dialog, QLineEdit, "Nom de la maison").setText("Autre nom")
    find(dialog, QLineEdit, "Adresse de la base de données").setText("/tmp/ailleurs.db")
    qtbot.mouseClick(find(dialog, QPushButton, "Annuler"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.saved_config is None
    assert services.settings.identity() == MaisonIdentity()
    assert not config_path().exists()


def _png(path: Path, color: str = "#2e7d32") -> Path:
    image = QImage(240, 120, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path), "PNG")
    return path


def test_logo_is_chosen_previewed_saved_and_removed(qtbot, dialog, services, monkeypatch,
                                                    tmp_path):
    logo = _png(tmp_path / "logo.png")
    monkeypatch.setattr(module, "_ask_logo_file", lambda parent: str(logo))
    qtbot.mouseClick(find(dialog, QPushButton, "Choisir le logo"), Qt.MouseButton.LeftButton)
    assert not dialog.logo_preview.pixmap().isNull()
    assert find(dialog, QPushButton, "Retirer le logo").isEnabled()
    press_save(qtbot, dialog)
    assert services.settings.identity().logo == logo.read_bytes()

    again = SettingsDialog(services.settings, LocalConfig.load())
    qtbot.addWidget(again)
    assert not again.logo_preview.pixmap().isNull()
    qtbot.mouseClick(find(again, QPushButton, "Retirer le logo"), Qt.MouseButton.LeftButton)
    assert again.logo_preview.text() == "Aucun logo"
    again.accept()
    assert services.settings.identity().logo is None


def test_a_file_that_is_not_an_image_is_refused_under_the_logo(qtbot, dialog, monkeypatch,
                                                               tmp_path):
    text_file = tmp_path / "notes.png"
    text_file.write_text("pas une image", encoding="utf-8")
    monkeypatch.setattr(module, "_ask_logo_file", lambda parent: str(text_file))
    qtbot.mouseClick(find(dialog, QPushButton, "Choisir le logo"), Qt.MouseButton.LeftButton)
    assert dialog.errors.message("logo") == "Choisissez une image PNG ou JPEG."
    assert dialog.logo_preview.text() == "Aucun logo"


def test_browse_puts_the_chosen_file_in_the_field(qtbot, dialog, monkeypatch, tmp_path):
    chosen = tmp_path / "base.db"
    monkeypatch.setattr(module, "_ask_database_file", lambda parent, start: str(chosen))
    qtbot.mouseClick(find(dialog, QPushButton, "Parcourir pour choisir un fichier SQLite"),
                     Qt.MouseButton.LeftButton)
    assert find(dialog, QLineEdit, "Adresse de la base de données").text() == str(chosen)


def test_current_database_is_described(dialog, services):
    assert dialog.database_current.text() == services.database_description


def test_an_environment_override_is_pointed_out(qtbot, services, monkeypatch, popups):
    monkeypatch.setenv("MAISON_DATABASE_URL", "postgresql+psycopg://a@b/c")
    d = SettingsDialog(services.settings, LocalConfig.load())
    qtbot.addWidget(d)
    from PySide6.QtWidgets import QLabel

    warning = find(d, QLabel, "Avertissement sur la base de données")
    assert "MAISON_DATABASE_URL" in warning.text()


def test_only_the_administration_edits_the_house_identity(qtbot, services, monkeypatch, tmp_path):
    from maison_app.domain.enums import Role
    from maison_app.services.context import Actor

    monkeypatch.setenv("MAISON_CONFIG_DIR", str(tmp_path))
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    dialog = SettingsDialog(desk.settings, LocalConfig())
    qtbot.addWidget(dialog)
    assert not find(dialog, QLineEdit, "Nom de la maison").isEnabled()
    language = find(dialog, QComboBox, "Langue")
    language.setCurrentIndex(language.findData("en"))
    dialog.accept()  # the desk's own settings are saved; the identity is left alone
    assert dialog.saved_config.language == "en"


def test_rules_idle_lock_and_visit_retention(qtbot, services, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QSpinBox

    monkeypatch.setenv("MAISON_CONFIG_DIR", str(tmp_path))
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    monkeypatch.delenv("MAISON_BACKUP_KEEP", raising=False)
    dialog = SettingsDialog(services.settings, LocalConfig(), retention=services.retention,
                            backups=services.backups)
    qtbot.addWidget(dialog)
    idle = find(dialog, QSpinBox, "Verrouillage automatique après")
    keep = find(dialog, QSpinBox, "Sauvegardes automatiques gardées")
    if services.backups.supported:
        assert keep.value() == 14
        keep.setValue(30)
    days = find(dialog, QSpinBox, "Conservation des passages")
    assert (idle.value(), days.value()) == (10, 92)
    contacts = find(dialog, QSpinBox, "Conservation des contacts inactifs")
    idle.setValue(5)
    days.setValue(31)
    contacts.setValue(4)
    dialog.accept()
    assert services.settings.idle_minutes() == 5
    assert services.retention.visits_days() == 31
    assert services.retention.contacts_years() == 4
    if services.backups.supported:
        assert services.backups.keep_count() == 30
