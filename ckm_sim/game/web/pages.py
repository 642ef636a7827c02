"""The game's Solara pages: the join page, a team's page, the teacher's page.

Every page reads the one server-side :class:`~ckm_sim.game.engine.Game` and redraws when its
``version`` moves (a poll every :data:`POLL_SECONDS` in the session's event loop), so when a
round runs every screen updates, and a page that is reloaded shows the game as it is: the
team's submission lives in the game, not in the browser. A team's inputs start from its
submission this round, or else from the split it works at.
"""

from __future__ import annotations

import asyncio
import math

import solara
import solara.lab

from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.game import budget
from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.live import TEACHER, LiveGame
from ckm_sim.game.web import views
from ckm_sim.model.scenario import DIMENSIONS

POLL_SECONDS = 0.3


def use_game_version(live: LiveGame) -> int:
    """The game's version, updated while the page is open (and every second of a timer)."""
    game = live.game
    version, set_version = solara.use_state(game.version)
    _, set_second = solara.use_state(0)

    async def poll() -> None:
        seen = game.version
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if game.version != seen:
                seen = game.version
                set_version(seen)
            left = game.seconds_left()
            if left is not None:
                set_second(math.ceil(left))

    solara.lab.use_task(poll, dependencies=[], prefer_threaded=False)
    return version


def html(markup: str, classes: list[str] | None = None) -> None:
    """A block of the views' HTML."""
    solara.HTML(tag="div", unsafe_innerHTML=markup, classes=classes or [])


@solara.component
def JoinPage(live: LiveGame):
    """Type the team's code (on the teacher's screen) to open the team's page."""
    code, set_code = solara.use_state("")
    message, set_message = solara.use_state("")
    router = solara.use_router()

    def join() -> None:
        who = live.team_of(code)
        if who is None:
            set_message(f"No team has the code {code.strip().upper()!r}: check the board.")
            return
        kind = "teacher" if who == TEACHER else "team"
        router.push(f"/{kind}/{code.strip().upper()}")

    with solara.Div(classes=["ckm-page", "ckm-join"]):
        solara.HTML(tag="h2", unsafe_innerHTML="ckm-sim class game: join your team")
        solara.InputText("Team code", value=code, on_value=set_code, continuous_update=True)
        solara.Button("Join", on_click=join, color="primary")
        if message:
            solara.HTML(tag="div", unsafe_innerHTML=message, classes=["ckm-message"])


@solara.component
def SplitForm(live: LiveGame, team: str, version: int):
    """Five whole percentages of the budget, what they buy, and Submit."""
    game = live.game
    round_number = game.round_number
    chosen = game.pending(team) or game.splits[team]
    draft, set_draft = solara.use_state(chosen.as_dict(), key=f"draft-{round_number}")
    message, set_message = solara.use_state("", key=f"message-{round_number}")

    def submit() -> None:
        try:
            game.submit(team, Split.of(draft))
        except GameError as exc:
            set_message(str(exc))
            return
        set_message("")

    total = sum(draft.values())
    try:
        levels = game.levels_of(Split.of(draft))
    except GameError:
        levels = None
    with solara.Div(classes=["ckm-split"]):
        for dim in DIMENSIONS:
            with solara.Div(classes=["ckm-share"], attributes={"data-dimension": dim}):
                solara.InputInt(
                    f"{views.SHORT[dim]} (% of budget)",
                    value=draft[dim],
                    on_value=lambda v, d=dim: set_draft({**draft, d: int(v or 0)}),
                    continuous_update=True,
                )
                level = "–" if levels is None else f"level {levels[dim]:.2f}"
                solara.HTML(tag="span", unsafe_innerHTML=level, classes=["ckm-level"])
        spend = (
            ""
            if levels is None
            else f" · buys levels costing {budget.spend(levels, game.scenario.costs):,.0f} of "
            f"{game.budget:,.0f} per month"
        )
        over = " ckm-over" if total > 100 else ""
        html(
            f"<span class='ckm-total{over}' data-figure='total'>{total} % of the budget"
            f"{spend}</span>"
        )
        solara.Button(
            "Submit split", on_click=submit, color="primary", disabled=game.over or total > 100
        )
        if message:
            solara.HTML(tag="div", unsafe_innerHTML=message, classes=["ckm-message"])


@solara.component
def TeamPage(live: LiveGame, team: str):
    """A team's page: the round, its firm's figures, the market shares, its split."""
    version = use_game_version(live)
    game = live.game
    solara.Title(f"ckm-sim game · {team}")
    mine = game.pending(team)
    with solara.Div(classes=["ckm-page", "ckm-game"], attributes={"data-page": f"team-{team}"}):
        html(f"<h2>Team {views.team_label(team)}</h2>")
        html(views.status_html(game))
        if game.over:
            html("<p data-figure='mine'>The game is over: see the teacher's screen.</p>")
        elif mine is None:
            html(
                "<p data-figure='mine'>Not submitted yet: if the round ends now, your firm "
                "keeps the split it works at.</p>"
            )
        else:
            html(
                "<p data-figure='mine'>Submitted for this round. You may change it until the "
                "round runs.</p>"
            )
        with solara.Div(classes=["ckm-columns"]):
            with solara.Card("Your firm", margin=0):
                html(views.firm_html(game, team))
            with solara.Card("Market shares", margin=0):
                html(views.shares_html(game))
            with solara.Card(f"Your budget: {game.budget:,.0f} per month", margin=0):
                SplitForm(live, team, version)


@solara.component
def SharesChart(live: LiveGame, version: int, upto: int):
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

    LiveEcharts(option, [version, upto], height=360)


@solara.component
def TeacherPage(live: LiveGame):
    """The teacher's page: codes, the round and its controls, the leaderboard, the debrief."""
    version = use_game_version(live)
    game = live.game
    seconds, set_seconds = solara.use_state(120)
    message, set_message = solara.use_state("")
    upto, set_upto = solara.use_state(None)  # the round replayed up to; None: the latest
    solara.Title("ckm-sim game · teacher")

    def act(action) -> None:
        try:
            action()
            set_message("")
        except GameError as exc:
            set_message(str(exc))

    codes = " ".join(
        f"<span class='ckm-code' data-code='{t}'>{views.team_label(t)} "
        f"<code>{live.code_of(t)}</code></span>"
        for t in game.teams
    )
    with solara.Div(classes=["ckm-page", "ckm-game"], attributes={"data-page": "teacher"}):
        html("<h2>ckm-sim class game · teacher</h2>")
        html(
            f"<div class='ckm-codes'>Team codes (open this address's /team/CODE, or type "
            f"the code on its front page): {codes}</div>"
        )
        html(views.status_html(game))
        with solara.Div(classes=["ckm-bar"]):
            solara.Button("End round now", on_click=lambda: act(game.end_round), disabled=game.over)
            solara.InputInt("Timer (seconds)", value=seconds, on_value=set_seconds)
            solara.Button(
                "Start timer",
                on_click=lambda: act(lambda: game.start_timer(seconds or 0)),
                disabled=game.over,
            )
        if message:
            solara.HTML(tag="div", unsafe_innerHTML=message, classes=["ckm-message"])
        with solara.Card("Leaderboard", margin=0):
            html(views.leaderboard_html(game))
        with solara.Card("Debrief: what each team spent, what it got", margin=0):
            played = len(game.rounds)
            shown = played if upto is None or upto > played else upto
            if played:  # at the last round the replay follows the game as rounds are played
                solara.SliderInt(
                    f"Replay up to round {shown}",
                    value=shown,
                    min=1,
                    max=max(played, 1),
                    on_value=lambda v: set_upto(None if v >= len(game.rounds) else v),
                )
                SharesChart(live, version, shown)
            rounds = tuple(r.number for r in game.rounds[:shown])
            html(views.debrief_html(game, rounds=rounds))
