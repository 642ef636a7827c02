"""Issue 24's teacher controls and after-game tools on a fake market (server side): End round
names its round, a pause freezes the round and its timer, a reopened round runs again on the
same market, the debrief names the winner and why, the leaderboard follows the replayed round,
the export, and a team's firm replayed with another split."""

from __future__ import annotations

import csv
import io

import pytest
from game_helpers import FakeMarket

from ckm_sim.game import debrief, export, live, log, whatif
from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.engine import Game, GameSettings

IT = Split.of({"it_systems": 100})
CULTURE = Split.of({"learning_culture": 60, "customer_cooperation": 40})


def new_game(clock=None, **settings_) -> Game:
    s = GameSettings(**{"teams": 3, "rounds": 3, "periods_per_round": 4, **settings_})
    return Game(s, FakeMarket) if clock is None else Game(s, FakeMarket, clock=clock)


def test_end_round_names_its_round_so_a_second_press_never_ends_the_next():
    game = new_game()
    game.end_round(1)
    with pytest.raises(GameError, match="Round 1 has already run"):
        game.end_round(1)
    assert len(game.rounds) == 1


def test_a_paused_round_refuses_splits_and_its_timer_stops():
    now = [0.0]
    game = new_game(clock=lambda: now[0])
    game.start_timer(30)
    now[0] += 10
    game.pause()
    assert game.paused and game.seconds_left() == pytest.approx(20)
    with pytest.raises(GameError, match="paused"):
        game.submit("red", IT, 1)
    now[0] += 100  # long past the deadline: nothing runs while paused
    assert game.tick() is False and game.seconds_left() == pytest.approx(20)
    game.resume()
    assert not game.paused and game.seconds_left() == pytest.approx(20)
    game.submit("red", IT, 1)
    now[0] += 20
    assert game.tick() is True and game.rounds[0].submitted == ("red",)


def test_a_reopened_round_runs_again_on_the_same_market_with_its_submissions():
    game = new_game()
    game.submit("red", IT)
    game.end_round()
    game.submit("blue", CULTURE)
    game.end_round()
    first = [dict(p) for p in game.rounds[1].outcomes["red"]]
    assert game.reopen() == 2
    assert game.round_number == 2 and len(game.rounds) == 1
    assert game.submitted() == ("blue",) and game.pending("blue") == CULTURE
    assert game.splits["blue"] == Split.even() and game.splits["red"] == IT
    game.end_round()  # the same decisions again: the same round
    assert game.rounds[1].outcomes["red"] == first
    assert game.reopen() == 2
    game.submit("green", IT)
    game.end_round()
    assert game.rounds[1].outcomes["red"] != first  # another decision: another round
    plain = log.to_dict(game)
    assert log.differences(plain, log.replay(plain, FakeMarket)) == []


def test_a_finished_game_can_be_reopened_and_none_before_the_first_round():
    game = new_game(rounds=1)
    with pytest.raises(GameError, match="no round has been played"):
        game.reopen()
    game.end_round()
    assert game.over
    game.reopen()
    assert not game.over and game.round_number == 1


def test_the_leaderboard_follows_the_round_replayed():
    game = new_game()
    game.submit("red", IT)
    game.end_round()
    game.end_round()
    at_one = {r["team"]: r["net_value"] for r in game.leaderboard(upto=1)}
    assert at_one == {t: game.rounds[0].last(t)["net_value"] for t in game.teams}
    assert game.leaderboard(upto=0)[0]["spend"] == 0.0
    assert game.leaderboard() == game.leaderboard(upto=2)


def test_the_debrief_names_the_winner_and_where_it_differed():
    game = new_game(rounds=2)
    for _ in range(2):
        game.submit("red", IT)
        game.submit("blue", CULTURE)
        game.end_round()
    said = debrief.explain(game)
    board = game.leaderboard()
    assert said[0].startswith(f"{board[0]['team'].capitalize()} wins the game after round 2")
    assert said[1].startswith("Dimensions:") and said[2].startswith("Knowledge flows:")
    leader = debrief.explain(game, upto=1)[0]
    assert f"{game.leaderboard(1)[0]['team'].capitalize()} leads after round 1" in leader
    if board[0]["team"] == "red":
        assert "more of its budget to IT systems (100 % against" in said[1]
    figures = debrief.series(game, "red")
    assert [len(v) for v in figures.values()] == [3, 3, 3, 3]  # the start and two rounds
    assert figures["net_value"][2] == game.rounds[1].last("red")["net_value"]
    rows = debrief.history(game, "green")
    assert [r["submitted"] for r in rows] == [False, False]
    assert rows[1]["rank"] == [r["team"] for r in board].index("green") + 1
    assert debrief.explain(new_game()) == []


def test_the_csv_has_a_row_per_round_and_team_and_the_print_names_the_winner():
    game = new_game(rounds=2)
    game.submit("red", IT)
    game.end_round()
    game.end_round()
    table = list(csv.DictReader(io.StringIO(export.results_csv(game))))
    assert [(r["round"], r["team"]) for r in table] == [
        (str(n), t) for n in (1, 2) for t in game.teams
    ]
    red = table[0]
    assert red["submitted"] == "yes" and red["share_it_systems"] == "100"
    assert float(red["net_value"]) == game.rounds[0].last("red")["net_value"]
    assert table[1]["submitted"] == "kept"
    assert {r["rank"] for r in table if r["round"] == "2"} == {"1", "2", "3"}
    page = export.debrief_page(game)
    assert debrief.explain(game)[0] in page and "<svg" in page


def test_the_server_writes_the_exports_after_every_round_without_codes(tmp_path):
    settings = GameSettings(teams=2, rounds=2, periods_per_round=1, customers_per_team=20)
    live.create(settings, tmp_path / "g")
    served = live.open_folder(tmp_path / "g")
    served.game.end_round()
    text = (tmp_path / "g" / export.CSV_NAME).read_text()
    assert len(text.splitlines()) == 1 + 2
    page = (tmp_path / "g" / export.PRINT_NAME).read_text()
    assert not any(code in text or code in page for code in served.codes)


def test_a_team_replayed_with_its_own_splits_earns_what_it_did_and_another_split_differs():
    game = new_game(rounds=2)
    game.submit("red", IT)
    game.submit("blue", CULTURE)
    game.end_round()
    game.end_round()
    same = whatif.compare(game, "red", IT)
    assert same.replayed == same.played and same.rank_replayed == same.rank_played
    even = whatif.compare(game, "red", Split.even())
    assert even.played == same.played and even.replayed != even.played
    other = whatif.replay_with(game, "red", Split.even())
    assert [r.splits["blue"] for r in other.rounds] == [CULTURE, CULTURE]
    assert [r.splits["red"] for r in other.rounds] == [Split.even()] * 2
    later = whatif.replay_with(game, "red", Split.even(), from_round=2)
    assert later.rounds[0].outcomes == game.rounds[0].outcomes
    with pytest.raises(GameError, match="nothing to replay"):
        whatif.compare(new_game(), "red", IT)
