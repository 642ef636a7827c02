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

from ckm_sim.model import draws, kernels


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
    takes_part: np.ndarray | None = None,
) -> None:
    """Employees move toward the code where it has a view that differs from theirs, w.p. ``rate``.

    Only employees with ``takes_part[e]`` (their department uses the shared code this period;
    all by default) read the code.

    Direct socialisation (March 1991's text) adopts the code's value at once. Gradual
    socialisation (March's program, as reconstructed by Christensen 2015) moves one step: a belief
    opposite to the code first becomes 0 (no view), and only a later step adopts the code's value.
    """
    if rate <= 0:
        return
    key = draws.key_from(rng)  # each belief's number: its cell's under this key
    if takes_part is None:
        takes_part = np.ones(beliefs.shape[0], dtype=bool)
    kernels.socialise(beliefs, code, key, rate, gradual, takes_part)


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


APPRAISALS: tuple[str, ...] = ("outcomes", "knowledge", "performance")
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
    observed: np.ndarray | None = None,
    takes_part: np.ndarray | None = None,
) -> None:
    """The code learns from the employees it judges superior (March 1991's code learning).

    ``appraisal`` says what the firm judges. ``"outcomes"`` (the model's default): the firm sees no
    truth, only ``observed[e, k]``, the measured outcome of employee ``e``'s customers in segment
    ``k`` (:func:`observed_performance`; NaN where it has none); the superior group is the employees
    observed above the segment's mean of the observed employees, and their beliefs vote (``truth``
    and ``discernment`` are not used: docs/ODD.md 7.2 says why a sharper appraisal cannot change
    what the code learns there). ``"knowledge"`` (March's text): the superior group of a segment is
    the employees whose beliefs match reality on more dimensions than the code does, and the group's
    beliefs vote. ``"performance"`` (March's program, Christensen 2015): each employee acts
    (:func:`act`: a coin flip where it has no view); the group is the employees whose action
    :func:`score` beats the code's score, and the group's actions vote, so a lucky employee can be
    judged superior and teach the code a guess. With these two the firm judges each employee's
    membership correctly with probability ``discernment`` and otherwise by a coin toss. Only
    employees with ``takes_part[e]`` (their department shares the code this period; all by default)
    can be in the group.

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
    shown = beliefs
    if appraisal == "outcomes":
        if observed is None:
            raise ValueError("appraisal 'outcomes' needs the observed outcomes")
        superior = above_norm(observed)
    elif appraisal == "performance":
        shown = act(beliefs, rng)
        superior = score(shown, truth) > score(code, truth)  # (E, K)
    else:
        superior = accuracy(beliefs, truth) > accuracy(code, truth)  # (E, K)
    if discernment < 1 and appraisal != "outcomes":
        judged = rng.random(superior.shape) < discernment
        superior = np.where(judged, superior, rng.random(superior.shape) < 0.5)
    if takes_part is not None:
        superior &= takes_part[:, None]
    plus, minus, holding_code, group = kernels.code_votes(superior, shown, code)
    # margin: the majority's; dissent: members who differ from the code minus those who agree
    k = np.abs(plus - minus) if vote == "margin" else group[:, None] - 2 * holding_code
    p = 1.0 - (1.0 - rate) ** np.maximum(k, 0)
    kernels.vote_code(code, plus, minus, k, p, rng.random(code.shape))


def above_norm(observed: np.ndarray) -> np.ndarray:
    """(E, K) True where an employee's observed outcome beats the segment's mean over the
    employees observed in it (NaN: not observed, never above); :func:`kernels.above_norm`."""
    return kernels.above_norm(observed)


def observed_performance(
    satisfaction: np.ndarray,
    active: np.ndarray,
    serving_employee: np.ndarray,
    segment: np.ndarray,
    n_employees: int,
    n_segments: int,
    noise_sd: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """What the firm sees of each employee: (E, K) measured satisfaction of its customers.

    The mean satisfaction of the active customers employee ``e`` serves in segment ``k`` (a
    satisfaction survey of the customers each employee serves), plus a normal measurement error
    of s.d. ``noise_sd``; NaN where ``e`` serves no active customer of ``k`` (employees outside
    the front line, for instance): the firm has nothing to appraise there.
    """
    served = kernels.served_means(
        satisfaction, active, serving_employee, segment, n_employees, n_segments
    )
    return surveyed(served, noise_sd, rng)


def surveyed(served: np.ndarray, noise_sd: float, rng: np.random.Generator) -> np.ndarray:
    """:func:`observed_performance` from the true means ``served`` (E, K), in place: each
    plus a normal measurement error of s.d. ``noise_sd``."""
    if noise_sd > 0:
        served += rng.normal(0.0, noise_sd, size=served.shape)
    return served


def learn_from_peers(
    beliefs: np.ndarray,
    standing: np.ndarray,
    neighbours: sp.csr_array,
    rate: float,
    cross_tie_use: float,
    rng: np.random.Generator,
) -> None:
    """Each employee consults one random colleague it is tied to and learns from a better one.

    ``standing[e, k]`` is how good the firm (and its staff) take employee ``e`` to be on segment
    ``k``: by default observed outcomes (:func:`observed_performance`; NaN, no evidence, counts
    as the lowest), or accuracy against the truth (:func:`accuracy`) under March's appraisals.
    ``neighbours`` is the employees' adjacency matrix with 2 marking cross-department ties and 1
    ties inside a department. A cross-department tie carries knowledge only with probability
    ``cross_tie_use``. The learner
    adopts the colleague's view on each dimension where the colleague has a view that differs, with
    probability ``rate``, for the segments on which the colleague stands higher (Miller, Zhao &
    Calantone 2006's interpersonal learning).
    """
    n = beliefs.shape[0]
    if rate <= 0 or n == 0:
        return
    degree = np.diff(neighbours.indptr)
    learners = np.flatnonzero(degree > 0)
    if len(learners) == 0:
        return
    slot_draw = rng.random(len(learners))
    use_draw = rng.random(len(learners))
    c = neighbours
    learners, peers = kernels.pick_peers(
        c.indptr, c.indices, c.data, learners, slot_draw, use_draw, cross_tie_use
    )
    if len(learners) == 0:
        return
    key = draws.key_from(rng)  # of the (learner, segment, dimension) cells
    kernels.adopt_from_peers(beliefs, kernels.rank_of(standing), learners, peers, key, rate)


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

    ``profile_sum[k, d]`` sums the needs the CRM has recorded for the segment's customers, former
    customers' included (the CRM keeps their records), and ``profile_count[k, d]`` counts those
    recorded entries; a clear majority (more than 60 % of the
    recorded entries) is needed before the analysis changes the code.
    """
    if reach <= 0:
        return
    kernels.analytics(code, profile_sum, profile_count, rng.random(code.shape), reach)
