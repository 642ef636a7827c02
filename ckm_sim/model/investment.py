"""Competence that builds with investment and erodes without it (docs/ODD.md 7.7).

Without a plan a scenario's five competence levels are fixed for the run and cost
``cost_d * level_d ** k`` per period (7.5; ``cost_d``, the cost of level 1, from
:func:`ckm_sim.model.costs.unit_cost`). A scenario's ``[plan]`` spends money per period on
each dimension, phase by phase, and each level ``x_d`` follows it as a stock:

    x_d(t) = x_d(t-1) + delta_d (b_d(s_d(t - L_d)) - x_d(t-1))
           = (1 - delta_d) x_d(t-1) + delta_d b_d(s_d(t - L_d)),
    b_d(s) = min(1, (s / cost_d) ** (1 / k))

``delta_d`` is the dimension's depreciation (the share of its level lost per period without
spend), ``L_d`` its build-up lag in periods, and ``b_d`` the inverse of the scenario's cost
curve: the level that spend ``s`` per period keeps in the long run. A dimension the plan does
not name, and a named one before its first phase (and before the run, for the lag), is *held*:
its target is its initial level, so it stays exactly there and costs what that level costs.

Consequences (tested): levels stay in [0, 1]; with no spend a level decays geometrically,
``x(t) = x(0) (1 - delta)^(t - L)`` after the lag; a constant spend ``S`` from period 1 gives
``x(t) = x* + (x(0) - x*) (1 - delta)^(t - L)`` for ``t > L`` with steady state
``x* = b(S)``, the level the same spend buys in a scenario without a plan. The firm pays what the
plan spends each period, whatever level that reaches.

Everything here is deterministic and depends on the scenario only, so a :class:`Trajectory` is
computed period by period as the model asks for it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from ckm_sim.model.costs import unit_cost
from ckm_sim.model.scenario import DIMENSIONS, Plan, Scenario


def level_for_spend(spend: float, unit_cost: float, exponent: float) -> float:
    """The level whose per-period cost is ``spend``: ``(s / cost) ** (1 / k)``, the inverse of
    the cost curve ``cost * level ** k`` (uncapped; 0 for no spend)."""
    if unit_cost <= 0:
        raise ValueError(f"unit cost must be positive, got {unit_cost}")
    return (max(spend, 0.0) / unit_cost) ** (1.0 / exponent)


def bought_level(spend: float, unit_cost: float, exponent: float) -> float:
    """The level a spend per period keeps in the long run: ``min(1, (s / cost) ** (1 / k))``."""
    return min(1.0, level_for_spend(spend, unit_cost, exponent))


def holding_spend(level: float, unit_cost: float, exponent: float) -> float:
    """What a level costs per period without a plan: ``cost * level ** k`` (docs/ODD.md 7.5)."""
    return unit_cost * level**exponent


def next_level(level: float, target: float, depreciation: float) -> float:
    """One period of build-up and depreciation: ``x + delta (target - x)``.

    Equal to ``(1 - delta) x + delta target``, written so that a level at its target stays
    exactly there (a held dimension never drifts by rounding).
    """
    return level + depreciation * (target - level)


def constant_spend_path(
    initial: float, steady: float, depreciation: float, lag: int, period: int
) -> float:
    """Closed form of the level at ``period`` under a constant spend from period 1 whose steady
    state is ``steady``: ``initial`` up to the lag, then
    ``steady + (initial - steady) (1 - delta) ** (period - lag)``."""
    if period <= lag:
        return initial
    return steady + (initial - steady) * (1.0 - depreciation) ** (period - lag)


@dataclass(frozen=True)
class _Schedule:
    """One dimension's phases: spend from each start period on (None before the first)."""

    starts: tuple[int, ...]
    spends: tuple[float, ...]

    def at(self, period: int) -> float | None:
        """The spend of ``period``, or None while the dimension is held."""
        i = bisect.bisect_right(self.starts, period) - 1
        return self.spends[i] if i >= 0 else None


def schedules(plan: Plan) -> dict[str, _Schedule]:
    """Per dimension, its spend from each phase that names it (a phase that does not name it
    keeps the spend of the phase before)."""
    out = {}
    for dim in DIMENSIONS:
        named = [(p.start, p.spends()[dim]) for p in plan.phases if dim in p.spends()]
        out[dim] = _Schedule(tuple(s for s, _ in named), tuple(v for _, v in named))
    return out


class Trajectory:
    """The levels and the spend of every dimension, period by period, under a scenario's plan.

    Period 0 is the scenario's own levels (the ties of the firm are drawn with them);
    :meth:`levels` and :meth:`spend` of period ``t >= 1`` are what the firm works at and pays
    in period ``t``. Periods beyond the plan's last phase continue it.
    """

    def __init__(self, scenario: Scenario) -> None:
        if scenario.plan is None:
            raise ValueError(f"scenario {scenario.name} has no investment plan")
        plan, costs = scenario.plan, scenario.costs
        self.exponent = costs.cost_exponent
        self.initial = np.array([getattr(scenario.competence, d) for d in DIMENSIONS])
        self.unit_cost = np.array([unit_cost(scenario, d) for d in DIMENSIONS])
        self.depreciation = np.array([getattr(plan.depreciation, d) for d in DIMENSIONS])
        self.lag = [int(getattr(plan.lag, d)) for d in DIMENSIONS]
        self.schedules = schedules(plan)
        self._levels: list[np.ndarray] = [self.initial.copy()]
        self._spend: list[float] = [0.0]

    def _spend_of(self, j: int, period: int) -> float | None:
        """Dimension ``j``'s spend in ``period`` (None: held, also before the run)."""
        return self.schedules[DIMENSIONS[j]].at(period) if period >= 1 else None

    def _target(self, j: int, period: int) -> float:
        """The level dimension ``j`` moves toward in ``period``: what the spend of ``L_j``
        periods earlier buys, or its initial level while held."""
        spend = self._spend_of(j, period - self.lag[j])
        if spend is None:
            return float(self.initial[j])
        return bought_level(spend, float(self.unit_cost[j]), self.exponent)

    def _extend(self, period: int) -> None:
        while len(self._levels) <= period:
            t = len(self._levels)
            last = self._levels[-1]
            self._levels.append(
                np.array(
                    [
                        next_level(float(last[j]), self._target(j, t), float(self.depreciation[j]))
                        for j in range(len(DIMENSIONS))
                    ]
                )
            )
            self._spend.append(
                sum(
                    holding_spend(float(self.initial[j]), float(self.unit_cost[j]), self.exponent)
                    if (s := self._spend_of(j, t)) is None
                    else s
                    for j in range(len(DIMENSIONS))
                )
            )

    def levels(self, period: int) -> dict[str, float]:
        """The five competence levels of ``period``, by dimension name."""
        self._extend(period)
        return {d: float(v) for d, v in zip(DIMENSIONS, self._levels[period], strict=True)}

    def spend(self, period: int) -> float:
        """What the firm spends on competence in ``period`` (0 in period 0): the plan's spend
        on the dimensions it names, the cost of their level on the others."""
        self._extend(period)
        return self._spend[period]

    def total_spend(self, periods: int) -> float:
        """Undiscounted spend on competence over periods 1..``periods``."""
        self._extend(periods)
        return float(sum(self._spend[1 : periods + 1]))
