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
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from ckm_sim import __version__
from ckm_sim.errors import CKMError
from ckm_sim.experiments.designs import DesignTable, build_design
from ckm_sim.experiments.execute import (
    BatchResult,
    RunSpec,
    Task,
    failed_batch,
    open_evaluator,
    run_batch,
)
from ckm_sim.experiments.spec import Experiment
from ckm_sim.experiments.store import ResultsStore, runs_schema
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


def inputs_hash(exp: Experiment, base: Scenario, design: DesignTable) -> str:
    """Hash of everything that determines the runs: spec, resolved base scenario, design."""
    digest = hashlib.sha256()
    digest.update(exp.spec_hash().encode())
    digest.update(json.dumps(base.model_dump(mode="json"), sort_keys=True).encode())
    digest.update(pd.util.hash_pandas_object(design.points, index=False).values.tobytes())
    return digest.hexdigest()


def plan(exp: Experiment, design: DesignTable, done: Any) -> Iterator[RunSpec]:
    """Every run not yet done, replication by replication."""
    reps = exp.replications
    params = [design.params(p) for p in range(design.size)]
    for r in range(reps):
        seed = replication_seed(exp.base_seed, r)
        for p in range(design.size):
            if not done[p, r]:
                yield RunSpec(p * reps + r, p, r, seed, params[p])


class _Sigterm:
    """Turn SIGTERM into KeyboardInterrupt while a sweep runs (main thread only)."""

    def __enter__(self) -> _Sigterm:
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._raise)
        return self

    @staticmethod
    def _raise(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    def __exit__(self, *exc: Any) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)


def prepare(
    exp: Experiment, root: Path, resume: bool
) -> tuple[ResultsStore, Scenario, DesignTable, dict[str, Any]]:
    """Check the folder (fresh, or resumable for this very experiment) and write the design."""
    base = exp.base_scenario()
    exp.check_against(base)
    design = build_design(exp, base)
    store = ResultsStore(root)
    key = inputs_hash(exp, base, design)
    total = design.size * exp.replications
    if store.exists():
        manifest = store.read_manifest()
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
            "seeds": "replication_seed(base_seed, replication) from ckm_sim.model.runs",
            "total_runs": total,
            "ckm_sim_version": __version__,
            "git": git_commit(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "started": now(),
            "ended": None,
            "status": "running",
            "sessions": [],
        }
    store.clean()
    store.write_manifest(manifest)
    store.write_design(design.points)
    return store, base, design, manifest


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
) -> SweepResult:
    """Run (or continue) the sweep of ``exp`` into ``out/<name>/``; see the module docstring."""
    root = Path(out) / exp.name
    store, base, design, manifest = prepare(exp, root, resume)
    reps = exp.replications
    total = design.size * reps
    mask, failed, duplicates = store.done(design.size, reps)
    if duplicates:
        raise CKMError(f"{root}: {duplicates} run(s) stored twice; the folder was altered")
    done = int(mask.sum())
    result = SweepResult(root, total, done, failed)
    series = tuple(exp.outcomes.series_columns()) if exp.outcomes.timeseries else None
    schema = runs_schema(design.points, design.factors)
    session: dict[str, Any] = {"started": now(), "runs_before": done}
    manifest["sessions"].append(session)
    start = time.perf_counter()
    if done < total:
        _execute(
            exp,
            store,
            base,
            design,
            mask,
            result,
            schema,
            series,
            session,
            workers=workers,
            scheduler=scheduler,
            dask_local=dask_local,
            progress=progress,
            flush_seconds=flush_seconds,
            flush_rows=flush_rows,
            target_task_seconds=target_task_seconds,
            manifest=manifest,
        )
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


def _execute(
    exp: Experiment,
    store: ResultsStore,
    base: Scenario,
    design: DesignTable,
    mask: Any,
    result: SweepResult,
    schema: Any,
    series: tuple[str, ...] | None,
    session: dict[str, Any],
    *,
    workers: int,
    scheduler: str | None,
    dask_local: bool,
    progress: bool,
    flush_seconds: float,
    flush_rows: int,
    target_task_seconds: float,
    manifest: dict[str, Any],
) -> None:
    pending = plan(exp, design, mask)
    unsubmitted = result.total - result.done
    rows: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    part = store.next_index()
    last_flush = time.monotonic()
    run_seconds: float | None = None

    def flush() -> None:
        nonlocal part, last_flush
        if rows:
            ts = pd.concat(frames, ignore_index=True) if frames else None
            store.write_part(part, rows, schema, ts)
            part += 1
            result.done += len(rows)
            result.new_runs += len(rows)
            rows.clear()
            frames.clear()
            manifest["done_runs"], manifest["failed_runs"] = result.done, result.failed
            store.write_manifest(manifest)
        last_flush = time.monotonic()

    def collect(batch: BatchResult) -> None:
        nonlocal run_seconds
        rows.extend(batch.rows)
        if batch.series is not None:
            frames.append(batch.series)
        for row in batch.rows:
            if row["status"] != "ok":
                result.failed += 1
                if len(result.errors) < 5:
                    result.errors.append(f"run {row['run_id']}: {row['error']}")
            elif not math.isnan(row["duration"]):
                d = row["duration"]
                run_seconds = d if run_seconds is None else 0.8 * run_seconds + 0.2 * d
        bar.update(len(batch.rows))
        bar.set_postfix(failed=result.failed, refresh=False)

    bar = tqdm(
        total=result.total,
        initial=result.done,
        desc=exp.name,
        unit="run",
        disable=not progress,
        dynamic_ncols=True,
        smoothing=0.05,
        postfix={"failed": result.failed},
    )
    in_flight: dict[cf.Future, Task] = {}
    try:
        with _Sigterm(), open_evaluator(workers, scheduler, dask_local) as evaluator:
            session["evaluator"] = result.label = evaluator.label
            window = 2 * evaluator.slots
            try:
                while True:
                    while len(in_flight) < window and unsubmitted > 0:
                        size = 1
                        if run_seconds is not None and run_seconds > 0:
                            size = max(1, min(100, round(target_task_seconds / run_seconds)))
                        size = min(size, max(1, math.ceil(unsubmitted / evaluator.slots)))
                        runs = tuple(islice(pending, size))
                        if not runs:
                            unsubmitted = 0
                            break
                        unsubmitted -= len(runs)
                        task = Task(base, runs, series, exp.outcomes.interval)
                        in_flight[evaluator.executor.submit(run_batch, task)] = task
                    if not in_flight:
                        break
                    finished, _ = cf.wait(
                        in_flight, timeout=flush_seconds, return_when=cf.FIRST_COMPLETED
                    )
                    for future in finished:
                        task = in_flight.pop(future)
                        collect(_outcome(future, task))
                    if len(rows) >= flush_rows or time.monotonic() - last_flush >= flush_seconds:
                        flush()
            except KeyboardInterrupt:
                result.interrupted = True
                _drain(in_flight, collect)
            except cf.BrokenExecutor:
                _drain(in_flight, collect)
                flush()
                raise CKMError(
                    f"a worker process died (out of memory?); {result.done} of {result.total} "
                    "runs are saved; continue with --resume"
                ) from None
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        flush()
        bar.close()


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
