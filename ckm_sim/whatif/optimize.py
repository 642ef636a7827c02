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
model's (in :mod:`~ckm_sim.whatif.objective`, light to import for worker processes).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import optuna
from tqdm import tqdm

from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.whatif.allocation import even_split, simplex_from_unit, unit_from_simplex
from ckm_sim.whatif.parallel import make_pool, run_jobs
from ckm_sim.whatif.stats import Estimate, mean_ci, paired_difference

#: Replication indices of the fresh evaluation seeds start here (disjoint from the search's).
EVALUATION_OFFSET = 1_000_000

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


def search_seeds(base_seed: int, replications: int) -> list[int]:
    """The seeds of the search's replications."""
    return [replication_seed(base_seed, r) for r in range(replications)]


def evaluation_seeds(base_seed: int, replications: int) -> list[int]:
    """The seeds of the fresh evaluation, disjoint from the search's."""
    return [replication_seed(base_seed, EVALUATION_OFFSET + r) for r in range(replications)]


def _scaled(est: Estimate, factor: float) -> Estimate:
    lo, hi = sorted((est.low * factor, est.high * factor))
    return Estimate(est.mean * factor, lo, hi, est.sd * abs(factor), est.n)


def make_study(direction: str, base_seed: int, trials: int) -> optuna.Study:
    """A quiet, seeded Optuna study (multivariate TPE; constant liar for parallel trials)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(
        seed=base_seed % 2**32,
        multivariate=True,
        constant_liar=True,
        n_startup_trials=max(4, min(10, trials // 3)),
    )
    return optuna.create_study(direction=direction, sampler=sampler)


def optimise_budget(
    evaluate: Evaluate,
    budget: float,
    dimensions: Sequence[str] = DIMENSIONS,
    trials: int = 20,
    replications: int = 2,
    eval_replications: int = 6,
    base_seed: int = 0,
    step: float | None = None,
    batch: int = 4,
    workers: int = 1,
    progress: bool = False,
) -> Optimum:
    """Search the allocations of ``budget`` across ``dimensions`` for the highest mean value."""
    if not (budget > 0 and math.isfinite(budget)):
        raise ValueError(f"budget must be a positive number, got {budget}")
    n = len(dimensions)
    even = even_split(budget, n)
    step = 0.1 * budget if step is None else step
    seeds = search_seeds(base_seed, replications)
    study = make_study("maximize", base_seed, trials)
    study.enqueue_trial({f"u{i}": float(u) for i, u in enumerate(unit_from_simplex(even / budget))})
    history: list[dict] = []
    pool = make_pool(workers)
    bar = tqdm(total=trials, desc="optimiser trials", unit="trial", disable=not progress)
    try:
        while len(history) < trials:
            asked = [study.ask() for _ in range(min(batch, trials - len(history)))]
            spends = [
                budget * simplex_from_unit([t.suggest_float(f"u{i}", 1e-6, 1.0) for i in range(n)])
                for t in asked
            ]
            jobs = [(s, seed) for s in spends for seed in seeds]
            values = run_jobs(evaluate, jobs, workers=workers, pool=pool)
            for j, trial in enumerate(asked):
                value = float(np.mean(values[j * len(seeds) : (j + 1) * len(seeds)]))
                trial.set_user_attr("spend", spends[j].tolist())
                if math.isfinite(value):
                    study.tell(trial, value)
                else:
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                history.append(
                    {"trial": trial.number, "value": value}
                    | dict(zip(dimensions, spends[j].tolist(), strict=True))
                )
            bar.update(len(asked))
        bar.close()
        best = np.array(study.best_trial.user_attrs["spend"])
        fresh = evaluation_seeds(base_seed, eval_replications)
        points = [best, even] + [best + step * np.eye(n)[d] for d in range(n)]
        jobs = [(p, seed) for p in points for seed in fresh]
        values = np.array(
            run_jobs(
                evaluate, jobs, workers=workers, pool=pool, progress=progress, desc="evaluation"
            )
        ).reshape(len(points), len(fresh))
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown()
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
        replications=replications,
        eval_replications=eval_replications,
        base_seed=base_seed,
        history=history,
    )
