"""Stage 0, the departments agree on the shared repository (inter-functional cooperation;
docs/ODD.md 7.2): each department of each firm takes part in its shared code and customer
database this period with probability ``repository_sharing``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class SharingRecord(Record):
    """Which departments of the first firm take part in the shared repository this period."""

    departments: np.ndarray | None = None


def repository_sharing(world: World, period: Period) -> SharingRecord:
    """Which departments of each firm take part in its shared code and customer database this
    period (``repository_sharing``); ``world.takes_part`` says it per employee."""
    parts = []
    for f, fs in enumerate(world.firm_scenarios):
        n_dep = len(fs.firm.departments)
        draw = world.streams.at("sharing", period.t, firm=f).random(n_dep)
        sharing = draw < world.firm_levers[f].repository_sharing
        parts.append(sharing[world.state.employee_department[world.firm_blocks[f]]])
        if f == 0:
            world.sharing = sharing
    world.takes_part = parts[0] if world.n_firms == 1 else np.concatenate(parts)
    return SharingRecord(departments=world.sharing)
