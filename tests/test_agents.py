"""Mesa agents are views onto the model's arrays; the networkx graph holds every tie; Mesa's own
``batch_run`` can drive CKMModel through keyword arguments."""

from __future__ import annotations

from collections import Counter

import mesa
import numpy as np
import pytest

from ckm_sim import CKMModel
from ckm_sim.model.agents import Customer, Department, Employee
from ckm_sim.model.market import ACTIVE
from ckm_sim.model.outcomes import OUTCOMES

SMALL = dict(customers=120, prospects=60, employees=20, need_dimensions=8)


@pytest.fixture(scope="module")
def model() -> CKMModel:
    return CKMModel(rng=3, **SMALL).run(6)


def test_employees_are_views_on_the_belief_array(model):
    s = model.state
    employees = sorted(model.employees, key=lambda e: e.index)
    assert [e.index for e in employees] == list(range(len(s.beliefs)))
    for e in employees:
        assert np.shares_memory(e.beliefs, s.beliefs)
        np.testing.assert_array_equal(e.beliefs, s.beliefs[e.index])
        assert e.knowledge_accuracy == pytest.approx((s.beliefs[e.index] == s.truth).mean())
        assert e.department == model.scenario_config.firm.departments[e.department_index]
    served = sum(e.customers_served for e in employees)
    assert served == int((s.status == ACTIVE).sum())  # every active customer has one server


def test_a_change_in_the_arrays_shows_in_the_agent():
    m = CKMModel(rng=1, **SMALL)
    e = next(iter(m.employees))
    m.state.beliefs[e.index] = 1
    assert (e.beliefs == 1).all()
    c = m.customers.to_list()[0]
    m.state.satisfaction[c.index] = 0.25
    assert c.satisfaction == 0.25


def test_customers_match_the_counts(model):
    s = model.state
    customers = model.customers
    assert len(customers) == SMALL["customers"] + SMALL["prospects"]
    assert all(isinstance(c, Customer) for c in customers)
    counts = Counter(c.status for c in customers)
    assert counts["active"] == model.outcomes["active_customers"]
    assert counts["churned"] == model.summary()["total_churned"]
    assert sum(c.active for c in customers) == counts["active"]
    assert sum(c.churned for c in customers) == counts["churned"]
    clv = model.customer_lifetime_values()
    for c in list(customers)[:20]:
        np.testing.assert_array_equal(c.needs, s.needs[c.index])
        np.testing.assert_array_equal(c.profile, s.profile[c.index])
        assert c.segment == s.segment[c.index]
        assert c.offer_knowledge == s.offer_knowledge[c.index]
        assert c.perceived_value == s.value[c.index]
        assert c.serving_employee == s.serving_employee[c.index]
        assert c.lifetime_value == pytest.approx(clv[c.index], nan_ok=True)


def test_departments(model):
    names = model.scenario_config.firm.departments
    assert [d.name for d in model.departments] == names
    assert all(isinstance(d, Department) for d in model.departments)
    assert sum(d.headcount for d in model.departments) == SMALL["employees"]
    frontline = set(model.scenario_config.firm.frontline_departments)
    for d in model.departments:
        members = d.employees
        assert len(members) == d.headcount
        assert all(isinstance(e, Employee) and e.department == d.name for e in members)
        assert d.frontline == (d.name in frontline)
        rows = model.state.employee_department == d.index
        assert d.knowledge_accuracy == pytest.approx(
            (model.state.beliefs[rows] == model.state.truth).mean()
        )


@pytest.mark.parametrize("community", ["small_world", "scale_free", "none"])
def test_network_holds_every_tie(community):
    m = CKMModel(rng=5, community=community, **SMALL)
    t, g = m.ties, m.network
    n_emp, n_cust = SMALL["employees"], SMALL["customers"] + SMALL["prospects"]
    assert g.number_of_nodes() == n_emp + n_cust
    assert g.number_of_edges() == len(t.employee_edges) + n_cust + len(t.community_edges)
    kinds = Counter(kind for _, _, kind in g.edges(data="tie"))
    assert kinds["department"] == int((~t.employee_edge_cross).sum())
    assert kinds["cross_department"] == int(t.employee_edge_cross.sum())
    assert kinds["service"] == n_cust
    assert kinds["community"] == len(t.community_edges)
    nodes = Counter(kind for _, kind in g.nodes(data="kind"))
    assert nodes == {"employee": n_emp, "customer": n_cust}
    # each customer's service tie goes to its serving (frontline) employee
    for j in range(0, n_cust, 17):
        assert g.has_edge(int(t.serving_employee[j]), n_emp + j)
        assert g.nodes[int(t.serving_employee[j])]["department"] in ("sales", "service")


def test_inter_functional_cooperation_sets_cross_department_ties():
    none = CKMModel(rng=2, inter_functional_cooperation=0.0, **SMALL)
    full = CKMModel(rng=2, inter_functional_cooperation=1.0, **SMALL)
    assert not none.ties.employee_edge_cross.any()
    # max_cross_department_ties = 4 partners asked for per employee
    assert full.ties.employee_edge_cross.sum() >= 2 * SMALL["employees"]


def test_datacollector_series(model):
    df = model.timeseries()
    assert list(df.columns) == list(OUTCOMES)
    assert len(df) == 7 and df.index.name == "period"
    assert df["active_customers"].iloc[0] == SMALL["customers"]
    assert df["active_customers"].iloc[-1] == model.outcomes["active_customers"]


def test_batch_run_over_a_tiny_grid():
    results = mesa.batch_run(
        CKMModel,
        parameters={**SMALL, "it_systems": [0.2, 0.8], "community": ["small_world", "none"]},
        rng=[1, 2],
        max_steps=3,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(results) == 2 * 2 * 2
    grid = {(r["it_systems"], r["community"], r["rng"]) for r in results}
    assert len(grid) == 8
    for row in results:
        assert row["Step"] == 3
        assert set(OUTCOMES) <= set(row)
        assert 0.0 <= row["retention_rate"] <= 1.0
    # the same grid point and seed gives the same row
    a = [r for r in results if (r["it_systems"], r["community"], r["rng"]) == (0.8, "none", 1)]
    again = CKMModel(rng=1, it_systems=0.8, community="none", **SMALL).run(3)
    assert a[0]["customer_equity"] == pytest.approx(again.outcomes["customer_equity"])


def test_model_agents_hold_the_firm_and_never_change_size():
    # reading .customers used to register every customer: model.agents grew from 25 to 205
    m = CKMModel(rng=1, **SMALL)
    before = len(m.agents)
    assert before == len(m.departments) + SMALL["employees"]
    assert set(m.agent_types) == {Department, Employee}
    customers = m.customers
    assert len(customers) == SMALL["customers"] + SMALL["prospects"]
    assert len(m.agents) == before and set(m.agent_types) == {Department, Employee}
    assert not any(isinstance(a, Customer) for a in m.agents)
    assert [c.index for c in customers] == list(range(len(customers)))  # row order
    assert all(c.unique_id is None for c in customers)
    m.run(2)
    assert len(m.agents) == before and len(m.customers) == len(customers)


def test_running_stops_at_the_horizon_so_batch_run_does():
    # without running = False, batch_run went on to max_steps (1,000 by default)
    rows = mesa.batch_run(
        CKMModel,
        parameters={**SMALL, "periods": 4},
        rng=[1],
        number_processes=1,
        data_collection_period=1,
        display_progress=False,
    )
    assert [r["Step"] for r in rows] == [0, 1, 2, 3, 4]
    m = CKMModel(rng=1, periods=3, **SMALL)
    states = [m.running]
    for _ in range(3):
        m.step()
        states.append(m.running)
    assert states == [True, True, True, False]
    m.run_model()  # Mesa's own loop: nothing left to run
    assert m.steps == 3
    assert not CKMModel(rng=1, periods=0, **SMALL).running
    assert m.run(2).steps == 5  # run() may go past the horizon
