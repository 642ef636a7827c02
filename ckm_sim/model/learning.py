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


def socialise(
    beliefs: np.ndarray,
    code: np.ndarray,
    rate: float,
    rng: np.random.Generator,
    gradual: bool = False,
) -> None:
    """Employees move toward the code where it has a view that differs from theirs, w.p. ``rate``.

    Direct socialisation (March 1991's text) adopts the code's value at once. Gradual
    socialisation (March's program, as reconstructed by Christensen 2015) moves one step: a belief
    opposite to the code first becomes 0 (no view), and only a later step adopts the code's value.
    """
    if rate <= 0:
        return
    differs = (code != 0) & (beliefs != code)
    adopt = differs & (rng.random(beliefs.shape) < rate)
    target = np.broadcast_to(code, beliefs.shape)
    if gradual:
        target = np.where(beliefs == 0, target, np.int8(0))
    np.copyto(beliefs, target, where=adopt)


def act(beliefs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Employees' actions: their belief where they have a view, a fair coin flip (+-1) where not."""
    actions = beliefs.copy()
    guess = actions == 0
    actions[guess] = np.where(rng.random(int(guess.sum())) < 0.5, 1, -1)
    return actions


def score(beliefs: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Matches minus mismatches with reality, over the last axis (a 0 counts neither way).

    March's program judges performance, and reports knowledge in its Figure 1, on this scale
    divided by ``m``; for beliefs without zeros it equals ``2 * accuracy - 1`` times ``m``.
    """
    return (beliefs * truth).sum(axis=-1, dtype=np.int64)


APPRAISALS: tuple[str, ...] = ("knowledge", "performance")
CODE_VOTES: tuple[str, ...] = ("dissent", "margin")


def learn_code(
    code: np.ndarray,
    beliefs: np.ndarray,
    truth: np.ndarray,
    rate: float,
    discernment: float,
    rng: np.random.Generator,
    appraisal: str = "knowledge",
    vote: str = "dissent",
) -> None:
    """The code learns from the employees it judges superior (March 1991's code learning).

    ``appraisal`` says what the firm judges. ``"knowledge"`` (March's text): the superior group
    of a segment is the employees whose beliefs match reality on more dimensions than the code
    does, and the group's beliefs vote. ``"performance"`` (March's program, Christensen 2015):
    each employee acts (:func:`act`: a coin flip where it has no view); the group is the employees
    whose action :func:`score` beats the code's score, and the group's actions vote, so a lucky
    employee can be judged superior and teach the code a guess. Either way the firm judges each
    employee's membership correctly with probability ``discernment`` and otherwise by a coin toss.

    On each dimension where the group's majority view (more +1 than -1 votes; a tie is none)
    differs from the code, the code adopts it with probability ``1 - (1 - rate) ** k``. With
    ``vote = "dissent"`` (March 1991, footnote 1) ``k`` is the number of group members who differ
    from the code on that dimension minus the number who do not (a member with no view differs
    from a code that has one); with ``vote = "margin"`` (March's program) ``k`` is the majority's
    margin ``|#(+1) - #(-1)|``. No change when ``k <= 0``.
    """
    if appraisal not in APPRAISALS:
        raise ValueError(f"appraisal must be one of {APPRAISALS}, got {appraisal!r}")
    if vote not in CODE_VOTES:
        raise ValueError(f"vote must be one of {CODE_VOTES}, got {vote!r}")
    if rate <= 0 or beliefs.shape[0] == 0:
        return
    if appraisal == "performance":
        shown = act(beliefs, rng)
        superior = score(shown, truth) > score(code, truth)  # (E, K)
    else:
        shown = beliefs
        superior = accuracy(beliefs, truth) > accuracy(code, truth)  # (E, K)
    if discernment < 1:
        judged = rng.random(superior.shape) < discernment
        superior = np.where(judged, superior, rng.random(superior.shape) < 0.5)
    members = superior[:, :, None]
    plus = (members & (shown == 1)).sum(axis=0)
    minus = (members & (shown == -1)).sum(axis=0)
    majority = np.sign(plus - minus).astype(np.int8)
    if vote == "margin":
        k = np.abs(plus - minus)
    else:
        holding_code = (members & (shown == code)).sum(axis=0)
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
