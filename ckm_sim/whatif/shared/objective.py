"""The model as an objective of the budget optimiser: spend per dimension and seed -> net value.

Kept apart from the optimiser so that worker processes import only the model, not Optuna.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ckm_sim.firmkeys import outcome_key
from ckm_sim.model.runs import run_scenario
from ckm_sim.model.scenario import Scenario
from ckm_sim.whatif.shared.allocation import allocate


@dataclass(frozen=True)
class NetValueObjective:
    """Net value of one run of ``scenario`` with its competence bought by ``spend``; with
    ``firm``, that firm's competence (its own cost curve) and its own ``<firm>.net_value``."""

    scenario: Scenario
    periods: int
    metric: str = "net_value"
    firm: str | None = None

    def __call__(self, spend: np.ndarray, seed: int) -> float:
        chosen = allocate(self.scenario, spend, self.firm)
        run = run_scenario(chosen, seed=seed, periods=self.periods)
        return float(run.summary[outcome_key(self.firm, self.metric)])
