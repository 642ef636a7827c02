"""Firms in flat keys, for sweeps and the what-if commands.

A multi-firm scenario (``[[firms]]`` tables, docs/ODD.md) addresses one firm's parameter as
``firms.<firm>.<field>`` (``firms.rival.it_systems``) and one firm's outcome as
``<firm>.<outcome>`` (``leader.net_value``); unprefixed names are the market's (or, with one
firm, that firm's). Outcome and field names never contain a dot, so a key splits at its last one.

This module parses and checks such keys against a scenario, in one-line errors
(:class:`FirmError`), and reads a firm's own value of a parameter; the model does the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ckm_sim.errors import CKMError

#: Prefix of a flat parameter key that addresses one firm.
PREFIX = "firms"
#: The name of the one firm of a scenario without ``[[firms]]`` tables.
SOLE_FIRM = "firm"


class FirmError(CKMError):
    """An unknown firm, or a multi-firm option on a single-firm scenario (one line)."""


def split_parameter(key: str) -> tuple[str | None, str]:
    """``firms.rival.it_systems`` -> ``("rival", "it_systems")``; ``it_systems`` ->
    ``(None, "it_systems")``."""
    head, dot, rest = key.partition(".")
    if head != PREFIX or not dot:
        return None, key
    firm, dot, field = rest.rpartition(".")
    if not dot or not firm or not field:
        raise FirmError(f"'{key}': a firm's parameter is firms.<firm>.<field>")
    return firm, field


def parameter_key(firm: str | None, field: str) -> str:
    """The flat key of ``field`` for ``firm`` (``field`` itself for None)."""
    return field if firm is None else f"{PREFIX}.{firm}.{field}"


def split_outcome(key: str) -> tuple[str | None, str]:
    """``leader.net_value`` -> ``("leader", "net_value")``; ``net_value`` -> ``(None, ...)``."""
    firm, dot, name = key.rpartition(".")
    return (firm, name) if dot and firm else (None, key)


def outcome_key(firm: str | None, name: str) -> str:
    """The key of outcome ``name`` for ``firm`` (``name`` itself for None)."""
    return name if firm is None else f"{firm}.{name}"


def firm_names(scenario: Any) -> tuple[str, ...]:
    """The scenario's firms (``("firm",)`` for a single-firm scenario)."""
    names = getattr(scenario, "firm_names", None)
    return tuple(names()) if callable(names) else (SOLE_FIRM,)


def is_multi_firm(scenario: Any) -> bool:
    """Whether the scenario has two or more firms."""
    return len(firm_names(scenario)) > 1


def check_firms(scenario: Any, names: Iterable[str], what: str) -> tuple[str, ...]:
    """``names`` if each is a firm of a multi-firm scenario; else a one-line FirmError that says
    ``what`` asked (``--firm``, ``factors.firms.x.it_systems``) and lists the firms."""
    names = tuple(names)
    firms = firm_names(scenario)
    label = getattr(scenario, "name", "the scenario")
    if len(firms) < 2:
        raise FirmError(
            f"{what}: {label} has one firm; firm options need a scenario with [[firms]] tables "
            "(e.g. duopoly)"
        )
    for name in names:
        if name not in firms:
            raise FirmError(f"{what}: unknown firm '{name}' in {label}; firms: {', '.join(firms)}")
    return names


def firm_value(scenario: Any, firm: str | None, field: str) -> Any:
    """``field`` as firm ``firm`` has it: its own override, else the scenario's default (the
    top-level sections are every firm's defaults); ``firm`` None: the scenario's value."""
    flat = scenario.flat()
    if firm is None:
        return flat[field]
    own = getattr(scenario, "firm_flat", None)
    if callable(own):
        return own(firm)[field]
    return flat.get(parameter_key(firm, field), flat[field])


def common_firms(scenarios: Sequence[Any]) -> tuple[str, ...]:
    """The firms every scenario has, in the first one's order (none if any has only one)."""
    if not scenarios or not all(is_multi_firm(sc) for sc in scenarios):
        return ()
    rest = [set(firm_names(sc)) for sc in scenarios[1:]]
    return tuple(f for f in firm_names(scenarios[0]) if all(f in r for r in rest))
