"""The customer side, vectorised over all customers: value, satisfaction, churn, word of mouth.

Customers' needs are ``needs[i, d]`` in {-1, +1}; the firm's offer for segment ``k`` is
``offer[k, d]`` in {-1, +1}; what the CRM repository knows of customer ``i`` is
``profile[i, d]`` in {-1, 0, +1}; what the customer understands of the offer is
``understood[i, d]`` (boolean, knowledge FOR customers). Equations and defaults are in
docs/ODD.md section 7.3.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ckm_sim.model import decisions
from ckm_sim.model.network import SlotGraph

PROSPECT, ACTIVE, CHURNED = 0, 1, 2
#: a customer slot kept for a customer who has not yet arrived in the market (docs/ODD.md 7.3)
VACANT = 3


#: rows per matrix-vector product in :func:`row_count`: OpenBLAS runs a product of more than
#: about 500,000 entries on several threads, which on a busy machine is ~100 times slower than
#: one thread (0.12 ms against 16 ms for 20,400 x 30 entries); blocks stay below that
ROW_BLOCK = 8192


def row_count(mask: np.ndarray) -> np.ndarray:
    """Number of True entries in each row of a 2-D boolean array.

    A float32 matrix-vector product: about three times faster than ``mask.sum(axis=1)`` on the
    narrow rows (one entry per need dimension) the model counts every period; exact below 2**24.
    Computed in blocks of :data:`ROW_BLOCK` rows, each small enough for one BLAS thread. Rows of
    an even number of bytes (at most 510) are read two bools at a time (:func:`_pair_counts`).
    """
    m = mask.shape[1]
    pairs = mask.dtype == np.bool_ and m % 2 == 0 and 0 < m <= 510 and mask.flags.c_contiguous
    count = _pair_counts if pairs else _bool_counts
    if len(mask) <= ROW_BLOCK:
        return count(mask)
    out = np.empty(len(mask), dtype=np.float32)
    for start in range(0, len(mask), ROW_BLOCK):
        rows = slice(start, start + ROW_BLOCK)
        out[rows] = count(mask[rows])
    return out


def _bool_counts(mask: np.ndarray) -> np.ndarray:
    return np.matmul(mask, np.ones(mask.shape[1], dtype=np.float32), dtype=np.float32)


def _pair_counts(mask: np.ndarray) -> np.ndarray:
    """Row counts read as uint16 pairs of bools: each pair is ``a + 256 b``, so a row's sum of
    pairs is ``lo + 256 hi`` with ``lo`` and ``hi`` the counts in the pairs' two bytes (each below
    256 for rows of at most 510 entries) and the count is ``lo + hi``: half the entries to convert
    and multiply, every float32 partial sum an integer below 2**24, so exact."""
    pairs = mask.view(np.uint16)
    s = np.matmul(pairs, np.ones(pairs.shape[1], dtype=np.float32), dtype=np.float32)
    hi = np.floor(s * np.float32(1 / 256))
    s -= np.float32(255) * hi
    return s


def offer_fit(
    standard_right: np.ndarray,
    profile: np.ndarray,
    profile_right: np.ndarray,
    personalisation: float | np.ndarray,
    profile_right_count: np.ndarray | None = None,
) -> np.ndarray:
    """Expected share of a customer's needs the delivered offer meets.

    ``standard_right[i, d]``: the segment's standard offer meets need ``d`` of customer ``i``;
    ``profile_right[i, d]``: the CRM profile records that need correctly. On a dimension the
    profile knows, a share ``personalisation`` of deliveries follows the profile (tailored);
    everything else follows the standard offer. ``profile_right_count`` (row sums of
    ``profile_right``) may be passed when already known.
    """
    return delivered_share(
        standard_right, profile != 0, profile_right, personalisation, profile_right_count
    )


def understood_fit(
    standard_right: np.ndarray,
    known: np.ndarray,
    profile_right: np.ndarray,
    understood: np.ndarray,
    personalisation: float | np.ndarray,
    work: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Expected share of a customer's needs the delivered offer meets *and* the customer grasps.

    As :func:`offer_fit`, counting only the dimensions with ``understood[i, d]``: the customer
    knows how to use the part of the offer that serves need ``d`` (knowledge FOR customers).
    ``known[i, d]``: the profile records need ``d`` (``profile != 0``). ``work``: three boolean
    arrays of the masks' shape for the intermediate masks (fresh ones when None).
    """
    a, b, c = work if work is not None else (None, None, None)
    return delivered_share(
        np.logical_and(standard_right, understood, out=a),
        known,
        np.logical_and(profile_right, understood, out=b),
        personalisation,
        work=c,
    )


def delivered_share(
    standard_right: np.ndarray,
    known: np.ndarray,
    profile_right: np.ndarray,
    personalisation: float | np.ndarray,
    profile_right_count: np.ndarray | None = None,
    work: np.ndarray | None = None,
) -> np.ndarray:
    """(1/m) sum_d [S_id + p known_id (P_id - S_id)] for boolean S, known and P.

    ``work``: a boolean array of the masks' shape for ``S & known`` (a fresh one when None).
    """
    m = standard_right.shape[1]
    if not np.any(personalisation > 0):  # a number, or one per customer (its firm's)
        return share_from_counts(row_count(standard_right), None, None, 0.0, m)
    tailored_right = (
        row_count(profile_right) if profile_right_count is None else profile_right_count
    )
    standard_known = np.logical_and(standard_right, known, out=work)
    return share_from_counts(
        row_count(standard_right), tailored_right, row_count(standard_known), personalisation, m
    )


def share_from_counts(
    standard: np.ndarray,
    tailored_right: np.ndarray | None,
    standard_known: np.ndarray | None,
    personalisation: float | np.ndarray,
    m: int,
) -> np.ndarray:
    """:func:`delivered_share` from the masks' row counts (float32, as :func:`row_count` gives):
    ``(S + p (P - S known)) / m``, the personalised correction summed in float32."""
    share = standard.astype(np.float64)
    if np.any(personalisation > 0) and tailored_right is not None and standard_known is not None:
        share += personalisation * (tailored_right - standard_known)
    return share / m


def perceived_value(fit: np.ndarray, used: np.ndarray, floor: float) -> np.ndarray:
    """Value = floor x fit + (1 - floor) x understood fit (docs/ODD.md 7.3).

    A fitting dimension the customer does not understand yields the share ``floor`` of its value;
    one it understands yields all of it; a dimension the offer misses yields nothing.
    """
    return floor * fit + (1.0 - floor) * used


def satisfaction_update(
    satisfaction: np.ndarray,
    value: np.ndarray,
    expectation: float | np.ndarray,
    sensitivity: float,
    memory: float,
) -> np.ndarray:
    """Expectation disconfirmation, smoothed: S <- memory S + (1 - memory) logistic(b (v - e)).

    ``1 / (1 + exp(-b (v - e)))`` with the arithmetic compiled around numpy's ``exp``
    (:mod:`ckm_sim.model.decisions`), in the order of the numpy expression.
    """
    value = np.asarray(value, dtype=np.float64).reshape(-1)
    expect = np.asarray(expectation, dtype=np.float64).reshape(-1)
    exponential = decisions.disconfirmation(value, expect, float(-sensitivity))
    np.exp(exponential, out=exponential)
    current = np.asarray(satisfaction, dtype=np.float64).reshape(-1)
    return decisions.smoothed(current, exponential, float(memory), float(1.0 - memory))


def churn_hazard(
    satisfaction: np.ndarray,
    floor: float,
    pull: float,
    fixed: float | None,
    propensity: np.ndarray | None = None,
) -> np.ndarray:
    """Per-period churn probability ``theta (floor + pull (1 - S))``, or ``theta fixed``.

    ``propensity`` is each customer's persistent churn propensity ``theta`` (mean 1; None: 1).
    """
    if fixed is not None:
        base = np.full_like(satisfaction, fixed)
    else:
        base = floor + pull * (1.0 - satisfaction)
    if propensity is not None:
        base = base * propensity
    return np.clip(base, 0.0, 1.0)


def churn_propensities(spread: float, size: int, rng: np.random.Generator) -> np.ndarray:
    """Persistent churn propensities: gamma with mean 1 and coefficient of variation ``spread``.

    Shape ``1 / spread^2``, scale ``spread^2``. ``spread`` 0 gives every customer 1 (and draws no
    numbers). Less loyal customers (high ``theta``) leave first, so a cohort's retention
    rises with tenure (docs/ODD.md 7.3).
    """
    if spread == 0.0:
        return np.ones(size)
    return rng.gamma(1.0 / spread**2, spread**2, size=size)


def adoption_probability(
    community: sp.csr_array | SlotGraph,
    promoters: np.ndarray,
    detractors: np.ndarray,
    base: float,
    word_of_mouth: float,
    prospects: np.ndarray,
) -> np.ndarray:
    """The chance of each prospect (indices ``prospects``) to become a customer this period.

    ``1 - (1 - base) (1 - w) ** max(0, P - D)`` where P and D count the prospect's neighbours who
    are active promoters and detractors: positive word of mouth adds, negative word of mouth
    cancels it.
    """
    if community.nnz and word_of_mouth > 0:
        if isinstance(community, SlotGraph) and community.unit:  # the prospects' rows only
            voice = promoters.astype(np.int64) - detractors
            net = np.maximum(community.neighbour_sum(voice, prospects), 0).astype(np.float64)
        else:
            voice = promoters.astype(np.float64) - detractors
            net = np.maximum((community @ voice)[prospects], 0.0)
        return 1.0 - (1.0 - base) * np.exp(net * np.log1p(-word_of_mouth))
    return np.full(len(prospects), base)


def community_mean(
    community: sp.csr_array | SlotGraph, values: np.ndarray, who: np.ndarray
) -> np.ndarray:
    """Mean of ``values`` over each node's neighbours in ``who`` (NaN where there are none)."""
    weights = who.astype(np.float64)
    total = community @ (values * weights)
    count = community @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1e-300), np.nan)


def keep_budget(wanted: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Probabilities ``wanted`` capped at 1 with the same sum over ``active``: what the capped
    customers cannot take is shared equally by the uncapped ones, round by round, which keeps
    the order of the probabilities (water-filling; needs sum over active <= their number)."""
    members = np.flatnonzero(active)  # the rounds work on the active customers only
    p = np.minimum(wanted, 1.0)
    p[members] = water_fill(wanted[members])
    return p


def water_fill(wanted: np.ndarray) -> np.ndarray:
    """:func:`keep_budget` over every entry of ``wanted``: capped at 1, the same sum."""
    budget = float(wanted.sum())
    mine, n_room = decisions.capped(wanted)  # np.minimum(wanted, 1.0), and those below 1
    for _ in range(len(mine)):  # every round caps one more customer, or ends
        short = budget - float(mine.sum())
        if short <= 1e-12 * max(budget, 1.0) or n_room == 0:
            break
        n_room = decisions.fill(mine, short / n_room)  # the same sums as numpy's, in place
    return mine
