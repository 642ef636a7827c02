"""A quadratic response surface of net value over the levels a budget buys: the design it is
fitted on, the least-squares fit, and its best point within the budget.

Why a surface. One run's net value is rough in the levels: moving one level by 0.01 changes it
by a paired standard deviation of about 10,000 on the baseline, while the optimum is flat (0.2 of
a level away costs a few thousand). Picking the best of a few dozen noisy trials then lands
wherever the trial seeds' luck puts it. A fitted surface averages that luck over every run:
its best point moves with the noise divided by the square root of the number of runs. The model
makes a quadratic natural: the cost of competence is exactly ``cost_d * level_d ** 2`` on the
shipped scenarios, and what it earns is smooth and saturating. On 300 runs of the baseline over
the whole level cube a full quadratic explains 96% of the variance of the mean net value.

- :func:`features`: ``1, x_i, x_i x_j (i <= j)``, the full quadratic.
- :func:`fit`: ordinary least squares, with one intercept per group (a seed's luck shifts
  every value it gives).
- :func:`latin_design`: a seeded Latin hypercube in a box (scipy's ``qmc``).
- :func:`best_point`: the surface's maximum within a box and the budget (scipy's SLSQP from
  several starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement

import numpy as np
from scipy.optimize import minimize
from scipy.stats import qmc

from ckm_sim.whatif.shared.allocation import CostCurve


def features(x: np.ndarray) -> np.ndarray:
    """The full quadratic's terms of points ``x`` (rows): ``1, x_i, x_i x_j`` for ``i <= j``."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    n = x.shape[1]
    pairs = [x[:, i] * x[:, j] for i, j in combinations_with_replacement(range(n), 2)]
    return np.column_stack([np.ones(len(x)), x, *pairs])


@dataclass(frozen=True)
class Surface:
    """A fitted quadratic: ``coef`` on :func:`features`. With groups, the intercept is the
    mean over all runs (each group's own level is left out: only the shape matters)."""

    coef: np.ndarray
    residual_sd: float
    points: int

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The surface at points ``x`` (rows)."""
        return features(x) @ self.coef


def fit(x: np.ndarray, y: np.ndarray, groups: np.ndarray | None = None) -> Surface:
    """Least squares of ``y`` on the full quadratic of ``x``; with ``groups`` (a label per
    point), an intercept per group: the fit on values and terms less their group's means (the
    same slopes as a dummy per group, Frisch-Waugh-Lovell, without the dummies)."""
    terms = features(x)
    y = np.asarray(y, dtype=np.float64)
    if groups is None:
        coef, *_ = np.linalg.lstsq(terms, y, rcond=None)
        residual, used = y - terms @ coef, terms.shape[1]
    else:
        _, label = np.unique(groups, return_inverse=True)
        count = np.bincount(label)
        within = terms[:, 1:] - _group_means(terms[:, 1:], label, count)
        slopes, *_ = np.linalg.lstsq(within, y - _group_means(y, label, count), rcond=None)
        residual = y - _group_means(y, label, count) - within @ slopes
        coef = np.concatenate([[np.mean(y - terms[:, 1:] @ slopes)], slopes])
        used = terms.shape[1] - 1 + len(count)
    dof = max(len(y) - used, 1)
    return Surface(coef, float(np.sqrt(residual @ residual / dof)), len(y))


def _group_means(values: np.ndarray, label: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Each row's group mean of ``values`` (a vector or the columns of a matrix)."""
    if values.ndim == 1:
        return (np.bincount(label, values) / count)[label]
    sums = np.zeros((len(count), values.shape[1]))
    np.add.at(sums, label, values)
    return (sums / count[:, None])[label]


def latin_design(n: int, lo: np.ndarray, hi: np.ndarray, seed: int) -> np.ndarray:
    """``n`` points of a seeded Latin hypercube in the box ``[lo, hi]``."""
    unit = qmc.LatinHypercube(d=len(lo), seed=np.random.default_rng(seed)).random(n)
    return np.asarray(lo) + unit * (np.asarray(hi) - np.asarray(lo))


def best_point(
    surface: Surface,
    lo: np.ndarray,
    hi: np.ndarray,
    curve: CostCurve,
    budget: float,
    starts: list[np.ndarray],
) -> np.ndarray:
    """The highest point of ``surface`` in the box ``[lo, hi]`` whose cost on ``curve`` fits
    ``budget``: SLSQP from each start, each end point shrunk into the budget
    (:meth:`CostCurve.within`: SLSQP may overstep a constraint by its tolerance)."""
    bounds = list(zip(lo, hi, strict=True))
    constraint = {"type": "ineq", "fun": lambda x: (budget - curve.spend(x).sum()) / budget}
    # SLSQP's stopping rule is absolute: on values of order 1e5 it "converges" where it starts,
    # so the surface is scaled to values of order 1
    scale = 1.0 / (np.abs(surface.predict(np.array(starts))).max() + 1.0)

    def value(x: np.ndarray) -> float:
        return -scale * float(surface.predict(x)[0])

    ends = []
    for start in starts:
        found = minimize(
            value,
            np.clip(start, lo, hi),
            bounds=bounds,
            constraints=[constraint],
            method="SLSQP",
            options={"ftol": 1e-12, "maxiter": 500},
        )
        ends.append(curve.within(np.clip(found.x, lo, hi), budget))
    return min(ends, key=value)
