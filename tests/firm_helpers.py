"""A tiny two-firm scenario file for the tests of sweeps and what-if commands across firms."""

from __future__ import annotations

from pathlib import Path

from whatif_helpers import TINY

DUO = """
[[firms]]
name = "leader"
it_systems = 0.9
cost_it_systems = 4000.0

[[firms]]
name = "rival"
learning_culture = 0.2
"""


def tiny_duopoly(folder: Path, name: str = "duo") -> Path:
    """The tiny scenario of the what-if tests with two firms: ``leader`` (IT at 0.9, dearer IT)
    and ``rival`` (culture at 0.2); everything else the top-level defaults (levels 0.5)."""
    path = folder / f"{name}.toml"
    path.write_text(TINY.format(name=name, level=0.5) + DUO, encoding="utf-8")
    return path
