"""The market a game runs: one firm per team, stepped period by period.

The engine needs only the :class:`Market` protocol, the multi-firm model's contract
(COMPETITION.md): ``firm_names``, ``set_competence(firm, **levels)``, ``step()`` and per-firm
outcomes ``outcomes["<firm>.<outcome>"]``. :func:`open_market` builds a ``CKMModel`` from the
game's scenario with one ``[[firms]]`` table per team (each firm's own fields are the
scenario's defaults, so the firms start alike and share the customers equally).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ckm_sim.model.outcomes import split_firm_outcome
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
    out = {}
    for key, value in outcomes.items():
        owner, name = split_firm_outcome(key)
        if owner == firm:
            out[name] = float(value)
    return out


def teams_scenario(scenario: Scenario, teams: Sequence[str]) -> Scenario:
    """``scenario`` with one ``[[firms]]`` table per team (each firm's fields its defaults)."""
    from ckm_sim.model.scenario import validate_scenario

    data = scenario.model_dump()
    data["firms"] = [{"name": team} for team in teams]
    return validate_scenario(data, source="the game")


def team_scenario(scenario: Scenario, teams: Sequence[str]) -> Scenario:
    """The scenario one team's firm works under (the teams start alike): its costs are budgeted
    on its own share of the initial customers (docs/ODD.md 7.5)."""
    return teams_scenario(scenario, teams).for_firm(teams[0])


def open_market(scenario: Scenario, teams: Sequence[str]) -> Market:
    """The multi-firm model of ``scenario`` with one firm per team, on the scenario's seed."""
    from ckm_sim.model.model import CKMModel

    market: Market = CKMModel(teams_scenario(scenario, teams), collect=False)
    return market
