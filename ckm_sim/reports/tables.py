"""Readable terminal tables (rich) for summaries and comparisons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table


def _format(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:,.4f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def print_summary(summary: Mapping[str, Any], meanings: Mapping[str, str], title: str = "") -> None:
    """One row per outcome: name, value, what it means."""
    table = Table(title=title, title_justify="left")
    table.add_column("outcome")
    table.add_column("value", justify="right")
    table.add_column("meaning", style="dim")
    for key, meaning in meanings.items():
        if key in summary:
            table.add_row(key, _format(summary[key]), meaning)
    Console().print(table)
