"""What if a team had chosen another split: the game replayed on the same market and seeds with
one team's split replaced in every round (from a given round on), every other team's decisions
as they were. The same settings and splits give the same market (:mod:`~ckm_sim.game.log`), so
the difference is the other choice's alone."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.engine import Game


@dataclass(frozen=True)
class Replayed:
    """One team's firm as played and as replayed with ``split``: net value per round (from the
    start), its final market share and its rank at the end (1 is first)."""

    team: str
    split: Split
    from_round: int
    played: list[float]
    replayed: list[float]
    share_played: float
    share_replayed: float
    rank_played: int
    rank_replayed: int


def replay_with(game: Game, team: str, split: Split, from_round: int = 1) -> Game:
    """A fresh game of ``game``'s settings and market with its rounds played again, ``team``'s
    split replaced by ``split`` from round ``from_round`` on."""
    if team not in game.teams:
        raise GameError(f"no team {team!r} in this game; teams: {', '.join(game.teams)}")
    if not game.rounds:
        raise GameError("no round has been played yet: there is nothing to replay")
    other = Game(game.settings, game.market_factory)
    for record in game.rounds:
        splits = dict(record.splits)
        if record.number >= from_round:
            splits[team] = split
        other.play(splits, record.submitted)
    return other


def _net(game: Game, team: str) -> list[float]:
    start = game.start[team].get("net_value", math.nan)
    return [start] + [r.last(team).get("net_value", math.nan) for r in game.rounds]


def _rank(game: Game, team: str) -> int:
    return [row["team"] for row in game.leaderboard()].index(team) + 1


def compare(game: Game, team: str, split: Split, from_round: int = 1) -> Replayed:
    """``team``'s firm as played against the same firm replayed with ``split``."""
    other = replay_with(game, team, split, from_round)
    return Replayed(
        team=team,
        split=split,
        from_round=from_round,
        played=_net(game, team),
        replayed=_net(other, team),
        share_played=game.latest(team).get("market_share", math.nan),
        share_replayed=other.latest(team).get("market_share", math.nan),
        rank_played=_rank(game, team),
        rank_replayed=_rank(other, team),
    )
