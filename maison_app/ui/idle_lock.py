"""The idle lock: after some minutes without a key press or a click, `idle` is emitted and
the main window locks the session until the same user types the password again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

DEFAULT_IDLE_MINUTES = 10
_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, app: QObject, minutes: float = DEFAULT_IDLE_MINUTES,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.idle.emit)
        self._app = app
        self._paused = False
        app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self._paused and event.type() in _ACTIVITY:
            self.timer.start()  # restart the countdown
        return False

    def pause(self) -> None:
        """While the lock dialog is up, activity in it does not count."""
        self._paused = True
        self.timer.stop()

    def resume(self) -> None:
        self._paused = False
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._app.removeEventFilter(self)
