"""The counter-based uniforms (ckm_sim/model/draws.py) and their keys (streams.RandomStreams.key).

The expected numbers come from a pure-Python SplitMix64 written here from its published
definition (Steele, Lea & Flood 2014; the reference C code of Vigna's xoshiro page), not from
the compiled code; the statistical checks state their tolerances.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ckm_sim.model import draws
from ckm_sim.model.streams import RandomStreams

MASK = (1 << 64) - 1


def splitmix64(state: int, count: int) -> list[int]:
    """The first ``count`` outputs of SplitMix64 seeded with ``state`` (reference code)."""
    out = []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        out.append(z ^ (z >> 31))
    return out


def test_known_answer():
    # the published outputs of SplitMix64 (Rosetta Code, "Pseudo-random numbers/Splitmix64":
    # seed 1234567; seed 0's first output as in Vigna's splitmix64.c), so the reference above
    # is the generator it claims to be
    assert splitmix64(1234567, 5) == [
        6457827717110365317,
        3203168211198807973,
        9817491932198370423,
        4593380528125082431,
        16408922859458223821,
    ]
    assert splitmix64(0, 1) == [0xE220A8397B1DCDAF]


@given(st.integers(0, MASK), st.integers(0, 300))
@settings(max_examples=60, deadline=None)
def test_uniforms_are_splitmix64s_top_53_bits(key, n):
    want = [(z >> 11) * 2.0**-53 for z in splitmix64(key, n)]
    assert draws.uniform(np.uint64(key), n).tolist() == want


@given(st.integers(0, MASK), st.lists(st.integers(0, 10_000), max_size=50))
@settings(max_examples=60, deadline=None)
def test_a_number_depends_on_its_index_only(key, index):
    # uniform_at draws the numbers uniform would give those indices, whichever others are drawn
    k = np.uint64(key)
    full = draws.uniform(k, 10_001)
    np.testing.assert_array_equal(draws.uniform_at(k, np.array(index, dtype=np.int64)), full[index])


@given(st.integers(0, MASK), st.lists(st.integers(0, 10_000), max_size=50), st.booleans())
@settings(max_examples=60, deadline=None)
def test_below_is_the_numbers_compared(key, index, per_element):
    # below(key, index, p) is the mask uniform_at(key, index) < p, for one p or one each
    k, at = np.uint64(key), np.array(index, dtype=np.int64)
    rng = np.random.default_rng(key % 1000)
    p = rng.random(len(at)) if per_element else float(rng.random())
    np.testing.assert_array_equal(draws.below(k, at, p), draws.uniform_at(k, at) < p)


def test_shape():
    got = draws.uniform(np.uint64(5), (3, 4))
    assert got.shape == (3, 4)
    np.testing.assert_array_equal(got.reshape(-1), draws.uniform(np.uint64(5), 12))


def test_uniform_on_the_unit_interval():
    # deciles of 200,000 numbers: a chi-square test at 1e-4, and the mean within 5 SE of 1/2
    u = draws.uniform(np.uint64(20261206), 200_000)
    assert u.min() >= 0.0 and u.max() < 1.0
    counts = np.histogram(u, bins=10, range=(0, 1))[0]
    assert stats.chisquare(counts).pvalue > 1e-4
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / len(u))


def test_neighbouring_keys_are_uncorrelated():
    # the streams of keys k and k + 1 (and of the keys of two sites): correlation within 5 SE
    n = 100_000
    a, b = draws.uniform(np.uint64(99), n), draws.uniform(np.uint64(100), n)
    assert abs(np.corrcoef(a, b)[0, 1]) < 5 / np.sqrt(n)
    streams = RandomStreams(np.random.default_rng(1))
    c = draws.uniform(streams.key("about", 3, "contact"), n)
    d = draws.uniform(streams.key("about", 3, "capture"), n)
    assert abs(np.corrcoef(c, d)[0, 1]) < 5 / np.sqrt(n)


def test_keys_differ_by_every_part():
    streams = RandomStreams(np.random.default_rng(7))
    base = streams.key("from", 4, "share", firm=0)
    others = [
        streams.key("about", 4, "share"),
        streams.key("from", 5, "share"),
        streams.key("from", -4, "share"),  # a burn-in period
        streams.key("from", 4, "direct"),
        streams.key("from", 4, "share", firm=1),
        RandomStreams(np.random.default_rng(8)).key("from", 4, "share"),
    ]
    assert len({int(base), *map(int, others)}) == 1 + len(others)
    assert streams.key("from", 4, "share") == base  # and the same parts give the same key


@given(st.integers(0, MASK), st.integers(-(2**40), 2**40))
@settings(max_examples=60, deadline=None)
def test_a_period_key_is_the_python_mix(prefix, period):
    # the compiled key of a period is SplitMix64's finaliser of prefix + GOLDEN (t mod 2**32)
    want = draws.mix(prefix + draws.GOLDEN * (period & 0xFFFFFFFF))
    assert int(draws.period_key(np.uint64(prefix), period)) == want


@given(st.lists(st.integers(0, MASK), max_size=20), st.integers(-(2**40), 2**40))
@settings(max_examples=40, deadline=None)
def test_a_periods_keys_at_once_are_each_prefixs_key(prefixes, period):
    got = draws.period_keys(np.array(prefixes, dtype=np.uint64), period)
    assert [int(k) for k in got] == [int(draws.period_key(np.uint64(p), period)) for p in prefixes]


def test_a_key_asked_again_or_in_another_order_is_the_same():
    # the period's keys are derived together when the period changes: asking in another order,
    # twice, for a site first seen mid-period or after another period changes none of them
    a, b = RandomStreams(np.random.default_rng(3)), RandomStreams(np.random.default_rng(3))
    sites = [("about", "contact"), ("from", "share"), ("churn", ""), ("for", "forget")]
    want = {(s, t): int(a.key(s, t, site)) for t in (5, -2, 6) for s, site in sites}
    for t in (6, 5, -2, 6):
        for s, site in reversed(sites):
            assert int(b.key(s, t, site)) == want[(s, t)]
            assert int(b.key(s, t, site)) == want[(s, t)]


def test_keys_do_not_depend_on_the_process():
    # site names are coded by CRC-32, not Python's per-process string hash
    code = (
        "import numpy as np; from ckm_sim.model.streams import RandomStreams; "
        "print(int(RandomStreams(np.random.default_rng(3)).key('for', 7, 'forget', firm=2)))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(keys) == 1
