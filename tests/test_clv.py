"""CLV against Gupta & Lehmann's (2003) closed form, and the money identities of a run.

With a constant churn probability h (``fixed_churn``), retention r = 1 - h, margin m and discount
rate i, a customer acquired at period 0 earns m at the end of each period t >= 1 it survives
(probability r^t), so E[CLV] = sum_t m r^t / (1+i)^t = m r / (1 + i - r). The model's CLV at a
horizon T adds to the realised margins the residual value m r / (1 + i - r) of a customer still
active at T, so its expectation equals the closed form for every T; the simulated mean must match
it within Z standard errors (sample standard deviation / sqrt(N)).
"""

from __future__ import annotations

import numpy as np
import pytest

from ckm_sim import CKMModel
from ckm_sim.model import economics

Z = 4.0  # two-sided false-alarm rate about 6e-5 per comparison

#: knowledge dynamics made irrelevant: constant churn, no acquisitions, a tiny firm
CONSTANT_CHURN = dict(
    prospects=0,
    base_acquisition=0.0,
    word_of_mouth=0.0,
    employees=10,
    segments=1,
    need_dimensions=4,
    community="none",
    contact_rate=0.0,
)


def constant_churn_model(h: float, i: float, n: int, seed: int, margin: float = 10.0):
    return CKMModel(
        rng=seed,
        collect=False,
        customers=n,
        fixed_churn=h,
        discount_rate=i,
        margin=margin,
        **CONSTANT_CHURN,
    )


@pytest.mark.parametrize(
    ("h", "i", "periods"),
    [(0.05, 0.01, 24), (0.2, 0.05, 12), (0.02, 0.02, 60), (0.3, 0.01, 80)],
)
def test_mean_clv_matches_closed_form(h, i, periods):
    n = 20_000
    model = constant_churn_model(h, i, n, seed=11).run(periods)
    clv = model.customer_lifetime_values()
    assert clv.shape == (n,) and not np.isnan(clv).any()
    expected = economics.closed_form_clv(10.0, 1.0 - h, i)
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
    model = constant_churn_model(0.1, 0.02, 50, seed=1)
    np.testing.assert_allclose(
        model.customer_lifetime_values(), economics.closed_form_clv(10.0, 0.9, 0.02)
    )


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


def test_net_value_nets_out_discounted_investment():
    model = CKMModel(rng=4, collect=False, customers=200, prospects=50, employees=10).run(12)
    per_period = 5 * 2000.0 * 0.5**2  # five dimensions at 0.5, cost 2000, exponent 2
    assert model.cost_per_period == pytest.approx(per_period)
    cost_pv0 = sum(per_period * 1.01**-t for t in range(1, 13))
    summary = model.summary()
    assert summary["investment_cost"] == pytest.approx(cost_pv0)
    assert summary["net_value"] == pytest.approx(summary["customer_equity"] - cost_pv0)
