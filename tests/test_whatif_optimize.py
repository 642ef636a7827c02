"""The budget optimiser: finds a known optimum through common noise, marginal values, and the
model objective gives the same answer for any number of workers."""

from __future__ import annotations

import numpy as np
import pytest
from whatif_helpers import SquareRootValue, tiny_scenario

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import paired_difference
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.objective import NetValueObjective
from ckm_sim.whatif.optimize import optimise_budget
from ckm_sim.whatif.search import evaluation_seeds

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
