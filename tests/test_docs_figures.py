"""Figures the docs quote are the code's (issue 21, defect 8): each is a block a script in
docs/figures/ writes, recorded with the model's fingerprint; a hand-edited block or a model
changed since makes it stale (docs/figures/blocks.py)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "docs" / "figures"


def _blocks():
    sys.path.insert(0, str(FIGURES))
    spec = importlib.util.spec_from_file_location("figure_blocks", FIGURES / "blocks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def blocks():
    return _blocks()


@pytest.fixture(scope="module")
def model(blocks) -> str:
    return blocks.fingerprint()


def test_every_docs_figure_is_current(blocks, model) -> None:
    records = sorted(FIGURES.glob("*.json"))
    assert {p.stem for p in records} >= {"competition", "odd_costs"}
    stale = [p for r in records for p in blocks.problems(r.stem, model)]
    assert not stale, f"{stale}: run .venv/bin/python docs/figures/make.py"


def test_a_hand_edit_or_a_changed_model_makes_a_figure_stale(blocks, model, tmp_path) -> None:
    # a copy of the docs tree, so the real files stay as they are
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    blocks.ROOT, blocks.FIGURES = tmp_path, docs / "figures"
    try:
        assert blocks.problems("odd_costs", model) == []
        assert blocks.problems("odd_costs", "another model") == [
            "odd_costs: the model changed since it was made"
        ]
        odd = docs / "ODD.md"
        odd.write_text(odd.read_text().replace("| `it_only` | −", "| `it_only` | +"))
        assert blocks.problems("odd_costs", model) == [
            "odd_costs: the block in docs/ODD.md was edited by hand"
        ]
        record = json.loads((docs / "figures" / "odd_costs.json").read_text())
        assert record["doc"] == "docs/ODD.md"
    finally:
        blocks.ROOT, blocks.FIGURES = ROOT, FIGURES
