"""One search of a budget's best split by response surface, and the fit on several searches.

A search works in level space (what a split buys,
:class:`~ckm_sim.whatif.shared.allocation.CostCurve`), with the budget as a ceiling on the answer:
a Latin hypercube of ``points`` levels from 0 to the highest level the budget alone can buy (the
even split first). Points that cost more than the budget in all are run too: net value counts what
their levels cost, and they show the surface's shape; only the answer must fit the budget. So a
large budget need not be spent, and spend beyond a dimension's full cost is never sampled
(searching shares of the budget instead, most splits of a large budget fill the same dimensions and
buy the same levels). The points run on the search's seeds, :data:`POINTS_PER_SEED` points to a
seed; a quadratic fit (:func:`~ckm_sim.whatif.optimize.surface.fit`, with an intercept per seed: a
seed's luck shifts every value it gives) and its best point within the budget are the search's
answer.

:func:`pooled_best` fits one surface on every search's runs: an answer from all of them,
steadier than any one search's (its scatter shrinks with the square root of the number of runs
and of seeds).

Tried and measured on the baseline (docs/whatif.md): a second, local fit in a box of 0.25
around the first answer sees too little spread of levels to tell the curvature from the noise
(the searches' answers scattered by up to 0.75 of a level); every point on the same 6 seeds
makes the answer the best split for those few markets (search seeds' answers 0.17 apart); points
shrunk into the budget crowd its boundary and hide the curvature the same way (0.19 apart at
4,000, against 0.12 unshrunk).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ckm_sim.whatif.optimize.surface import Surface, best_point, features, fit, latin_design
from ckm_sim.whatif.shared.allocation import CostCurve

#: How many design points share each seed (of each replication): enough to tell a seed's luck
#: (its intercept) from the levels' effect, few enough that the surface sees many seeds.
POINTS_PER_SEED = 4

#: Resamples of the seeds for the pooled answer's intervals (:func:`resampled_best`).
BOOTSTRAP_DRAWS = 100

#: ``run(jobs)``: the objective of each job, ``(levels, seed)``.
RunJobs = Callable[[list[tuple[np.ndarray, int]]], list[float]]


@dataclass
class Searched:
    """One search: its points (levels, rows), every run (its point's row, its seed, its value),
    its fitted surface and that surface's best point within the budget."""

    levels: np.ndarray
    point: np.ndarray  # per run: the row of ``levels`` it ran
    seed: np.ndarray  # per run
    value: np.ndarray  # per run
    surface: Surface
    best: np.ndarray

    def means(self) -> np.ndarray:
        """Each point's mean value over its runs."""
        return np.bincount(self.point, self.value) / np.bincount(self.point)


def fewest_points(n: int) -> int:
    """The fewest design points a search in ``n`` levels needs: the full quadratic's terms and
    five more (fewer leave the fit undetermined)."""
    return len(features(np.zeros((1, n)))[0]) + 5


def seeds_needed(points: int, replications: int, per_seed: int = POINTS_PER_SEED) -> int:
    """How many seeds a search of ``points`` points, ``replications`` runs each, uses."""
    return -(-points // per_seed) * replications


def search_surface(
    run: RunJobs,
    curve: CostCurve,
    budget: float,
    start: np.ndarray,
    points: int,
    seeds: list[int],
    replications: int,
    design_seed: int,
    per_seed: int = POINTS_PER_SEED,
) -> Searched:
    """One search of ``points`` design points (the first is ``start``; the design seeded by
    ``design_seed``), each run ``replications`` times: point ``i``'s replication ``r`` on
    ``seeds[(i // per_seed) * replications + r]``, so each seed serves ``per_seed`` points and
    the surface averages the luck of many seeds (on a handful, every point would share their
    luck, and the answer would be the best split for those few markets)."""
    if points < fewest_points(len(start)):
        raise ValueError(
            f"a response-surface search in {len(start)} levels needs at least "
            f"{fewest_points(len(start))} points, got {points}"
        )
    if len(seeds) < seeds_needed(points, replications, per_seed):
        raise ValueError(f"{points} points need {seeds_needed(points, replications)} seeds")
    top = curve.top(budget)
    zero = np.zeros_like(top)
    design = latin_design(max(points - 1, 0), zero, top, design_seed)
    levels = np.vstack([start, design])
    point = np.repeat(np.arange(len(levels)), replications)
    seed = np.array(
        [
            seeds[(i // per_seed) * replications + r]
            for i in range(len(levels))
            for r in range(replications)
        ]
    )
    value = np.asarray(
        run([(levels[i], int(s)) for i, s in zip(point, seed, strict=True)]), dtype=np.float64
    )
    surface = fit(levels[point], value, seed)
    means = np.bincount(point, value) / np.bincount(point)
    best = best_point(surface, zero, top, curve, budget, _starts(levels, means, design_seed))
    return Searched(levels, point, seed, value, surface, best)


def pooled_best(searches: list[Searched], curve: CostCurve, budget: float) -> np.ndarray:
    """The best point, within the budget, of one surface fitted on every search's runs (an
    intercept per seed)."""
    x, y, seeds = _runs(searches)
    top = curve.top(budget)
    levels = np.vstack([s.levels for s in searches])
    means = np.concatenate([s.means() for s in searches])
    starts = [s.best for s in searches] + _starts(levels, means, len(searches))
    return best_point(fit(x, y, seeds), np.zeros_like(top), top, curve, budget, starts)


def resampled_best(
    searches: list[Searched],
    curve: CostCurve,
    budget: float,
    answer: np.ndarray,
    draws: int = BOOTSTRAP_DRAWS,
    seed: int = 0,
) -> np.ndarray:
    """How settled the pooled answer is: its best point again on ``draws`` resamples of the
    seeds (with replacement, each seed with all its runs: a cluster bootstrap, since a seed's
    luck is shared by its runs), one row of levels per draw, each search from ``answer``."""
    x, y, seeds = _runs(searches)
    _, label = np.unique(seeds, return_inverse=True)
    rows = [np.flatnonzero(label == g) for g in range(label.max() + 1)]
    rng = np.random.default_rng(seed)
    top = curve.top(budget)
    out = []
    for _ in range(draws):
        picked = rng.integers(len(rows), size=len(rows))
        idx = np.concatenate([rows[g] for g in picked])
        groups = np.repeat(np.arange(len(picked)), [len(rows[g]) for g in picked])
        surface = fit(x[idx], y[idx], groups)
        out.append(best_point(surface, np.zeros_like(top), top, curve, budget, [answer]))
    return np.array(out)


def _runs(searches: list[Searched]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every search's runs: their levels (rows), values and seeds."""
    x = np.vstack([s.levels[s.point] for s in searches])
    return (
        x,
        np.concatenate([s.value for s in searches]),
        np.concatenate([s.seed for s in searches]),
    )


def _starts(levels: np.ndarray, values: np.ndarray, seed: int, k: int = 3) -> list[np.ndarray]:
    """Where to start looking for a surface's maximum (it need not be concave, so it may have
    several): the ``k`` points with the highest values, and ``k`` points of a design of its own
    (seeded by ``seed``) in the points' box."""
    best = [levels[i] for i in np.argsort(values)[::-1][:k]]
    spread = latin_design(k, levels.min(axis=0), levels.max(axis=0), seed + 10_007)
    return best + list(spread)
