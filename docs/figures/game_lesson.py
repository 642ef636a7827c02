"""Figure ``game_lesson``: docs/classroom.md's example game, played headlessly through the game's
own engine (:class:`ckm_sim.game.engine.Game`, as the server plays it): the teams' splits, the
round the teacher ended too early and reopened, the debrief after the last round (the winner and
why, the ranking), the ranking per round (*Replay up to round*), the export and the what-if
replay of every team with the even split. Every figure and every sentence that names a team is
the engine's, formatted as the game's pages format it (:mod:`ckm_sim.game.web.views`)."""

from __future__ import annotations

import textwrap

from ckm_sim.game import debrief, export, whatif
from ckm_sim.game.budget import Split
from ckm_sim.game.engine import Game, GameSettings
from ckm_sim.game.web import views
from ckm_sim.model.scenario import DIMENSIONS

DOC = "docs/classroom.md"
#: ``ckm-sim classroom --teams 3 --rounds 4``: the command's other settings at their defaults.
SETTINGS = GameSettings(teams=3, rounds=4)
CRM = Split.of({"inter_functional_cooperation": 20, "organisational_systems": 20, "it_systems": 60})
CRM_CULTURE = Split.of({"organisational_systems": 30, "it_systems": 40, "learning_culture": 30})
CO_CREATION = Split.of({"customer_cooperation": 50, "it_systems": 50})
CO_CREATION_CROSSING = Split.of(
    {"inter_functional_cooperation": 30, "customer_cooperation": 40, "learning_culture": 30}
)
LEARNING = Split.of(
    {
        "inter_functional_cooperation": 25,
        "organisational_systems": 25,
        "customer_cooperation": 10,
        "it_systems": 10,
        "learning_culture": 30,
    }
)
#: Each team's split per round; None: the team does not submit (it keeps its split).
PLAN: dict[str, tuple[Split | None, ...]] = {
    "red": (CRM, CRM, CRM_CULTURE, None),
    "blue": (LEARNING, LEARNING, LEARNING, LEARNING),
    "green": (CO_CREATION, CO_CREATION_CROSSING, None, CO_CREATION_CROSSING),
}
#: The round the teacher ends before this team has submitted, then reopens (not the first:
#: the team keeps its split of the round before).
EARLY = (2, "green")
#: The what-if's split.
OTHER = Split.even()


def name(team: str) -> str:
    """``Red``."""
    return team.capitalize()


def money(x: float) -> str:
    """Net value as the pages show it."""
    return views.value("net_value", x)


def share(x: float) -> str:
    """A market share as the pages show it."""
    return views.value("market_share", x)


def rank(game: Game, team: str, upto: int | None = None) -> int:
    """``team``'s rank at the end of round ``upto`` (None: the last played)."""
    return [r["team"] for r in game.leaderboard(upto)].index(team) + 1


def play() -> tuple[Game, dict[str, float]]:
    """The example game, and the early-ended round's figures for the late team (net value,
    rank) before the teacher reopened it."""
    game = Game(SETTINGS)
    early: dict[str, float] = {}
    for number in range(1, SETTINGS.rounds + 1):
        for team in game.teams:
            split = PLAN[team][number - 1]
            if split is not None and (number, team) != EARLY:
                game.submit(team, split, round_number=number, by="browser 1")
        if game.round_number == number:  # someone has not submitted: the teacher ends it
            game.end_round(number)
        if number == EARLY[0]:
            late = EARLY[1]
            early = {"net_value": game.latest(late)["net_value"], "rank": rank(game, late)}
            assert game.reopen() == number
            split = PLAN[late][number - 1]
            assert split is not None
            if not game.submit(late, split, round_number=number, by="browser 1"):
                game.end_round(number)
    assert game.over and early
    return game, early


def splits_table(game: Game) -> list[str]:
    """Each team's split per round, as the printable debrief shows them (* kept)."""
    rounds = " | ".join(f"round {r.number}" for r in game.rounds)
    lines = [f"| team | {rounds} |", "|---" * (len(game.rounds) + 1) + "|"]
    for t in game.teams:
        cells = " | ".join(
            " / ".join(str(s) for s in r.splits[t].shares) + ("" if t in r.submitted else " (kept)")
            for r in game.rounds
        )
        lines.append(f"| {name(t)} | {cells} |")
    return lines


def ranking_table(game: Game) -> list[str]:
    """The leaderboard as every page and the projector view show it."""
    lines = [
        "| # | team | net value | market share | retention (last round) | CKM spend per month |",
        "|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(game.leaderboard(), start=1):
        lines.append(
            f"| {i} | {name(r['team'])} | {money(r['net_value'])} | {share(r['market_share'])} "
            f"| {views.value('retention_rate', r['retention_rate'])} "
            f"| {views.value('investment_cost', r['spend'])} |"
        )
    return lines


def replay_table(game: Game) -> list[str]:
    """Net value (rank) per team at the end of every round: *Replay up to round*."""
    head = " | ".join(name(t) for t in game.teams)
    lines = [f"| after round | {head} | leads |", "|---" * (len(game.teams) + 2) + "|"]
    for r in game.rounds:
        cells = " | ".join(
            f"{money(r.last(t)['net_value'])} ({rank(game, t, r.number)})" for t in game.teams
        )
        lines.append(f"| {r.number} | {cells} | {name(game.leaderboard(r.number)[0]['team'])} |")
    return lines


def whatif_table(game: Game) -> tuple[list[str], list[str]]:
    """Every team replayed with :data:`OTHER` in every round against what it did; the teams
    the other split would have served better."""
    lines = [
        "| team | net value as played | with the even split | market share as played "
        "| with the even split | rank as played | with the even split |",
        "|---|---|---|---|---|---|---|",
    ]
    better = []
    for t in game.teams:
        got = whatif.compare(game, t, OTHER)
        then, now = got.played[-1], got.replayed[-1]
        if now > then:
            better.append(name(t))
        lines.append(
            f"| {name(t)} | {money(then)} | {money(now)} | {share(got.share_played)} "
            f"| {share(got.share_replayed)} | {got.rank_played} | {got.rank_replayed} |"
        )
    return lines, better


def fill(text: str, first: str = "", then: str = "") -> list[str]:
    """A paragraph in lines of at most 100 characters (no breaks inside words or at hyphens),
    the first line starting with ``first``, the others with ``then``; a number keeps its unit."""
    glue = "\x00"
    lines = textwrap.wrap(
        text.replace(" %", glue + "%"),
        100,
        initial_indent=first,
        subsequent_indent=then,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return [line.replace(glue, " ") for line in lines]


def block() -> str:
    """The example game: command, splits, round control, debrief, replay, export, what if."""
    game, early = play()
    s = game.settings
    last = game.rounds[-1].number
    late_round, late = EARLY
    order = " / ".join(debrief.SHORT[d] for d in DIMENSIONS)
    kept = [
        f"{name(t)} in round {r.number}"
        for r in game.rounds
        for t in game.teams
        if t not in r.submitted
    ]
    said = debrief.explain(game)
    rerun = game.rounds[late_round - 1].last(late)["net_value"]
    rows = export.rows(game)
    table, better = whatif_table(game)
    lines = [
        *fill(
            f"**The game.** `ckm-sim classroom --teams {s.teams} --rounds {s.rounds}` "
            f"(seed {s.seed}, {s.periods_per_round} months a round, "
            f"{s.customers_per_team:,} customers per firm at the start, a budget of "
            f"{game.budget:,.0f} a month), played through the game's engine by "
            "`docs/figures/game_lesson.py` (`docs/figures/make.py` writes this block again after "
            "a change to the model or the game). The teams' splits, in percent of the budget in "
            f"the order {order} (kept: the team had not submitted, it kept its split):"
        ),
        "",
        *splits_table(game),
        "",
        *fill(
            f"**Round control.** In round {late_round} the teacher pressed **End round now** "
            f"before {name(late)} had submitted: {name(late)} kept its round "
            f"{late_round - 1} split and ended the round with a net value of "
            f"{money(early['net_value'])} (rank {early['rank']:.0f}). **Reopen round "
            f"{late_round}** took the round back; {name(late)} submitted its split and the round "
            f"ran again on the same market: {money(rerun)} "
            f"(rank {rank(game, late, late_round)}). "
            + (
                "The timer ended a round before these teams had submitted (they kept their "
                f"split): {', '.join(kept)}."
                if kept
                else ""
            )
        ),
        "",
        f"**Debrief** after round {last}, on every page and in the printable debrief:",
        "",
        f"> **{said[0]}**",
        ">",
        *(line for sentence in said[1:] for line in fill(sentence, "> - ", ">   ")),
        "",
        "The ranking, as every page and the projector view show it:",
        "",
        *ranking_table(game),
        "",
        *fill(
            "**Replay up to round** on the teacher's page steps back through the game: net value "
            "(rank) at the end of each round."
        ),
        "",
        *replay_table(game),
        "",
        *fill(
            f"**Export.** *Results (CSV)* holds {len(rows)} rows ({len(game.rounds)} rounds × "
            f"{len(game.teams)} teams) of {len(rows[0])} columns; the printable debrief holds the "
            "sentences and the ranking above, the net value per round as a chart and the splits "
            "table."
        ),
        "",
        *fill(
            "**What if.** Each team's firm replayed with the even split in every round, the "
            "other teams' decisions and the market's seed as they were:"
        ),
        "",
        *table,
        "",
        *fill(
            "The even split would have earned more for "
            + (" and ".join(better) if better else "no team")
            + f" than what {'it' if len(better) == 1 else 'they'} played."
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(block())
