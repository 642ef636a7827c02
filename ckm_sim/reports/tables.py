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


#: The per-firm summary columns ``ckm-sim run`` prints for a multi-firm scenario, in order.
FIRM_TABLE_COLUMNS: tuple[str, ...] = (
    "final_market_share",
    "mean_retention_rate",
    "acquisitions_from_prospects",
    "acquisitions_from_rivals",
    "losses_to_rivals",
    "losses_out_of_market",
    "mean_satisfaction",
    "offer_fit",
    "code_accuracy",
    "clv",
    "customer_equity",
    "investment_cost",
    "net_value",
)


def print_firms(
    summary: Mapping[str, Any],
    firms: tuple[str, ...],
    columns: tuple[str, ...] = FIRM_TABLE_COLUMNS,
) -> None:
    """One row per firm of a multi-firm run: its ``<firm>.<column>`` summary values."""
    table = Table(title="per firm (columns <firm>.<name> in summary.json)", title_justify="left")
    table.add_column("firm")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right")
    for firm in firms:
        table.add_row(firm, *(number(summary.get(f"{firm}.{c}", float("nan"))) for c in columns))
    Console(width=max(160, 12 * len(columns))).print(table)
