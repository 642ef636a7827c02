"""Comparing investment plans and the payback period (docs/whatif.md, "Investment plans")."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from whatif_helpers import tiny_scenario

from ckm_sim.cli import main
from ckm_sim.model.investment import Trajectory
from ckm_sim.model.scenario import ScenarioError, load_scenario
from ckm_sim.whatif.optimize.plans import load_plans
from ckm_sim.whatif.shared.payback import payback_from_differences, settles_positive


def _differences(curve, offsets) -> pd.DataFrame:
    """Per replication r and period t, ``curve[t] + offsets[r]``."""
    rows = [
        {"replication": r, "period": t, "net_value": c + o}
        for r, o in enumerate(offsets)
        for t, c in enumerate(curve)
    ]
    return pd.DataFrame(rows)


def test_settles_positive_is_the_last_crossing():
    periods = np.arange(8)
    assert settles_positive(np.array([0, -1, 2, -1, 3, 4, 5, 6.0]), periods) == 4
    assert settles_positive(np.array([1, 2, 3.0]), np.arange(3)) == 0
    assert settles_positive(np.array([0, -1, 2, 3, -0.5]), np.arange(5)) is None
    assert settles_positive(np.array([0, 0, 0.0]), np.arange(3)) is None  # zero is not a gain


def test_payback_period_and_its_interval_invert_the_band():
    # cost first, gain later: D(t) = 2 (t - 30) plus a replication's offset (sd about 3)
    offsets = np.array([-4.0, -1.0, 0.5, 2.0, 3.5, -2.0])
    curve = 2.0 * (np.arange(61) - 30.0)
    got = payback_from_differences(_differences(curve, offsets), "plan", "base")
    mean = offsets.mean()
    half = stats.t.ppf(0.975, len(offsets) - 1) * offsets.std(ddof=1) / np.sqrt(len(offsets))
    # D(t) > x  <=>  t > 30 + x / 2: the first whole period above each bound
    first_above = lambda shift: int(np.floor(30 - shift / 2.0)) + 1  # noqa: E731
    assert got.period == first_above(mean)
    assert got.earliest == first_above(mean + half)
    assert got.latest == first_above(mean - half)
    assert got.earliest <= got.period <= got.latest
    assert got.horizon == 60
    assert got.final_mean == pytest.approx(60 + mean)
    assert "pays back against base from month" in got.sentence("month")


def test_an_investment_that_never_recovers_does_not_pay_back_within_the_horizon():
    curve = -np.arange(25.0)  # it only costs
    got = payback_from_differences(_differences(curve, [-1.0, 0.0, 1.0]), "plan", "base")
    assert got.period is None and got.latest is None
    assert "does not pay back against base within the horizon (24 months)" in got.sentence("month")


def test_a_gain_not_settled_at_the_horizon_has_an_open_upper_bound():
    curve = np.arange(-10.0, 3.0)  # crosses zero at the very end
    got = payback_from_differences(_differences(curve, [-3.0, 0.0, 3.5]), "plan", "base")
    assert got.period is not None and got.latest is None
    assert "to not within the horizon" in got.sentence("month")


def test_plans_files_give_one_line_errors(tmp_path):
    base = load_scenario("baseline")
    cases = {
        "[early]\n[[early.phases]]\nstart = 1\nculture = 5\n": "plan 'early'",
        "early = 3\n": "'early' must be a table",
        "": "no plans",
        "[baseline]\n": "has the base scenario's name",
        '["a/b"]\n': "plain name",
    }
    for text, message in cases.items():
        path = tmp_path / "plans.toml"
        path.write_text(text)
        with pytest.raises(ScenarioError, match=message) as info:
            load_plans(base, path)
        assert "\n" not in str(info.value)


def test_the_shipped_plans_spend_the_same_total():
    base = load_scenario("baseline")
    early, spread = load_plans(base, "data/plans_early_vs_spread.toml")
    assert (early.name, spread.name) == ("early", "spread")
    extra = 36_000.0  # 1,500 more on two dimensions for 12 months; 500 more for 36
    for sc in (early, spread):
        assert Trajectory(sc).total_spend(120) == pytest.approx(120 * 2500 + extra)


def test_optimize_compares_plans_and_reports_payback(tmp_path, capsys):
    sc = tiny_scenario(tmp_path, level=0.2)  # each dimension holds 80 a month
    plans = tmp_path / "plans.toml"
    plans.write_text(
        "[early]\n[[early.phases]]\nstart = 1\nit_systems = 1000\n"
        "[[early.phases]]\nstart = 4\nit_systems = 80\n"
        "[spread]\n[[spread.phases]]\nstart = 1\nit_systems = 400\n"
        "[[spread.phases]]\nstart = 8\nit_systems = 80\n"
    )
    out = tmp_path / "results"
    args = [
        "optimize",
        str(sc),
        "--plans",
        str(plans),
        "-r",
        "3",
        "--periods",
        "10",
        "--workers",
        "1",
    ]
    assert main([*args, "--out", str(out), "--quiet", "--name", "p"]) == 0
    data = json.loads((out / "optimize" / "p" / "comparison.json").read_text())
    assert data["scenarios"] == ["tiny", "early", "spread"]
    assert len(data["answers"]) == 3 and all("95% CI" in a for a in data["answers"])
    assert [p["treatment"] for p in data["payback"]] == ["early", "spread"]
    report = (out / "optimize" / "p" / "report.md").read_text()
    assert "## When it pays back" in report
    # early: 3 months of 1,000 + 4 x 80, then 7 months of 5 x 80
    assert "early 676" in report and "under its plan, 6,760 over 10 months" in report
    printed = capsys.readouterr().out
    assert "pay" in printed and "back against tiny" in printed


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--plans", "nope.toml"], "nope.toml"),
        (["--plans", "data/plans_early_vs_spread.toml", "--budget", "5"], "not both"),
        ([], "needs --budget"),
    ],
)
def test_optimize_plan_errors_are_one_line(tmp_path, capsys, extra, message):
    code = main(["optimize", "baseline", *extra, "--out", str(tmp_path), "--quiet"])
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert message in err


def test_budget_and_spend_questions_refuse_a_dimension_a_plan_sets(tmp_path, capsys):
    path = tiny_scenario(tmp_path, level=0.2)
    path.write_text(
        path.read_text() + "\n[[plan.phases]]\nstart = 1\nit_systems = 100\n", encoding="utf-8"
    )
    for args, message in (
        (["optimize", str(path), "--budget", "1000"], "has an investment plan"),
        (["compare", str(path), "--add", "it_systems=100"], "investment plan sets the spend"),
    ):
        assert main([*args, "--out", str(tmp_path), "--quiet"]) != 0
        err = capsys.readouterr().err.strip()
        assert "Traceback" not in err and len(err.splitlines()) == 1, err
        assert message in err
