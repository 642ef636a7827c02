"""Small multi-firm markets for the competition tests (issue 11)."""

from __future__ import annotations

from typing import Any

from ckm_sim.model.scenario import Scenario, validate_scenario

#: A small, fast market: every mechanism on, a few hundred customers.
SMALL: dict[str, Any] = {
    "customers": 300,
    "prospects": 150,
    "employees": 16,
    "need_dimensions": 10,
    "periods": 30,
}

#: Lever pins of a firm that never learns: its employees, code, profiles and offer stay put.
NO_LEARNING: dict[str, float] = {
    "socialisation_rate": 0.0,
    "code_learning_rate": 0.0,
    "peer_learning_rate": 0.0,
    "absorption": 0.0,
    "capture": 0.0,
    "analytic_reach": 0.0,
    "offer_adaptation": 0.0,
}


def market(*firms: dict[str, Any], **params: Any) -> Scenario:
    """A scenario of ``firms`` (``[[firms]]`` tables) over the small market and ``params``."""
    base = Scenario().with_overrides(**(SMALL | params))
    data = base.model_dump()
    data["firms"] = [dict(f) for f in firms]
    return validate_scenario(data, source="test market")
