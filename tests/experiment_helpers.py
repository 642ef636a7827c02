"""Small experiment files and exact comparisons of runs for the experiment-runner, replay,
worker-independence and common-random-numbers tests (small models: fast runs)."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

TINY_FIXED = """
[fixed]
customers = 150
prospects = 50
employees = 10
"""


def write_experiment(folder: Path, body: str, name: str = "tiny", periods: int = 6, **top) -> Path:
    """Write ``<folder>/<name>.toml``: a tiny baseline market plus ``body`` (factors, design)."""
    lines = [f'name = "{name}"', 'scenario = "baseline"', f"periods = {periods}"]
    lines += [f"{key} = {value!r}" for key, value in top.items()]
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n" + TINY_FIXED + body, encoding="utf-8")
    return path


GRID = """
[factors.it_systems]
levels = [0.0, 1.0]
[factors.learning_culture]
levels = [0.2, 0.8]
[design]
method = "full_factorial"
"""

#: Two factors over their whole range: the factors of :func:`sampled`.
RANGES = """
[factors.it_systems]
range = [0.0, 1.0]
[factors.learning_culture]
range = [0.0, 1.0]
"""


def sampled(
    samples: int,
    method: str = "latin_hypercube",
    report: str | None = None,
    second_order: bool | None = None,
) -> str:
    """An experiment body: :data:`RANGES` sampled at ``samples`` points by ``method`` (Sobol's
    ``second_order`` if given), the report showing only the outcome ``report`` if given."""
    lines = [RANGES.rstrip("\n"), "[design]", f'method = "{method}"', f"samples = {samples}"]
    if second_order is not None:
        lines.append(f"second_order = {str(second_order).lower()}")
    if report is not None:
        lines += ["[outcomes]", f'report = ["{report}"]']
    return "\n".join(lines) + "\n"


#: A small market (the size of the replay, worker and CRN tests): long enough a run (with the
#: scenario's burn-in) that every stage and every random stream is used, and still quick.
SMALL_MARKET = {"customers": 300, "prospects": 100, "employees": 20}
SMALL_PERIODS = 40


def write_small_experiment(
    folder: Path, body: str, scenario: str = "baseline", name: str = "small", **top
) -> Path:
    """Write ``<folder>/<name>.toml``: ``scenario`` at :data:`SMALL_MARKET` for
    :data:`SMALL_PERIODS` periods, plus ``body`` (factors, design) and ``top`` (replications...)."""
    lines = [f'name = "{name}"', f'scenario = "{scenario}"', f"periods = {SMALL_PERIODS}"]
    lines += [f"{key} = {value!r}" for key, value in top.items()]
    lines += ["[fixed]"] + [f"{key} = {value!r}" for key, value in SMALL_MARKET.items()]
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    return path


def same_value(a: Any, b: Any) -> bool:
    """Equal, or both NaN (an outcome without customers), or equal arrays (NaN equal to NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.all((a == b) | _nans(a, b)))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(same_value(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    return bool(a == b) or (a != a and b != b)


def _nans(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind not in "fc":
        return np.zeros(a.shape, dtype=bool)
    return np.isnan(a) & np.isnan(b)


def differing_fields(a: Any, b: Any) -> list[str]:
    """The names of the fields (a dataclass's, or a dict's keys) in which ``a`` and ``b`` differ."""
    names = [f.name for f in fields(a)] if dataclasses.is_dataclass(a) else list(a | b)
    return [n for n in names if not same_value(_get(a, n), _get(b, n))]


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name)


def state_snapshot(state: Any) -> dict[str, Any]:
    """A deep copy of every field of a model's state (its arrays, counters and slots)."""
    return {f.name: copy.deepcopy(getattr(state, f.name)) for f in fields(state)}
