"""Running many independent jobs, in order, on one process or a pool of worker processes.

Every job carries its own seed, so the results are the same whatever the number of workers;
they come back in the order the jobs were given. Workers are started with "spawn" (fresh
interpreters): forking a process that runs threads (progress bars, plotting) can deadlock.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from tqdm import tqdm


def run_jobs[T](
    fn: Callable[..., T],
    jobs: Sequence[tuple[Any, ...]],
    workers: int = 1,
    progress: bool = False,
    desc: str = "runs",
    pool: ProcessPoolExecutor | None = None,
) -> list[T]:
    """``[fn(*job) for job in jobs]``, on ``workers`` processes (or the given ``pool``).

    ``fn`` and the jobs must be picklable when more than one worker is used.
    """
    bar = tqdm(total=len(jobs), desc=desc, unit="run", leave=False, disable=not progress)
    try:
        if pool is None and (workers <= 1 or len(jobs) <= 1):
            out = []
            for job in jobs:
                out.append(fn(*job))
                bar.update()
            return out
        if pool is not None:
            return _map(pool, fn, jobs, bar)
        with _pool(min(workers, len(jobs))) as own:
            return _map(own, fn, jobs, bar)
    finally:
        bar.close()


def _map[T](pool: ProcessPoolExecutor, fn: Callable[..., T], jobs, bar) -> list[T]:
    futures = [pool.submit(fn, *job) for job in jobs]
    out = []
    for future in futures:
        out.append(future.result())
        bar.update()
    return out


def make_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool to reuse across many small batches (None when one worker runs everything)."""
    return _pool(workers) if workers > 1 else None


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
