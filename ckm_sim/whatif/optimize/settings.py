"""How ``optimize`` searches, from the command line or from Python (:mod:`ckm_sim.api`): the
defaults per method, the checked search settings, the budgets and the one-firm search itself.

Light to import (no model run, no solver): the command line builds its help from these defaults.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ckm_sim.errors import CKMError
from ckm_sim.whatif.shared.defaults import LEVEL_TOLERANCE

if TYPE_CHECKING:
    from ckm_sim.experiments.evaluator import RunPlan
    from ckm_sim.model.scenario import Scenario
    from ckm_sim.whatif.optimize.budget import Optimum

#: Design points per search (``--trials``) and runs per point (``--replications``) for each
#: method: a surface needs no replications (every run informs the fit), and more points (and
#: seeds) for the same runs average more of the design's and the seeds' luck; TPE compares its
#: trials, so each is a mean over replications (docs/whatif.md).
TRIALS = {"surface": 256, "tpe": 20}
SEARCH_REPLICATIONS = {"surface": 1, "tpe": 2}
METHODS = tuple(TRIALS)
RESTARTS, EVAL_REPLICATIONS, POLISH = 3, 8, 4
PLAN_REPLICATIONS = 10
METHOD = "surface"
SURFACE_FEWEST = 26  # surface_search.fewest_points(5): kept here so --help imports no solver


@dataclass(frozen=True)
class SearchSettings:
    """The search's options beside its :class:`~ckm_sim.experiments.evaluator.RunPlan` (the
    options of ``ckm-sim optimize``; ``trials`` None: the method's default)."""

    method: str = METHOD
    trials: int | None = None
    restarts: int = RESTARTS
    eval_replications: int = EVAL_REPLICATIONS
    step: float | None = None
    level_tolerance: float = LEVEL_TOLERANCE
    polish: int = POLISH
    centroid: bool = True

    def checked(self) -> SearchSettings:
        """These settings with the method's default trials; a one-line CKMError for a bad one."""
        if self.method not in METHODS:
            raise CKMError(f"--method must be one of {', '.join(METHODS)}, got {self.method!r}")
        trials = TRIALS[self.method] if self.trials is None else self.trials
        if self.method == "surface" and trials < SURFACE_FEWEST:
            raise CKMError(
                f"--trials {trials}: --method surface needs at least {SURFACE_FEWEST} points a "
                "search (a full quadratic in five levels has 21 terms); or use --method tpe"
            )
        if trials < 1 or self.restarts < 1 or self.polish < 0:
            raise CKMError("--trials and --restarts must be at least 1, --polish at least 0")
        if self.step is not None and not (math.isfinite(self.step) and self.step > 0):
            raise CKMError(f"--step must be a positive amount per period, got {self.step:g}")
        tolerance = self.level_tolerance
        if not (math.isfinite(tolerance) and 0 < tolerance <= 1):
            raise CKMError(f"--level-tolerance must be a level in (0, 1], got {tolerance:g}")
        if self.eval_replications < 2:
            raise CKMError("--eval-replications must be at least 2 for confidence intervals")
        return replace(self, trials=trials)

    def options(self, progress: bool = False) -> dict[str, Any]:
        """The keyword arguments of :func:`~ckm_sim.whatif.optimize.budget.optimise_budget`
        (and of the best responses' optimiser) for these (checked) settings."""
        return dict(
            trials=self.trials,
            eval_replications=self.eval_replications,
            step=self.step,
            progress=progress,
            restarts=self.restarts,
            tolerance=self.level_tolerance,
            polish_steps=self.polish if self.method == "tpe" else 0,
            distinct_seeds=self.centroid,
            centroid=self.centroid,
            method=self.method,
        )


def budgets_for(given: list[tuple[str | None, float]], firms: list[str]) -> dict[str, float]:
    """Each named firm's budget from ``(firm or None, amount)`` pairs (``--budget B`` or
    ``--budget FIRM=B``); one-line errors."""
    for _, amount in given:
        if not (math.isfinite(amount) and amount > 0):
            raise CKMError(f"--budget must be a positive amount per period, got {amount:g}")
    default = [b for f, b in given if f is None]
    own = {f: b for f, b in given if f is not None}
    if len(default) > 1:
        raise CKMError("--budget without a firm is given twice")
    for firm in own:
        if firm not in firms:
            raise CKMError(f"--budget {firm}=...: {firm} is not a --firm ({', '.join(firms)})")
    missing = [f for f in firms if f not in own and not default]
    if missing:
        raise CKMError(f"--budget: no budget for {', '.join(missing)} (give B or FIRM=B)")
    return {f: own.get(f, default[0] if default else 0.0) for f in firms}


def split_name(scenario: Scenario, budget: float, firm: str | None = None) -> str:
    """The default report name of a budget split: ``baseline_budget4000``,
    ``duopoly_laggard_budget4000`` (a plain name)."""
    from ckm_sim.names import short_name

    return short_name(f"{scenario.name}_{firm + '_' if firm else ''}budget{budget:g}")


def check_split_scenario(scenario: Scenario, firms: Sequence[str]) -> None:
    """Refuse a scenario whose budget cannot be split: a multi-firm one without the ``firms``
    whose budget to spend (or with a firm it does not have), or one with an investment plan."""
    from ckm_sim.firmkeys import check_firms, is_multi_firm

    if firms:
        check_firms(scenario, list(firms), "--firm")
    elif is_multi_firm(scenario):
        raise CKMError(
            f"{scenario.name} has firms {', '.join(scenario.firm_names())}: name whose budget "
            "to spend with --firm NAME"
        )
    if scenario.plan is not None and scenario.plan.planned():
        raise CKMError(
            f"{scenario.name} has an investment plan, which sets its competence period by "
            "period: a budget split does not apply; compare plans with --plans FILE"
        )


def best_split(
    scenario: Scenario,
    budget: float,
    plan: RunPlan,
    settings: SearchSettings,
    firm: str | None = None,
    progress: bool = False,
    flip: bool = True,
) -> Optimum:
    """The best split of ``budget`` per period across the five dimensions (of ``firm``'s, the
    rivals' levels fixed, in a multi-firm scenario), for a ``plan`` resolved on the scenario;
    with ``flip``, also what would flip the answer (its break-even cost multipliers and payback,
    :mod:`~ckm_sim.whatif.optimize.flip`: three more runs per evaluation seed)."""
    from ckm_sim.whatif.optimize.budget import optimise_budget
    from ckm_sim.whatif.optimize.flip import answer_flip
    from ckm_sim.whatif.shared.allocation import CostCurve, current_spend
    from ckm_sim.whatif.shared.objective import NetValueObjective

    assert plan.periods is not None, "resolve the plan on the scenario first"
    optimum = optimise_budget(
        NetValueObjective(scenario, plan.periods, firm=firm),
        budget,
        plan,
        curve=CostCurve.of(scenario, firm),
        incumbent=None if firm is None else current_spend(scenario, firm),
        firm=firm,
        currency=scenario.economics.currency,
        **settings.checked().options(progress),
    )
    if flip:
        optimum.flip = answer_flip(scenario, optimum, plan, progress)
    return optimum
