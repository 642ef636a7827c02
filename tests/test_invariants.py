"""Property tests (hypothesis) of the model's invariants over random small scenarios.

- shares (satisfaction, offer knowledge, value, hazard, accuracies, retention) stay in [0, 1];
- a customer's status only moves prospect -> active -> churned (-> prospect again after a
  win-back), and its dates agree with it; arrivals only add prospects (or customers acquired in
  their first period): active + prospects + churned = initial market + arrivals;
- net value is customer equity minus every cost, under both horizon conventions;
- with perfect capture and no turbulence, no CRM profile entry that is right ever becomes wrong;
- with every competence dimension at 0 and customers sharing nothing, no knowledge flows;
- the same seed gives identical results, different seeds different ones.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckm_sim import CKMModel
from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT
from ckm_sim.model.scenario import DIMENSIONS

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

SHARES = (
    "retention_rate",
    "mean_satisfaction",
    "mean_perceived_value",
    "offer_fit",
    "repository_accuracy",
    "code_accuracy",
    "employee_accuracy",
    "offer_knowledge",
)

unit = st.floats(0.0, 1.0)


@st.composite
def scenarios(draw, **fixed):
    """Flat keyword parameters of a small random model (``fixed`` entries override)."""
    params = {dim: draw(unit) for dim in DIMENSIONS}
    params.update(
        customers=draw(st.integers(0, 200)),
        prospects=draw(st.integers(0, 120)),
        employees=draw(st.integers(5, 25)),
        segments=draw(st.integers(1, 6)),
        need_dimensions=draw(st.integers(1, 16)),
        need_heterogeneity=draw(st.floats(0.0, 0.5)),
        turbulence=draw(st.sampled_from([0.0, 0.02, 0.3])),
        community=draw(st.sampled_from(["small_world", "scale_free", "none"])),
        community_degree=draw(st.integers(0, 8)),
        contact_rate=draw(unit),
        dims_per_contact=draw(st.integers(0, 5)),
        dims_per_feedback=draw(st.integers(0, 5)),
        tailoring=draw(unit),
        employee_turnover=draw(st.sampled_from([0.0, 0.05, 0.5])),
        intra_department_ties=draw(st.integers(0, 6)),
        max_cross_department_ties=draw(st.integers(0, 6)),
        satisfaction_sensitivity=draw(st.floats(0.0, 50.0)),
        churn_floor=draw(st.floats(0.0, 0.2)),
        competitor_pull=draw(st.floats(0.0, 0.8)),
        base_acquisition=draw(st.floats(0.0, 0.2)),
        word_of_mouth=draw(st.floats(0.0, 0.5)),
        market_growth=draw(st.sampled_from([0.0, 0.01, 0.1])),
        winback_rate=draw(st.sampled_from([0.0, 0.3, 1.0])),
        winback_cooloff=draw(st.integers(1, 4)),
        loyalty_spread=draw(st.sampled_from([0.0, 0.8, 3.0])),
        margin_spread=draw(st.sampled_from([0.0, 1.0])),
        horizon_value=draw(st.sampled_from(["horizon", "residual"])),
    )
    if draw(st.booleans()):
        params["fixed_churn"] = draw(unit)
    params.update(fixed)
    return params


periods = st.integers(1, 12)
seeds = st.integers(0, 2**32 - 1)


def in_unit(values: np.ndarray) -> bool:
    return bool(((values >= 0.0) & (values <= 1.0)).all())


def check_state(model: CKMModel) -> None:
    s = model.state
    for name in ("satisfaction", "offer_knowledge", "value", "hazard"):
        assert in_unit(getattr(s, name)), name
    for name in SHARES:
        value = model.outcomes[name]
        assert math.isnan(value) or 0.0 <= value <= 1.0, (name, value)
    assert model.outcomes["active_customers"] == int((s.status == ACTIVE).sum())
    for name in ("beliefs", "code", "profile"):
        assert set(np.unique(getattr(s, name))) <= {-1, 0, 1}, name
    assert s.understood.dtype == bool
    np.testing.assert_allclose(s.offer_knowledge, s.understood.mean(axis=1))
    for name in ("truth", "offer", "needs"):
        assert set(np.unique(getattr(s, name))) <= {-1, 1}, name
    # turbulence moves needs with their segment's truth: each customer's deviation from its
    # segment (every slot's, arrivals' included) is the one drawn when the model was built
    if model.seed is not None:
        built = CKMModel(model.scenario_config, rng=model.seed, collect=False).state
        rows = min(len(s.slots["needs"]), len(built.slots["needs"]))
        now = s.slots["needs"][:rows] * s.truth[s.slots["segment"][:rows]]
        then = built.slots["needs"][:rows] * built.truth[built.slots["segment"][:rows]]
        np.testing.assert_array_equal(now, then)
    # status and dates agree: customers and former customers were acquired; former customers
    # churned after it; a prospect with a past (won back) has churned before
    assert (s.acquired_at[s.status != PROSPECT] >= 0).all()
    assert (s.churned_at[s.status == CHURNED] >= 0).all()
    np.testing.assert_array_equal(s.lapsed_at >= 0, s.churned_at >= 0)
    np.testing.assert_array_equal(
        s.acquired_at[s.status == PROSPECT] >= 0, s.churned_at[s.status == PROSPECT] >= 0
    )
    was = s.churned_at >= 0
    assert (s.churned_at[was] > s.acquired_at[was]).all()
    assert (s.lapsed_at[was] >= s.churned_at[was]).all()
    # population accounting: every customer slot in use is a prospect, a customer or a former one
    n0 = model.scenario_config.market.customers + model.scenario_config.market.prospects
    assert len(s.status) == n0 + s.counters["arrivals"]
    assert np.isin(s.status, [PROSPECT, ACTIVE, CHURNED]).all()
    # net value identity
    summary = model.summary()
    costs = sum(
        summary[k]
        for k in ("investment_cost", "sustaining_cost", "acquisition_spend", "serving_cost")
    )
    assert summary["net_value"] == pytest.approx(summary["customer_equity"] - costs, abs=1e-6)
    assert min(summary[k] for k in ("sustaining_cost", "acquisition_spend", "serving_cost")) >= 0
    if model.scenario_config.economics.horizon_value == "horizon":
        assert summary["sustaining_cost"] == 0.0
        assert summary["customer_equity"] == pytest.approx(float(s.realised_pv0.sum()))


ALLOWED = {(PROSPECT, PROSPECT), (PROSPECT, ACTIVE), (ACTIVE, ACTIVE), (ACTIVE, CHURNED)}
ALLOWED |= {(CHURNED, CHURNED), (CHURNED, PROSPECT), (CHURNED, ACTIVE)}  # win-back


@SETTINGS
@given(scenarios(), periods, seeds)
def test_shares_in_unit_interval_and_status_moves_forward(params, n_periods, seed):
    model = CKMModel(rng=seed, collect=False, **params)
    check_state(model)
    initial = int((model.state.status == ACTIVE).sum())
    acquired = churned = 0
    for _ in range(n_periods):
        before = model.state.status.copy()
        lapsed = model.state.lapsed_at.copy()
        arrived = model.state.counters["arrivals"]
        model.step()
        n = len(before)
        after, new = model.state.status[:n], model.state.status[n:]
        assert len(new) == model.state.counters["arrivals"] - arrived
        pairs = set(zip(before.tolist(), after.tolist(), strict=True))
        assert pairs <= ALLOWED, pairs - ALLOWED
        assert np.isin(new, [PROSPECT, ACTIVE]).all()  # arrivals are prospects
        # a lapsed customer returns only after the cool-off
        back = (before == CHURNED) & (after != CHURNED)
        cooloff = model.scenario_config.market.winback_cooloff
        assert (lapsed[back] <= model.steps - cooloff).all()
        acquired += model.outcomes["acquisitions"]
        churned += model.outcomes["churned"]
        assert model.outcomes["acquisitions"] == int(
            ((before != ACTIVE) & (after == ACTIVE)).sum() + (new == ACTIVE).sum()
        )
        assert model.outcomes["churned"] == int(((before == ACTIVE) & (after == CHURNED)).sum())
        check_state(model)
    assert model.outcomes["active_customers"] == initial + acquired - churned
    summary = model.summary()
    for name in ("mean_retention_rate", "final_retention_rate", *SHARES[1:]):
        assert math.isnan(summary[name]) or 0.0 <= summary[name] <= 1.0, name


@SETTINGS
@given(
    scenarios(turbulence=0.0, capture=1.0, capture_fidelity=1.0, market_growth=0.0),
    periods,
    seeds,
)
def test_perfect_capture_without_turbulence_never_loses_profile_accuracy(params, n_periods, seed):
    model = CKMModel(rng=seed, collect=False, **params)
    s = model.state
    right = s.profile == s.needs
    accuracy = right.mean(axis=1)
    for _ in range(n_periods):
        recorded = s.profile.copy()
        model.step()
        now_right = s.profile == s.needs
        assert not (right & ~now_right).any(), "a right profile entry became wrong"
        changed = s.profile != recorded
        assert (now_right[changed]).all(), "a capture recorded a wrong need"
        now_accuracy = now_right.mean(axis=1)
        assert (now_accuracy >= accuracy).all()
        right, accuracy = now_right, now_accuracy


@SETTINGS
@given(
    scenarios(
        **dict.fromkeys(DIMENSIONS, 0.0),
        dims_per_contact=0,
        dims_per_feedback=0,
        market_growth=0.0,
    ),
    periods,
    seeds,
)
def test_no_competence_and_no_sharing_means_no_knowledge_flow(params, n_periods, seed):
    model = CKMModel(rng=seed, collect=False, **params)
    s = model.state
    code, profile, offer = s.code.copy(), s.profile.copy(), s.offer.copy()
    frozen_beliefs = params["employee_turnover"] == 0.0
    beliefs = s.beliefs.copy()
    for _ in range(n_periods):
        knowledge = s.offer_knowledge.copy()
        understood = s.understood.copy()
        status = s.status.copy()
        model.step()
        np.testing.assert_array_equal(s.code, code)
        np.testing.assert_array_equal(s.profile, profile)
        np.testing.assert_array_equal(s.offer, offer)
        if frozen_beliefs:
            np.testing.assert_array_equal(s.beliefs, beliefs)
        # offer knowledge only decays; a newly acquired customer starts from the initial level
        old = ~((status != ACTIVE) & (s.status == ACTIVE))
        assert (s.offer_knowledge[old] <= knowledge[old]).all()
        # cell by cell: customers only forget; prospects' understanding is frozen
        assert not (s.understood & ~understood).any(), "a customer learned something"
        frozen = s.status == PROSPECT
        np.testing.assert_array_equal(s.understood[frozen], understood[frozen])
        assert model.outcomes["knowledge_from_customers"] == 0.0
    assert model.summary()["knowledge_from_customers"] == 0.0


SMALL = dict(customers=150, prospects=80, employees=12, need_dimensions=10)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(seeds, st.sampled_from(["baseline", "it_only", "co_creation"]))
def test_same_seed_same_results_different_seed_different(seed, name):
    def run(s: int) -> tuple[dict, pd.DataFrame]:
        model = CKMModel(name, rng=s, **SMALL).run(15)
        return model.summary(), model.timeseries()

    summary_a, series_a = run(seed)
    summary_b, series_b = run(seed)
    assert summary_a == summary_b or all(
        a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))
        for a, b in zip(summary_a.values(), summary_b.values(), strict=True)
    )
    pd.testing.assert_frame_equal(series_a, series_b)
    summary_c, series_c = run(seed + 1)
    assert summary_c != summary_a
    assert not series_c.equals(series_a)


def test_seed_fixes_the_network_and_the_initial_state():
    a, b = CKMModel(rng=7, **SMALL), CKMModel(rng=7, **SMALL)
    for name in ("employee_edges", "community_edges", "serving_employee"):
        np.testing.assert_array_equal(getattr(a.ties, name), getattr(b.ties, name))
    for name in ("truth", "offer", "beliefs", "needs", "status"):
        np.testing.assert_array_equal(getattr(a.state, name), getattr(b.state, name))
    c = CKMModel(rng=8, **SMALL)
    assert not np.array_equal(a.state.beliefs, c.state.beliefs)
