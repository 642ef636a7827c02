"""Paired differences and their confidence intervals; allocation of a budget to levels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.experiments.stats import mean_ci, paired_difference, pairing_efficiency
from ckm_sim.model.levers import investment_cost
from ckm_sim.model.scenario import DIMENSIONS, Scenario
from ckm_sim.whatif.shared.allocation import (
    allocate,
    levels_for_spend,
    simplex_from_unit,
    spend_for_levels,
    unit_costs,
    unit_from_simplex,
)


def test_paired_difference_matches_a_hand_computed_interval():
    # differences 1, 2, 3: mean 2, sd 1; t(0.975, df=2) = 4.303 (printed tables)
    est = paired_difference([11.0, 12.0, 13.0], [10.0, 10.0, 10.0])
    assert est.mean == pytest.approx(2.0)
    assert est.sd == pytest.approx(1.0)
    assert est.low == pytest.approx(2.0 - 4.303 / np.sqrt(3), abs=1e-3)
    assert est.high == pytest.approx(2.0 + 4.303 / np.sqrt(3), abs=1e-3)
    assert not est.excludes_zero  # 2 - 2.484 < 0


def test_pairing_removes_shared_noise():
    rng = np.random.default_rng(1)
    shared = rng.normal(0, 100, size=30)
    a, b = shared + 1.0 + rng.normal(0, 1, 30), shared + rng.normal(0, 1, 30)
    assert paired_difference(a, b).half_width < 2.0  # the shared sd of 100 cancels
    assert pairing_efficiency(a, b) > 100


def test_interval_covers_the_true_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(2)
    hits = 0
    trials = 2000
    for _ in range(trials):
        est = mean_ci(rng.normal(3.0, 2.0, size=8))
        hits += est.low <= 3.0 <= est.high
    # binomial sd of the coverage over 2000 trials is 0.5%; allow 3 sd
    assert abs(hits / trials - 0.95) < 0.015


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=30))
def test_interval_contains_its_mean(values):
    est = mean_ci(values)
    assert est.low <= est.mean + 1e-6 and est.mean <= est.high + 1e-6


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.0, 5000.0), min_size=5, max_size=5),
    st.floats(1.0, 5.0),
)
def test_spend_buys_levels_that_cost_what_is_spent(spend, exponent):
    sc = Scenario().with_overrides(cost_exponent=exponent, cost_it_systems=500.0)
    spend = np.array(spend)
    levels = levels_for_spend(sc, spend)
    assert ((levels >= 0) & (levels <= 1)).all()
    # below a dimension's full cost the whole spend is used; above it, only the full cost
    expected = np.minimum(spend, unit_costs(sc))
    assert spend_for_levels(sc, levels) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert investment_cost(allocate(sc, spend)) == pytest.approx(expected.sum(), rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1e-6, 1.0), min_size=5, max_size=5))
def test_simplex_parametrisation(u):
    shares = simplex_from_unit(np.array(u))
    assert shares.sum() == pytest.approx(1.0)
    assert (shares >= 0).all()
    assert simplex_from_unit(unit_from_simplex(shares)) == pytest.approx(shares, abs=1e-9)


def test_even_spend_on_default_costs_reproduces_the_baseline_levels():
    sc = Scenario()
    # default costs 2000 and exponent 2: 500 per dimension buys level sqrt(500/2000) = 0.5
    assert levels_for_spend(sc, np.full(len(DIMENSIONS), 500.0)) == pytest.approx(0.5)
