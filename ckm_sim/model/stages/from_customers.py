"""Stage 4, flow 2: knowledge FROM customers (feedback, ideas, co-creation; docs/ODD.md 7.2).

Willing customers (``feedback_willingness`` x satisfaction) share needs with their serving
frontline employee; with probability ``direct_channel`` an item also goes through the direct
(co-creation) channel, run by the ``channel_department``: a second route, not a substitute.
From either department it crosses to the product department with probability
``relay_to_product`` (inter-functional cooperation), unless the channel is the product
department's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import decisions, routes
from ckm_sim.model.stages.base import Period, Record, Tally
from ckm_sim.model.stages.knowledge import reveal

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class FromRecord(Record):
    """The customers who shared needs this period, and how many need items they shared."""

    sharers: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    items: int = 0


def knowledge_from_customers(world: World, period: Period) -> FromRecord:
    """Willing customers share needs; the front line or the channel relays them."""
    s, mk, active = world.state, world.scenario_config.market, period.active
    t, key = period.t, world.streams.key
    tally = Tally(world.n_firms)
    if world.n_firms > 1:  # each firm's willingness times satisfaction, where it is drawn
        rates = world.rates["feedback_willingness"]
        share = key("from", t, "share")
        sharers = decisions.active_below_rated(active, share, rates, s.firm_of, s.satisfaction)
    else:
        willing = world.rate("feedback_willingness") * s.satisfaction
        sharers = decisions.active_below(active, key("from", t, "share"), willing)
    s.reported_satisfaction[sharers] = s.satisfaction[sharers]
    cust, dims, value = reveal(world, sharers, mk.dims_per_feedback, key("from", t, "reveal"))
    tally.counts.update(
        from_items=len(cust), from_direct=0, from_to_product=0, from_relayed=0, from_absorbed=0
    )
    record = FromRecord(tally=tally, sharers=sharers, items=len(cust))
    if len(cust) == 0:
        return record
    if world.n_firms > 1:
        firm = np.maximum(s.firm_of[cust], 0).astype(np.int64)
    else:
        firm = np.zeros(len(cust), dtype=np.int64)
    direct, to_product, relayed, learnt = routes.routes(
        s.beliefs,
        s.segment,
        cust,
        dims,
        value,
        s.serving_employee[cust],
        firm,
        np.array([key("from", t, site) for site in routes.KEYS], dtype=np.uint64),
        world.rates["direct_channel"],
        world.rates["relay_to_product"],
        world.own_channel,
        world.rates["absorption"],
        s.employee_firm,
        world.team_pools["channel"],
        world.team_pools["product"],
    )
    tally.by_customers("from_absorbed", s.firm_of, cust, learnt)
    tally.counts.update(
        from_direct=int(direct.sum()),
        from_to_product=int(to_product.sum()),
        from_relayed=int(relayed.sum()),
        from_absorbed=len(learnt),
    )
    if world.n_firms > 1:
        tally.by_customers_each(
            ("from_items", "from_direct", "from_to_product", "from_relayed"),
            s.firm_of,
            cust,
            np.stack((direct, to_product, relayed)),
        )
    return record
