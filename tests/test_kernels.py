"""Compiled kernels (ckm_sim/model/kernels.py, decisions.py and choice.py's) equal the numpy
code they replace, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model import choice, decisions, draws, kernels, market, routes
from ckm_sim.model.world import _pool as world_pool

SEEDS = st.integers(0, 2**32 - 1)


def _signs(rng: np.random.Generator, shape: tuple[int, ...], zeros: bool) -> np.ndarray:
    low = -1 if zeros else 0
    values = rng.integers(low, 2, size=shape, dtype=np.int8)
    return values if zeros else (2 * values - 1).astype(np.int8)


@settings(max_examples=60, deadline=None)
@given(
    m=st.integers(1, 80),
    rows=st.integers(0, 50),
    offers=st.integers(1, 6),
    p=st.sampled_from([0.0, 0.3, 0.77, 1.0]),
    seed=SEEDS,
)
def test_value_counts_are_the_masks_row_sums(m, rows, offers, p, seed) -> None:
    rng = np.random.default_rng(seed)
    needs = _signs(rng, (rows, m), zeros=False)
    profile = _signs(rng, (rows, m), zeros=True)
    understood = rng.random((rows, m)) < rng.random()
    offer = _signs(rng, (offers, m), zeros=False)
    offered = rng.integers(offers, size=rows)
    # records of periods -5..5; the firm acts on those from period ``oldest`` on
    profile_time = rng.integers(-5, 6, size=(rows, m))
    oldest = int(rng.integers(-6, 7))
    counts = kernels.value_counts(needs, profile, profile_time, oldest, understood, offer, offered)
    standard = needs == offer[offered]
    in_date = profile_time >= oldest
    known = (profile != 0) & in_date
    right = (profile == needs) & in_date
    masks = {
        kernels.STANDARD: standard,
        kernels.STANDARD_KNOWN: standard & known,
        kernels.RIGHT: right,
        kernels.UNDERSTOOD: understood,
        kernels.USED: standard & understood,
        kernels.USED_KNOWN: standard & understood & known,
        kernels.RIGHT_USED: right & understood,
        kernels.RECORDED_RIGHT: profile == needs,
    }
    for row, mask in masks.items():
        np.testing.assert_array_equal(counts[row], mask.sum(axis=1))
    # some customers' counts, read in place, are the same columns
    pick = rng.integers(rows, size=rng.integers(0, 2 * rows + 1)) if rows else np.arange(0)
    state = (needs, profile, profile_time, oldest, understood, offer)
    got = kernels.value_counts_of(pick, *state, offered[pick])
    np.testing.assert_array_equal(got, counts[:, pick])
    # value, fit and used from the counts are the numpy reference's, bit for bit: one Python
    # float for every customer (a single firm), or one float64 per customer (several firms)
    floor = float(rng.random())
    for personalisation in (p, np.full(rows, p) * rng.random(rows)):
        single = isinstance(personalisation, float)
        fit = market.delivered_share(standard, known, right, personalisation)
        used = market.understood_fit(standard, known, right, understood, personalisation)
        got = kernels.perceived_value(
            counts,
            np.asarray(personalisation, dtype=np.float64).reshape(-1),
            single,
            bool(np.any(personalisation > 0)),
            m,
            floor,
        )
        want = (market.perceived_value(fit, used, floor), fit, used)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)


def test_churn_and_pay_are_the_numpy_hazard_and_margins() -> None:
    rng = np.random.default_rng(5)
    n = 500
    for fixed, theta in ((None, None), (0.03, None), (None, rng.gamma(2.0, 0.5, n)), (0.5, 3.0)):
        satisfaction, updated = rng.random((2, n))
        key = np.uint64(rng.integers(2**63))
        draw = draws.uniform(key, n)  # the numbers the kernel computes for the active
        active = rng.random(n) < 0.8
        propensity = np.full(n, theta) if isinstance(theta, float) else theta
        want_sat = satisfaction.copy()
        np.copyto(want_sat, updated, where=active)
        hazard = market.churn_hazard(want_sat, 0.01, 0.9, fixed, propensity)
        got_hazard = np.empty(n)
        leaving = decisions.churn(
            satisfaction,
            updated,
            active,
            np.empty(0) if propensity is None else propensity,
            0.01,
            0.9,
            np.nan if fixed is None else fixed,
            key,
            got_hazard,
        )
        np.testing.assert_array_equal(satisfaction, want_sat)
        np.testing.assert_array_equal(got_hazard, hazard)
        np.testing.assert_array_equal(leaving, active & (draw < hazard))
        margin, realised = rng.lognormal(size=n), rng.random(n)
        want = realised + margin * ((active & ~leaving) * 0.97)
        staying = decisions.stay_and_pay(active, leaving, margin, realised, 0.97)
        np.testing.assert_array_equal(staying, active & ~leaving)
        np.testing.assert_array_equal(realised, want)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 50),
    per_customer=st.booleans(),
    sensitivity=st.floats(0.0, 40.0),
    memory=st.floats(0.0, 1.0),
    seed=SEEDS,
)
def test_satisfaction_update_is_the_numpy_expression(n, per_customer, sensitivity, memory, seed):
    # the compiled arithmetic around numpy's exp gives the expression's numbers bit for bit
    rng = np.random.default_rng(seed)
    satisfaction, value = rng.random((2, n))
    expectation = rng.random(n) if per_customer else float(rng.random())
    momentary = 1.0 / (1.0 + np.exp(-sensitivity * (value - expectation)))
    want = memory * satisfaction + (1.0 - memory) * momentary
    got = market.satisfaction_update(satisfaction, value, expectation, sensitivity, memory)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=40, deadline=None)
@given(m=st.integers(1, 40), rows=st.integers(0, 30), each=st.integers(1, 40), seed=SEEDS)
def test_reveal_is_a_cyclic_window_of_needs(m, rows, each, seed) -> None:
    rng = np.random.default_rng(seed)
    needs = _signs(rng, (rows + 5, m), zeros=False)
    who = np.sort(rng.choice(rows + 5, size=rows, replace=False)).astype(np.int64)
    each = min(each, m)
    key = np.uint64(rng.integers(2**63))
    start = (draws.uniform_at(key, who) * m).astype(np.int64)  # each customer's own number
    cust, dims, value = kernels.reveal(who, key, each, needs)
    want_cust = np.repeat(who, each)
    want_dims = ((start[:, None] + np.arange(each)) % m).ravel()
    np.testing.assert_array_equal(cust, want_cust)
    np.testing.assert_array_equal(dims, want_dims)
    np.testing.assert_array_equal(value, needs.reshape(-1)[want_cust * m + want_dims])
    assert value.dtype == np.int8


@settings(max_examples=60, deadline=None)
@given(items=st.integers(0, 60), firms=st.integers(1, 3), seed=SEEDS)
def test_absorb_writes_what_the_masked_numpy_writes(items, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    n_emp, n_seg, m, n_cust = 6, 3, 4, 10
    beliefs = _signs(rng, (n_emp, n_seg, m), zeros=True)
    employee = rng.integers(n_emp, size=items)  # repeated cells: the later item wins
    cust = rng.integers(n_cust, size=items)
    dims = rng.integers(m, size=items)
    value = _signs(rng, (items,), zeros=False)
    segment = rng.integers(n_seg, size=n_cust)
    employee_firm = rng.integers(firms, size=n_emp)
    rates = rng.random(firms)
    chosen = np.flatnonzero(rng.random(items) < 0.6)
    key = np.uint64(rng.integers(2**63))
    draw = draws.uniform_at(key, cust[chosen] * m + dims[chosen])  # each item's cell's number
    want = beliefs.copy()
    sub = chosen[draw < rates[employee_firm[employee[chosen]]]]
    cell = (employee[sub] * n_seg + segment[cust[sub]]) * m + dims[sub]
    want.reshape(-1)[cell] = value[sub]
    got = kernels.absorb(
        beliefs, employee, segment, cust, dims, value, chosen, key, rates, employee_firm
    )
    np.testing.assert_array_equal(got, sub)
    np.testing.assert_array_equal(beliefs, want)


def _record_numpy(state: dict, cust, dims, recorded, period) -> None:
    """The numpy code kernels.record replaced (CKMModel._record before the kernels)."""
    profile, profile_time = state["profile"].reshape(-1), state["profile_time"].reshape(-1)
    m = state["profile"].shape[1]
    cell = cust * m + dims
    before = profile[cell]
    profile[cell] = recorded
    was_known = (before != 0).astype(np.float64)
    np.add.at(state["profile_known"], cust, 1.0 - was_known)
    old_time = profile_time[cell] * was_known
    profile_time[cell] = period
    np.add.at(state["profile_time_sum"], cust, period - old_time)
    sums, counts = state["profile_sums"], state["profile_counts"]
    n_seg = sums.shape[1]
    pooled = (state["profile_firm"][cust] * n_seg + state["segment"][cust]) * m + dims
    change = recorded.astype(np.float64) - before
    sums += np.bincount(pooled, change, sums.size).astype(np.int64).reshape(sums.shape)
    known = (recorded != 0).astype(np.float64) - (before != 0)
    counts += np.bincount(pooled, known, sums.size).astype(np.int64).reshape(sums.shape)


@settings(max_examples=60, deadline=None)
@given(entries=st.integers(0, 80), firms=st.integers(1, 3), seed=SEEDS)
def test_record_keeps_the_totals_the_numpy_code_kept(entries, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    n, m, n_seg = 12, 8, 3
    cells = rng.choice(n * m, size=min(entries, n * m), replace=False)  # distinct, as a period
    cust, dims = cells // m, cells % m
    state = {
        "profile": _signs(rng, (n, m), zeros=True),
        "profile_time": rng.integers(0, 50, size=(n, m)).astype(np.int16),
        "profile_known": rng.integers(0, m, size=n).astype(np.float64),
        "profile_time_sum": rng.integers(0, 400, size=n).astype(np.float64),
        "profile_sums": rng.integers(-9, 9, size=(firms, n_seg, m)),
        "profile_counts": rng.integers(0, 9, size=(firms, n_seg, m)),
        "segment": rng.integers(n_seg, size=n),
        "profile_firm": rng.integers(firms, size=n).astype(np.int16),
    }
    recorded = _signs(rng, (len(cells),), zeros=True)
    want = {k: v.copy() for k, v in state.items()}
    _record_numpy(want, cust, dims, recorded, 57)
    kernels.record(*state.values(), cust, dims, recorded, 57)
    for name, array in want.items():
        assert state[name].dtype == array.dtype
        np.testing.assert_array_equal(state[name], array, err_msg=name)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 50), seed=SEEDS)
def test_priority_and_heard_are_the_numpy_expressions(n, seed) -> None:
    rng = np.random.default_rng(seed)
    reported = np.where(rng.random(n) < 0.4, np.nan, rng.random(n))
    margin = rng.lognormal(size=n)
    told = kernels.heard(reported)
    np.testing.assert_array_equal(told, reported[~np.isnan(reported)])
    who = np.flatnonzero(rng.random(n) < 0.7)
    prior = float(told.mean()) if len(told) else 0.5
    heard = ~np.isnan(reported)
    want = margin[who] * (1.0 - np.where(heard[who], reported[who], prior))
    got = kernels.priority(reported, who, np.array([prior]), margin)
    np.testing.assert_array_equal(got, want)
    # several firms: each customer's own prior
    priors = rng.random(len(who))
    want = margin[who] * (1.0 - np.where(heard[who], reported[who], priors))
    np.testing.assert_array_equal(kernels.priority(reported, who, priors, margin), want)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 60), segments=st.integers(1, 5), m=st.integers(1, 9), seed=SEEDS)
def test_flip_needs_flips_each_flipped_segments_members(n, segments, m, seed) -> None:
    rng = np.random.default_rng(seed)
    segment = rng.integers(segments, size=n)
    needs = _signs(rng, (n, m), zeros=False)
    flips = rng.random((segments, m)) < 0.4
    want = needs.copy()
    for k, d in zip(*np.nonzero(flips), strict=True):  # the loop the kernel replaced
        want[np.flatnonzero(segment == k), d] *= -1
    members = np.argsort(segment, kind="stable")
    bounds = np.searchsorted(segment[members], np.arange(segments + 1))
    kernels.flip_needs(needs, flips, members, bounds)
    np.testing.assert_array_equal(needs, want)


@settings(max_examples=40, deadline=None)
@given(segments=st.integers(1, 6), m=st.integers(1, 12), reach=st.floats(0, 1), seed=SEEDS)
def test_analytics_is_the_numpy_lean(segments, m, reach, seed) -> None:
    rng = np.random.default_rng(seed)
    count = rng.integers(0, 6, size=(segments, m)).astype(np.int64)
    total = (rng.integers(0, 6, size=count.shape) % (2 * count + 1) - count).astype(np.int64)
    code = _signs(rng, (segments, m), zeros=True)
    draw = rng.random((segments, m))
    want = code.copy()  # the numpy code the kernel replaced
    lean = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    change = (np.abs(lean) > 0.2) & (draw < reach)
    want[change] = np.sign(lean[change]).astype(np.int8)
    kernels.analytics(code, total, count, draw, reach)
    np.testing.assert_array_equal(code, want)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), m=st.integers(1, 9), seed=SEEDS)
def test_cells_of_keeps_the_active_customers_cells(n, m, seed) -> None:
    rng = np.random.default_rng(seed)
    positions = np.flatnonzero(rng.random(n * m) < 0.3)
    active = rng.random(n) < 0.5
    got = kernels.cells_of(positions, active, m)
    np.testing.assert_array_equal(got, positions[active[positions // m]])


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 200), seed=SEEDS)
def test_served_means_are_the_two_bincounts_divided(n, seed) -> None:
    rng = np.random.default_rng(seed)
    n_emp, n_seg = 7, 4
    sat, active = rng.random(n), rng.random(n) < 0.7
    serving, segment = rng.integers(n_emp, size=n), rng.integers(n_seg, size=n)
    got = kernels.served_means(sat, active, serving, segment, n_emp, n_seg)
    cell = serving[active] * n_seg + segment[active]
    size = n_emp * n_seg
    count = np.bincount(cell, minlength=size).reshape(n_emp, n_seg)
    total = np.bincount(cell, sat[active], minlength=size).reshape(n_emp, n_seg)
    with np.errstate(invalid="ignore", divide="ignore"):
        want = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(team=st.integers(0, 5), rate=st.floats(0.0, 1.0), seed=SEEDS)
def test_adapt_offer_is_the_numpy_view(team, rate, seed) -> None:
    rng = np.random.default_rng(seed)
    beliefs = _signs(rng, (8, 3, 5), zeros=True)
    code = _signs(rng, (3, 5), zeros=True)
    offer = _signs(rng, (3, 5), zeros=False)
    product = np.sort(rng.choice(8, size=team, replace=False)).astype(np.int64)
    draw = rng.random(offer.shape)
    view = np.sign(beliefs[product].sum(axis=0, dtype=np.int64) + code)
    change = (view != 0) & (view != offer) & (draw < rate)
    want = offer.copy()
    want[change] = view[change].astype(np.int8)
    kernels.adapt_offer(offer, beliefs, product, code, draw, rate)
    np.testing.assert_array_equal(offer, want)


@settings(max_examples=60, deadline=None)
@given(learners=st.integers(0, 8), rate=st.floats(0.0, 1.0), seed=SEEDS)
def test_adopt_from_peers_is_the_simultaneous_numpy_update(learners, rate, seed) -> None:
    rng = np.random.default_rng(seed)
    n_emp, n_seg, m = 8, 3, 5
    beliefs = _signs(rng, (n_emp, n_seg, m), zeros=True)
    rank = np.where(rng.random((n_emp, n_seg)) < 0.2, -np.inf, rng.integers(0, 3, (n_emp, n_seg)))
    who = np.sort(rng.choice(n_emp, size=learners, replace=False))
    peers = rng.integers(n_emp, size=learners)  # a peer may be a learner too
    key = np.uint64(rng.integers(2**63))
    draw = draws.uniform(key, (learners, n_seg, m))  # the numbers the kernel computes
    want = beliefs.copy()
    better = (rank[peers] > rank[who])[:, :, None]
    theirs, mine = want[peers], want[who]
    adopt = better & (theirs != 0) & (theirs != mine) & (draw < rate)
    want[who] = np.where(adopt, theirs, mine)
    kernels.adopt_from_peers(beliefs, rank, who, peers, key, rate)
    np.testing.assert_array_equal(beliefs, want)


@settings(max_examples=60, deadline=None)
@given(rate=st.floats(0.0, 1.0), gradual=st.booleans(), seed=SEEDS)
def test_socialise_kernel_is_the_numpy_update(rate, gradual, seed) -> None:
    rng = np.random.default_rng(seed)
    beliefs = _signs(rng, (6, 3, 5), zeros=True)
    code = _signs(rng, (3, 5), zeros=True)
    key = np.uint64(rng.integers(2**63))
    draw = draws.uniform(key, beliefs.shape)  # the numbers the kernel computes
    takes_part = rng.random(6) < 0.6
    adopt = (code != 0) & (beliefs != code) & (draw < rate) & takes_part[:, None, None]
    target = np.broadcast_to(code, beliefs.shape)
    if gradual:
        target = np.where(beliefs == 0, target, np.int8(0))
    want = beliefs.copy()
    np.copyto(want, target, where=adopt)
    kernels.socialise(beliefs, code, key, rate, gradual, takes_part)
    np.testing.assert_array_equal(beliefs, want)


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS)
def test_code_votes_are_the_masked_sums(seed) -> None:
    rng = np.random.default_rng(seed)
    shown = _signs(rng, (7, 3, 5), zeros=True)
    code = _signs(rng, (3, 5), zeros=True)
    superior = rng.random((7, 3)) < 0.5
    plus, minus, holding, size = kernels.code_votes(superior, shown, code)
    members = superior[:, :, None]
    np.testing.assert_array_equal(plus, (members & (shown == 1)).sum(axis=0))
    np.testing.assert_array_equal(minus, (members & (shown == -1)).sum(axis=0))
    np.testing.assert_array_equal(holding, (members & (shown == code)).sum(axis=0))
    np.testing.assert_array_equal(size, superior.sum(axis=0))


def test_rank_of_is_nan_to_num() -> None:
    standing = np.array([[np.nan, 0.3, np.inf], [-np.inf, -2.0, np.nan]])
    np.testing.assert_array_equal(kernels.rank_of(standing), np.nan_to_num(standing, nan=-np.inf))


def _csr(rng: np.random.Generator, n: int, weights: bool) -> sp.csr_array:
    a = sp.random_array((n, n), density=0.3, rng=rng, format="csr")
    a = ((a + a.T) > 0).astype(np.float64)
    if weights:
        a.data = rng.integers(1, 3, size=a.nnz).astype(np.float64)
    return sp.csr_array(a)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 12), use=st.floats(0.0, 1.0), seed=SEEDS)
def test_pick_peers_is_the_numpy_selection(n, use, seed) -> None:
    rng = np.random.default_rng(seed)
    c = _csr(rng, n, weights=True)
    degree = np.diff(c.indptr)
    learners = np.flatnonzero(degree > 0)
    slot_draw, use_draw = rng.random(len(learners)), rng.random(len(learners))
    slot = c.indptr[learners] + (slot_draw * degree[learners]).astype(np.int64)
    usable = ~(c.data[slot] > 1) | (use_draw < use)
    got_learners, got_peers = kernels.pick_peers(
        c.indptr, c.indices, c.data, learners, slot_draw, use_draw, use
    )
    np.testing.assert_array_equal(got_learners, learners[usable])
    np.testing.assert_array_equal(got_peers, c.indices[slot][usable])


@settings(max_examples=60, deadline=None)
@given(items=st.integers(0, 40), firms=st.integers(1, 3), seed=SEEDS)
def test_captures_are_the_numpy_draws(items, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    n_emp = 6
    serving = rng.integers(n_emp, size=items)
    employee_firm = rng.integers(firms, size=n_emp)
    takes_part = rng.random(n_emp) < 0.5
    capture, unshared, fidelity = rng.random((3, firms))
    cust, dims = rng.integers(20, size=items), rng.integers(5, size=items)
    cells = cust * 5 + dims  # an item's numbers are its (customer, need) cell's
    key, fidelity_key = (np.uint64(k) for k in rng.integers(2**63, size=2))
    draw = draws.uniform_at(key, cells)
    share = np.where(takes_part[serving], 1.0, unshared[employee_firm[serving]])
    want = np.flatnonzero(draw < capture[employee_firm[serving]] * share)
    got = kernels.captures(serving, cells, key, capture, unshared, takes_part, employee_firm)
    np.testing.assert_array_equal(got, want)
    value = _signs(rng, (items,), zeros=False)
    wrong_draw = draws.uniform_at(fidelity_key, cells[want])
    wrong = wrong_draw >= fidelity[employee_firm[serving[want]]]
    into, dim, recorded, bad = kernels.captured_entries(
        want, cust, dims, value, serving, cells, fidelity_key, fidelity, employee_firm
    )
    np.testing.assert_array_equal(into, cust[want])
    np.testing.assert_array_equal(dim, dims[want])
    np.testing.assert_array_equal(bad, wrong)
    np.testing.assert_array_equal(recorded, np.where(wrong, -value[want], value[want]))


@settings(max_examples=60, deadline=None)
@given(contacted=st.integers(0, 10), seed=SEEDS)
def test_tailored_lessons_are_the_numpy_beliefs(contacted, seed) -> None:
    rng = np.random.default_rng(seed)
    n, m, n_seg, n_emp = 12, 6, 3, 4
    profile, needs = _signs(rng, (n, m), zeros=True), _signs(rng, (n, m), zeros=False)
    beliefs = _signs(rng, (n_emp, n_seg, m), zeros=True)
    serving, segment = rng.integers(n_emp, size=n), rng.integers(n_seg, size=n)
    who = np.sort(rng.choice(n, size=contacted, replace=False))
    explained = np.flatnonzero(rng.random(contacted * m) < 0.5)
    cust, dims = who[explained // m], explained % m
    profile_time = rng.integers(-3, 4, size=(n, m))
    oldest = int(rng.integers(-4, 5))
    believed = np.where(profile_time[cust, dims] >= oldest, profile[cust, dims], 0)
    silent = believed == 0
    believed[silent] = beliefs[serving[cust[silent]], segment[cust[silent]], dims[silent]]
    sent = believed != 0
    right = sent & (believed == needs[cust, dims])
    got = kernels.tailored(
        explained, who, profile, profile_time, oldest, beliefs, needs, serving, segment
    )
    for g, w in zip(got, (cust[sent], cust[right], dims[right]), strict=True):
        np.testing.assert_array_equal(g, w)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 15), firms=st.booleans(), seed=SEEDS)
def test_community_lessons_are_the_simultaneous_numpy_update(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    m = 4
    c = _csr(rng, n, weights=False)
    degree = np.diff(c.indptr).astype(np.int64)
    active = rng.random(n) < 0.7
    understood = rng.random((n, m)) < 0.5
    firm_of = rng.integers(0, 2, size=n).astype(np.int16)
    rate = rng.random(n) if firms else np.array([0.6])
    key = np.uint64(rng.integers(2**63))
    draw = draws.uniform(key, n)
    talkers = np.flatnonzero(active & (draw < (rate if firms else rate[0])))
    talkers = talkers[degree[talkers] > 0]
    got_talkers, got_degree = kernels.talkers(key, rate, active, degree)
    np.testing.assert_array_equal(got_talkers, talkers)
    np.testing.assert_array_equal(got_degree, degree[talkers])
    slot_key, topic_key = (np.uint64(k) for k in rng.integers(2**63, size=2))
    slot_draw = draws.uniform_at(slot_key, talkers)  # each talker's own numbers
    topic = (draws.uniform_at(topic_key, talkers) * m).astype(np.int64)
    peer = c.indices[c.indptr[talkers] + (slot_draw * degree[talkers]).astype(np.int64)]
    learn = active[peer] & understood[peer, topic]
    if firms:
        learn &= firm_of[peer] == firm_of[talkers]
    want = understood.copy()
    want[talkers[learn], topic[learn]] = True
    kernels.community_lessons(
        talkers,
        degree[talkers],
        slot_key,
        topic_key,
        c.indptr,
        c.indices,
        active,
        understood,
        firm_of,
        firms,
    )
    np.testing.assert_array_equal(understood, want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 60), single=st.booleans(), seed=SEEDS)
def test_active_below_is_the_masked_flatnonzero(n, single, seed) -> None:
    rng = np.random.default_rng(seed)
    active, key = rng.random(n) < 0.6, np.uint64(rng.integers(2**63))
    draw = draws.uniform(key, n)  # the numbers the kernel computes for the active only
    threshold = np.array([0.4]) if single else rng.random(n)
    want = np.flatnonzero(active & (draw < (threshold[0] if single else threshold)))
    np.testing.assert_array_equal(decisions.active_below(active, key, threshold), want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 60), seed=SEEDS)
def test_members_below_is_active_below_with_the_others_at_zero(n, seed) -> None:
    rng = np.random.default_rng(seed)
    active, key = rng.random(n) < 0.6, np.uint64(rng.integers(2**63))
    members = np.flatnonzero(active)
    wanted = rng.random(len(members))
    threshold = np.zeros(n)
    threshold[members] = wanted
    want = decisions.active_below(active, key, threshold)
    np.testing.assert_array_equal(decisions.members_below(members, key, wanted), want)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 40), rate=st.floats(0, 1), tau=st.floats(0, 1), seed=SEEDS)
def test_shares_are_the_numpy_expression(n, rate, tau, seed) -> None:
    rng = np.random.default_rng(seed)
    wanted = rng.random(n) * rng.integers(1, 100)
    mean = float(wanted.mean()) if n else 1.0
    want = rate * ((1.0 - tau) + tau * wanted / mean)
    np.testing.assert_array_equal(decisions.shares(wanted, rate, tau, mean), want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 60), seed=SEEDS)
def test_win_back_returns_the_lapsed_past_their_cooloff(n, seed) -> None:
    rng = np.random.default_rng(seed)
    status = rng.integers(0, 3, size=n).astype(np.int8)
    lapsed_at = rng.integers(-1, 10, size=n).astype(np.int32)
    key = np.uint64(rng.integers(2**63))
    draw = draws.uniform(key, n)  # the numbers the kernel computes for the lapsed
    lapsed = (status == 2) & (lapsed_at <= 5)
    assert decisions.any_lapsed(status, lapsed_at, 2, 5) == lapsed.any()
    want = status.copy()
    back = lapsed & (draw < 0.3)
    want[back] = 0
    assert decisions.win_back(status, lapsed_at, 2, 5, key, 0.3, 0) == back.sum()
    np.testing.assert_array_equal(status, want)


def _water_fill_numpy(wanted: np.ndarray) -> np.ndarray:
    """market.water_fill before the kernels."""
    budget = float(wanted.sum())
    mine = np.minimum(wanted, 1.0)
    for _ in range(len(mine)):
        short = budget - float(mine.sum())
        room = mine < 1.0
        n_room = int(np.count_nonzero(room))
        if short <= 1e-12 * max(budget, 1.0) or n_room == 0:
            break
        mine[room] = np.minimum(mine[room] + short / n_room, 1.0)
    return mine


@settings(max_examples=80, deadline=None)
@given(n=st.integers(0, 200), scale=st.floats(0.01, 0.99), seed=SEEDS)
def test_water_fill_is_the_numpy_rounds(n, scale, seed) -> None:
    rng = np.random.default_rng(seed)
    wanted = rng.pareto(1.5, size=n) * scale  # a heavy tail: several rounds of capping
    wanted *= min(1.0, n * scale / max(float(wanted.sum()), 1e-300))  # mean at most ``scale``
    np.testing.assert_array_equal(market.water_fill(wanted), _water_fill_numpy(wanted))


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS)
def test_vote_code_is_the_numpy_change(seed) -> None:
    rng = np.random.default_rng(seed)
    code = _signs(rng, (3, 5), zeros=True)
    plus, minus = rng.integers(0, 4, size=(2, 3, 5))
    k = rng.integers(-2, 3, size=(3, 5))
    p, draw = rng.random((2, 3, 5))
    majority = np.sign(plus - minus).astype(np.int8)
    change = (majority != 0) & (majority != code) & (k > 0) & (draw < p)
    want = code.copy()
    want[change] = majority[change]
    kernels.vote_code(code, plus, minus, k, p, draw)
    np.testing.assert_array_equal(code, want)


def _heard(n: int, slots: int, firms: int, seed: int, density: float) -> tuple:
    """A community of ``n`` customers (ties also to ``slots`` yet to arrive) over ``firms``:
    (ties, firm_of, active, promoters, detractors, value, the rows that ask)."""
    rng = np.random.default_rng(seed)
    total_slots = n + slots  # ties reach slots of customers yet to arrive (index >= n)
    c = sp.random(total_slots, total_slots, density=density, format="csr", random_state=rng)
    firm_of = rng.integers(-1, firms, size=n).astype(np.int16)
    active = rng.random(n) < 0.7
    promoters, detractors = rng.random(n) < 0.4, rng.random(n) < density
    value = rng.random(n)
    rows = rng.choice(n, size=int(rng.integers(0, n + 1)), replace=False)
    return c, firm_of, active, promoters, detractors, value, rows


def _community_by_firm_numpy(c, rows, firm_of, active, promoters, detractors, value, n_firms):
    """The numpy code :func:`choice.neighbour_counts` replaced (three bincounts)."""
    n = len(firm_of)
    start, stop = c.indptr[rows], c.indptr[rows + 1]
    degree = stop - start
    owner = np.repeat(np.arange(len(rows)), degree)
    offsets = np.arange(len(owner)) - np.repeat(np.cumsum(degree) - degree, degree)
    neighbour = c.indices[np.repeat(start, degree) + offsets]
    present = neighbour < n
    neighbour, owner = neighbour[present], owner[present]
    keep = active[neighbour] & (firm_of[neighbour] >= 0)
    neighbour, owner = neighbour[keep], owner[keep]
    cell = owner * n_firms + firm_of[neighbour]
    size, shape = len(rows) * n_firms, (len(rows), n_firms)
    voice = promoters[neighbour].astype(np.float64) - detractors[neighbour]
    net = np.bincount(cell, voice, minlength=size).reshape(shape)
    total = np.bincount(cell, value[neighbour], minlength=size).reshape(shape)
    count = np.bincount(cell, minlength=size).reshape(shape).astype(np.float64)
    return net, total, count


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), slots=st.integers(0, 20), firms=st.integers(1, 4), seed=SEEDS)
def test_community_by_firm_is_the_three_bincounts(n, slots, firms, seed) -> None:
    c, firm_of, active, promoters, detractors, value, rows = _heard(n, slots, firms, seed, 0.2)
    want = _community_by_firm_numpy(c, rows, firm_of, active, promoters, detractors, value, firms)
    got = choice.neighbour_counts(
        c.indptr, c.indices, rows, firm_of, active, promoters, detractors, value, firms
    )
    for w, g in zip(want, got, strict=True):
        np.testing.assert_array_equal(g, w)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), slots=st.integers(0, 20), firms=st.integers(1, 4), seed=SEEDS)
def test_positive_voice_is_the_sum_of_the_positive_net_word_of_mouth(n, slots, firms, seed):
    c, firm_of, active, promoters, detractors, value, rows = _heard(n, slots, firms, seed, 0.3)
    net, _, _ = _community_by_firm_numpy(
        c, rows, firm_of, active, promoters, detractors, value, firms
    )
    want = np.maximum(net, 0.0).sum(axis=1)
    got = choice.positive_voice(
        c.indptr, c.indices, rows, firm_of, active, promoters, detractors, firms
    )
    np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 80), firms=st.integers(1, 4), masked=st.booleans(), seed=SEEDS)
def test_count_by_firm_is_the_bincount_of_the_gather(n, firms, masked, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(0, firms, size=n).astype(np.int16)
    cust = rng.integers(0, n, size=int(rng.integers(0, 2 * n)))
    where = rng.random(len(cust)) < 0.5 if masked else np.zeros(0, dtype=bool)
    chosen = cust[where] if masked else cust
    want = np.bincount(firm_of[chosen], minlength=firms)
    np.testing.assert_array_equal(choice.count_by_firm(firm_of, cust, where, firms), want)
    with pytest.raises(ValueError):  # a customer of no firm, as bincount refuses -1
        choice.count_by_firm(np.full(n, -1, dtype=np.int16), np.arange(n), where[:0], firms)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 300), firms=st.integers(1, 4), seed=SEEDS)
def test_firm_counts_are_the_bincount_of_the_masked_firms(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(-1, firms, size=n).astype(np.int16)
    mask = (rng.random(n) < 0.7) & (firm_of >= 0)
    want = np.bincount(firm_of[mask], minlength=firms)
    got = choice.firm_counts(firm_of, mask, firms)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    if n:
        with pytest.raises(ValueError):  # a masked customer of no firm, as bincount refuses -1
            choice.firm_counts(np.full(n, -1, dtype=np.int16), np.ones(n, dtype=bool), firms)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 300), firms=st.integers(1, 4), seed=SEEDS)
def test_firm_rates_are_the_numpy_gather(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(-1, firms, size=n).astype(np.int16)
    rates = rng.random(firms)
    np.testing.assert_array_equal(choice.firm_rates(rates, firm_of), rates[np.maximum(firm_of, 0)])


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 300), firms=st.integers(1, 4), segments=st.integers(1, 6), seed=SEEDS)
def test_offer_rows_are_the_numpy_rows(n, firms, segments, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(-1, firms, size=n).astype(np.int16)
    segment = rng.integers(0, segments, size=n).astype(np.int8)
    want = np.maximum(firm_of, 0).astype(np.int64) * segments + segment
    got = choice.offer_rows(firm_of, segment, segments)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), m=st.integers(0, 33), seed=SEEDS)
def test_start_afresh_writes_what_the_numpy_code_wrote(n, m, seed) -> None:
    rng = np.random.default_rng(seed)
    state = {
        "profile": rng.integers(-1, 2, size=(n, m)).astype(np.int8),
        "profile_time": rng.integers(0, 50, size=(n, m)).astype(np.int16),
        "profile_known": rng.random(n),
        "profile_time_sum": rng.random(n),
        "reported": rng.random(n),
        "understood": rng.random((n, m)) < 0.5,
        "offer_knowledge": rng.random(n),
    }
    want = {k: v.copy() for k, v in state.items()}
    fresh = rng.choice(n, size=int(rng.integers(0, n + 1)), replace=False)
    drawn = rng.random((len(fresh), m)) < 0.3
    want["profile"][fresh] = 0
    want["profile_time"][fresh] = 0
    want["profile_known"][fresh] = 0.0
    want["profile_time_sum"][fresh] = 0.0
    want["reported"][fresh] = np.nan
    want["understood"][fresh] = drawn
    want["offer_knowledge"][fresh] = market.row_count(want["understood"][fresh]) / max(m, 1)
    choice.start_afresh(fresh, drawn, *state.values())
    for name, w in want.items():
        np.testing.assert_array_equal(state[name], w, err_msg=name)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 200), k=st.integers(1, 5), seed=SEEDS)
def test_drawn_columns_are_the_numpy_draw(n, k, seed) -> None:
    rng = np.random.default_rng(seed)
    weights = np.exp(10.0 * rng.normal(size=(n, k)))
    weights[rng.random((n, k)) < 0.2] = 0.0  # alternatives not available
    weights[rng.random((n, k)) < 0.02] = np.nan
    u = rng.random(n)
    u[: n // 8] = 0.0
    cumulative = np.cumsum(weights, axis=1)
    want = np.minimum((cumulative <= u[:, None] * cumulative[:, -1:]).sum(axis=1), k - 1)
    np.testing.assert_array_equal(choice.drawn_columns(weights, u), want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 80), firms=st.integers(1, 4), seed=SEEDS)
def test_firm_means_are_the_two_bincounts_divided(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(0, firms, size=n).astype(np.int8)
    active = rng.random(n) < 0.5
    value = rng.random(n)
    firm = firm_of[active].astype(np.int64)
    count = np.bincount(firm, minlength=firms)
    total = np.bincount(firm, value[active], minlength=firms)
    want = np.where(count > 0, total / np.maximum(count, 1), 0.45)
    np.testing.assert_array_equal(choice.firm_means(firm_of, active, value, firms, 0.45), want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), firms=st.integers(1, 4), nans=st.booleans(), seed=SEEDS)
def test_best_rivals_are_the_numpy_max_without_the_own_firm(n, firms, nans, seed) -> None:
    # each active customer's best rival from the (rows, F) expectations numpy would build:
    # the three bincounts, the reputation prior, its own firm's column at -inf, the
    # reference's floor; the reference for everyone else
    rng = np.random.default_rng(seed)
    c = sp.random(n + 5, n + 5, density=0.2, format="csr", random_state=rng)
    firm_of = rng.integers(0, firms, size=n).astype(np.int16)
    active = rng.random(n) < 0.7
    firm_of[~active & (rng.random(n) < 0.5)] = -1  # an active customer always has a firm
    value = rng.random(n)
    if nans:
        value[rng.random(n) < 0.05] = np.nan
    rows = np.flatnonzero(active)
    quiet = np.zeros(n, dtype=bool)
    _, total, count = _community_by_firm_numpy(c, rows, firm_of, active, quiet, quiet, value, firms)
    reputation, reach = rng.random((2, firms))
    x = choice.expected_values(total, count, reputation, reach, 0.45, 3.0)
    x[np.arange(len(rows)), firm_of[rows]] = -np.inf
    want = np.full(n, 0.45)
    want[rows] = np.maximum(0.45, x.max(axis=1)) if len(rows) else np.empty(0)
    prior = choice.weighted_prior(reputation, reach, 0.45, 3.0)
    got = choice.best_rivals(c.indptr, c.indices, firm_of, active, value, prior, 3.0, 0.45)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 80), firms=st.integers(1, 4), seed=SEEDS)
def test_pay_by_firm_is_the_numpy_payment_and_two_bincounts(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    active, leaving = rng.random((2, n)) < [[0.7], [0.2]]
    firm_of = np.where(active, rng.integers(0, firms, size=n), -1).astype(np.int16)
    margin = rng.normal(1.0, 2.0, size=n)
    firm_discount = rng.random((n, firms)) + 0.01
    realised = rng.random(n)
    discount = float(rng.random())
    want_realised = realised.copy()  # competition.settle's numpy code before the kernel
    staying = active & ~leaving
    paid = margin * (staying * discount)
    want_realised += paid
    payers = np.flatnonzero(staying)
    firm_paid = firm_of[payers]
    equity = np.bincount(firm_paid, paid[payers], minlength=firms)
    at_won = np.bincount(
        firm_paid, paid[payers] / firm_discount[payers, firm_paid], minlength=firms
    )
    got = choice.pay_by_firm(
        active, leaving, margin, realised, discount, firm_of, firm_discount, firms
    )
    for g, w in zip(got, (staying, equity, at_won), strict=True):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(realised, want_realised)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    m=st.integers(1, 6),
    firms=st.integers(1, 4),
    rows=st.booleans(),
    seed=SEEDS,
)
def test_thinned_keeps_the_numpy_thinning(n, m, firms, rows, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(-1, firms, size=n).astype(np.int16)
    contacted = rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False) if rows else None
    owners = n if contacted is None else len(contacted)
    cells = np.flatnonzero(rng.random(owners * m) < 0.5)
    rates = rng.random(firms)
    top = float(rates.max())
    u = rng.random(len(cells))
    cust = cells // m if contacted is None else contacted[cells // m]
    want = cells[u * top < rates[np.maximum(firm_of[cust], 0)]]  # for_customers' numpy code
    given_rows = np.empty(0, dtype=np.int64) if contacted is None else contacted
    got = choice.thinned(cells, given_rows, m, u, top, rates, firm_of)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), m=st.integers(1, 6), firms=st.integers(1, 4), seed=SEEDS)
def test_teach_writes_and_counts_as_numpy(n, m, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(0, firms, size=n).astype(np.int16)
    cells = np.flatnonzero(rng.random(n * m) < 0.3)
    flat = rng.random(n * m) < 0.5
    want_flat = flat.copy()
    want_flat[cells] = True  # for_customers' numpy code
    learner = cells // m
    taught = learner[np.diff(learner, prepend=-1) != 0]
    lessons, reached, total = choice.teach(cells, m, flat, firm_of, firms)
    np.testing.assert_array_equal(flat, want_flat)
    np.testing.assert_array_equal(lessons, np.bincount(firm_of[learner], minlength=firms))
    np.testing.assert_array_equal(reached, np.bincount(firm_of[taught], minlength=firms))
    assert total == len(taught)
    if len(cells):  # a customer of no firm, as bincount refuses -1
        with pytest.raises(ValueError):
            choice.teach(cells, m, flat, np.full(n, -1, dtype=np.int16), firms)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), m=st.integers(1, 6), firms=st.integers(1, 4), seed=SEEDS)
def test_thin_and_teach_is_the_numpy_thinning_then_teaching(n, m, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(0, firms, size=n).astype(np.int16)
    cells = np.flatnonzero(rng.random(n * m) < 0.5)
    rates = rng.random(firms)
    top = float(rates.max())
    u = rng.random(len(cells))
    flat = rng.random(n * m) < 0.5
    kept = cells[u * top < rates[firm_of[cells // m]]]  # for_customers' numpy code
    want_flat = flat.copy()
    want_flat[kept] = True
    learner = kept // m
    taught = learner[np.diff(learner, prepend=-1) != 0]
    count, lessons, reached, total = choice.thin_and_teach(
        cells, m, u, top, rates, firm_of, flat, firms
    )
    assert count == len(kept)
    np.testing.assert_array_equal(flat, want_flat)
    np.testing.assert_array_equal(lessons, np.bincount(firm_of[learner], minlength=firms))
    np.testing.assert_array_equal(reached, np.bincount(firm_of[taught], minlength=firms))
    assert total == len(taught)
    if np.any(u * top < rates[0]):  # a kept customer of no firm (first firm's rate), refused
        with pytest.raises(ValueError):
            none = np.full(n, -1, dtype=np.int16)
            choice.thin_and_teach(cells, m, u, top, rates, none, flat, firms)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 60), firms=st.integers(1, 4), seed=SEEDS)
def test_members_by_firm_are_the_numpy_masks(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(-1, firms, size=n).astype(np.int16)
    active = rng.random(n) < 0.6
    rows = np.flatnonzero(active)  # targeting's numpy code, a mask per firm
    members, starts = choice.members_by_firm(active, firm_of, firms)
    assert len(starts) == firms + 1
    for f in range(firms):
        np.testing.assert_array_equal(members[starts[f] : starts[f + 1]], rows[firm_of[rows] == f])
    assert starts[firms] == len(members)


@settings(max_examples=60, deadline=None)
@given(employees=st.integers(0, 30), segments=st.integers(1, 5), seed=SEEDS)
def test_above_norm_is_the_numpy_column_means(employees, segments, seed) -> None:
    rng = np.random.default_rng(seed)
    observed = rng.random((employees, segments))
    observed[rng.random(observed.shape) < 0.4] = np.nan
    seen = ~np.isnan(observed)  # the numpy code the kernel replaced
    count = seen.sum(axis=0)
    total = np.where(seen, observed, 0.0).sum(axis=0)
    norm = np.where(count > 0, total / np.maximum(count, 1), np.inf)
    with np.errstate(invalid="ignore"):
        want = seen & (observed > norm)
    np.testing.assert_array_equal(kernels.above_norm(observed), want)


def _picked(teams: list[np.ndarray], firm: np.ndarray, key: np.uint64, cell: np.ndarray):
    """A member of each item's firm's team, as the flow's stage picked it with numpy."""
    sizes = np.array([len(t) for t in teams])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pool = np.concatenate(teams).astype(np.int64)
    return pool[starts[firm] + (draws.uniform_at(key, cell) * sizes[firm]).astype(np.int64)]


@settings(max_examples=60, deadline=None)
@given(items=st.integers(0, 40), firms=st.integers(1, 3), seed=SEEDS)
def test_routes_are_the_draws_picks_and_absorbing_passes_they_replace(items, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    per_firm, segments, m, n = 6, 3, 5, 30
    employee_firm = np.repeat(np.arange(firms), per_firm)
    beliefs = _signs(rng, (firms * per_firm, segments, m), zeros=True)
    segment = rng.integers(segments, size=n)
    cells = rng.choice(n * m, size=items, replace=False)
    cust, dims = cells // m, cells % m
    value = _signs(rng, (items,), zeros=False)
    firm = rng.integers(firms, size=items)
    serving = firm * per_firm + rng.integers(per_firm, size=items)
    keys = rng.integers(2**63, size=8).astype(np.uint64)
    direct_rate, relay_rate, absorption = rng.random((3, firms))
    own_channel = rng.random(firms) < 0.3
    teams = {  # each firm's team: some of its employees (the first firm's maybe none)
        name: [
            np.flatnonzero((employee_firm == f) & (rng.random(len(employee_firm)) < 0.5))
            if f == 0
            else np.flatnonzero(employee_firm == f)[: rng.integers(1, per_firm + 1)]
            for f in range(firms)
        ]
        for name in ("channel", "product")
    }
    # the numpy stage the kernel replaced: three draws, two picks, three absorbing passes
    want = beliefs.copy()
    direct = draws.below(keys[0], cells, direct_rate[firm])
    crosses = draws.below(keys[1], cells, relay_rate[firm])
    channel_crosses = draws.below(keys[2], cells, relay_rate[firm])
    every = np.arange(items)
    learnt = [
        kernels.absorb(
            want, serving, segment, cust, dims, value, every, keys[3], absorption, employee_firm
        )
    ]
    channel = direct & ~own_channel[firm]
    if channel.any() and len(teams["channel"][0]):
        hearer = _picked(teams["channel"], firm, keys[4], cells)
        learnt.append(
            kernels.absorb(
                want,
                hearer,
                segment,
                cust,
                dims,
                value,
                np.flatnonzero(channel),
                keys[5],
                absorption,
                employee_firm,
            )
        )
    to_product = crosses | (direct & (channel_crosses | own_channel[firm]))
    if to_product.any() and len(teams["product"][0]):
        receiver = _picked(teams["product"], firm, keys[6], cells)
        learnt.append(
            kernels.absorb(
                want,
                receiver,
                segment,
                cust,
                dims,
                value,
                np.flatnonzero(to_product),
                keys[7],
                absorption,
                employee_firm,
            )
        )
    else:
        to_product[:] = False
    got = routes.routes(
        beliefs,
        segment,
        cust,
        dims,
        value,
        serving,
        firm,
        keys,
        direct_rate,
        relay_rate,
        own_channel,
        absorption,
        employee_firm,
        world_pool(teams["channel"]),
        world_pool(teams["product"]),
    )
    np.testing.assert_array_equal(beliefs, want)
    for mask, expected in zip(got[:3], (direct, to_product, crosses), strict=True):
        np.testing.assert_array_equal(mask, expected)
    np.testing.assert_array_equal(got[3], np.concatenate(learnt))
