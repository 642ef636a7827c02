"""Cohort survival from the model's state, reading retention files, and calibration recovering
parameters from data the model itself simulated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln

from ckm_sim.errors import CKMError
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.model import CKMModel
from ckm_sim.model.scenario import Scenario
from ckm_sim.whatif.calibrate.fit import calibrate, fit_window, holdout_errors, parameter_bounds
from ckm_sim.whatif.calibrate.sbg import sbg_cohort, sbg_survival
from ckm_sim.whatif.calibrate.survival import cohort_survival, read_retention, simulate_survival

SMALL = dict(customers=1000, prospects=200, employees=30, need_dimensions=20, loyalty_spread=0.0)


def test_cohort_survival_counts_the_initial_customers_only():
    model = CKMModel(Scenario(), customers=4, prospects=2, employees=10, collect=False)
    s = model.state
    s.acquired_at[:] = [0, 0, 0, 0, 3, -1]
    s.churned_at[:] = [-1, 2, 2, 5, 4, -1]  # the customer acquired at 3 is not in the cohort
    assert cohort_survival(model, 6) == pytest.approx([1, 1, 0.5, 0.5, 0.5, 0.25, 0.25])


def test_survival_with_a_fixed_churn_rate_is_geometric():
    p, n, periods = 0.05, 2000, 24
    sc = Scenario().with_overrides(fixed_churn=p, **(SMALL | {"customers": n}))
    curve = simulate_survival(sc, 3, periods)
    t = np.arange(periods + 1)
    expected = (1 - p) ** t
    se = np.sqrt(expected * (1 - expected) / n)
    assert np.all(np.abs(curve - expected) <= 4 * se + 1e-12)


def _observed(curve: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"period": np.arange(len(curve)), "active": curve, "survival": curve})


# the searches below are TPE trials then calibrate's default refinement (6 rounds of 2 d + 1
# points, ckm_sim/whatif/calibrate/refine.py): fewer trials than before the refinement, about as
# many runs


def test_calibration_recovers_a_fixed_churn_rate():
    p, periods = 0.04, 24
    sc = Scenario().with_overrides(**SMALL)
    observed = _observed((1 - p) ** np.arange(periods + 1))
    fit = calibrate(
        sc, observed, RunPlan(2, base_seed=0), ["fixed_churn"], trials=10, eval_replications=3
    )
    # 2 x 1000 customers: the simulated curve's sd is under 0.011; one period of 0.002 in p moves
    # the period-24 share by about 0.018, so the fit is good to well within 0.005
    assert fit.fitted["fixed_churn"] == pytest.approx(p, abs=0.005)
    assert fit.rmse < 0.02


def test_calibration_recovers_a_parameter_of_the_model_from_its_own_data():
    truth, periods = 0.08, 36
    sc = Scenario().with_overrides(**SMALL)
    data = sc.with_overrides(competitor_pull=truth)
    observed = _observed(
        np.mean([simulate_survival(data, 1000 + r, periods) for r in range(8)], axis=0)
    )
    fit = calibrate(
        sc, observed, RunPlan(4, base_seed=0), ["competitor_pull"], trials=12, eval_replications=4
    )
    # between-seed sd of a survival curve is about 0.03 at period 36 and the curve moves by
    # about 3 per unit of competitor_pull: a mean of 8 (data) against 4 (fit) seeds pins it to
    # about +-0.007 (one sd); the tolerance is 3 sd
    assert fit.fitted["competitor_pull"] == pytest.approx(truth, abs=0.02)
    assert fit.rmse < 3 * fit.noise_rmse


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no_such_thing", "unknown parameter"),
        ("customers", "not a continuous parameter"),
        ("margin", "does not affect the survival curve"),
    ],
)
def test_unknown_or_unsuitable_parameters_are_refused(name, message):
    with pytest.raises(CKMError, match=message):
        parameter_bounds([name])


def test_bounds_are_checked():
    assert parameter_bounds(["competitor_value"]) == {"competitor_value": (0.0, 1.0)}
    with pytest.raises(CKMError, match="within its allowed range"):
        parameter_bounds(["competitor_pull"], {"competitor_pull": (0.0, 2.0)})
    with pytest.raises(CKMError, match="LOW < HIGH"):
        parameter_bounds(["competitor_pull"], {"competitor_pull": (0.2, 0.1)})


def _write(tmp_path, text: str):
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_retention_normalises_by_the_cohort(tmp_path):
    frame = read_retention(_write(tmp_path, "# comment\nperiod,active\n0,200\n1,150\n3,100\n"))
    assert frame["survival"].tolist() == pytest.approx([1.0, 0.75, 0.5])
    shares = read_retention(_write(tmp_path, "Period, Active\n1,0.9\n2,0.8\n"))
    assert shares["survival"].tolist() == pytest.approx([0.9, 0.8])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("month,customers\n0,10\n1,9\n", "needs columns 'period' and 'active'"),
        ("period,active\n0,10\n1,x\n", "line 3"),
        ("period,active\n0,10\n0,9\n", "increase strictly"),
        ("period,active\n1,10\n2,9\n", "period-0 row"),
        ("period,active\n0,10\n1,12\n", "exceeds"),
        ("period,active\n0,10\n", "at least two rows"),
        ("", "not a readable CSV"),
    ],
)
def test_bad_retention_files_give_one_line(tmp_path, text, message):
    with pytest.raises(CKMError, match=message) as info:
        read_retention(_write(tmp_path, text))
    assert "\n" not in str(info.value)


def test_missing_retention_file(tmp_path):
    with pytest.raises(CKMError, match="no such retention file"):
        read_retention(tmp_path / "absent.csv")


# ------------------------------------------------------------------ sBG holdout (issue 9)
#: Fader & Hardie (2007), "high end" customers: alpha 0.668, beta 3.806; a period is a year
SBG = (0.668, 3.806)


def test_sbg_survival_by_hand():
    a, b = 1.0, 2.0
    # S(1) = b / (a + b) = 2/3; S(2) = 2/3 * 3/4 = 1/2; also S(t) = B(a, b + t) / B(a, b)
    assert sbg_survival(a, b, 2) == pytest.approx([1.0, 2 / 3, 0.5])
    t = np.arange(13)
    exact = np.exp(betaln(SBG[0], SBG[1] + t) - betaln(*SBG))
    assert sbg_survival(*SBG, 12) == pytest.approx(exact, rel=1e-12)


def test_fit_window_and_holdout_errors():
    observed = sbg_cohort(*SBG, 12)
    assert fit_window(observed, 7)["period"].max() == 7
    assert fit_window(observed, None) is observed
    curve = observed["survival"].to_numpy() + np.r_[np.zeros(8), [0.03, -0.04, 0, 0, 0]]
    rmse, gap = holdout_errors(curve, observed, 7)
    assert rmse == pytest.approx(np.sqrt((0.03**2 + 0.04**2) / 5)) and gap == pytest.approx(0.04)
    with pytest.raises(CKMError, match="no observed period to project"):
        fit_window(observed, 12)


@pytest.mark.slow
def test_calibration_fitted_on_7_periods_projects_an_sbg_curve():
    # the first 7 of 12 periods of an sBG curve fix the churn rate and how much customers
    # differ in it (loyalty_spread); the fitted model then projects periods 8-12. A gamma mixture
    # of geometric churn with the sBG's first-period churn (0.149) and spread (about 1.1) stays
    # within 0.008 of the sBG curve over all 12 periods (tests/test_economics.py has the
    # mixture); 2 x 5,000 customers give a simulated curve with sd under 0.005. The search box is
    # the neighbourhood the first period shows (S(1) = 0.85: churn about 0.15).
    observed = sbg_cohort(*SBG, 12)
    sc = Scenario().with_overrides(**(SMALL | {"customers": 5000}))
    fit = dict(trials=16, eval_replications=4, fit_periods=7)
    box = {"fixed_churn": (0.1, 0.2), "loyalty_spread": (0.5, 1.5)}
    plan = RunPlan(2, base_seed=0)
    mixed = calibrate(sc, observed, plan, ["fixed_churn", "loyalty_spread"], bounds=box, **fit)
    assert mixed.fitted["fixed_churn"] == pytest.approx(SBG[0] / sum(SBG), abs=0.03)
    assert mixed.rmse < 0.015 and mixed.holdout_rmse < 0.015
    # a geometric curve (everyone equally loyal) cannot bend: its projection is far worse
    flat = calibrate(sc, observed, plan, ["fixed_churn"], **fit)
    assert flat.holdout_rmse > 0.05 > 3 * mixed.holdout_rmse


def test_the_sample_retention_file_is_what_its_documented_values_generate():
    """data/retention_sample.csv was once stale (made on an older model, its documented
    generating values fitted it worse than fitted ones): it must be exactly what the current
    model gives at the values its header documents."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(
        "make_retention_sample", root / "benchmarks" / "make_retention_sample.py"
    )
    assert spec is not None and spec.loader is not None
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    text = (root / "data" / "retention_sample.csv").read_text(encoding="utf-8")
    assert "churn_floor=0.004, competitor_pull=0.07" in text  # what the docs say
    assert maker.VALUES == {"churn_floor": 0.004, "competitor_pull": 0.07}
    head = maker.sample_text(periods=12)  # the first year (a third of the runs' cost)
    assert text.startswith(head)
    assert len(text.splitlines()) == len(head.splitlines()) + 24
