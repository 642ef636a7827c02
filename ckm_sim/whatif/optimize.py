"""``ckm-sim optimize``: the split of a per-period budget across the dimensions that maximises
expected net value.

The objective (mean net value over replications) is noisy. The search handles the noise with
common random numbers: every trial is evaluated on the same replication seeds, so trials differ
by their allocation, not by their luck. Optuna's TPE sampler (multivariate, seeded) proposes the
allocations, a few at a time (a fixed batch, so results do not depend on the number of workers);
the even split is always its first trial. The best trial is then re-evaluated on fresh seeds
(the search's own estimate of its winner is biased upward), paired with the even split, and the
marginal value of each dimension at the optimum is estimated by paired forward differences:
``(NV(best + step on d) - NV(best)) / step``, i.e. where the next unit of budget goes.

The optimiser works on any ``evaluate(spend, seed) -> float``; :class:`NetValueObjective` is the
model's (in :mod:`~ckm_sim.whatif.objective`, light to import for worker processes). The search
loop is :func:`ckm_sim.whatif.search.search`; the runs go to the plan's evaluator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ckm_sim.experiments.evaluator import Evaluator, RunPlan
from ckm_sim.experiments.stats import Estimate, mean_ci, paired_difference
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.whatif.allocation import even_split, simplex_from_unit, unit_from_simplex
from ckm_sim.whatif.search import evaluation_seeds, make_study, replicate, search

Evaluate = Callable[[np.ndarray, int], float]


@dataclass
class Optimum:
    """The best allocation found, its value on fresh seeds, and the marginal values there."""

    dimensions: tuple[str, ...]
    budget: float
    best: np.ndarray
    even: np.ndarray
    best_value: Estimate
    even_value: Estimate
    gain: Estimate  # best - even, paired on the evaluation seeds
    step: float
    marginal: list[Estimate]  # per unit of per-period spend, one per dimension
    trials: int
    replications: int
    eval_replications: int
    base_seed: int
    history: list[dict] = field(default_factory=list)  # trial, value, spend per dimension


def _scaled(est: Estimate, factor: float) -> Estimate:
    lo, hi = sorted((est.low * factor, est.high * factor))
    return Estimate(est.mean * factor, lo, hi, est.sd * abs(factor), est.n)


def optimise_budget(
    evaluate: Evaluate,
    budget: float,
    plan: RunPlan,
    dimensions: Sequence[str] = DIMENSIONS,
    trials: int = 20,
    eval_replications: int = 6,
    step: float | None = None,
    batch: int = 4,
    progress: bool = False,
) -> Optimum:
    """Search the allocations of ``budget`` across ``dimensions`` for the highest mean value.

    ``plan`` gives the replications (common seeds) per trial, the base seed and the workers.
    """
    if not (budget > 0 and math.isfinite(budget)):
        raise ValueError(f"budget must be a positive number, got {budget}")
    n = len(dimensions)
    even = even_split(budget, n)
    step = 0.1 * budget if step is None else step
    seeds = plan.seeds()
    study = make_study("maximize", plan.seed, trials)
    study.enqueue_trial({f"u{i}": float(u) for i, u in enumerate(unit_from_simplex(even / budget))})

    def propose(trial) -> np.ndarray:
        unit = [trial.suggest_float(f"u{i}", 1e-6, 1.0) for i in range(n)]
        spend = budget * simplex_from_unit(unit)
        trial.set_user_attr("spend", spend.tolist())
        return spend

    with plan.evaluator() as evaluator:

        def score(spends: list[np.ndarray]) -> list[float]:
            runs = replicate(evaluator, evaluate, [(s,) for s in spends], seeds)
            return [float(np.mean(values)) for values in runs]

        done = search(study, trials, batch, propose, score, progress, "optimiser trials")
        best = np.array(study.best_trial.user_attrs["spend"])
        values = _final(evaluator, evaluate, best, even, step, plan, eval_replications, progress)
    history = [
        {"trial": t.trial.number, "value": t.value}
        | dict(zip(dimensions, t.point.tolist(), strict=True))
        for t in done
    ]
    marginal = [_scaled(paired_difference(values[2 + d], values[0]), 1.0 / step) for d in range(n)]
    return Optimum(
        dimensions=tuple(dimensions),
        budget=budget,
        best=best,
        even=even,
        best_value=mean_ci(values[0]),
        even_value=mean_ci(values[1]),
        gain=paired_difference(values[0], values[1]),
        step=step,
        marginal=marginal,
        trials=trials,
        replications=plan.replications,
        eval_replications=eval_replications,
        base_seed=plan.seed,
        history=history,
    )


def _final(
    evaluator: Evaluator,
    evaluate: Evaluate,
    best: np.ndarray,
    even: np.ndarray,
    step: float,
    plan: RunPlan,
    replications: int,
    progress: bool,
) -> np.ndarray:
    """Best, even split and best + step on each dimension, on fresh seeds (rows: points)."""
    n = len(best)
    points = [best, even] + [best + step * np.eye(n)[d] for d in range(n)]
    fresh = evaluation_seeds(plan, replications)
    runs = replicate(evaluator, evaluate, [(p,) for p in points], fresh, progress, "evaluation")
    return np.array(runs, dtype=np.float64)
