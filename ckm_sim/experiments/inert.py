"""Factors that change nothing: refused before the first run.

A factor changes nothing when two of its values give the same model: every firm's scenario
(:meth:`~ckm_sim.model.scenario.Scenario.for_firm`, what the model builds each firm from) and
every firm's own fields are equal. The common case is a market-level field, such as
``it_systems``, that every firm of a multi-firm scenario sets for itself (``duopoly``): the
sweep would run every point alike. Such a factor is one error line naming the per-firm keys to
vary instead (issue 25, defect 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ckm_sim.model.scenario import Scenario, firm_key


def _model_inputs(scenario: Scenario) -> list[Any]:
    """What the model reads of ``scenario``: each firm's scenario and its own fields."""
    return [
        (scenario.for_firm(name).model_dump(), scenario.firm_spec(name).model_dump())
        for name in scenario.firm_names()
    ]


def changes_nothing(base: Scenario, name: str, values: Sequence[Any]) -> bool:
    """Whether every value of factor ``name`` gives ``base`` the same model inputs (a factor
    with fewer than two distinct values is not judged)."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) < 2:
        return False
    first = _model_inputs(base.with_overrides(**{name: distinct[0]}))
    return all(
        _model_inputs(base.with_overrides(**{name: value})) == first for value in distinct[1:]
    )


def why(base: Scenario, name: str) -> str:
    """Why factor ``name`` changes nothing in ``base``, and what to vary instead."""
    firms = base.firm_names()
    own = [f for f in firms if name in base.firm_spec(f).overrides]
    if len(firms) > 1 and own == list(firms):
        keys = " or ".join(firm_key(f, name) for f in firms)
        return (
            f"every firm of {base.name} sets its own {name} ({', '.join(firms)}); "
            f"vary one firm's: {keys}"
        )
    return f"its values give {base.name} the same model"


def inert_factors(base: Scenario, factors: Mapping[str, Sequence[Any]]) -> dict[str, str]:
    """The factors (name -> values) that change nothing in ``base``, each with the reason."""
    return {
        name: why(base, name)
        for name, values in factors.items()
        if changes_nothing(base, name, values)
    }
