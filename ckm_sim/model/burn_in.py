"""The burn-in (docs/ODD.md 5): a run starts from the scenario's own steady state.

A firm that has served its market for years knows its customers, and its customers its offer; a
run that began from the initial draws would count that build-up as if it happened in the first
months. So before period 1 the model runs ``[market] burn_in`` periods (-B .. -1) of the
knowledge flows only, with the population frozen: no one arrives, joins or leaves, and nothing
is counted (no money, no flow counters). The firm learns, customers learn its offer, profiles
fill and satisfaction settles. Burn-in periods draw their own random numbers (keys of their
own: :meth:`~ckm_sim.model.streams.RandomStreams.key` of a negative period), so the numbers
of periods 1..T are those a run without burn-in draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ckm_sim.model.market import ACTIVE
from ckm_sim.model.stages.base import Period, Stage
from ckm_sim.model.stages.churn import settle_satisfaction

if TYPE_CHECKING:
    from ckm_sim.model.world import World

#: The stages a burn-in period runs, in the pipeline's order; satisfaction settles after them.
BURN_IN_STAGES: tuple[str, ...] = (
    "sharing",
    "turbulence",
    "about",
    "from",
    "learning",
    "offer",
    "for",
)


def burn_in(world: World, stages: Sequence[tuple[str, Stage]], periods: int) -> None:
    """Run ``periods`` burn-in periods of ``stages`` (those named in :data:`BURN_IN_STAGES`),
    then set the churn hazard of the settled satisfaction; counters are left as built."""
    if periods <= 0:
        return
    s = world.state
    counters = dict(s.counters)
    for t in range(-periods, 0):
        world.burn_in_period = t
        period = Period(t=t)
        period.active = s.status == ACTIVE
        for name, stage in stages:
            if name in BURN_IN_STAGES:
                period.records[name] = stage(world, period)
        settle_satisfaction(world, period)
    world.burn_in_period = None
    s.counters.clear()
    s.counters.update(counters)
    s.hazard[:] = world.churn_hazard()
