"""Words a manager reads in what-if reports (issue 25, defect 6)."""

from __future__ import annotations

from ckm_sim.experiments.stats import Estimate
from ckm_sim.whatif.compare.differences import sentence


def test_a_share_moves_in_points_without_a_relative_change() -> None:
    # retention up 0.026 points of a share near 0.99: "(+0.0%)" said nothing but confusion
    est = Estimate(mean=0.00026, low=0.00013, high=0.00039, sd=0.0002, n=8)
    text = sentence("b", "a", "mean_retention_rate", est, level=0.00026 / 0.99)
    assert "percentage points" in text and "%)" not in text
    money = Estimate(mean=-6740.0, low=-13190.0, high=-290.0, sd=9000.0, n=8)
    assert "(-0.6%)" in sentence("b", "a", "customer_equity", money, level=-6740 / 1.1e6)
