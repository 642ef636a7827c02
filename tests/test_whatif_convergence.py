"""The optimiser's convergence verdict compares what the searches' splits buy (levels capped at
1), not their shares of the budget: spend beyond a dimension's full cost buys nothing."""

from __future__ import annotations

import numpy as np
import pytest
from whatif_helpers import tiny_scenario

from ckm_sim.experiments.stats import Estimate
from ckm_sim.model.scenario import DIMENSIONS, load_scenario
from ckm_sim.whatif.allocation import levels_for_spend
from ckm_sim.whatif.convergence import agreement, level_spread, verdict

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
