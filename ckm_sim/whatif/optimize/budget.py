"""``ckm-sim optimize``: the split of a per-period budget across the dimensions that maximises
expected net value.

The objective (mean net value over replications) is noisy. Two search methods handle it:

- ``surface`` (the command's default, :mod:`~ckm_sim.whatif.optimize.surface_search`): each
  search runs a design of levels, with the budget as a ceiling, and fits a quadratic to its
  runs; the answer is the best point, within the budget, of one fit on all the searches' runs,
  with its levels' intervals over resampled seeds.
- ``tpe``: Optuna's TPE sampler (multivariate, seeded) proposes shares of the budget, a few at a
  time (a fixed batch, so results do not depend on the number of workers), each trial on the
  same replication seeds (common random numbers), the even split first; each search ends with
  transfer moves (:mod:`~ckm_sim.whatif.optimize.polish`).

Either way, each search's answer and the pooled one (surface: the fit on all runs; tpe: the
mean split) are re-evaluated on fresh seeds (the search's own estimate of its winner is biased
upward), paired with the even split, and the marginal value of each dimension at the answer is
estimated by paired forward differences, ``(NV(best + step on d) - NV(best)) / step``: where
the next unit of budget goes. :mod:`~ckm_sim.whatif.optimize.convergence` says whether the
answer holds (the searches agree; the marginal values agree with the split; no paying
dimension is left short of an unspent budget).

The optimiser works on any ``evaluate(spend, seed) -> float``; :class:`NetValueObjective` is the
model's (in :mod:`~ckm_sim.whatif.shared.objective`, light to import for worker processes). The
search loop is :func:`ckm_sim.whatif.shared.search.search`; the runs go to the plan's evaluator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.experiments.evaluator import Evaluator, RunPlan, map_ordered
from ckm_sim.experiments.stats import Estimate, mean_ci, paired_difference
from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.whatif.optimize.convergence import (
    LEVEL_TOLERANCE,
    Verdict,
    scaled,
    transfer_pair,
    verdict,
)
from ckm_sim.whatif.optimize.polish import polish
from ckm_sim.whatif.optimize.surface_search import (
    Searched,
    fewest_points,
    pooled_best,
    resampled_best,
    search_surface,
    seeds_needed,
)
from ckm_sim.whatif.shared.allocation import (
    CostCurve,
    even_split,
    simplex_from_unit,
    unit_from_simplex,
)
from ckm_sim.whatif.shared.search import evaluation_seeds, make_study, replicate, search

if TYPE_CHECKING:
    from ckm_sim.whatif.optimize.answer_flip import AnswerFlip

Evaluate = Callable[[np.ndarray, int], float]

#: Search ``k``'s design seed is ``replication_seed(base_seed, DESIGN_OFFSET + k)``: distinct for
#: every base seed and search (``base_seed + k`` would give base seeds 1 and 2 a design in common,
#: and a fit's lack of fit depends on its design: answers that share one agree too well).
DESIGN_OFFSET = 2_000_000

#: The search methods: ``surface`` (fitted quadratics in level space, the budget a ceiling) and
#: ``tpe`` (Optuna's TPE on shares of the budget, all of it spent; the previous default).
METHODS = ("surface", "tpe")


@dataclass
class Optimum:
    """The best allocation found, its value on fresh seeds, the marginal values there, and
    whether the answer holds."""

    dimensions: tuple[str, ...]
    budget: float
    best: np.ndarray
    even: np.ndarray
    best_value: Estimate
    even_value: Estimate
    gain: Estimate  # best - even, paired on the evaluation seeds
    step: float
    marginal: list[Estimate]  # per unit of per-period spend, one per dimension
    trials: int  # per search
    replications: int
    eval_replications: int
    base_seed: int
    restarts: int = 1
    polish_steps: int = 0
    candidates: list[np.ndarray] = field(default_factory=list)  # each search's best split
    versus_winner: list[Estimate] = field(default_factory=list)  # candidate - best, paired
    verdict: Verdict | None = None
    history: list[dict] = field(default_factory=list)  # search, trial, value, spend per dim
    firm: str | None = None  # the firm whose budget this is (None: a single-firm scenario)
    incumbent: np.ndarray | None = None  # the split the firm held before (best responses)
    versus_incumbent: Estimate | None = None  # best - incumbent, paired on the evaluation seeds
    distinct_seeds: bool = False  # each search on its own trial seeds
    centroid: np.ndarray | None = None  # the searches' pooled answer (surface: the fit on
    # all their runs; tpe: the mean of their best splits), if evaluated
    centroid_versus_winner: Estimate | None = None  # centroid - best, paired
    method: str = "tpe"
    spent: float = 0.0  # what the answer's levels cost per period (at most the budget)
    level_interval: np.ndarray | None = None  # surface: 2 x n, the pooled answer's levels,
    # 2.5% and 97.5% over resamples of the seeds (resampled_best)
    flip: AnswerFlip | None = None  # what would flip the answer (a scenario's budget only:
    # ckm_sim.whatif.optimize.flip, set by settings.best_split)


def _search_once(
    evaluator: Evaluator,
    evaluate: Evaluate,
    budget: float,
    n: int,
    seeds: list[int],
    sampler_seed: int,
    trials: int,
    batch: int,
    progress: bool,
    desc: str,
    polish_steps: int = 0,
    polish_step: float = 0.0,
) -> tuple[np.ndarray, list]:
    """One TPE search from the even split, then ``polish_steps`` transfer moves
    (:func:`~ckm_sim.whatif.optimize.polish.polish`); its best split and its trials."""
    even = even_split(budget, n)
    study = make_study("maximize", sampler_seed, trials)
    study.enqueue_trial({f"u{i}": float(u) for i, u in enumerate(unit_from_simplex(even / budget))})

    def propose(trial) -> np.ndarray:
        unit = [trial.suggest_float(f"u{i}", 1e-6, 1.0) for i in range(n)]
        spend = budget * simplex_from_unit(unit)
        trial.set_user_attr("spend", spend.tolist())
        return spend

    def score(spends: list[np.ndarray]) -> list[float]:
        runs = replicate(evaluator, evaluate, [(s,) for s in spends], seeds)
        return [float(np.mean(values)) for values in runs]

    done = search(study, trials, batch, propose, score, progress, desc)
    best = np.array(study.best_trial.user_attrs["spend"])
    if polish_steps > 0:
        best = polish(score, best, float(study.best_value), polish_step, polish_steps).point
    return best, done


def _surface_once(
    evaluator: Evaluator,
    evaluate: Evaluate,
    curve: CostCurve,
    budget: float,
    plan: RunPlan,
    k: int,
    points: int,
    distinct_seeds: bool,
    progress: bool = False,
    desc: str = "runs",
) -> Searched:
    """Search ``k`` by response surface
    (:func:`~ckm_sim.whatif.optimize.surface_search.search_surface`) from the even split, on
    its own replications of the plan (``distinct_seeds``) or on the first ones."""
    need = seeds_needed(points, plan.replications)
    seeds = plan.seeds(offset=k * need if distinct_seeds else 0, count=need)

    def run(jobs: list[tuple[np.ndarray, int]]) -> list[float]:
        spends = [(curve.spend(x), seed) for x, seed in jobs]
        return map_ordered(evaluator, evaluate, spends, progress=progress, desc=desc)

    start = curve.levels(even_split(budget, len(curve.costs)))
    design = replication_seed(plan.seed, DESIGN_OFFSET + k)
    return search_surface(run, curve, budget, start, points, seeds, plan.replications, design)


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
    restarts: int = 1,
    curve: CostCurve | None = None,
    tolerance: float = LEVEL_TOLERANCE,
    polish_steps: int = 0,
    incumbent: np.ndarray | None = None,
    firm: str | None = None,
    distinct_seeds: bool = False,
    centroid: bool = False,
    method: str = "tpe",
    currency: str = "",
) -> Optimum:
    """Search the allocations of ``budget`` across ``dimensions`` for the highest mean value.

    ``plan`` gives the replications (common seeds) per trial, the base seed and the workers.
    ``restarts`` independent searches of ``trials`` each (sampler seeds ``base_seed + k``);
    ``curve`` is what a split buys (levels, capped at 1): the verdict compares the searches'
    answers by it, within ``tolerance`` (in levels), and a dimension at level 1 is full (its
    marginal value is 0 by construction). Without it (an objective with no cost curve), what a
    split buys is its shares of the budget and no dimension is ever full.

    ``method``: ``"surface"`` searches levels with the budget as a ceiling, ``trials`` design
    points per search fitted by a quadratic (:mod:`~ckm_sim.whatif.optimize.surface_search`), and
    ``step`` defaults to a tenth of what the answer spends (not of a budget it may not spend);
    ``"tpe"`` searches shares of the budget (all of it spent) with Optuna's TPE, ``trials`` per
    search, each ending with ``polish_steps`` transfer moves of at most ``step``. An ``incumbent``
    split (what the firm spends now, in a best response) is re-evaluated with the candidates,
    and the winner's gain over it is ``versus_incumbent``; ``firm`` only labels the result.

    ``distinct_seeds``: search ``k`` runs its trials on replications ``k R .. k R + R - 1``
    (``R`` the plan's replications) instead of every search on the same ``R``, so the searches'
    luck is independent. ``centroid``: the searches' pooled answer (surface: the best point of
    one fit on all their runs; tpe: the mean of their best splits) is evaluated with them
    and is the answer unless one of them beats it outside the paired CI on the evaluation seeds
    (then the best of those): pooling answers scattered by noise around a flat optimum varies
    less than any one of them.

    ``currency``: the unit the verdict's amounts are read in (the scenario's; empty for an
    objective with no scenario).
    """
    if not (budget > 0 and math.isfinite(budget)):
        raise ValueError(f"budget must be a positive number, got {budget}")
    if restarts < 1:
        raise ValueError(f"restarts must be at least 1, got {restarts}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if method == "surface" and trials < fewest_points(len(dimensions)):
        raise ValueError(
            f"--method surface needs at least {fewest_points(len(dimensions))} points a search "
            f"(a full quadratic in {len(dimensions)} levels has "
            f"{fewest_points(len(dimensions)) - 5} terms), got --trials {trials}"
        )
    n = len(dimensions)
    shape = CostCurve.shares(budget, n) if curve is None else curve
    even = even_split(budget, n)
    given_step, step = step, 0.1 * budget if step is None else step
    history: list[dict] = []
    candidates: list[np.ndarray] = []
    searched = []
    with plan.evaluator() as evaluator:
        for k in range(restarts):
            desc = f"search {k + 1}/{restarts}"
            if method == "surface":
                one = _surface_once(
                    evaluator,
                    evaluate,
                    shape,
                    budget,
                    plan,
                    k,
                    trials,
                    distinct_seeds,
                    progress,
                    desc,
                )
                searched.append(one)
                candidates.append(shape.spend(one.best))
                history += [
                    {"search": k, "trial": i, "value": float(v)}
                    | dict(zip(dimensions, shape.spend(x).tolist(), strict=True))
                    for i, (x, v) in enumerate(zip(one.levels, one.means(), strict=True))
                ]
                continue
            best, done = _search_once(
                evaluator,
                evaluate,
                budget,
                n,
                plan.seeds(offset=k * plan.replications if distinct_seeds else 0),
                plan.seed + k,
                trials,
                batch,
                progress,
                desc,
                polish_steps,
                step,
            )
            candidates.append(best)
            history += [
                {"search": k, "trial": t.trial.number, "value": t.value}
                | dict(zip(dimensions, t.point.tolist(), strict=True))
                for t in done
            ]
        unique = _distinct(candidates)
        middle, interval = None, None
        if centroid and len(unique) > 1 and method == "surface":
            pooled = pooled_best(searched, shape, budget)
            draws = resampled_best(searched, shape, budget, pooled, seed=plan.seed)
            interval = np.percentile(draws, [2.5, 97.5], axis=0)
            middle = shape.spend(pooled)
        elif centroid and len(unique) > 1:
            middle = np.mean(candidates, axis=0)
        if middle is not None:
            unique.append(middle)
        extra = [] if incumbent is None else [np.asarray(incumbent, dtype=np.float64)]
        fresh = evaluation_seeds(plan, eval_replications)
        evaluated = np.array(
            replicate(
                evaluator, evaluate, [(c,) for c in unique + extra], fresh, progress, "candidates"
            ),
            dtype=np.float64,
        )
        cand_values = evaluated[: len(unique)]
        w = _winner(cand_values, middle is not None)
        best = unique[w]
        if given_step is None and method == "surface":  # a tenth of what the answer spends
            step = 0.1 * (float(shape.spend(shape.levels(best)).sum()) or budget)
        points = [even] + [best + step * np.eye(n)[d] for d in range(n)]
        rest = np.array(
            replicate(evaluator, evaluate, [(p,) for p in points], fresh, progress, "evaluation"),
            dtype=np.float64,
        )
        at_best, even_values, stepped = cand_values[w], rest[0], rest[1:]
        full = np.zeros(n, dtype=bool) if curve is None else shape.levels(best) >= 1.0
        pair = transfer_pair(best, step, (stepped - at_best).mean(axis=1), full)
        move = None
        if pair is not None:
            to, frm = pair
            moved = best + step * (np.eye(n)[to] - np.eye(n)[frm])
            (after,) = replicate(evaluator, evaluate, [(moved,)], fresh)
            gain = paired_difference(np.asarray(after, dtype=np.float64), at_best)
            move = (dimensions[to], dimensions[frm], gain)
    spent = float(shape.spend(shape.levels(best)).sum())
    marginal = [
        Estimate(0.0, 0.0, 0.0, 0.0, eval_replications)
        if full[d]
        else scaled(paired_difference(stepped[d], at_best), 1.0 / step)
        for d in range(n)
    ]
    by_candidate = [cand_values[_index(unique, c)] for c in candidates]
    versus = [paired_difference(v, at_best) for v in by_candidate]
    return Optimum(
        dimensions=tuple(dimensions),
        budget=budget,
        best=best,
        even=even,
        best_value=mean_ci(at_best),
        even_value=mean_ci(even_values),
        gain=paired_difference(at_best, even_values),
        step=step,
        marginal=marginal,
        trials=trials,
        replications=plan.replications,
        eval_replications=eval_replications,
        base_seed=plan.seed,
        restarts=restarts,
        polish_steps=polish_steps,
        candidates=candidates,
        versus_winner=versus,
        verdict=verdict(
            [shape.levels(c) for c in candidates],
            versus,
            marginal,
            full,
            move,
            step,
            tuple(dimensions),
            tolerance=tolerance,
            winner_is_mean=middle is not None and w == len(unique) - 1,
            pooled="the fit on all their runs" if method == "surface" else "their mean",
            unit="share" if curve is None else "level",
            budget=budget,
            spent=spent,
            interval=interval if middle is not None and w == len(unique) - 1 else None,
            currency=currency,
        ),
        history=history,
        firm=firm,
        incumbent=extra[0] if extra else None,
        versus_incumbent=paired_difference(at_best, evaluated[-1]) if extra else None,
        distinct_seeds=distinct_seeds,
        centroid=middle,
        centroid_versus_winner=None
        if middle is None
        else paired_difference(cand_values[len(unique) - 1], at_best),
        method=method,
        spent=spent,
        level_interval=interval,
    )


def _winner(values: np.ndarray, last_is_centroid: bool) -> int:
    """The index of the answer among the evaluated points (rows of ``values``, by seed): the
    best mean; with a centroid (the last row), the centroid unless a point beats it outside the
    paired 95% CI."""
    best = int(np.argmax(values.mean(axis=1)))
    if not last_is_centroid:
        return best
    c = len(values) - 1
    beaten = any(paired_difference(v, values[c]).low > 0 for v in values[:c])
    return best if beaten else c


def _distinct(points: list[np.ndarray]) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for p in points:
        if not any(np.array_equal(p, q) for q in out):
            out.append(p)
    return out


def _index(points: list[np.ndarray], p: np.ndarray) -> int:
    return next(i for i, q in enumerate(points) if np.array_equal(p, q))
