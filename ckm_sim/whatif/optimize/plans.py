"""Candidate investment plans, compared on common seeds: which plan, and when it pays back.

A plans file is TOML with one table per candidate, named after it; each table is a scenario's
``[plan]`` (docs/ODD.md 7.7: ``lag``, ``depreciation``, ``[[<name>.phases]]``)::

    [early]
    [[early.phases]]
    start = 1
    it_systems = 2000
    [[early.phases]]
    start = 13
    it_systems = 500

Each candidate replaces the scenario's own plan (the scenario itself, with its plan or fixed
competence, is the base); ``ckm-sim optimize SCENARIO --plans FILE`` runs them with the base on
common seeds through :func:`~ckm_sim.whatif.compare.differences.compare`, compares every pair and
reports each plan's payback period against the base (:mod:`~ckm_sim.whatif.shared.payback`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ckm_sim.errors import TooLargeError
from ckm_sim.model.scenario import Scenario, ScenarioError, validate_scenario
from ckm_sim.names import plain_name_problem
from ckm_sim.tomlfiles import example_file, read_toml

#: Most candidate plans in one file: every pair is compared (with the base, 31 scenarios make
#: 465 pairs, each with its confidence intervals, sentences and payback).
MAX_PLANS = 30


def plan_tables(data: dict[str, Any], source: str) -> dict[str, dict[str, Any]]:
    """The candidate plans of a parsed plans file, by name (one-line errors; more than
    :data:`MAX_PLANS` is TooLargeError, before any plan is validated)."""
    if not data:
        raise ScenarioError(f"{source}: no plans; give one table per candidate plan")
    if len(data) > MAX_PLANS:
        pairs = (len(data) + 1) * len(data) // 2
        raise TooLargeError(
            f"{source}: {len(data):,} plans, more than {MAX_PLANS}: with the base they make "
            f"{pairs:,} pairs to compare; split them into several files"
        )
    for name, table in data.items():
        problem = plain_name_problem(name)
        if problem is not None:
            raise ScenarioError(f"{source}: plan name {name!r} {problem}")
        if not isinstance(table, dict):
            raise ScenarioError(f"{source}: '{name}' must be a table (a plan), got {table!r}")
    return data


def with_plans(scenario: Scenario, plans: dict[str, dict[str, Any]], source: str) -> list[Scenario]:
    """The scenario under each candidate plan, named after the plan."""
    out = []
    for name, table in plans.items():
        if name == scenario.name:
            raise ScenarioError(f"{source}: plan '{name}' has the base scenario's name")
        data = scenario.model_dump() | {"name": name, "plan": table}
        out.append(validate_scenario(data, source=f"{source}, plan '{name}'"))
    return out


def load_plans(scenario: Scenario, path: str | Path) -> list[Scenario]:
    """The scenario under each plan of a plans file (one-line ScenarioError for bad files)."""
    source = str(path)
    tables = plan_tables(read_toml(example_file(path), ScenarioError), source)
    return with_plans(scenario, tables, source)


def describe(scenario: Scenario) -> str:
    """``plan early``: how a candidate reads in a sentence."""
    return f"plan {scenario.name}"
