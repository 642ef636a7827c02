"""Investment plans (docs/ODD.md 7.7): competence that builds with spend and erodes without it.

The closed forms the tests check are written out here, independently of
ckm_sim/model/investment.py: with no spend a level decays as ``x0 (1 - delta)^(t - L)`` after
the lag; with a constant spend ``S`` from period 1 it moves as
``x* + (x0 - x*) (1 - delta)^(t - L)`` toward ``x* = min(1, (S / cost) ** (1 / k))``.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model.investment import Trajectory
from ckm_sim.model.levers import derive_levers
from ckm_sim.model.model import CKMModel
from ckm_sim.model.scenario import DIMENSIONS, Scenario, ScenarioError, load_scenario
from ckm_sim.whatif.calibrate.scenario_file import scenario_toml

# a small firm whose dimensions cost 2,000 each at level 1 in the old flat form (cost_<dim>),
# whatever its size, so that the plans' arithmetic below reads in round numbers
FLAT_COSTS = {f"cost_{d}": 2000.0 for d in DIMENSIONS}
SMALL = {"customers": 200, "prospects": 100, "employees": 16, "need_dimensions": 12} | FLAT_COSTS


def planned(phases: list[dict], lag: dict | None = None, dep: dict | None = None, **kw) -> Scenario:
    plan = {"phases": phases, "lag": lag or {}, "depreciation": dep or {}}
    return Scenario().with_overrides(plan=plan, **kw)


# ----------------------------------------------------------------------------- trajectories
phase_spend = st.floats(0.0, 6000.0, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    starts=st.lists(st.integers(1, 40), min_size=0, max_size=4, unique=True),
    spends=st.lists(st.dictionaries(st.sampled_from(DIMENSIONS), phase_spend), min_size=4),
    initial=st.floats(0.0, 1.0),
    depreciation=st.floats(0.0, 1.0),
    lag=st.integers(0, 12),
    exponent=st.floats(1.0, 5.0),
)
def test_levels_stay_in_the_unit_interval(starts, spends, initial, depreciation, lag, exponent):
    phases = [{"start": s, **sp} for s, sp in zip(sorted(starts), spends, strict=False)]
    sc = planned(
        phases,
        lag=dict.fromkeys(DIMENSIONS, lag),
        dep=dict.fromkeys(DIMENSIONS, depreciation),
        it_systems=initial,
        cost_exponent=exponent,
    )
    path = Trajectory(sc)
    for t in range(0, 60):
        for dim, level in path.levels(t).items():
            assert 0.0 <= level <= 1.0, (t, dim, level)
        assert path.spend(t) >= 0.0


@settings(max_examples=40, deadline=None)
@given(
    initial=st.floats(0.0, 1.0),
    depreciation=st.floats(0.0, 1.0),
    lag=st.integers(0, 10),
    dim=st.sampled_from(DIMENSIONS),
)
def test_without_spend_a_level_decays_geometrically(initial, depreciation, lag, dim):
    sc = planned(
        [{"start": 1, dim: 0.0}], lag={dim: lag}, dep={dim: depreciation}, **{dim: initial}
    )
    path = Trajectory(sc)
    for t in range(0, 50):
        want = initial if t <= lag else initial * (1.0 - depreciation) ** (t - lag)
        assert path.levels(t)[dim] == pytest.approx(want, rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    initial=st.floats(0.0, 1.0),
    spend=st.floats(0.0, 5000.0),
    unit=st.floats(100.0, 4000.0),
    exponent=st.floats(1.0, 3.0),
    depreciation=st.floats(0.01, 1.0),
    lag=st.integers(0, 8),
)
def test_a_constant_spend_follows_its_closed_form(
    initial, spend, unit, exponent, depreciation, lag
):
    sc = planned(
        [{"start": 1, "learning_culture": spend}],
        lag={"learning_culture": lag},
        dep={"learning_culture": depreciation},
        learning_culture=initial,
        cost_learning_culture=unit,
        cost_exponent=exponent,
    )
    steady = min(1.0, (spend / unit) ** (1.0 / exponent))
    path = Trajectory(sc)
    for t in range(0, 80):
        want = (
            initial if t <= lag else steady + (initial - steady) * (1 - depreciation) ** (t - lag)
        )
        assert path.levels(t)["learning_culture"] == pytest.approx(want, rel=1e-9, abs=1e-12)
    # the steady state is the level the same spend buys without a plan
    far = lag + math.ceil(60 / depreciation)
    assert path.levels(far)["learning_culture"] == pytest.approx(steady, abs=1e-9)


def test_dimensions_the_plan_does_not_name_stay_exactly_where_they_are():
    sc = planned([{"start": 3, "it_systems": 1800.0}], customer_cooperation=0.7)
    path = Trajectory(sc)
    for t in range(0, 30):
        levels = path.levels(t)
        assert levels["customer_cooperation"] == 0.7
        assert levels["learning_culture"] == 0.5
    # before its first phase (and for its lag after) IT is held at its level too
    assert [path.levels(t)["it_systems"] for t in range(0, 5)] == [0.5] * 5
    assert path.levels(5)["it_systems"] > 0.5  # start 3 + lag 2: the spend acts in period 5


def test_the_firm_pays_what_the_plan_spends_whatever_the_level():
    sc = planned(
        [{"start": 1, "it_systems": 5000.0}, {"start": 6, "it_systems": 0.0, "learning_culture": 0}]
    )
    path = Trajectory(sc)
    others = 3 * 2000 * 0.5**2
    assert path.spend(0) == 0.0
    assert path.spend(1) == pytest.approx(5000 + others + 500)  # beyond level 1's cost: spent
    assert path.spend(6) == pytest.approx(0 + others + 0)
    assert path.total_spend(7) == pytest.approx(5 * (5000 + others + 500) + 2 * others)
    assert path.levels(40)["it_systems"] < path.levels(10)["it_systems"]  # it erodes


# ----------------------------------------------------------------------------- in the model
def _exact(row: dict, drop_plan_columns: bool = False) -> dict:
    """The row with every value as its repr: exact for floats, and NaN equals NaN."""
    plan = "plan_"
    return {k: repr(v) for k, v in row.items() if not (drop_plan_columns and k.startswith(plan))}


def test_an_empty_plan_runs_bit_identically_to_no_plan():
    sc = load_scenario("baseline")
    plain = CKMModel(sc, rng=5, **SMALL).run(30)
    empty = CKMModel(sc.with_overrides(plan={"phases": []}), rng=5, **SMALL).run(30)
    assert _exact(empty.summary(), drop_plan_columns=True) == _exact(plain.summary())
    assert empty.summary()["plan_spend"] == 30 * 5 * 2000 * 0.25


def test_the_model_works_at_the_plans_levels_and_charges_its_spend():
    phases = [{"start": 1, "it_systems": 2000.0, "organisational_systems": 200.0}]
    sc = load_scenario("baseline").with_overrides(plan={"phases": phases})
    model = CKMModel(sc, rng=2, **SMALL)
    path = Trajectory(sc)
    i = sc.economics.discount_rate
    charged = 0.0
    for t in range(1, 25):
        model.step()
        levels = path.levels(t)
        assert model.scenario_config.competence.model_dump() == levels
        assert model.levers == derive_levers(sc.with_overrides(**levels))
        spend = 2000.0 + 200.0 + 3 * 500.0
        assert model.outcomes["investment_cost"] == pytest.approx(spend)
        charged += spend / (1 + i) ** t
    assert model.valuation()["investment_cost"] == pytest.approx(charged, rel=1e-12)
    row = model.summary()
    assert row["plan_spend"] == pytest.approx(24 * 3700.0)
    assert row["plan_level_it_systems"] == pytest.approx(path.levels(24)["it_systems"])
    assert row["plan_level_organisational_systems"] < 0.5 < row["plan_level_it_systems"]


def test_building_it_up_changes_what_the_model_does():
    sc = load_scenario("baseline")
    build = sc.with_overrides(
        plan={"phases": [{"start": 1, "it_systems": 2000.0}], "depreciation": {"it_systems": 0.5}}
    )
    a = CKMModel(sc, rng=4, **SMALL).run(30).summary()
    b = CKMModel(build, rng=4, **SMALL).run(30).summary()
    assert b["plan_level_it_systems"] > 0.99
    assert b["repository_accuracy"] > a["repository_accuracy"]  # IT captures profiles


def test_set_competence_rederives_levers_and_cost():
    model = CKMModel(rng=1, **SMALL)
    ties = model.ties.employee_edges.copy()
    model.set_competence("firm", it_systems=1.0, inter_functional_cooperation=0.0)
    want = Scenario().with_overrides(it_systems=1.0, inter_functional_cooperation=0.0)
    assert model.levers == derive_levers(want)
    assert model.cost_per_period == pytest.approx(2000 * (1 + 3 * 0.25))
    assert (model.ties.employee_edges == ties).all()  # ties drawn at build time stay
    model.step()
    with pytest.raises(ScenarioError, match="unknown firm 'rival'"):
        model.set_competence("rival", it_systems=0.2)
    with pytest.raises(ScenarioError, match="unknown competence dimension 'it'"):
        model.set_competence("firm", it=0.2)
    with pytest.raises(ScenarioError, match=r"it_systems' = 1.5 is out of range"):
        model.set_competence("firm", it_systems=1.5)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ("[[plan.phases]]\nstart = 1\nculture = 100\n", "unknown key 'plan.phases.0.culture'"),
        ("[[plan.phases]]\nstart = 1\nit_systems = -5\n", "out of range: must be >= 0"),
        (
            "[[plan.phases]]\nstart = 9\nit_systems = 5\n[[plan.phases]]\nstart = 3\n",
            "phases must be in order of their start period",
        ),
        ("[plan.lag]\nit_systems = -1\n", "'plan.lag.it_systems' = -1 is out of range"),
        ("[[plan.phases]]\nit_systems = 5\n", "'plan.phases.0.start' is required"),
        (
            "[costs]\ncost_it_systems = 0\n[[plan.phases]]\nstart = 1\nit_systems = 5\n",
            "cost_it_systems is 0",
        ),
    ],
)
def test_a_bad_plan_is_a_one_line_error(tmp_path, plan, message):
    path = tmp_path / "bad.toml"
    path.write_text(plan)
    with pytest.raises(ScenarioError, match=message) as info:
        load_scenario(path)
    assert "\n" not in str(info.value)


def test_a_scenario_without_a_plan_dumps_as_before_and_a_plan_survives_a_file(tmp_path):
    assert "plan" not in Scenario().model_dump()
    sc = planned([{"start": 1, "it_systems": 1500.0}, {"start": 13, "learning_culture": 900.0}])
    path = tmp_path / "planned.toml"
    path.write_text(scenario_toml(sc))
    assert load_scenario(path).plan == sc.plan


def test_a_period_keeps_the_outcomes_of_its_own_levels_when_they_change_after_it():
    # outcomes are computed when first read; changing the levels between periods must not
    # rewrite the period just run
    model = CKMModel(rng=1, collect=False, **SMALL)
    model.step()
    model.set_competence("firm", it_systems=1.0)
    assert model.outcomes["investment_cost"] == pytest.approx(5 * 2000 * 0.25)
    model.step()
    assert model.outcomes["investment_cost"] == pytest.approx(2000 * (1 + 4 * 0.25))
