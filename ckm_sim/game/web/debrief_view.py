"""The debrief on the game's pages: the ranking at the end of a round, the winner and where it
differed from the others, a chart per team over the rounds (net value, retention, satisfaction,
market share) and, on a team's page, its own history of splits (figures from
:mod:`~ckm_sim.game.debrief`)."""

from __future__ import annotations

from html import escape

import solara

from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.game import debrief
from ckm_sim.game.engine import Game
from ckm_sim.game.live import LiveGame
from ckm_sim.game.web import views
from ckm_sim.model.scenario import DIMENSIONS

#: The charted figures' names on the charts.
NAMES = {
    "net_value": "Net value",
    "retention_rate": "Retention %",
    "mean_satisfaction": "Satisfaction %",
    "market_share": "Market share %",
}


def series_name(name: str, currency: str) -> str:
    """A charted figure's name on a team's chart: net value's names the ``currency``."""
    return f"{NAMES[name]} ({currency})" if name == "net_value" else NAMES[name]


def summary_html(game: Game, upto: int | None = None) -> str:
    """The ranking at the end of round ``upto`` and the sentences saying who won and why."""
    said = debrief.explain(game, upto)
    if not said:
        return "<p>No round played yet.</p>"
    head, *why = said
    items = "".join(f"<li>{escape(s)}</li>" for s in why)
    return (
        f"<p class='ckm-winner' data-figure='winner'>{escape(head)}</p>"
        f"<ul class='ckm-why' data-figure='why'>{items}</ul>"
        f"{views.leaderboard_html(game, upto)}"
    )


def history_html(game: Game, team: str, upto: int | None = None) -> str:
    """``team``'s split per round, whether it submitted it, its net value and rank."""
    rows = debrief.history(game, team, upto)
    if not rows:
        return ""
    dims = "".join(f"<th>{escape(debrief.SHORT[d])} %</th>" for d in DIMENSIONS)
    body = "".join(
        f"<tr data-round='{r['round']}'><td>{r['round']}</td>"
        + "".join(f"<td class='v'>{r[d]}</td>" for d in DIMENSIONS)
        + f"<td>{'submitted' if r['submitted'] else 'kept'}</td>"
        f"<td class='v'>{views.value('net_value', r['net_value'])}</td>"
        f"<td class='v'>{r['rank']}</td></tr>"
        for r in rows
    )
    return (
        f"<div class='ckm-wide'><table class='ckm-table' data-table='history'><tr><th>Round</th>"
        f"{dims}<th></th><th>Net value ({escape(debrief.currency(game))})</th><th>Rank</th></tr>"
        f"{body}</table></div>"
    )


def html(markup: str) -> None:
    """A block of the debrief's HTML."""
    solara.HTML(tag="div", unsafe_innerHTML=markup)


@solara.component
def TeamChart(live: LiveGame, team: str, version: int, upto: int):
    """``team``'s net value (left axis) and its retention, satisfaction and market share in
    percent (right axis), per round from the start."""
    game = live.game

    def option() -> dict:
        figures = debrief.series(game, team, upto)
        scale = {"net_value": 1.0}
        return {
            "animation": False,
            "title": {"text": team.capitalize(), "textStyle": {"fontSize": 16}},
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 24, "textStyle": {"fontSize": 12}},
            "grid": {"top": 76, "left": 64, "right": 48, "bottom": 44},
            "xAxis": {
                "type": "category",
                "data": list(range(upto + 1)),
                "name": "round (net value: left axis; percentages: right axis)",
                "nameLocation": "middle",
                "nameGap": 26,
            },
            "yAxis": [
                {"type": "value"},
                {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value} %"}},
            ],
            "series": [
                {
                    "name": series_name(name, debrief.currency(game)),
                    "type": "line",
                    "yAxisIndex": 0 if name == "net_value" else 1,
                    "data": [
                        None if v != v else round(v * scale.get(name, 100.0), 2)
                        for v in figures[name]
                    ],
                    "lineStyle": {"width": 3 if name == "net_value" else 2},
                }
                for name in debrief.CHARTED
            ],
        }

    with solara.Div(classes=["ckm-team-chart"], attributes={"data-chart": f"team-{team}"}):
        LiveEcharts(option, [version, upto], height=260)


@solara.component
def Debrief(live: LiveGame, version: int, upto: int | None = None, team: str | None = None):
    """The debrief at the end of round ``upto`` (None: the last played): ranking, winner and
    why, a chart per team, and ``team``'s own history of splits."""
    game = live.game
    shown = len(game.rounds) if upto is None else min(upto, len(game.rounds))
    with solara.Div(classes=["ckm-debrief"], attributes={"data-debrief": str(shown)}):
        html(summary_html(game, shown))
        if shown:
            with solara.Div(classes=["ckm-charts"]):
                for t in game.teams:
                    TeamChart(live, t, version, shown)
        if team is not None:
            html(history_html(game, team, shown))
