"""The class game's defences without a browser: a split carries its round, the timer and the
share boxes refuse what is not a number, code attempts are limited per connection and per
address, the log is private, serving on the network says it is plain HTTP, and the game's
server culls idle kernels (issue 24)."""

from __future__ import annotations

import json
import os
import stat
import time
import urllib.request
import uuid

import pytest
from game_helpers import FakeMarket

from ckm_sim.dashboard import server
from ckm_sim.game import guard, live
from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.engine import Game, GameSettings, RoundClosed
from ckm_sim.game.web import views
from ckm_sim.game.web.teacher import read_seconds

SMALL = GameSettings(teams=3, rounds=3, periods_per_round=2, customers_per_team=40, seed=3)


def fake_game() -> Game:
    return Game(SMALL, FakeMarket, wall=lambda: 1_000.0)


def test_a_split_for_a_round_that_has_run_is_refused_not_filed_for_the_next():
    game = fake_game()
    game.submit("red", Split.of({"it_systems": 100}), 1, by="browser 1")
    game.end_round()
    with pytest.raises(RoundClosed, match="Round 1 had already run"):
        game.submit("red", Split.of({"learning_culture": 100}), 1)
    assert game.pending("red") is None and game.submitted() == ()
    assert game.rounds[0].splits["red"] == Split.of({"it_systems": 100})
    game.submit("red", Split.of({"learning_culture": 100}), 2, by="browser 2")
    record = game.submission("red")
    assert record is not None and record.by == "browser 2" and record.at == 1_000.0


def test_the_last_teams_second_click_does_not_submit_for_the_next_round():
    game = fake_game()
    for team in game.teams:
        game.submit(team, Split.even(), 1)  # the last one runs the round
    with pytest.raises(RoundClosed):
        game.submit("green", Split.even(), 1)  # the double-click's second press
    assert game.round_number == 2 and game.submitted() == ()


@pytest.mark.parametrize("text", ["9" * 400, "0", "-5", "1e9", "NaN", "", "3601"])
def test_a_timer_that_is_not_1_to_3600_seconds_is_a_one_line_message(text):
    with pytest.raises(GameError, match="from 1 to 3600 seconds"):
        read_seconds(text)


def test_the_engine_refuses_a_huge_timer_without_an_overflow():
    with pytest.raises(GameError, match="from 1 to 3600"):
        fake_game().start_timer(10**400)


@pytest.mark.parametrize(
    ("boxes", "ok"),
    [
        ({"it_systems": "-50", "learning_culture": "150"}, False),
        ({"it_systems": "NaN"}, False),
        ({"it_systems": "2.5"}, False),
        ({"it_systems": "60", "learning_culture": "40"}, True),
        ({"it_systems": " 7 "}, True),
    ],
)
def test_share_boxes_accept_only_whole_percents(boxes, ok):
    shares, problems = views.read_draft(boxes)
    assert (shares is not None) is ok and bool(problems) is not ok


# ----------------------------------------------------------------------------- attempts
class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_wrong_codes_are_limited_per_connection_and_then_even_the_right_one_waits(tmp_path):
    live.create(SMALL, tmp_path / "g")
    game = live.open_folder(tmp_path / "g")
    clock = Clock()
    game.attempts = guard.Attempts(clock=clock)
    tab = [("connection", "k1"), ("address", "10.0.0.7")]
    for _ in range(guard.PER_CONNECTION):
        with pytest.raises(GameError, match="No team has the code"):
            game.admit("ZZZZ", tab)
    with pytest.raises(GameError, match="Too many wrong codes"):
        game.admit(game.code_of("red"), tab)  # the limit cannot be used to test codes
    clock.now = guard.WINDOW_SECONDS + 1
    assert game.admit(game.code_of("red"), tab) == "red"


def test_wrong_codes_are_limited_per_address_across_connections():
    attempts = guard.Attempts(clock=Clock())
    for n in range(guard.PER_ADDRESS):
        keys = [("connection", f"tab{n}"), ("address", "10.0.0.7")]
        assert attempts.wait(keys) == 0
        attempts.fail(keys)
    assert attempts.wait([("connection", "fresh"), ("address", "10.0.0.7")]) > 0
    assert attempts.wait([("connection", "fresh"), ("address", "10.0.0.8")]) == 0


# ----------------------------------------------------------------------------- files, server
def test_the_game_log_with_every_code_is_readable_by_its_owner_only(tmp_path):
    path = live.create(SMALL, tmp_path / "g")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    game = live.open_folder(tmp_path / "g").game
    game.end_round()  # saved again by the listener
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(json.loads(path.read_text())["rounds"]) == 1


def test_serving_the_game_on_the_network_says_it_is_plain_http(monkeypatch, capsys):
    from solara.__main__ import cli

    seen = {}
    monkeypatch.setattr(cli, "main", lambda **kw: seen.update(kw))
    for name in server.GAME_KERNEL_ENV:
        monkeypatch.delenv(name, raising=False)
    server.serve("0.0.0.0", 8765, app=server.GAME_APP, prog="ckm-sim classroom")
    out = capsys.readouterr().out
    assert "plain HTTP" in out and "0.0.0.0:8765" in out
    assert os.environ["SOLARA_KERNEL_CULL_TIMEOUT"] == "120s"  # idle kernels: minutes, not 24 h
    assert int(os.environ["SOLARA_KERNEL_MAX_COUNT"]) <= 200
    server.serve("127.0.0.1", 8765, app=server.GAME_APP)
    assert "plain HTTP" not in capsys.readouterr().out
    for name in server.GAME_KERNEL_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.slow
def test_kernels_of_closed_cookieless_connections_are_culled(tmp_path, monkeypatch):
    """Websockets opened without a cookie and closed leave no kernel behind for long (the cull
    timeout shortened for the test; the command's own is 2 minutes, tested above)."""
    websockets = pytest.importorskip("websockets.sync.client")
    live.create(SMALL, tmp_path / "g")
    monkeypatch.setenv("SOLARA_KERNEL_CULL_TIMEOUT", "2s")
    command = ("ckm_sim.commands.classroom", "--resume", str(tmp_path / "g"))
    with server.dashboard_server(tmp_path / "server.log", command=command) as url:
        base = url.replace("http://", "ws://").rstrip("/")
        for _ in range(20):
            address = (
                f"{base}/jupyter/api/kernels/{uuid.uuid4()}/channels?session_id={uuid.uuid4()}"
            )
            with websockets.connect(address) as ws:
                ws.send(json.dumps({"header": {"msg_type": "ping"}}))

        def kernels() -> int:
            with urllib.request.urlopen(f"{url}resourcez", timeout=5) as response:
                return int(json.loads(response.read())["kernels"]["total"])

        deadline = time.monotonic() + 60
        while kernels() > 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernels() == 0
