"""Races between desks: each job runs in its own process (spawn: its own interpreter and
database connection), all released together by a barrier. The target is a module-level
function `target(db_url, job, barrier, results)` that puts one tuple on `results`, whose
first item is "error" when something unexpected happened."""

from __future__ import annotations

import multiprocessing


def race(target, db_url: str, jobs) -> list[tuple]:
    """Run `target` once per job at the same moment; the tuples they reported."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    processes = [ctx.Process(target=target, args=(db_url, job, barrier, results))
                 for job in jobs]
    for p in processes:
        p.start()
    try:
        outcomes = [results.get(timeout=120) for _ in processes]
    finally:
        for p in processes:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in processes)
    assert [o for o in outcomes if o[0] == "error"] == []
    return outcomes
