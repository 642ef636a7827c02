"""Stage 8, customers decide whether to stay: perceived value, satisfaction, the churn draw
(docs/ODD.md 7.3).

The default stage, :func:`customers_decide`, runs the compiled kernel. :func:`churn_rule`
makes a stage of the same shape from any hazard in Python: the documented way to change how
customers leave (docs/extending.md), on the same random numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import decisions, draws, market
from ckm_sim.model.stages import competition
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World

#: A churn rule: each customer's probability of leaving this period, from the world (after
#: satisfaction has been updated).
HazardRule = Callable[["World"], np.ndarray]


@dataclass
class ChurnRecord(Record):
    """Who decided to leave this period (a mask over every customer)."""

    leaving: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def _value_and_satisfaction(world: World, active: np.ndarray) -> np.ndarray:
    """Every customer's perceived value (written to the state) and updated satisfaction: against
    the market's reference value, or with several firms against the best alternative each
    customer knows (:func:`~ckm_sim.model.stages.competition.expectations`)."""
    s, mk = world.state, world.scenario_config.market
    s.value[:] = world.perceived_value()
    expectation: float | np.ndarray = mk.competitor_value
    if world.n_firms > 1:
        expectation = competition.expectations(world, active)
    return market.satisfaction_update(
        s.satisfaction,
        s.value,
        expectation,
        mk.satisfaction_sensitivity,
        mk.satisfaction_memory,
    )


def _propensities(world: World) -> np.ndarray:
    """Each customer's multiplier of the churn bracket: its loyalty trait ``theta`` (empty:
    every one 1), with several firms times what its switching cost leaves of it."""
    s, mk = world.state, world.scenario_config.market
    theta = s.churn_propensity if mk.loyalty_spread > 0 else np.empty(0)
    if world.n_firms == 1:
        return theta
    return competition.staying_factors(world, theta)  # times theta unless empty


def default_hazard(world: World) -> np.ndarray:
    """The hazard the default stage computes, from satisfaction now: for a rule that builds on
    it (docs/extending.md)."""
    propensity = _propensities(world)
    return world.churn_hazard(propensity if len(propensity) else None)


def customers_decide(world: World, period: Period) -> ChurnRecord:
    """Value, satisfaction and the churn draw: ``hazard = clip(theta (floor + pull (1 - S)))``,
    or ``theta fixed_churn`` (:func:`ckm_sim.model.market.churn_hazard`)."""
    s, mk = world.state, world.scenario_config.market
    updated = _value_and_satisfaction(world, period.active)
    leaving = decisions.churn(
        s.satisfaction,
        updated,
        period.active,
        _propensities(world),
        mk.churn_floor,
        mk.competitor_pull,
        np.nan if mk.fixed_churn is None else mk.fixed_churn,
        world.streams.key("churn", period.t),
        s.hazard,
    )
    return ChurnRecord(leaving=leaving)


def settle_satisfaction(world: World, period: Period) -> Record:
    """Value and satisfaction as :func:`customers_decide` updates them, and no one leaves: the
    burn-in's last stage (docs/ODD.md 5)."""
    active = period.active
    updated = _value_and_satisfaction(world, active)
    np.copyto(world.state.satisfaction, updated, where=active)  # the active take it, in one pass
    return Record()


def churn_rule(hazard: HazardRule) -> Callable[[World, Period], ChurnRecord]:
    """A churn stage with ``hazard`` in place of the default hazard (clipped to [0, 1]).

    Value and satisfaction are updated as in :func:`customers_decide`, and the draws come
    from the same ``churn`` stream, so a rule equal to the default gives the default run.
    """

    def stage(world: World, period: Period) -> ChurnRecord:
        s, active = world.state, period.active
        updated = _value_and_satisfaction(world, active)
        s.satisfaction[active] = updated[active]
        s.hazard[:] = np.clip(np.asarray(hazard(world), dtype=np.float64), 0.0, 1.0)
        draw = draws.uniform(world.streams.key("churn", period.t), len(active))
        return ChurnRecord(leaving=active & (draw < s.hazard))

    stage.__doc__ = f"Churn by the rule {getattr(hazard, '__name__', repr(hazard))}."
    return stage
