"""Stage 5, organisational learning (docs/ODD.md 7.2): the firm appraises its employees, who
learn from peers; the code learns from the superior group and from pooled CRM profiles
(analytical CRM); employees socialise into the code; some leave. Each firm learns only from its
own customers, employees and repository (ODD 7.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import learning
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


def organisational_learning(world: World, period: Period) -> Record:
    """Peers, code learning, analytical CRM, socialisation, turnover (docs/ODD.md 7.2).

    Appraisal (who is better) comes from what the firm observes by default; only the
    departments that share the code this period contribute to it and read from it.
    """
    active = period.active
    if world.n_firms == 1:
        _firm_learns(world, period.t, 0, active, np.arange(0))
        return Record()
    rows = np.flatnonzero(active)
    firm = world.state.firm_of[rows]
    order = np.argsort(firm, kind="stable")
    bounds = np.searchsorted(firm[order], np.arange(world.n_firms + 1))
    for f in range(world.n_firms):
        _firm_learns(world, period.t, f, active, rows[order[bounds[f] : bounds[f + 1]]])
    return Record()


def _firm_learns(world: World, t: int, f: int, active: np.ndarray, rows: np.ndarray) -> None:
    """One firm's organisational learning, from its active customers (``active`` for a
    single firm, else the customers ``rows``)."""
    s = world.state
    lv, firm = world.firm_levers[f], world.firm_scenarios[f].firm
    block = world.firm_blocks[f]
    beliefs, code = s.beliefs[block], s.codes[f]  # views: learning writes through

    def stream(stage: str, period: int) -> np.random.Generator:
        return world.streams.at(stage, period, firm=f)

    takes_part = world.takes_part[block]
    observed = None
    if firm.appraisal == "outcomes":
        if world.n_firms == 1:
            seen = (s.satisfaction, active, s.serving_employee, s.segment)
        else:  # the firm's own customers only
            mine = np.ones(len(rows), dtype=bool)
            serving = s.serving_employee[rows] - block.start
            seen = (s.satisfaction[rows], mine, serving, s.segment[rows])
        observed = learning.observed_performance(
            *seen,
            beliefs.shape[0],
            beliefs.shape[1],
            firm.appraisal_noise,
            stream("appraisal", t),
        )
        standing = observed
    else:
        standing = learning.accuracy(beliefs, s.truth)  # March: reads the ground truth
    learning.learn_from_peers(
        beliefs,
        standing,
        world.firm_employee_ties[f],
        lv.peer_learning_rate,
        lv.cross_tie_use,
        stream("peers", t),
    )
    # code learning and socialisation are simultaneous (March 1991): employees socialise
    # into the code as it stood before this period's code learning
    code_before = code.copy()
    learning.learn_code(
        code,
        beliefs,
        s.truth,
        lv.code_learning_rate,
        lv.discernment,
        stream("code", t),
        appraisal=firm.appraisal,
        vote=firm.code_vote,
        observed=observed,
        takes_part=takes_part,
    )
    if lv.analytic_reach > 0:
        # the CRM keeps every profile it recorded, former customers' included
        learning.learn_code_from_profiles(
            code,
            s.profile_sums[f],
            s.profile_counts[f],
            lv.analytic_reach,
            stream("analytics", t),
        )
    learning.socialise(
        beliefs,
        code_before,
        lv.socialisation_rate,
        stream("socialise", t),
        firm.socialisation == "gradual",
        takes_part,
    )
    learning.turnover(beliefs, firm.employee_turnover, stream("turnover", t))
