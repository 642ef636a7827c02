"""The several-firm thinning kernels (ckm_sim/model/thinning.py) against the numpy code they
replace: positions drawn at the largest rate, the active customers' cells, one number of the
stage's generator per cell, kept at each firm's rate; the generator left where numpy leaves it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model import choice, draws, kernels, thinning

SEEDS = st.integers(0, 2**32 - 1)


def _generators(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Two generators in the same state (the stages' bit generator)."""
    return np.random.Generator(np.random.Philox(seed)), np.random.Generator(np.random.Philox(seed))


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(0, 60),
    m=st.integers(1, 6),
    firms=st.integers(1, 4),
    top=st.floats(0.01, 0.99),
    thin=st.booleans(),
    seed=SEEDS,
)
def test_broadcast_is_the_numpy_positions_thinning_and_teaching(
    n, m, firms, top, thin, seed
) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(0, firms, size=n).astype(np.int16)
    active = rng.random(n) < 0.7
    rates = rng.random(firms) * top
    rates[rng.integers(firms)] = top  # the largest rate is the one drawn at
    flat = rng.random(n * m) < 0.5
    key = np.uint64(rng.integers(2**63))
    mine, theirs = _generators(seed)
    # for_customers' code: positions, the active customers' cells, their numbers, kept
    cells = kernels.cells_of(draws.bernoulli_positions(key, n * m, top), active, m)
    want_flat = flat.copy()
    if thin:
        u = theirs.random(len(cells))
        want = choice.thin_and_teach(cells, m, u, top, rates, firm_of, want_flat, firms)
    else:
        want = (len(cells), *choice.teach(cells, m, want_flat, firm_of, firms))
    got = thinning.broadcast(key, top, flat, active, m, mine, rates, firm_of, firms, thin)
    assert got[0] == want[0] and got[3] == want[3]
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[2], want[2])
    np.testing.assert_array_equal(flat, want_flat)
    assert mine.random() == theirs.random()  # the generator moved on as numpy's
    if len(cells):  # a taught customer of no firm (every cell kept), refused as by bincount
        with pytest.raises(ValueError):
            none = np.full(n, -1, dtype=np.int16)
            everyone = np.full(firms, top)
            thinning.broadcast(key, top, flat, active, m, mine, everyone, none, firms, thin)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.integers(1, 50),
    customers=st.integers(1, 80),
    m=st.integers(1, 6),
    firms=st.integers(1, 4),
    top=st.floats(0.01, 0.99),
    seed=SEEDS,
)
def test_thinned_positions_are_the_numpy_positions_then_thinning(
    rows, customers, m, firms, top, seed
) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(-1, firms, size=customers).astype(np.int16)
    contacted = np.sort(rng.choice(customers, size=min(rows, customers), replace=False))
    rates = rng.random(firms) * top
    rates[rng.integers(firms)] = top
    key = np.uint64(rng.integers(2**63))
    mine, theirs = _generators(seed)
    n = len(contacted) * m
    explained = draws.bernoulli_positions(key, n, top)  # for_customers' code
    u = theirs.random(len(explained))
    want = choice.thinned(explained, contacted, m, u, top, rates, firm_of)
    got = thinning.thinned_positions(key, n, top, contacted, m, mine, rates, firm_of)
    np.testing.assert_array_equal(got, want)
    assert got.dtype == want.dtype
    assert mine.random() == theirs.random()
