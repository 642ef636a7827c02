"""Stage 1, the market opens (docs/ODD.md 7.3): this period's new prospects arrive and lapsed
customers past their cool-off may return to the prospect pool."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ckm_sim.model import decisions
from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class MarketRecord(Record):
    """Prospects who arrived, former customers who returned to the prospect pool."""

    arrivals: int = 0
    returns: int = 0


def open_market(world: World, period: Period) -> MarketRecord:
    """This period's new prospects arrive; lapsed customers past their cool-off may return to
    the pool. Sets ``period.active``: the customers active as the flows begin."""
    s, mk, t = world.state, world.scenario_config.market, period.t
    arriving = world.arrivals_by(t) - world.arrivals_by(t - 1)
    record = MarketRecord()
    if arriving:
        n = len(s.status)
        free = len(s.slots["status"]) - n
        if arriving > free:  # a run beyond the scenario's horizon
            world.add_slots(max(arriving - free, world.arrivals_by(t) // 2, 16))
        s.resize(n + arriving)
        s.status[n:] = PROSPECT
        s.counters["arrivals"] += arriving
        record.arrivals = arriving
    if mk.winback_rate > 0:
        cutoff = t - mk.winback_cooloff
        if decisions.any_lapsed(s.status, s.lapsed_at, CHURNED, cutoff):
            back = decisions.win_back(
                s.status,
                s.lapsed_at,
                CHURNED,
                cutoff,
                world.streams.key("winback", t),
                mk.winback_rate,
                PROSPECT,
            )
            s.counters["returns"] += back
            record.returns = back
    period.active = s.status == ACTIVE
    return record
