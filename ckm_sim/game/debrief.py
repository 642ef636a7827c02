"""The game's debrief in figures and words: the ranking at the end of a round, the winner and
where it differed from the others (the dimensions it gave more or less of its budget, the
knowledge flows its firm fed, what its customers did), each team's figures per round and its
history of splits. Plain values: the pages (:mod:`~ckm_sim.game.web.debrief_view`) and the
export (:mod:`~ckm_sim.game.export`) draw them.

"Why" compares the winner with the mean of the other teams over the rounds played; it reports
differences, not causes: a class reads them next to the market-share chart.
"""

from __future__ import annotations

import math
from typing import Any

from ckm_sim.game.engine import Game, RoundRecord
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.reports.numbers import money

#: Each team's colour on every screen and print.
TEAM_COLOURS: dict[str, str] = {
    "red": "#c62828",
    "blue": "#1565c0",
    "green": "#2e7d32",
    "orange": "#ef6c00",
    "purple": "#6a1b9a",
    "teal": "#00838f",
    "brown": "#5d4037",
    "pink": "#ad1457",
}
#: Short names of the five dimensions (the same as the team's form).
SHORT: dict[str, str] = {
    "inter_functional_cooperation": "Cooperation between departments",
    "organisational_systems": "Organisational systems",
    "customer_cooperation": "Cooperation with customers",
    "it_systems": "IT systems",
    "learning_culture": "Learning culture",
}
#: One measure per knowledge flow: the flow's name, the outcome, what it counts.
FLOWS: tuple[tuple[str, str, str], ...] = (
    ("ABOUT", "about_captures", "needs recorded about customers"),
    ("FROM", "from_to_product", "customer ideas reaching product development"),
    ("FOR", "for_tailored_lessons", "tailored lessons to customers"),
)
#: The figures charted per team over rounds (round 0: the start).
CHARTED: tuple[str, ...] = ("net_value", "retention_rate", "mean_satisfaction", "market_share")
#: A difference in share (percentage points) worth a sentence.
SHARE_POINTS = 5


def currency(game: Game) -> str:
    """The currency the game's money is in (its scenario's ``[economics] currency``)."""
    return str(game.scenario.economics.currency)


def played(game: Game, upto: int | None = None) -> list[RoundRecord]:
    """The rounds up to ``upto`` (None: every round played)."""
    return list(game.rounds if upto is None else game.rounds[: max(upto, 0)])


def ranking(game: Game, upto: int | None = None) -> list[dict[str, Any]]:
    """The leaderboard at the end of round ``upto`` (best net value first)."""
    return game.leaderboard(upto)


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return sum(finite) / len(finite) if finite else math.nan


def explain(game: Game, upto: int | None = None) -> list[str]:
    """Sentences: who leads at the end of round ``upto`` and where it differed from the others
    (its budget shares, the knowledge flows its firm fed, its customers' retention and
    satisfaction). Empty before the first round."""
    rounds = played(game, upto)
    if not rounds:
        return []
    board = ranking(game, upto)
    winner, second = board[0]["team"], board[1]["team"]
    others = [t for t in game.teams if t != winner]
    over = "wins the game" if len(rounds) >= game.settings.rounds else "leads"
    gap = board[0]["net_value"] - board[1]["net_value"]
    out = [
        f"{winner.capitalize()} {over} after round {rounds[-1].number} with a net value of "
        f"{money(board[0]['net_value'], currency(game))}, {money(gap, currency(game))} ahead of "
        f"{second.capitalize()}."
    ]
    shares = {
        t: {d: _mean([r.splits[t].as_dict()[d] for r in rounds]) for d in DIMENSIONS}
        for t in game.teams
    }
    diffs = sorted(
        ((shares[winner][d] - _mean([shares[t][d] for t in others]), d) for d in DIMENSIONS),
        reverse=True,
    )
    more = [
        f"{SHORT[d]} ({shares[winner][d]:.0f} % against {shares[winner][d] - x:.0f} %)"
        for x, d in diffs
        if x >= SHARE_POINTS
    ][:2]
    less = [
        f"{SHORT[d]} ({shares[winner][d]:.0f} % against {shares[winner][d] - x:.0f} %)"
        for x, d in reversed(diffs)
        if x <= -SHARE_POINTS
    ][:2]
    if more or less:
        parts = []
        if more:
            parts.append("more of its budget to " + " and ".join(more))
        if less:
            parts.append("less to " + " and ".join(less))
        out.append(
            f"Dimensions: on average over the rounds it gave {'; '.join(parts)} than the "
            "other teams."
        )
    else:
        out.append("Dimensions: its split was close to the other teams' (within 5 points).")
    flows = []
    for flow, name, what in FLOWS:
        mine = _mean([r.mean(winner, name) for r in rounds])
        theirs = _mean([r.mean(t, name) for r in rounds for t in others])
        if (
            math.isfinite(mine)
            and math.isfinite(theirs)
            and abs(mine - theirs) > 0.1 * max(abs(theirs), 1e-9)
        ):
            word = "more" if mine > theirs else "fewer"
            flows.append(f"{flow} ({word} {what}: {mine:.2f} against {theirs:.2f} a month)")
    out.append(
        "Knowledge flows: its firm fed " + "; ".join(flows) + "."
        if flows
        else "Knowledge flows: its firm fed them about as much as the others."
    )
    stay = _mean([r.mean(winner, "retention_rate") for r in rounds])
    stay_others = _mean([r.mean(t, "retention_rate") for r in rounds for t in others])
    if math.isfinite(stay) and math.isfinite(stay_others):
        out.append(
            f"Customers: its retention averaged {100 * stay:.1f} % a month against "
            f"{100 * stay_others:.1f} % for the others."
        )
    return out


def series(game: Game, team: str, upto: int | None = None) -> dict[str, list[float]]:
    """``team``'s charted figures per round, from round 0 (the start): net value, market
    share and satisfaction at the round's end, retention as the round's mean."""
    start = game.start[team]
    out = {name: [start.get(name, math.nan)] for name in CHARTED}
    for r in played(game, upto):
        for name in CHARTED:
            out[name].append(
                r.mean(team, name) if name == "retention_rate" else r.last(team).get(name, math.nan)
            )
    return out


def history(game: Game, team: str, upto: int | None = None) -> list[dict[str, Any]]:
    """``team``'s split per round (percent per dimension), whether it submitted it (or kept
    its previous one), and its net value and rank at the round's end."""
    rows = []
    for r in played(game, upto):
        board = [row["team"] for row in game.leaderboard(r.number)]
        rows.append(
            {
                "round": r.number,
                **r.splits[team].as_dict(),
                "submitted": team in r.submitted,
                "net_value": r.last(team).get("net_value", math.nan),
                "rank": board.index(team) + 1,
            }
        )
    return rows
