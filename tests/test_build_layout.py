"""The build's fast paths give what the plain constructions give (issue 14, 10M customers).

Each fast path is checked against the plain numpy/scipy construction it replaces, written out
here: scipy's COO conversion for the adjacency, ``np.unique`` for the edge dedupe, the float
comparison ``rng.random(shape) < p`` for the integer test on the raw bits, the index formula
for the ring lattice; and a run past the horizon, which grows the slots at run time, keeps
the community matrix equal to the one of every tie drawn so far.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model import network, streams


def scipy_adjacency(edges: np.ndarray, n: int, weights: np.ndarray | None = None):
    """The symmetric matrix through scipy's COO conversion (duplicates summed, sorted)."""
    w = np.ones(len(edges)) if weights is None else weights
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    matrix = sp.csr_array((np.concatenate([w, w]), (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    return matrix


def assert_same_matrix(got: sp.csr_array, want: sp.csr_array) -> None:
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data, want.data)
    assert got.has_sorted_indices


edge_lists = st.tuples(
    st.integers(1, 60), st.integers(0, 300), st.integers(0, 2**32 - 1), st.booleans()
)


@settings(max_examples=80, deadline=None)
@given(case=edge_lists, sparse_labels=st.booleans())
def test_dedupe_is_numpy_unique_of_the_sorted_rows(case, sparse_labels) -> None:
    n, k, seed, negative = case
    rng = np.random.default_rng(seed)
    edges = rng.integers(-3 if negative else 0, n, size=(k, 2))
    if sparse_labels:  # labels far beyond the number of edges
        edges = edges * 10_000_019
    rows = np.sort(edges, axis=1)
    want = np.unique(rows[rows[:, 0] != rows[:, 1]], axis=0)
    got = network._dedupe(edges)
    np.testing.assert_array_equal(got, want.reshape(-1, 2))
    assert got.dtype == edges.dtype


@settings(max_examples=80, deadline=None)
@given(case=edge_lists, weighted=st.booleans())
def test_adjacency_is_scipys_conversion(case, weighted) -> None:
    # sorted distinct edges take the direct layout, any others scipy's conversion: both give
    # the canonical matrix of scipy's conversion
    n, k, seed, raw = case
    rng = np.random.default_rng(seed)
    edges = rng.integers(0, n, size=(k, 2))
    if not raw:
        edges = network._dedupe(edges).astype(np.int32)
    weights = rng.integers(1, 3, size=len(edges)).astype(np.float64) if weighted else None
    if raw and len(edges):  # self-loops and duplicates: only scipy's conversion
        edges = edges[edges[:, 0] != edges[:, 1]]
        weights = None if weights is None else weights[: len(edges)]
    assert_same_matrix(network.adjacency(edges, n, weights), scipy_adjacency(edges, n, weights))


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(2, 80),
    batches=st.lists(st.integers(0, 40), min_size=1, max_size=4),
    degree=st.integers(0, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_adjacency_of_runs_is_the_adjacency_of_their_concatenation(
    first, batches, degree, seed
) -> None:
    # the initial market's community, then batches of arrival slots tied to earlier slots
    rng = np.random.default_rng(seed)
    runs = [network.small_world(first, degree, 0.3, rng)]
    n = first
    for size in batches:
        runs.append(network.newcomer_ties(n, n + size, np.arange(3), degree, rng)[1])
        n += size
    got = network.adjacency_of_runs(runs, n)
    assert_same_matrix(got, scipy_adjacency(np.concatenate(runs), n))


def test_adjacency_of_runs_out_of_order_falls_back_to_one_list() -> None:
    # a later run whose columns come before an earlier run's in the same row
    runs = [np.array([[0, 5], [1, 6]]), np.array([[0, 2], [1, 3]])]
    got = network.adjacency_of_runs(runs, 7)
    assert_same_matrix(got, scipy_adjacency(np.concatenate(runs), 7))


@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, 40), degree=st.integers(0, 12), big=st.booleans())
def test_ring_lattice_ties_each_member_to_its_successors(size, degree, big) -> None:
    members = np.arange(size, dtype=np.int64) * (1000 if big else 1) + 7
    got = network.ring_lattice(members, degree)
    half = min(degree // 2, (size - 1) // 2) if size > 2 else min(degree // 2, size - 1)
    if size < 2 or half <= 0:
        assert got.shape == (0, 2)
        return
    src = np.repeat(np.arange(size), half)
    dst = (src + np.tile(np.arange(1, half + 1), size)) % size
    np.testing.assert_array_equal(got, np.column_stack([members[src], members[dst]]))
    assert got.dtype == members.dtype


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(["Philox", "PCG64", "PCG64DXSM", "SFC64", "MT19937"]),
    rows=st.integers(0, 300),
    cols=st.integers(1, 40),
    chunk=st.integers(1, 3000),
    p=st.one_of(
        st.floats(-0.5, 1.5),
        st.sampled_from([0.0, 1.0, 2.0**-53, 0.5, 1 - 2.0**-53, 0.1, 0.3]),
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_uniform_below_is_the_float_comparison(kind, rows, cols, chunk, p, seed) -> None:
    # the integer test on the raw bits (or the float one) gives the mask of one float draw,
    # and leaves the generator where that draw leaves it
    ours = np.random.Generator(getattr(np.random, kind)(seed))
    one = np.random.Generator(getattr(np.random, kind)(seed))
    got = streams.uniform_below(ours, (rows, cols), p, chunk=chunk)
    np.testing.assert_array_equal(got, one.random((rows, cols)) < p)
    blocks = np.random.Generator(getattr(np.random, kind)(seed))
    mask = np.empty((rows, cols), dtype=bool)
    for block, below in streams.uniform_blocks(blocks, (rows, cols), p, chunk=chunk):
        mask[block] = below
    np.testing.assert_array_equal(mask, got)
    assert ours.random() == one.random() == blocks.random()


def test_a_run_past_the_horizon_grows_the_slots_and_the_community() -> None:
    from ckm_sim import CKMModel

    model = CKMModel(
        rng=5, collect=False, customers=400, prospects=100, market_growth=0.05, periods=3
    )
    slots = len(model.state.slots["status"])
    model.run(12)  # arrivals beyond the third period need slots drawn at run time
    s, total = model.state, len(model.state.slots["status"])
    assert total > slots and len(s.status) > slots
    assert_same_matrix(model.community.matrix, scipy_adjacency(model.ties.community_edges, total))
    assert model.ties.serving_employee is s.slots["serving_employee"]
    np.testing.assert_array_equal(
        model.frontline_team[s.slots["serving_rank"]], s.slots["serving_employee"]
    )
    assert set(np.unique(s.slots["needs"])) <= {-1, 1}
    np.testing.assert_array_equal(
        s.slots["offer_knowledge"], s.slots["understood"].sum(axis=1) / s.needs.shape[1]
    )
