"""Claims across worlds (share of worlds in which each holds) and the Morris screening of their
margins (which assumptions they hinge on), on hand-checkable tables and a known function."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ckm_sim.errors import CKMError
from ckm_sim.whatif.robust.assumptions import Assumptions, Range
from ckm_sim.whatif.robust.claims import Claim, margins, shares
from ckm_sim.whatif.robust.hinges import hinges, morris_worlds


def _runs(table: dict[str, list[float]], outcome: str = "clv") -> pd.DataFrame:
    """One run per world and alternative (replications 0 and 1, the same value +- 1)."""
    rows = []
    for name, values in table.items():
        for world, v in enumerate(values):
            for r, shift in enumerate((-1.0, 1.0)):
                rows.append((world, name, r, v + shift, "ok"))
    return pd.DataFrame(rows, columns=["world", "alternative", "replication", outcome, "status"])


def test_margins_and_shares_by_hand():
    runs = _runs({"A": [5.0, 1.0, 4.0, 9.0], "B": [3.0, 2.0, 4.0, 1.0], "C": [1.0, 0.0, 6.0, 2.0]})
    claims = [Claim("A beats B", "A", ("B",), "clv"), Claim("A is top", "A", ("B", "C"), "clv")]
    table = margins(runs, claims)
    # A - B: 2, -1, 0, 8; A - max(B, C): 2, -1, -2, 7 (a tie is not a win)
    assert table["A beats B"].tolist() == [2.0, -1.0, 0.0, 8.0]
    assert table["A is top"].tolist() == [2.0, -1.0, -2.0, 7.0]
    s = shares(table).set_index("claim")
    assert s["holds"].tolist() == [2, 2] and s["worlds"].tolist() == [4, 4]
    assert s.loc["A beats B", "share"] == 0.5
    # Wilson, 2 of 4, z = 1.96: centre (0.5 + 0.4802) / 1.9604 = 0.5, half 0.35
    assert s.loc["A beats B", "low"] == pytest.approx(0.150, abs=5e-4)
    assert s.loc["A beats B", "high"] == pytest.approx(0.850, abs=5e-4)


def _assumptions() -> Assumptions:
    ranges = {
        "turbulence": Range(low=0.0, high=0.02),
        "competitor_value": Range(low=0.4, high=0.5),
        "cost_multiplier": Range(low=0.5, high=2.0, log=True),
    }
    return Assumptions(seed=3, parameters=ranges)


def test_morris_worlds_lie_on_the_grid_of_the_ranges_and_repeat_from_the_seed():
    unit, worlds = morris_worlds(_assumptions(), trajectories=5)
    assert unit.shape == (5 * 4, 3) and len(worlds) == 20
    assert set(np.round(unit.ravel(), 9)) <= {0.0, round(1 / 3, 9), round(2 / 3, 9), 1.0}
    # log range: the grid is even in log(value), so 0.5, 0.794, 1.26, 2.0
    assert set(np.round(worlds["cost_multiplier"], 3)) <= {0.5, 0.794, 1.26, 2.0}
    assert worlds["turbulence"].max() <= 0.02 and worlds["turbulence"].min() >= 0.0
    again, _ = morris_worlds(_assumptions(), trajectories=5)
    assert np.array_equal(unit, again)
    with pytest.raises(CKMError, match="at least 2 trajectories"):
        morris_worlds(_assumptions(), trajectories=1)


def test_hinges_of_a_known_margin():
    # margin = 300 turbulence - 10 competitor_value + 0 cost_multiplier: moving turbulence
    # across its range (0.02) moves the margin by 6, competitor_value (0.1) by -1, cost by 0
    unit, worlds = morris_worlds(_assumptions(), trajectories=6)
    margin = 300 * worlds["turbulence"] - 10 * worlds["competitor_value"]
    table = hinges(unit, pd.DataFrame({"m": margin}), ["turbulence", "competitor_value",
                                                         "cost_multiplier"])  # fmt: skip
    t = table.set_index("parameter")
    assert table["parameter"].tolist() == ["turbulence", "competitor_value", "cost_multiplier"]
    assert t.loc["turbulence", "mu_star"] == pytest.approx(6.0)
    assert t.loc["competitor_value", "mu"] == pytest.approx(-1.0)
    assert t.loc["cost_multiplier", "mu_star"] == pytest.approx(0.0, abs=1e-9)
    assert t.loc["turbulence", "sigma"] == pytest.approx(0.0, abs=1e-9)  # linear: no spread
    assert t["share"].tolist() == pytest.approx([6 / 7, 1 / 7, 0.0])
    with pytest.raises(CKMError, match="every point"):
        hinges(unit, pd.DataFrame({"m": margin.iloc[:-1]}), ["a", "b", "c"])
