"""Python's garbage collector runs only on the GUI thread.

The collector runs in whichever thread happens to allocate when a threshold is crossed. If
that is a worker thread of the task runner and the garbage holds Qt widgets (a closed
dialog and the lambdas connected to it form a cycle), Qt objects get destroyed outside the
GUI thread and the program crashes. As qutebrowser does, automatic collection is turned
off and a timer on the GUI thread collects instead, generation by generation, when the
usual thresholds are crossed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> int:
        """Collect the generations whose thresholds are crossed; returns objects found."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        found = 0
        if counts[0] > thresholds[0]:
            generation = 0
            if counts[1] > thresholds[1]:
                generation = 1
                if counts[2] > thresholds[2]:
                    generation = 2
            found = gc.collect(generation)
        return found

    def stop(self) -> None:
        """Back to how the collector was before."""
        self.timer.stop()
        if self._was_enabled:
            gc.enable()
