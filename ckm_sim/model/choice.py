"""Competition on the customer side: word of mouth per firm, expected values, and choice.

Several firms share one market and one customer community (docs/ODD.md 7.6). A prospect who
adopts, and an active customer who ends its relationship, choose among the firms (and, for a
leaver, the outside option) by multinomial logit over the value it expects from each: what its
community neighbours who are the firm's customers get from it, shrunk toward the firm's
reputation as far as the firm's broadcast reaches, else toward the market's reference value.
Everything here is vectorised over customers (the loops over ties and customers compiled);
the firms are a short second axis.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from ckm_sim.model.network import SlotGraph


def community_by_firm(
    community: SlotGraph,
    rows: np.ndarray,
    firm_of: np.ndarray,
    active: np.ndarray,
    promoters: np.ndarray,
    detractors: np.ndarray,
    value: np.ndarray,
    n_firms: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What customers ``rows`` hear of each firm from their present neighbours, (len(rows), F)
    each: net word of mouth (promoters minus detractors among the firm's customers), the sum
    of their perceived values, and their number. Gathered from the rows' own ties only."""
    c = community.matrix
    return neighbour_counts(
        c.indptr, c.indices, rows, firm_of, active, promoters, detractors, value, n_firms
    )


def expected_values(
    value_sum: np.ndarray,
    count: np.ndarray,
    reputation: np.ndarray,
    reach: np.ndarray,
    reference: float,
    weight: float,
) -> np.ndarray:
    """(n, F) value each customer expects from each firm (docs/ODD.md 7.6):

        x_if = (V_if + kappa (r_f vbar_f + (1 - r_f) c)) / (n_if + kappa)

    ``V_if``/``n_if``: sum and number of the perceived values of i's neighbours who are f's
    customers; ``vbar_f``: f's reputation (mean perceived value of its customers); ``r_f``: its
    broadcast reach; ``c``: the market's reference value (``competitor_value``); ``kappa``:
    ``reputation_weight``. A customer who hears nothing of a firm and is not reached by its
    broadcast expects the reference value.
    """
    return (value_sum + weighted_prior(reputation, reach, reference, weight)) / (count + weight)


def weighted_prior(
    reputation: np.ndarray, reach: np.ndarray, reference: float, weight: float
) -> np.ndarray:
    """(F,) ``kappa (r_f vbar_f + (1 - r_f) c)``: what a firm's reputation adds to every
    customer's expectation of it (:func:`expected_values`)."""
    prior = reach * reputation + (1.0 - reach) * reference  # (F,)
    return weight * prior


@njit(cache=True, nogil=True, inline="always")
def _bins(firm_of: Any, active: Any, n_firms: int) -> Any:  # pragma: no cover - compiled
    """Which firm a tie to each customer counts for: its firm when it is an active customer,
    else ``n_firms`` (a bin that is never read). One read per tie instead of two and a
    branch the processor cannot predict."""
    out = np.empty(len(firm_of), dtype=np.int16)
    for k in range(len(firm_of)):
        f = firm_of[k]
        out[k] = f if active[k] & (f >= 0) else n_firms  # "&": a select, no jump
    return out


@njit(cache=True, nogil=True, inline="always")
def _hear(
    indptr: Any,
    indices: Any,
    i: int,
    bins: Any,
    value: Any,
    promoters: Any,
    detractors: Any,
    net: Any,
    heard: Any,
    count: Any,
) -> None:  # pragma: no cover - compiled
    """What customer ``i`` hears over its ties, per firm (:func:`_bins`): the sum of its
    neighbours' perceived values into ``heard``, their number into ``count`` and, when
    ``promoters`` is not empty, promoters minus detractors into ``net`` (all zeroed first).
    Each row's columns are sorted (canonical CSR, as :class:`SlotGraph` lays them out), so the
    walk stops at the first slot not yet taken."""
    voiced = len(promoters) > 0
    for f in range(len(heard)):
        net[f] = 0.0
        heard[f] = 0.0
        count[f] = 0.0
    for j in range(indptr[i], indptr[i + 1]):
        k = indices[j]
        if k >= len(bins):  # a slot not yet taken, and so are the rest of the row's
            break
        f = bins[k]
        if voiced:
            net[f] += np.float64(promoters[k]) - np.float64(detractors[k])
        heard[f] += value[k]
        count[f] += 1.0


@njit(cache=True, nogil=True)
def best_rivals(
    indptr: Any,
    indices: Any,
    firm_of: Any,
    active: Any,
    value: Any,
    prior: Any,
    weight: float,
    reference: float,
) -> Any:  # pragma: no cover
    """(N,) the best each active customer expects from a rival of its own firm, or the
    reference value ``reference`` if that is better: ``max(c, max_{g != f} x_g)`` of its
    :func:`expected_values` from what it hears over the community's ties (``indptr``,
    ``indices``; :func:`community_by_firm`) and ``prior`` (:func:`weighted_prior`); NaN where
    a rival's expectation is NaN; ``reference`` for everyone else. One pass over the active
    customers' ties that keeps no (rows, F) arrays, no index of the rows and no scatter: the
    same sums in the same order."""
    n_firms = len(prior)
    bins = _bins(firm_of, active, n_firms)
    silent = np.empty(0, dtype=np.bool_)  # word of mouth's sign plays no part here
    net, heard, count = np.zeros(n_firms + 1), np.zeros(n_firms + 1), np.zeros(n_firms + 1)
    out = np.full(len(active), reference)
    for i in range(len(active)):
        if not active[i]:
            continue
        _hear(indptr, indices, i, bins, value, silent, silent, net, heard, count)
        best, nan = -np.inf, False
        for g in range(n_firms):
            if g == firm_of[i]:
                continue
            x = (heard[g] + prior[g]) / (count[g] + weight)
            if x != x:
                nan = True
            elif x > best:
                best = x
        out[i] = np.nan if nan else max(reference, best)
    return out


def choose(utility: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One multinomial-logit draw per row of ``utility`` (n, K): the chosen column's index.

    ``-inf`` marks an alternative that is not available (every row needs one that is).
    """
    if len(utility) == 0:
        return np.empty(0, dtype=np.int64)
    top = utility.max(axis=1, keepdims=True)
    weights = np.exp(utility - top)  # numpy's exponential: the compiled one may differ
    return drawn_columns(weights, rng.random(len(utility)))


@njit(cache=True, nogil=True)
def drawn_columns(weights: Any, u: Any) -> Any:  # pragma: no cover - compiled
    """The column each row of ``weights`` (n, K) draws with its uniform ``u``: how many of the
    row's running sums are at most ``u`` times its total, at most ``K - 1`` (the cumulative
    sum, product, comparison and count of numpy's code, summed in the same order)."""
    n, k = weights.shape
    out = np.empty(n, dtype=np.int64)
    cumulative = np.empty(k)
    for r in range(n):
        total = 0.0
        for c in range(k):
            total += weights[r, c]
            cumulative[c] = total
        draw = u[r] * total
        below = 0
        for c in range(k):
            below += cumulative[c] <= draw
        out[r] = min(below, k - 1)
    return out


def adoption_probability(net: np.ndarray, base: float, word_of_mouth: float) -> np.ndarray:
    """The chance of each prospect to adopt some firm this period: the single-firm rule with
    the positive word of mouth of every firm, ``1 - (1 - b)(1 - w) ** sum_f max(0, P_f - D_f)``
    (a firm's detractors cancel only its own promoters)."""
    return adoption_by_voice(np.maximum(net, 0.0).sum(axis=1), base, word_of_mouth)


def adoption_by_voice(positive: np.ndarray, base: float, word_of_mouth: float) -> np.ndarray:
    """:func:`adoption_probability` from each prospect's ``sum_f max(0, P_f - D_f)``
    (:func:`positive_voice`)."""
    if word_of_mouth <= 0:
        return np.full(len(positive), base)
    return 1.0 - (1.0 - base) * np.exp(positive * np.log1p(-word_of_mouth))


def voice_of_firms(
    community: SlotGraph,
    rows: np.ndarray,
    firm_of: np.ndarray,
    active: np.ndarray,
    promoters: np.ndarray,
    detractors: np.ndarray,
    n_firms: int,
) -> np.ndarray:
    """Each of customers ``rows``'s positive word of mouth, ``sum_f max(0, P_f - D_f)`` of
    its present neighbours who are firm ``f``'s active customers: what
    :func:`adoption_probability` sums of :func:`community_by_firm`'s net word of mouth,
    without the values and counts."""
    c = community.matrix
    return positive_voice(
        c.indptr, c.indices, rows, firm_of, active, promoters, detractors, n_firms
    )


@njit(cache=True, nogil=True)
def positive_voice(
    indptr: Any,
    indices: Any,
    rows: Any,
    firm_of: Any,
    active: Any,
    promoters: Any,
    detractors: Any,
    n_firms: int,
) -> Any:  # pragma: no cover
    """(len(rows),) ``sum_f max(0, P_f - D_f)`` over each row's present, active neighbours per
    firm (:func:`_bins`), counted in integers: the same numbers as the float sums of
    :func:`neighbour_counts`' net word of mouth, which are whole."""
    bins = _bins(firm_of, active, n_firms)
    net = np.zeros(n_firms + 1, dtype=np.int64)
    out = np.empty(len(rows))
    for r in range(len(rows)):
        i = rows[r]
        net[:] = 0
        for j in range(indptr[i], indptr[i + 1]):
            k = indices[j]
            if k >= len(bins):  # a slot not yet taken, and so are the rest of the row's
                break
            net[bins[k]] += np.int64(promoters[k]) - np.int64(detractors[k])
        positive = 0
        for f in range(n_firms):
            positive += max(net[f], 0)
        out[r] = positive
    return out


@njit(cache=True, nogil=True)
def neighbour_counts(
    indptr: Any,
    indices: Any,
    rows: Any,
    firm_of: Any,
    active: Any,
    promoters: Any,
    detractors: Any,
    value: Any,
    n_firms: int,
) -> Any:  # pragma: no cover
    """(net word of mouth, sum of perceived values, count) of each row's present, active
    neighbours who are customers of each firm, (len(rows), F) each: the three bincounts of
    :func:`community_by_firm`'s numpy code before it was compiled, summed in the same
    order."""
    bins = _bins(firm_of, active, n_firms)
    net = np.zeros((len(rows), n_firms))
    total = np.zeros((len(rows), n_firms))
    count = np.zeros((len(rows), n_firms))
    row_net, row_total, row_count = np.zeros((3, n_firms + 1))
    for r in range(len(rows)):
        _hear(
            indptr,
            indices,
            rows[r],
            bins,
            value,
            promoters,
            detractors,
            row_net,
            row_total,
            row_count,
        )
        for f in range(n_firms):
            net[r, f] = row_net[f]
            total[r, f] = row_total[f]
            count[r, f] = row_count[f]
    return net, total, count


@njit(cache=True, nogil=True)
def firm_means(firm_of: Any, active: Any, value: Any, n_firms: int, empty: float) -> Any:
    """(F,) the mean ``value`` of each firm's active customers (``empty`` for a firm with none),
    as two bincounts over ``firm_of[active]`` would sum it."""
    count = np.zeros(n_firms, dtype=np.int64)
    total = np.zeros(n_firms)
    for i in range(len(firm_of)):
        if active[i]:
            count[firm_of[i]] += 1
            total[firm_of[i]] += value[i]
    out = np.empty(n_firms)
    for f in range(n_firms):
        out[f] = total[f] / count[f] if count[f] > 0 else empty
    return out


@njit(cache=True, nogil=True)
def heard_means(profile_firm: Any, reported: Any, n_firms: int, empty: float) -> Any:
    """(F,) each firm's mean of the satisfaction ``reported`` by the customers whose records it
    holds (``profile_firm``; NaN: never heard), ``empty`` for a firm that heard none:
    :func:`firm_means` over ``~isnan(reported) & (profile_firm >= 0)`` without the mask's
    four passes, the same sums in the same order."""
    count = np.zeros(n_firms, dtype=np.int64)
    total = np.zeros(n_firms)
    for i in range(len(profile_firm)):
        f, r = profile_firm[i], reported[i]
        if r == r and f >= 0:
            count[f] += 1
            total[f] += r
    out = np.empty(n_firms)
    for f in range(n_firms):
        out[f] = total[f] / count[f] if count[f] > 0 else empty
    return out


@njit(cache=True, nogil=True)
def count_by_firm(firm_of: Any, cust: Any, where: Any, n_firms: int) -> Any:  # pragma: no cover
    """(F,) how many of customers ``cust`` (those with ``where``, a mask over them; all when
    ``where`` is empty) are each firm's: ``np.bincount(firm_of[cust[where]], minlength=F)``
    in one pass, without the gathers. A customer of no firm is an error, as for bincount."""
    out = np.zeros(n_firms, dtype=np.int64)
    masked = len(where) > 0
    for j in range(len(cust)):
        if masked and not where[j]:
            continue
        f = firm_of[cust[j]]
        if f < 0 or f >= n_firms:
            raise ValueError("a tallied customer belongs to no firm")
        out[f] += 1
    return out


@njit(cache=True, nogil=True)
def count_by_firm_each(
    firm_of: Any, cust: Any, masks: Any, n_firms: int
) -> Any:  # pragma: no cover
    """(1 + k, F): :func:`count_by_firm` of all customers ``cust`` (row 0) and of those of each
    of the ``k`` masks over them (``masks``, (k, len(cust)); row ``r + 1``), reading each
    customer's firm once. A customer of no firm is an error, as for bincount."""
    out = np.zeros((1 + masks.shape[0], n_firms), dtype=np.int64)
    for j in range(len(cust)):
        f = firm_of[cust[j]]
        if f < 0 or f >= n_firms:
            raise ValueError("a tallied customer belongs to no firm")
        out[0, f] += 1
        for r in range(masks.shape[0]):
            out[r + 1, f] += masks[r, j]
    return out


@njit(cache=True, nogil=True)
def pay_by_firm(
    active: Any,
    leaving: Any,
    margin: Any,
    realised: Any,
    discount: float,
    firm_of: Any,
    firm_discount: Any,
    n_firms: int,
) -> Any:  # pragma: no cover
    """Who stays (active, not leaving), each customer's margin this period in period-0 value
    added to ``realised`` (``margin x (stays x discount)``, numpy's order), and per firm the
    sums of what its stayers paid, in period-0 value and at the value of the period each was
    won (``firm_discount``): the two bincounts over the payers, summed in the same order."""
    staying = np.empty(len(active), dtype=np.bool_)
    equity = np.zeros(n_firms)
    at_won = np.zeros(n_firms)
    for i in range(len(active)):
        stays = active[i] and not leaving[i]
        staying[i] = stays
        paid = margin[i] * (np.float64(stays) * discount)
        realised[i] += paid
        if stays:
            f = firm_of[i]
            equity[f] += paid
            at_won[f] += paid / firm_discount[i, f]
    return staying, equity, at_won


@njit(cache=True, nogil=True)
def thinned(
    cells: Any, rows: Any, m: int, u: Any, top: float, rates: Any, firm_of: Any
) -> Any:  # pragma: no cover
    """The flat (row x ``m`` dimensions) ``cells`` drawn at the largest firm rate ``top`` that
    each customer's firm keeps at its own rate: cell ``j`` of customer ``i`` (``rows[cell // m]``,
    or ``cell // m`` when ``rows`` is empty) when ``u[j] * top < rates[max(firm_of[i], 0)]``,
    in order (the gather, the product and the mask of numpy's code in one pass)."""
    out = np.empty(len(cells), dtype=np.int64)
    direct = len(rows) == 0
    k = 0
    for j in range(len(cells)):
        row = cells[j] // m
        i = row if direct else rows[row]
        out[k] = cells[j]  # written always, kept by the count: no branch to mispredict
        k += u[j] * top < rates[max(firm_of[i], 0)]
    return out[:k]


@njit(cache=True, nogil=True)
def teach(cells: Any, m: int, flat: Any, firm_of: Any, n_firms: int) -> Any:  # pragma: no cover
    """Set the flat (customer x ``m`` dimensions) ``cells`` (sorted) understood in ``flat``;
    returns (F,) counts of the lessons and of the customers taught by each customer's firm,
    and the number of customers taught. A customer of no firm is an error, as for
    :func:`count_by_firm`."""
    lessons = np.zeros(n_firms, dtype=np.int64)
    taught = np.zeros(n_firms, dtype=np.int64)
    total, last = 0, -1
    for j in range(len(cells)):
        flat[cells[j]] = True
        i = cells[j] // m
        f = firm_of[i]
        if f < 0 or f >= n_firms:
            raise ValueError("a taught customer belongs to no firm")
        lessons[f] += 1
        if i != last:
            taught[f] += 1
            total += 1
            last = i
    return lessons, taught, total


@njit(cache=True, nogil=True)
def thin_and_teach(
    cells: Any, m: int, u: Any, top: float, rates: Any, firm_of: Any, flat: Any, n_firms: int
) -> Any:  # pragma: no cover
    """:func:`thinned` (each customer's own cells, no ``rows``) and :func:`teach` of the kept
    cells in one pass, without the kept cells' array: returns the number kept and
    :func:`teach`'s (F,) lessons, (F,) customers taught and customers taught."""
    lessons = np.zeros(n_firms, dtype=np.int64)
    taught = np.zeros(n_firms, dtype=np.int64)
    kept, total, last, bad = thin_teach_cells(
        cells, len(cells), m, u, top, rates, firm_of, flat, lessons, taught, 0, 0, -1, False
    )
    if bad:
        raise ValueError("a taught customer belongs to no firm")
    return kept, lessons, taught, total


@njit(cache=True, nogil=True, inline="always")
def thin_teach_cells(
    cells: Any,
    count: int,
    m: int,
    u: Any,
    top: float,
    rates: Any,
    firm_of: Any,
    flat: Any,
    lessons: Any,
    taught: Any,
    kept: int,
    total: int,
    last: int,
    bad: bool,
) -> Any:  # pragma: no cover - compiled
    """The first ``count`` cells of ``cells``, cell ``j`` kept when ``u[j] * top <
    rates[max(firm, 0)]``: or its flag in ``flat`` with that, and add it to its firm's
    ``lessons`` and (a customer not the ``last`` one kept) ``taught``. Returns (kept, total,
    last, bad) carried on from the arguments, so a walk can teach a block at a time; ``bad``:
    a kept customer of no firm. The counts move by the keep: no jump on the draw."""
    n_firms = len(lessons)
    for j in range(count):
        cell = cells[j]
        i = cell // m
        f = firm_of[i]
        keep = u[j] * top < rates[max(f, 0)]
        bad |= keep & ((f < 0) | (f >= n_firms))
        g = min(max(f, 0), n_firms - 1)  # a kept customer of no firm: the caller raises
        flat[cell] |= keep
        lessons[g] += keep
        new = keep & (i != last)
        taught[g] += new
        total += new
        kept += keep
        last = i if keep else last
    return kept, total, last, bad


@njit(cache=True, nogil=True)
def members_by_firm(active: Any, firm_of: Any, n_firms: int) -> Any:  # pragma: no cover
    """The active customers grouped by firm, each group in index order: (members, starts),
    firm ``f``'s ``members[starts[f]:starts[f + 1]]``, what ``rows[firm_of[rows] == f]`` of
    ``rows = flatnonzero(active)`` gives (customers of no firm in no group). One pass per firm
    that writes every index and keeps a member by moving the count: no jump on the mask."""
    flags = active.view(np.uint8)
    members = np.empty(len(flags) + 1, dtype=np.int64)  # each customer kept at most once
    starts = np.zeros(n_firms + 1, dtype=np.int64)
    k = 0
    for f in range(n_firms):
        for i in range(len(flags)):
            members[k] = i
            k += flags[i] & (firm_of[i] == f)
        starts[f + 1] = k
    return members[:k], starts


@njit(cache=True, nogil=True)
def firm_counts(firm_of: Any, mask: Any, n_firms: int) -> Any:  # pragma: no cover - compiled
    """(F,) how many customers with ``mask`` each firm has: ``np.bincount(firm_of[mask],
    minlength=F)`` without the gather, one comparison pass per firm that the compiler turns
    into vector code (no store waits on the previous one's). A masked customer of no firm is
    an error, as for bincount."""
    out = np.zeros(n_firms, dtype=np.int64)
    flags = mask.view(np.uint8)
    total = np.int64(0)
    for i in range(len(flags)):
        total += flags[i]
    for f in range(n_firms):
        c = np.int64(0)
        for i in range(len(flags)):
            c += np.int64(flags[i]) * np.int64(firm_of[i] == f)
        out[f] = c
    if out.sum() != total:
        raise ValueError("a counted customer belongs to no firm")
    return out


@njit(cache=True, nogil=True)
def staying_factors(
    profile_known: Any, offer_knowledge: Any, m: int, switching_cost: float, theta: Any
) -> Any:  # pragma: no cover - compiled
    """(N,) ``max(0, 1 - s b_i)`` with ``b_i = (profile_known + offer_knowledge m) / (2 max(m,
    1))`` (what each customer built up; ``s`` the switching cost), times ``theta`` unless it
    is empty: numpy's passes of ``competition.staying_factors`` and the product in one, the
    same operations in the same order (``np.maximum``'s NaN kept)."""
    out = np.empty(len(profile_known))
    scale = 2.0 * max(m, 1)
    weighted = len(theta) > 0
    for i in range(len(out)):
        built = (profile_known[i] + offer_knowledge[i] * m) / scale
        x = 1.0 - switching_cost * built
        x = 0.0 if x <= 0.0 else x  # np.maximum(0.0, x): a NaN stays
        out[i] = x * theta[i] if weighted else x
    return out


@njit(cache=True, nogil=True)
def firm_rates(rates: Any, firm_of: Any) -> Any:  # pragma: no cover - compiled
    """Each customer's firm's rate, ``rates[max(firm_of, 0)]`` (a customer of no firm: the
    first firm's), without numpy's temporary index array."""
    out = np.empty(len(firm_of), dtype=rates.dtype)
    for i in range(len(firm_of)):
        out[i] = rates[max(firm_of[i], 0)]
    return out


@njit(cache=True, nogil=True)
def offer_rows(firm_of: Any, segment: Any, n_segments: int) -> Any:  # pragma: no cover
    """The row of the firms' stacked (firm x segment) offers each customer is served from,
    ``max(firm_of, 0) * n_segments + segment`` (a customer of no firm: the first firm's), as
    int64 in one pass."""
    out = np.empty(len(firm_of), dtype=np.int64)
    for i in range(len(firm_of)):
        out[i] = np.int64(max(firm_of[i], 0)) * n_segments + np.int64(segment[i])
    return out


@njit(cache=True, nogil=True)
def start_afresh(
    fresh: Any,
    drawn: Any,
    profile: Any,
    profile_time: Any,
    profile_known: Any,
    profile_time_sum: Any,
    reported: Any,
    understood: Any,
    offer_knowledge: Any,
) -> None:  # pragma: no cover
    """Customers ``fresh`` start afresh with a new firm: an empty CRM profile (entries, dates,
    their number and date sum), nothing reported, and ``drawn`` (one row each) understood of
    the new offer, with its share of the ``m`` dimensions in numpy's precision (the float32
    row count over ``max(m, 1)``). The ten fancy-indexed writes of numpy's code in one pass."""
    m = profile.shape[1]
    dimensions = np.float32(max(m, 1))
    for r in range(len(fresh)):
        i = fresh[r]
        count = 0
        for d in range(m):
            profile[i, d] = 0
            profile_time[i, d] = 0
            understood[i, d] = drawn[r, d]
            count += drawn[r, d]
        profile_known[i] = 0.0
        profile_time_sum[i] = 0.0
        reported[i] = np.nan
        offer_knowledge[i] = np.float32(count) / dimensions
