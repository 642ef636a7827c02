"""A team's budget split: the share of its budget each CKM dimension gets, and the competence
levels it buys through the scenario's cost curve.

A level ``l_d`` costs ``cost_d * l_d ** k`` per period (docs/ODD.md 7.5;
:func:`ckm_sim.model.levers.investment_cost`), ``cost_d`` the cost of level 1 of a team's firm
(:func:`ckm_sim.model.costs.unit_cost` of the scenario the team works under: the costs that scale
with customers are budgeted on the team's own initial customers). A team with budget ``B`` per
period that gives dimension ``d`` the share ``s_d`` (whole percent, summing to at most 100) works at

    l_d = min(1, ((s_d / 100) * B / cost_d) ** (1 / k))

(:func:`ckm_sim.model.investment.level_for_spend`, the inverse of the cost curve). A level cannot
exceed 1: money beyond the cost of level 1 and the shares left unassigned are not spent, so what
a firm spends per period never exceeds its budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ckm_sim.errors import CKMError
from ckm_sim.model.costs import cost_source, unit_costs
from ckm_sim.model.investment import holding_spend as cost_of_level
from ckm_sim.model.investment import level_for_spend as level_for_cost
from ckm_sim.model.scenario import DIMENSIONS, Scenario

#: Percent: the whole budget.
WHOLE = 100


class GameError(CKMError):
    """A game setting, a submission or a saved game that cannot be used (one line)."""


@dataclass(frozen=True)
class Split:
    """Whole percent of the budget per dimension (in :data:`DIMENSIONS` order), at most 100."""

    shares: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.shares) != len(DIMENSIONS):
            raise GameError(f"a split has {len(DIMENSIONS)} shares, got {len(self.shares)}")
        for dim, share in zip(DIMENSIONS, self.shares, strict=True):
            if isinstance(share, bool) or not isinstance(share, int) or not 0 <= share <= WHOLE:
                raise GameError(f"{dim}: a share is a whole percent from 0 to 100, got {share!r}")
        if sum(self.shares) > WHOLE:
            raise GameError(f"the shares add up to {sum(self.shares)} %, more than the budget")

    @classmethod
    def even(cls) -> Split:
        """The budget in equal shares (20 % each)."""
        return cls((WHOLE // len(DIMENSIONS),) * len(DIMENSIONS))

    @classmethod
    def of(cls, shares: Mapping[str, int]) -> Split:
        """A split from ``dimension -> percent`` (missing dimensions get 0)."""
        unknown = sorted(set(shares) - set(DIMENSIONS))
        if unknown:
            raise GameError(
                f"unknown dimension {unknown[0]!r}; choose from {', '.join(DIMENSIONS)}"
            )
        return cls(tuple(int(shares.get(dim, 0)) for dim in DIMENSIONS))

    def as_dict(self) -> dict[str, int]:
        """``dimension -> percent``."""
        return dict(zip(DIMENSIONS, self.shares, strict=True))

    @property
    def unassigned(self) -> int:
        """The percent of the budget no dimension gets."""
        return WHOLE - sum(self.shares)


def check_costs(scenario: Scenario) -> None:
    """Refuse a cost curve on which a budget cannot buy levels (a dimension that costs 0)."""
    for dim, unit in unit_costs(scenario).items():
        if unit <= 0:
            raise GameError(
                f"{cost_source(scenario, dim)} is 0 in the game's scenario: spend would buy nothing"
            )


def levels(split: Split, budget: float, scenario: Scenario) -> dict[str, float]:
    """The competence level per dimension that ``split`` of ``budget`` per period buys, on the
    cost curve of ``scenario`` (the scenario a team works under)."""
    k, unit = scenario.costs.cost_exponent, unit_costs(scenario)
    return {
        dim: min(1.0, level_for_cost(budget * share / WHOLE, unit[dim], k))
        for dim, share in zip(DIMENSIONS, split.shares, strict=True)
    }


def spend(levels_: Mapping[str, float], scenario: Scenario) -> float:
    """What ``levels_`` cost per period (the cost curve of ``scenario``)."""
    k, unit = scenario.costs.cost_exponent, unit_costs(scenario)
    return sum(cost_of_level(lv, unit[d], k) for d, lv in levels_.items())
