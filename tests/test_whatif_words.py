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


def test_the_next_unit_never_goes_where_it_loses_money() -> None:
    import pandas as pd

    from ckm_sim.whatif.optimize.report import next_unit_sentence

    losing = pd.DataFrame(
        {
            "dimension": ["learning_culture", "it_systems"],
            "saturated": [False, False],
            "marginal": [-12581.0, -20000.0],
            "marginal_low": [-15000.0, -25000.0],
            "marginal_high": [-10000.0, -15000.0],
        }
    )
    text = next_unit_sentence(losing, "month")
    assert "goes to" not in text and text.startswith("No dimension repays a larger budget")
    paying = losing.assign(marginal=[5000.0, -1.0], marginal_low=[1000.0, -2.0])
    paying = paying.assign(marginal_high=[9000.0, 0.5])
    assert next_unit_sentence(paying, "month").startswith(
        "The next unit of budget goes to learning_culture"
    )


def test_a_flat_optimum_is_not_called_plain_convergence() -> None:
    from ckm_sim.whatif.optimize.convergence import Verdict
    from ckm_sim.whatif.optimize.report import verdict_sentence

    flat = Verdict(True, 0.19, "it_systems", 0.10, ["the 3 searches' answers differ by up to 0.19"])
    assert verdict_sentence(flat).startswith("Converged on a flat optimum")
    settled = Verdict(True, 0.05, "it_systems", 0.10, ["the 3 searches agree"])
    assert verdict_sentence(settled) == "Converged: the 3 searches agree."
    assert verdict_sentence(Verdict(False, 0.3, None, 0.1, [])) == "Not converged."
