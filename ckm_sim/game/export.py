"""The game's results to take away: a CSV of every round and team, and a printable one-page
HTML debrief (ranking, winner and why, each team's splits, net value per round as a chart).

Both are written next to the game log after every round (:data:`CSV_NAME`,
:data:`PRINT_NAME`) and offered as downloads on the teacher's page. Neither holds a join code.
"""

from __future__ import annotations

import csv
import io
import math
from html import escape
from pathlib import Path

from ckm_sim.game import debrief
from ckm_sim.game.engine import Game
from ckm_sim.io import atomic_path
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.reports.numbers import money, whole

CSV_NAME = "results.csv"
PRINT_NAME = "debrief.html"
#: The CSV's columns after round, team, rank, submitted and the five shares (money in the
#: scenario's currency, the ``currency`` column).
FIGURES: tuple[str, ...] = (
    "currency",
    "spend_per_month",
    "net_value",
    "market_share",
    "retention_rate",
    "mean_satisfaction",
    *(name for _, name, _ in debrief.FLOWS),
)


def rows(game: Game) -> list[dict[str, object]]:
    """One row per round and team: its rank, whether it submitted, its split (percent per
    dimension), its spend per month, net value, share and satisfaction at the round's end,
    the round's mean retention and the knowledge flows it fed (round means)."""
    out: list[dict[str, object]] = []
    for r in game.rounds:
        ranks = [row["team"] for row in game.leaderboard(r.number)]
        for t in game.teams:
            last = r.last(t)
            row: dict[str, object] = {
                "round": r.number,
                "team": t,
                "rank": ranks.index(t) + 1,
                "submitted": "yes" if t in r.submitted else "kept",
                **{f"share_{d}": s for d, s in r.splits[t].as_dict().items()},
                "currency": debrief.currency(game),
                "spend_per_month": r.spend[t],
                "net_value": last.get("net_value", math.nan),
                "market_share": last.get("market_share", math.nan),
                "retention_rate": r.mean(t, "retention_rate"),
                "mean_satisfaction": last.get("mean_satisfaction", math.nan),
            }
            row.update({name: r.mean(t, name) for _, name, _ in debrief.FLOWS})
            out.append(row)
    return out


def results_csv(game: Game) -> str:
    """The game's results as CSV text (:func:`rows`; numbers as Python prints them)."""
    columns = ["round", "team", "rank", "submitted", *(f"share_{d}" for d in DIMENSIONS)]
    columns += list(FIGURES)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(game))
    return buffer.getvalue()


def _chart_svg(game: Game, width: int = 640, height: int = 200) -> str:
    """Every team's net value per round as lines (an inline SVG: prints without script)."""
    values = {t: debrief.series(game, t)["net_value"] for t in game.teams}
    finite = [v for vs in values.values() for v in vs if math.isfinite(v)] or [0.0]
    low, high = min(finite + [0.0]), max(finite + [1.0])
    n = max(len(game.rounds), 1)
    left, right, top, bottom = 70, 70, 10, 24

    def x(i: int) -> float:
        return left + (width - left - right) * i / n

    def y(v: float) -> float:
        return top + (height - top - bottom) * (high - v) / ((high - low) or 1.0)

    lines = []
    for t, vs in values.items():
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vs) if math.isfinite(v))
        colour = debrief.TEAM_COLOURS.get(t, "#263238")
        lines.append(
            f"<polyline fill='none' stroke='{colour}' stroke-width='2.5' points='{points}'/>"
            f"<text x='{x(len(vs) - 1) + 4:.1f}' y='{y(vs[-1]) + 4:.1f}' fill='{colour}' "
            f"font-size='11'>{escape(t.capitalize())}</text>"
        )
    axis = (
        f"<line x1='{left}' y1='{y(0):.1f}' x2='{width - right}' y2='{y(0):.1f}' stroke='#999'/>"
        f"<text x='4' y='{top + 10}' font-size='11'>{whole(high)}</text>"
        f"<text x='4' y='{height - bottom}' font-size='11'>{whole(low)}</text>"
        + "".join(
            f"<text x='{x(i) - 3:.1f}' y='{height - 6}' font-size='11'>{i}</text>"
            for i in range(n + 1)
        )
    )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"data-chart='net-value'>{axis}{''.join(lines)}</svg>"
    )


def debrief_page(game: Game) -> str:
    """A one-page printable debrief as a standalone HTML document."""
    s = game.settings
    cur = escape(debrief.currency(game))
    said = debrief.explain(game)
    head, why = (said[0], said[1:]) if said else ("No round played yet.", [])
    ranking = "".join(
        f"<tr><td>{i}</td><td>{escape(r['team'].capitalize())}</td>"
        f"<td class='v'>{whole(r['net_value'])}</td>"
        f"<td class='v'>{100 * r['market_share']:.1f} %</td></tr>"
        for i, r in enumerate(debrief.ranking(game), start=1)
    )
    order = " / ".join(escape(debrief.SHORT[d]) for d in DIMENSIONS)
    rounds = "".join(f"<th>Round {r.number}</th>" for r in game.rounds)
    splits = "".join(
        f"<tr><td>{escape(t.capitalize())}</td>"
        + "".join(
            f"<td class='v'>{' / '.join(str(v) for v in r.splits[t].shares)}"
            f"{'' if t in r.submitted else '*'}</td>"
            for r in game.rounds
        )
        + "</tr>"
        for t in game.teams
    )
    items = "".join(f"<li>{escape(w)}</li>" for w in why)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ckm-sim class game: debrief</title>
<style>
@page {{size: A4; margin: 12mm;}}
body {{font-family: sans-serif; font-size: 10.5pt; margin: 0; color: #111;}}
h1 {{font-size: 15pt; margin: 0 0 2mm 0;}}
h2 {{font-size: 11.5pt; margin: 3mm 0 1mm 0;}}
table {{border-collapse: collapse;}}
td, th {{padding: 0.6mm 2mm; text-align: left; font-size: 9pt; border-bottom: 1px solid #ddd;}}
td.v {{text-align: right; font-variant-numeric: tabular-nums;}}
.winner {{font-size: 12pt; font-weight: 700; margin: 2mm 0;}}
ul {{margin: 1mm 0; padding-left: 5mm;}}
.note {{font-size: 8.5pt; color: #444;}}
td {{white-space: nowrap;}}
</style></head>
<body data-page="debrief">
<h1>ckm-sim class game: debrief</h1>
<div>{s.teams} teams · {len(game.rounds)} of {s.rounds} rounds of {s.periods_per_round} months ·
budget {escape(money(game.budget, debrief.currency(game)))} per team and month · scenario \
{escape(s.scenario)} · seed {s.seed} · money in {cur}, discounted to month 0</div>
<p class="winner" data-figure="winner">{escape(head)}</p>
<ul data-figure="why">{items}</ul>
<h2>Ranking</h2>
<table data-table="ranking"><tr><th>#</th><th>Team</th><th>Net value ({cur})</th>
<th>Market share</th></tr>{ranking}</table>
<h2>Net value per round ({cur})</h2>
{_chart_svg(game)}
<h2>Splits per round (percent of the budget)</h2>
<div class="note">In the order {order}; * kept the previous split (not submitted).</div>
<table data-table="splits"><tr><th>Team</th>{rounds}</tr>
{splits}</table>
</body></html>
"""


def write(game: Game, folder: str | Path) -> tuple[Path, Path]:
    """Write the CSV and the printable debrief into ``folder``; their paths."""
    folder = Path(folder)
    table, page = folder / CSV_NAME, folder / PRINT_NAME
    for path, text in ((table, results_csv(game)), (page, debrief_page(game))):
        with atomic_path(path) as tmp:  # never through a link planted in the folder
            Path(tmp).write_text(text, encoding="utf-8")
    return table, page
