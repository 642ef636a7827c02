"""Scenarios written as TOML read back as the same scenario."""

from __future__ import annotations

import tomllib

import pytest

from ckm_sim.model.scenario import Scenario, list_scenarios, load_scenario
from ckm_sim.whatif.calibrate.scenario_file import scenario_toml


@pytest.mark.parametrize("name", list_scenarios())
def test_every_shipped_scenario_round_trips(name):
    sc = load_scenario(name).with_overrides(competitor_pull=0.0731234567891)
    text = scenario_toml(sc, "a comment\nover two lines")
    assert text.startswith("# a comment\n# over two lines\n")
    assert Scenario.model_validate(tomllib.loads(text)) == sc
