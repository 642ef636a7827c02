"""The sweep runner: paired seeds, identical results on every evaluator, failures isolated,
nothing lost or duplicated when a sweep is killed or interrupted and then resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from experiment_helpers import GRID, write_experiment

from ckm_sim.cli import main
from ckm_sim.errors import CKMError
from ckm_sim.experiments import execute, runner
from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import load_experiment
from ckm_sim.experiments.store import ResultsStore
from ckm_sim.model.runs import replication_seed

REPO = Path(__file__).resolve().parent.parent
VOLATILE = ["duration", "worker"]  # when and where a run ran: the only columns allowed to differ


def _sweep(tmp_path: Path, body: str = GRID, out: str = "out", **kwargs):
    exp = load_experiment(write_experiment(tmp_path, body, **kwargs.pop("top", {})))
    result = run_sweep(exp, tmp_path / out, progress=False, **kwargs)
    return exp, result, ResultsStore(result.root)


def _raw_runs(store: ResultsStore) -> pd.DataFrame:
    """Every stored row, duplicates included."""
    return pd.concat([pd.read_parquet(p) for p in store.parts()], ignore_index=True)


def test_seeds_are_common_across_points_and_stored(tmp_path: Path) -> None:
    exp, result, store = _sweep(tmp_path, top={"replications": 3, "base_seed": 99})
    runs = store.read_runs()
    assert result.complete and len(runs) == 4 * 3 and runs["run_id"].is_unique
    assert (runs["status"] == "ok").all()
    for r, group in runs.groupby("replication"):
        assert set(group["seed"]) == {replication_seed(99, int(r))}
    assert runs["seed"].nunique() == 3
    assert (runs["run_id"] == runs["point"] * 3 + runs["replication"]).all()


def test_common_random_numbers_make_differences_precise(tmp_path: Path) -> None:
    body = "[factors.it_systems]\nlevels = [0.5, 0.6]\n[design]\nmethod = 'full_factorial'\n"
    _, _, store = _sweep(tmp_path, body, top={"replications": 12, "periods": 12})
    runs = store.read_runs().sort_values(["point", "replication"])
    a = runs[runs["point"] == 0]["clv"].to_numpy()
    b = runs[runs["point"] == 1]["clv"].to_numpy()
    # pairing removes the noise both points share: the paired variance is far below the unpaired
    assert np.var(b - a, ddof=1) < 0.5 * (np.var(a, ddof=1) + np.var(b, ddof=1))


def test_identical_results_with_one_two_workers_and_dask(tmp_path: Path) -> None:
    top = {"replications": 3}
    _, one, s1 = _sweep(tmp_path, out="one", workers=1, top=top)
    _, two, s2 = _sweep(tmp_path, out="two", workers=2, top=top)
    _, dask, s3 = _sweep(tmp_path, out="dask", workers=2, dask_local=True, top=top)
    assert "LocalCluster" in dask.label and "pool" in two.label
    frames = [s.read_runs().drop(columns=VOLATILE) for s in (s1, s2, s3)]
    assert len(frames[0]) == 12
    pd.testing.assert_frame_equal(frames[0], frames[1], check_exact=True)
    pd.testing.assert_frame_equal(frames[0], frames[2], check_exact=True)
    assert len(set(s2.read_runs()["worker"])) >= 1


def test_a_raising_run_is_recorded_and_the_sweep_goes_on(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    real = execute.run_scenario

    def fragile(scenario, **kwargs):  # bad values are refused up front: make the model raise
        if scenario.competence.it_systems == 0.5:
            raise FloatingPointError("it_systems = 0.5 broke the model")
        return real(scenario, **kwargs)

    monkeypatch.setattr(execute, "run_scenario", fragile)
    (tmp_path / "points.csv").write_text("it_systems\n0.2\n0.5\n0.8\n")
    body = "[design]\nmethod = 'csv'\npoints = 'points.csv'\n"
    path = write_experiment(tmp_path, body, replications=2)
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"])
    assert code == 1  # some runs failed
    captured = capsys.readouterr()
    assert "2 failed" in captured.out
    assert "2 run(s) of this session failed (2 of 6)" in captured.err
    store = ResultsStore(tmp_path / "out" / "tiny")
    runs = store.read_runs()
    assert len(runs) == 6
    bad = runs[runs["point"] == 1]
    assert (bad["status"] == "failed").all() and bad["clv"].isna().all()
    assert bad["error"].str.contains("it_systems").all()
    assert (runs[runs["point"] != 1]["status"] == "ok").all()
    report = (store.root / "report.md").read_text()
    assert "## Failed runs" in report and "2 failed" in report
    assert "Net value convention: horizon" in report


def test_keyboard_interrupt_leaves_a_resumable_folder(tmp_path: Path, monkeypatch) -> None:
    calls = {"n": 0}
    real = runner.run_batch

    def interrupted(task):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(runner, "run_batch", interrupted)
    exp, result, store = _sweep(
        tmp_path, top={"replications": 5}, workers=1, target_task_seconds=1e-9
    )  # one run per batch
    assert result.interrupted and 0 < result.done < result.total
    assert store.read_manifest()["status"] == "interrupted"
    monkeypatch.setattr(runner, "run_batch", real)
    with pytest.raises(CKMError, match="--resume"):
        run_sweep(exp, tmp_path / "out", progress=False)
    again = run_sweep(exp, tmp_path / "out", progress=False, resume=True)
    assert again.complete and again.new_runs == result.total - result.done
    counts = _raw_runs(store).groupby(["point", "replication"]).size()
    assert len(counts) == 20 and (counts == 1).all()
    assert store.read_manifest()["status"] == "complete"


def test_sigkill_then_resume_gives_every_run_exactly_once(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, GRID, replications=30, periods=8)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ckm_sim.cli", "sweep", str(path), "--out", str(out)]
    command += ["--workers", "2", "--flush-every", "0.2", "--quiet", "--no-report"]
    proc = subprocess.Popen(command, cwd=REPO, start_new_session=True)
    store = ResultsStore(out / "tiny")
    try:
        deadline = time.monotonic() + 120
        while len(store.parts()) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, like a machine loss
        proc.wait()
    before = len(_raw_runs(store))
    assert 0 < before < 120, "the sweep should have been killed mid-way"
    exp = load_experiment(path)
    resumed = run_sweep(exp, out, workers=1, resume=True, progress=False)
    assert resumed.complete and resumed.new_runs == 120 - before
    raw = _raw_runs(store)
    counts = raw.groupby(["point", "replication"]).size()
    assert len(raw) == 120 and len(counts) == 120 and (counts == 1).all()
    assert not list(store.root.rglob("*.tmp"))
    # and the killed-and-resumed results are those of an uninterrupted sweep
    fresh = run_sweep(exp, tmp_path / "fresh", workers=1, progress=False)
    expected = ResultsStore(fresh.root).read_runs().drop(columns=VOLATILE)
    pd.testing.assert_frame_equal(store.read_runs().drop(columns=VOLATILE), expected)


def test_resume_refuses_changed_inputs(tmp_path: Path) -> None:
    _sweep(tmp_path, top={"replications": 2})
    changed = GRID.replace("levels = [0.2, 0.8]", "levels = [0.2, 0.9]")
    exp = load_experiment(write_experiment(tmp_path, changed, replications=2))
    with pytest.raises(CKMError, match="different inputs"):
        run_sweep(exp, tmp_path / "out", progress=False, resume=True)


def test_time_series_kept_at_the_stated_interval(tmp_path: Path) -> None:
    body = GRID + "[outcomes]\ntimeseries = true\ninterval = 3\nseries = ['clv', 'churned']\n"
    _, _, store = _sweep(tmp_path, body, top={"replications": 2, "periods": 7})
    series = store.read_series()
    assert series is not None
    assert set(series["period"]) == {0, 3, 6, 7}
    assert list(series.columns) == ["run_id", "point", "replication", "period", "clv", "churned"]
    assert series.groupby("run_id").size().eq(4).all() and series["run_id"].nunique() == 8


def test_analyze_writes_report_and_figures(tmp_path: Path, capsys) -> None:
    _sweep(tmp_path, top={"replications": 3})
    root = tmp_path / "out" / "tiny"
    assert main(["analyze", str(root)]) == 0
    out = capsys.readouterr().out
    assert "report:" in out and "12 of 12" in out
    assert (root / "figures" / "heatmaps.png").stat().st_size > 1000
    assert len(pd.read_csv(root / "points.csv")) == 4
    report = (root / "report.md").read_text()
    assert "simple effects" in report and "figures/heatmaps.png" in report
