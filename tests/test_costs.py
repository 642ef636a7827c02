"""Costs built from what a firm pays (issue 22, docs/ODD.md 7.5): each dimension's cost of level 1
is a fixed part plus parts per employee and per budgeted customer; doubling a firm doubles the
parts that scale with it and, at the same competence, its benefits; the old flat ``cost_<dim>``
still works; in a market of firms each firm budgets on its own share of the customers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ckm_sim import CKMModel
from ckm_sim.model import costs
from ckm_sim.model.levers import investment_cost
from ckm_sim.model.scenario import DIMENSIONS, Scenario, ScenarioError, validate_scenario

#: ODD 7.5's defaults, written out: (fixed, per employee, per customer) of each dimension.
DEFAULT_PARTS = {
    "inter_functional_cooperation": (300.0, 24.0, 0.25),
    "organisational_systems": (200.0, 32.0, 0.1),
    "customer_cooperation": (400.0, 8.0, 0.6),
    "it_systems": (600.0, 16.0, 0.3),
    "learning_culture": (200.0, 36.0, 0.0),
}


def by_hand(dim: str, employees: float, customers: float) -> float:
    fixed, staff, customer = DEFAULT_PARTS[dim]
    return fixed + staff * employees + customer * customers


@pytest.mark.parametrize("dim", DIMENSIONS)
def test_a_dimension_costs_its_fixed_part_plus_its_staff_and_customer_parts(dim):
    sc = Scenario().with_overrides(employees=120, customers=7000)
    assert costs.unit_cost(sc, dim) == pytest.approx(by_hand(dim, 120, 7000))


def test_the_default_firm_pays_2000_per_dimension_at_level_1_and_2500_at_the_baseline():
    # the defaults are chosen so (ODD 7.5): 50 staff and 2,000 customers
    assert all(by_hand(d, 50, 2000) == pytest.approx(2000.0) for d in DIMENSIONS)
    assert costs.unit_costs(Scenario()) == pytest.approx(dict.fromkeys(DIMENSIONS, 2000.0))
    assert investment_cost(Scenario()) == pytest.approx(5 * 2000.0 * 0.5**2)


def test_doubling_a_firm_doubles_what_scales_with_it_and_keeps_the_fixed_part():
    """Part by part: twice the staff and customers, twice the per-employee and per-customer
    parts of every dimension, the same fixed part (economies of scale, ODD 7.5)."""
    small = Scenario().with_overrides(employees=40, customers=900, prospects=400)
    big = small.with_overrides(employees=80, customers=1800, prospects=800)
    for dim in DIMENSIONS:
        a, b = costs.cost_parts(small, dim), costs.cost_parts(big, dim)
        assert b["fixed"] == a["fixed"] == DEFAULT_PARTS[dim][0]
        assert b["per_employee"] == pytest.approx(2 * a["per_employee"])
        assert b["per_customer"] == pytest.approx(2 * a["per_customer"])
    level = 0.5**2
    fixed = sum(DEFAULT_PARTS[d][0] for d in DIMENSIONS) * level
    assert investment_cost(big) == pytest.approx(2 * investment_cost(small) - fixed)
    # a firm with twice everything, its platforms and programmes too, pays exactly twice
    twice = {f"fixed_{d}": 2 * DEFAULT_PARTS[d][0] for d in DIMENSIONS}
    assert investment_cost(big.with_overrides(**twice)) == pytest.approx(2 * investment_cost(small))


def _ci(values: list[float]) -> tuple[float, float]:
    mean, sem = float(np.mean(values)), float(stats.sem(values))
    half = float(stats.t.ppf(0.975, len(values) - 1) * sem)
    return mean - half, mean + half


def test_doubling_a_firm_doubles_its_benefits_and_charges_the_fixed_part_once():
    """Customers, prospects and staff doubled, the same competence, 16 paired seeds, 36
    months. Per seed, the doubled firm's margins earned (customer equity), its serving and its
    acquisition spend over the small firm's: the 95% t interval of each ratio lies within 5% of
    2. What the model charges for the competence is exactly twice the small firm's less one
    fixed part a month (discounted): the fixed parts are all that does not double."""
    small = {"customers": 300, "prospects": 150, "employees": 16, "need_dimensions": 10}
    big = {k: 2 * v for k, v in small.items() if k != "need_dimensions"} | {"need_dimensions": 10}
    periods, names = 36, ("customer_equity", "serving_cost", "acquisition_spend")
    ratios: dict[str, list[float]] = {n: [] for n in names}
    fixed = sum(DEFAULT_PARTS[d][0] for d in DIMENSIONS) * 0.5**2  # a month, at level 0.5
    rate = Scenario().economics.discount_rate
    annuity = sum((1 + rate) ** -t for t in range(1, periods + 1))
    for seed in range(16):
        a = CKMModel(rng=seed, collect=False, **small).run(periods).summary()
        b = CKMModel(rng=seed, collect=False, **big).run(periods).summary()
        for n in names:
            ratios[n].append(b[n] / a[n])
        charged = 2 * a["investment_cost"] - fixed * annuity
        assert b["investment_cost"] == pytest.approx(charged, rel=1e-9)
    for n, values in ratios.items():
        low, high = _ci(values)
        assert low > 1.9 and high < 2.1, (n, low, high)


def test_the_old_flat_cost_replaces_the_parts_whatever_the_size():
    sc = Scenario().with_overrides(cost_it_systems=1234.0, employees=500, customers=90_000)
    assert costs.unit_cost(sc, "it_systems") == 1234.0
    assert costs.cost_parts(sc, "it_systems") == {
        "fixed": 1234.0,
        "per_employee": 0.0,
        "per_customer": 0.0,
    }
    assert costs.unit_cost(sc, "learning_culture") == pytest.approx(
        by_hand("learning_culture", 500, 90_000)
    )


def test_costs_are_budgeted_on_the_customers_at_the_start_or_on_a_given_base():
    sc = Scenario().with_overrides(customers=1000)
    assert costs.budget_customers(sc) == 1000
    given = sc.with_overrides(budget_customers=4000)
    assert costs.unit_cost(given, "it_systems") == pytest.approx(by_hand("it_systems", 50, 4000))


def test_the_model_charges_what_the_parts_say():
    model = CKMModel(rng=3, collect=False, customers=250, prospects=80, employees=12)
    want = sum(by_hand(d, 12, 250) for d in DIMENSIONS) * 0.5**2
    assert model.cost_per_period == pytest.approx(want)
    model.step()
    assert model.outcomes["investment_cost"] == pytest.approx(want)


def test_each_firm_of_a_market_budgets_on_its_own_share_of_the_customers():
    sc = validate_scenario(
        {
            "market": {"customers": 2000},
            "firms": [{"name": "big", "initial_share": 0.75}, {"name": "small"}],
        }
    )
    big, small = sc.for_firm("big"), sc.for_firm("small")
    assert costs.budget_customers(big) == pytest.approx(1500)
    assert costs.budget_customers(small) == pytest.approx(500)
    assert costs.unit_cost(small, "customer_cooperation") == pytest.approx(
        by_hand("customer_cooperation", 50, 500)
    )
    model = CKMModel(sc.with_overrides(prospects=100, need_dimensions=8), rng=1, collect=False)
    want = [sum(by_hand(d, 50, n) for d in DIMENSIONS) * 0.25 for n in (1500, 500)]
    assert model.firm_costs == pytest.approx(want)


def test_a_plan_on_a_dimension_that_costs_nothing_names_the_parts():
    free = {"fixed_it_systems": 0, "per_employee_it_systems": 0, "per_customer_it_systems": 0}
    with pytest.raises(ScenarioError, match="fixed_it_systems, per_employee_it_systems") as info:
        Scenario().with_overrides(**free, plan={"phases": [{"start": 1, "it_systems": 10.0}]})
    assert "\n" not in str(info.value)


def test_a_negative_part_is_a_one_line_error():
    with pytest.raises(ScenarioError, match="per_customer_it_systems") as info:
        Scenario().with_overrides(per_customer_it_systems=-1.0)
    assert "\n" not in str(info.value)


def test_a_cost_factor_scales_every_dimension_in_either_form():
    sc = Scenario().with_overrides(cost_it_systems=1000.0, employees=70, customers=3000)
    cheaper = sc.with_overrides(**costs.scaled(sc, 0.6))
    for dim in DIMENSIONS:
        assert costs.unit_cost(cheaper, dim) == pytest.approx(0.6 * costs.unit_cost(sc, dim))
    assert cheaper.costs.cost_it_systems == pytest.approx(600.0)
    assert investment_cost(cheaper) == pytest.approx(0.6 * investment_cost(sc))
