"""A run of T periods does not depend on the scenario's horizon (docs/ODD.md sections 2, 5, 7.0).

Every customer slot up to the horizon (``periods``) is preallocated and drawn at build time, and
a run beyond it adds slots; each period's arrivals are drawn from their own stream, keyed by their
first slot, so the first T periods are the same, bit for bit, whatever horizon the slots were
drawn for: the newcomers' needs, understanding, traits, serving employees and community ties, and
so word of mouth and community learning, which read the ties of the customers already present.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckm_sim import CKMModel
from ckm_sim.model.runs import replication_seed, run_scenario
from ckm_sim.model.scenario import load_scenario

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

#: per-customer state compared over the slots in the market after the run
COMPARED = ("status", "needs", "understood", "satisfaction", "value", "profile", "firm_of")


@st.composite
def markets(draw):
    """Flat keyword parameters of a small market, growing or not, with or without a community."""
    return dict(
        customers=draw(st.integers(0, 400)),
        prospects=draw(st.integers(0, 120)),
        employees=draw(st.integers(5, 15)),
        it_systems=draw(st.sampled_from([0.2, 0.5, 0.8])),
        community=draw(st.sampled_from(["small_world", "scale_free", "none"])),
        community_degree=draw(st.integers(0, 8)),
        community_learning=draw(st.sampled_from([0.0, 0.3, 1.0])),
        word_of_mouth=draw(st.sampled_from([0.0, 0.2, 0.5])),
        market_growth=draw(st.sampled_from([0.0, 0.003, 0.01, 0.1])),
    )


def same(a: dict, b: dict) -> list[str]:
    """The summary values that differ (NaN equals NaN; floats compared bit for bit)."""
    assert a.keys() == b.keys()
    return [
        k
        for k in a
        if not (
            a[k] == b[k]
            or (
                isinstance(a[k], float)
                and isinstance(b[k], float)
                and math.isnan(a[k])
                and math.isnan(b[k])
            )
        )
    ]


def run(params: dict, horizon: int, n_periods: int, seed: int) -> CKMModel:
    return CKMModel(rng=seed, collect=False, periods=horizon, **params).run(n_periods)


@SETTINGS
@given(
    params=markets(),
    n_periods=st.integers(1, 12),
    longer=st.integers(0, 150),
    seed=st.integers(0, 2**32 - 1),
)
def test_first_periods_do_not_depend_on_the_horizon(params, n_periods, longer, seed):
    short = run(params, n_periods, n_periods, seed)
    long = run(params, n_periods + longer, n_periods, seed)
    assert same(short.summary(), long.summary()) == []
    n = len(short.state.status)
    assert len(long.state.status) == n
    for name in COMPARED:
        np.testing.assert_array_equal(getattr(short.state, name), getattr(long.state, name), name)
    np.testing.assert_array_equal(
        short.state.slots["serving_employee"][:n], long.state.slots["serving_employee"][:n]
    )
    present = long.community.matrix[:n, :n]
    assert (short.community.matrix[:n, :n] != present).nnz == 0


@SETTINGS
@given(params=markets(), horizon=st.integers(1, 11), seed=st.integers(0, 2**32 - 1))
def test_slots_added_beyond_the_horizon_are_the_ones_a_longer_horizon_draws(params, horizon, seed):
    """A run beyond the horizon adds slots (open_market): they hold the newcomers a scenario with
    a longer horizon drew at build time."""
    params = {**params, "market_growth": max(params["market_growth"], 0.01)}
    beyond = run(params, horizon, 12, seed)
    built = run(params, 12, 12, seed)
    n = len(built.state.status)
    assert len(beyond.state.status) == n
    for name in COMPARED:
        np.testing.assert_array_equal(getattr(beyond.state, name), getattr(built.state, name), name)
    assert (beyond.community.matrix[:n, :n] != built.community.matrix[:n, :n]).nnz == 0


@pytest.mark.parametrize("name", ["baseline", "duopoly"])
def test_shipped_scenarios_first_year_whatever_the_horizon(name):
    """The reported case (a year of a small baseline, seed replication_seed(7, 2)) and a market
    of firms: the same summary for a horizon of one year and of ten."""
    overrides = dict(customers=150, prospects=60, employees=12, it_systems=0.8)
    seed = replication_seed(7, 2)
    base = load_scenario(name)
    summaries = [
        run_scenario(base.with_overrides(periods=p, **overrides), seed=seed, periods=12).summary
        for p in (12, 120)
    ]
    assert same(*summaries) == []
