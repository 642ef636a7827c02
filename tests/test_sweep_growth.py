"""Sweeps that grow (issue 25): more replications or samples added to a stored sweep without
rerunning what is stored, on the same seeds as a sweep run at once; ``--until-ci``."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from experiment_helpers import GRID, sampled, write_experiment
from scipy import stats

from ckm_sim.cli import main
from ckm_sim.experiments import runner
from ckm_sim.experiments.growth import next_replications, with_size
from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import load_experiment
from ckm_sim.experiments.stats import replications_for
from ckm_sim.experiments.store import ResultsStore

VOLATILE = ["duration", "worker"]
LHS = sampled(4)


def _runs(store: ResultsStore) -> pd.DataFrame:
    return store.read_runs().drop(columns=VOLATILE)


def _raw(store: ResultsStore) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in store.parts()], ignore_index=True)


def _cli(path: Path, out: Path, *extra: str) -> int:
    return main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet", *extra])


def test_two_replications_grown_to_four_equal_four_at_once(tmp_path: Path) -> None:
    exp = load_experiment(write_experiment(tmp_path, GRID, replications=2))
    first = run_sweep(exp, tmp_path / "grown", progress=False)
    store = ResultsStore(first.root)
    before = store.read_runs()
    grown = run_sweep(
        with_size(exp, replications=4), tmp_path / "grown", progress=False, resume=True
    )
    assert grown.complete and grown.total == 16 and grown.new_runs == 8  # only the new ones ran
    at_once = run_sweep(with_size(exp, replications=4), tmp_path / "once", progress=False)
    pd.testing.assert_frame_equal(_runs(store), _runs(ResultsStore(at_once.root)), check_exact=True)
    # the stored runs were kept as they were (same duration: not run again), only renumbered
    kept = store.read_runs().set_index(["point", "replication"])
    old = before.set_index(["point", "replication"])
    assert (kept.loc[old.index, "duration"] == old["duration"]).all()
    assert (_raw(store).groupby(["point", "replication"]).size() == 1).all()
    manifest = store.read_manifest()
    assert manifest["replications"] == 4 and manifest["total_runs"] == 16
    assert manifest["growth"][0]["replications"] == [2, 4]
    # the file still says 2: a plain --resume continues the grown sweep, it does not shrink it
    again = run_sweep(exp, tmp_path / "grown", progress=False, resume=True)
    assert again.total == 16 and again.new_runs == 0


def test_growth_stopped_midway_is_finished_by_resume(tmp_path: Path, monkeypatch) -> None:
    exp = load_experiment(write_experiment(tmp_path, GRID, replications=2))
    run_sweep(exp, tmp_path / "out", progress=False)
    calls = {"n": 0}
    real_batch, real_renumber = runner.run_batch, ResultsStore.renumber

    def stop_on_second(task):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_batch(task)

    def killed(self, replications):  # a kill before the parts were renumbered
        raise KeyboardInterrupt

    monkeypatch.setattr(ResultsStore, "renumber", killed)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(with_size(exp, replications=5), tmp_path / "out", progress=False, resume=True)
    monkeypatch.setattr(ResultsStore, "renumber", real_renumber)
    monkeypatch.setattr(runner, "run_batch", stop_on_second)
    stopped = run_sweep(
        with_size(exp, replications=5),
        tmp_path / "out",
        progress=False,
        resume=True,
        target_task_seconds=1e-9,
    )
    assert stopped.interrupted and stopped.done < 20
    monkeypatch.setattr(runner, "run_batch", real_batch)
    resumed = run_sweep(exp, tmp_path / "out", progress=False, resume=True)  # the file's 2
    assert resumed.complete and resumed.total == 20
    store = ResultsStore(resumed.root)
    raw = _raw(store)
    assert len(raw) == 20 and (raw.groupby(["point", "replication"]).size() == 1).all()
    assert (raw["run_id"] == raw["point"] * 5 + raw["replication"]).all()
    fresh = run_sweep(with_size(exp, replications=5), tmp_path / "fresh", progress=False)
    pd.testing.assert_frame_equal(_runs(store), _runs(ResultsStore(fresh.root)), check_exact=True)


def test_command_line_grows_refuses_shrinking_and_samples_of_a_grid(tmp_path: Path, capsys) -> None:
    path = write_experiment(tmp_path, GRID, replications=2)
    out = tmp_path / "out"
    assert _cli(path, out, "--no-report") == 0
    assert _cli(path, out, "--replications", "3", "--no-report") == 2  # no --resume: refused
    assert "--resume" in capsys.readouterr().err
    assert _cli(path, out, "--resume", "--replications", "3", "--no-report") == 0
    assert len(ResultsStore(out / "tiny").read_runs()) == 12
    assert _cli(path, out, "--resume", "--replications", "2") == 2
    assert "never shrinks" in capsys.readouterr().err
    assert _cli(path, out, "--resume", "--samples", "8") == 2
    assert "full_factorial design has no samples" in capsys.readouterr().err


def _strata_once(unit: np.ndarray) -> bool:
    """Each of n equal strata of every coordinate holds exactly one of n points."""
    n = len(unit)
    return all(sorted((unit[:, j] * n).astype(int)) == list(range(n)) for j in range(unit.shape[1]))


def test_latin_hypercube_grows_by_a_new_block_keeping_its_points(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, LHS, replications=2)
    out = tmp_path / "out"
    assert _cli(path, out, "--no-report") == 0
    store = ResultsStore(out / "tiny")
    before_design, before_runs = store.read_design(), store.read_runs()
    assert _cli(path, out, "--resume", "--samples", "7") == 0
    design = store.read_design()
    assert len(design) == 7
    pd.testing.assert_frame_equal(design.iloc[:4], before_design)  # stored points unchanged
    unit = design[["unit_it_systems", "unit_learning_culture"]].to_numpy()
    assert _strata_once(unit[:4]) and _strata_once(unit[4:])  # each block a Latin hypercube
    runs = store.read_runs()
    assert len(runs) == 14
    kept = runs[runs["point"] < 4].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, before_runs)  # not rerun (duration, worker the same)
    assert store.read_manifest()["design_blocks"] == [4, 3]
    report = (store.root / "report.md").read_text()
    assert "7 points x 2 replications" in report
    # reproducible: another sweep grown the same way has the same points and results
    assert _cli(path, tmp_path / "again", "--no-report") == 0
    assert _cli(path, tmp_path / "again", "--resume", "--samples", "7", "--no-report") == 0
    again = ResultsStore(tmp_path / "again" / "tiny")
    pd.testing.assert_frame_equal(again.read_design(), design)
    pd.testing.assert_frame_equal(_runs(again), _runs(store))


def test_sobol_grows_by_whole_saltelli_blocks_and_still_analyses(tmp_path: Path) -> None:
    body = sampled(4, "sobol", second_order=False)
    path = write_experiment(tmp_path, body, replications=1)
    out = tmp_path / "out"
    assert _cli(path, out, "--no-report") == 0
    assert _cli(path, out, "--resume", "--samples", "8") == 0
    store = ResultsStore(out / "tiny")
    assert len(store.read_design()) == 8 * (2 + 2)
    sensitivity = pd.read_csv(store.root / "sensitivity.csv")
    assert set(sensitivity["factor"]) == {"it_systems", "learning_culture"}


def _half_width(m: int, spread: float) -> float:
    """The relative 95% t half-width of ``m`` replications of an outcome with this
    ``sd / |mean|``, from scipy's t quantile."""
    return float(stats.t.ppf(0.975, m - 1)) * spread / math.sqrt(m)


def test_next_replications_asks_for_the_fewest_that_reach_the_target() -> None:
    # at 4 replications a half-width of 10% of the mean estimates sd / mean = 0.1 * 2 / t(3);
    # the answer is the fewest replications whose own t half-width is within 5%
    spread = 0.10 * 2 / stats.t.ppf(0.975, 3)
    want = next(m for m in range(2, 1000) if _half_width(m, spread) <= 0.05)
    assert next_replications(4, 0.10, 0.05, 100) == want
    assert _half_width(want - 1, spread) > 0.05
    # the plain square law kept t(3) and asked for 16, almost twice as many
    assert want < 16
    assert next_replications(4, 0.051, 0.05, 100) == 5  # at least one more
    assert next_replications(4, 0.10, 0.05, 6) == 6  # never beyond the cap
    assert next_replications(10, 0.10, 0.05, 10) is None  # at the cap
    assert next_replications(4, 0.04, 0.05, 100) is None  # reached
    assert next_replications(1, math.nan, 0.05, 100) == 2  # no CI yet


@pytest.mark.parametrize(
    ("n", "width", "target"), [(2, 0.06, 0.004), (3, 0.2, 0.01), (30, 0.03, 0.01)]
)
def test_replications_for_is_the_t_answer_not_the_first_quantiles(n, width, target) -> None:
    # at 2 replications t = 12.7: the square law multiplied by (12.7 / 1.96)^2, about 40
    spread = width * math.sqrt(n) / stats.t.ppf(0.975, n - 1)
    want = next(m for m in range(2, 10**6) if _half_width(m, spread) <= target)
    assert replications_for(n, width, target) == want
    assert replications_for(n, width, target, cap=want - 1) == want - 1


def _widest(store: ResultsStore, outcome: str) -> float:
    """The widest relative 95% CI half-width over points, computed here from the stored runs."""
    widths = []
    for _, g in store.read_runs().groupby("point"):
        x = g[outcome].to_numpy(dtype=float)
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
        widths.append(half / abs(x.mean()))
    return max(widths)


def test_until_ci_grows_until_the_target_or_the_cap(tmp_path: Path, capsys) -> None:
    path = write_experiment(tmp_path, GRID, replications=2)
    assert (
        _cli(
            tmp_path / path.name,
            tmp_path / "cap",
            "--until-ci",
            "0.1%",
            "--max-replications",
            "4",
            "--no-report",
        )
        == 0
    )
    store = ResultsStore(tmp_path / "cap" / "tiny")
    assert store.read_manifest()["replications"] == 4
    assert _widest(store, "mean_retention_rate") > 0.001
    assert "stopped at the cap 4" in capsys.readouterr().out
    # a target reached well before the default cap of 100 (at 2 replications the widest
    # half-width is about 6% of the mean): the growth stopped because it reached the target,
    # not the cap
    target = 0.02
    assert _cli(path, tmp_path / "reach", "--until-ci", str(target), "--no-report") == 0
    store = ResultsStore(tmp_path / "reach" / "tiny")
    reps = store.read_manifest()["replications"]
    assert 2 < reps < 100
    assert _widest(store, "mean_retention_rate") <= target
    assert "reached" in capsys.readouterr().out
    # and the sweep it ends with is the sweep of that many replications run at once
    once = run_sweep(
        with_size(load_experiment(path), replications=reps), tmp_path / "once", progress=False
    )
    pd.testing.assert_frame_equal(_runs(store), _runs(ResultsStore(once.root)), check_exact=True)
