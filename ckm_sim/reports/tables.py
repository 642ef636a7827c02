"""Readable terminal tables (rich) for summaries and comparisons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from ckm_sim.reports.numbers import number


def print_summary(summary: Mapping[str, Any], meanings: Mapping[str, str], title: str = "") -> None:
    """One row per outcome: name, value, what it means."""
    table = Table(title=title, title_justify="left")
    table.add_column("outcome")
    table.add_column("value", justify="right")
    table.add_column("meaning", style="dim")
    for key, meaning in meanings.items():
        if key in summary:
            table.add_row(key, number(summary[key]), meaning)
    Console().print(table)
