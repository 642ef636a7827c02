"""The class game's engine (issue 13) on a fake market with the multi-firm contract: budgets
buy levels through the cost curve, rounds run when every team submitted or the teacher ends
them, late teams keep their split, and the same seed and decisions give the same game."""

from __future__ import annotations

import math

import pytest
from game_helpers import FakeMarket
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.game import budget, log
from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.engine import Game, GameSettings
from ckm_sim.model.scenario import DIMENSIONS, Scenario

# the default firm (50 staff, 2,000 customers): 2000 per dimension at level 1 (ODD 7.5), exponent 2
COSTS = Scenario()


def new_game(clock=None, **settings_) -> Game:
    """A game whose teams' firms are the default firm (50 staff, 2,000 customers each): every
    dimension costs 2,000 at level 1 (ODD 7.5), so the budget is 5 * 2000 * 0.5 ** 2 = 2,500."""
    base = {"teams": 4, "rounds": 3, "periods_per_round": 4, "customers_per_team": 2000}
    s = GameSettings(**(base | settings_))
    return Game(s, FakeMarket) if clock is None else Game(s, FakeMarket, clock=clock)


def split(**shares: int) -> Split:
    return Split.of(shares)


# ----------------------------------------------------------------------------- budget
def test_the_even_split_of_2500_buys_half_of_every_dimension():
    # 500 per dimension; level = sqrt(500 / 2000) = 0.5
    assert budget.levels(Split.even(), 2500.0, COSTS) == dict.fromkeys(DIMENSIONS, 0.5)


def test_money_beyond_level_one_is_not_spent():
    lv = budget.levels(split(it_systems=100), 2500.0, COSTS)
    assert lv["it_systems"] == 1.0 and lv["learning_culture"] == 0.0
    assert budget.spend(lv, COSTS) == 2000.0  # level 1 costs 2000; 500 left unspent


@settings(max_examples=200, deadline=None)
@given(
    shares=st.lists(st.integers(0, 100), min_size=5, max_size=5).filter(lambda s: sum(s) <= 100),
    amount=st.floats(1.0, 50_000.0),
    exponent=st.floats(1.0, 3.0),
)
def test_a_split_never_spends_more_than_the_budget(shares, amount, exponent):
    costs = COSTS.with_overrides(cost_exponent=exponent)
    lv = budget.levels(Split(tuple(shares)), amount, costs)
    assert all(0.0 <= v <= 1.0 for v in lv.values())
    spent = budget.spend(lv, costs)
    assert spent <= amount * sum(shares) / 100 * (1 + 1e-9)
    if all(v < 1.0 for v in lv.values()):  # nothing capped: every assigned unit is spent
        assert spent == pytest.approx(amount * sum(shares) / 100, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ((50, 30, 30, 0, 0), "add up to 110"),
        ((-5, 0, 0, 0, 0), "whole percent"),
        ((2.5, 0, 0, 0, 0), "whole percent"),
        ((True, 0, 0, 0, 0), "whole percent"),
        ((20, 20, 20, 20), "has 5 shares"),
    ],
)
def test_a_bad_split_is_a_one_line_error(shares, message):
    with pytest.raises(GameError, match=message):
        Split(shares)


def test_a_split_names_known_dimensions():
    with pytest.raises(GameError, match="unknown dimension 'it'"):
        Split.of({"it": 50})
    assert split(it_systems=40).unassigned == 60


# ----------------------------------------------------------------------------- settings
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"teams": 1}, "2 to 8 teams"),
        ({"teams": 9}, "2 to 8 teams"),
        ({"rounds": 0}, "rounds must be at least 1"),
        ({"budget": -1.0}, "positive amount"),
        ({"scenario": "no_such_scenario"}, "scenario 'no_such_scenario'"),
    ],
)
def test_bad_settings_are_one_line_errors(changes, message):
    with pytest.raises(GameError, match=message):
        new_game(**changes)


def test_the_market_is_sized_for_the_class_and_long_enough_for_every_round():
    game = new_game(teams=3, rounds=5, periods_per_round=12, customers_per_team=100, seed=9)
    sc = game.scenario
    assert (sc.market.customers, sc.market.prospects) == (300, 150)  # baseline: 1 prospect / 2
    assert (sc.periods, sc.seed) == (60, 9)
    assert game.teams == ("red", "blue", "green")
    # the baseline's levels (0.5) on a team's firm: its own 100 customers and the staff that go
    # with them (baseline: 50 per 2,000 customers, 2.5, but at least one per department: 5), at
    # the default parts of ODD 7.5 (fixed, per employee, per customer) of each dimension
    assert game.scenario.firm.employees == 5
    parts = [(300, 24, 0.25), (200, 32, 0.1), (400, 8, 0.6), (600, 16, 0.3), (200, 36, 0.0)]
    at_level_one = sum(fixed + 5 * staff + 100 * customer for fixed, staff, customer in parts)
    assert game.budget == pytest.approx(0.5**2 * at_level_one)  # 601.25, not the market's


# ----------------------------------------------------------------------------- rounds
def test_the_round_runs_when_the_last_team_submits():
    game = new_game()
    for team in game.teams[:-1]:
        assert game.submit(team, split(it_systems=60, learning_culture=40)) is False
    assert game.round_number == 1 and game.submitted() == game.teams[:-1]
    assert game.submit(game.teams[-1], Split.even()) is True
    assert game.round_number == 2 and game.period == 4 and game.submitted() == ()
    record = game.rounds[0]
    assert record.submitted == game.teams
    assert len(record.outcomes["red"]) == 4
    assert record.levels["red"]["it_systems"] == pytest.approx(math.sqrt(0.6 * 2500 / 2000))
    market = game._market
    assert market.steps == 4
    assert market.calls[0] == ("red", record.levels["red"])


def test_a_late_team_keeps_its_previous_split_when_the_teacher_ends_the_round():
    game = new_game()
    first = split(customer_cooperation=100)
    for team in game.teams:
        game.submit(team, first)
    for team in game.teams[1:]:
        game.submit(team, Split.even())
    game.end_round()  # red is late
    record = game.rounds[1]
    assert record.submitted == game.teams[1:]
    assert record.splits["red"] == first and record.splits["blue"] == Split.even()
    assert record.levels["red"]["customer_cooperation"] == 1.0
    assert record.spend["red"] == 2000.0


def test_a_team_that_never_submits_plays_the_even_split():
    game = new_game()
    game.end_round()
    assert game.rounds[0].submitted == ()
    assert all(lv == dict.fromkeys(DIMENSIONS, 0.5) for lv in game.rounds[0].levels.values())


def test_a_new_submission_replaces_the_last_and_is_kept_until_the_round_runs():
    game = new_game()
    game.submit("red", split(it_systems=100))
    game.submit("red", split(learning_culture=100))
    assert game.pending("red") == split(learning_culture=100)
    assert game.pending("blue") is None
    game.end_round()
    assert game.rounds[0].splits["red"] == split(learning_culture=100)


def test_the_timer_ends_the_round():
    now = [100.0]
    game = new_game(clock=lambda: now[0])
    assert game.tick() is False  # no timer
    game.start_timer(60)
    now[0] += 59.5
    assert game.tick() is False and game.seconds_left() == pytest.approx(0.5)
    now[0] += 1
    assert game.tick() is True and len(game.rounds) == 1
    assert game.seconds_left() is None  # the next round has no timer until one is started


def test_the_game_ends_after_its_rounds_and_refuses_more():
    game = new_game(rounds=2)
    game.end_round()
    game.end_round()
    assert game.over and game.round_number == 3
    with pytest.raises(GameError, match="the game is over"):
        game.submit("red", Split.even())
    with pytest.raises(GameError, match="the game is over"):
        game.end_round()
    assert game.tick() is False


def test_unknown_teams_are_refused():
    game = new_game(teams=2)
    with pytest.raises(GameError, match="no team 'green'"):
        game.submit("green", Split.even())


def test_the_leaderboard_ranks_by_net_value_and_shows_share_and_retention():
    game = new_game(teams=2)
    game.submit("red", split(learning_culture=60, customer_cooperation=40))
    game.submit("blue", split(it_systems=10))  # spends little, so earns a small share
    rows = game.leaderboard()
    assert [r["team"] for r in rows] == sorted(
        game.teams, key=lambda t: -game.latest(t)["net_value"]
    )
    by_team = {r["team"]: r for r in rows}
    assert by_team["red"]["market_share"] > by_team["blue"]["market_share"]
    assert by_team["red"]["market_share"] + by_team["blue"]["market_share"] == pytest.approx(1)
    assert by_team["red"]["retention_rate"] == pytest.approx(0.9 + 0.02 * math.sqrt(0.6 * 1.25))
    assert "market_share" not in game.latest("red") or game.latest("red")["market_share"] < 1


def test_listeners_hear_every_round():
    game = new_game()
    heard = []
    game.on_round.append(lambda g: heard.append(g.round_number))
    game.end_round()
    game.end_round()
    assert heard == [2, 3]


# ----------------------------------------------------------------------------- same game
decisions = st.lists(
    st.dictionaries(
        st.sampled_from(("red", "blue", "green")),
        st.lists(st.integers(0, 20), min_size=5, max_size=5).map(tuple),
    ),
    min_size=1,
    max_size=3,
)


def play(seed: int, rounds: list[dict[str, tuple[int, ...]]]) -> Game:
    game = new_game(teams=3, seed=seed, rounds=3)
    for chosen in rounds:  # every team submits (the round runs) or the teacher ends it
        for team, shares in chosen.items():
            game.submit(team, Split(shares))
        if len(chosen) < len(game.teams):
            game.end_round()
    return game


@settings(max_examples=25, deadline=None)
@given(rounds=decisions, seed=st.integers(0, 10_000))
def test_the_same_seed_and_decisions_give_the_same_game_and_the_log_replays_it(
    rounds, seed, tmp_path_factory
):
    one, two = play(seed, rounds), play(seed, rounds)
    assert log.to_dict(one) == log.to_dict(two)
    path = log.save(one, tmp_path_factory.mktemp("log") / "game.json")
    data = log.load(path)
    again = log.replay(data, FakeMarket)
    assert log.differences(data, again) == []
    assert log.to_dict(again)["rounds"] == log.to_dict(one)["rounds"]


def test_another_seed_gives_another_market():
    assert log.to_dict(play(1, [{}]))["rounds"] != log.to_dict(play(2, [{}]))["rounds"]


def test_a_log_whose_outcomes_were_changed_does_not_replay(tmp_path):
    game = play(3, [{"red": (50, 0, 0, 50, 0)}, {}])
    data = log.load(log.save(game, tmp_path / "game.json"))
    data["rounds"][1]["outcomes"]["blue"][2]["net_value"] += 1.0
    assert log.differences(data, log.replay(data, FakeMarket)) == ["round 2"]


def test_a_file_that_is_not_a_game_log_is_a_one_line_error(tmp_path):
    bad = tmp_path / "game.json"
    bad.write_text("{not json")
    with pytest.raises(GameError, match="not a game log"):
        log.load(bad)
    bad.write_text('{"format": "something else"}')
    with pytest.raises(GameError, match="not a ckm-sim game log"):
        log.load(bad)
    with pytest.raises(GameError, match="cannot read"):
        log.load(tmp_path / "missing.json")
