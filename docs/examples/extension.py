"""An extension of ckm-sim: one outcome of your own and one churn rule (docs/extending.md)."""

from __future__ import annotations

import numpy as np

from ckm_sim.model.market import ACTIVE
from ckm_sim.model.outcomes import Outcome, register
from ckm_sim.model.stages import churn_rule, default_hazard
from ckm_sim.model.world import World

MEANING = "share of active customers with a satisfaction of at least 0.8"


def loyal_share(world: World) -> float:
    """Share of the active customers whose satisfaction is at least 0.8."""
    s = world.state
    active = s.status == ACTIVE
    return float((s.satisfaction[active] >= 0.8).mean()) if active.any() else float("nan")


register(
    Outcome("loyal_share", "Loyal customers", "share", "value", MEANING, MEANING + " (horizon)"),
    loyal_share,
)

#: A rival's campaign: one more chance in a hundred each month that any customer leaves.
CAMPAIGN = 0.01


def campaign_hazard(world: World) -> np.ndarray:
    """The default churn hazard plus the campaign's pull."""
    return default_hazard(world) + CAMPAIGN


campaign = churn_rule(campaign_hazard)
