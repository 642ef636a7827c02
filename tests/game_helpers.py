"""A tiny fake market with the multi-firm contract (COMPETITION.md), for the game's tests.

Each firm's appeal is the sum of the square roots of its competence levels plus seeded noise;
customers split by appeal (shares), each active customer earns a margin, and net value is the
running sum of margins minus the firm's investment cost. It keeps the contract's shape
(``firm_names``, ``set_competence``, ``step``, ``outcomes["<firm>.<outcome>"]``) and depends on
the scenario's seed, so the engine's determinism can be tested without the real model.
"""

from __future__ import annotations

import numpy as np

from ckm_sim.game.market import team_scenario
from ckm_sim.model.costs import unit_costs
from ckm_sim.model.scenario import DIMENSIONS, Scenario


class FakeMarket:
    """The contract's market in a few lines (see the module docstring)."""

    def __init__(self, scenario: Scenario, firms: tuple[str, ...]) -> None:
        self.firm_names = tuple(firms)
        self.scenario = scenario
        self.unit = unit_costs(team_scenario(scenario, self.firm_names))  # a team's cost curve
        self.rng = np.random.default_rng(scenario.seed)
        self.customers = scenario.market.customers
        self.levels = {f: dict.fromkeys(DIMENSIONS, 0.5) for f in firms}
        self.value = dict.fromkeys(firms, 0.0)
        self.calls: list[tuple[str, dict[str, float]]] = []
        self.steps = 0
        share = 1.0 / len(firms)
        self.outcomes: dict[str, float] = {}
        for f in firms:
            self._publish(f, share, 0.0, 0.95)

    def set_competence(self, firm: str, **levels: float) -> None:
        """Work at ``levels`` from the next period on."""
        if firm not in self.firm_names:
            raise KeyError(firm)
        self.levels[firm] = dict(levels)
        self.calls.append((firm, dict(levels)))

    def step(self) -> None:
        """One period: shares by appeal, margins in, costs out."""
        self.steps += 1
        appeal = np.array(
            [sum(np.sqrt(v) for v in self.levels[f].values()) for f in self.firm_names]
        )
        appeal = appeal + self.rng.normal(0, 0.05, len(appeal))
        shares = np.exp(appeal) / np.exp(appeal).sum()
        k = self.scenario.costs.cost_exponent
        for f, share in zip(self.firm_names, shares, strict=True):
            cost = sum(self.unit[d] * lv**k for d, lv in self.levels[f].items())
            self.value[f] += share * self.customers * self.scenario.economics.margin - cost
            retention = 0.9 + 0.02 * self.levels[f]["learning_culture"]
            self._publish(f, float(share), cost, retention)

    def _publish(self, firm: str, share: float, cost: float, retention: float) -> None:
        self.outcomes[f"{firm}.market_share"] = share
        self.outcomes[f"{firm}.net_value"] = self.value[firm]
        self.outcomes[f"{firm}.retention_rate"] = retention
        self.outcomes[f"{firm}.investment_cost"] = cost
        self.outcomes[f"{firm}.about_captures"] = self.levels[firm]["it_systems"]
        self.outcomes[f"{firm}.knowledge_from_customers"] = self.levels[firm][
            "customer_cooperation"
        ]
        self.outcomes[f"{firm}.for_tailored_lessons"] = self.levels[firm]["learning_culture"]
        self.outcomes["market_share"] = 1.0  # an unprefixed market figure: not any firm's
