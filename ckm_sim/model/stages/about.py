"""Stage 3, flow 3: knowledge ABOUT customers (the firm learns them; docs/ODD.md 7.2).

Service contacts (steered by targeting, :mod:`~ckm_sim.model.stages.targeting`) reveal needs
to the serving employee and, through the CRM, to the customer's profile: a share ``capture``
of what is heard is recorded, each entry right with probability ``capture_fidelity``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import kernels
from ckm_sim.model.stages.base import Period, Record, Tally
from ckm_sim.model.stages.knowledge import absorb, cells, reveal
from ckm_sim.model.stages.targeting import contacts

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class AboutRecord(Record):
    """The customers who had a service contact this period (each on its service tie)."""

    contacted: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def knowledge_about_customers(world: World, period: Period) -> AboutRecord:
    """Contacts reveal needs to the serving employee and to the CRM profile."""
    s, mk, active = world.state, world.scenario_config.market, period.active
    t, key = period.t, world.streams.key
    tally = Tally(world.n_firms)
    contacted = contacts(world, active, key("about", t, "contact"))
    # a contact is a touch point: the employee notes how satisfied the customer is
    s.reported_satisfaction[contacted] = s.satisfaction[contacted]
    cust, dims, value = reveal(world, contacted, mk.dims_per_contact, key("about", t, "reveal"))
    tally.counts.update(about_contacts=len(contacted), about_captures=0, about_wrong_captures=0)
    if len(cust):
        serving = s.serving_employee[cust]
        absorb(world, serving, cust, dims, value, key("about", t, "absorb"))
        cell = cells(world, cust, dims)
        captured = kernels.captures(
            serving,
            cell,
            key("about", t, "capture"),
            world.rates["capture"],
            world.unshared,
            world.takes_part,
            s.employee_firm,
        )
        if len(captured):
            into, dim, recorded, wrong = kernels.captured_entries(
                captured,
                cust,
                dims,
                value,
                serving,
                cell,
                key("about", t, "fidelity"),
                world.rates["capture_fidelity"],
                s.employee_firm,
            )
            world.record_profiles(into, dim, recorded)
            tally.counts.update(about_captures=len(captured), about_wrong_captures=int(wrong.sum()))
            tally.by_customers("about_captures", s.firm_of, into)
            tally.by_customers("about_wrong_captures", s.firm_of, into, wrong)
    tally.by_customers("about_contacts", s.firm_of, contacted)
    return AboutRecord(tally=tally, contacted=contacted)
