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
    assert names == [
        "accueil-nouveau-visiteur.png",
        "accueil.png",
        "adherent-adhesions.png",
        "adherent-fiche.png",
        "adherents.png",
        "administration-comptes.png",
        "administration-espace-fiche.png",
        "administration-espaces.png",
        "administration-journal.png",
        "administration-protection-des-donnees.png",
        "administration-sauvegardes.png",
        "ateliers-chiffres.png",
        "ateliers-emargement.png",
        "ateliers.png",
        "bureaux-postes-attribution.png",
        "bureaux-postes-etage-1.png",
        "bureaux-postes-historique.png",
        "bureaux-postes-modification.png",
        "bureaux-postes-rdc.png",
        "circuits-courts-commandes.png",
        "circuits-courts.png",
        "connexion.png",
        "hebergement-convention-brouillon.png",
        "hebergement-convention-pdf.png",
        "hebergement-convention-signee.png",
        "hebergement-conventions.png",
        "hebergement-courrier.png",
        "hebergement-projets.png",
        "liste-des-presents.png",
        "parametres-adhesions.png",
        "parametres-hebergement.png",
        "parametres-reservations.png",
        "parametres.png",
        "reservations-jour.png",
        "reservations-nouvelle.png",
        "reservations-semaine.png",
    ]
    assert all((out_dir / n).stat().st_size > 5_000 for n in names)


# --- import and export of members ------------------------------------------------------------


def _people_in(db_url) -> list[str]:
    from sqlalchemy import select

    from maison_app.db.models import Person
    from maison_app.services.context import Database

    db = Database.open(db_url)
    try:
        with db.reading() as s:
            return sorted(f"{p.first_name} {p.last_name}" for p in s.scalars(select(Person)))
    finally:
        db.dispose()


def test_import_members_with_errors_writes_nothing_and_reports_each_line(db_url, tmp_path,
                                                                         capsys):
    from tests.services.test_member_io import messy_csv

    path = messy_csv(tmp_path / "adhérents.csv")
    assert main(["import", "members", str(path), "--database", db_url]) == 1
    out, err = capsys.readouterr()
    assert "CSV, Windows-1252, séparateur « ; »" in out
    assert "NOM → Nom" in out and "Colonnes ignorées : Remarque interne" in out
    assert "6 lignes : 3 à créer, 0 à mettre à jour, 1 doublon ignoré, 2 en erreur." in out
    assert ("Ligne 4 (Jean Dupont) : « E-MAIL » : Cette adresse e-mail n'est pas valide"
            in err)
    assert "Ligne 5 (Zoé Martin) : « N° SIRET » : " in err
    assert "Ligne 5 (Zoé Martin) : « Date d'adhésion » : La date « 31/02/2026 »" in err
    assert "Rien n'a été importé : 2 lignes sont en erreur. Corrigez-les" in err
    assert _people_in(db_url) == []


def test_import_members_dry_run_then_for_real_then_again(db_url, tmp_path, capsys):
    from tests.services.test_member_io import MESSY_LINES, messy_csv

    path = messy_csv(tmp_path / "adhérents.csv",
                     lines=[MESSY_LINES[0], MESSY_LINES[5], MESSY_LINES[7]])
    assert main(["import", "members", str(path), "--dry-run", "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "Ligne 2 — À créer — Hélène Lefèvre : Nouvelle personne" in out
    assert "Essai (--dry-run) : rien n'a été écrit." in out
    assert _people_in(db_url) == []

    assert main(["import", "members", str(path), "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert ("Import de « adhérents.csv » terminé : 3 personnes créées, 1 structure créée, "
            "2 rattachements à une structure") in out
    assert _people_in(db_url) == ["Chloé Bernard", "Hélène Lefèvre", "Luc Garnier"]

    assert main(["import", "members", str(path), "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "3 lignes : 0 à créer, 0 à mettre à jour, 3 inchangées, 0 en erreur." in out
    assert "3 lignes déjà à jour" in out
    assert len(_people_in(db_url)) == 3


def test_import_members_refuses_a_file_that_is_not_a_table(db_url, tmp_path, capsys):
    png = tmp_path / "liste.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    assert main(["import", "members", str(png), "--database", db_url]) == 2
    err = capsys.readouterr().err
    assert "« liste.csv » n'est pas un tableau : c'est une image PNG." in err
    assert "Traceback" not in err
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    assert main(["import", "members", str(empty), "--database", db_url]) == 2
    assert "« vide.csv » est vide" in capsys.readouterr().err


def test_export_members_and_renewals_then_reimport_creates_nothing(db_url, tmp_path, capsys):
    from tests.services.test_member_io import messy_csv

    path = messy_csv(tmp_path / "a.csv", lines=[
        ("Lefèvre;Hélène;h@exemple.fr;;;79000;Niort;Élan Coopératif;73282932000074;Bénévoles;"
         "20;5;espèces;07/03/2026;"),
        "Œuvray;Zoé;z@exemple.fr;;;;;;;;;;;;"])
    assert main(["import", "members", str(path), "--database", db_url]) == 0
    capsys.readouterr()

    people_csv = tmp_path / "personnes.csv"
    assert main(["export", "members", str(people_csv), "--database", db_url]) == 0
    assert "2 lignes écrites dans" in capsys.readouterr().out
    data = people_csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "Œuvray".encode() in data

    orgs_xlsx = tmp_path / "structures.xlsx"
    assert main(["export", "members", str(orgs_xlsx), "--kind", "organisation",
                 "--database", db_url]) == 0
    assert "1 ligne écrite dans" in capsys.readouterr().out

    for exported in (people_csv, orgs_xlsx):
        assert main(["import", "members", str(exported), "--database", db_url]) == 0
        out = capsys.readouterr().out
        assert "0 à créer, 0 à mettre à jour" in out, out
    assert len(_people_in(db_url)) == 2

    renewals = tmp_path / "relances.csv"
    assert main(["export", "renewals", str(renewals), "--year", "2026",
                 "--database", db_url]) == 0
    assert "1 adhérent à relancer pour 2026" in capsys.readouterr().out
    assert "Hélène Lefèvre" in renewals.read_text(encoding="utf-8-sig")


def test_export_members_refuses_an_unknown_suffix(db_url, tmp_path, capsys):
    assert main(["export", "members", str(tmp_path / "liste.pdf"), "--database", db_url]) == 2
    assert ".csv ou .xlsx" in capsys.readouterr().err
