"""Organisational learning inside the firm, vectorised over employees, segments and needs.

Beliefs are int8 arrays with values in {-1, 0, +1} (0: no view), as in March's (1991)
mutual-learning model: employees hold ``beliefs[e, k, d]`` about the needs of customer
segment ``k`` on need dimension ``d``; the CRM repository holds the organisational
``code[k, d]``; ``truth[k, d]`` is reality. Every function here changes its arrays in place
and draws only from the ``rng`` it gets.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def accuracy(beliefs: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Share of need dimensions on which beliefs equal reality (the last axis is averaged)."""
    return (beliefs == truth).mean(axis=-1)


def random_beliefs(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Beliefs drawn uniformly from {-1, 0, +1}, as March gives newcomers."""
    return rng.integers(-1, 2, size=shape, dtype=np.int8)


def socialise(beliefs: np.ndarray, code: np.ndarray, rate: float, rng: np.random.Generator) -> None:
    """Employees adopt the code where it has a view that differs from theirs, with prob ``rate``."""
    if rate <= 0:
        return
    differs = (code != 0) & (beliefs != code)
    adopt = differs & (rng.random(beliefs.shape) < rate)
    np.copyto(beliefs, np.broadcast_to(code, beliefs.shape), where=adopt)


def learn_code(
    code: np.ndarray,
    beliefs: np.ndarray,
    truth: np.ndarray,
    rate: float,
    discernment: float,
    rng: np.random.Generator,
) -> None:
    """The code learns from the employees it judges superior (March 1991's code learning).

    For each segment the superior group is the employees whose beliefs match reality on more
    dimensions than the code does. The firm identifies each member correctly with probability
    ``discernment`` and otherwise by a coin toss. On each dimension where the group's majority view
    differs from the code, the code adopts it with probability ``1 - (1 - rate) ** k``, where ``k``
    is the number of group members who differ from the code on that dimension minus the number who
    do not (March 1991, footnote 1; members with no view differ from a code that has one).
    """
    if rate <= 0 or beliefs.shape[0] == 0:
        return
    superior = accuracy(beliefs, truth) > accuracy(code, truth)  # (E, K)
    if discernment < 1:
        judged = rng.random(superior.shape) < discernment
        superior = np.where(judged, superior, rng.random(superior.shape) < 0.5)
    members = superior[:, :, None]
    plus = (members & (beliefs == 1)).sum(axis=0)
    minus = (members & (beliefs == -1)).sum(axis=0)
    majority = np.sign(plus - minus).astype(np.int8)
    holding_code = (members & (beliefs == code)).sum(axis=0)
    k = superior.sum(axis=0)[:, None] - 2 * holding_code  # differ from the code minus agree
    change = (majority != 0) & (majority != code) & (k > 0)
    p = 1.0 - (1.0 - rate) ** np.maximum(k, 0)
    change &= rng.random(code.shape) < p
    code[change] = majority[change]


def learn_from_peers(
    beliefs: np.ndarray,
    truth: np.ndarray,
    neighbours: sp.csr_array,
    rate: float,
    cross_tie_use: float,
    rng: np.random.Generator,
) -> None:
    """Each employee consults one random colleague it is tied to and learns from a better one.

    ``neighbours`` is the employees' adjacency matrix with 2 marking cross-department ties and 1
    ties inside a department. A cross-department tie carries knowledge only with probability
    ``cross_tie_use``. The learner
    adopts the colleague's view on each dimension where the colleague has a view that differs, with
    probability ``rate``, for the segments on which the colleague is more accurate (Miller, Zhao &
    Calantone 2006's interpersonal learning).
    """
    n = beliefs.shape[0]
    if rate <= 0 or n == 0:
        return
    degree = np.diff(neighbours.indptr)
    learners = np.flatnonzero(degree > 0)
    if len(learners) == 0:
        return
    slot = neighbours.indptr[learners] + (rng.random(len(learners)) * degree[learners]).astype(
        np.int64
    )
    peers = neighbours.indices[slot]
    is_cross = neighbours.data[slot] > 1
    usable = ~is_cross | (rng.random(len(learners)) < cross_tie_use)
    learners, peers = learners[usable], peers[usable]
    if len(learners) == 0:
        return
    acc = accuracy(beliefs, truth)
    better = (acc[peers] > acc[learners])[:, :, None]
    theirs = beliefs[peers]
    mine = beliefs[learners]
    adopt = better & (theirs != 0) & (theirs != mine) & (rng.random(mine.shape) < rate)
    beliefs[learners] = np.where(adopt, theirs, mine)


def turnover(beliefs: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Employees leave with probability ``rate``; newcomers bring random beliefs.

    Returns the indices of the leavers.
    """
    if rate <= 0:
        return np.empty(0, dtype=np.int64)
    leavers = np.flatnonzero(rng.random(beliefs.shape[0]) < rate)
    if len(leavers):
        beliefs[leavers] = random_beliefs(beliefs[leavers].shape, rng)
    return leavers


def drift(truth: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Market turbulence: each need dimension of each segment flips with probability ``rate``.

    Returns the boolean flip mask (shape of ``truth``) so customers' needs can follow.
    """
    flips = rng.random(truth.shape) < rate if rate > 0 else np.zeros(truth.shape, dtype=bool)
    truth[flips] *= -1
    return flips


def learn_code_from_profiles(
    code: np.ndarray,
    profile_sum: np.ndarray,
    profile_count: np.ndarray,
    reach: float,
    rng: np.random.Generator,
) -> None:
    """Analytical CRM: the code takes each segment's pooled profile majority with prob ``reach``.

    ``profile_sum[k, d]`` sums the recorded needs of the segment's active customers and
    ``profile_count[k, d]`` counts the recorded entries; a clear majority (more than 60 % of the
    recorded entries) is needed before the analysis changes the code.
    """
    if reach <= 0:
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        lean = np.where(profile_count > 0, profile_sum / np.maximum(profile_count, 1), 0.0)
    clear = np.abs(lean) > 0.2
    change = clear & (rng.random(code.shape) < reach)
    code[change] = np.sign(lean[change]).astype(np.int8)
