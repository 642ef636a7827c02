"""Figure ``decomposition``: docs/validation.md 9's tables, each dimension's effect on CLV and
net value lever by lever (``benchmarks/decompose_levers.py``: 0.2 -> 0.8 around the baseline,
6 paired replications, 120 periods)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

DOC = "docs/validation.md"
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "decompose_levers.py"
REPLICATIONS = 6


def _benchmark():
    """The benchmark as a module the worker processes can import too (its folder on the path
    before the pool starts, which the workers inherit)."""
    if str(SCRIPT.parent) not in sys.path:
        sys.path.insert(0, str(SCRIPT.parent))
    return importlib.import_module(SCRIPT.stem)


def block() -> str:
    """The command, the CLV table and the net-value table."""
    bench = _benchmark()
    results, runs, _ = bench.decompose(replications=REPLICATIONS, workers=2, progress=False)
    clv, clv_top = bench.table(results, "clv")
    net, _ = bench.table(results, "net_value")
    largest = "; ".join(f"{dim}: {lever}" for dim, lever in clv_top.items())
    command = (
        f"`python benchmarks/decompose_levers.py --replications {REPLICATIONS}` (each "
        f"dimension 0.2 -> 0.8, {REPLICATIONS} paired replications, 120 periods; {runs} runs)."
    )
    closing = f"The largest lever of each dimension's CLV effect (its share): {largest}."
    return "\n".join(
        [
            textwrap.fill(command, 100, break_on_hyphens=False),
            "",
            "**CLV** (mean CLV of all customers acquired, horizon convention):",
            "",
            clv,
            "",
            "**Net value** (customer equity minus every discounted cost, horizon convention):",
            "",
            net,
            "",
            textwrap.fill(closing, 100, break_on_hyphens=False),
        ]
    )
