"""Figures the docs quote, each a block a script writes and a record that says when.

A figure is a block of a Markdown file between ``<!-- figure:NAME -->`` and
``<!-- /figure:NAME -->``, written by ``docs/figures/NAME.py`` (``python docs/figures/make.py
NAME``). Beside it, ``docs/figures/NAME.json`` records the file, a hash of the block and the
model's :func:`fingerprint` when the figure was made. ``tests/test_docs_figures.py`` fails when
a block was edited by hand (its hash differs) or the model has changed since (the fingerprint
differs): then the figure is stale and must be made again.

The figure scripts share here how they word a table: :func:`show` (an estimate in a cell),
:func:`paired_design` and :func:`table_head`.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ckm_sim.experiments.evaluator import RunPlan
    from ckm_sim.experiments.stats import Estimate

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
FIGURES = DOCS / "figures"
#: Small runs whose summaries fingerprint the model: one firm, an open market, two firms.
FINGERPRINT_RUNS: tuple[tuple[str, dict[str, Any], int], ...] = (
    ("baseline", {"customers": 300, "prospects": 150, "employees": 20}, 30),
    (
        "baseline",
        {"customers": 300, "prospects": 150, "market_growth": 0.02, "winback_rate": 0.3},
        30,
    ),
    ("duopoly", {"customers": 300, "prospects": 150}, 30),
)
#: Significant digits of each summary value in the fingerprint: far beyond any change of the
#: model's logic, short of the last bits a CPU's vectorised ``exp`` or sum may change.
DIGITS = 9


def fingerprint() -> str:
    """A hash of the rounded summaries of :data:`FINGERPRINT_RUNS` (seed 1)."""
    from ckm_sim import CKMModel

    rows = []
    for name, params, periods in FINGERPRINT_RUNS:
        row = CKMModel(name, rng=1, collect=False, **params).run(periods).summary()
        rows.append(
            {k: float(f"{v:.{DIGITS}g}") if isinstance(v, float) else v for k, v in row.items()}
        )
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]


def benchmark(stem: str) -> ModuleType:
    """The script ``benchmarks/<stem>.py`` as a module, for a figure that reports what it
    measures (its designs and functions, not its printout)."""
    folder = str(ROOT / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(stem)


def show(e: Estimate, digits: int = 1) -> str:
    """``+2.4 (1.0 to 3.8)`` with true minus signs: an estimate and its interval in a cell."""
    return f"{e.mean:+.{digits}f} ({e.low:.{digits}f} to {e.high:.{digits}f})".replace("-", "−")


def paired_design(size: Mapping[str, int], plan: RunPlan) -> str:
    """``Baseline at 1,500 customers, 750 prospects, 30 employees, 120 periods, 8 paired seeds
    (base seed 1991), 95% t intervals``: the design of a figure's paired runs of the baseline."""
    return (
        f"Baseline at {size['customers']:,} customers, {size['prospects']} prospects, "
        f"{size['employees']} employees, {plan.periods} periods, {plan.replications} paired seeds "
        f"(base seed {plan.base_seed}), 95% t intervals"
    )


def table_head(head: str, columns: Sequence[str]) -> list[str]:
    """The lines that open a figure's table: ``head`` wrapped at 100 characters, a blank line,
    the header row of ``columns`` and its rule."""
    return [
        textwrap.fill(head, 100, break_on_hyphens=False),
        "",
        f"| {' | '.join(columns)} |",
        "|" + "---|" * len(columns),
    ]


def pattern(name: str) -> re.Pattern[str]:
    """The block of figure ``name`` in a Markdown text."""
    return re.compile(
        rf"<!-- figure:{re.escape(name)} -->\n(.*?)\n<!-- /figure:{re.escape(name)} -->", re.S
    )


def read(doc: Path, name: str) -> str:
    """Figure ``name``'s block as ``doc`` holds it."""
    match = pattern(name).search(doc.read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit(f"{doc.name} has no block for figure '{name}'")
    return match.group(1)


def digest(block: str) -> str:
    """A short hash of a block."""
    return hashlib.sha256(block.encode()).hexdigest()[:16]


def write(doc: Path, name: str, block: str, model: str) -> None:
    """Put ``block`` in ``doc`` as figure ``name`` and record it with the model fingerprint."""
    text = doc.read_text(encoding="utf-8")
    old = read(doc, name)
    doc.write_text(text.replace(old, block, 1), encoding="utf-8")
    record = {"doc": str(doc.relative_to(ROOT)), "block": digest(block), "model": model}
    (FIGURES / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def problems(name: str, model: str) -> list[str]:
    """Why figure ``name`` is stale (empty: it is current)."""
    record = json.loads((FIGURES / f"{name}.json").read_text(encoding="utf-8"))
    block = read(ROOT / record["doc"], name)
    out = []
    if digest(block) != record["block"]:
        out.append(f"{name}: the block in {record['doc']} was edited by hand")
    if record["model"] != model:
        out.append(f"{name}: the model changed since it was made")
    return out
