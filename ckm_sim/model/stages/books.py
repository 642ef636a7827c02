"""Stage 10, the books: the period's work and money added to the run's counters.

Acquisitions, losses, knowledge items, customer-periods, contacts and every discounted cost
(competence, contacts, acquisitions; docs/ODD.md 7.5), the flows' counts, each firm's counters
(7.6), and the period's retention. What the counters are worth is
:mod:`ckm_sim.model.valuation`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ckm_sim.model import economics, firm_outcomes
from ckm_sim.model.outcomes import FLOW_COUNTS
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class BooksRecord(Record):
    """The period's figures every outcome starts from."""

    acquisitions: int = 0
    churned: int = 0
    active_before: int = 0
    knowledge_items: int = 0


def keep_books(world: World, period: Period) -> BooksRecord:
    """Add the period's counts and discounted costs to the counters."""
    ec, c = world.scenario_config.economics, world.state.counters
    settled = period.record("settle")
    items = period.record("from").items
    contacts = len(period.record("about").contacted)
    active_before = int(period.active.sum())
    discount = economics.discount_factor(period.t, ec.discount_rate)
    c["acquisitions"] += settled.acquired
    c["churned"] += settled.churned
    c["knowledge_items"] += items
    c["customer_periods"] += active_before
    c["contacts"] += contacts
    c["cost_pv0"] += world.cost_per_period * discount
    c["contact_pv0"] += ec.contact_cost * contacts * discount
    c["acquisition_pv0"] += ec.acquisition_cost * settled.acquired * discount
    counts = period.counts()
    for name in FLOW_COUNTS:
        c[name] += counts.get(name, 0)
    if world.n_firms > 1:
        firm_outcomes.count_period(world, period, discount)
    if active_before:
        world.retention_history.append(1.0 - settled.churned / active_before)  # retention_rate
    return BooksRecord(
        acquisitions=settled.acquired,
        churned=settled.churned,
        active_before=active_before,
        knowledge_items=items,
    )
