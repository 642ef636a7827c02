"""The outcomes of one period (docs/ODD.md section 6), as the DataCollector collects them.

Computed from the state at the end of the period and the records its stages returned (the
flows' counts, the books). Names and meanings are registered in :mod:`ckm_sim.model.outcomes`;
per-firm outcomes of a market with several firms come from :mod:`ckm_sim.model.firm_outcomes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import economics, firm_outcomes, outcomes, valuation
from ckm_sim.model.market import ACTIVE, PROSPECT
from ckm_sim.model.stages.base import Period
from ckm_sim.model.stages.books import BooksRecord

if TYPE_CHECKING:
    from ckm_sim.model.world import World


def period_outcomes(world: World, period: Period | None) -> dict[str, float]:
    """The outcomes of ``period`` (docs/ODD.md section 6), from the state at its end and the
    stages' records, by dot products with the masks; ``period`` None: before the first."""
    if period is None:  # before the first period: every active customer stayed so far
        books = BooksRecord(active_before=int((world.state.status == ACTIVE).sum()))
    else:
        books = period.record("books")
    acquisitions, churned = books.acquisitions, books.churned
    active_before, items = books.active_before, books.knowledge_items
    s = world.state
    active = (s.status == ACTIVE).astype(np.float64)
    n_active = int(active.sum())
    nan = float("nan")

    def active_mean(values: np.ndarray) -> float:
        return economics.weighted_sum(values, active) / n_active if n_active else nan

    clv = valuation.customer_lifetime_values(world)
    n_acquired = int((s.acquired_at >= 0).sum())
    money = valuation.valuation(world)
    m = s.needs.shape[1]
    f = period.counts() if period is not None else {}

    def per_customer(name: str) -> float:
        return f.get(name, 0) / active_before if active_before else 0.0

    known_entries = float(np.einsum("i,i->", s.profile_known, active))
    fitting = active_mean(world.fit)
    out = {
        "retention_rate": 1.0 - churned / active_before if active_before else nan,
        "active_customers": n_active,
        "prospects": int((s.status == PROSPECT).sum()),
        "acquisitions": acquisitions,
        "churned": churned,
        "mean_satisfaction": active_mean(s.satisfaction),
        "mean_perceived_value": active_mean(s.value),
        "offer_fit": float((s.offer == s.truth).mean()),
        "repository_accuracy": active_mean(world.profile_right_count) / m if m else nan,
        "code_accuracy": float((s.code == s.truth).mean()),
        "employee_accuracy": (
            float(np.count_nonzero(s.beliefs == s.truth) / s.beliefs.size)
            if s.beliefs.size
            else nan
        ),
        "offer_knowledge": active_mean(s.offer_knowledge),
        "knowledge_from_customers": items / active_before if active_before else 0.0,
        "for_broadcast_reach": per_customer("for_broadcast_reached"),
        "for_broadcast_lessons": per_customer("for_broadcast_lessons"),
        "for_tailored_lessons": per_customer("for_tailored_lessons"),
        "for_tailored_precision": _share(
            f.get("for_tailored_right", 0), f.get("for_tailored_lessons", 0)
        ),
        "for_understood_fitting": active_mean(world.used) / fitting if fitting else nan,
        "from_absorbed": per_customer("from_absorbed"),
        "from_to_product": per_customer("from_to_product"),
        "from_direct": per_customer("from_direct"),
        "from_relayed": per_customer("from_relayed"),
        "about_contacts": per_customer("about_contacts"),
        "about_captures": per_customer("about_captures"),
        "about_wrong_captures": _share(
            f.get("about_wrong_captures", 0), f.get("about_captures", 0)
        ),
        "about_profile_staleness": (
            world.steps - float(np.einsum("i,i->", s.profile_time_sum, active)) / known_entries
            if known_entries
            else nan
        ),
        "clv": float(np.nansum(clv)) / n_acquired if n_acquired else nan,
        "customer_equity": money["customer_equity"],
        "investment_cost": world.cost_per_period if world.steps else 0.0,
        "net_value": money["net_value"],
    }
    out |= inside_the_firm(world) | outcomes.measured(outcomes.OUTCOMES, world)
    if world.n_firms > 1:
        out |= firm_outcomes.period_outcomes(world, period)
    return out


def inside_the_firm(world: World) -> dict[str, float]:
    """Inside the firm: accuracy per department and of the front line and product team,
    and the diversity of beliefs (mean Gini-Simpson index over segment needs)."""
    s = world.state
    nan = float("nan")
    n_emp = s.beliefs.shape[0]
    # means of 0/1 values are their exact integer counts over the number of values
    right = None
    if s.beliefs.size:
        matches = (s.beliefs == s.truth).reshape(n_emp, -1)
        right = matches.sum(axis=1, dtype=np.int64) / matches.shape[1]
    out: dict[str, float] = {}
    for name, members in (
        ("frontline_accuracy", world.frontline_team),
        ("product_accuracy", world.product_team),
    ):
        out[name] = float(right[members].mean()) if right is not None and len(members) else nan
    if s.beliefs.size:
        minus, plus = ((s.beliefs == v).sum(axis=0, dtype=np.int64) for v in (-1, 1))
        shares = [minus / n_emp, (n_emp - minus - plus) / n_emp, plus / n_emp]
        out["belief_diversity"] = float((1.0 - sum(p * p for p in shares)).mean())
    else:
        out["belief_diversity"] = nan
    return out


def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")
