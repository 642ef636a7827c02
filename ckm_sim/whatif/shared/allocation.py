"""A per-period budget, split across the five dimensions, buys competence levels.

Spending ``s_d`` per period on dimension ``d`` buys the level that costs exactly that much under
the scenario's convex costs, ``cost_d * level ** cost_exponent = s_d``, so
``level_d = (s_d / cost_d) ** (1 / cost_exponent)``, capped at 1. Spend beyond a dimension's
full cost ``cost_d`` buys nothing and is not spent: the model charges only the cost of the levels.

An allocation is a point of the simplex (shares summing to one) times the budget. Optuna samples
it with the "-log of uniforms, normalised" construction, which makes the shares uniformly
distributed on the simplex (a flat Dirichlet).

A budget is a ceiling: :meth:`CostCurve.within` shrinks levels whose cost exceeds it (all in the
same proportion) until they fit, so the optimiser may also answer "spend less than this".

In a multi-firm scenario, ``firm`` names whose budget it is: that firm's own costs and levels
(``firms.<firm>.<field>``) are used and set; None is the scenario's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ckm_sim.firmkeys import firm_value
from ckm_sim.model.costs import unit_cost
from ckm_sim.model.scenario import DIMENSIONS, Scenario, firm_key


def unit_costs(scenario: Scenario, firm: str | None = None) -> np.ndarray:
    """``cost_d``, the cost of level 1 of each dimension (:func:`ckm_sim.model.costs.unit_cost`),
    in :data:`DIMENSIONS` order."""
    chosen = scenario if firm is None else scenario.for_firm(firm)
    return np.array([unit_cost(chosen, d) for d in DIMENSIONS], dtype=np.float64)


def cost_exponent(scenario: Scenario, firm: str | None = None) -> float:
    """The exponent of the (firm's) cost curve."""
    return float(firm_value(scenario, firm, "cost_exponent"))


@dataclass(frozen=True)
class CostCurve:
    """What each level costs per period, ``costs_d * level_d ** exponent``, and back."""

    costs: np.ndarray
    exponent: float

    @classmethod
    def of(cls, scenario: Scenario, firm: str | None = None) -> CostCurve:
        """The scenario's cost curve (the firm's)."""
        return cls(unit_costs(scenario, firm), cost_exponent(scenario, firm))

    @classmethod
    def shares(cls, budget: float, n: int = len(DIMENSIONS)) -> CostCurve:
        """For an objective with no cost curve: a "level" is the share of the budget spent."""
        return cls(np.full(n, float(budget)), 1.0)

    def levels(self, spend: np.ndarray) -> np.ndarray:
        """The levels a per-period spend per dimension buys (capped at 1; free ones are 1)."""
        spend = np.asarray(spend, dtype=np.float64)
        if spend.shape != self.costs.shape or (spend < 0).any():
            raise ValueError(f"spend must be {len(self.costs)} non-negative amounts, got {spend}")
        cost = self.costs
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(cost > 0, spend / np.where(cost > 0, cost, 1.0), 1.0)
        return np.minimum(ratio, 1.0) ** (1.0 / self.exponent)

    def spend(self, levels: np.ndarray) -> np.ndarray:
        """The per-period cost of given levels."""
        return self.costs * np.asarray(levels, dtype=np.float64) ** self.exponent

    def top(self, budget: float) -> np.ndarray:
        """The highest level of each dimension that ``budget`` alone can buy (at most 1)."""
        return self.levels(np.full(self.costs.shape, float(budget)))

    def within(self, levels: np.ndarray, budget: float) -> np.ndarray:
        """``levels`` (rows of), shrunk in proportion where their cost exceeds ``budget``: the
        spend of every dimension scales by ``budget / cost``, so the levels by its
        ``1 / exponent`` power."""
        x = np.clip(np.asarray(levels, dtype=np.float64), 0.0, 1.0)
        total = self.spend(x).sum(axis=-1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            shrink = np.where(total > budget, (budget / total) ** (1.0 / self.exponent), 1.0)
        return x * shrink


def levels_for_spend(scenario: Scenario, spend: np.ndarray, firm: str | None = None) -> np.ndarray:
    """The competence levels a per-period spend per dimension buys (capped at 1)."""
    return CostCurve.of(scenario, firm).levels(spend)


def spend_for_levels(scenario: Scenario, levels: np.ndarray, firm: str | None = None) -> np.ndarray:
    """The per-period cost of given levels: ``cost_d * level_d ** cost_exponent``."""
    return CostCurve.of(scenario, firm).spend(levels)


def current_spend(scenario: Scenario, firm: str | None = None) -> np.ndarray:
    """What the scenario's own competence levels (the firm's) cost per period, per dimension."""
    levels = np.array([firm_value(scenario, firm, d) for d in DIMENSIONS], dtype=np.float64)
    return spend_for_levels(scenario, levels, firm)


def allocate(scenario: Scenario, spend: np.ndarray, firm: str | None = None) -> Scenario:
    """The scenario with its (the firm's) competence set to what ``spend`` buys."""
    levels = levels_for_spend(scenario, spend, firm)
    return scenario.with_overrides(
        **{
            d if firm is None else firm_key(firm, d): float(v)
            for d, v in zip(DIMENSIONS, levels, strict=True)
        }
    )


def even_split(budget: float, n: int = len(DIMENSIONS)) -> np.ndarray:
    """The same spend on every dimension."""
    return np.full(n, budget / n)


def simplex_from_unit(u: np.ndarray) -> np.ndarray:
    """Shares on the simplex from numbers in (0, 1]: ``-log u`` normalised (flat Dirichlet)."""
    x = -np.log(np.clip(np.asarray(u, dtype=np.float64), 1e-12, 1.0))
    total = x.sum()
    return x / total if total > 0 else np.full(len(x), 1.0 / len(x))


def unit_from_simplex(shares: np.ndarray) -> np.ndarray:
    """Numbers in (0, 1] that :func:`simplex_from_unit` maps back to ``shares``."""
    return np.exp(-np.asarray(shares, dtype=np.float64))
