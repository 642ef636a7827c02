"""Small experiment files for the experiment-runner tests (tiny models: fast runs)."""

from __future__ import annotations

from pathlib import Path

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
