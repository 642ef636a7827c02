"""Firms in flat keys, for sweeps and the what-if commands.

A multi-firm scenario (``[[firms]]`` tables, docs/ODD.md) addresses one firm's parameter as
``firms.<firm>.<field>`` (``firms.rival.it_systems``; :func:`ckm_sim.model.scenario.firm_key`)
and one firm's outcome as ``<firm>.<outcome>`` (``leader.net_value``;
:func:`ckm_sim.model.outcomes.firm_outcome`); unprefixed names are the market's (or, with one
firm, that firm's). This module checks such keys against a scenario in one-line errors
(:class:`FirmError`), reads a firm's own value of a parameter, and names per-firm outcomes in
words for the reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ckm_sim.errors import CKMError
from ckm_sim.model.outcomes import (
    BY_NAME,
    FIRM_SUMMARY,
    SUMMARY,
    firm_outcome,
    split_firm_outcome,
)
from ckm_sim.model.scenario import (
    FIELD_SECTION,
    FIRM_ONLY,
    FIRM_SECTIONS,
    Scenario,
    ScenarioError,
    field_kind,
    split_firm_key,
)


class FirmError(CKMError):
    """An unknown firm, or a multi-firm option on a single-firm scenario (one line)."""


def parameter_kind(key: str) -> str | None:
    """``int``, ``float``, ``bool``, ``str`` or ``other`` for a flat parameter, a firm's
    (``firms.rival.it_systems``) too; None for a key that is no parameter."""
    if key in FIELD_SECTION:
        return field_kind(key)
    if not key.startswith("firms."):
        return None
    try:
        _, _, field = split_firm_key(key)
    except ScenarioError:
        return None
    if field in FIRM_ONLY:
        return "float"
    if FIELD_SECTION.get(field) in FIRM_SECTIONS:
        return field_kind(field)
    return None


def outcome_key(firm: str | None, name: str) -> str:
    """The key of outcome ``name`` for ``firm`` (``name`` itself for None)."""
    return name if firm is None else firm_outcome(firm, name)


def is_multi_firm(scenario: Scenario) -> bool:
    """Whether the scenario has two or more firms."""
    return len(scenario.firm_names()) > 1


def check_firms(scenario: Scenario, names: Iterable[str], what: str) -> tuple[str, ...]:
    """``names`` if each is a firm of a multi-firm scenario; else a one-line FirmError that says
    ``what`` asked (``--firm``, ``outcomes.report``) and lists the firms."""
    names = tuple(names)
    firms = scenario.firm_names()
    if len(firms) < 2:
        raise FirmError(
            f"{what}: {scenario.name} has one firm; firm options need a scenario with "
            "[[firms]] tables (e.g. duopoly)"
        )
    for name in names:
        if name not in firms:
            raise FirmError(
                f"{what}: unknown firm '{name}' in {scenario.name}; firms: {', '.join(firms)}"
            )
    return names


def firm_value(scenario: Scenario, firm: str | None, field: str) -> Any:
    """``field`` as ``firm`` has it (its own value, else the scenario's default); None: the
    scenario's own value."""
    chosen = scenario if firm is None else scenario.for_firm(firm)
    return chosen.flat()[field]


def parameter_value(scenario: Scenario, key: str) -> Any:
    """The value of flat parameter ``key`` in ``scenario``; a firm's key reads that firm's."""
    if not key.startswith("firms."):
        return scenario.flat()[key]
    _, firm, field = split_firm_key(key)
    if field in FIRM_ONLY:
        return scenario.firm_spec(firm).get(field)
    return firm_value(scenario, firm, field)


def common_firms(scenarios: Sequence[Scenario]) -> tuple[str, ...]:
    """The firms every scenario has, in the first one's order (none if any has only one)."""
    if not scenarios or not all(is_multi_firm(sc) for sc in scenarios):
        return ()
    rest = [set(sc.firm_names()) for sc in scenarios[1:]]
    return tuple(f for f in scenarios[0].firm_names() if all(f in r for r in rest))


def check_outcome(scenario: Scenario, key: str, what: str) -> str:
    """``key`` if a run of ``scenario`` has that summary column, else a one-line FirmError."""
    firm, name = split_firm_outcome(key)
    if firm is None:
        if key not in SUMMARY:
            raise FirmError(f"{what}: unknown outcome '{key}'")
        return key
    check_firms(scenario, [firm], what)
    if name not in FIRM_SUMMARY:
        raise FirmError(
            f"{what}: '{key}': {name} is not a per-firm outcome; per firm: "
            f"{', '.join(FIRM_SUMMARY)}"
        )
    return key


def words(key: str) -> str:
    """An outcome in a sentence: ``net value``, ``leader's net value``."""
    firm, name = split_firm_outcome(key)
    outcome = BY_NAME.get(name)
    text = outcome.words if outcome is not None else name.replace("_", " ")
    return text if firm is None else f"{firm}'s {text}"
