"""The game's pages for the front of the room: the teacher's page, the projector's board and
the printable code slips.

The teacher's page is ``/teacher``: a browser that has shown the teacher's code (typed on the
join page, or the printed ``/teacher/<code>`` link, which then leaves the address bar) keeps
it for its session, so the projected address never holds a code. Team codes are hidden on it
until the teacher shows them; ``/slips`` prints one slip per team (teacher's browser only) and
``/board`` is the projector's view: the round in large type, the countdown, who has submitted,
the leaderboard and the market shares, and no code at all.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

import solara

from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.game import export
from ckm_sim.game.budget import GameError
from ckm_sim.game.engine import MAX_TIMER_SECONDS
from ckm_sim.game.live import LiveGame
from ckm_sim.game.web import views
from ckm_sim.game.web.debrief_view import Debrief
from ckm_sim.game.web.pages import html, message_box, use_game_version
from ckm_sim.game.web.whatif_view import WhatIf


def read_seconds(text: str) -> float:
    """The timer's seconds from its box (1 to :data:`MAX_TIMER_SECONDS`), else a GameError."""
    text = str(text or "").strip()
    if not text.isdigit() or len(text) > 5 or not 1 <= int(text) <= MAX_TIMER_SECONDS:
        raise GameError(f"a timer runs from 1 to {MAX_TIMER_SECONDS} seconds: type a number")
    return float(int(text))


@solara.component
def SharesChart(live: LiveGame, version: int, upto: int, height: int = 360):
    """Every team's market share per month, up to the end of round ``upto``."""
    game = live.game

    def option() -> dict:
        months = upto * game.settings.periods_per_round
        series = views.share_series(game)
        return {
            "animation": False,
            "title": {"text": "Market share per month", "textStyle": {"fontSize": 16}},
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 28, "textStyle": {"fontSize": 14}},
            "grid": {"top": 70, "left": 60, "right": 70, "bottom": 40},
            "xAxis": {"type": "category", "data": list(range(months + 1)), "name": "month"},
            "yAxis": {"type": "value", "name": "share", "min": 0},
            "series": [
                {
                    "name": t.capitalize(),
                    "type": "line",
                    "showSymbol": False,
                    "data": [None if v != v else round(v, 4) for v in series[t][: months + 1]],
                    "lineStyle": {"color": views.TEAM_COLOURS[t], "width": 3},
                    "itemStyle": {"color": views.TEAM_COLOURS[t]},
                }
                for t in game.teams
            ],
        }

    LiveEcharts(option, [version, upto], height=height)


def exports_html(live: LiveGame) -> str:
    """Download links for the results (CSV) and the printable one-page debrief (HTML), and
    where the server keeps them."""
    game = live.game
    if not game.rounds:
        return ""
    table = base64.b64encode(export.results_csv(game).encode()).decode()
    page = base64.b64encode(export.debrief_page(game).encode()).decode()
    return (
        "<div class='ckm-exports'>Take away: "
        f"<a download='{export.CSV_NAME}' data-export='csv' "
        f"href='data:text/csv;charset=utf-8;base64,{table}'>Results (CSV)</a> · "
        f"<a download='{export.PRINT_NAME}' data-export='print' "
        f"href='data:text/html;charset=utf-8;base64,{page}'>Printable debrief (one page)</a>"
        f" <span class='ckm-note'>(also in {escape(str(live.folder))})</span></div>"
    )


def codes_html(live: LiveGame) -> str:
    """Every team's code (shown on the teacher's page only when asked)."""
    return " ".join(
        f"<span class='ckm-code' data-code='{t}'>{views.team_label(t)} "
        f"<code>{live.code_of(t)}</code></span>"
        for t in live.game.teams
    )


def slips_html(live: LiveGame) -> str:
    """One slip per team to print and cut: the team, its code, where to type it."""
    slips = "".join(
        f"<div class='ckm-slip' data-slip='{t}'>Team {views.team_label(t)}<br>"
        f"Your code: <code>{live.code_of(t)}</code><br>"
        "<small>Open the game's address and type it. Keep it to your team.</small></div>"
        for t in live.game.teams
    )
    return f"<div class='ckm-slips'>{slips}</div>"


@solara.component
def SlipsPage(live: LiveGame):
    """The printable code slips (the teacher's browser only)."""
    solara.Title("ckm-sim game · code slips")
    with solara.Div(classes=["ckm-page"], attributes={"data-page": "slips"}):
        html(slips_html(live))


@solara.component
def BoardPage(live: LiveGame):
    """The projector's view: large type, the countdown, who has submitted, no codes."""
    version = use_game_version(live)
    game = live.game
    solara.Title("ckm-sim game")
    left = game.seconds_left()
    with solara.Div(
        classes=["ckm-page", "ckm-game", "ckm-board"], attributes={"data-page": "board"}
    ):
        html(views.status_html(game))
        if left is not None:
            html(f"<div class='ckm-countdown' data-figure='countdown'>{int(left + 0.999)} s</div>")
        html(views.leaderboard_html(game))
        if game.rounds:
            SharesChart(live, version, len(game.rounds), height=420)


@solara.component
def RoundControls(live: LiveGame, version: int, act: Callable[[Callable[[], object]], None]):
    """End the round (after a confirmation naming it), pause or resume it, reopen the last
    round played (after a confirmation), and the timer; drawn again when the game's
    ``version`` moves."""
    game = live.game
    seconds, set_seconds = solara.use_state("120")
    asked, set_asked = solara.use_state(("", 0))  # ("end" | "reopen", the round named)
    number = game.round_number
    played = len(game.rounds)
    if asked[0] == "end" and asked[1] != number or asked[0] == "reopen" and asked[1] != played:
        asked = ("", 0)  # the round moved on meanwhile: the question no longer applies

    def answer(action: Callable[[], object]) -> None:
        set_asked(("", 0))
        act(action)

    with solara.Div(classes=["ckm-bar"]):
        if not game.over:
            solara.Button("End round now", on_click=lambda: set_asked(("end", game.round_number)))
            if game.paused:
                solara.Button("Resume", on_click=lambda: act(game.resume), color="primary")
            else:
                solara.Button("Pause", on_click=lambda: act(game.pause))
        if played:
            solara.Button(f"Reopen round {played}", on_click=lambda: set_asked(("reopen", played)))
        if not game.over:
            solara.InputText(
                "Timer (seconds)", value=seconds, on_value=set_seconds, continuous_update=True
            )
            solara.Button(
                "Start timer",
                on_click=lambda: act(lambda: game.start_timer(read_seconds(seconds))),
            )
    number, played = (asked[1], played) if asked[0] == "end" else (number, asked[1] or played)
    if asked[0] == "end":
        with solara.Div(classes=["ckm-confirm"], attributes={"data-confirm": "end"}):
            html(
                f"End round {number} now? Teams that have not submitted keep the split their "
                "firm works at."
            )
            solara.Button(
                f"Yes, end round {number}",
                on_click=lambda: answer(lambda: game.end_round(number)),
                color="error",
            )
            solara.Button("Cancel", on_click=lambda: set_asked(("", 0)))
    elif asked[0] == "reopen":
        with solara.Div(classes=["ckm-confirm"], attributes={"data-confirm": "reopen"}):
            html(
                f"Reopen round {played}? Its results are taken back; the teams' submissions "
                "of that round stand and may be changed, and the round runs again on the same "
                "market."
            )
            solara.Button(
                f"Yes, reopen round {played}",
                on_click=lambda: answer(game.reopen),
                color="error",
            )
            solara.Button("Cancel", on_click=lambda: set_asked(("", 0)))


@solara.component
def TeacherPage(live: LiveGame):
    """The teacher's page: the round and its controls, the leaderboard, the debrief; the team
    codes behind a switch."""
    version = use_game_version(live)
    game = live.game
    message, set_message = solara.use_state("")
    show_codes, set_show_codes = solara.use_state(False)
    upto, set_upto = solara.use_state(None)  # the round replayed up to; None: the latest
    solara.Title("ckm-sim game · teacher")

    def act(action) -> None:
        try:
            action()
            set_message("")
        except GameError as exc:
            set_message(str(exc))

    with solara.Div(classes=["ckm-page", "ckm-game"], attributes={"data-page": "teacher"}):
        html("<h2>ckm-sim class game · teacher</h2>")
        with solara.Div(classes=["ckm-codes"]):
            solara.Switch(label="Show team codes", value=show_codes, on_value=set_show_codes)
            if show_codes:
                html(codes_html(live))
            html(
                "<a href='/slips' target='_blank'>Code slips to print</a> · "
                "<a href='/board' target='_blank'>Projector view (no codes)</a>"
            )
        html(views.status_html(game))
        RoundControls(live, version, act)
        message_box(message)
        played = len(game.rounds)
        shown = played if upto is None or upto > played else upto
        with solara.Card("Debrief: ranking, winner and why", margin=0):
            if played:  # at the last round the replay follows the game as rounds are played
                solara.SliderInt(
                    f"Replay up to round {shown}",
                    value=shown,
                    min=1,
                    max=max(played, 1),
                    on_value=lambda v: set_upto(None if v >= len(game.rounds) else v),
                )
            Debrief(live, version, shown)
        with solara.Card("What each team spent, what it got", margin=0):
            if played:
                SharesChart(live, version, shown)
            rounds = tuple(r.number for r in game.rounds[:shown])
            html(views.debrief_html(game, rounds=rounds), classes=["ckm-wide"])
            html(exports_html(live))
        if played:
            with solara.Card("What if: replay a team's firm with another split", margin=0):
                WhatIf(live)
