"""Run by tests/ui/test_start_and_login.py in its own process: starts `maison-app` on a
demo database and logs in through the real login dialog, as a receptionist would."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from maison_app.app import main

login, password = sys.argv[1], sys.argv[2]
app = QApplication(sys.argv[:1])
tries = {"login": 0}


def drive() -> None:
    for widget in QApplication.topLevelWidgets():
        kind = type(widget).__name__
        if kind == "LoginDialog" and widget.isVisible():
            if tries["login"] == 0:
                widget.login.setText(login)
                widget.password.setText("mauvais")  # a typo first
                widget.try_login()
                print("refused:", widget.errors.message("password"), flush=True)
            widget.password.setText(password)
            tries["login"] += 1
            widget.try_login()
        elif kind == "MainWindow" and getattr(widget, "user", None) is not None:
            screen = widget.stack.currentWidget()
            print("logged-in", widget.user.login, widget.user.role.value,
                  type(screen).__name__, widget.user_label.text(), flush=True)
            QTimer.singleShot(0, app.quit)
            return
    QTimer.singleShot(50, drive)


QTimer.singleShot(50, drive)
sys.exit(main(sys.argv[3:]))
