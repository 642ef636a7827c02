"""Replay from a recorded seed (issue 26): the seed a run records — ``model.seed``, the ``seed``
column of ``summary()``, the seed a sweep stores for each run, the seed ``ckm-sim run`` writes to
summary.json — repeats the run exactly: every summary field and the final state, for runs made
with ``rng=None`` (fresh entropy) and for a market of several firms."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from experiment_helpers import (
    SMALL_MARKET,
    SMALL_PERIODS,
    differing_fields,
    state_snapshot,
    write_small_experiment,
)

from ckm_sim import CKMModel, run_scenario
from ckm_sim.cli import main
from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import load_experiment
from ckm_sim.experiments.store import ResultsStore


@pytest.mark.parametrize("scenario", ["baseline", "duopoly"])
def test_a_fresh_seed_recorded_by_the_model_repeats_the_run(scenario: str) -> None:
    first = CKMModel(scenario, rng=None, **SMALL_MARKET).run(SMALL_PERIODS)
    summary = first.summary()
    assert isinstance(first.seed, int) and summary["seed"] == first.seed
    assert first.seed != CKMModel(scenario, **SMALL_MARKET).seed  # fresh, not the file's 42
    for seed in (first.seed, summary["seed"]):
        again = CKMModel(scenario, rng=seed, **SMALL_MARKET).run(SMALL_PERIODS)
        assert differing_fields(summary, again.summary()) == []
        assert differing_fields(state_snapshot(first.state), state_snapshot(again.state)) == []
    if scenario == "duopoly":  # per-firm outcomes are in the summary, and so are compared
        assert {"leader.clv", "laggard.clv"} <= summary.keys()
    replayed = run_scenario(scenario, seed=summary["seed"], periods=SMALL_PERIODS, **SMALL_MARKET)
    assert differing_fields(summary, replayed.summary) == []


def test_the_replay_is_not_trivially_equal() -> None:
    # the comparison can fail: another seed changes the summary and the final state
    a = CKMModel("duopoly", rng=1, **SMALL_MARKET).run(SMALL_PERIODS)
    b = CKMModel("duopoly", rng=2, **SMALL_MARKET).run(SMALL_PERIODS)
    assert {"clv", "leader.clv", "mean_retention_rate"} <= set(
        differing_fields(a.summary(), b.summary())
    )
    assert {"needs", "satisfaction", "beliefs"} <= set(
        differing_fields(state_snapshot(a.state), state_snapshot(b.state))
    )


def test_every_run_of_a_sweep_replays_from_its_stored_seed(tmp_path: Path) -> None:
    factor = "firms.laggard.it_systems"
    body = f'[factors."{factor}"]\nlevels = [0.2, 0.8]\n[design]\nmethod = "full_factorial"\n'
    exp = load_experiment(write_small_experiment(tmp_path, body, "duopoly", replications=2))
    result = run_sweep(exp, tmp_path / "out", workers=1, progress=False)
    runs = ResultsStore(result.root).read_runs()
    assert len(runs) == 4 and (runs["status"] == "ok").all() and runs["seed"].nunique() == 2
    base = exp.base_scenario()
    for row in runs.to_dict("records"):
        model = CKMModel(base.with_overrides(**{factor: row[factor]}), rng=row["seed"])
        summary = model.run().summary()
        stored = {key: row[key] for key in runs.columns if key in summary and key != "scenario"}
        assert len(stored) > 40 and "laggard.clv" in stored
        assert differing_fields(stored, {key: summary[key] for key in stored}) == []


def test_the_seed_ckm_sim_run_records_repeats_the_run(tmp_path: Path, capsys) -> None:
    # a scenario file without a seed: the command draws a fresh one and records it
    path = tmp_path / "unseeded.toml"
    path.write_text('name = "unseeded"\n[market]\ncustomers = 300\nprospects = 100\n')
    argv = ["run", str(path), "--periods", "24", "--quiet", "--set", "employees=20"]
    assert main([*argv, "--out", str(tmp_path / "first")]) == 0
    first = json.loads((tmp_path / "first" / "unseeded" / "summary.json").read_text())["summary"]
    seed = first["seed"]
    assert isinstance(seed, int) and f"seed {seed}" in capsys.readouterr().out
    assert main([*argv, "--seed", str(seed), "--out", str(tmp_path / "again")]) == 0
    again = json.loads((tmp_path / "again" / "unseeded" / "summary.json").read_text())["summary"]
    assert differing_fields(first, again) == []
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "first" / "unseeded" / "timeseries.parquet"),
        pd.read_parquet(tmp_path / "again" / "unseeded" / "timeseries.parquet"),
        check_exact=True,
    )
