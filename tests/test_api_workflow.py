"""The workflow from Python (issue 25, feature): docs/api.md's notebook cells run end to end, and
what ``ckm_sim.sweep / compare / optimize / calibrate`` return holds what it claims: paired
differences of the runs with CIs around their means, every run on its recorded seed, answers
within the budget and the box, the same numbers for the same seed and the command's files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import ckm_sim
from ckm_sim import cli
from ckm_sim.errors import CKMError
from ckm_sim.model.runs import replication_seed, run_scenario
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "api.md"


def _cells() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The namespace after running every cell of docs/api.md in order, in a fresh folder."""
    folder = tmp_path_factory.mktemp("notebook")
    here = os.getcwd()
    namespace: dict = {"__name__": "notebook"}
    os.chdir(folder)
    try:
        for cell in _cells():
            exec(compile(cell, str(DOC), "exec"), namespace)
    finally:
        os.chdir(here)
    namespace["folder"] = folder
    return namespace


def test_the_doc_has_a_cell_per_command():
    text = "\n".join(_cells())
    for call in ("ckm_sim.sweep(", "ckm_sim.compare(", "ckm_sim.optimize(", "ckm_sim.calibrate("):
        assert call in text, call


def test_every_call_wrote_the_commands_report_and_files(example):
    files = {
        "comparison": ["differences.csv", "comparison.json", "paths.png"],
        "spend": ["differences.csv", "comparison.json"],
        "best": ["optimum.json", "trials.csv", "allocation.png"],
        "fitted": ["calibration.json", "survival.csv", "fitted_scenario.toml"],
    }
    out = example["folder"] / "results" / "api_example"
    for name, expected in files.items():
        report = example["folder"] / example[name].report  # relative to the notebook's folder
        assert report.name == "report.md" and report.is_file(), name
        assert out in report.parents, name
        for file in expected:
            assert (report.parent / file).is_file(), (name, file)
    assert (example["folder"] / example["swept"].report).is_file()


def test_compare_table_is_the_paired_difference_of_its_runs(example):
    comparison, reps = example["comparison"], example["REPLICATIONS"]
    table, summaries = comparison.table, comparison.result.runs.summaries
    assert len(summaries) == 2 * reps and set(summaries["scenario"]) == {
        "it_only",
        "customer_centric",
    }
    assert set(zip(table["treatment"], table["reference"], strict=True)) == {
        ("customer_centric", "it_only")
    }
    assert table["metric"].is_unique and len(table) >= 4
    for row in table.itertuples():
        by = summaries.set_index(["scenario", "replication"])[row.metric]
        diff = (by["customer_centric"] - by["it_only"]).to_numpy(dtype=float)
        half = stats.t.ppf(0.975, reps - 1) * diff.std(ddof=1) / np.sqrt(reps)
        assert row.mean == pytest.approx(diff.mean(), rel=1e-9, abs=1e-12), row.metric
        assert (row.low, row.high) == pytest.approx((diff.mean() - half, diff.mean() + half))
        assert row.low <= row.mean <= row.high
    assert len(comparison.lines) == len(table)  # a sentence per metric


def test_a_spend_question_compares_every_pair_and_answers(example):
    spend = example["spend"]
    names = spend.result.runs.names
    assert names == ["baseline", "it_systems+300", "learning_culture+300"]
    assert len(set(zip(spend.table["treatment"], spend.table["reference"], strict=True))) == 3
    assert len(spend.lines) == 3 and spend.lines == spend.result.answers
    base = spend.result.runs.summaries.query("scenario == 'baseline'")
    assert (base["periods"] == example["PERIODS"]).all()


def test_a_sweep_runs_every_point_and_replication_on_its_recorded_seed(example):
    runs, reps, seed = example["runs"], example["REPLICATIONS"], example["SEED"]
    assert len(runs) == 3 * reps and (runs["status"] == "ok").all()
    assert sorted(runs["it_systems"].unique()) == [0.2, 0.5, 0.8]
    for row in runs.itertuples():
        assert row.seed == replication_seed(seed, row.replication)
    row = runs.sort_values(["it_systems", "replication"]).iloc[-1]
    again = run_scenario(
        "baseline",
        seed=int(row["seed"]),
        periods=example["PERIODS"],
        it_systems=float(row["it_systems"]),
        **example["SMALL"],
    )
    assert again.summary["net_value"] == row["net_value"]
    points = example["swept"].analysis.wide_points()
    assert len(points) == 3 and (points["n"] == reps).all()
    assert (points["net_value_low"] <= points["net_value_mean"]).all()
    assert (points["net_value_mean"] <= points["net_value_high"]).all()


def test_optimize_answer_fits_the_budget_and_says_whether_it_holds(example):
    best = example["best"]
    assert list(best.table["dimension"]) == list(DIMENSIONS)
    assert best.table["best"].sum() <= 3000 * (1 + 1e-9)
    assert best.table["best_level"].between(0, 1).all()
    assert best.result.budget == 3000 and best.result.eval_replications == example["REPLICATIONS"]
    assert any(line.startswith(("Converged", "Not converged")) for line in best.lines)


def test_calibrate_fits_inside_its_box_and_covers_the_observed_periods(example):
    fitted = example["fitted"]
    assert list(fitted.result.fitted) == list(DEFAULT_PARAMETERS)
    for name, value in fitted.result.fitted.items():
        low, high = fitted.result.bounds[name]
        assert low <= value <= high, name
    observed = fitted.result.observed["period"]
    assert set(observed) <= set(fitted.table["period"])
    assert (fitted.table["low"] <= fitted.table["high"]).all()


def _small(**kwargs):
    return ckm_sim.compare(
        ["it_only", "customer_centric"],
        overrides={"customers": 80, "prospects": 30, "employees": 10},
        replications=2,
        periods=6,
        progress=False,
        **kwargs,
    )


def test_the_same_seed_gives_the_same_numbers_on_any_number_of_workers(tmp_path):
    one = _small(seed=3, workers=1, out=tmp_path / "a")
    two = _small(seed=3, workers=2, out=tmp_path / "b")
    other = _small(seed=4, workers=1, out=tmp_path / "c")
    pd.testing.assert_frame_equal(one.result.runs.summaries, two.result.runs.summaries)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert not one.result.runs.summaries["net_value"].equals(
        other.result.runs.summaries["net_value"]
    )


def test_the_api_writes_what_the_command_writes(tmp_path):
    api = _small(seed=5, workers=1, out=tmp_path / "api")
    sets = ["--set", "customers=80", "--set", "prospects=30", "--set", "employees=10"]
    argv = ["compare", "it_only", "customer_centric", *sets, "-r", "2", "--periods", "6"]
    argv += ["--seed", "5", "-j", "1", "--quiet", "--out", str(tmp_path / "cli")]
    assert cli.main(argv) == 0
    written = tmp_path / "cli" / "compare" / api.report.parent.name / "differences.csv"
    pd.testing.assert_frame_equal(
        pd.read_csv(api.report.parent / "differences.csv"), pd.read_csv(written)
    )


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: ckm_sim.compare(["baseline"]), "compare needs at least two scenarios"),
        (lambda: ckm_sim.compare(["duopoly"], add=["it_systems=10"]), "has several firms"),
        (lambda: ckm_sim.optimize("baseline", budget=-5), "--budget must be a positive"),
        (lambda: ckm_sim.optimize("baseline", budget=10, method="grid"), "--method must be"),
        (lambda: ckm_sim.optimize("baseline", budget=10, trials=5), "at least 26 points"),
        (lambda: ckm_sim.optimize("duopoly", budget=10), "name whose budget"),
        (
            lambda: ckm_sim.calibrate("baseline", "data/retention_sample.csv", eval_replications=1),
            "--eval-replications must be at least 2",
        ),
    ],
)
def test_bad_arguments_are_the_commands_one_line_errors(call, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CKMError) as err:
        call()
    assert fragment in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "results").exists()  # refused before anything is written


def test_import_ckm_sim_does_not_import_the_api_or_pandas():
    code = (
        "import sys, ckm_sim; print('ckm_sim.api' in sys.modules, 'pandas' in sys.modules); "
        "from ckm_sim import compare; import ckm_sim.api; print(compare is ckm_sim.api.compare)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]
