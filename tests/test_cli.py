"""The command line: demo data, screenshots, bad databases."""

from __future__ import annotations

import pytest

from maison_app.app import main


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("MAISON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MAISON_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MAISON_DATABASE_URL", raising=False)


def test_demo_fills_then_refuses_a_second_fill(db_url, capsys):
    assert main(["demo", "--people", "40", "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "Base de démonstration prête" in out
    assert "40 personnes" in out
    assert main(["demo", "--people", "40", "--database", db_url]) == 2
    assert "contient déjà des données" in capsys.readouterr().err


def test_demo_without_database_uses_its_own_file(tmp_path, capsys):
    assert main(["demo", "--people", "10"]) == 0
    assert (tmp_path / "data" / "demo.db").exists()
    assert not (tmp_path / "data" / "maison.db").exists()


def test_demo_on_a_database_that_cannot_be_opened(tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"pas une base" * 200)
    assert main(["demo", "--database", f"sqlite:///{bad}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Impossible d'ouvrir la base de données")
    assert "Traceback" not in err


def test_screenshots_of_every_screen(qtbot, db_url, tmp_path, capsys):
    assert main(["demo", "--people", "60", "--database", db_url]) == 0
    out_dir = tmp_path / "shots"
    assert main(["screenshots", str(out_dir), "--database", db_url]) == 0
    names = sorted(p.name for p in out_dir.glob("*.png"))
    assert names == ["accueil-nouveau-visiteur.png", "accueil.png",
                     "administration-comptes.png", "administration-journal.png",
                     "administration-protection-des-donnees.png",
                     "administration-sauvegardes.png", "connexion.png",
                     "liste-des-presents.png", "parametres.png"]
    assert all((out_dir / n).stat().st_size > 5_000 for n in names)
