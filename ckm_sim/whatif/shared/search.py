"""The ask/tell search that ``optimize`` and ``calibrate`` share: a seeded Optuna study, trials
proposed a fixed batch at a time, every trial evaluated on the same replication seeds.

Common random numbers: every trial runs on the plan's seeds ``replication_seed(base_seed, r)``,
so trials differ by their parameters, not by their luck. A fixed batch (not "as many as there are
workers") keeps the sequence of trials, and so the result, the same for any number of workers.
The winner is then re-evaluated on fresh seeds, replications from :data:`EVALUATION_OFFSET` on
(the search's own estimate of its winner is biased).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import optuna
from tqdm import tqdm

from ckm_sim.experiments.evaluator import Evaluator, RunPlan, map_ordered

#: Replication indices of the fresh evaluation seeds start here (disjoint from the search's).
EVALUATION_OFFSET = 1_000_000


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


def evaluation_seeds(plan: RunPlan, replications: int) -> list[int]:
    """The fresh seeds the winner is re-evaluated on."""
    return plan.seeds(offset=EVALUATION_OFFSET, count=replications)


def replicate(
    evaluator: Evaluator,
    fn: Callable[..., Any],
    points: Sequence[Any],
    seeds: Sequence[int],
    progress: bool = False,
    desc: str = "runs",
) -> list[list[Any]]:
    """``fn(*point, seed)`` for every point and seed; one list of results (by seed) per point."""
    jobs = [(*point, seed) for point in points for seed in seeds]
    flat = map_ordered(evaluator, fn, jobs, progress=progress, desc=desc)
    n = len(seeds)
    return [flat[i * n : (i + 1) * n] for i in range(len(points))]


@dataclass
class Trial:
    """One finished trial: its Optuna trial, the point it proposed, and its score."""

    trial: optuna.trial.Trial
    point: Any
    value: float


def search(
    study: optuna.Study,
    trials: int,
    batch: int,
    propose: Callable[[optuna.trial.Trial], Any],
    score: Callable[[list[Any]], list[float]],
    progress: bool = False,
    desc: str = "trials",
) -> list[Trial]:
    """Ask ``batch`` trials at a time, ``propose`` a point for each, ``score`` them together,
    tell the study (a non-finite score is a failed trial); ``trials`` in all."""
    done: list[Trial] = []
    bar = tqdm(total=trials, desc=desc, unit="trial", disable=not progress)
    try:
        while len(done) < trials:
            asked = [study.ask() for _ in range(min(batch, trials - len(done)))]
            points = [propose(t) for t in asked]
            for trial, point, value in zip(asked, points, score(points), strict=True):
                if math.isfinite(value):
                    study.tell(trial, value)
                else:
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                done.append(Trial(trial, point, value))
            bar.update(len(asked))
    finally:
        bar.close()
    return done
