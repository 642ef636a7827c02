"""The class game around the engine: the served game's folder and codes (create, resume by
replaying the log), the pages' addresses and HTML, ``ckm-sim classroom``'s one-line errors;
and the engine on the real model's market (:func:`ckm_sim.game.market.open_market`)."""

from __future__ import annotations

import json
import math

import pytest
from game_helpers import FakeMarket

from ckm_sim.cli import main
from ckm_sim.dashboard.server import free_port
from ckm_sim.game import live, log
from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.engine import Game, GameSettings
from ckm_sim.game.market import open_market
from ckm_sim.game.web import views
from ckm_sim.game.web.app import route

SMALL = GameSettings(teams=3, rounds=2, periods_per_round=3, customers_per_team=40, seed=11)


# ----------------------------------------------------------------------------- folder
def test_a_new_game_has_a_code_per_team_and_one_for_the_teacher(tmp_path):
    path = live.create(SMALL, tmp_path / "g")
    data = json.loads(path.read_text())
    assert sorted(data["codes"].values()) == sorted(["red", "blue", "green", live.TEACHER])
    assert len(set(data["codes"])) == 4
    for code, who in data["codes"].items():
        wanted = live.TEACHER_CODE_LENGTH if who == live.TEACHER else live.TEAM_CODE_LENGTH
        assert len(code) == wanted and set(code) <= set(live.CODE_ALPHABET)
    assert data["rounds"] == []
    with pytest.raises(GameError, match="already holds a game"):
        live.create(SMALL, tmp_path / "g")


def test_a_resumed_game_replays_its_rounds_and_keeps_its_codes(tmp_path):
    path = live.create(SMALL, tmp_path / "g")
    first = live.open_folder(tmp_path / "g")
    first.game.submit("red", Split.of({"learning_culture": 100}))
    first.game.end_round()  # saved by the listener
    codes = json.loads(path.read_text())["codes"]
    again = live.open_folder(tmp_path / "g")
    assert again.codes == codes and again.notes == []
    assert len(again.game.rounds) == 1
    assert again.game.rounds[0].splits["red"] == Split.of({"learning_culture": 100})
    assert again.game.latest("blue") == first.game.latest("blue")
    red = again.code_of("red")
    assert again.team_of(red.lower()) == "red" and again.team_of("nope") is None


def test_a_log_changed_by_hand_is_noted_on_resume(tmp_path):
    path = live.create(SMALL, tmp_path / "g")
    game = live.open_folder(tmp_path / "g").game
    game.end_round()
    data = json.loads(path.read_text())
    data["rounds"][0]["outcomes"]["red"][0]["net_value"] = 1.0
    path.write_text(json.dumps(data))
    assert live.open_folder(tmp_path / "g").notes == ["round 1"]


# ----------------------------------------------------------------------------- pages
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ("join", "")),
        ("/team/ab3k", ("team", "AB3K")),
        ("/teacher/XYZ12345/", ("teacher", "XYZ12345")),
        ("/team", ("join", "")),
        ("/other/AB3K", ("join", "")),
    ],
)
def test_page_addresses(path, expected):
    assert route(path) == expected


def fake_game(**changes) -> Game:
    return Game(
        GameSettings(**{"teams": 3, "rounds": 2, "periods_per_round": 2, **changes}), FakeMarket
    )


def test_the_status_names_who_has_submitted():
    game = fake_game()
    game.submit("blue", Split.even())
    status = views.status_html(game)
    assert "Round 1 of 2 · months 1–2" in status
    assert "data-team='blue' data-submitted='yes'" in status
    assert "data-team='red' data-submitted='no'" in status
    game.end_round()
    game.end_round()
    assert "Game over · 2 rounds · month 4" in views.status_html(game)


def test_the_debrief_shows_each_rounds_split_spend_and_flows():
    game = fake_game()
    game.submit("red", Split.of({"it_systems": 100}))
    game.end_round()
    html = views.debrief_html(game)
    assert html.count("<tr data-round='1'") == 3
    blue = html.split("data-team='blue'>")[1].split("</tr>")[0]
    assert "(kept)" in blue
    red = html.split("data-team='red'>")[1].split("</tr>")[0]
    assert "(kept)" not in red
    # level 1 of IT for a team's firm of 1,000 customers and the 25 staff that go with them
    # (baseline: 50 per 2,000 customers; ODD 7.5's default parts)
    assert "<td class='v'>100</td>" in red and f"{600 + 16 * 25 + 0.3 * 1000:,.0f}" in red
    assert f"<td class='v'>{1.0:.2f}</td>" in red  # ABOUT: the fake's about_captures = IT level
    assert views.debrief_html(fake_game()) == "<p>No round played yet.</p>"


def test_the_leaderboard_lists_every_team_best_first():
    game = fake_game()
    game.submit("red", Split.of({"learning_culture": 50, "customer_cooperation": 50}))
    game.end_round()
    html = views.leaderboard_html(game)
    order = [t for t in sorted(game.teams, key=lambda t: html.index(f"data-team='{t}'"))]
    assert order == [r["team"] for r in game.leaderboard()]


def test_shares_show_in_percent_and_missing_figures_as_a_dash():
    assert views.value("market_share", 0.2534) == "25.3 %"
    assert views.value("market_share", math.nan) == "–"
    assert views.value("net_value", 12345.6) == "12,346"


# ----------------------------------------------------------------------------- command
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--teams", "9"], "from 2 to 8"),
        (["--rounds", "0"], "at least 1"),
        (["--budget", "-5"], "positive amount"),
    ],
)
def test_bad_options_are_one_line_errors(args, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["classroom", *args])
    assert stop.value.code == 2 and message in capsys.readouterr().err


@pytest.fixture
def port(monkeypatch):
    """A free port; the command's setting of the game folder is undone after the test."""
    monkeypatch.setenv(live.FOLDER_ENV, "")
    return str(free_port())


def test_a_missing_saved_game_is_a_one_line_error(tmp_path, capsys, port):
    code = main(["classroom", "--resume", str(tmp_path / "none"), "--port", port])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "cannot read the game log" in err


def test_an_unknown_scenario_is_a_one_line_error(tmp_path, capsys, port):
    code = main(["classroom", "--scenario", "nope", "--out", str(tmp_path), "--port", port])
    err = capsys.readouterr().err
    assert code == 2 and "scenario 'nope'" in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())  # nothing half-made


# ----------------------------------------------------------------------------- real market
def test_the_real_market_plays_a_round_and_replays_identically():
    game = Game(SMALL, open_market)
    game.submit("red", Split.of({"learning_culture": 60, "customer_cooperation": 40}))
    game.submit("blue", Split.of({"it_systems": 100}))
    game.end_round()
    record = game.rounds[0]
    # IT for a team's firm of 40 customers and 5 staff (one per department; ODD 7.5's default
    # parts) costs 692 at level 1: the whole budget (the baseline's levels, 0.5 everywhere, on
    # that firm: 582.5) buys the level whose cost it is
    unit = 600 + 16 * 5 + 0.3 * 40
    assert game.budget == pytest.approx(0.5**2 * (1700 + 116 * 5 + 1.25 * 40))
    assert record.levels["blue"]["it_systems"] == pytest.approx((game.budget / unit) ** 0.5)
    assert record.spend["blue"] == pytest.approx(game.budget)
    shares = [record.last(t)["market_share"] for t in game.teams]
    assert sum(shares) == pytest.approx(1.0) and all(0 < s < 1 for s in shares)
    for team in game.teams:  # the firm worked at its levels: its cost per period is theirs
        assert record.last(team)["investment_cost"] == pytest.approx(record.spend[team])
    data = log.to_dict(game)
    assert log.differences(data, log.replay(data)) == []
