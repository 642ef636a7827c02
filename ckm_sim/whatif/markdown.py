"""Plain Markdown for the what-if reports: number formatting and tables (no extra dependency)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def number(x: Any) -> str:
    """A number at a precision that suits its size (``1,234,567``, ``12.3``, ``0.0042``)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    if isinstance(x, int):
        return f"{x:,d}"
    if math.isnan(x):
        return "-"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    size = abs(x)
    if size >= 1000:
        return f"{x:,.0f}"
    if size >= 10:
        return f"{x:,.1f}"
    if size >= 1:
        return f"{x:.2f}"
    if size == 0:
        return "0"
    return f"{x:.4g}"


def points(x: float) -> str:
    """A difference of two rates in percentage points (``0.0042`` -> ``0.42 percentage points``)."""
    return f"{number(100.0 * x)} percentage points"


def table(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str] | None = None) -> str:
    """A Markdown table of ``rows``; ``columns`` maps keys to headers (and picks the order)."""
    if not rows:
        return "_(none)_\n"
    columns = columns or {k: k for k in rows[0]}
    head = "| " + " | ".join(columns.values()) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(number(row.get(k, "")) for k in columns) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"


def ci(mean: float, low: float, high: float) -> str:
    """``mean (95% CI low to high)``."""
    return f"{number(mean)} (95% CI {number(low)} to {number(high)})"
