"""The one task runner for slow work (search over big tables, PDFs, imports, backups).

Work runs on a QThreadPool; its result or exception comes back to the GUI thread by a
queued signal, where the callbacks run. A task never touches a widget. With `key`, only
the latest task of that key delivers its result (search-as-you-type drops stale answers).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(int, bool, object)  # task id, ok, result or exception


class _Task(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.task_id = task_id
        self.fn = fn
        self.relay = relay

    def run(self) -> None:  # worker thread
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.relay.finished.emit(self.task_id, False, exc)
        else:
            self.relay.finished.emit(self.task_id, True, result)


class TaskRunner(QObject):
    """Runs callables off the GUI thread. `busy_changed(bool)` drives a busy indicator."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay()
        self._relay.finished.connect(self._finished)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable | None, Callable | None, str | None]] = {}
        self._latest: dict[str, int] = {}
        self.default_error_handler: Callable[[BaseException], None] | None = None

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @property
    def idle(self) -> bool:
        return not self._callbacks

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        key: str | None = None,
    ) -> int:
        task_id = next(self._ids)
        was_idle = self.idle
        self._callbacks[task_id] = (on_success, on_error, key)
        if key is not None:
            self._latest[key] = task_id
        self._pool.start(_Task(task_id, fn, self._relay))
        if was_idle:
            self.busy_changed.emit(True)
        return task_id

    @Slot(int, bool, object)
    def _finished(self, task_id: int, ok: bool, payload: object) -> None:
        on_success, on_error, key = self._callbacks.pop(task_id, (None, None, None))
        try:
            if key is not None and self._latest.get(key) != task_id:
                return  # a newer task of the same key superseded this one
            if key is not None:
                self._latest.pop(key, None)
            if ok:
                if on_success is not None:
                    on_success(payload)
            else:
                handler = on_error or self.default_error_handler
                if handler is None:
                    raise payload  # type: ignore[misc]
                handler(payload)  # type: ignore[arg-type]
        finally:
            if self.idle:
                self.busy_changed.emit(False)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is done (tests, shutdown). Callbacks run later, by events."""
        return self._pool.waitForDone(msecs)
