"""The crash path: a rotating log file, the global exception hooks and the crash dialog.

A `MaisonError` is shown by `ui.messages`; anything else reaching the event loop is a bug.
It is written to the log with its traceback, and the user sees a dialog saying that saved
data is safe, where the log file is, and offering to continue or to quit.

Wiring (composition root)::

    log_path = setup_logging(local_config.log_dir())
    install_qt_message_handler()
    install_excepthook(log_path)          # once the QApplication exists

Tests replace `_show_dialog` (which runs the dialog modally) to look at the dialog
without blocking.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
    QThread,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.i18n import _

log = logging.getLogger(__name__)

LOG_FILE_NAME = "maison.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s [%(threadName)s] %(message)s"

_HANDLER_MARK = "_maison_handler"  # attribute set on the handlers we own

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


# --- logging --------------------------------------------------------------------------------


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to `log_dir/maison.log` (1 Mo x 5 files, UTF-8) and warnings to stderr.

    Idempotent: a second call replaces our handlers instead of adding more. Returns the
    path of the log file."""
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(LOG_FORMAT)

    from logging.handlers import RotatingFileHandler

    file_handler = RotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8"
    )
    file_handler.setLevel(level)
    file_handler.setFormatter(formatter)
    setattr(file_handler, _HANDLER_MARK, True)

    root.addHandler(file_handler)
    if sys.stderr is not None:  # None in a windowed (PyInstaller, pythonw) build
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(formatter)
        setattr(console, _HANDLER_MARK, True)
        root.addHandler(console)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    _state.log_path = path
    return path


def teardown_logging() -> None:
    """Remove and close the handlers `setup_logging` added (tests, shutdown)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
            handler.close()


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

_qt_log = logging.getLogger("qt")


def _qt_message_handler(msg_type, context, message: str) -> None:
    level = _QT_LEVELS.get(msg_type, logging.WARNING)
    category = getattr(context, "category", None) or "default"
    where = ""
    if getattr(context, "file", None):
        where = f" ({context.file}:{context.line})"
    _qt_log.log(level, "[%s] %s%s", category, message, where)


def install_qt_message_handler():
    """Send Qt's own messages (qWarning, qCritical…) to the log. Returns the previous
    handler, for whoever wants to put it back."""
    return qInstallMessageHandler(_qt_message_handler)


# --- the exception hooks --------------------------------------------------------------------


class _State:
    log_path: Path | None = None
    reporting: bool = False  # a crash dialog is being shown: do not open another
    relay: _GuiRelay | None = None


class _GuiRelay(QObject):
    """Lives in the GUI thread: an exception from another thread is emitted here and the
    dialog opens in the GUI thread (queued connection)."""

    raised = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self._report)

    @Slot(object)
    def _report(self, exc_info: ExcInfo) -> None:
        _show_safely(*exc_info)


_state = _State()


def _in_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def _show_safely(exc_type, exc, tb) -> None:
    """Show the dialog (already logged); if that fails too, log it and fall back to
    stderr, never recurse."""
    try:
        _show(exc_type, exc, tb, None)
    except BaseException:  # noqa: BLE001 - the last line of defence
        try:
            log.critical("le dialogue d'erreur a lui-même échoué", exc_info=True)
        finally:
            if sys.stderr is not None:
                sys.__excepthook__(exc_type, exc, tb)


def _dispatch(exc_type, exc, tb) -> None:
    """Log, then show the dialog in the GUI thread (directly or through the relay)."""
    _log_exception(exc_type, exc, tb)
    _show_safely(exc_type, exc, tb)


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        if sys.stderr is not None:
            sys.__excepthook__(exc_type, exc, tb)
        app = QCoreApplication.instance()
        if app is not None:
            app.exit(130)
        return
    _dispatch(exc_type, exc, tb)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    _dispatch(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthook(log_path: Path | None = None) -> Callable[[], None]:
    """Route uncaught exceptions (GUI thread, Python threads, Qt worker threads) to the log
    and the crash dialog. Call it once the QApplication exists. Returns a function that puts
    the previous hooks back."""
    if log_path is not None:
        _state.log_path = Path(log_path)
    previous_sys, previous_threading = sys.excepthook, threading.excepthook
    previous_relay = _state.relay
    if QCoreApplication.instance() is not None and _in_gui_thread():
        _state.relay = _GuiRelay()
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook

    def uninstall() -> None:
        sys.excepthook = previous_sys
        threading.excepthook = previous_threading
        if _state.relay is not previous_relay and _state.relay is not None:
            _state.relay.deleteLater()
        _state.relay = previous_relay

    return uninstall


# --- the dialog -----------------------------------------------------------------------------


def format_details(exc_type, exc, tb) -> str:
    return "".join(traceback.format_exception(exc_type, exc, tb)).rstrip()


class CrashDialog(QDialog):
    """Says that something went wrong, that saved data is safe, and where the log is."""

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        self.log_path = log_path
        self.quit_requested = False
        title = _("Erreur inattendue")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)

        icon = QLabel()
        from PySide6.QtWidgets import QStyle  # its enums cost ~15 ms: not before the first paint

        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
                       .pixmap(48, 48))
        icon.setAccessibleName(_("Erreur"))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.message = QLabel(
            _("Une erreur inattendue s'est produite. Vos données enregistrées ne sont pas "
              "perdues. Vous pouvez continuer à travailler ; si l'erreur se répète, quittez "
              "l'application et transmettez le fichier journal ci-dessous à la personne qui "
              "s'occupe de l'informatique.")
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Message d'erreur"))

        where = str(log_path) if log_path else _("(aucun fichier journal)")
        self.log_label = QLabel(_("Fichier journal : {path}").format(path=where))
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setAccessibleName(_("Fichier journal"))

        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setAccessibleName(_("Détail de l'erreur"))
        self.details_view.setMinimumHeight(180)
        self.details_view.setVisible(False)

        self.toggle_button = QPushButton(_("Afficher le détail"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.setAccessibleName(_("Afficher le détail"))
        self.toggle_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(_("Copier le détail"))
        self.copy_button.setAccessibleName(_("Copier le détail"))
        self.copy_button.clicked.connect(self.copy_details)
        self.continue_button = QPushButton(_("Continuer"))
        self.continue_button.setAccessibleName(_("Continuer"))
        self.continue_button.setDefault(True)
        self.continue_button.setAutoDefault(True)
        self.continue_button.clicked.connect(self.accept)
        self.quit_button = QPushButton(_("Quitter l'application"))
        self.quit_button.setAccessibleName(_("Quitter l'application"))
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self._quit)

        top = QHBoxLayout()
        top.addWidget(icon, 0)
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.log_label)
        top.addLayout(text, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.continue_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addLayout(buttons)
        self.continue_button.setFocus()

    def copy_details(self) -> None:
        text = self.details
        if self.log_path:
            text += "\n\n" + _("Fichier journal : {path}").format(path=self.log_path)
        QGuiApplication.clipboard().setText(text)

    def _toggle_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.toggle_button.setText(_("Masquer le détail") if shown else _("Afficher le détail"))
        self.toggle_button.setAccessibleName(self.toggle_button.text())
        self.adjustSize()

    def _quit(self) -> None:
        self.quit_requested = True
        self.reject()


def _show_dialog(dialog: CrashDialog) -> None:
    """Run the dialog (modal). Tests replace this to inspect it without blocking."""
    dialog.exec()


def _quit_application() -> None:
    app = QCoreApplication.instance()
    if app is not None:
        app.exit(1)


def _log_exception(exc_type, exc, tb) -> None:
    log.error("exception non rattrapée", exc_info=(exc_type, exc, tb))


def report_exception(exc_type, exc, tb, parent: QWidget | None = None) -> CrashDialog | None:
    """Log an unexpected exception and show the crash dialog. Returns the dialog; None when
    it cannot be shown here and now (no QApplication, a crash dialog already open, or called
    from another thread: the dialog then opens later in the GUI thread)."""
    _log_exception(exc_type, exc, tb)
    return _show(exc_type, exc, tb, parent)


def _show(exc_type, exc, tb, parent: QWidget | None) -> CrashDialog | None:
    if not isinstance(QCoreApplication.instance(), QApplication):
        return None
    if not _in_gui_thread():
        if _state.relay is not None:
            _state.relay.raised.emit((exc_type, exc, tb))
        return None
    if _state.reporting:  # an error while the crash dialog is open: the log has it
        return None
    _state.reporting = True
    try:
        if parent is None:
            parent = QApplication.activeWindow()
        dialog = CrashDialog(format_details(exc_type, exc, tb), _state.log_path, parent)
        _show_dialog(dialog)
        if dialog.quit_requested:
            log.info("l'utilisateur quitte l'application après une erreur")
            _quit_application()
        return dialog
    finally:
        _state.reporting = False
