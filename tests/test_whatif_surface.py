"""The response-surface search: the fit, its best point within a budget, the budget as a
ceiling, and the optimiser finding optima known in closed form, one of them an unspent budget
that searching shares of the budget cannot reach."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.whatif.optimize.budget import optimise_budget
from ckm_sim.whatif.optimize.surface import best_point, features, fit, latin_design
from ckm_sim.whatif.optimize.surface_search import (
    pooled_best,
    resampled_best,
    search_surface,
    seeds_needed,
)
from ckm_sim.whatif.shared.allocation import CostCurve

N = 5
CURVE = CostCurve(np.full(N, 2000.0), 2.0)  # the baseline's: 2,000 x level ** 2 a period


def test_features_are_the_full_quadratic():
    x = np.array([[2.0, 3.0]])
    assert features(x).tolist() == [[1.0, 2.0, 3.0, 4.0, 6.0, 9.0]]


def test_fit_recovers_a_quadratic_and_drops_group_intercepts():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, size=(60, 3))
    truth = lambda z: 5 + z @ [1.0, -2.0, 3.0] - (z**2).sum(axis=1) + z[:, 0] * z[:, 2]  # noqa: E731
    groups = np.repeat([0, 1, 2], 20)
    y = truth(x) + np.array([0.0, 40.0, -7.0])[groups]  # each group's own level
    surface = fit(x, y, groups)
    probe = rng.uniform(0, 1, size=(10, 3))
    # the shape exactly (differences between points); the level is the mean over all runs
    shape = surface.predict(probe) - surface.predict(probe[:1])
    assert shape == pytest.approx(truth(probe) - truth(probe[:1]), abs=1e-8)
    assert surface.predict(x).mean() == pytest.approx(y.mean(), abs=1e-8)
    assert surface.residual_sd == pytest.approx(0.0, abs=1e-8)
    # without the groups, their levels are noise the fit cannot explain
    assert fit(x, y).residual_sd > 10.0


def test_latin_design_is_seeded_and_stays_in_its_box():
    lo, hi = np.array([0.1, 0.2]), np.array([0.3, 0.9])
    one = latin_design(16, lo, hi, seed=4)
    assert np.array_equal(one, latin_design(16, lo, hi, seed=4))
    assert not np.array_equal(one, latin_design(16, lo, hi, seed=5))
    assert ((one >= lo) & (one <= hi)).all()
    # a Latin hypercube: one point in each of the 16 strata of every coordinate
    for d in range(2):
        strata = np.floor((one[:, d] - lo[d]) / (hi[d] - lo[d]) * 16).astype(int)
        assert sorted(strata.tolist()) == list(range(16))


@settings(max_examples=60, deadline=None)
@given(
    levels=st.lists(st.floats(0, 1), min_size=N, max_size=N),
    budget=st.floats(50.0, 12_000.0),
)
def test_within_fits_the_budget_and_only_shrinks_when_it_must(levels, budget):
    x = np.array(levels)
    inside = CURVE.within(x, budget)
    cost = CURVE.spend(x).sum()
    assert CURVE.spend(inside).sum() <= budget * (1 + 1e-9)
    assert (inside <= x + 1e-15).all()
    if cost <= budget:
        assert np.array_equal(inside, x)
    else:  # spent exactly, every dimension's spend scaled by the same factor
        assert CURVE.spend(inside).sum() == pytest.approx(budget, rel=1e-9)
        spent = CURVE.spend(x) > 1e-9
        ratio = CURVE.spend(inside)[spent] / CURVE.spend(x)[spent]
        assert np.allclose(ratio, budget / cost)


def test_top_is_the_level_the_budget_alone_buys():
    assert CURVE.top(500.0) == pytest.approx(np.full(N, 0.5))
    assert CURVE.top(9000.0) == pytest.approx(np.ones(N))


def _concave(centre: np.ndarray):
    """``-sum (x - c)^2``: a surface whose maximum is known."""
    coef = np.zeros(features(np.zeros((1, N))).shape[1])
    # features: 1, x_i, then x_i x_j (i <= j) in combinations order; squares where i == j
    coef[0] = -float(centre @ centre)
    coef[1 : N + 1] = 2 * centre
    k = N + 1
    for i in range(N):
        for j in range(i, N):
            coef[k] = -1.0 if i == j else 0.0
            k += 1
    from ckm_sim.whatif.optimize.surface import Surface

    return Surface(coef, 0.0, 0)


def test_best_point_is_the_centre_when_it_fits_the_budget():
    centre = np.array([0.2, 0.5, 0.3, 0.4, 0.6])
    best = best_point(_concave(centre), np.zeros(N), np.ones(N), CURVE, 8000.0, [np.zeros(N)])
    assert best == pytest.approx(centre, abs=1e-4)


def test_best_point_on_a_linear_budget_is_the_closed_form_projection():
    # maximise -sum (x - c)^2 subject to sum x <= 1 (shares): x = c - (sum c - 1) / n
    centre = np.array([0.5, 0.4, 0.3, 0.2, 0.1])
    shares = CostCurve.shares(1.0)
    best = best_point(_concave(centre), np.zeros(N), np.ones(N), shares, 1.0, [np.zeros(N)])
    assert best == pytest.approx(centre - (centre.sum() - 1) / N, abs=1e-4)
    assert best.sum() == pytest.approx(1.0, abs=1e-9)


def test_best_point_moves_off_its_start_on_values_as_large_as_net_values():
    # net values are of order 1e5 to 1e6: unscaled, SLSQP's absolute stopping rule "converged"
    # at its start (the search's answers then were its best noisy design points)
    centre = np.array([0.5, 0.4, 0.3, 0.2, 0.1])
    big = _concave(centre)
    big = type(big)(big.coef * 3e5 + np.eye(len(big.coef))[0] * 6e5, 0.0, 0)
    shares = CostCurve.shares(1.0)
    start = np.full(N, 0.12)
    best = best_point(big, np.zeros(N), np.ones(N), shares, 1.0, [start])
    assert best == pytest.approx(centre - (centre.sum() - 1) / N, abs=1e-3)


class Quadratic:
    """Net value ``sum w_d l_d`` minus the cost of the levels, ``2,000 l_d^2``, plus noise
    shared by every point on the same seed: the best levels are ``w_d / 4,000`` whatever the
    budget above their cost."""

    def __init__(self, weights, common_sd: float = 0.0) -> None:
        self.w, self.common_sd = np.asarray(weights, dtype=float), common_sd

    def optimum(self) -> np.ndarray:
        return self.w / (2 * CURVE.costs)

    def true_value(self, spend) -> float:
        levels = CURVE.levels(np.asarray(spend, dtype=float))
        return float(self.w @ levels - CURVE.spend(levels).sum())

    def __call__(self, spend, seed: int) -> float:
        noise = np.random.default_rng(seed).normal(0.0, self.common_sd)
        return self.true_value(spend) + noise


WEIGHTS = [1600.0, 800.0, 2400.0, 2000.0, 3200.0]  # best levels 0.4, 0.2, 0.6, 0.5, 0.8


def _runner(f, luck=None):
    """``run(jobs)`` for an objective of spend and seed; ``luck[seed]`` added if given."""
    return lambda jobs: [
        f(CURVE.spend(x), seed) + (0.0 if luck is None else luck[seed]) for x, seed in jobs
    ]


def test_one_search_finds_an_exact_quadratic_optimum():
    f = Quadratic(WEIGHTS)
    seeds = list(range(seeds_needed(48, 2)))
    found = search_surface(_runner(f), CURVE, 10_000.0, np.full(N, 0.2), 48, seeds, 2, 3)
    assert found.best == pytest.approx(f.optimum(), abs=1e-3)
    assert found.levels[0] == pytest.approx(np.full(N, 0.2))  # the start is the first point
    assert (CURVE.spend(found.levels).sum(axis=1) <= 10_000.0 * (1 + 1e-9)).all()


def test_the_design_spans_what_the_budget_can_buy_and_the_answer_fits_it():
    f = Quadratic(WEIGHTS)
    found = search_surface(_runner(f), CURVE, 1000.0, np.full(N, 0.3), 48, list(range(24)), 2, 1)
    # each level up to what 1,000 alone buys (0.71), points beyond the budget in all included:
    # they are run (net value counts their cost) and show the surface's shape
    assert found.levels.max() <= CURVE.top(1000.0)[0] + 1e-12
    assert found.levels.max() > 0.65
    assert (CURVE.spend(found.levels).sum(axis=1) > 1000.0).mean() > 0.5
    # the optimum (cost 2,900) does not fit: the answer spends the whole budget, no more
    assert CURVE.spend(found.best).sum() == pytest.approx(1000.0, rel=1e-6)
    # and it is the closed form on the budget: maximise sum w l - 2,000 l^2 subject to
    # sum 2,000 l^2 = 1,000, so l_d = w_d / (2 (2,000 + mu)) for the mu that spends 1,000
    w = np.asarray(WEIGHTS)
    mu = np.sqrt((w**2).sum() / (4 * 2000.0 * 1000.0)) * 2000.0 - 2000.0
    assert found.best == pytest.approx(w / (2 * (2000.0 + mu)), abs=1e-3)


def test_each_seed_serves_a_few_points_and_its_luck_is_its_intercept():
    # every seed adds a large luck of its own to every value it gives: the fit must see through
    f = Quadratic(WEIGHTS)
    luck = np.random.default_rng(0).normal(0.0, 5_000.0, size=100)
    found = search_surface(
        _runner(f, luck), CURVE, 10_000.0, np.full(N, 0.2), 48, list(range(100)), 2, 3
    )
    # point i's replication r on seed (i // 4) * 2 + r: 4 points per seed, 24 seeds in all
    assert found.seed.tolist()[:10] == [0, 1, 0, 1, 0, 1, 0, 1, 2, 3]
    assert len(set(found.seed.tolist())) == seeds_needed(48, 2) == 24
    assert found.best == pytest.approx(f.optimum(), abs=1e-3)
    with pytest.raises(ValueError, match="seeds"):
        search_surface(_runner(f), CURVE, 10_000.0, np.full(N, 0.2), 48, list(range(23)), 2, 3)


def _searches(run, count: int, points: int):
    """``count`` searches of ``points`` points, 2 runs each, on disjoint seeds, design seed k."""
    need = seeds_needed(points, 2)
    seeds = [list(range(need * k, need * (k + 1))) for k in range(count)]
    start = np.full(N, 0.2)
    return [
        search_surface(run, CURVE, 10_000.0, start, points, seeds[k], 2, k) for k in range(count)
    ]


def test_the_pooled_fit_ignores_each_seeds_own_luck():
    f = Quadratic(WEIGHTS)
    luck = np.random.default_rng(1).normal(0.0, 5_000.0, size=48)
    searches = _searches(_runner(f, luck), 3, 32)
    assert pooled_best(searches, CURVE, 10_000.0) == pytest.approx(f.optimum(), abs=1e-3)


def test_resampled_answers_collapse_without_noise_and_spread_with_it():
    f = Quadratic(WEIGHTS)
    searches = _searches(_runner(f), 2, 32)
    answer = pooled_best(searches, CURVE, 10_000.0)
    exact = resampled_best(searches, CURVE, 10_000.0, answer, draws=10)
    assert exact.shape == (10, N) and np.allclose(exact, f.optimum(), atol=1e-3)
    # runs with noise of their own (not a seed's level): the resampled answers spread around
    noisy = Quadratic(WEIGHTS)
    rng = np.random.default_rng(3)
    run = lambda jobs: [noisy(CURVE.spend(x), s) + rng.normal(0, 200.0) for x, s in jobs]  # noqa: E731
    searches = _searches(run, 3, 64)
    answer = pooled_best(searches, CURVE, 10_000.0)
    draws = resampled_best(searches, CURVE, 10_000.0, answer, draws=40, seed=1)
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    assert (high - low > 1e-3).all()
    assert ((low <= answer + 1e-9) & (answer <= high + 1e-9)).all()
    assert ((low <= f.optimum()) & (f.optimum() <= high)).sum() >= 4  # a 95% interval each


class Saturating(Quadratic):
    """``sum w_d (1 - exp(-3 l_d))`` minus the levels' cost: smooth and saturating like the
    model's response, not a quadratic. Its optimum solves ``3 w_d exp(-3 l) = 4,000 l`` in each
    dimension on its own (found by bisection)."""

    def optimum(self) -> np.ndarray:
        from scipy.optimize import brentq

        return np.array(
            [brentq(lambda x, w=w: 3 * w * np.exp(-3 * x) - 4000 * x, 0, 1) for w in self.w]
        )

    def true_value(self, spend) -> float:
        levels = CURVE.levels(np.asarray(spend, dtype=float))
        return float(self.w @ (1 - np.exp(-3 * levels)) - CURVE.spend(levels).sum())


def _by_surface(f, plan: RunPlan, trials: int, budget: float = 10_000.0):
    """The optimiser's defaults on ``f``: 3 searches on their own seeds, the pooled answer."""
    return optimise_budget(
        f, budget, plan, trials=trials, eval_replications=4, restarts=3, curve=CURVE,
        distinct_seeds=True, centroid=True, method="surface",
    )  # fmt: skip


def test_the_surface_finds_a_saturating_optimum_within_a_twentieth_of_a_level():
    f = Saturating([2000.0, 1200.0, 3000.0, 2500.0, 4000.0], common_sd=20.0)
    opt = _by_surface(f, RunPlan(2, base_seed=2), trials=96)
    assert np.abs(CURVE.levels(opt.best) - f.optimum()).max() < 0.05
    # and it is worth (almost) what the optimum is worth
    best_possible = f.true_value(CURVE.spend(f.optimum()))
    assert f.true_value(opt.best) > best_possible - 0.01 * abs(best_possible)


def test_an_unspent_budget_is_found_by_the_surface_not_by_shares_of_the_budget():
    # the optimum costs 2,000 x (0.16 + 0.04 + 0.36 + 0.25 + 0.64) = 2,900 of a 10,000 budget;
    # shares of the budget spend all 10,000 and cannot buy it
    f = Quadratic(WEIGHTS, common_sd=50.0)
    plan = RunPlan(2, base_seed=5)
    opt = _by_surface(f, plan, trials=64)
    assert CURVE.levels(opt.best) == pytest.approx(f.optimum(), abs=0.03)
    assert opt.spent == pytest.approx(2900.0, rel=0.05)
    assert opt.verdict.converged, opt.verdict.reasons
    assert any("does not bind" in r for r in opt.verdict.reasons)
    shares = optimise_budget(f, 10_000.0, plan, trials=20, eval_replications=4, curve=CURVE)
    assert np.abs(CURVE.levels(shares.best) - f.optimum()).max() > 0.1
    assert f.true_value(opt.best) > f.true_value(shares.best)


def test_a_paying_marginal_value_with_budget_left_means_the_search_stopped_short():
    from ckm_sim.experiments.stats import Estimate
    from ckm_sim.whatif.optimize.convergence import verdict

    names = ("a", "b")
    paying = [Estimate(5.0, 2.0, 8.0, 1.0, 8), Estimate(-1.0, -3.0, 1.0, 1.0, 8)]
    flat = [Estimate(0.5, -2.0, 3.0, 1.0, 8), Estimate(-1.0, -3.0, 1.0, 1.0, 8)]
    full = np.zeros(2, dtype=bool)
    args = dict(move=None, step=100.0, dimensions=names, budget=10_000.0)
    short = verdict([np.zeros(2)], [], paying, full, spent=2_000.0, **args)
    assert not short.converged
    assert any("more on a raises net value" in r and "stopped short" in r for r in short.reasons)
    # the same marginal values with the budget spent: no room, nothing stopped short
    spent = verdict([np.zeros(2)], [], paying, full, spent=9_950.0, **args)
    assert spent.converged and not any("stopped short" in r for r in spent.reasons)
    # room, but no marginal value pays outside its CI
    assert verdict([np.zeros(2)], [], flat, full, spent=2_000.0, **args).converged


def test_too_few_points_for_a_quadratic_are_refused():
    with pytest.raises(ValueError, match="at least 26 points"):
        optimise_budget(Quadratic(WEIGHTS), 100.0, RunPlan(1), trials=25, method="surface")


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        optimise_budget(Quadratic(WEIGHTS), 100.0, RunPlan(1), method="grid")
