"""The budget optimiser: finds a known optimum through common noise, marginal values, and the
model objective gives the same answer for any number of workers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from whatif_helpers import SquareRootValue, tiny_scenario

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import paired_difference
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.optimize.budget import optimise_budget
from ckm_sim.whatif.optimize.polish import polish
from ckm_sim.whatif.optimize.report import next_unit_sentence
from ckm_sim.whatif.shared.objective import NetValueObjective
from ckm_sim.whatif.shared.search import evaluation_seeds

WEIGHTS = [1.0, 2.0, 3.0, 0.5, 0.5]
BUDGET = 100.0


def test_optimiser_finds_the_known_optimum_through_noise():
    # common noise (sd 5) is as large as the whole gain of the optimum over the even split
    # (38.08 - 31.30 = 6.78): only common random numbers let the search see the gradient
    f = SquareRootValue(WEIGHTS, common_sd=5.0, own_sd=0.05)
    opt = optimise_budget(
        f, BUDGET, RunPlan(2, base_seed=3), trials=80, eval_replications=6, step=0.5
    )
    best_possible = f.true_value(f.optimum(BUDGET))
    even = f.true_value(opt.even)
    assert best_possible == pytest.approx(np.sqrt(BUDGET * 14.5))
    # within 2% of the gain over the even split, and every share within 8% of the budget
    assert f.true_value(opt.best) > best_possible - 0.02 * (best_possible - even)
    assert np.abs(opt.best - f.optimum(BUDGET)).max() < 0.08 * BUDGET
    assert opt.best.sum() == pytest.approx(BUDGET)
    # the fresh-seed paired gain over the even split brackets the true gain
    true_gain = f.true_value(opt.best) - even
    assert opt.gain.low < true_gain < opt.gain.high + 0.2
    assert opt.gain.excludes_zero


def test_marginal_values_are_equal_at_the_optimum():
    # at the optimum every dimension's marginal value is lambda = sqrt(sum a^2 / B) / 2
    f = SquareRootValue(WEIGHTS, common_sd=5.0, own_sd=0.0)
    lam = f.marginal(BUDGET)
    opt = optimise_budget(f, BUDGET, RunPlan(1), trials=4, eval_replications=3, step=0.01)
    # the paired forward difference used for marginal values, at the true optimum
    s = f.optimum(BUDGET)
    seeds = evaluation_seeds(RunPlan(1, base_seed=0), 3)
    base = [f(s, seed) for seed in seeds]
    for d in range(5):
        up = [f(s + 0.01 * np.eye(5)[d], seed) for seed in seeds]
        # forward difference of sqrt: bias about lambda * step / (4 s_d) < 0.2% here
        assert paired_difference(up, base).mean / 0.01 == pytest.approx(lam, rel=0.01)
    # and the optimiser's own marginal values are consistent with its best allocation
    for d, m in enumerate(opt.marginal):
        expected = (f.true_value(opt.best + 0.01 * np.eye(5)[d]) - f.true_value(opt.best)) / 0.01
        assert m.mean == pytest.approx(expected, rel=1e-6, abs=1e-9)


def test_model_optimisation_is_identical_for_any_number_of_workers(tmp_path):
    scenario = load_scenario(tiny_scenario(tmp_path))
    objective = NetValueObjective(scenario, periods=6)
    kwargs = dict(trials=4, eval_replications=2, batch=2)
    one = optimise_budget(objective, 2500.0, RunPlan(2, base_seed=11, workers=1), **kwargs)
    two = optimise_budget(objective, 2500.0, RunPlan(2, base_seed=11, workers=2), **kwargs)
    assert one.history == two.history
    assert np.array_equal(one.best, two.best)
    assert one.best_value == two.best_value
    assert [m.mean for m in one.marginal] == [m.mean for m in two.marginal]
    # the even split is the first trial, so the best is at least as good on the search seeds
    assert max(h["value"] for h in one.history) >= one.history[0]["value"]
    assert one.history[0]["it_systems"] == pytest.approx(500.0)


def test_budget_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        optimise_budget(SquareRootValue(WEIGHTS), -1.0, RunPlan(1), trials=1)


def test_restarts_and_polish_find_the_known_optimum_and_say_so():
    f = SquareRootValue(WEIGHTS, common_sd=5.0, own_sd=0.05)
    opt = optimise_budget(
        f,
        BUDGET,
        RunPlan(2, base_seed=7),
        trials=30,
        eval_replications=6,
        restarts=3,
        polish_steps=8,
        tolerance=0.1,
    )
    assert len(opt.candidates) == 3
    # every search's split within 10% of the budget of the closed-form optimum on each share
    for c in opt.candidates:
        assert np.abs(c - f.optimum(BUDGET)).max() < 0.10 * BUDGET
    assert np.abs(opt.best - f.optimum(BUDGET)).max() < 0.06 * BUDGET
    assert opt.verdict.converged, opt.verdict.reasons
    # sqrt keeps rising: more budget always pays, and the report warns of it
    assert any("every marginal value is positive" in w for w in opt.verdict.warnings)


def test_a_search_that_stopped_at_the_even_split_is_not_converged():
    # one trial: the even split; with no own noise the paired marginal values are exact and
    # differ (a_d / (2 sqrt(20))), so moving spend to the heaviest dimension pays
    f = SquareRootValue(WEIGHTS, common_sd=5.0, own_sd=0.0)
    opt = optimise_budget(f, BUDGET, RunPlan(2), trials=1, eval_replications=3, step=1.0)
    assert np.allclose(opt.best, opt.even)
    assert not opt.verdict.converged
    assert any("to customer_cooperation raises net value" in r for r in opt.verdict.reasons)


class _Costly(SquareRootValue):
    """sqrt value minus a cost of 10 per unit spent: at B = 100 every marginal value,
    lambda - 10 = 0.95 - 10, is negative."""

    def __call__(self, spend, seed: int) -> float:
        return super().__call__(spend, seed) - 10.0 * float(np.sum(spend))


def test_every_marginal_value_negative_warns_the_budget_is_too_large():
    f = _Costly(WEIGHTS, common_sd=5.0, own_sd=0.0)
    opt = optimise_budget(f, BUDGET, RunPlan(2), trials=4, eval_replications=3, step=1.0)
    assert all(m.high < 0 for m in opt.marginal)
    assert any("every marginal value is negative" in w for w in opt.verdict.warnings)
    assert not any("positive" in w for w in opt.verdict.warnings)


def test_polish_climbs_to_the_optimum_from_the_even_split():
    f = SquareRootValue(WEIGHTS, common_sd=0.0, own_sd=0.0)

    def score(points):
        return [f.true_value(p) for p in points]

    even = np.full(5, BUDGET / 5)
    out = polish(score, even, f.true_value(even), step=10.0, iterations=60)
    assert out.point.sum() == pytest.approx(BUDGET)
    assert np.abs(out.point - f.optimum(BUDGET)).max() < 2.0
    assert out.value > f.true_value(even)


def _marginal_table(saturated: list[bool], marginal: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension": ["it_systems", "learning_culture", "customer_cooperation"],
            "saturated": saturated,
            "marginal": marginal,
            "marginal_low": [m - 1.0 for m in marginal],
            "marginal_high": [m + 1.0 for m in marginal],
        }
    )


def test_next_unit_never_goes_to_a_dimension_at_its_full_level():
    # culture is full (its marginal value is reported as exactly 0); the open dimensions lose
    # money: the sentence must name the best open one, not culture's 0
    table = _marginal_table([False, True, False], [-50.0, 0.0, -20.0])
    line = next_unit_sentence(table, "month")
    assert "customer_cooperation" in line and "learning_culture" not in line
    assert "spending more lowers net value" in line


def test_next_unit_when_every_dimension_is_full():
    line = next_unit_sentence(_marginal_table([True, True, True], [0.0, 0.0, 0.0]), "month")
    assert "Every dimension is at its full level" in line
