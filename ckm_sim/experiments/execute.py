"""Running batches of runs of a sweep, one row each (the evaluators are in ``evaluator``).

A :class:`Task` is a batch of runs of one base scenario; :func:`run_batch` runs it and returns
one row per run (a run that raises becomes a row with ``status = "failed"`` and its error, and the
batch goes on). Each run's result depends only on its parameters and seed, so it is the same in
whichever process runs it: in this process, in a local process pool, or on a Dask cluster
(:mod:`~ckm_sim.experiments.evaluator`). The shape of a row is the store's
(:func:`~ckm_sim.experiments.store.run_row`).

A run's scenario is its task's base with the run's parameters as flat overrides, unless the
task carries ``scenario_of``: a picklable callable ``(base, params) -> Scenario`` that makes it
(the robustness command's worlds: a cost multiplier, scaled build-up, an added spend rebuilt in
each world, :mod:`ckm_sim.whatif.robust.worlds`).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ckm_sim.experiments.store import run_row, series_frame
from ckm_sim.model.extensions import load_extensions
from ckm_sim.model.runs import run_scenario
from ckm_sim.model.scenario import Scenario


@dataclass(frozen=True)
class RunSpec:
    """One run: its id, design point, replication, seed and parameter overrides."""

    run_id: int
    point: int
    replication: int
    seed: int
    params: dict[str, Any]


#: Makes a run's scenario from the base and the run's parameters (default: flat overrides).
ScenarioOf = Callable[[Scenario, dict[str, Any]], Scenario]


@dataclass(frozen=True)
class Task:
    """A batch of runs of one base scenario (``series`` None: no time series;
    ``scenario_of`` None: the parameters are flat overrides of the base)."""

    base: Scenario
    runs: tuple[RunSpec, ...]
    series: tuple[str, ...] | None = None
    interval: int = 1
    extensions: tuple[str, ...] = ()
    scenario_of: ScenarioOf | None = None


@dataclass
class BatchResult:
    """Rows of the runs table, and the kept time-series rows (or None)."""

    rows: list[dict[str, Any]]
    series: pd.DataFrame | None


def error_text(exc: BaseException) -> str:
    """An exception as one line of at most 500 characters."""
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= 500 else text[:497] + "..."


def run_one(
    base: Scenario,
    run: RunSpec,
    series: tuple[str, ...] | None = None,
    interval: int = 1,
    scenario_of: ScenarioOf | None = None,
) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Run one design point on one seed; never raises for a failing model."""
    start = time.perf_counter()
    summary = error = frame = None
    try:
        if scenario_of is None:
            scenario = base.with_overrides(**run.params)
        else:
            scenario = scenario_of(base, run.params)
        result = run_scenario(scenario, seed=run.seed, timeseries=series is not None)
        summary = result.summary
        if result.timeseries is not None and series is not None:
            ts = result.timeseries
            keep = (ts.index % interval == 0) | (ts.index == ts.index.max())
            frame = series_frame(run, ts.loc[keep, list(series)])
    except Exception as exc:  # a failing run is recorded, the sweep goes on
        summary, frame, error = None, None, error_text(exc)
    duration = time.perf_counter() - start
    worker = f"{socket.gethostname()}:{os.getpid()}"
    return run_row(run, summary, error, duration, worker, base.firm_names()), frame


def run_batch(task: Task) -> BatchResult:
    """Run every run of ``task`` in order (after loading its extensions, once per process)."""
    load_extensions(task.extensions)
    rows, frames = [], []
    for run in task.runs:
        row, frame = run_one(task.base, run, task.series, task.interval, task.scenario_of)
        rows.append(row)
        if frame is not None:
            frames.append(frame)
    return BatchResult(rows, pd.concat(frames, ignore_index=True) if frames else None)


def failed_batch(task: Task, exc: BaseException) -> BatchResult:
    """Rows for a batch whose task itself failed (e.g. a Dask worker lost three times)."""
    firms = task.base.firm_names()
    rows = [run_row(run, None, error_text(exc), firms=firms) for run in task.runs]
    return BatchResult(rows, None)
