"""Stage 2, turbulence (docs/ODD.md 7.2): each segment need flips with probability
``turbulence``, and its customers' needs with it; profiles and beliefs go stale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import kernels, learning
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class TurbulenceRecord(Record):
    """The (segment, need dimension) cells whose truth flipped."""

    flips: np.ndarray | None = None


def turbulence(world: World, period: Period) -> TurbulenceRecord:
    """Each segment need flips with probability ``turbulence``; its customers' needs follow."""
    s = world.state
    rng = world.streams.at("turbulence", period.t)
    flips = learning.drift(s.truth, world.scenario_config.market.turbulence, rng)
    # customers yet to arrive follow their segment too
    kernels.flip_needs(s.slots["needs"], flips, world.segment_members, world.segment_bounds)
    return TurbulenceRecord(flips=flips)
