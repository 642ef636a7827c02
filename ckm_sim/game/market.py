"""The market a game runs: one firm per team, stepped period by period.

The engine needs only the :class:`Market` protocol, the multi-firm model's contract
(COMPETITION.md): ``firm_names``, ``set_competence(firm, **levels)``, ``step()`` and per-firm
outcomes ``outcomes["<firm>.<outcome>"]``. :func:`open_market` builds a ``CKMModel`` from the
game's scenario with one ``[[firms]]`` table per team.

Until the model has that contract (``CKMModel.set_competence``), :func:`open_market` falls back
to :class:`SeparateMarkets`: each team's firm in its own copy of the market (same scenario,
same seed), so teams do not take customers from each other, and a team's market share is its
share of all teams' active customers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ckm_sim.model.scenario import Scenario


class Market(Protocol):
    """What the game engine drives: the multi-firm model's contract."""

    firm_names: tuple[str, ...]
    outcomes: dict[str, float]

    def set_competence(self, firm: str, **levels: float) -> None:
        """From the next period on, ``firm`` works at these competence levels."""

    def step(self) -> None:
        """Run one period."""


def firm_outcomes(outcomes: dict[str, float], firm: str) -> dict[str, float]:
    """``firm``'s outcomes from a market's ``<firm>.<outcome>`` keys, without the prefix."""
    prefix = f"{firm}."
    return {k.removeprefix(prefix): float(v) for k, v in outcomes.items() if k.startswith(prefix)}


class SeparateMarkets:
    """The fallback market: one single-firm ``CKMModel`` per team, each in its own copy of
    the market; ``set_competence`` re-derives that model's levers and cost per period (ties
    drawn at build time stay), as the multi-firm contract does."""

    def __init__(self, scenario: Scenario, teams: Sequence[str]) -> None:
        from ckm_sim.model.model import CKMModel

        self.firm_names = tuple(teams)
        self._models = {t: CKMModel(scenario, collect=False) for t in self.firm_names}
        self.outcomes: dict[str, float] = {}
        self._publish()

    def set_competence(self, firm: str, **levels: float) -> None:
        """From the next period on, ``firm``'s model works at these levels."""
        from ckm_sim.model.levers import derive_levers, investment_cost

        model = self._models[firm]
        model.scenario_config = model.scenario_config.with_overrides(**levels)
        model.levers = derive_levers(model.scenario_config)
        model.cost_per_period = investment_cost(model.scenario_config)

    def step(self) -> None:
        """One period of every team's market."""
        for model in self._models.values():
            model.step()
        self._publish()

    def _publish(self) -> None:
        active = {t: float(m.outcomes["active_customers"]) for t, m in self._models.items()}
        total = sum(active.values())
        self.outcomes = {}
        for team, model in self._models.items():
            for name, x in model.outcomes.items():
                self.outcomes[f"{team}.{name}"] = float(x)
            self.outcomes[f"{team}.market_share"] = active[team] / total if total else 0.0


def open_market(scenario: Scenario, teams: Sequence[str]) -> Market:
    """The multi-firm model of ``scenario`` with one firm per team, on the scenario's seed
    (:class:`SeparateMarkets` while the model lacks ``set_competence``)."""
    from ckm_sim.model.model import CKMModel
    from ckm_sim.model.scenario import validate_scenario

    if not hasattr(CKMModel, "set_competence"):
        return SeparateMarkets(scenario, teams)
    data = scenario.model_dump()
    data["firms"] = [{"name": team} for team in teams]
    market: Market = CKMModel(validate_scenario(data, source="the game"), collect=False)
    return market
