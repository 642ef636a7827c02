"""The compiled Philox uniforms (ckm_sim/model/philox.py) are numpy's, bit for bit, and leave
the generator where numpy leaves it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model import philox

SEEDS = st.integers(0, 2**32 - 1)
#: numpy's draws a model stage makes, one of which may come between uniforms
DRAWS = ("random", "integers", "standard_exponential", "normal")


def _pair(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Two Philox generators in the same state: a random key, counter words and position."""
    rng = np.random.default_rng(seed)
    key = rng.integers(0, 2**64, size=2, dtype=np.uint64)
    bits = np.random.Philox(key=key)
    state = bits.state
    state["state"]["counter"][1:] = rng.integers(0, 2**64, size=3, dtype=np.uint64)
    bits.state = state
    first = np.random.Generator(bits)
    first.random(int(rng.integers(0, 9)))  # anywhere inside a block
    second = np.random.Generator(np.random.Philox(key=key))
    second.bit_generator.state = first.bit_generator.state
    return first, second


@settings(max_examples=40, deadline=None)
@given(
    seed=SEEDS,
    steps=st.lists(st.tuples(st.sampled_from(DRAWS), st.integers(0, 3 * philox.SMALL)), max_size=5),
)
def test_random_is_numpys_and_leaves_the_generator_where_numpy_does(seed, steps) -> None:
    numpy_rng, compiled_rng = _pair(seed)
    for kind, n in steps:
        if kind == "random":
            expected, got = numpy_rng.random(n), philox.random(compiled_rng, n)
        elif kind == "integers":  # 32-bit draws: a half-used word is kept between calls
            expected, got = numpy_rng.integers(30, size=n), compiled_rng.integers(30, size=n)
        else:
            expected, got = getattr(numpy_rng, kind)(size=n), getattr(compiled_rng, kind)(size=n)
        np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(compiled_rng.random(7), numpy_rng.random(7))
    np.testing.assert_array_equal(compiled_rng.integers(30, size=5), numpy_rng.integers(30, size=5))


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, rows=st.integers(0, 300), cols=st.integers(1, 40))
def test_a_shape_is_filled_as_numpy_fills_it(seed, rows, cols) -> None:
    numpy_rng, compiled_rng = _pair(seed)
    got = philox.random(compiled_rng, (rows, cols))
    assert got.shape == (rows, cols)
    np.testing.assert_array_equal(got, numpy_rng.random((rows, cols)))


def test_other_generators_are_numpys_own() -> None:
    a, b = np.random.default_rng(3), np.random.default_rng(3)
    np.testing.assert_array_equal(philox.random(a, philox.SMALL + 5), b.random(philox.SMALL + 5))


def test_a_block_is_numpys_across_a_carry_of_the_counter() -> None:
    """Counter word 0 at its largest value: the block numpy draws next is counter (0, c1 + 1)."""
    bits = np.random.Philox(key=np.array([5, 9], dtype=np.uint64))
    state = bits.state
    state["state"]["counter"][:] = [2**64 - 1, 4, 6, 8]
    bits.state = state
    words = np.random.Generator(bits).bit_generator.random_raw(4)
    key = np.uint64(5), np.uint64(9)
    c = [np.uint64(x) for x in (0, 5, 6, 8)]
    assert list(philox.block(*key, *c)) == list(words)
