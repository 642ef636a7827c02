"""The run's money and its open market: the horizon convention, costs, margins that differ,
loyalty that differs, arrivals and win-back, CLV per cohort (docs/ODD.md 7.3-7.5).

Expected values are derived here from the equations of docs/ODD.md, never copied from a run.
"""

from __future__ import annotations

import numpy as np
import pytest
from market_helpers import CLOSED_MARKET
from scipy import integrate, stats

from ckm_sim import CKMModel
from ckm_sim.model import economics
from ckm_sim.model.levers import derive_levers
from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT
from ckm_sim.model.scenario import Scenario, ScenarioError

SMALL = dict(customers=400, prospects=200, employees=15, need_dimensions=10)
Z = 4.0


def pinned_levers(**params) -> dict[str, float]:
    """Every lever pinned at the value the baseline derives: competence then acts on nothing
    but its cost (and inter-functional cooperation on cross-department ties)."""
    return derive_levers(Scenario().with_overrides(**params)).as_dict()


@pytest.mark.parametrize("convention", ["horizon", "residual"])
def test_a_competence_with_no_effect_changes_net_value_by_exactly_minus_its_cost(convention):
    params = SMALL | pinned_levers(**SMALL) | {"horizon_value": convention}
    periods, i = 24, 0.01
    low = CKMModel(rng=9, collect=False, **params, customer_cooperation=0.5).run(periods)
    high = CKMModel(rng=9, collect=False, **params, customer_cooperation=0.9).run(periods)
    a, b = low.summary(), high.summary()
    # the customers do exactly the same: equity, acquisitions and serving are identical
    for key in ("customer_equity", "acquisition_spend", "serving_cost", "total_acquisitions"):
        assert a[key] == b[key], key
    np.testing.assert_array_equal(low.state.status, high.state.status)
    # customer cooperation's cost of level 1 for this firm of 15 staff and 400 customers, from
    # the default parts of ODD 7.5: fixed 400, 8 per employee, 0.6 per customer
    extra = (400.0 + 8.0 * 15 + 0.6 * 400) * (0.9**2 - 0.5**2)  # unit * level ** 2
    cost = extra * sum((1 + i) ** -t for t in range(1, periods + 1))
    if convention == "residual":
        # sustained beyond T at the horizon cost per active customer, for each customer's
        # expected remaining (discounted) periods 1 / (1 + i - r_j)
        s = low.state
        active = s.status == ACTIVE
        remaining = np.sum(1.0 / (1.0 + i - (1.0 - s.hazard[active])))
        cost += extra / active.sum() * remaining * (1 + i) ** -periods
        assert b["sustaining_cost"] > a["sustaining_cost"] > 0
    assert b["net_value"] - a["net_value"] == pytest.approx(-cost, rel=1e-9)


def test_acquisition_cost_enters_net_value_exactly():
    params = SMALL | {"base_acquisition": 0.05}
    free = CKMModel(rng=3, **params, acquisition_cost=0.0).run(18)
    paid = CKMModel(rng=3, **params, acquisition_cost=55.0).run(18)
    acquisitions = free.timeseries()["acquisitions"].to_numpy()[1:]
    assert acquisitions.sum() > 20
    spend = 55.0 * np.sum(acquisitions * 1.01 ** -np.arange(1, 19))
    assert paid.summary()["acquisition_spend"] == pytest.approx(spend)
    assert free.summary()["net_value"] - paid.summary()["net_value"] == pytest.approx(spend)


def test_residual_adds_the_value_and_the_cost_of_the_customers_active_at_the_horizon():
    periods, i = 30, 0.01
    horizon = CKMModel(rng=5, collect=False, **SMALL).run(periods)
    residual = CKMModel(rng=5, collect=False, **SMALL, horizon_value="residual").run(periods)
    h, r = horizon.summary(), residual.summary()
    assert h["residual_value_counted"] == 0.0 and r["residual_value_counted"] == 1.0
    s = residual.state
    np.testing.assert_array_equal(s.status, horizon.state.status)  # money never changes behaviour
    active = s.status == ACTIVE
    retention = 1.0 - s.hazard[active]
    d = (1 + i) ** -periods
    value = np.sum(s.margin[active] * retention / (1 + i - retention)) * d
    remaining = np.sum(1.0 / (1 + i - retention)) * d
    contacts_per_period = s.counters["contacts"] / s.counters["customer_periods"]
    assert r["customer_equity"] - h["customer_equity"] == pytest.approx(value, rel=1e-9)
    assert r["serving_cost"] - h["serving_cost"] == pytest.approx(
        2.0 * contacts_per_period * remaining, rel=1e-9
    )
    assert r["sustaining_cost"] == pytest.approx(
        residual.cost_per_period / active.sum() * remaining, rel=1e-9
    )
    assert r["investment_cost"] == h["investment_cost"]


# ------------------------------------------------------------------ customers who differ
def test_margins_are_lognormal_with_the_scenario_mean():
    n, mean, spread = 40_000, 10.0, 0.8
    margins = economics.lognormal_margins(mean, spread, n, np.random.default_rng(1))
    se = margins.std(ddof=1) / np.sqrt(n)
    assert abs(margins.mean() - mean) < Z * se
    # log margins are normal with sd = spread
    assert np.log(margins).std() == pytest.approx(spread, rel=0.02)
    np.testing.assert_array_equal(economics.lognormal_margins(mean, 0.0, 5, None), 10.0)


def test_top_share_by_hand():
    assert economics.top_share(np.array([1.0, 1.0, 1.0, 1.0, 6.0])) == pytest.approx(0.6)
    assert economics.top_share(np.array([2.0] * 10)) == pytest.approx(0.2)
    assert np.isnan(economics.top_share(np.array([])))


def test_the_spread_of_margins_concentrates_customer_value():
    def share(spread: float) -> float:
        return (
            CKMModel(rng=2, collect=False, **SMALL, margin_spread=spread)
            .run(12)
            .summary()["value_share_top20"]
        )

    even, skewed = share(0.0), share(1.5)
    # lognormal with sigma 1.5: the top 20% hold 1 - Phi(z_0.8 - sigma) = 72% of the margin
    assert skewed == pytest.approx(1 - stats.norm.cdf(stats.norm.ppf(0.8) - 1.5), abs=0.08)
    assert even < 0.3 < skewed


LOYALTY = CLOSED_MARKET


def gamma_mixture_survival(h: float, spread: float, t: int) -> float:
    """E[(1 - min(1, h theta))^t] for theta ~ Gamma(1/spread^2, spread^2), by quadrature."""
    shape, scale = 1.0 / spread**2, spread**2
    density = stats.gamma(shape, scale=scale).pdf
    value, _ = integrate.quad(
        lambda x: max(0.0, 1.0 - h * x) ** t * density(x), 0, 1.0 / h, limit=200
    )
    return value


def test_survival_with_differing_loyalty_is_the_gamma_mixture():
    h, spread, n, periods = 0.05, 1.0, 20_000, 24
    model = CKMModel(
        rng=4, collect=False, customers=n, fixed_churn=h, loyalty_spread=spread, **LOYALTY
    ).run(periods)
    churned_at = model.state.churned_at
    for t in (1, 6, 12, 24):
        simulated = float(np.mean((churned_at < 0) | (churned_at > t)))
        expected = gamma_mixture_survival(h, spread, t)
        se = np.sqrt(expected * (1 - expected) / n)
        assert abs(simulated - expected) < Z * se, (t, simulated, expected)


@pytest.mark.parametrize("spread", [0.0, 1.0])
def test_retention_rises_with_tenure_only_when_loyalty_differs(spread):
    h, n = 0.05, 20_000
    model = CKMModel(
        rng=6, collect=False, customers=n, fixed_churn=h, loyalty_spread=spread, **LOYALTY
    ).run(24)
    c = model.state.churned_at
    alive = [np.sum((c < 0) | (c > t)) for t in range(25)]
    early, late = alive[6] / alive[0], alive[24] / alive[18]  # 6-period retention
    se = np.sqrt(early * (1 - early) / alive[0] + late * (1 - late) / alive[18])
    if spread == 0.0:
        assert abs(late - early) < Z * se
    else:
        assert late - early > Z * se


# ------------------------------------------------------------------ the open market
def test_arrivals_are_deterministic_and_grow_the_market_beyond_the_scenario_horizon():
    n0, growth = 600, 0.05
    model = CKMModel(rng=1, collect=False, **SMALL, periods=10, market_growth=growth).run(25)
    s = model.state
    expected = int(np.floor(growth * n0 * 25 + 1e-9))
    assert s.counters["arrivals"] == expected and len(s.status) == n0 + expected
    counts = np.bincount(s.status, minlength=3)
    assert counts[PROSPECT] + counts[ACTIVE] + counts[CHURNED] == n0 + expected
    assert len(model.customers) == n0 + expected
    newcomers = s.acquired_at[n0:]
    assert (newcomers >= 0).any()  # arrivals are acquired like any prospect


def test_the_open_market_keeps_its_customers():
    # closed, the prospect pool is used up and the base shrinks (the issue: 2,000 -> about 875)
    params = dict(customers=1000, prospects=500, employees=20, need_dimensions=10)
    closed = CKMModel(rng=8, collect=False, **params, market_growth=0.0, winback_rate=0.0)
    opened = CKMModel(rng=8, collect=False, **params)
    closed.run(120)
    opened.run(120)
    assert closed.outcomes["active_customers"] < 0.8 * 1000
    assert opened.outcomes["active_customers"] > 0.9 * 1000
    assert opened.summary()["total_reacquisitions"] > 0


def test_cohort_clv_groups_customers_by_the_year_of_their_first_acquisition():
    model = CKMModel(rng=2, collect=False, **SMALL, periods_per_year=6).run(13)
    s = model.state
    table = model.cohort_clv()
    clv = model.customer_lifetime_values()
    # 13 periods of 6: the initial base, years 1 (periods 1-6), 2 (7-12) and 3 (13)
    assert list(table["cohort"]) == ["initial", "year 1", "year 2", "year 3"]
    first = s.acquired_at
    spans = [(0, 0), (1, 6), (7, 12), (13, 18)]
    for row, (lo, hi) in zip(table.itertuples(), spans, strict=True):
        members = (first >= lo) & (first <= hi)
        assert row.customers == members.sum()
        assert row.clv == pytest.approx(
            np.mean(clv[members]) if members.any() else np.nan, nan_ok=True
        )
    summary = model.summary()
    assert summary["clv_initial"] == pytest.approx(float(np.mean(clv[first == 0])))
    assert summary["clv_year_1"] == pytest.approx(table.loc[1, "clv"])


def test_the_standard_cohort_is_the_same_customers_in_every_scenario():
    a = CKMModel("baseline", rng=4, collect=False, **SMALL)
    b = CKMModel("customer_centric", rng=4, collect=False, **SMALL)
    for name in ("acquired_at", "margin", "churn_propensity", "needs", "segment"):
        np.testing.assert_array_equal(getattr(a.state, name), getattr(b.state, name))


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"horizon_value": "forever"}, "horizon_value"),
        ({"market_growth": 0.5}, "market_growth"),
        ({"winback_cooloff": 0}, "winback_cooloff"),
        ({"margin_spread": -1.0}, "margin_spread"),
        ({"loyalty_spread": 9.0}, "loyalty_spread"),
        ({"acquisition_cost": -5.0}, "acquisition_cost"),
    ],
)
def test_bad_economics_and_market_parameters_give_one_line(override, message):
    with pytest.raises(ScenarioError, match=message) as info:
        Scenario().with_overrides(**override)
    assert "\n" not in str(info.value)


def test_segments_can_differ_in_mean_margin():
    params = SMALL | {"customers": 20_000, "segments": 4, "margin_spread": 0.5}
    alike = CKMModel(rng=3, collect=False, **params)
    differ = CKMModel(rng=3, collect=False, **params, segment_margin_spread=0.7)
    # without segment spread every segment's mean is the scenario's margin
    np.testing.assert_array_equal(alike.segment_margin, 10.0)
    for model in (alike, differ):
        s = model.state
        for k in range(4):
            m = s.margin[s.segment == k]
            se = m.std(ddof=1) / np.sqrt(len(m))
            assert abs(m.mean() - model.segment_margin[k]) < Z * se
    assert differ.segment_margin.std() > 1.0  # sigma 0.7 around 10: segments far apart
    # the customer-level draws are shared: margins are proportional to the segment means
    ratio = differ.state.margin / alike.state.margin
    np.testing.assert_allclose(ratio, differ.segment_margin[differ.state.segment] / 10.0)


def test_row_count_in_blocks_equals_the_row_sums():
    from ckm_sim.model.market import ROW_BLOCK, row_count

    mask = np.random.default_rng(0).random((2 * ROW_BLOCK + 17, 30)) < 0.4
    np.testing.assert_array_equal(row_count(mask), mask.sum(axis=1))
    np.testing.assert_array_equal(row_count(mask[:5]), mask[:5].sum(axis=1))
