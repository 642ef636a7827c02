"""Stage 10, the books: the period's work and money added to the run's counters.

Acquisitions, losses, knowledge items, customer-periods, contacts and every discounted cost
(competence, contacts, acquisitions; docs/ODD.md 7.5), the flows' counts, each firm's counters
(7.6), and the period's retention. What the counters are worth is
:mod:`ckm_sim.model.valuation`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import choice, economics
from ckm_sim.model.market import ACTIVE
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
        keep_firm_books(world, period, discount)
    if active_before:
        world.retention_history.append(1.0 - settled.churned / active_before)  # retention_rate
    return BooksRecord(
        acquisitions=settled.acquired,
        churned=settled.churned,
        active_before=active_before,
        knowledge_items=items,
    )


def ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole`` where ``whole > 0``, else NaN."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / np.maximum(whole, 1e-300), np.nan)


def keep_firm_books(model: World, period: Period, discount: float) -> None:
    """Add this period's per-firm work and costs to the firms' running counters, and record
    each firm's retention and market share."""
    fc, flows, n = model.firm_counters, period.firm_counts(), model.n_firms
    settled = period.record("settle")
    zero = np.zeros(n)
    contacts = flows.get("about_contacts", zero)
    fc["customer_periods"] += settled.firm_active_before
    fc["contacts"] += contacts
    fc["knowledge_items"] += flows.get("from_items", zero)
    fc["cost_pv0"] += model.firm_costs * discount
    fc["contact_pv0"] += model.scenario_config.economics.contact_cost * contacts * discount
    for name in FLOW_COUNTS:
        fc[name] += flows.get(name, zero)
    switched = fc["from_rivals"] - settled.firm_before["from_rivals"]
    cost = model.scenario_config.economics.acquisition_cost
    model.state.counters["acquisition_pv0"] += cost * float(switched.sum()) * discount
    lost = firm_change(model, period, "to_rivals") + firm_change(model, period, "out_of_market")
    before = settled.firm_active_before
    model.firm_history["retention"].append(1.0 - ratio(lost, before.astype(np.float64)))
    model.firm_history["share"].append(market_shares(model))


def firm_change(model: World, period: Period | None, name: str) -> np.ndarray:
    """The change of firm counter ``name`` in ``period`` (none before the first period)."""
    now = model.firm_counters[name]
    if period is None:
        return np.zeros_like(now)
    return now - period.record("settle").firm_before[name]


def market_shares(model: World) -> np.ndarray:
    """(F,) each firm's share of the active customers now."""
    active = model.state.status == ACTIVE
    count = choice.firm_counts(model.state.firm_of, active, model.n_firms)
    return ratio(count.astype(np.float64), np.full(model.n_firms, float(count.sum())))
