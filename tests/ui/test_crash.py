"""The crash path: log file, exception hooks, crash dialog, Qt messages to the log."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import Qt, qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from maison_app.ui import crash


@pytest.fixture
def log_path(tmp_path):
    root = logging.getLogger()
    level = root.level
    path = crash.setup_logging(tmp_path / "logs")
    yield path
    crash.teardown_logging()
    root.setLevel(level)
    crash._state.log_path = None


@pytest.fixture
def shown(monkeypatch):
    """The crash dialogs that would have been shown (without blocking the test)."""
    dialogs: list[crash.CrashDialog] = []
    monkeypatch.setattr(crash, "_show_dialog", dialogs.append)
    return dialogs


def _log_text(path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def _ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, crash._HANDLER_MARK, False)]


def _raise(exc: BaseException):
    try:
        raise exc
    except BaseException:  # noqa: BLE001
        return sys.exc_info()


def test_setup_logging_writes_utf8_and_is_idempotent(tmp_path, log_path):
    assert log_path == tmp_path / "logs" / "maison.log"
    again = crash.setup_logging(tmp_path / "logs")
    assert again == log_path
    assert len(_ours()) == 2  # one rotating file, one stderr: not four
    kinds = {type(h).__name__ for h in _ours()}
    assert kinds == {"RotatingFileHandler", "StreamHandler"}
    rotating = next(h for h in _ours() if type(h).__name__ == "RotatingFileHandler")
    assert rotating.maxBytes == crash.LOG_MAX_BYTES
    assert rotating.backupCount == crash.LOG_BACKUP_COUNT
    logging.getLogger("maison_app.test").info("Café à l'accueil : œuvre")
    assert "Café à l'accueil : œuvre" in _log_text(log_path)


def test_report_exception_logs_and_shows_dialog_with_log_path(qtbot, log_path, shown):
    exc_info = _raise(ValueError("boum à l'accueil"))
    dialog = crash.report_exception(*exc_info)
    qtbot.addWidget(dialog)

    text = _log_text(log_path)
    assert "exception non rattrapée" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: boum à l'accueil" in text

    assert shown == [dialog]
    assert dialog.accessibleName() == "Erreur inattendue"
    assert "Vos données enregistrées ne sont pas perdues" in dialog.message.text()
    assert str(log_path) in dialog.log_label.text()
    names = {b.accessibleName() for b in dialog.findChildren(QPushButton)}
    assert {"Copier le détail", "Continuer", "Quitter l'application",
            "Afficher le détail"} <= names

    dialog.show()
    assert not dialog.details_view.isVisible()
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    assert dialog.details_view.isVisible()
    assert "ValueError: boum à l'accueil" in dialog.details_view.toPlainText()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "ValueError: boum à l'accueil" in copied
    assert str(log_path) in copied


def test_exception_in_a_slot_goes_through_the_hook(qtbot, log_path, shown):
    button = QPushButton("Casser")
    qtbot.addWidget(button)

    def broken() -> None:
        raise RuntimeError("erreur dans un slot")

    button.clicked.connect(broken)
    uninstall = crash.install_excepthook(log_path)
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        uninstall()
    assert "RuntimeError: erreur dans un slot" in _log_text(log_path)
    assert len(shown) == 1
    qtbot.addWidget(shown[0])
    assert "RuntimeError: erreur dans un slot" in shown[0].details
    assert str(log_path) in shown[0].log_label.text()


def test_uninstall_puts_the_previous_hooks_back(log_path):
    before = (sys.excepthook, threading.excepthook)
    uninstall = crash.install_excepthook(log_path)
    assert sys.excepthook is crash._excepthook
    assert threading.excepthook is crash._thread_excepthook
    uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_exception_in_another_thread_opens_the_dialog_in_the_gui_thread(qtbot, log_path,
                                                                        monkeypatch):
    shown: list[crash.CrashDialog] = []
    seen_in: list[bool] = []

    def record(dialog):
        seen_in.append(crash._in_gui_thread())
        shown.append(dialog)

    monkeypatch.setattr(crash, "_show_dialog", record)
    uninstall = crash.install_excepthook(log_path)
    try:
        worker = threading.Thread(target=lambda: 1 / 0, name="travail-de-fond")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(shown) == 1)
    finally:
        uninstall()
    qtbot.addWidget(shown[0])
    assert seen_in == [True]
    text = _log_text(log_path)
    assert "ZeroDivisionError" in text
    assert "travail-de-fond" in text
    assert text.count("ZeroDivisionError: division by zero") == 1  # logged once


def test_quit_button_asks_the_application_to_quit(qtbot, log_path, monkeypatch):
    quits: list[bool] = []
    monkeypatch.setattr(crash, "_quit_application", lambda: quits.append(True))
    monkeypatch.setattr(crash, "_show_dialog", lambda d: d.quit_button.click())
    dialog = crash.report_exception(*_raise(KeyError("x")))
    qtbot.addWidget(dialog)
    assert dialog.quit_requested
    assert quits == [True]


def test_continue_does_not_quit(qtbot, log_path, monkeypatch):
    quits: list[bool] = []
    monkeypatch.setattr(crash, "_quit_application", lambda: quits.append(True))
    monkeypatch.setattr(crash, "_show_dialog", lambda d: d.continue_button.click())
    dialog = crash.report_exception(*_raise(KeyError("x")))
    qtbot.addWidget(dialog)
    assert not dialog.quit_requested
    assert quits == []


def test_a_failing_dialog_does_not_recurse(qtbot, log_path, monkeypatch, capsys):
    calls: list[int] = []

    def broken(dialog):
        qtbot.addWidget(dialog)
        calls.append(1)
        raise RuntimeError("le dialogue casse")

    monkeypatch.setattr(crash, "_show_dialog", broken)
    crash._excepthook(*_raise(ValueError("premier problème")))  # must not raise
    assert calls == [1]
    text = _log_text(log_path)
    assert "ValueError: premier problème" in text
    assert "le dialogue d'erreur a lui-même échoué" in text
    assert "RuntimeError: le dialogue casse" in text
    assert "ValueError: premier problème" in capsys.readouterr().err  # stderr fallback
    assert not crash._state.reporting


def test_an_error_while_the_dialog_is_open_is_logged_not_shown(qtbot, log_path, monkeypatch):
    inner: list[object] = []

    def show(dialog):
        qtbot.addWidget(dialog)
        inner.append(crash.report_exception(*_raise(OSError("pendant le dialogue"))))

    monkeypatch.setattr(crash, "_show_dialog", show)
    crash.report_exception(*_raise(ValueError("d'abord")))
    assert inner == [None]
    assert "OSError: pendant le dialogue" in _log_text(log_path)


def test_qt_warnings_go_to_the_log(log_path):
    previous = crash.install_qt_message_handler()
    try:
        qWarning("attention venue de Qt")
    finally:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(previous)
    text = _log_text(log_path)
    assert "WARNING" in text
    assert "attention venue de Qt" in text


def test_exception_in_a_qthreadpool_task_reaches_the_gui_thread(qtbot, log_path, monkeypatch):
    from PySide6.QtCore import QRunnable, QThreadPool

    shown: list[crash.CrashDialog] = []
    monkeypatch.setattr(crash, "_show_dialog", shown.append)

    class Broken(QRunnable):
        def run(self) -> None:
            raise LookupError("tâche de fond cassée")

    pool = QThreadPool()
    uninstall = crash.install_excepthook(log_path)
    try:
        pool.start(Broken())
        pool.waitForDone()
        qtbot.waitUntil(lambda: len(shown) == 1)
    finally:
        uninstall()
    qtbot.addWidget(shown[0])
    assert "LookupError: tâche de fond cassée" in shown[0].details
    assert _log_text(log_path).count("LookupError: tâche de fond cassée") == 1
