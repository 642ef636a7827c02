"""``[structure]``: each lever's strength scales its derived rate (ckm_sim/model/structure.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model.levers import LeverRates, derive_levers
from ckm_sim.model.runs import run_scenario
from ckm_sim.model.scenario import ScenarioError, load_scenario, validate_scenario

LEVERS = tuple(LeverRates.__dataclass_fields__)
SMALL = dict(customers=300, prospects=150, employees=20)


def test_every_lever_has_a_strength_of_one_by_default():
    structure = load_scenario("baseline").structure.model_dump()
    assert structure == {f"strength_{name}": 1.0 for name in LEVERS}


@settings(max_examples=40, deadline=None)
@given(lever=st.sampled_from(LEVERS), strength=st.floats(0.0, 10.0), level=st.floats(0.0, 1.0))
def test_a_strength_scales_its_lever_alone_within_zero_and_one(lever, strength, level):
    base = load_scenario("baseline").with_overrides(learning_culture=level, it_systems=level)
    plain = derive_levers(base).as_dict()
    scaled = derive_levers(base.with_overrides(**{f"strength_{lever}": strength})).as_dict()
    assert scaled[lever] == pytest.approx(min(1.0, plain[lever] * strength))
    assert {k: v for k, v in scaled.items() if k != lever} == {
        k: v for k, v in plain.items() if k != lever
    }


def test_a_pin_wins_over_a_strength():
    scenario = load_scenario("baseline").with_overrides(
        strength_offer_adaptation=3.0, offer_adaptation=0.05
    )
    assert derive_levers(scenario).offer_adaptation == 0.05


def test_strength_zero_is_the_lever_pinned_at_zero():
    base = load_scenario("baseline").with_overrides(**SMALL)
    a = run_scenario(base.with_overrides(strength_targeting=0.0), seed=4, periods=12).summary
    b = run_scenario(base.with_overrides(targeting=0.0), seed=4, periods=12).summary
    assert a == b


def test_a_structure_table_is_checked():
    assert validate_scenario({"structure": {"strength_absorption": 0.5}}).structure
    with pytest.raises(ScenarioError, match="strength_nothing"):
        validate_scenario({"structure": {"strength_nothing": 0.5}})
