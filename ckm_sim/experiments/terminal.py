"""The sweep's terminal summary: per-point means with 95% CIs, sensitivity, failures.

Nothing is cut (issue 25, defect 3): values never wrap or shorten, each design point shows its
factors with their values, one per line, and names shorten only by a stated rule (a prefix
``firms.<firm>.`` that every factor shares is said once above the table; a per-firm outcome's
header breaks after its firm). Outcomes that do not fit beside the design points print as
further tables with the points repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ckm_sim.experiments.analysis import Analysis
from ckm_sim.reports.numbers import half_width, number

#: Per-point rows printed at most; the rest are in points.csv.
MAX_ROWS = 25


def factor_names(factors: Sequence[str]) -> tuple[dict[str, str], str]:
    """Each factor's name as shown, and the prefix dropped from all of them (``firms.rival.``
    when every factor is that firm's; else none, ``""``)."""
    prefixes = {f.rsplit(".", 1)[0] + "." for f in factors if f.count(".") == 2}
    if len(prefixes) == 1 and all(f.count(".") == 2 for f in factors):
        prefix = prefixes.pop()
        return {f: f.removeprefix(prefix) for f in factors}, prefix
    return {f: f for f in factors}, ""


def header(name: str) -> str:
    """A column header that never needs cutting: a dotted name breaks after each dot."""
    return name.replace(".", ".\n")


def point_labels(a: Analysis, shown: dict[str, str]) -> dict[int, str]:
    """Each design point as its factors with their values, one per line (one-at-a-time: the
    factor it varies)."""
    labels = {}
    for _, row in a.design.points.iterrows():
        if a.exp.design.method == "one_at_a_time":
            varied = row["varied"]
            text = "reference (base levels)"
            if varied:
                text = f"{shown[varied]} = {number(row[varied])}"
        else:
            text = "\n".join(f"{shown[f]} = {number(row[f])}" for f in a.design.factors)
        labels[int(row["point"])] = text
    return labels


def _width(head: str, cells: Sequence[str]) -> int:
    """Characters a column needs: its longest line, plus the border and padding."""
    return max(len(line) for text in (head, *cells) for line in text.split("\n")) + 3


def _groups(widths: dict[str, int], room: int) -> list[list[str]]:
    """Outcomes packed in order into tables of at most ``room`` characters (one at least)."""
    groups: list[list[str]] = [[]]
    used = 0
    for outcome, width in widths.items():
        if groups[-1] and used + width > room:
            groups.append([])
            used = 0
        groups[-1].append(outcome)
        used += width
    return groups


def print_summary(
    a: Analysis,
    report: Path | None = None,
    max_rows: int = MAX_ROWS,
    console: Console | None = None,
) -> None:
    """The terminal summary: per-point means with 95% CIs, failures, and where the report is."""
    console = console or Console()
    wide = a.wide_points()
    shown, prefix = factor_names(a.design.factors)
    compact = a.exp.design.method == "one_at_a_time" or len(a.design.factors) > 3
    labels = point_labels(a, shown)
    keys: dict[str, list[str]] = {"point": [number(int(p)) for p in wide["point"].head(max_rows)]}
    if compact:
        keys["design point"] = [labels[int(p)] for p in wide["point"].head(max_rows)]
    else:
        for f in a.design.factors:
            keys[header(shown[f])] = [number(v) for v in wide[f].head(max_rows)]
    cells: dict[str, list[str]] = {}
    for o in a.outcomes:
        half = (wide[f"{o}_high"] - wide[f"{o}_low"]) / 2
        means = wide[f"{o}_mean"]
        cells[o] = [f"{number(m)} ± {half_width(h)}" for m, h in zip(means, half, strict=True)]
        cells[o] = cells[o][:max_rows]
    room = console.width - 1 - sum(_width(h, c) for h, c in keys.items())
    groups = _groups({o: _width(header(o), c) for o, c in cells.items()}, room)
    if prefix:
        console.print(f"factors of {prefix[6:-1]}: {prefix}<factor>", markup=False)
    for i, group in enumerate(groups):
        title = f"{a.exp.name}: mean ± 95% CI half-width over {a.exp.replications} replications"
        table = Table(title=title + (" (continued)" if i else ""), title_justify="left")
        for head in keys:
            table.add_column(head, justify="left" if head == "design point" else "right")
        for o in group:
            table.add_column(header(o), justify="right", no_wrap=True, overflow="fold")
        for r in range(len(keys["point"])):
            table.add_row(*(keys[h][r] for h in keys), *(cells[o][r] for o in group))
        console.print(table)
    if len(wide) > max_rows:
        console.print(f"({len(wide) - max_rows} more points in {a.root / 'points.csv'})")
    if a.sensitivity is not None:
        console.print(_sensitivity_table(a))
    status = f"runs: {a.runs_done} of {a.runs_total} finished, {a.runs_failed} failed"
    console.print(status, style="bold red" if a.runs_failed else None)
    for error in a.errors:
        console.print(f"  {error}", style="red", markup=False)
    for note in a.notes:
        console.print(f"note: {note}", markup=False)
    if report is not None:
        console.print(f"report: {report}", markup=False)


def _sensitivity_table(a: Analysis) -> Table:
    s = a.sensitivity
    assert s is not None
    cols = ["S1", "S1_conf", "ST", "ST_conf"] if "S1" in s.columns else ["mu_star", "sigma"]
    table = Table(title="sensitivity", title_justify="left")
    for col in ["outcome", "factor", *cols]:
        table.add_column(col, justify="right", overflow="fold")
    for _, row in s.iterrows():
        table.add_row(row["outcome"], row["factor"], *(number(row[c]) for c in cols))
    return table
