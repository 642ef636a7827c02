"""The optimiser's convergence verdict compares what the searches' splits buy (levels capped at
1), not their shares of the budget: spend beyond a dimension's full cost buys nothing."""

from __future__ import annotations

import numpy as np
import pytest
from whatif_helpers import SquareRootValue, tiny_scenario

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import Estimate
from ckm_sim.model.scenario import DIMENSIONS, load_scenario
from ckm_sim.whatif.optimize.budget import _winner, optimise_budget
from ckm_sim.whatif.optimize.convergence import agreement, level_spread, verdict
from ckm_sim.whatif.shared.allocation import levels_for_spend

SAME = Estimate(0.0, 0.0, 0.0, 0.0, 8)  # a candidate that is the winner itself


def _verdict(levels, versus, tolerance=0.10):
    n = len(DIMENSIONS)
    flat = [Estimate(0.0, -1.0, 1.0, 1.0, 8)] * n
    return verdict(
        levels, versus, flat, np.zeros(n, bool), None, 1.0, DIMENSIONS, tolerance=tolerance
    )


def test_level_spread_by_hand_caps_at_one_and_names_the_dimension():
    a = np.array([0.5, 1.0, 0.2])
    b = np.array([0.6, 1.4, 0.2])  # 1.4 is capped: spend beyond the full cost buys nothing
    c = np.array([0.45, 1.0, 0.5])
    assert level_spread([a, b]) == pytest.approx((0.1, 0))
    assert level_spread([a, b, c]) == pytest.approx((0.3, 2))
    assert level_spread([a]) == (0.0, None)


def test_a_saturated_dimension_whose_shares_differ_counts_as_agreement(tmp_path):
    # IT and culture are full in both splits of 10,000 (2,000 is the full cost of each at the
    # tiny scenario's 2,000 x level**2); the excess lies 4,590 / 4,590 in one split and
    # 2,590 / 6,590 in the other: shares differ by 20% of the budget, which the old share-based
    # verdict (tolerance 10%) counted as the searches differing (flat at best), but both splits
    # buy the same levels: the same answer, and the same runs (a paired difference of 0)
    scenario = load_scenario(tiny_scenario(tmp_path))
    one = np.array([320.0, 180.0, 320.0, 4590.0, 4590.0])
    two = np.array([320.0, 180.0, 320.0, 2590.0, 6590.0])
    assert np.abs(one / 10_000 - two / 10_000).max() == pytest.approx(0.2)
    levels = [levels_for_spend(scenario, s) for s in (one, two)]
    assert levels[0][3:].tolist() == levels[1][3:].tolist() == [1.0, 1.0]
    v = _verdict(levels, [SAME, SAME])
    assert v.converged, v.reasons
    assert v.level_spread == 0.0
    assert "agree" in v.reasons[0] and "flat" not in v.reasons[0]
    assert v.as_dict()["tolerance_unit"] == "level"


def test_levels_that_differ_and_a_worse_search_are_not_converged_and_named():
    win = np.array([0.4, 0.3, 0.3, 0.5, 1.0])
    other = np.array([0.4, 0.6, 0.3, 0.45, 1.0])  # organisational systems differs by 0.3
    v = _verdict([win, other], [SAME, Estimate(-5000.0, -8000.0, -2000.0, 4000.0, 8)])
    assert not v.converged
    assert v.level_spread == pytest.approx(0.3)
    assert v.spread_dimension == "organisational_systems"
    assert "disagree" in v.reasons[0] and "organisational_systems" in v.reasons[0]
    assert "5,000" in v.reasons[0]  # the shortfall, with its CI


def test_levels_that_differ_but_cannot_be_told_apart_are_flat_and_say_so():
    win = np.array([0.4, 0.3, 0.3, 0.5, 1.0])
    other = np.array([0.4, 0.6, 0.3, 0.45, 1.0])
    v = _verdict([win, other], [SAME, Estimate(-1500.0, -4000.0, 1000.0, 3000.0, 8)])
    assert v.converged
    reason = v.reasons[0]
    assert "flat" in reason and "organisational_systems" in reason
    assert "1,500" in reason and "-1,000 to 4,000" in reason and "8 paired" in reason
    assert "flatter than these evaluation replications resolve" in reason


def test_the_tolerance_is_in_levels():
    win = np.array([0.4, 0.3, 0.3, 0.5, 1.0])
    other = win + np.array([0.0, 0.15, 0.0, 0.0, 0.0])
    worse = Estimate(-5000.0, -8000.0, -2000.0, 4000.0, 8)
    kind, _ = agreement([win, other], [SAME, worse], DIMENSIONS, tolerance=0.2)
    assert kind == "agree"
    kind, _ = agreement([win, other], [SAME, worse], DIMENSIONS, tolerance=0.1)
    assert kind == "disagree"


def test_the_centroid_is_the_answer_unless_a_search_beats_it_outside_the_ci():
    rng = np.random.default_rng(0)
    luck = rng.normal(0.0, 10.0, 8)  # common to every point on a seed
    noise = rng.normal(0.0, 1.0, (3, 8))
    # the first search is 0.5 better on average: within the noise, so the centroid stays
    values = np.array([luck + 0.5, luck, luck + 0.2]) + noise
    assert _winner(values, last_is_centroid=True) == 2
    assert _winner(values, last_is_centroid=False) == int(np.argmax(values.mean(axis=1)))
    # ten noise sds better on every seed: beaten outside the CI, the best mean wins
    values[0] += 10.0
    assert _winner(values, last_is_centroid=True) == 0


def test_distinct_seeds_and_the_centroid_on_the_known_optimum():
    # each search on its own two seeds; the mean of their best splits is the answer unless
    # beaten: it lies within 6% of the budget of the closed-form optimum on every share
    f = SquareRootValue([1.0, 2.0, 3.0, 0.5, 0.5], common_sd=5.0, own_sd=0.05)
    opt = optimise_budget(
        f,
        100.0,
        RunPlan(2, base_seed=7),
        trials=30,
        eval_replications=6,
        restarts=3,
        polish_steps=8,
        distinct_seeds=True,
        centroid=True,
    )
    assert opt.centroid is not None
    assert opt.centroid.sum() == pytest.approx(100.0)
    assert np.abs(opt.best - f.optimum(100.0)).max() < 0.06 * 100.0
    assert opt.verdict.converged, opt.verdict.reasons
    # no cost curve: what a split buys is its shares, and the verdict says so
    assert opt.verdict.as_dict()["tolerance_unit"] == "share"
    # the searches ran on different seeds: their trial histories differ from the first trial
    # on (the even split, trial 0, is the same point on other seeds)
    first = [h["value"] for h in opt.history if h["trial"] == 0]
    assert len(set(first)) == 3


def test_searches_worse_than_their_mean_say_one_search_does_not_settle_it():
    win = np.array([0.4, 0.45, 0.3, 0.5, 1.0])  # the mean of the two searches below
    a, b = win - [0, 0.15, 0, 0, 0], win + [0, 0.15, 0, 0, 0]
    worse = Estimate(-5000.0, -8000.0, -2000.0, 4000.0, 8)
    v = verdict(
        [a, b],
        [worse, Estimate(-1000.0, -3000.0, 1000.0, 2000.0, 8)],
        [Estimate(0.0, -1.0, 1.0, 1.0, 8)] * 5,
        np.zeros(5, bool),
        None,
        1.0,
        DIMENSIONS,
        winner_is_mean=True,
    )
    assert v.converged, v.reasons
    assert "one search does not settle the split" in v.reasons[0]
    assert "organisational_systems" in v.reasons[0]
    # the same searches against a winner that is one of them: not converged
    assert not _verdict([a, b], [worse, SAME]).converged
