"""The real start: `maison-app` on a demo database asks who is there, refuses a wrong
password, then opens the reception for the receptionist (its own process: a second
QApplication.exec() in the test process would upset pytest-qt)."""

import os
import subprocess
import sys
from pathlib import Path

from maison_app.app import main as app_main

HERE = Path(__file__).parent


def test_a_receptionist_logs_in_on_the_demo_database(db_url, tmp_path):
    assert app_main(["demo", "--people", "30", "--database", db_url]) == 0
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(HERE.parent.parent),
               MAISON_DATA_DIR=str(tmp_path / "data"), MAISON_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("MAISON_EXIT_WHEN_READY", None)
    done = subprocess.run(
        [sys.executable, str(HERE / "drive_login.py"), "accueil", "accueil-demo",
         "--database", db_url],
        env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "refused: Identifiant ou mot de passe incorrect." in done.stdout
    line = next(l for l in done.stdout.splitlines() if l.startswith("logged-in"))
    assert line.startswith("logged-in accueil accueil ReceptionScreen")
    assert "Utilisateur : Lina Accueil (Accueil)" in line
