"""Rivals and switching costs act on whether customers stay (issue 21, defects 1 and 2;
docs/ODD.md 7.6). Paired seeds; tolerances from the paired standard error."""

from __future__ import annotations

import numpy as np
import pytest

from ckm_sim import CKMModel
from ckm_sim.model.scenario import DIMENSIONS, load_scenario

SEEDS = range(1, 9)
SIZE = {"customers": 600, "prospects": 300}
PERIODS = 60


def _runs(**overrides: float) -> np.ndarray:
    """(seeds, 3): the leader's monthly churn, the leader's and the laggard's customers at the
    horizon, one row per seed."""
    base = load_scenario("duopoly")
    rows = []
    for seed in SEEDS:
        row = CKMModel(base, rng=seed, collect=False, **SIZE, **overrides).run(PERIODS).summary()
        rows.append(
            (
                1.0 - row["leader.mean_retention_rate"],
                row["leader.final_active_customers"],
                row["laggard.final_active_customers"],
            )
        )
    return np.array(rows, dtype=float)


def _paired(after: np.ndarray, before: np.ndarray) -> tuple[float, float]:
    """Mean paired difference and its standard error."""
    d = after - before
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))


@pytest.mark.slow
def test_a_better_rival_makes_the_leaders_customers_leave() -> None:
    # the laggard's five dimensions from 0.3 to 0.9: the leader's customers hear of its offer
    # (word of mouth, its broadcast's reach) and measure their own firm against it
    laggard = {f"firms.laggard.{d}": 0.3 for d in DIMENSIONS}
    weak = _runs(**laggard)
    strong = _runs(**dict.fromkeys(laggard, 0.9))
    diff, se = _paired(strong[:, 0], weak[:, 0])
    assert diff - 3 * se > 0, (diff, se)  # a paired CI (3 SE) that excludes zero
    assert diff >= 0.10 * weak[:, 0].mean(), (diff, weak[:, 0].mean())


@pytest.mark.slow
def test_switching_costs_keep_customers() -> None:
    free = _runs(switching_cost=0.0)
    costly = _runs(switching_cost=1.0)
    diff, se = _paired(costly[:, 0], free[:, 0])
    assert diff + 3 * se < 0 and -diff >= 0.10 * free[:, 0].mean(), (diff, se)
    leader, leader_se = _paired(costly[:, 1], free[:, 1])
    assert leader - 3 * leader_se > 0, (leader, leader_se)  # the leader keeps more
    total, total_se = _paired(costly[:, 1] + costly[:, 2], free[:, 1] + free[:, 2])
    assert total - 3 * total_se > 0, (total, total_se)  # the market keeps more
    # the laggard wins fewer of the leader's customers but loses fewer of its own: no firm
    # ends with significantly fewer customers
    laggard, laggard_se = _paired(costly[:, 2], free[:, 2])
    assert laggard + 3 * laggard_se >= 0, (laggard, laggard_se)
