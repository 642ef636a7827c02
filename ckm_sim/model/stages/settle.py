"""Stage 9, the market settles: leavers go, stayers pay, prospects adopt (docs/ODD.md 7.3).

With one firm, leavers leave the market and adopting prospects join the firm through word of
mouth. With several, :func:`ckm_sim.model.stages.competition.settle` lets leavers switch to a
rival and prospects choose a firm (7.6); the record then keeps each firm's counters as they
stood before, for the period's per-firm outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import choice, decisions, draws, economics, market
from ckm_sim.model.market import CHURNED, PROSPECT
from ckm_sim.model.stages import competition
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class SettleRecord(Record):
    """Prospects acquired and customers out of the market this period; with several firms,
    the firms' counters before the period's moves and their active customers at its start."""

    acquired: int = 0
    churned: int = 0
    firm_before: dict[str, np.ndarray] = field(default_factory=dict)
    firm_active_before: np.ndarray | None = None


def settle(world: World, period: Period) -> SettleRecord:
    """Leavers leave (or switch), stayers pay their margins, prospects adopt."""
    s, active = world.state, period.active
    leaving = period.record("churn").leaving
    if world.n_firms > 1:
        before = {k: v.copy() for k, v in world.firm_counters.items()}
        active_by_firm = choice.firm_counts(s.firm_of, active, world.n_firms)
        acquired, churned = competition.settle(world, active, leaving)
        return SettleRecord(
            acquired=acquired,
            churned=churned,
            firm_before=before,
            firm_active_before=active_by_firm,
        )
    mk, ec, t = world.scenario_config.market, world.scenario_config.economics, period.t
    leavers = np.flatnonzero(leaving)
    s.status[leavers] = CHURNED
    s.firm_of[leavers] = -1
    s.churned_at[leavers[s.churned_at[leavers] < 0]] = t
    s.lapsed_at[leavers] = t
    discount = economics.discount_factor(t, ec.discount_rate)
    staying = decisions.stay_and_pay(active, leaving, s.margin, s.realised_pv0, discount)
    prospects = np.flatnonzero(s.status == PROSPECT)
    acquired = 0
    if len(prospects) and (mk.base_acquisition > 0 or mk.word_of_mouth > 0):
        promoters = staying & (s.satisfaction >= mk.promoter_threshold)
        detractors = staying & (s.satisfaction <= mk.detractor_threshold)
        p = market.adoption_probability(
            world.community,
            promoters,
            detractors,
            mk.base_acquisition,
            mk.word_of_mouth,
            prospects,
        )
        # each prospect's own number (its slot's): the same whoever else is a prospect
        new = prospects[draws.below(world.streams.key("acquisition", t), prospects, p)]
        acquired = len(new)
        if acquired:
            s.firm_of[new] = 0
            s.profile_firm[new] = 0
            world.welcome(new)
    return SettleRecord(acquired=acquired, churned=len(leavers))
