"""Statistical tests of the model's main claims, with paired seeds (common random numbers).

Every design point of one comparison runs replication ``r`` with ``replication_seed(BASE, r)``;
the test statistic is the mean of the paired differences over its standard error (sample
standard deviation / sqrt(R)), and an effect is claimed only when it exceeds the one-sided 99%
quantile of Student's t with R - 1 degrees of freedom.

Sizing (measured on the 2-core CI machine, small models of 1,500 customers over 60 periods,
about 0.1-0.2 s a run): the weakest effects are raising inter-functional cooperation 0.2 -> 0.8
(about 0.7 standard deviations of the paired difference per pair, so t about 4.6 with 40 pairs) and
``baseline`` vs ``siloed_firm`` (about 1 SD per pair, so t about 5.5 with 30 pairs); every other
effect is far larger.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from scipy import stats

from ckm_sim import load_scenario, run_scenario
from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import DIMENSIONS

BASE_SEED = 20240601
PERIODS = 60
#: a smaller firm: 30 employees instead of 50, so the competence costs 30/50 of the baseline's
#: 2,000 per dimension (the cost of competence is the firm's, 40 per employee at level 1;
#: docs/ODD.md 7.5), and a market of 1,500 customers instead of 2,000
SMALL = (("customers", 1500), ("prospects", 750), ("employees", 30)) + tuple(
    (f"cost_{d}", 2000.0 * 30 / 50) for d in DIMENSIONS
)
OUTCOMES = ("mean_retention_rate", "clv")


def summary(scenario: str, replication: int, overrides: tuple = ()) -> dict:
    """One run's summary row (cached: comparisons share their runs; an override that sets the
    scenario's own value is the same run as none, ``horizon_value = "horizon"`` for instance)."""
    own = load_scenario(scenario)
    changed = tuple(
        (key, value) for key, value in overrides if own.with_overrides(**{key: value}) != own
    )
    return _summary(scenario, replication, changed)


@cache
def _summary(scenario: str, replication: int, overrides: tuple) -> dict:
    return run_scenario(
        load_scenario(scenario),
        seed=replication_seed(BASE_SEED, replication),
        periods=PERIODS,
        **dict(SMALL),
        **dict(overrides),
    ).summary


def paired_t(high: list[dict], low: list[dict], outcome: str) -> tuple[float, float, float]:
    """(mean difference, its standard error, t) of ``high - low`` over paired replications."""
    d = np.array([h[outcome] - lo[outcome] for h, lo in zip(high, low, strict=True)])
    se = d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean()), float(se), float(d.mean() / se)


def assert_better(high: list[dict], low: list[dict], outcome: str, label: str) -> None:
    mean, se, t = paired_t(high, low, outcome)
    critical = stats.t.ppf(0.99, len(high) - 1)
    assert t > critical, f"{label}: {outcome} difference {mean:.4g} (SE {se:.3g}, t {t:.2f})"


#: inter-functional cooperation has the weakest effect (about 0.7 SD of the paired difference in
#: retention per pair: t about 4.6 with 40 pairs); the others give t > 7 with 12 pairs
DIMENSION_REPLICATIONS = dict.fromkeys(DIMENSIONS, 12) | {"inter_functional_cooperation": 40}


@pytest.mark.slow
@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_raising_a_dimension_raises_retention_and_clv(dimension):
    def runs(level: float) -> list[dict]:
        return [
            summary("baseline", r, ((dimension, level),))
            for r in range(DIMENSION_REPLICATIONS[dimension])
        ]

    low, high = runs(0.2), runs(0.8)
    for outcome in OUTCOMES:
        assert_better(high, low, outcome, f"{dimension} 0.2 -> 0.8")


def scenario_runs(name: str, replications: int) -> list[dict]:
    return [summary(name, r) for r in range(replications)]


@pytest.mark.slow
def test_baseline_beats_siloed_firm():
    base, siloed = scenario_runs("baseline", 30), scenario_runs("siloed_firm", 30)
    for outcome in OUTCOMES:
        assert_better(base, siloed, outcome, "baseline vs siloed_firm")


@pytest.mark.slow
def test_customer_centric_beats_baseline():
    centric, base = scenario_runs("customer_centric", 12), scenario_runs("baseline", 12)
    for outcome in OUTCOMES:
        assert_better(centric, base, outcome, "customer_centric vs baseline")


@pytest.mark.slow
def test_it_only_does_not_beat_customer_centric_in_net_value():
    # it_only is not significantly better in net value, and customer_centric keeps customers
    # longer and worth more. (Until issue 21 customer_centric was also significantly better in
    # net value; with the levers argued from the paper it leads by about 6k, t about 1.2, at
    # these costs: which of the two pays more turns on the cost of competence, docs/ODD.md 7.5.)
    centric, it_only = scenario_runs("customer_centric", 12), scenario_runs("it_only", 12)
    mean, se, t = paired_t(it_only, centric, "net_value")
    assert t < stats.t.ppf(0.99, len(centric) - 1), f"it_only ahead by {mean:.4g} (SE {se:.3g})"
    for outcome in OUTCOMES:
        assert_better(centric, it_only, outcome, "customer_centric vs it_only")


@pytest.mark.slow
@pytest.mark.parametrize("convention", ["horizon", "residual"])
def test_it_only_is_below_baseline_in_net_value(convention):
    # the paper's failing CRM project: an IT-heavy programme without culture and systems loses
    # money against a middling firm, whichever way the horizon is valued
    overrides = (("horizon_value", convention),)
    it_only = [summary("it_only", r, overrides) for r in range(12)]
    base = [summary("baseline", r, overrides) for r in range(12)]
    assert_better(base, it_only, "net_value", f"baseline vs it_only ({convention})")


def test_paired_t_by_hand():
    high = [{"x": v} for v in (3.0, 5.0, 4.0)]
    low = [{"x": v} for v in (1.0, 2.0, 2.0)]
    # differences 2, 3, 2: mean 7/3, sample SD sqrt(1/3), SE sqrt(1/3) / sqrt(3) = 1/3
    mean, se, t = paired_t(high, low, "x")
    assert mean == pytest.approx(7 / 3) and se == pytest.approx(1 / 3) and t == pytest.approx(7)
