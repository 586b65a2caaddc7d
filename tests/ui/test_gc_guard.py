import gc

from maison_app.ui.gc_guard import GuiThreadGarbageCollector


def test_collects_on_the_timer_and_restores_automatic_collection(qtbot):
    was_enabled = gc.isenabled()
    collector = GuiThreadGarbageCollector(interval_ms=10)
    try:
        assert not gc.isenabled()

        class Node:
            pass

        for _ in range(gc.get_threshold()[0] + 10):  # garbage cycles past the threshold
            a, b = Node(), Node()
            a.b, b.a = b, a
        assert gc.get_count()[0] > gc.get_threshold()[0]
        assert collector.check() > 0
    finally:
        collector.stop()
        if not was_enabled:
            gc.disable()
    assert was_enabled or not gc.isenabled()
