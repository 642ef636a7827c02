"""CLV against Gupta & Lehmann's (2003) closed form, and the money identities of a run.

With a constant churn probability h (``fixed_churn``), retention r = 1 - h, margin m and discount
rate i, a customer acquired at period 0 earns m at the end of each period t >= 1 it survives
(probability r^t). Counted to the horizon T (``horizon_value = "horizon"``, the default),
E[CLV_T] = sum_{t=1..T} m r^t / (1+i)^t = m q (1 - q^T) / (1 - q) with q = r / (1+i), that is
m r (1 - (r/(1+i))^T) / (1 + i - r). With ``"residual"`` the model adds the residual value
m r / (1 + i - r) of a customer still active at T (probability r^T, discounted by (1+i)^-T), so
E[CLV] = m r / (1 + i - r) for every T. Per-customer margins drawn independently of churn with
mean m leave both expectations unchanged. The simulated mean must match within Z standard errors
(sample standard deviation / sqrt(N)).
"""

from __future__ import annotations

import numpy as np
import pytest
from market_helpers import CLOSED_MARKET

from ckm_sim import CKMModel
from ckm_sim.model import economics

Z = 4.0  # two-sided false-alarm rate about 6e-5 per comparison

#: knowledge dynamics made irrelevant: constant churn, no acquisitions, a tiny firm
CONSTANT_CHURN = CLOSED_MARKET | dict(loyalty_spread=0.0, margin_spread=0.0)


def constant_churn_model(
    h: float, i: float, n: int, seed: int, margin: float = 10.0, **overrides
) -> CKMModel:
    return CKMModel(
        rng=seed,
        collect=False,
        customers=n,
        fixed_churn=h,
        discount_rate=i,
        margin=margin,
        **(CONSTANT_CHURN | overrides),
    )


def expected_clv(h: float, i: float, periods: int, convention: str, margin: float = 10.0):
    """The closed forms, written out here (not taken from the code under test)."""
    r = 1.0 - h
    if convention == "residual":
        return margin * r / (1.0 + i - r)
    q = r / (1.0 + i)
    return margin * q * (1.0 - q**periods) / (1.0 - q)


def test_closed_forms_agree_with_the_sum_they_stand_for():
    m, h, i, periods = 10.0, 0.1, 0.02, 30
    r = 1.0 - h
    direct = sum(m * r**t / (1 + i) ** t for t in range(1, periods + 1))
    assert economics.finite_horizon_clv(m, r, i, periods) == pytest.approx(direct, rel=1e-12)
    assert expected_clv(h, i, periods, "horizon") == pytest.approx(direct, rel=1e-12)
    infinite = sum(m * r**t / (1 + i) ** t for t in range(1, 2000))
    assert economics.closed_form_clv(m, r, i) == pytest.approx(infinite, rel=1e-12)


@pytest.mark.parametrize("convention", ["horizon", "residual"])
@pytest.mark.parametrize(
    ("h", "i", "periods", "spread"),
    [(0.05, 0.01, 24, 0.0), (0.2, 0.05, 12, 0.0), (0.02, 0.02, 60, 1.0), (0.3, 0.01, 80, 0.5)],
)
def test_mean_clv_matches_closed_form(h, i, periods, spread, convention):
    n = 20_000
    model = constant_churn_model(
        h, i, n, seed=11, margin_spread=spread, horizon_value=convention
    ).run(periods)
    clv = model.customer_lifetime_values()
    assert clv.shape == (n,) and not np.isnan(clv).any()
    expected = expected_clv(h, i, periods, convention)
    se = clv.std(ddof=1) / np.sqrt(n)
    assert abs(clv.mean() - expected) <= Z * se, (clv.mean(), expected, se)
    # the run's reported mean CLV is the same quantity
    assert model.outcomes["clv"] == pytest.approx(clv.mean(), rel=1e-9)
    # and so is the summary's
    assert model.summary()["clv"] == pytest.approx(clv.mean(), rel=1e-9)


def test_churn_frequency_matches_fixed_churn():
    h, n, periods = 0.1, 20_000, 5
    model = constant_churn_model(h, 0.01, n, seed=3).run(periods)
    # survivors ~ Bin(n, r^T)
    p = (1 - h) ** periods
    survivors = model.outcomes["active_customers"]
    assert abs(survivors / n - p) <= Z * np.sqrt(p * (1 - p) / n)


def test_clv_at_the_start_is_exactly_the_residual_value():
    model = constant_churn_model(0.1, 0.02, 50, seed=1, horizon_value="residual")
    np.testing.assert_allclose(model.customer_lifetime_values(), 10.0 * 0.9 / (1.02 - 0.9))
    # counted to the horizon, nothing has been earned yet
    start = constant_churn_model(0.1, 0.02, 50, seed=1)
    np.testing.assert_array_equal(start.customer_lifetime_values(), 0.0)


def test_clv_of_a_churned_customer_is_its_discounted_margins():
    # a customer who churned at period c earned m at the end of periods 1 .. c-1
    i = 0.01
    model = constant_churn_model(0.3, i, 500, seed=5).run(10)
    s = model.state
    clv = model.customer_lifetime_values()
    churned = np.flatnonzero(s.churned_at > 0)
    assert len(churned) > 100
    for c in churned[:50]:
        t = np.arange(1, s.churned_at[c])
        assert clv[c] == pytest.approx(float(np.sum(10.0 * (1 + i) ** -t)))


def test_customer_equity_is_the_sum_of_clvs_in_period_zero_money():
    # a run with acquisitions at many periods: each CLV is in money of its acquisition period
    model = CKMModel(
        rng=2, collect=False, customers=300, prospects=300, employees=15, base_acquisition=0.03
    ).run(30)
    s = model.state
    clv = model.customer_lifetime_values()
    acquired = s.acquired_at >= 0
    assert np.isnan(clv[~acquired]).all() and not np.isnan(clv[acquired]).any()
    assert (s.acquired_at[acquired] > 0).sum() > 50  # many customers acquired after period 0
    discount = (1.0 + model.scenario_config.economics.discount_rate) ** -s.acquired_at[acquired]
    assert model.outcomes["customer_equity"] == pytest.approx(
        float(np.sum(clv[acquired] * discount)), rel=1e-9
    )
    assert model.outcomes["clv"] == pytest.approx(float(clv[acquired].mean()), rel=1e-9)


def test_net_value_nets_out_every_discounted_cost():
    # contact_rate 1: every customer active at the start of a period is contacted in it
    model = CKMModel(
        rng=4,
        customers=200,
        prospects=50,
        employees=10,
        contact_rate=1.0,
        targeting=0.0,  # unsteered, so contact_rate 1 reaches everyone
        base_acquisition=0.05,
    ).run(12)
    # five dimensions at 0.5, exponent 2; each costs at level 1 fixed + per employee * 10 +
    # per customer * 200, with ODD 7.5's default parts (fixed, per employee, per customer)
    parts = [(300, 24, 0.25), (200, 32, 0.1), (400, 8, 0.6), (600, 16, 0.3), (200, 36, 0.0)]
    per_period = sum(f + 10 * e + 200 * c for f, e, c in parts) * 0.5**2
    assert model.cost_per_period == pytest.approx(per_period)
    d = 1.01 ** -np.arange(1, 13)
    ts = model.timeseries()
    acquisitions = ts["acquisitions"].to_numpy()[1:]
    active_at_start = ts["active_customers"].to_numpy()[:-1]
    assert acquisitions.sum() > 10
    summary = model.summary()
    assert summary["investment_cost"] == pytest.approx(per_period * d.sum())
    assert summary["acquisition_spend"] == pytest.approx(40.0 * (acquisitions * d).sum())
    assert summary["serving_cost"] == pytest.approx(2.0 * (active_at_start * d).sum())
    assert summary["sustaining_cost"] == 0.0 and summary["residual_value_counted"] == 0.0
    costs = summary["investment_cost"] + summary["acquisition_spend"] + summary["serving_cost"]
    assert summary["net_value"] == pytest.approx(summary["customer_equity"] - costs)
    # horizon: customer equity is exactly the margins earned, in period-0 money
    assert summary["customer_equity"] == pytest.approx(float(model.state.realised_pv0.sum()))


def test_fixed_churn_without_loyalty_spread_is_one_constant_retention() -> None:
    """The closed cohort of docs/ODD.md 7.3: fixed_churn h and loyalty_spread 0 give every
    customer the hazard h, so the base shrinks as (1 - h)^t (binomial, 4 standard errors)."""
    h, n, periods = 0.02, 4000, 24
    closed = {"prospects": 0, "market_growth": 0.0, "winback_rate": 0.0}
    model = CKMModel(
        rng=3, customers=n, fixed_churn=h, loyalty_spread=0.0, collect=False, **closed
    ).run(periods)
    assert (model.state.hazard == h).all()
    p = (1 - h) ** periods
    survivors = model.summary()["final_active_customers"]
    assert abs(survivors - n * p) < 4 * (n * p * (1 - p)) ** 0.5, (survivors, n * p)
