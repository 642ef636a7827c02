"""The game's Solara pages for students: the join page and a team's page.

Every page reads the one server-side :class:`~ckm_sim.game.engine.Game` and redraws when its
``version`` moves (a poll every :data:`POLL_SECONDS` in the session's event loop), so when a
round runs every screen updates, and a page that is reloaded shows the game as it is: the
team's submission lives in the game, not in the browser. A team's boxes show the split as the
server recorded it (its submission this round, from any of the team's browsers, or else the
split it works at) and start again from it whenever it changes; a line says who changed it
when. A Submit sends the round its page showed (:mod:`~ckm_sim.game.web.submit`).
"""

from __future__ import annotations

import asyncio
import math
import time
from html import escape

import solara
import solara.lab

from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.live import LiveGame
from ckm_sim.game.web import views
from ckm_sim.game.web.debrief_view import Debrief
from ckm_sim.game.web.submit import SubmitButton
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


def message_box(message: str) -> None:
    """A page's message, as text (never markup: it may echo what a student typed)."""
    if message:
        solara.HTML(tag="div", unsafe_innerHTML=escape(message), classes=["ckm-message"])


def session_id() -> str:
    """This browser's session (its cookie), or the connection's id without one."""
    try:
        return solara.get_session_id()
    except Exception:  # noqa: BLE001 - outside a server (tests): one session
        return "local"


def client_keys() -> list[tuple[str, str]]:
    """Keys for the code-attempt limits: this connection (kernel) and its network address."""
    keys = []
    try:
        from solara.server import kernel_context

        context = kernel_context.get_current_context()
        keys.append(("connection", context.id))
        for socket in list(context.kernel.session.websockets):
            client = getattr(getattr(socket, "ws", None), "client", None)
            if client is not None and getattr(client, "host", None):
                keys.append(("address", str(client.host)))
                break
    except Exception:  # noqa: BLE001 - outside a server: no keys, no limit to apply
        pass
    return keys


@solara.component
def JoinPage(live: LiveGame, message: str = ""):
    """Type the team's code (from its slip), or the teacher's, to open its page."""
    code, set_code = solara.use_state("")
    said, set_said = solara.use_state(message)
    router = solara.use_router()

    def join() -> None:
        try:
            who = live.admit(code, client_keys())
        except GameError as exc:
            set_said(str(exc))
            return
        if who == "teacher":
            live.teachers.add(session_id())
            router.push("/teacher")  # the teacher's code never shows in the address bar
        else:
            router.push(f"/team/{code.strip().upper()}")

    with solara.Div(classes=["ckm-page", "ckm-join"]):
        solara.HTML(tag="h2", unsafe_innerHTML="ckm-sim class game: join your team")
        solara.InputText(
            "Team code", value=code, on_value=set_code, continuous_update=True, password=True
        )
        solara.Button("Join", on_click=join, color="primary")
        message_box(said)


@solara.component
def SplitForm(live: LiveGame, team: str, version: int, message: str, set_message):
    """Five whole percentages of the budget, what they buy, and Submit."""
    game = live.game
    round_number = game.round_number
    record = game.submission(team)
    chosen = record.split if record is not None else game.splits[team]
    recorded = {d: str(v) for d, v in chosen.as_dict().items()}
    draft, set_draft = solara.use_state(recorded)
    # the boxes start again from the recorded split whenever it changes (from any browser);
    # when only the round changes, a split typed and not yet submitted is kept (and says so)
    identity = (round_number, record.seq if record is not None else 0)
    base = solara.use_ref(identity)
    touched = solara.use_ref(False)
    if base.current != identity:
        keep = record is None and touched.current and base.current[0] != round_number
        base.current = identity
        if not keep:
            touched.current = False
            if draft != recorded:
                draft = recorded
                set_draft(recorded)
    stamp, set_stamp = solara.use_state(0)
    shares, problems = views.read_draft(draft)
    total = None if shares is None else sum(shares.values())

    def submit(shown_round: int) -> None:
        try:
            if shares is None:
                raise GameError("Check the boxes: " + "; ".join(problems))
            game.submit(team, Split.of(shares), shown_round, live.browser_label(team, me))
            set_message("")
        except GameError as exc:
            set_message(str(exc))
        set_stamp(stamp + 1)

    def typed(dim: str, text: str) -> None:
        touched.current = True
        set_draft({**draft, dim: text})
        set_message("")  # a message about the last press no longer applies

    me = session_id()
    try:
        levels = None if shares is None else game.levels_of(Split.of(shares))
    except GameError:
        levels = None
    with solara.Div(classes=["ckm-split"]):
        for dim in DIMENSIONS:
            wrong = views.read_share(draft[dim]) is None
            with solara.Div(
                classes=["ckm-share", "ckm-wrong" if wrong else ""],
                attributes={"data-dimension": dim},
            ):
                solara.InputText(
                    f"{views.SHORT[dim]} (%)",
                    value=draft[dim],
                    on_value=lambda t, d=dim: typed(d, t),
                    continuous_update=True,
                    error=wrong,
                )
                level = "–" if levels is None else f"level {levels[dim]:.2f}"
                solara.HTML(tag="span", unsafe_innerHTML=level, classes=["ckm-level"])
        if total is None:
            text = "– % of the budget: " + escape("; ".join(problems))
        else:
            text = f"{total} % of the budget{views.spend_text(game, levels)}"
        bad = " ckm-over" if total is None or total > 100 else ""
        # the boxes as the server has read them: a script (the browser tests) can tell that
        # the server has handled what it typed, whatever the total was before
        read = escape(",".join(draft[d] for d in DIMENSIONS))
        html(f"<span class='ckm-total{bad}' data-figure='total' data-shares='{read}'>{text}</span>")
        SubmitButton(
            round_number=round_number,
            stamp=stamp,
            disabled=game.over or game.paused or total is None or total > 100,
            on_submit=submit,
        )
        message_box(message)
        html(recorded_html(live, team, me, differs=shares != chosen.as_dict()))


def recorded_html(live: LiveGame, team: str, me: str, differs: bool = False) -> str:
    """The team's split as the server has it this round, who sent it and when (and whether
    the boxes differ from it)."""
    game = live.game
    if game.over:
        return ""
    note = (
        " <b data-figure='unsent'>The boxes differ from it: press Submit to record them.</b>"
        if differs
        else ""
    )
    record = game.submission(team)
    if record is None:
        works = views.split_text(game.splits[team].as_dict())
        return (
            f"<p class='ckm-recorded' data-figure='recorded'>Your firm works at: {works}.{note}</p>"
        )
    mine = live.browser_label(team, me)
    who = "this browser" if record.by == mine else f"another browser of your team ({record.by})"
    when = time.strftime("%H:%M:%S", time.localtime(record.at))
    return (
        f"<p class='ckm-recorded' data-figure='recorded' data-by='{escape(record.by)}'>"
        f"Recorded for round {game.round_number}: {views.split_text(record.split.as_dict())}"
        f" — by {escape(who)} at {when}.{note}</p>"
    )


@solara.component
def TeamPage(live: LiveGame, team: str):
    """A team's page: the round, its firm's figures, the market shares, its split."""
    version = use_game_version(live)
    game = live.game
    message, set_message = solara.use_state("")  # survives a change of round
    solara.Title(f"ckm-sim game · {team}")
    mine = game.pending(team)
    with solara.Div(classes=["ckm-page", "ckm-game"], attributes={"data-page": f"team-{team}"}):
        html(f"<h2>Team {views.team_label(team)}</h2>")
        html(views.status_html(game))
        if game.over:
            html("<p data-figure='mine'>The game is over: see the teacher's screen.</p>")
        elif game.paused:
            html(
                "<p data-figure='mine'>The teacher has paused the round: wait for it to "
                f"resume. {'Your split is recorded.' if mine is not None else ''}</p>"
            )
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
            with solara.Card(views.budget_title(game), margin=0, classes=["ckm-form-card"]):
                html(views.budget_rules_html(game))
                SplitForm(live, team, version, message, set_message)
        if game.rounds:
            title = "Debrief: the game" if game.over else f"Debrief: round {len(game.rounds)}"
            with solara.Card(title, margin=0):
                Debrief(live, version, team=team)
