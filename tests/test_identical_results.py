"""Speed-ups and refactors must not change what the model computes: fixed-seed runs stay the same.

The stored values (tests/data/identical_results.json, from benchmarks/store_identical_results.py)
come from the code before the speed-ups of the ``speed`` branch; regenerate them only for a
deliberate change of the model's results. Integer and boolean state must match bit for bit;
floats to 9 significant digits (:data:`REL`), because numpy's vectorised ``exp`` and sums differ
in their last bits between CPUs (the values stored on an AVX-512 machine differed from an AVX2
machine's in the 16th digit), while any change of the model's logic or random numbers moves
them by far more.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model import market

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "store_identical_results", ROOT / "benchmarks" / "store_identical_results.py"
)
assert _spec is not None and _spec.loader is not None
store = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(store)
STORED = json.loads((ROOT / "tests" / "data" / "identical_results.json").read_text())


#: Relative tolerance of a float: far below any change of the model, above a CPU's last bits.
REL = 1e-9


def _same(got: Any, want: Any) -> bool:
    """Whether two stored values agree: equal text, or floats within :data:`REL`."""
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and got.keys() == want.keys()
            and all(_same(got[k], want[k]) for k in want)
        )
    if got == want:
        return True
    try:
        a, b = float(got), float(want)
    except (TypeError, ValueError):
        return False
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


@pytest.mark.parametrize("case", store.CASES, ids=[c[0] for c in store.CASES])
def test_results_are_identical(case) -> None:
    name, scenario, overrides, periods = case
    got = store.result(scenario, overrides, periods)
    want = STORED[name]
    differ = [k for k in want["summary"] if not _same(got["summary"].get(k), want["summary"][k])]
    assert set(got["summary"]) == set(want["summary"]) and not differ, differ
    differ = [k for k in want["state"] if not _same(got["state"].get(k), want["state"][k])]
    assert set(got["state"]) == set(want["state"]) and not differ, differ


def test_the_comparison_sees_a_change_beyond_the_last_bits() -> None:
    # the tolerance forgives a CPU's last bits, never a change of what the model computes
    assert _same("189.5308966360707", "189.53089663607068")
    assert not _same("189.5308966360707", "189.5309")
    assert not _same({"sum": "1.0"}, {"sum": "1.0", "nan": "0"})
    assert not _same("abc", "abd")


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 9000),
    columns=st.integers(1, 520),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
    reverse=st.booleans(),
)
def test_row_count_counts_every_row_exactly(rows, columns, density, seed, reverse) -> None:
    rows = min(rows, 400_000 // columns)
    mask = np.random.default_rng(seed).random((rows, columns)) < density
    if reverse:
        mask = mask[:, ::-1]  # not contiguous: the plain path
    got = market.row_count(mask)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, mask.sum(axis=1))


def test_outcomes_read_late_equal_outcomes_read_every_period() -> None:
    # outcomes are computed when read: reading them every period or only once must not differ
    from ckm_sim import CKMModel

    params = dict(store.SMALL, market_growth=0.02, winback_rate=0.3, targeting=0.5)
    eager = CKMModel("baseline", rng=11, collect=False, **params)
    lazy = CKMModel("baseline", rng=11, collect=False, **params)
    for period in range(1, 13):
        eager.step()
        seen = dict(eager.outcomes)
        lazy.step()
        if period % 4 == 0:
            assert repr(lazy.outcomes) == repr(seen)
    assert lazy.retention_history == eager.retention_history
    collected = CKMModel("baseline", rng=11, collect=True, **params).run(12)
    assert repr(collected.outcomes) == repr(eager.outcomes)


@settings(max_examples=60, deadline=None)
@given(
    nodes=st.integers(1, 3000),
    edges=st.integers(0, 6000),
    seed=st.integers(0, 2**32 - 1),
)
def test_dedupe_keeps_what_unique_rows_kept(nodes, edges, seed) -> None:
    # the int64-key dedupe of undirected edges returns np.unique(axis=0)'s rows, in its order
    from ckm_sim.model.network import _dedupe

    drawn = np.random.default_rng(seed).integers(0, nodes, size=(edges, 2))
    ordered = np.sort(drawn, axis=1)
    want = np.unique(ordered[ordered[:, 0] != ordered[:, 1]], axis=0)
    got = _dedupe(drawn)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 400),
    cols=st.integers(1, 40),
    chunk=st.integers(1, 2000),
    p=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_uniform_below_in_blocks_is_one_draw(rows, cols, chunk, p, seed) -> None:
    # drawn a block of rows at a time, the mask and the generator's next number are unchanged
    from ckm_sim.model.streams import uniform_below

    ours, one = np.random.default_rng(seed), np.random.default_rng(seed)
    got = uniform_below(ours, (rows, cols), p, chunk=chunk)
    np.testing.assert_array_equal(got, one.random((rows, cols)) < p)
    assert ours.random() == one.random()


@settings(max_examples=60, deadline=None)
@given(
    slots=st.integers(1, 800),
    present=st.floats(0.0, 1.0),
    ties=st.integers(0, 3000),
    seed=st.integers(0, 2**32 - 1),
)
def test_neighbour_sum_is_the_matrix_product_on_the_rows(slots, present, ties, seed) -> None:
    # the prospects' rows read alone give what the whole matrix product gave them
    from ckm_sim.model.network import SlotGraph, _dedupe, adjacency

    rng = np.random.default_rng(seed)
    graph = SlotGraph(adjacency(_dedupe(rng.integers(0, slots, size=(ties, 2))), slots))
    n = max(1, int(present * slots))  # the slots in the market
    voice = rng.integers(-1, 2, size=n)
    rows = np.flatnonzero(rng.random(n) < 0.4)
    assert graph.unit
    got = graph.neighbour_sum(voice, rows)
    np.testing.assert_array_equal(got, (graph @ voice.astype(np.float64))[rows])


def test_recording_periods_past_int16_are_kept() -> None:
    # profile_time is int16 for runs up to period 32,767 and widens when a run goes beyond
    from ckm_sim import CKMModel

    model = CKMModel(rng=3, collect=False, customers=300, prospects=50, employees=20).run(2)
    assert model.state.profile_time.dtype == np.int16
    model.steps = 32_765
    model.run(4)
    s = model.state
    assert s.profile_time.dtype == np.int32
    assert s.profile_time.max() == model.steps  # recorded in the last period, not wrapped
    recorded = np.where(s.profile != 0, s.profile_time.astype(np.int64), 0).sum(axis=1)
    np.testing.assert_array_equal(s.profile_time_sum, recorded)
