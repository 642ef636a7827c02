"""``--set KEY=VALUE``: one-off parameter changes on ``run``, ``compare`` and ``sweep``, as
BehaviorSpace's headless runs take them (a sweep adds them to its ``[fixed]`` values).

``KEY`` is any flat scenario parameter (``it_systems``, ``customers``) or a firm's
(``firms.laggard.it_systems``); ``VALUE`` is read as a TOML value (``0.9``, ``true``,
``"scale_free"``; a bare word is a string). A bad key or value is one argparse error line
before anything runs; the scenario then validates the value as a file's would.
"""

from __future__ import annotations

import argparse
import tomllib
from typing import Any

from ckm_sim.experiments.spec import Experiment, ExperimentError
from ckm_sim.firmkeys import parameter_kind


def setting(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` as ``(key, value)``."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    if parameter_kind(key) is None:
        raise argparse.ArgumentTypeError(
            f"unknown parameter '{key}' (a scenario field such as it_systems, or "
            "firms.<firm>.<field>)"
        )
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()  # a bare word: a string (community=scale_free)
    return key, value


def add_set(parser: argparse.ArgumentParser) -> None:
    """The repeatable ``--set KEY=VALUE`` option."""
    parser.add_argument(
        "--set",
        type=setting,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change one parameter of the scenario(s) for this command (repeatable), e.g. "
        "--set it_systems=0.9 --set firms.laggard.customer_cooperation=0.7",
    )


def settings_of(args: argparse.Namespace) -> dict[str, Any]:
    """The ``--set`` values by key (a later one wins)."""
    return dict(getattr(args, "set", None) or [])


def experiment_with(exp: Experiment, settings: dict[str, Any]) -> Experiment:
    """``exp`` with ``settings`` added to its ``[fixed]`` values (a sweep's inputs change with
    them, so ``--resume`` of another ``--set`` is refused); a factor of the sweep cannot be
    set."""
    if not settings:
        return exp
    varied = [k for k in settings if k in exp.factors]
    if varied:
        raise ExperimentError(
            f"--set {varied[0]}: it is a factor of the sweep; change its levels in the file"
        )
    changed = exp.model_copy(update={"fixed": {**exp.fixed, **settings}})
    changed.base_scenario()  # a bad value is one line before anything runs
    return changed
