"""Stage 5, organisational learning (docs/ODD.md 7.2): the firm appraises its employees, who
learn from peers; the code learns from the superior group and from pooled CRM profiles
(analytical CRM); employees socialise into the code; some leave. Each firm learns only from its
own customers, employees and repository (ODD 7.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import kernels, learning
from ckm_sim.model.stages.base import Period, Record

if TYPE_CHECKING:
    from ckm_sim.model.world import World


def organisational_learning(world: World, period: Period) -> Record:
    """Peers, code learning, analytical CRM, socialisation, turnover (docs/ODD.md 7.2).

    Appraisal (who is better) comes from what the firm observes by default; only the
    departments that share the code this period contribute to it and read from it.
    """
    s = world.state
    served = None  # what a satisfaction survey finds per employee and segment, if any firm asks
    if any(fs.firm.appraisal == "outcomes" for fs in world.firm_scenarios):
        # one pass for every firm: a customer's serving employee is of the customer's firm, so
        # each firm's block of rows holds the means of its own active customers only
        n_employees, n_segments = s.beliefs.shape[:2]
        served = kernels.served_means(
            s.satisfaction, period.active, s.serving_employee, s.segment, n_employees, n_segments
        )
    for f in range(world.n_firms):
        block = world.firm_blocks[f]
        _firm_learns(world, period.t, f, None if served is None else served[block])
    return Record()


def _firm_learns(world: World, t: int, f: int, served: np.ndarray | None) -> None:
    """One firm's organisational learning; ``served``: the true mean satisfaction of its active
    customers per employee and segment (its block of rows; None: not surveyed)."""
    s = world.state
    lv, firm = world.firm_levers[f], world.firm_scenarios[f].firm
    block = world.firm_blocks[f]
    beliefs, code = s.beliefs[block], s.codes[f]  # views: learning writes through

    def stream(stage: str, period: int) -> np.random.Generator:
        return world.streams.at(stage, period, firm=f)

    takes_part = world.takes_part[block]
    observed = None
    if firm.appraisal == "outcomes":
        assert served is not None
        observed = learning.surveyed(served, firm.appraisal_noise, stream("appraisal", t))
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
