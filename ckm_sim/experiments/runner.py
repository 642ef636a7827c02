"""The sweep loop: plan the runs, submit batches, stream finished runs to disk, show progress.

Run ``(point p, replication r)`` has id ``p * replications + r`` and seed
``replication_seed(base_seed, r)``: every design point meets the same random numbers in
replication ``r`` (common random numbers), and the result of a run never depends on where or in
which order it ran. Runs are submitted replication by replication (all points of replication 0
first), so a sweep stopped early already covers the whole design.

Batches adapt to the measured run time (about ``target_task_seconds`` each) and at most two per
slot are in flight, so memory stays flat in the number of runs; finished rows are written every
``flush_seconds`` or ``flush_rows`` rows. Ctrl-C (or SIGTERM) lets the runs in progress finish,
saves everything finished, and leaves a folder that ``--resume`` continues.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import math
import platform
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from ckm_sim import __version__
from ckm_sim.errors import CKMError
from ckm_sim.experiments.designs import DesignTable, build_design, check_points
from ckm_sim.experiments.evaluator import Evaluator, open_evaluator
from ckm_sim.experiments.execute import (
    BatchResult,
    RunSpec,
    ScenarioOf,
    Task,
    failed_batch,
    run_batch,
)
from ckm_sim.experiments.growth import grown, size_free, stored_size
from ckm_sim.experiments.lock import folder_lock
from ckm_sim.experiments.sizing import check_design, check_sweep
from ckm_sim.experiments.spec import Experiment
from ckm_sim.experiments.store import ResultsStore, runs_schema
from ckm_sim.io import inside
from ckm_sim.lifeline import deferred_stop, stop_signals
from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import Scenario


@dataclass
class SweepResult:
    """What a sweep (or resumed sweep) did."""

    root: Path
    total: int
    done: int
    failed: int
    new_runs: int = 0
    interrupted: bool = False
    elapsed: float = 0.0
    label: str = ""
    errors: list[str] = field(default_factory=list)
    failed_before: int = 0

    @property
    def complete(self) -> bool:
        """Whether every run of the sweep is done."""
        return self.done == self.total


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def git_commit() -> dict[str, Any] | None:
    """The commit of the ckm-sim source checkout this package runs from (and whether it has local
    changes); ``None`` for an installed wheel, whose ``ckm_sim_version`` the manifest records."""
    package = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        command = ["git", "-C", str(package), *args]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() / "ckm_sim" != package:
            return None  # e.g. a wheel installed in a virtual environment inside some repository
        head = git("rev-parse", "HEAD")
        status = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "dirty": bool(status)}


#: Libraries whose versions a sweep's manifest records (they can change a run's numbers).
VERSIONED = ("numpy", "scipy", "mesa", "networkx", "SALib", "pandas", "pyarrow", "pydantic")


def library_versions() -> dict[str, str | None]:
    """Installed versions of :data:`VERSIONED` (None for one that is not installed)."""
    out: dict[str, str | None] = {}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def inputs_hash(exp: Experiment, base: Scenario, design: DesignTable) -> str:
    """Hash of everything that determines the runs: spec, resolved base scenario, design."""
    digest = hashlib.sha256()
    digest.update(exp.spec_hash().encode())
    digest.update(json.dumps(base.model_dump(mode="json"), sort_keys=True).encode())
    digest.update(pd.util.hash_pandas_object(design.points, index=False).values.tobytes())
    return digest.hexdigest()


def plan(exp: Experiment, design: DesignTable, done: Any) -> Iterator[RunSpec]:
    """Every run not yet done, replication by replication.

    Each run's parameters are made when it is planned (plain Python values from the design's
    columns), so planning is fast and its memory does not grow with the number of points.
    """
    reps = exp.replications
    columns = {name: design.points[name].to_numpy() for name in design.factors}
    for r in range(reps):
        seed = replication_seed(exp.base_seed, r)
        for p in np.flatnonzero(~np.asarray(done)[:, r]):
            params = {
                k: v[p].item() if isinstance(v[p], np.generic) else v[p] for k, v in columns.items()
            }
            yield RunSpec(int(p) * reps + r, int(p), r, seed, params)


def checked_inputs(
    exp: Experiment,
    workers: int = 1,
    max_memory: int | None = None,
    blocks: list[int] | None = None,
) -> tuple[Scenario, DesignTable]:
    """The base scenario and the design of ``exp``, every point checked, before any folder is
    touched: the design's memory is checked before it is built, and the sweep's (largest model
    on each of ``workers`` workers) after; ``max_memory`` None: the default limit. ``blocks``:
    a grown sampled design's blocks (:mod:`~ckm_sim.experiments.growth`)."""
    base = exp.base_scenario()
    exp.check_against(base)
    check_design(exp, base, max_memory)
    design = build_design(exp, base, blocks)
    check_points(exp, base, design)
    check_sweep(exp, base, design, workers, max_memory)
    return base, design


def prepare(
    exp: Experiment, root: Path, resume: bool, base: Scenario, design: DesignTable
) -> tuple[ResultsStore, dict[str, Any]]:
    """Check the folder (fresh, or resumable for this very experiment) and write the design."""
    store = ResultsStore(root)
    key = inputs_hash(exp, base, design)
    total = design.size * exp.replications
    if store.exists():
        manifest = store.read_manifest()
        if manifest.get("inputs_hash") != key and _grows(store, manifest, exp, base, design):
            if not resume:
                raise CKMError(
                    f"{root} holds this sweep with {manifest.get('points')} points x "
                    f"{manifest.get('replications')} replications; add --resume to grow it to "
                    f"{design.size} x {exp.replications}, or use --out for a new folder"
                )
            _record_growth(manifest, exp, design, key)
        if manifest.get("inputs_hash") != key:
            raise CKMError(
                f"{root} holds a sweep of different inputs (experiment, scenario or design "
                "changed); use --out for a new folder or remove it"
            )
        if not resume and store.parts():  # a sweep that never saved a run just starts over
            raise CKMError(
                f"{root} already holds this sweep ({manifest.get('done_runs', '?')} of {total} "
                "runs); add --resume to continue it, or use --out for a new folder"
            )
    else:
        if root.exists() and any(root.iterdir()):
            raise CKMError(f"{root} exists and is not a sweep results folder; use --out")
        manifest = {
            "experiment": exp.name,
            "description": exp.description,
            "experiment_file": str(exp.path) if exp.path else None,
            "experiment_toml": exp.text,
            "experiment_sha256": hashlib.sha256(exp.text.encode()).hexdigest(),
            "inputs_hash": key,
            "spec": exp.model_dump(mode="json"),
            "base_scenario": base.model_dump(mode="json"),
            "factors": design.factors,
            "points": design.size,
            "replications": exp.replications,
            "base_seed": exp.base_seed,
            "design_blocks": design.blocks,
            "seeds": "replication_seed(base_seed, replication) from ckm_sim.model.runs",
            "total_runs": total,
            "ckm_sim_version": __version__,
            "git": git_commit(),
            "python": platform.python_version(),
            "versions": library_versions(),
            "platform": platform.platform(),
            "started": now(),
            "ended": None,
            "status": "running",
            "sessions": [],
        }
    store.clean()
    store.write_manifest(manifest)
    store.write_design(design.points)
    if manifest.get("growth"):
        store.renumber(exp.replications)  # ids follow the grown replications (idempotent)
    return store, manifest


def _grows(
    store: ResultsStore, manifest: dict[str, Any], exp: Experiment, base: Scenario, design: Any
) -> bool:
    """Whether ``exp`` is the stored sweep with more replications or samples: the same spec
    apart from them, the same scenario, and the stored points first in the new design."""
    old = stored_size(manifest)
    if size_free(manifest.get("spec") or {}) != size_free(exp.model_dump(mode="json")):
        return False
    if manifest.get("base_scenario") != base.model_dump(mode="json"):
        return False
    if exp.replications < old.replications or design.size < int(manifest.get("points", 0)):
        return False
    stored = store.read_design()
    head = design.points.iloc[: len(stored)].reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(stored, head, check_dtype=False, check_exact=True)
    except AssertionError:
        return False
    return True


def _record_growth(manifest: dict[str, Any], exp: Experiment, design: Any, key: str) -> None:
    """The manifest of the grown sweep: its size, spec and inputs, and a line of history."""
    old = stored_size(manifest)
    event = {
        "at": now(),
        "replications": [old.replications, exp.replications],
        "points": [manifest.get("points"), design.size],
    }
    if old.samples is not None:
        event["samples"] = [old.samples, exp.design.samples]
    manifest["growth"] = [*manifest.get("growth", []), event]
    manifest |= {
        "inputs_hash": key,
        "spec": exp.model_dump(mode="json"),
        "points": design.size,
        "replications": exp.replications,
        "total_runs": design.size * exp.replications,
        "design_blocks": design.blocks if design.blocks is not None else old.blocks,
        "status": "running",
        "ended": None,
    }


def run_sweep(
    exp: Experiment,
    out: Path | str = Path("results"),
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: bool = False,
    resume: bool = False,
    progress: bool = True,
    flush_seconds: float = 10.0,
    flush_rows: int = 1000,
    target_task_seconds: float = 1.0,
    max_memory: int | None = None,
    inputs: tuple[Scenario, DesignTable] | None = None,
    scenario_of: ScenarioOf | None = None,
) -> SweepResult:
    """Run (or continue) the sweep of ``exp`` into ``out/<name>/``; see the module docstring.

    ``max_memory``: refuse (TooLargeError) a sweep whose memory estimate exceeds it (bytes;
    None: half of this machine's memory, see ckm_sim/limits.py). ``inputs``: the result of
    :func:`checked_inputs` if already made. Inputs are checked before the folder is locked, so
    bad input leaves nothing on disk. With ``resume``, an ``exp`` with more replications or
    samples than the stored sweep grows it (:mod:`~ckm_sim.experiments.growth`; when ``inputs``
    is given, ``exp`` must already be :func:`~ckm_sim.experiments.growth.grown`).
    ``scenario_of``: how a run's scenario is made from the base and its parameters (default:
    flat overrides; :class:`~ckm_sim.experiments.execute.Task`)."""
    root = inside(out, exp.name)
    slots = 0 if scheduler is not None else workers  # a remote cluster's memory is its own
    if inputs is None:
        exp, blocks = grown(exp, root, resume)  # more replications or samples: grow the sweep
        inputs = checked_inputs(exp, slots, max_memory, blocks)
    base, design = inputs
    with folder_lock(root, "sweep"):  # one process per results folder, for the whole sweep
        return _run_locked(
            exp,
            root,
            base,
            design,
            resume=resume,
            workers=workers,
            scheduler=scheduler,
            dask_local=dask_local,
            progress=progress,
            flush_seconds=flush_seconds,
            flush_rows=flush_rows,
            target_task_seconds=target_task_seconds,
            scenario_of=scenario_of,
        )


def _run_locked(
    exp: Experiment,
    root: Path,
    base: Scenario,
    design: DesignTable,
    *,
    resume: bool,
    workers: int,
    scheduler: str | None,
    dask_local: bool,
    progress: bool,
    flush_seconds: float,
    flush_rows: int,
    target_task_seconds: float,
    scenario_of: ScenarioOf | None = None,
) -> SweepResult:
    store, manifest = prepare(exp, root, resume, base, design)
    reps = exp.replications
    total = design.size * reps
    mask, failed, duplicates = store.done(design.size, reps)
    if duplicates:
        raise CKMError(f"{root}: {duplicates} run(s) stored twice; the folder was altered")
    done = int(mask.sum())
    result = SweepResult(root, total, done, failed, failed_before=failed)
    series = tuple(exp.outcomes.series_columns()) if exp.outcomes.timeseries else None
    schema = runs_schema(design.points, design.factors, base.firm_names())
    session: dict[str, Any] = {"started": now(), "runs_before": done}
    manifest["sessions"].append(session)
    start = time.perf_counter()
    if done < total:
        loop = SweepLoop(exp, store, base, design, result, manifest, session, schema, series)
        loop.configure(flush_seconds, flush_rows, target_task_seconds)
        loop.scenario_of = scenario_of
        loop.run(mask, workers, scheduler, dask_local, progress)
    result.elapsed = time.perf_counter() - start
    session |= {"ended": now(), "runs_after": result.done, "seconds": round(result.elapsed, 3)}
    manifest |= {
        "done_runs": result.done,
        "failed_runs": result.failed,
        "status": "complete" if result.complete else "interrupted",
        "ended": now() if result.complete else None,
    }
    store.write_manifest(manifest)
    return result


class SweepLoop:
    """The runs not yet done, submitted in adaptive batches; finished rows streamed to disk.

    Steps: :meth:`run` opens the evaluator and loops :meth:`submit` (keep at most two batches
    per slot in flight), :meth:`wait` (collect what finished) and :meth:`flush` (write a part
    every ``flush_seconds`` or ``flush_rows``) until every run is done; Ctrl-C drains what the
    workers are finishing and saves it.
    """

    flush_seconds: float = 10.0
    flush_rows: int = 1000
    target_task_seconds: float = 1.0
    scenario_of: ScenarioOf | None = None

    def __init__(
        self,
        exp: Experiment,
        store: ResultsStore,
        base: Scenario,
        design: DesignTable,
        result: SweepResult,
        manifest: dict[str, Any],
        session: dict[str, Any],
        schema: Any,
        series: tuple[str, ...] | None,
    ) -> None:
        self.exp, self.store, self.base, self.design = exp, store, base, design
        self.result, self.manifest, self.session = result, manifest, session
        self.schema, self.series = schema, series
        self.rows: list[dict[str, Any]] = []
        self.frames: list[pd.DataFrame] = []
        self.part = store.next_index()
        self.last_flush = time.monotonic()
        self.run_seconds: float | None = None  # moving average of one run's duration
        self.in_flight: dict[cf.Future, Task] = {}
        self.unsubmitted = result.total - result.done
        self.bar: Any = None

    def configure(self, flush_seconds: float, flush_rows: int, target_task_seconds: float) -> None:
        """How often to write finished rows, and how long one batch should take."""
        self.flush_seconds, self.flush_rows = flush_seconds, flush_rows
        self.target_task_seconds = target_task_seconds

    def run(
        self, mask: Any, workers: int, scheduler: str | None, dask_local: bool, progress: bool
    ) -> None:
        """Run every run not done in ``mask`` on the chosen evaluator."""
        result = self.result
        pending = plan(self.exp, self.design, mask)
        self.bar = tqdm(
            total=result.total,
            initial=result.done,
            desc=self.exp.name,
            unit="run",
            disable=not progress,
            dynamic_ncols=True,
            smoothing=0.05,
            postfix={"failed": result.failed},
        )
        try:
            with stop_signals(), open_evaluator(workers, scheduler, dask_local) as evaluator:
                self.session["evaluator"] = result.label = evaluator.label
                try:
                    while self.submit(evaluator, pending):
                        self.wait()
                except KeyboardInterrupt:
                    result.interrupted = True
                    self.drain()
                except cf.BrokenExecutor:
                    self.drain()
                    self.flush()
                    raise CKMError(
                        f"a worker process died (out of memory?); {result.done} of "
                        f"{result.total} runs are saved; continue with --resume"
                    ) from None
        except KeyboardInterrupt:
            result.interrupted = True
        finally:
            self.flush()
            self.bar.close()

    def batch_size(self, slots: int) -> int:
        """Runs per task: about ``target_task_seconds`` of work, spread over every slot."""
        size = 1
        if self.run_seconds is not None and self.run_seconds > 0:
            size = max(1, min(100, round(self.target_task_seconds / self.run_seconds)))
        return min(size, max(1, math.ceil(self.unsubmitted / slots)))

    def submit(self, evaluator: Evaluator, pending: Iterator[RunSpec]) -> bool:
        """Fill the window of tasks in flight; False when nothing is left to wait for."""
        while len(self.in_flight) < 2 * evaluator.slots and self.unsubmitted > 0:
            runs = tuple(islice(pending, self.batch_size(evaluator.slots)))
            if not runs:
                self.unsubmitted = 0
                break
            self.unsubmitted -= len(runs)
            task = Task(
                self.base,
                runs,
                self.series,
                self.exp.outcomes.interval,
                self.exp.extension_paths,
                self.scenario_of,
            )
            with deferred_stop():  # a stop signal waits until the task is handed over and kept
                self.in_flight[evaluator.executor.submit(run_batch, task)] = task
        return bool(self.in_flight)

    def wait(self) -> None:
        """Collect the tasks that finish within ``flush_seconds``; flush when it is time."""
        finished, _ = cf.wait(
            self.in_flight, timeout=self.flush_seconds, return_when=cf.FIRST_COMPLETED
        )
        for future in finished:
            task = self.in_flight.pop(future)
            self.collect(_outcome(future, task))
        due = time.monotonic() - self.last_flush >= self.flush_seconds
        if len(self.rows) >= self.flush_rows or due:
            self.flush()

    def collect(self, batch: BatchResult) -> None:
        """Keep a finished batch's rows; count failures; update the run-time estimate."""
        result = self.result
        self.rows.extend(batch.rows)
        if batch.series is not None:
            self.frames.append(batch.series)
        for row in batch.rows:
            if row["status"] != "ok":
                result.failed += 1
                if len(result.errors) < 5:
                    result.errors.append(f"run {row['run_id']}: {row['error']}")
            elif not math.isnan(row["duration"]):
                d = row["duration"]
                self.run_seconds = (
                    d if self.run_seconds is None else 0.8 * self.run_seconds + 0.2 * d
                )
        self.bar.update(len(batch.rows))
        self.bar.set_postfix(failed=result.failed, refresh=False)

    def flush(self) -> None:
        """Write the collected rows as the next part and update the manifest's counts."""
        result = self.result
        if self.rows:
            ts = pd.concat(self.frames, ignore_index=True) if self.frames else None
            self.store.write_part(self.part, self.rows, self.schema, ts)
            self.part += 1
            result.done += len(self.rows)
            result.new_runs += len(self.rows)
            self.rows.clear()
            self.frames.clear()
            self.manifest["done_runs"], self.manifest["failed_runs"] = result.done, result.failed
            self.store.write_manifest(self.manifest)
        self.last_flush = time.monotonic()

    def drain(self) -> None:
        """After Ctrl-C: cancel what has not started, keep what the workers are finishing."""
        _drain(self.in_flight, self.collect)


def _outcome(future: cf.Future, task: Task) -> BatchResult:
    try:
        return future.result()
    except cf.BrokenExecutor:
        raise
    except Exception as exc:  # the task itself failed (e.g. a Dask worker died repeatedly)
        return failed_batch(task, exc)


def _drain(in_flight: dict[cf.Future, Task], collect: Any) -> None:
    """After Ctrl-C: cancel what has not started, keep what the workers are finishing."""
    for future in list(in_flight):
        if future.cancel():
            del in_flight[future]
    try:
        finished, _ = cf.wait(in_flight, timeout=60)
        for future in finished:
            if not future.cancelled() and future.exception() is None:
                collect(future.result())
    except KeyboardInterrupt:
        pass  # a second Ctrl-C: stop waiting, save what is collected
    in_flight.clear()
