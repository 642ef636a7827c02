"""A scenario as a TOML file that :func:`~ckm_sim.model.scenario.load_scenario` reads back.

The what-if commands write their answers as ready-to-use scenarios (``calibrate`` writes the
scenario with the fitted values). Values are the scenario's own (``model_dump``): strings,
numbers, booleans, lists of strings and, in an investment plan, inline tables; ``None`` (a value
the model derives) is left out, which is what reading the file back means too. The firms of a
multi-firm scenario are ``[[firms]]`` tables at the end.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ckm_sim.model.scenario import Scenario


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a TOML basic string
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):  # an inline table (the plan's lags, depreciation and phases)
        return "{" + ", ".join(f"{k} = {_value(x)}" for k, x in v.items() if x is not None) + "}"
    raise TypeError(f"cannot write {type(v).__name__} {v!r} to TOML")


def scenario_toml(scenario: Scenario, header: str = "") -> str:
    """The scenario as TOML text, with ``header`` as comment lines on top."""
    lines = [f"# {line}" for line in header.splitlines()]
    sections = []
    firms = []
    for key, value in scenario.model_dump().items():
        if key == "firms":
            firms = value
        elif isinstance(value, dict):
            sections.append((key, value))
        elif value is not None:
            lines.append(f"{key} = {_value(value)}")
    for name, section in sections:
        lines += ["", f"[{name}]"]
        lines += [f"{k} = {_value(v)}" for k, v in section.items() if v is not None]
    for firm in firms:  # [[firms]] tables: a name and the firm's own fields, flat
        lines += ["", "[[firms]]", f"name = {_value(firm['name'])}"]
        lines += [f"{k} = {_value(v)}" for k, v in firm["overrides"].items() if v is not None]
    return "\n".join(lines) + "\n"
