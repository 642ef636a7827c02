"""What if, on the teacher's page: pick a team and another split (the even split to start
with), and the game is replayed on the same market and seeds with that team's split replaced
in every round (:mod:`~ckm_sim.game.whatif`); the page shows what the firm would have earned,
its share and its rank, against what it did. The replay runs in a thread: the page stays live.
"""

from __future__ import annotations

from html import escape

import solara
import solara.lab

from ckm_sim.game import whatif
from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.debrief import currency
from ckm_sim.game.live import LiveGame
from ckm_sim.game.web import views
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.reports.numbers import money


def replayed_html(result: whatif.Replayed, currency: str) -> str:
    """The replay against the game as played: the final figures, then net value per round
    (money in ``currency``)."""
    t = result.team.capitalize()
    split = views.split_text(result.split.as_dict())
    last, then = result.replayed[-1], result.played[-1]
    cur = currency
    gap = views.value("net_value", abs(last - then))
    word = "the same" if gap == "0" else f"{gap} {escape(cur)} {'more' if last > then else 'less'}"
    head = (
        f"<p data-figure='whatif' data-team='{result.team}' data-net='{last!r}'>"
        f"With {escape(split)} in every round, {views.team_label(result.team)} would have ended "
        f"with a net value of <b>{escape(money(last, cur))}</b> instead of "
        f"{escape(money(then, cur))} ({word}), a market share of "
        f"{views.value('market_share', result.share_replayed)} "
        f"instead of {views.value('market_share', result.share_played)}, and rank "
        f"{result.rank_replayed} instead of {result.rank_played}. The other teams' decisions "
        "and the market's seed are the game's.</p>"
    )
    rows = "".join(
        f"<tr data-round='{n}'><td>{n}</td><td class='v'>{views.value('net_value', a)}</td>"
        f"<td class='v'>{views.value('net_value', b)}</td></tr>"
        for n, (a, b) in enumerate(zip(result.played, result.replayed, strict=True))
        if n
    )
    return (
        f"{head}<table class='ckm-table' data-table='whatif'><tr><th>Round</th>"
        f"<th>{escape(t)} as played: net value ({escape(cur)})</th>"
        f"<th>Replayed: net value ({escape(cur)})</th></tr>{rows}</table>"
    )


@solara.component
def WhatIf(live: LiveGame):
    """Choose a team and a split; replay the game with it."""
    game = live.game
    team, set_team = solara.use_state(game.teams[0])
    boxes, set_boxes = solara.use_state({d: str(v) for d, v in Split.even().as_dict().items()})
    asked, set_asked = solara.use_state(None)  # (team, split) to replay
    message, set_message = solara.use_state("")

    def replay() -> whatif.Replayed | None:
        if asked is None:
            return None
        return whatif.compare(game, asked[0], asked[1])

    result = solara.lab.use_task(
        replay, dependencies=[asked], prefer_threaded=True, raise_error=False
    )

    def go() -> None:
        shares, problems = views.read_draft(boxes)
        try:
            if shares is None:
                raise GameError("Check the boxes: " + "; ".join(problems))
            set_asked((team, Split.of(shares)))
            set_message("")
        except GameError as exc:
            set_message(str(exc))

    with solara.Div(classes=["ckm-whatif"]):
        solara.Select("Team", value=team, values=list(game.teams), on_value=set_team)
        with solara.Div(classes=["ckm-whatif-split"]):
            for dim in DIMENSIONS:
                with solara.Div(attributes={"data-whatif": dim}):
                    solara.InputText(
                        f"{views.SHORT[dim]} (%)",
                        value=boxes[dim],
                        on_value=lambda t, d=dim: set_boxes({**boxes, d: t}),
                        continuous_update=True,
                    )
        with solara.Row():
            solara.Button(
                "Even split",
                on_click=lambda: set_boxes({d: str(v) for d, v in Split.even().as_dict().items()}),
            )
            solara.Button("Replay with this split", on_click=go, color="primary")
        if message:
            solara.HTML(tag="div", unsafe_innerHTML=escape(message), classes=["ckm-message"])
        if result.pending:
            solara.HTML(tag="p", unsafe_innerHTML="Replaying the game…")
        elif result.error:
            solara.HTML(
                tag="div", unsafe_innerHTML=escape(str(result.exception)), classes=["ckm-message"]
            )
        elif result.finished and result.value is not None:
            solara.HTML(tag="div", unsafe_innerHTML=replayed_html(result.value, currency(game)))
