"""Running batches of runs, and the evaluators that run them (all ``concurrent.futures``).

A :class:`Task` is a batch of runs of one base scenario; :func:`run_batch` runs it and returns
one row per run (a run that raises becomes a row with ``status = "failed"`` and its error, and the
batch goes on). Each run's result depends only on its parameters and seed, so it is the same in
whichever process runs it: in this process, in a local process pool, or on a Dask cluster.

:func:`open_evaluator` gives an executor for each of these:

- one worker: :class:`SerialExecutor`, in this process (no pool, no pickling);
- ``workers > 1``: a :class:`~concurrent.futures.ProcessPoolExecutor` (forkserver, with
  ckm_sim preloaded; workers ignore Ctrl-C so the sweep can stop cleanly);
- ``scheduler``/``dask_local``: a Dask ``Client``'s executor with ``pure=False``, so that no two
  tasks are ever merged as "the same computation".
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError
from ckm_sim.model.outcomes import SUMMARY
from ckm_sim.model.runs import run_scenario
from ckm_sim.model.scenario import Scenario

#: Columns of the runs table besides the factors and the outcomes.
KEY_COLUMNS = ("run_id", "point", "replication", "seed")
STATUS_COLUMNS = ("status", "error", "duration", "worker")


@dataclass(frozen=True)
class RunSpec:
    """One run: its id, design point, replication, seed and parameter overrides."""

    run_id: int
    point: int
    replication: int
    seed: int
    params: dict[str, Any]


@dataclass(frozen=True)
class Task:
    """A batch of runs of one base scenario (``series`` None: no time series)."""

    base: Scenario
    runs: tuple[RunSpec, ...]
    series: tuple[str, ...] | None = None
    interval: int = 1


@dataclass
class BatchResult:
    """Rows of the runs table, and the kept time-series rows (or None)."""

    rows: list[dict[str, Any]]
    series: pd.DataFrame | None


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= 500 else text[:497] + "..."


def run_one(
    base: Scenario, run: RunSpec, series: tuple[str, ...] | None = None, interval: int = 1
) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Run one design point on one seed; never raises for a failing model."""
    start = time.perf_counter()
    row: dict[str, Any] = {
        "run_id": run.run_id,
        "point": run.point,
        "replication": run.replication,
        "seed": run.seed,
        **run.params,
    }
    frame = None
    try:
        scenario = base.with_overrides(**run.params)
        result = run_scenario(scenario, seed=run.seed, timeseries=series is not None)
        for key in SUMMARY:
            row[key] = float(result.summary[key])
        row["status"], row["error"] = "ok", ""
        if result.timeseries is not None and series is not None:
            ts = result.timeseries
            last = ts.index.max()
            keep = (ts.index % interval == 0) | (ts.index == last)
            frame = ts.loc[keep, list(series)].astype(np.float64).reset_index()
            frame.insert(0, "replication", run.replication)
            frame.insert(0, "point", run.point)
            frame.insert(0, "run_id", run.run_id)
    except Exception as exc:  # a failing run is recorded, the sweep goes on
        for key in SUMMARY:
            row[key] = math.nan
        row["status"], row["error"] = "failed", _error_text(exc)
    row["duration"] = time.perf_counter() - start
    row["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    return row, frame


def run_batch(task: Task) -> BatchResult:
    """Run every run of ``task`` in order."""
    rows, frames = [], []
    for run in task.runs:
        row, frame = run_one(task.base, run, task.series, task.interval)
        rows.append(row)
        if frame is not None:
            frames.append(frame)
    return BatchResult(rows, pd.concat(frames, ignore_index=True) if frames else None)


def failed_batch(task: Task, exc: BaseException) -> BatchResult:
    """Rows for a batch whose task itself failed (e.g. a Dask worker lost three times)."""
    rows = []
    for run in task.runs:
        row: dict[str, Any] = {
            "run_id": run.run_id,
            "point": run.point,
            "replication": run.replication,
            "seed": run.seed,
            **run.params,
        }
        row |= {key: math.nan for key in SUMMARY}
        row |= {"status": "failed", "error": _error_text(exc), "duration": math.nan, "worker": ""}
        rows.append(row)
    return BatchResult(rows, None)


class SerialExecutor(cf.Executor):
    """Runs each submitted call at once, in this process; returns a finished future."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        """Run ``fn(*args, **kwargs)`` now; its result (or exception) in a done Future."""
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


@dataclass
class Evaluator:
    """An executor, how many tasks it runs at once, and a label for the manifest."""

    executor: cf.Executor
    slots: int
    label: str


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _process_pool(workers: int) -> cf.ProcessPoolExecutor:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["ckm_sim.experiments.execute"])
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_ignore_sigint)


@contextmanager
def _dask(workers: int, scheduler: str | None) -> Iterator[Evaluator]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise CKMError("Dask is not installed: pip install 'ckm-sim[dask]'") from None
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster)
            label = f"dask LocalCluster ({workers} workers)"
        else:
            try:
                client = Client(scheduler, timeout=10)
            except (OSError, TimeoutError, ValueError) as exc:
                raise CKMError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            label = f"dask scheduler {scheduler}"
        try:
            slots = max(1, sum(client.nthreads().values()))
            yield Evaluator(client.get_executor(pure=False), slots, label)
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


@contextmanager
def open_evaluator(
    workers: int = 1, scheduler: str | None = None, dask_local: bool = False
) -> Iterator[Evaluator]:
    """The executor a sweep submits its tasks to; closed (workers stopped) on exit."""
    if scheduler is not None or dask_local:
        with _dask(workers, scheduler) as evaluator:
            yield evaluator
        return
    if workers <= 1:
        yield Evaluator(SerialExecutor(), 1, "this process")
        return
    pool = _process_pool(workers)
    try:
        yield Evaluator(pool, workers, f"process pool ({workers} workers)")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
