"""Packed masks (ckm_sim/model/bits.py) equal their unpacked numpy reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model import bits, market

masks = st.tuples(
    st.integers(0, 300), st.integers(1, 200), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1)
).map(lambda a: np.random.default_rng(a[3]).random((a[0], a[1])) < a[2])


def reference_pack(mask: np.ndarray) -> np.ndarray:
    """Bit d % 32 of word d // 32 set where mask[:, d], one dimension at a time."""
    out = np.zeros((mask.shape[0], bits.words(mask.shape[1])), dtype=np.uint64)
    for d in range(mask.shape[1]):
        out[:, d // 32] |= mask[:, d].astype(np.uint64) << np.uint64(d % 32)
    return out


@settings(max_examples=80, deadline=None)
@given(mask=masks, reverse=st.booleans())
def test_pack_rows_sets_one_bit_per_true_entry(mask, reverse) -> None:
    if reverse:
        mask = mask[::-1, ::-1]  # not contiguous
    packed = bits.pack_rows(mask)
    assert packed.dtype == np.uint32
    np.testing.assert_array_equal(packed, reference_pack(mask))
    np.testing.assert_array_equal(bits.count_rows(packed), mask.sum(axis=1))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), m=st.integers(1, 100), rows=st.integers(0, 60))
def test_packed_intersections_count_like_the_masks(data, m, rows) -> None:
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a, b = rng.random((2, rows, m)) < rng.random((2, 1, 1))
    got = bits.count_rows(bits.pack_rows(a) & bits.pack_rows(b))
    np.testing.assert_array_equal(got, (a & b).sum(axis=1))


@settings(max_examples=60, deadline=None)
@given(
    m=st.integers(1, 80),
    rows=st.integers(0, 50),
    p=st.sampled_from([0.0, 0.3, 0.77, 1.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_delivered_share_packed_is_bit_identical(m, rows, p, seed) -> None:
    rng = np.random.default_rng(seed)
    standard, known, right = rng.random((3, rows, m)) < 0.5
    want = market.delivered_share(standard, known, right, p)
    pk = bits.pack_rows
    got = market.delivered_share_packed(pk(standard), pk(known), pk(right), p, m)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@given(m=st.integers(1, 200))
def test_valid_has_exactly_the_m_dimension_bits(m) -> None:
    ones = bits.pack_rows(np.ones((1, m), dtype=bool))
    np.testing.assert_array_equal(bits.valid(m), ones[0])
    assert bits.count_rows(~bits.pack_rows(np.zeros((1, m), bool)) & bits.valid(m))[0] == m
