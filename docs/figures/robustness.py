"""Figure ``robustness``: docs/validation.md 10's tables, whether the ordering of the five
dimensions' effects survives the uncalibrated market parameters. Runs the sweep
``experiments/robustness.toml`` (1,024 runs: 16 market cells x a 2^5 factorial of the
dimensions x 2 replications, 120 periods) into a temporary folder through ``ckm_sim.api.sweep``
and analyses it with ``benchmarks/dimension_robustness.py``. About 8-10 minutes on 2 cores (the
sweep: 1,024 baseline-sized runs; the analysis takes a second)."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import blocks  # docs/figures/blocks.py: on the path when make.py runs a figure
import numpy as np

from ckm_sim.experiments.spec import load_experiment

DOC = "docs/validation.md"
ROOT = Path(__file__).resolve().parents[2]
EXPERIMENT = ROOT / "experiments" / "robustness.toml"
WORKERS = 2
TITLES = {
    "clv": "**CLV** (main effect of each dimension, 0.3 → 0.8):",
    "net_value": "**Net value** (horizon convention):",
}


def fill(text: str) -> str:
    return textwrap.fill(text, 100, break_on_hyphens=False)


def runs():
    """The sweep's finished runs (made afresh in a temporary folder)."""
    from ckm_sim import api

    with tempfile.TemporaryDirectory() as out:
        outcome = api.sweep(EXPERIMENT, out=out, workers=WORKERS, report=False)
    frame = outcome.runs
    failed = int((frame["status"] != "ok").sum())
    if failed:
        raise SystemExit(f"{failed} runs of {EXPERIMENT.name} failed")
    return frame


def counts(bench, orders: dict) -> str:
    """Where each rank's dimension is the same across the cells, for both outcomes."""
    n = len(orders["clv"].cells)
    parts = []
    for outcome, name in (("clv", "CLV"), ("net_value", "net value")):
        result = orders[outcome]
        order, rankings = result.order, result.rankings()
        words = [
            f"{order[rank]}, {label} on average, is {label} in "
            f"{sum(r[rank] == order[rank] for r in rankings)}/{n} cells"
            for rank, label in ((0, "the largest"), (1, "the second"), (-1, "the smallest"))
        ]
        parts.append(f"on {name}, {words[0]}, {words[1]} and {words[2]}")
    losing = orders["net_value"]
    effects = np.array(list(losing.cells.values()))
    negative = (effects < 0).sum(axis=0)
    most = [bench.SHORT[d] for d, k in zip(bench.DIMENSIONS, negative, strict=True) if k > n / 2]
    everywhere = int((effects < 0).all(axis=1).sum())
    money = (
        f"In net value {len(most)} of the five dimensions ({', '.join(most) or 'none'}) lose money "
        f"(a negative main effect) in more than half of the cells, and in {everywhere}/{n} cells "
        "every dimension does."
    )
    return f"Reading the tables: {'; '.join(parts)}. {money}"


def block() -> str:
    """The command, both outcomes' tables and summaries, and the counts the reading quotes."""
    bench = blocks.benchmark("dimension_robustness")
    frame = runs()
    orders = {outcome: bench.ordering(frame, outcome) for outcome in bench.OUTCOMES}
    exp = load_experiment(EXPERIMENT)
    lines = [
        fill(
            f"`ckm-sim sweep experiments/robustness.toml`, then `python "
            f"benchmarks/dimension_robustness.py`: {len(frame):,} runs ({exp.replications} "
            f"replications, {exp.periods} periods, base seed {exp.base_seed})."
        )
    ]
    for outcome in bench.OUTCOMES:
        result = orders[outcome]
        lines += ["", TITLES[outcome], "", result.table(), "", result.summary()]
    lines += ["", fill(counts(bench, orders))]
    return "\n".join(lines)
