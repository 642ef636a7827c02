"""What the CIs of ``compare`` and ``optimize`` cover, and the ``ckm-sim robust`` command line
that asks the same question across plausible worlds (issue 23).

Their 95% CIs come from replications of one model on different seeds: they cover seed noise
only, not the assumptions nobody has measured (lever strengths, costs, build-up, market). The
note says so and gives the exact ``robust`` command for the same alternatives:

- ``compare a b c`` -> ``ckm-sim robust a b c``; ``compare base --add X --add Y [--instant]`` ->
  ``ckm-sim robust base --add X --add Y [--instant]``, with the same ``--set``, ``--periods``
  and ``--seed``;
- ``optimize base --budget B`` sets all five levels to what a split of B buys, at once: the
  same alternatives are the base with every level 0 (``--set DIM=0``) and, bought at once
  (``--instant``), each split as added spend (``--add``): the even split and the best one.
  In a world where competence is cheaper the same money buys more, as it would for the firm.

The command is a list of arguments (:func:`compare_argv`, :func:`optimize_argv`) so a test can
parse it with ``robust``'s own parser; :func:`note` says it in a sentence.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ckm_sim.model.scenario import DIMENSIONS, Scenario

#: Where the robustness command is documented.
DOCS = "docs/robustness.md"


def _toml(value: Any) -> str:
    """``value`` as ``--set`` reads it back (a TOML value)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))


def _word(scenario: Scenario | str | Path) -> str:
    """How a scenario is named on the command line: as given, or a Scenario's name."""
    return scenario.name if isinstance(scenario, Scenario) else str(scenario)


def _options(settings: Mapping[str, Any], periods: int | None, seed: int | None) -> list[str]:
    out: list[str] = []
    for key, value in settings.items():
        out += ["--set", f"{key}={_toml(value)}"]
    if periods is not None:
        out += ["--periods", str(periods)]
    if seed is not None:
        out += ["--seed", str(seed)]
    return out


def compare_argv(
    scenarios: Sequence[Scenario | str | Path],
    add: Sequence[str] = (),
    instant: bool = False,
    settings: Mapping[str, Any] | None = None,
    periods: int | None = None,
    seed: int | None = None,
) -> list[str]:
    """The ``robust`` arguments for ``compare``'s question (without the program name)."""
    argv = ["robust", *(_word(s) for s in scenarios)]
    for text in add:
        argv += ["--add", text]
    if instant:
        argv.append("--instant")
    return argv + _options(settings or {}, periods, seed)


def _amount(value: float) -> str:
    return f"{value:.10g}"


def _spend(spend: Iterable[float], firm: str | None) -> str:
    prefix = "" if firm is None else f"{firm}."
    parts = [f"{prefix}{d}={_amount(a)}" for d, a in zip(DIMENSIONS, spend, strict=True) if a > 0]
    return ",".join(parts)


def optimize_argv(
    scenario: Scenario | str | Path,
    splits: Sequence[Iterable[float]],
    firm: str | None = None,
    periods: int | None = None,
    seed: int | None = None,
) -> list[str]:
    """The ``robust`` arguments for ``optimize``'s question: the base with every level 0 and
    each split of ``splits`` (spend per dimension, in :data:`DIMENSIONS` order) bought at once."""
    key = "" if firm is None else f"firms.{firm}."
    zero = {f"{key}{d}": 0.0 for d in DIMENSIONS}
    argv = ["robust", _word(scenario)]
    for split in splits:
        argv += ["--add", _spend(split, firm)]
    argv.append("--instant")
    return argv + _options(zero, periods, seed)


def command_line(argv: Sequence[str]) -> str:
    """``ckm-sim robust ...``, quoted for a POSIX shell."""
    return "ckm-sim " + shlex.join(argv)


def note(argv: Sequence[str] | None) -> str:
    """The sentence: what the CIs cover, and the command that tests the answer across worlds
    (None: no robust command asks this question yet)."""
    said = (
        "The 95% CIs cover seed noise only (replications of one model, on different seeds), "
        "not the assumptions the answer rests on (lever strengths, costs, build-up, market)"
    )
    if argv is None:
        return f"{said}; {DOCS} says which questions `ckm-sim robust` tests across them."
    return (
        f"{said}. To see how often the answer holds across plausible worlds, run "
        f"`{command_line(argv)}` ({DOCS})."
    )
