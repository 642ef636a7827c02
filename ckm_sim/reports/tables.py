"""Readable terminal tables (rich) for summaries and comparisons.

No table ever cuts a number: values never wrap or shorten (a value that cannot fit folds onto
the next line whole, never an ellipsis); only the words around them wrap. Many firms print as
several tables of a few firms each, so each fits the terminal. Given the scenario's currency,
money reads in whole units of it (``1,290,194 EUR``; per firm, the row says ``net value (EUR)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from ckm_sim.reports.numbers import is_money, number, value, whole


def print_summary(
    summary: Mapping[str, Any],
    meanings: Mapping[str, str],
    title: str = "",
    console: Console | None = None,
    currency: str | None = None,
) -> None:
    """One row per outcome: name, value, what it means (money in whole units of ``currency``
    when given)."""
    table = Table(title=title, title_justify="left")
    table.add_column("outcome", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True, overflow="fold")
    table.add_column("meaning", style="dim", ratio=1)
    for key, meaning in meanings.items():
        if key in summary:
            table.add_row(key, value(key, summary[key], currency), meaning)
    (console or Console()).print(table)


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


#: Firms side by side in one table; more are printed as several tables.
FIRMS_PER_TABLE = 4


def print_firms(
    summary: Mapping[str, Any],
    firms: tuple[str, ...],
    columns: tuple[str, ...] = FIRM_TABLE_COLUMNS,
    console: Console | None = None,
    currency: str | None = None,
) -> None:
    """One row per outcome and one column per firm of a multi-firm run: each firm's
    ``<firm>.<column>`` summary values (a few firms to a table); money rows in whole units of
    ``currency`` when given, named in the row's label."""
    console = console or Console()
    for start in range(0, len(firms), FIRMS_PER_TABLE):
        group = firms[start : start + FIRMS_PER_TABLE]
        table = Table(
            title="per firm (columns <firm>.<name> in summary.json)", title_justify="left"
        )
        table.add_column("outcome", overflow="fold")
        for firm in group:
            table.add_column(firm, justify="right", no_wrap=True, overflow="fold")
        for column in columns:
            label = column.replace("_", " ")
            show = number
            if currency is not None and is_money(column):
                label, show = f"{label} ({currency})", whole
            values = (show(summary.get(f"{firm}.{column}", float("nan"))) for firm in group)
            table.add_row(label, *values)
        console.print(table)
