"""Figures the docs quote are the code's: each is produced by a script, and a test fails while
the docs hold an older one (issue 21, defect 8)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_readmes_competition_table_is_the_models() -> None:
    script = _script("make_competition_table")
    held = script.in_readme(script.README.read_text(encoding="utf-8"))
    assert held == script.table(), "stale: run .venv/bin/python docs/make_competition_table.py"
