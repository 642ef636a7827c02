"""The model's best responses: one firm spends its budget, the rivals keep their splits.

:class:`FirmObjectives` turns the splits the firms play into the objective of one firm's budget
search: the scenario with every other firm's competence bought by its split (through its own
cost curve), valued by the firm's own net value ``<firm>.net_value``. With
:func:`~ckm_sim.whatif.rivals.rounds.optimiser_response` it is the oracle that
``ckm-sim optimize --firm`` and ``--best-response-rounds`` iterate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ckm_sim.model.scenario import Scenario
from ckm_sim.whatif.shared.allocation import CostCurve, allocate, current_spend
from ckm_sim.whatif.shared.objective import NetValueObjective


@dataclass(frozen=True)
class FirmObjectives:
    """``objective(firm, splits)``: the firm's net value as a function of its own spend, with
    every other firm in ``splits`` at the levels its split buys (picklable, for workers)."""

    scenario: Scenario
    periods: int

    def rivals_at(self, firm: str, splits: Mapping[str, np.ndarray]) -> Scenario:
        """The scenario with every firm but ``firm`` at the competence its split buys."""
        fixed = self.scenario
        for other, spend in splits.items():
            if other != firm:
                fixed = allocate(fixed, np.asarray(spend, dtype=np.float64), other)
        return fixed

    def __call__(self, firm: str, splits: Mapping[str, np.ndarray]) -> NetValueObjective:
        return NetValueObjective(self.rivals_at(firm, splits), self.periods, firm=firm)


def start_splits(
    scenario: Scenario, firms: Sequence[str], budgets: Mapping[str, float]
) -> dict[str, np.ndarray]:
    """Where the rounds start: each firm's current split (what its own levels cost per period,
    per dimension) scaled to its budget, so that every split compared is one of the same budget
    (the even split for a firm that spends nothing now)."""
    out = {}
    for firm in firms:
        now = current_spend(scenario, firm)
        total = float(now.sum())
        share = now / total if total > 0 else np.full(len(now), 1.0 / len(now))
        out[firm] = budgets[firm] * share
    return out


def level_curves(scenario: Scenario) -> Callable[[str], CostCurve]:
    """``curves(firm)``: the firm's own cost curve (what its spend buys)."""

    def for_firm(firm: str) -> CostCurve:
        return CostCurve.of(scenario, firm)

    return for_firm
