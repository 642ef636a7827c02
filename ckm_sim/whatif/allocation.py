"""A per-period budget, split across the five dimensions, buys competence levels.

Spending ``s_d`` per period on dimension ``d`` buys the level that costs exactly that much under
the scenario's convex costs, ``cost_d * level ** cost_exponent = s_d``, so
``level_d = (s_d / cost_d) ** (1 / cost_exponent)``, capped at 1. Spend beyond a dimension's
full cost ``cost_d`` buys nothing and is not spent: the model charges only the cost of the levels.

An allocation is a point of the simplex (shares summing to one) times the budget. Optuna samples
it with the "-log of uniforms, normalised" construction, which makes the shares uniformly
distributed on the simplex (a flat Dirichlet).

In a multi-firm scenario, ``firm`` names whose budget it is: that firm's own costs and levels
(``firms.<firm>.<field>``) are used and set; None is the scenario's.
"""

from __future__ import annotations

import numpy as np

from ckm_sim.firmkeys import firm_value
from ckm_sim.model.scenario import DIMENSIONS, Scenario, firm_key


def unit_costs(scenario: Scenario, firm: str | None = None) -> np.ndarray:
    """``cost_d`` of each dimension, in :data:`DIMENSIONS` order."""
    return np.array([firm_value(scenario, firm, f"cost_{d}") for d in DIMENSIONS], dtype=np.float64)


def cost_exponent(scenario: Scenario, firm: str | None = None) -> float:
    """The exponent of the (firm's) cost curve."""
    return float(firm_value(scenario, firm, "cost_exponent"))


def levels_for_spend(scenario: Scenario, spend: np.ndarray, firm: str | None = None) -> np.ndarray:
    """The competence levels a per-period spend per dimension buys (capped at 1)."""
    spend = np.asarray(spend, dtype=np.float64)
    if spend.shape != (len(DIMENSIONS),) or (spend < 0).any():
        raise ValueError(f"spend must be {len(DIMENSIONS)} non-negative amounts, got {spend}")
    cost = unit_costs(scenario, firm)
    exponent = cost_exponent(scenario, firm)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cost > 0, spend / np.where(cost > 0, cost, 1.0), 1.0)
    return np.minimum(ratio, 1.0) ** (1.0 / exponent)


def spend_for_levels(scenario: Scenario, levels: np.ndarray, firm: str | None = None) -> np.ndarray:
    """The per-period cost of given levels: ``cost_d * level_d ** cost_exponent``."""
    return unit_costs(scenario, firm) * np.asarray(levels, dtype=np.float64) ** cost_exponent(
        scenario, firm
    )


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
