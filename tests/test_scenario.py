"""Scenario files and keyword overrides: the shipped scenarios, defaults, and one-line errors."""

from __future__ import annotations

import pytest

from ckm_sim import CKMModel, Scenario, ScenarioError, list_scenarios, load_scenario
from ckm_sim.model.scenario import DIMENSIONS, FIELDS, SCENARIO_DIR, SECTIONS, resolve_scenario_path

SHIPPED = ("baseline", "siloed_firm", "it_only", "customer_centric", "co_creation", "march1991")


def test_every_required_scenario_ships_and_validates():
    assert set(SHIPPED) <= set(list_scenarios())
    for name in list_scenarios():
        sc = load_scenario(name)
        assert sc.name == name
        assert sc.description
        assert load_scenario(SCENARIO_DIR / f"{name}.toml") == sc


def test_baseline_file_lists_the_defaults():
    # baseline.toml spells out every parameter with its default value, and fixes the seed
    labels = {"name", "description", "seed"}
    baseline = load_scenario("baseline")
    assert baseline.model_dump(exclude=labels) == Scenario().model_dump(exclude=labels)
    assert baseline.seed == 42 and Scenario().seed is None


def test_every_shipped_scenario_fixes_its_seed():
    # the command line repeats a shipped scenario's run; only an unseeded one draws fresh seeds
    assert {name: load_scenario(name).seed for name in list_scenarios()} == dict.fromkeys(
        list_scenarios(), 42
    )


def test_scenarios_express_the_paper_cases():
    c = {name: load_scenario(name).competence for name in SHIPPED}
    base = c["baseline"]
    assert c["siloed_firm"].inter_functional_cooperation < base.inter_functional_cooperation
    assert all(getattr(c["customer_centric"], d) > getattr(base, d) for d in DIMENSIONS)
    it = c["it_only"]
    assert it.it_systems > base.it_systems
    assert it.learning_culture < base.learning_culture
    assert it.organisational_systems < base.organisational_systems
    assert c["co_creation"].customer_cooperation > base.customer_cooperation
    march = load_scenario("march1991")
    assert march.market.customers == 0 and march.market.need_dimensions == 30
    assert march.firm.employees == 50


def test_field_names_are_unique_across_sections():
    names = [f for cls in SECTIONS.values() for f in cls.model_fields]
    assert len(names) == len(set(names)) == len(FIELDS)


def test_flat_overrides_reach_their_sections():
    sc = Scenario().with_overrides(customers=123, it_systems=0.9, margin=7.0, capture=0.4)
    assert sc.market.customers == 123
    assert sc.competence.it_systems == 0.9
    assert sc.economics.margin == 7.0
    assert sc.levers.capture == 0.4
    assert sc.flat()["customers"] == 123
    assert Scenario().with_overrides() == Scenario()


def test_model_keyword_arguments_equal_scenario_overrides():
    m = CKMModel(customers=40, prospects=10, employees=8, learning_culture=0.9, rng=1)
    assert m.scenario_config.market.customers == 40
    assert m.scenario_config.competence.learning_culture == 0.9
    from_file = CKMModel("baseline", customers=40, prospects=10, employees=8, rng=1)
    assert from_file.scenario_config.name == "baseline"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"it_sytems": 0.5}, ["it_sytems", "allowed"]),
        ({"it_systems": 1.5}, ["it_systems", "<= 1"]),
        ({"employees": 1}, ["employees", ">= 2"]),
        ({"community": "grid"}, ["community", "small_world"]),
        ({"margin": float("inf")}, ["margin", "finite"]),
        ({"product_department": "legal"}, ["product_department"]),
        ({"employees": 3}, ["employees", "departments"]),
        ({"frontline_departments": ["legal"]}, ["frontline_departments"]),
        ({"departments": ["a", "a"]}, ["distinct"]),
    ],
)
def test_bad_overrides_give_one_line(overrides, words):
    with pytest.raises(ScenarioError) as info:
        CKMModel(**overrides)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_missing_scenario_lists_shipped_names(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file.*baseline"):
        resolve_scenario_path(tmp_path / "nope.toml")


def test_empty_file_is_the_default_scenario_named_after_the_file(tmp_path):
    path = tmp_path / "my_firm.toml"
    path.write_text("")
    sc = load_scenario(path)
    assert sc.name == "my_firm"
    assert sc.model_dump(exclude={"name"}) == Scenario().model_dump(exclude={"name"})


def test_boolean_for_a_number_is_an_error(tmp_path):
    path = tmp_path / "bool.toml"
    path.write_text("[competence]\nit_systems = true\n")
    with pytest.raises(ScenarioError, match="it_systems"):
        load_scenario(path)


def test_shipped_scenarios_are_package_data():
    from importlib import resources

    shipped = resources.files("ckm_sim").joinpath("data", "scenarios")
    assert SCENARIO_DIR.samefile(str(shipped))
    assert sorted(p.stem for p in SCENARIO_DIR.glob("*.toml")) == list_scenarios()


def test_no_shipped_scenarios_is_an_error_not_an_empty_list(tmp_path, monkeypatch, capsys):
    # a broken install used to print nothing and exit 0
    from ckm_sim import cli
    from ckm_sim.model import scenario

    monkeypatch.setattr(scenario, "SCENARIO_DIR", tmp_path)
    with pytest.raises(ScenarioError, match="no shipped scenarios in .*incomplete"):
        list_scenarios()
    with pytest.raises(ScenarioError, match="no shipped scenarios"):
        load_scenario("baseline")
    assert cli.main(["scenarios"]) == 2
    assert "no shipped scenarios" in capsys.readouterr().err
