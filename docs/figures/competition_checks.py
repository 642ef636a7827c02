"""Figure ``competition_checks``: docs/validation.md 11's three checks of several firms in one
market, symmetry, share shift and one-firm recovery (``benchmarks/competition_checks.py``, 20
seeds on the tests' small market)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import numpy as np

DOC = "docs/validation.md"
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "competition_checks.py"
SEEDS = 20
LABELS = {
    "a.final_market_share": "raising firm's final market share",
    "b.final_active_customers": "rival's active customers at the horizon",
    "a.clv": "raising firm's CLV",
    "b.clv": "rival's CLV",
    "mean_retention_rate": "mean retention rate",
    "mean_satisfaction": "mean satisfaction",
    "mean_perceived_value": "mean perceived value",
    "offer_fit": "offer fit",
    "code_accuracy": "code accuracy",
    "employee_accuracy": "employee accuracy",
    "clv": "CLV",
    "final_active_customers": "active customers at the horizon",
}


def _benchmark() -> ModuleType:
    if str(SCRIPT.parent) not in sys.path:
        sys.path.insert(0, str(SCRIPT.parent))
    return importlib.import_module(SCRIPT.stem)


def _pm(mean: float, se: float, digits: int) -> str:
    return f"{mean:+.{digits}f} ± {se:.{digits}f}".replace("-", "\u2212")


def _plain(mean: float, se: float, digits: int) -> str:
    return _pm(mean, se, digits).lstrip("+")


def block() -> str:
    """The symmetry sentence, the share-shift table and the recovery table."""
    got = _benchmark().checks(range(SEEDS))
    mean, se = got["symmetry"]["a.final_market_share"]
    symmetry = (
        f"**Symmetry** ({SEEDS} seeds): the first of two like firms ends with a market share of "
        f"{_plain(mean, se, 4)} (mean ± SE), {abs(mean - 0.5) / se:.1f} SE from one half."
    )
    lines = [
        textwrap.fill(symmetry, 100, break_on_hyphens=False),
        "",
        f"**Share shift** (paired differences, mean ± SE over {SEEDS} seeds):",
        "",
        "| outcome | paired difference |",
        "|---|---|",
    ]
    for key, (m, s) in got["shift"].items():
        digits = 4 if "share" in key else 1
        lines.append(f"| {LABELS[key]} | {_pm(m, s, digits)} |")
    lines += [
        "",
        f"**One-firm recovery** ({SEEDS} seeds each; difference in SE of the difference):",
        "",
        "| outcome | one firm alone | against a rival that never learns | difference |",
        "|---|---|---|---|",
    ]
    for key, (one, e1) in got["alone"].items():
        two, e2 = got["against"][key]
        digits = 1 if key in ("clv", "final_active_customers") else 4
        z = (two - one) / float(np.hypot(e1, e2))
        diff = f"{two - one:+.{digits}f} ({z:+.1f} SE)".replace("-", "\u2212")
        lines.append(
            f"| {LABELS[key]} | {_plain(one, e1, digits)} | {_plain(two, e2, digits)} | {diff} |"
        )
    return "\n".join(lines)
