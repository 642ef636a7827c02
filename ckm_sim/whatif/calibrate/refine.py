"""Local refinement of a calibration: a response surface of the simulated curve around the best
trial, refitted as new points come in.

TPE with a few dozen trials lands near, not at, the best fit, and the best trial is partly
luck: even on common seeds a simulated cohort is noisy in the parameters (a customer who leaves
a month earlier changes who is acquired and how satisfied the others are), by several survivors
per 1,000 a replication. With a level and a spread of loyalty to fit, the good fits lie along a
narrow valley (more loyal customers on average and more spread between them give nearly the
same first years, and different tails), so picking the luckiest trial can land far along it.

:func:`refine` smooths instead of picking: each round fits, for every fitted period, a
quadratic in the parameters (linear while too few points are near) to the mean simulated
survival of the ``NEAREST`` points nearest the current centre (unit coordinates of the box),
moves the centre to where that surface best matches the observed curve, and scores the centre
and ``2 d`` points a ``step`` around it in one batch; the step shrinks each round. The answer is
the last round's centre, with its loss on that round's seeds.

Each round runs on seeds of its own (common within the round). On the search's seeds alone the
surface would converge to the best fit *for those seeds*: their shared luck moves the answer
along the valley and never averages out (with 2 replications of 5,000 yearly customers, far
enough to triple the projection's error). Fresh seeds each round average that luck over the
rounds, as the surface averages the noise over its points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

#: Simulates points in a round (its own seeds): the mean simulated survival at the fitted
#: periods, one array per point.
Simulate = Callable[[list[dict[str, float]], int], list[np.ndarray]]

#: Points the surface is fitted to: this many times its number of coefficients.
NEAREST = 4

#: The first round's step around the centre, in units of each parameter's box width, and what
#: each round multiplies it by (slowly: a small design in a noisy response fits noise).
STEP, SHRINK = 0.1, 0.7


@dataclass
class Refined:
    """The refined point, its loss on the search seeds, and every point scored on the way."""

    point: dict[str, float]
    loss: float
    history: list[tuple[dict[str, float], float]] = field(default_factory=list)


def _features(u: np.ndarray, quadratic: bool) -> np.ndarray:
    """Design matrix of points ``u`` (n, d): 1, u_i and, if ``quadratic``, u_i u_j (i <= j)."""
    u = np.atleast_2d(u)
    columns = [np.ones(len(u)), *u.T]
    if quadratic:
        d = u.shape[1]
        columns += [u[:, i] * u[:, j] for i in range(d) for j in range(i, d)]
    return np.column_stack(columns)


def surface_minimum(
    u: np.ndarray, curves: np.ndarray, observed: np.ndarray, centre: np.ndarray
) -> np.ndarray:
    """Where, in the unit box, a least-squares surface through ``curves`` (n, periods) at points
    ``u`` (n, d) best matches ``observed``; searched from ``centre``, using the ``NEAREST`` x
    coefficients points nearest it."""
    d = u.shape[1]
    quadratic = len(u) >= NEAREST * (1 + d + d * (d + 1) // 2)
    k = NEAREST * (1 + d + (d * (d + 1) // 2 if quadratic else 0))
    near = np.argsort(np.linalg.norm(u - centre, axis=1))[:k]
    coef, *_ = np.linalg.lstsq(_features(u[near], quadratic), curves[near], rcond=None)

    def loss(x: np.ndarray) -> float:
        return float(np.mean((_features(x, quadratic) @ coef - observed) ** 2))

    found = minimize(loss, centre, method="L-BFGS-B", bounds=[(0.0, 1.0)] * d)
    return np.clip(found.x, 0.0, 1.0)


def refine(
    simulate: Simulate,
    tried: Sequence[tuple[Mapping[str, float], np.ndarray]],
    observed: np.ndarray,
    box: Mapping[str, tuple[float, float]],
    rounds: int,
) -> Refined:
    """``rounds`` rounds of the response-surface search (module docstring) from the points
    ``tried`` so far, each with its mean simulated survival at the fitted periods."""
    names = list(box)
    low = np.array([box[n][0] for n in names])
    width = np.array([box[n][1] - box[n][0] for n in names])
    u = np.array([[(p[n] - low[i]) / width[i] for i, n in enumerate(names)] for p, _ in tried])
    curves = np.array([c for _, c in tried])

    def rmse(curve: np.ndarray) -> float:
        return float(np.sqrt(np.mean((curve - observed) ** 2)))

    def values(x: np.ndarray) -> dict[str, float]:
        return {n: float(v) for n, v in zip(names, low + width * x, strict=True)}

    losses = [rmse(c) for c in curves]
    best = int(np.nanargmin(losses))
    out = Refined(dict(tried[best][0]), losses[best])
    centre, step = u[best], STEP
    for round_ in range(rounds):
        centre = surface_minimum(u, curves, observed, centre)
        moves = np.vstack([np.zeros(len(names)), np.eye(len(names)), -np.eye(len(names))])
        batch = np.clip(centre + step * moves, 0.0, 1.0)
        new = np.array(simulate([values(x) for x in batch], round_))
        u, curves = np.vstack([u, batch]), np.vstack([curves, new])
        out.history += [(values(x), rmse(c)) for x, c in zip(batch, new, strict=True)]
        out.point, out.loss = values(centre), rmse(new[0])
        step *= SHRINK
    return out
