"""``ckm-sim classroom``: the class game, student teams running competing firms in one market,
served to the class's browsers (the teacher's page and one page per team)."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from pathlib import Path

from ckm_sim.commands.argtypes import non_negative_int
from ckm_sim.commands.dashboard import add_arguments as add_address
from ckm_sim.commands.dashboard import check_server

HELP = "start a class game: 2-8 student teams run competing firms (in the browser)"
EXAMPLES = """examples:
  ckm-sim classroom --teams 4 --host 0.0.0.0      four teams on the classroom network
  ckm-sim classroom --teams 6 --rounds 4 --seed 7
  ckm-sim classroom --resume results/classroom/game-20261201-0930

prints the teacher's address and each team's code and link; the game is saved after every
round in <out>/game-<date>-<time>/game.json; --resume continues a saved game (a finished one
opens on its debrief). docs/classroom.md has the lesson and the rules for students.
"""


def _whole(low: int, high: int | None = None):
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
        return value

    return parse


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an amount, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive amount, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The game's settings, where to save it, the address to serve on."""
    from ckm_sim.game.engine import CUSTOMERS_PER_TEAM, MAX_TEAMS, MIN_TEAMS

    parser.add_argument(
        "--teams", type=_whole(MIN_TEAMS, MAX_TEAMS), default=4, help="teams (default: 4)"
    )
    parser.add_argument("--rounds", type=_whole(1), default=5, help="rounds (default: 5)")
    parser.add_argument(
        "--months", type=_whole(1), default=12, help="months (periods) per round (default: 12)"
    )
    parser.add_argument(
        "--budget",
        type=_positive,
        help="each firm's CKM budget per month; money not spent stays with the firm (default: "
        "what the firm's competence costs at the scenario's levels)",
    )
    parser.add_argument("--seed", type=non_negative_int, default=42, help="seed (default: 42)")
    parser.add_argument(
        "--scenario", default="baseline", help="every firm's defaults (default: baseline)"
    )
    parser.add_argument(
        "--customers",
        type=_whole(1),
        default=CUSTOMERS_PER_TEAM,
        help=f"customers at the start per team; the staff scale with them at the scenario's "
        f"customers per employee (default: {CUSTOMERS_PER_TEAM})",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("results/classroom"), help="folder for saved games"
    )
    parser.add_argument("--resume", type=Path, metavar="FOLDER", help="continue a saved game")
    add_address(parser)


def lan_address(host: str) -> str:
    """The address to print for ``host``: this machine's network address for 0.0.0.0."""
    if host not in ("0.0.0.0", "::"):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))  # no packet is sent
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def run(args: argparse.Namespace) -> int:
    """Create (or resume) the game, print its codes and links, serve it until interrupted."""
    from ckm_sim.dashboard.server import serve
    from ckm_sim.game import live
    from ckm_sim.game.engine import GameSettings
    from ckm_sim.io import inside

    check_server(args.host, args.port, "the class game")
    if args.resume is not None:
        folder = args.resume
    else:
        settings = GameSettings(
            teams=args.teams,
            rounds=args.rounds,
            periods_per_round=args.months,
            budget=args.budget,
            seed=args.seed,
            scenario=args.scenario,
            customers_per_team=args.customers,
        )
        folder = inside(args.out, time.strftime("game-%Y%m%d-%H%M%S"))
        live.create(settings, folder)
    os.environ[live.FOLDER_ENV] = str(Path(folder).resolve())
    game = live.current()
    for note in game.notes:
        print(f"ckm-sim: note: {note} of the saved game replays differently (model changed?)")
    base = f"http://{lan_address(args.host)}:{args.port}"
    g = game.game
    print(
        f"ckm-sim classroom: {len(g.teams)} teams, {g.settings.rounds} rounds of "
        f"{g.settings.periods_per_round} months, saved in {game.path}"
    )
    print(f"  teacher: {base}/teacher/{game.code_of(live.TEACHER)}")
    for team in g.teams:
        print(f"  {team:<7} code {game.code_of(team)}  {base}/team/{game.code_of(team)}")
    print("Ctrl+C stops the server; the game is saved after every round.", flush=True)
    serve(args.host, args.port, app="ckm_sim.game.web.app", prog="ckm-sim classroom")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m ckm_sim.commands.classroom``: ``ckm-sim classroom`` (its errors in one line)."""
    from ckm_sim.cli import main as cli_main

    return cli_main(["classroom", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
