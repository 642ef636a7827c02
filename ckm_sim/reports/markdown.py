"""Plain Markdown tables for the reports (no extra dependency); numbers via :mod:`.numbers`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ckm_sim.reports.numbers import number

#: Rows a report table shows before pointing to its CSV file.
MAX_TABLE_ROWS = 40


def table(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str] | None = None) -> str:
    """A Markdown table of ``rows``; ``columns`` maps keys to headers (and picks the order)."""
    if not rows:
        return "_(none)_\n"
    columns = columns or {k: k for k in rows[0]}
    head = "| " + " | ".join(columns.values()) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(number(row.get(k, "")) for k in columns) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"


def frame_table(frame: pd.DataFrame, max_rows: int = MAX_TABLE_ROWS) -> str:
    """A Markdown table of ``frame`` (its first ``max_rows`` rows, then a pointer to the CSV)."""
    shown = frame.head(max_rows)
    rows = [dict(zip(shown.columns, row, strict=True)) for row in shown.itertuples(index=False)]
    text = table(rows, {c: str(c) for c in shown.columns}).rstrip("\n")
    if len(frame) > max_rows:
        text += f"\n\n({len(frame) - max_rows} more rows in the CSV file)"
    return text
