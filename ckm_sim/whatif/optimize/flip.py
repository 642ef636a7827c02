"""What would flip ``optimize --budget``'s answer: the break-even cost multiplier and the payback.

The optimiser reports its answer's gain over the even split at today's costs. Whether that gain
(and the answer's spend at all) survives a different cost of competence is a break-even question
(:mod:`ckm_sim.whatif.shared.breakeven`): the answer, the even split and the scenario as it is
(its own levels) run again on the optimiser's evaluation seeds, with their time series, and

- against the even split: the cost multiplier at which the answer stops beating it (or, when the
  answer spends less, the multiplier above which it starts to), with its 95% CI;
- against the scenario as it is: the multiplier at which the answer's extra spend stops paying,
  and the month it pays back at today's cost (:mod:`ckm_sim.whatif.shared.payback`).

For a firm's budget (a best response) both are measured on that firm's own net value and
competence cost. The runs are the evaluation seeds', so the answer's difference from the even
split here is the report's gain over the even split.
"""

from __future__ import annotations

import numpy as np

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import Scenario
from ckm_sim.whatif.optimize.answer_flip import AnswerFlip
from ckm_sim.whatif.optimize.budget import Optimum
from ckm_sim.whatif.shared.allocation import (
    allocate,
    current_spend,
    levels_for_spend,
    spend_for_levels,
)
from ckm_sim.whatif.shared.breakeven import break_evens
from ckm_sim.whatif.shared.paired import PairedRuns, run_paired
from ckm_sim.whatif.shared.payback import paybacks
from ckm_sim.whatif.shared.search import evaluation_seeds
from ckm_sim.whatif.shared.terms import period_word

#: What the answer and the even split are called in the sentences and in ``optimum.json``.
BEST, EVEN = "best_split", "even_split"


def flip_scenarios(scenario: Scenario, opt: Optimum) -> list[Scenario]:
    """The scenario as it is, the answer and the even split (what each split buys, on the
    firm's cost curve when it is a firm's budget)."""
    return [
        scenario,
        allocate(scenario, opt.best, opt.firm).with_overrides(name=BEST),
        allocate(scenario, opt.even, opt.firm).with_overrides(name=EVEN),
    ]


def flip_from_runs(scenario: Scenario, opt: Optimum, runs: PairedRuns) -> AnswerFlip:
    """The break-evens and paybacks from paired runs of :func:`flip_scenarios`."""
    as_is = runs.names[0]
    now = float(current_spend(scenario, opt.firm).sum())
    spent = {BEST: float(opt.spent), EVEN: _spent(scenario, opt)}
    firms = [] if opt.firm is None else [opt.firm]
    whose = opt.firm
    extra = {
        (BEST, EVEN, whose): spent[BEST] - spent[EVEN],
        (BEST, as_is, whose): spent[BEST] - now,
    }
    found = break_evens(runs, [(BEST, EVEN), (BEST, as_is)], firms, extra)
    if opt.firm is not None:  # the firm's budget: its own net value answers, not the market's
        found = [b for b in found if b.firm == opt.firm]
    back = [
        p
        for reference in (EVEN, as_is)
        for p in paybacks(runs, reference=reference, firm=whose)
        if p.treatment == BEST
    ]
    return AnswerFlip(found, back, as_is, scenario.economics.currency, period_word(scenario))


def _spent(scenario: Scenario, opt: Optimum) -> float:
    """What the even split's levels cost per period (capped at level 1 on each dimension)."""
    levels = levels_for_spend(scenario, opt.even, opt.firm)
    return float(np.sum(spend_for_levels(scenario, levels, opt.firm)))


def answer_flip(
    scenario: Scenario, opt: Optimum, plan: RunPlan, progress: bool = False
) -> AnswerFlip:
    """Run the scenario as it is, the answer and the even split on the optimiser's evaluation
    seeds (``plan`` resolved on the scenario, as the search's) and measure what would flip the
    answer."""
    seeds = evaluation_seeds(plan, opt.eval_replications)
    runs = run_paired(flip_scenarios(scenario, opt), plan, True, progress, seeds=seeds)
    return flip_from_runs(scenario, opt, runs)
