"""Stage 6, offer adaptation (acting on knowledge; docs/ODD.md 7.2): each firm's product
department moves its standard offer toward what it and the code know."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import kernels
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


def adapt_offer(world: World, period: Period) -> Record:
    """Each firm's product department moves its offer toward its own and the code's view."""
    s = world.state
    for f, lv in enumerate(world.firm_levers):
        rate = lv.offer_adaptation
        if rate <= 0:
            continue
        product = np.asarray(world.firm_teams["product"][f], dtype=np.int64)
        offer = s.offers[f]
        draw = world.streams.at("offer", period.t, firm=f).random(offer.shape)
        kernels.adapt_offer(offer, s.beliefs, product, s.codes[f], draw, rate)
    return Record()
