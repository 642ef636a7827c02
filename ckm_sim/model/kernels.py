"""Compiled kernels (numba) for the step's post-draw logic: fewer numpy calls per period.

A period of the model is some fifty numpy passes over customer-sized arrays plus many small
ones over a few hundred items each; at the sizes sweeps run (a few thousand customers) most of
a period is the fixed cost of each numpy call, not the work per customer. Each kernel here
fuses what a stage does *after* its random numbers are drawn into one compiled loop.

The rules that keep every result bit for bit what the numpy code gave (tests/
test_identical_results.py):

- random numbers are drawn in numpy, by the same generator, in the same order and amounts, and
  passed in;
- only integer and boolean logic, comparisons and elementwise float arithmetic in the numpy
  code's order are compiled; float reductions whose order numpy chooses (``sum``, ``mean``:
  pairwise) and transcendental functions (``exp``, ``log``) stay in numpy;
- float sums kept here are sums of whole numbers below 2**53 (exact in any order) or
  sequential sums in the order ``np.cumsum`` and ``np.bincount`` add them.

Every kernel is compiled on first use and cached on disk (``cache=True``), so a fresh process
loads it instead of compiling it again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from ckm_sim.model.decisions import members
from ckm_sim.model.draws import uniform_of

#: Rows of :func:`value_counts`'s result: what each count counts over a customer's needs.
STANDARD, STANDARD_KNOWN, RIGHT, UNDERSTOOD, USED, USED_KNOWN, RIGHT_USED, RECORDED_RIGHT = range(8)


@njit(cache=True, nogil=True, inline="always")
def _row_counts(
    needs: Any,
    profile: Any,
    profile_time: Any,
    oldest: int,
    grasp: Any,
    offers: Any,
    o: int,
    i: int,
    out: Any,
    j: int,
) -> None:  # pragma: no cover - compiled
    """Customer ``i``'s counts of :func:`value_counts` against offer row ``o``, into column
    ``j`` of ``out``."""
    m = needs.shape[1]
    one = np.uint8(1)
    s: Any = 0
    sk: Any = 0
    r: Any = 0
    u: Any = 0
    su: Any = 0
    suk: Any = 0
    ru: Any = 0
    rr: Any = 0
    for d in range(m):
        negative = np.uint8(needs[i, d] < 0)
        standard = one ^ negative ^ np.uint8(offers[o, d] < 0)
        entry = profile[i, d]
        recorded_right = np.uint8(entry != 0) & (one ^ negative ^ np.uint8(entry < 0))
        rr += recorded_right
        in_date = np.uint8(profile_time[i, d] >= oldest)
        known = np.uint8(entry != 0) & in_date
        right = recorded_right & in_date
        used = grasp[i, d]
        standard_known = standard & known
        s += standard
        sk += standard_known
        r += right
        u += used
        su += standard & used
        suk += standard_known & used
        ru += right & used
    out[0, j] = s
    out[1, j] = sk
    out[2, j] = r
    out[3, j] = u
    out[4, j] = su
    out[5, j] = suk
    out[6, j] = ru
    out[7, j] = rr


@njit(cache=True, nogil=True)
def value_counts(
    needs: Any,
    profile: Any,
    profile_time: Any,
    oldest: int,
    understood: Any,
    offers: Any,
    offered: Any,
) -> Any:  # pragma: no cover - compiled
    """(8, N) uint16 counts per customer, one pass over the (N, m) needs, profile and
    understanding (rows named by :data:`STANDARD` ...): the standard offer ``offers[offered[i]]``
    meets the need (same sign); and the profile records it in date (``profile != 0``, recorded
    in period ``oldest`` or later: what the firm acts on); the profile records it right in date
    (its sign); the customer understands it; standard and understood; standard, understood and
    recorded in date; recorded right in date and understood; recorded right, at any date.

    Replaces packing four masks into bits and a dozen popcount passes (ckm_sim.model.bits).
    """
    n = needs.shape[0]
    out = np.zeros((8, n), dtype=np.uint16)
    grasp = understood.view(np.uint8)
    for i in range(n):
        _row_counts(needs, profile, profile_time, oldest, grasp, offers, offered[i], i, out, i)
    return out


@njit(cache=True, nogil=True)
def value_counts_of(
    rows: Any,
    needs: Any,
    profile: Any,
    profile_time: Any,
    oldest: int,
    understood: Any,
    offers: Any,
    offered: Any,
) -> Any:  # pragma: no cover - compiled
    """:func:`value_counts` of the customers ``rows`` only (``offered`` one per row of
    ``rows``), read in place: no (rows, m) copies of the state gathered first."""
    out = np.zeros((8, len(rows)), dtype=np.uint16)
    grasp = understood.view(np.uint8)
    for j in range(len(rows)):
        _row_counts(
            needs, profile, profile_time, oldest, grasp, offers, offered[j], rows[j], out, j
        )
    return out


@njit(cache=True, nogil=True)
def reveal(who: Any, key: Any, dims_each: int, needs: Any) -> Any:  # pragma: no cover
    """(customer, dimension, value) of the needs customers ``who`` reveal: ``dims_each``
    dimensions each (at most ``m``), a cyclic window from the start
    ``int(u(key, customer) * m)``. Replaces a draw, a repeat, an outer sum, a modulo and a
    gather."""
    m = needs.shape[1]
    size = len(who) * dims_each
    cust = np.empty(size, dtype=np.int64)
    dims = np.empty(size, dtype=np.int64)
    value = np.empty(size, dtype=needs.dtype)
    j = 0
    for i in range(len(who)):
        start = np.int64(uniform_of(key, who[i]) * m)
        for k in range(dims_each):
            d = start + k  # (start + k) mod m, start < m and k < m: without a division
            d = d - m if d >= m else d
            cust[j] = who[i]
            dims[j] = d
            value[j] = needs[who[i], d]
            j += 1
    return cust, dims, value


@njit(cache=True, nogil=True)
def absorb(
    beliefs: Any,
    employee: Any,
    segment: Any,
    cust: Any,
    dims: Any,
    value: Any,
    items: Any,
    key: Any,
    rates: Any,
    employee_firm: Any,
) -> Any:  # pragma: no cover
    """Employees learn revealed needs: item ``items[j]`` (employee ``employee[items[j]]``, who
    learns need ``dims`` of customer ``cust``'s segment) is learnt when the uniform of its
    (customer, need) cell under ``key``, ``u(key, cust * m + dims)``, is below the employee's
    firm's ``rates``; writes ``beliefs`` in item order and returns the indices (into the items)
    of those learnt."""
    m = beliefs.shape[2]
    learnt = np.empty(len(items), dtype=np.int64)
    n = 0
    for j in range(len(items)):  # which are learnt: kept by moving the count, not a branch
        i = items[j]
        learnt[n] = i
        n += uniform_of(key, cust[i] * m + dims[i]) < rates[employee_firm[employee[i]]]
    for j in range(n):  # then written, in item order
        i = learnt[j]
        beliefs[employee[i], segment[cust[i]], dims[i]] = value[i]
    return learnt[:n]


@njit(cache=True, nogil=True)
def record(
    profile: Any,
    profile_time: Any,
    profile_known: Any,
    profile_time_sum: Any,
    profile_sums: Any,
    profile_counts: Any,
    segment: Any,
    profile_firm: Any,
    cust: Any,
    dims: Any,
    recorded: Any,
    period: int,
) -> None:  # pragma: no cover
    """Write entries into CRM profiles and keep the per-customer and pooled totals in step.

    Every total is a sum of whole numbers (exact in any order, float64 or int64): the number
    of recorded entries and their recording periods per customer, and each firm's pooled
    profile sums and counts per segment and dimension. Replaces some twenty numpy calls
    (gathers, two ``np.add.at`` and two ``np.bincount`` over the pooled cells)."""
    for j in range(len(cust)):
        i, d = cust[j], dims[j]
        before = profile[i, d]
        new = recorded[j]
        profile[i, d] = new
        if before != 0:
            profile_time_sum[i] += period - profile_time[i, d]
        else:
            profile_known[i] += 1.0
            profile_time_sum[i] += period
        profile_time[i, d] = period
        f, k = profile_firm[i], segment[i]
        profile_sums[f, k, d] += np.int64(new) - np.int64(before)
        profile_counts[f, k, d] += np.int64(new != 0) - np.int64(before != 0)


@njit(cache=True, nogil=True)
def neighbour_sum(indptr: Any, indices: Any, x: Any, rows: Any) -> Any:  # pragma: no cover
    """``(A x)[rows]`` of a unit-weight CSR adjacency for a whole-number ``x`` over the first
    ``len(x)`` slots (later slots count 0), int64: each row's entries read once, in place of
    building the rows' entry list and a cumulative sum over it."""
    out = np.zeros(len(rows), dtype=np.int64)
    n = len(x)
    for j in range(len(rows)):
        r = rows[j]
        total = 0
        for k in range(indptr[r], indptr[r + 1]):
            c = indices[k]
            if c < n:
                total += x[c]
        out[j] = total
    return out


@njit(cache=True, nogil=True)
def flip_needs(needs: Any, flips: Any, members: Any, bounds: Any) -> None:  # pragma: no cover
    """Turbulence: ``needs[members of segment k, d] *= -1`` where ``flips[k, d]``; the
    members of segment ``k`` are ``members[bounds[k]:bounds[k + 1]]``."""
    n_seg, m = flips.shape
    for k in range(n_seg):
        for d in range(m):
            if flips[k, d]:
                for j in range(bounds[k], bounds[k + 1]):
                    needs[members[j], d] = -needs[members[j], d]


@njit(cache=True, nogil=True)
def heard(reported: Any) -> Any:  # pragma: no cover
    """The satisfactions ever reported (the non-NaN entries, in order): ``reported[~isnan]``."""
    out = np.empty(len(reported), dtype=reported.dtype)
    n = 0
    for i in range(len(reported)):
        if not np.isnan(reported[i]):
            out[n] = reported[i]
            n += 1
    return out[:n]


@njit(cache=True, nogil=True)
def priority(reported: Any, who: Any, prior: Any, booked: Any) -> Any:  # pragma: no cover
    """``booked[who] * (1 - reported[who])``, the prior in place of a NaN (never heard; one
    prior for all, length 1, or one per customer): the contact priority (estimated value x
    estimated risk) in one pass, the same products."""
    out = np.empty(len(who), dtype=np.float64)
    single = len(prior) == 1
    for j in range(len(who)):
        i = who[j]
        r = reported[i]
        out[j] = booked[i] * (1.0 - ((prior[0] if single else prior[j]) if np.isnan(r) else r))
    return out


@njit(cache=True, nogil=True)
def cells_of(positions: Any, active: Any, m: int) -> Any:  # pragma: no cover
    """The flat (customer x dimension) ``positions`` whose customer (``position // m``) is
    active, in order: ``positions[active[positions // m]]`` in one pass."""
    out = np.empty(len(positions), dtype=np.int64)
    k = 0
    for j in range(len(positions)):
        if active[positions[j] // m]:
            out[k] = positions[j]
            k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def served_means(
    satisfaction: Any,
    active: Any,
    serving_employee: Any,
    segment: Any,
    n_employees: int,
    n_segments: int,
) -> Any:  # pragma: no cover
    """(E, K) mean satisfaction of the active customers each employee serves per segment, NaN
    where there are none: ``np.bincount`` of the cells without and with weights (the totals
    summed in customer order, as ``np.bincount`` sums them), then ``total / count``, without
    gathering the active customers first."""
    count = np.zeros((n_employees, n_segments), dtype=np.int64)
    total = np.zeros((n_employees, n_segments), dtype=np.float64)
    for i in range(len(active)):
        if active[i]:
            e, k = serving_employee[i], segment[i]
            count[e, k] += 1
            total[e, k] += satisfaction[i]
    for e in range(n_employees):
        for k in range(n_segments):
            total[e, k] = total[e, k] / count[e, k] if count[e, k] > 0 else np.nan
    return total


@njit(cache=True, nogil=True)
def adapt_offer(
    offer: Any, beliefs: Any, product: Any, code: Any, draw: Any, rate: float
) -> None:  # pragma: no cover
    """The product department's view of each (segment, dimension), the sign of its members'
    beliefs summed with the code (integers), replaces the offer where it has a view that
    differs and ``draw < rate``."""
    n_seg, m = offer.shape
    for k in range(n_seg):
        for d in range(m):
            total = np.int64(code[k, d])
            for e in product:
                total += beliefs[e, k, d]
            view = 1 if total > 0 else (-1 if total < 0 else 0)
            if view != 0 and view != offer[k, d] and draw[k, d] < rate:
                offer[k, d] = view


@njit(cache=True, nogil=True)
def adopt_from_peers(
    beliefs: Any, rank: Any, learners: Any, peers: Any, key: Any, rate: float
) -> None:  # pragma: no cover
    """Learner ``learners[j]`` adopts peer ``peers[j]``'s view on each (segment, dimension)
    where the peer ranks higher on the segment (``rank``), has a view that differs, and the
    uniform of its cell ``(j, k, d)`` of a (learners, segments, m) array under ``key`` is below
    ``rate`` (computed only there); every learner reads the beliefs as they stood before (a
    copy), as the numpy code's simultaneous update does."""
    before = beliefs.copy()
    _, n_seg, m = beliefs.shape
    for j in range(len(learners)):
        a, b = learners[j], peers[j]
        for k in range(n_seg):
            if not rank[b, k] > rank[a, k]:
                continue
            for d in range(m):
                theirs = before[b, k, d]
                cell = (j * n_seg + k) * m + d
                if theirs != 0 and theirs != before[a, k, d] and uniform_of(key, cell) < rate:
                    beliefs[a, k, d] = theirs


@njit(cache=True, nogil=True)
def socialise(
    beliefs: Any, code: Any, key: Any, rate: float, gradual: bool, takes_part: Any
) -> None:  # pragma: no cover
    """Employees who take part move toward the code where it has a view that differs from
    theirs, when the uniform of the belief's cell under ``key`` (flat over ``beliefs``) is
    below ``rate``: to the code's value, or (``gradual``) first to no view."""
    n_emp, n_seg, m = beliefs.shape
    for e in range(n_emp):
        if not takes_part[e]:
            continue
        for k in range(n_seg):
            for d in range(m):
                c, b = code[k, d], beliefs[e, k, d]
                if c != 0 and b != c and uniform_of(key, (e * n_seg + k) * m + d) < rate:
                    beliefs[e, k, d] = c if (not gradual or b == 0) else 0


@njit(cache=True, nogil=True)
def code_votes(superior: Any, shown: Any, code: Any) -> Any:  # pragma: no cover
    """The superior group's votes per (segment, dimension), int64: members showing +1, showing
    -1, showing the code's value; and (per segment) the group's size."""
    n_emp, n_seg, m = shown.shape
    plus = np.zeros((n_seg, m), dtype=np.int64)
    minus = np.zeros((n_seg, m), dtype=np.int64)
    holding = np.zeros((n_seg, m), dtype=np.int64)
    size = np.zeros(n_seg, dtype=np.int64)
    for e in range(n_emp):
        for k in range(n_seg):
            if not superior[e, k]:
                continue
            size[k] += 1
            for d in range(m):
                v = shown[e, k, d]
                plus[k, d] += v == 1
                minus[k, d] += v == -1
                holding[k, d] += v == code[k, d]
    return plus, minus, holding, size


@njit(cache=True, nogil=True)
def rank_of(standing: Any) -> Any:  # pragma: no cover
    """``np.nan_to_num(standing, nan=-np.inf)``: NaN (no evidence) the lowest, an infinity the
    largest finite number of its sign, as numpy's function gives (without its per-call cost)."""
    out = np.empty_like(standing)
    big = np.finfo(np.float64).max
    flat, res = standing.ravel(), out.ravel()
    for j in range(len(flat)):
        x = flat[j]
        if np.isnan(x):
            res[j] = -np.inf
        elif np.isinf(x):
            res[j] = big if x > 0 else -big
        else:
            res[j] = x
    return out


@njit(cache=True, nogil=True)
def pick_peers(
    indptr: Any, indices: Any, data: Any, learners: Any, slot_draw: Any, use_draw: Any, use: float
) -> Any:  # pragma: no cover
    """(learners, peers) of the usable ties: learner ``learners[j]`` consults its tie
    ``indptr[l] + int(slot_draw[j] * degree)``; a cross-department tie (weight above 1) is
    usable when ``use_draw[j] < use``."""
    keep_learners = np.empty(len(learners), dtype=np.int64)
    peers = np.empty(len(learners), dtype=np.int64)
    n = 0
    for j in range(len(learners)):
        a = learners[j]
        degree = indptr[a + 1] - indptr[a]
        slot = indptr[a] + np.int64(slot_draw[j] * degree)
        if data[slot] > 1 and not use_draw[j] < use:
            continue
        keep_learners[n] = a
        peers[n] = indices[slot]
        n += 1
    return keep_learners[:n], peers[:n]


@njit(cache=True, nogil=True)
def captures(
    serving: Any,
    cells: Any,
    key: Any,
    capture_rates: Any,
    unshared: Any,
    takes_part: Any,
    employee_firm: Any,
) -> Any:  # pragma: no cover
    """Indices of the revealed items the CRM captures: the uniform of the item's (customer,
    need) cell under ``key`` below ``capture x share``, the share 1 where the serving
    employee's department takes part in the shared database, else its firm's ``unshared``
    share (the same product as the numpy code's)."""
    out = np.empty(len(serving), dtype=np.int64)
    n = 0
    for j in range(len(serving)):
        e = serving[j]
        f = employee_firm[e]
        share = 1.0 if takes_part[e] else unshared[f]
        out[n] = j  # kept by moving the count, not by a branch on a coin toss
        n += uniform_of(key, cells[j]) < capture_rates[f] * share
    return out[:n]


@njit(cache=True, nogil=True)
def captured_entries(
    captured: Any,
    cust: Any,
    dims: Any,
    value: Any,
    serving: Any,
    cells: Any,
    key: Any,
    fidelity: Any,
    employee_firm: Any,
) -> Any:  # pragma: no cover
    """(customers, dimensions, recorded values, wrong) of the captured items: an entry is
    recorded wrong (the opposite sign) when the uniform of its cell under ``key`` is at least
    the ``fidelity`` of the employee's firm."""
    k = len(captured)
    out_cust = np.empty(k, dtype=np.int64)
    out_dims = np.empty(k, dtype=np.int64)
    recorded = np.empty(k, dtype=value.dtype)
    wrong = np.empty(k, dtype=np.bool_)
    for j in range(k):
        i = captured[j]
        out_cust[j] = cust[i]
        out_dims[j] = dims[i]
        bad = uniform_of(key, cells[i]) >= fidelity[employee_firm[serving[i]]]
        wrong[j] = bad
        recorded[j] = -value[i] if bad else value[i]
    return out_cust, out_dims, recorded, wrong


@njit(cache=True, nogil=True)
def tailored(
    explained: Any,
    contacted: Any,
    profile: Any,
    profile_time: Any,
    oldest: int,
    beliefs: Any,
    needs: Any,
    serving_employee: Any,
    segment: Any,
) -> Any:  # pragma: no cover
    """Tailored lessons from the explained cells ``explained`` (flat over contacted customer x
    dimension, sorted): what the firm believes (the profile's entry if recorded in period
    ``oldest`` or later, else the serving employee's belief about the segment), and (customers
    of the lessons sent, customers and dimensions of those on a true need)."""
    m = profile.shape[1]
    k = len(explained)
    sent = np.empty(k, dtype=np.int64)
    right_cust = np.empty(k, dtype=np.int64)
    right_dims = np.empty(k, dtype=np.int64)
    n_sent = n_right = 0
    row, start = 0, 0  # the cells are sorted: follow their row instead of dividing
    for j in range(k):
        while explained[j] >= start + m:
            start += m
            row += 1
        i = contacted[row]
        d = explained[j] - start
        # selects and moved counts, not branches on what each profile holds
        recorded = profile[i, d] if profile_time[i, d] >= oldest else 0
        believed = beliefs[serving_employee[i], segment[i], d] if recorded == 0 else recorded
        sent[n_sent] = i
        n_sent += believed != 0
        right_cust[n_right] = i
        right_dims[n_right] = d
        n_right += believed == needs[i, d]  # a need is never 0: a lesson sent
    return sent[:n_sent], right_cust[:n_right], right_dims[:n_right]


@njit(cache=True, nogil=True)
def talkers(key: Any, rates: Any, active: Any, degree: Any) -> Any:  # pragma: no cover
    """(talkers, their present degree): the active customers with ``u(key, i) < rate``
    (``rates`` one per customer, or a single one for all) and at least one neighbour present;
    only the active customers' numbers are computed."""
    out, n_active = members(active)
    deg = np.empty(n_active, dtype=np.int64)
    single = len(rates) == 1 and len(active) != 1
    n = 0
    for j in range(n_active):  # n <= j: the talkers overwrite the walked part
        i = out[j]
        out[n] = i
        deg[n] = degree[i]
        n += (uniform_of(key, i) < (rates[0] if single else rates[i])) & (degree[i] > 0)
    return out[:n], deg[:n]


@njit(cache=True, nogil=True)
def community_lessons(
    talker: Any,
    degree: Any,
    slot_key: Any,
    topic_key: Any,
    indptr: Any,
    indices: Any,
    active: Any,
    understood: Any,
    firm_of: Any,
    same_firm: bool,
) -> None:  # pragma: no cover
    """Each talker ``t`` learns its topic ``int(u(topic_key, t) * m)`` when its neighbour
    (``indptr[t] + int(u(slot_key, t) * degree)``) is active (and, ``same_firm``, of its firm)
    and understands it. Every neighbour's understanding is read before any is written, as the
    numpy code's simultaneous update."""
    m = understood.shape[1]
    learn = np.zeros(len(talker), dtype=np.bool_)
    topic = np.empty(len(talker), dtype=np.int64)
    for j in range(len(talker)):
        t = talker[j]
        topic[j] = np.int64(uniform_of(topic_key, t) * m)
        peer = indices[indptr[t] + np.int64(uniform_of(slot_key, t) * degree[j])]
        ok = active[peer] and understood[peer, topic[j]]
        if same_firm:
            ok = ok and firm_of[peer] == firm_of[t]
        learn[j] = ok
    for j in range(len(talker)):
        if learn[j]:
            understood[talker[j], topic[j]] = True


@njit(cache=True, nogil=True)
def perceived_value(
    counts: Any, personalisation: Any, single: bool, personalised: bool, m: int, floor: float
) -> Any:  # pragma: no cover
    """(value, fit, used) from :func:`value_counts`, in numpy's arithmetic order and precision:
    ``fit = (S + p (P - SK)) / m`` with the correction in float32 for a single firm's Python
    float ``p`` (numpy's weak scalar with float32 counts) and in float64 for one ``p`` per
    customer; ``used`` likewise from the understood counts; ``value = floor fit + (1 - floor)
    used`` (:func:`ckm_sim.model.market.perceived_value`). Replaces a dozen passes."""
    n = counts.shape[1]
    value = np.empty(n, dtype=np.float64)
    fit = np.empty(n, dtype=np.float64)
    used = np.empty(n, dtype=np.float64)
    rest = 1.0 - floor
    p32 = np.float32(personalisation[0])
    for i in range(n):
        a = np.float64(counts[0, i])
        b = np.float64(counts[4, i])
        if personalised:
            d_fit = np.float32(counts[2, i]) - np.float32(counts[1, i])
            d_used = np.float32(counts[6, i]) - np.float32(counts[5, i])
            if single:
                a += np.float64(p32 * d_fit)
                b += np.float64(p32 * d_used)
            else:
                a += personalisation[i] * np.float64(d_fit)
                b += personalisation[i] * np.float64(d_used)
        a = a / m
        b = b / m
        fit[i] = a
        used[i] = b
        value[i] = floor * a + rest * b
    return value, fit, used


@njit(cache=True, nogil=True)
def analytics(
    code: Any, profile_sum: Any, profile_count: Any, draw: Any, reach: float
) -> None:  # pragma: no cover
    """Analytical CRM: where a segment's pooled records lean clearly one way (the mean recorded
    sign beyond 0.2 in size; no records: no lean) and ``draw < reach``, the code takes the
    lean's sign (:func:`ckm_sim.model.learning.learn_code_from_profiles`)."""
    n_seg, m = code.shape
    for k in range(n_seg):
        for d in range(m):
            c = profile_count[k, d]
            lean = profile_sum[k, d] / c if c > 0 else 0.0
            if abs(lean) > 0.2 and draw[k, d] < reach:
                code[k, d] = 1 if lean > 0 else -1


@njit(cache=True, nogil=True)
def vote_code(
    code: Any, plus: Any, minus: Any, k: Any, p: Any, draw: Any
) -> None:  # pragma: no cover
    """The code adopts the group's majority view (more +1 than -1 votes) where it differs, the
    vote's weight ``k`` is positive and ``draw < p``."""
    n_seg, m = code.shape
    for s in range(n_seg):
        for d in range(m):
            margin = plus[s, d] - minus[s, d]
            majority = 1 if margin > 0 else (-1 if margin < 0 else 0)
            if majority != 0 and majority != code[s, d] and k[s, d] > 0 and draw[s, d] < p[s, d]:
                code[s, d] = majority


@njit(cache=True, nogil=True)
def above_norm(observed: Any) -> Any:  # pragma: no cover
    """(E, K) ``observed > the mean of column k over its non-NaN entries`` (NaN never above;
    a column without any: none above), summing down each column in row order as numpy's
    column sums do."""
    n, k = observed.shape
    count = np.zeros(k, dtype=np.int64)
    total = np.zeros(k)
    for e in range(n):
        for j in range(k):
            x = observed[e, j]
            if x == x:
                count[j] += 1
                total[j] += x
            else:
                total[j] += 0.0
    out = np.zeros((n, k), dtype=np.bool_)
    for j in range(k):
        if count[j] > 0:
            norm = total[j] / count[j]
            for e in range(n):
                out[e, j] = observed[e, j] > norm
    return out
