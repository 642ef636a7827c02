"""The three what-if commands end to end on a tiny scenario, and their one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from whatif_helpers import calibrate_argv, compare_argv, tiny_scenario

from ckm_sim.cli import main
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.calibrate.fit import Calibration


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


def test_compare_writes_a_report_with_sentences(tmp_path, capsys):
    low = tiny_scenario(tmp_path, "low", level=0.2)
    high = tiny_scenario(tmp_path, "high", level=0.9)
    out = tmp_path / "results"
    argv = compare_argv(low, high, out)
    code = main(argv)
    assert code == 0
    folder = out / "compare" / "low_vs_high"
    report = (folder / "report.md").read_text()
    assert "95% CI" in report and ("over low" in report or "relative to low" in report)
    assert "Net value convention: horizon" in report
    for name in ("paths.png", "differences.png", "differences.csv", "summaries.parquet"):
        assert (folder / name).stat().st_size > 0
    data = json.loads((folder / "comparison.json").read_text())
    assert len(data["sentences"]) == 4  # one pair, four metrics
    assert any("net value" in s for s in data["sentences"])
    assert "net value" in capsys.readouterr().out


def test_optimize_writes_a_report(tmp_path, capsys):
    sc = tiny_scenario(tmp_path)
    out = tmp_path / "results"
    args = ["optimize", str(sc), "--budget", "2500", "--trials", "4", "--periods", "6"]
    args += ["--restarts", "2", "--polish", "1", "--method", "tpe", "--workers", "1"]
    code = main([*args, "-r", "1", "--eval-replications", "2", "--out", str(out), "--quiet"])
    assert code == 0
    folder = out / "optimize" / "tiny_budget2500"
    optimum = json.loads((folder / "optimum.json").read_text())
    spend = [row["best"] for row in optimum["allocation"]]
    assert sum(spend) == pytest.approx(2500.0)
    assert (folder / "allocation.png").stat().st_size > 0
    assert "even split" in (folder / "report.md").read_text()
    report = (folder / "report.md").read_text()
    assert "Net value convention: horizon" in report
    assert "A period is a month" in report and "6 months" in report
    assert "net value per 1,000 EUR more a month" in report and "Does the answer hold?" in report
    assert optimum["restarts"] == 2 and len(optimum["candidates"]) == 2
    assert optimum["verdict"]["converged"] in (True, False)
    assert optimum["verdict"]["tolerance_unit"] == "level"
    assert "levels bought" in report and "each on its own trial seeds" in report
    out_text = capsys.readouterr().out
    assert "next unit of budget" in out_text or "No dimension repays a larger budget" in out_text
    assert "onverged" in out_text


def test_optimize_by_surface_writes_its_method_and_level_intervals(tmp_path, capsys):
    sc = tiny_scenario(tmp_path)
    out = tmp_path / "results"
    args = [
        "optimize",
        str(sc),
        "--budget",
        "2500",
        "--trials",
        "30",
        "--periods",
        "6",
        "--workers",
        "1",
    ]
    code = main([*args, "-r", "1", "--eval-replications", "2", "--out", str(out), "--quiet"])
    assert code == 0
    folder = out / "optimize" / "tiny_budget2500"
    optimum = json.loads((folder / "optimum.json").read_text())
    report = (folder / "report.md").read_text()
    assert optimum["method"] == "surface" and optimum["restarts"] == 3
    assert "Response surface: 3 searches of 30 points each" in report
    # the budget is a ceiling: what the answer spends is at most the budget
    assert optimum["spent"] <= 2500.0 + 1e-6
    spend = [row["best"] for row in optimum["allocation"]]
    assert sum(spend) == pytest.approx(optimum["spent"])
    # the answer is the pooled fit unless beaten: then its level intervals are in the table
    low, high = optimum["level_interval"]
    assert all(lo <= hi for lo, hi in zip(low, high, strict=True))
    if optimum["centroid"] == spend:
        assert "Level intervals" in report
    assert "onverged" in capsys.readouterr().out


def test_the_commands_fewest_points_are_the_searchs():
    from ckm_sim.model.scenario import DIMENSIONS
    from ckm_sim.whatif.optimize.settings import SURFACE_FEWEST
    from ckm_sim.whatif.optimize.surface_search import fewest_points

    assert fewest_points(len(DIMENSIONS)) == SURFACE_FEWEST


def test_calibrate_writes_a_report(tmp_path, capsys):
    out = tmp_path / "results"
    args = calibrate_argv(tmp_path)
    code = main([*args, "--trials", "4", "-r", "1", "--eval-replications", "2", "--out", str(out)])
    assert code == 0
    folder = out / "calibrate" / "tiny_cohort"
    result = json.loads((folder / "calibration.json").read_text())
    assert 0.0 <= result["fitted"]["competitor_pull"] <= 0.3
    assert (folder / "survival.png").stat().st_size > 0
    assert "RMSE" in (folder / "report.md").read_text()
    assert "a period is a month" in (folder / "report.md").read_text()
    assert "6 months (0.5 years)" in (folder / "report.md").read_text()
    assert result["fit_periods"] is None and result["holdout_rmse"] is None


def test_calibrate_with_fit_periods_reports_the_holdout(tmp_path):
    sc = tiny_scenario(tmp_path)
    out = tmp_path / "results"
    sbg = Path(__file__).resolve().parents[1] / "data" / "retention_sbg.csv"
    args = ["calibrate", str(sc), "--retention", str(sbg), "--fit", "fixed_churn"]
    args += [
        "--fit-periods",
        "7",
        "--trials",
        "4",
        "-r",
        "1",
        "--eval-replications",
        "2",
        "--workers",
        "1",
    ]
    code = main([*args, "--out", str(out), "--quiet"])
    assert code == 0
    folder = out / "calibrate" / "tiny_retention_sbg"
    result = json.loads((folder / "calibration.json").read_text())
    assert result["fit_periods"] == 7 and result["holdout_rmse"] > 0
    report = (folder / "report.md").read_text()
    assert "holdout RMSE" in report and "| holdout |" in report


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["optimize", "baseline", "--budget", "-5"], "--budget must be a positive"),
        (["optimize", "baseline", "--budget", "5", "--level-tolerance", "0"], "a level in (0, 1]"),
        (["optimize", "baseline", "--budget", "5", "--trials", "8"], "needs at least 26 points"),
        (["calibrate", "baseline", "--retention", "absent.csv"], "no such retention file"),
        (["compare", "baseline"], "at least two scenarios"),
        (["compare", "baseline", "no_such_scenario"], "no such scenario file"),
    ],
)
def test_bad_inputs_give_one_line_and_a_non_zero_exit(argv, message, capsys):
    assert main(argv) != 0
    assert message in _error_line(capsys)


def test_calibrate_refuses_wrong_columns_and_unknown_parameters(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("month,customers\n0,10\n1,9\n", encoding="utf-8")
    assert main(["calibrate", "baseline", "--retention", str(bad)]) == 2
    assert "needs columns 'period' and 'active'" in _error_line(capsys)
    good = tmp_path / "good.csv"
    good.write_text("period,active\n0,10\n1,9\n", encoding="utf-8")
    argv = ["calibrate", "baseline", "--retention", str(good), "--fit", "charisma"]
    assert main(argv) == 2
    assert "cannot calibrate 'charisma': unknown parameter" in _error_line(capsys)


def test_calibrate_projects_and_writes_a_ready_scenario(tmp_path):
    sc = tiny_scenario(tmp_path)
    csv = tmp_path / "cohort.csv"
    csv.write_text("period,active\n0,300\n1,290\n2,281\n4,265\n6,250\n", encoding="utf-8")
    out = tmp_path / "results"
    args = ["calibrate", str(sc), "--retention", str(csv), "--fit", "competitor_pull"]
    args += [
        "--project",
        "4",
        "--trials",
        "3",
        "-r",
        "1",
        "--eval-replications",
        "3",
        "--workers",
        "1",
    ]
    assert main([*args, "--out", str(out), "--quiet"]) == 0
    folder = out / "calibrate" / "tiny_cohort"
    result = json.loads((folder / "calibration.json").read_text())
    curve = pd.read_csv(folder / "survival.csv")
    assert curve["period"].max() == 10  # 6 observed + 4 projected
    # the band of single runs is wider than the CI of the mean (3 runs: min to max, roughly)
    assert (curve["single_high"] - curve["single_low"]).iloc[1:].min() > 0
    # RMSE without period 0, recomputed from the written curve
    seen = curve.dropna(subset=["survival"])
    seen = seen[seen["period"] > 0]
    rmse = float(np.sqrt(np.mean((seen["mean"] - seen["survival"]) ** 2)))
    assert result["rmse"] == pytest.approx(rmse, rel=1e-9)
    # the fitted scenario loads back with the fitted value
    fitted = load_scenario(folder / "fitted_scenario.toml")
    assert fitted.market.competitor_pull == pytest.approx(result["fitted"]["competitor_pull"])
    assert fitted.name == "tiny_fitted" and fitted.market.customers == 300


def test_fit_ratio_of_the_best_trials():
    history = [{"rmse": r} for r in (0.02, 0.01, 0.05, 0.011, 0.012, 0.3)]
    # the 5 best: 0.01, 0.011, 0.012, 0.02, 0.05 -> 0.05 / 0.01
    assert Calibration.fit_ratio(SimpleNamespace(history=history)) == pytest.approx(5.0)
