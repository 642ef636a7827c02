"""The game a server runs: one :class:`LiveGame` per process, kept in its results folder.

``ckm-sim classroom`` creates a folder with ``game.json`` (settings, join codes, no rounds yet)
and serves it; the pages find it through :func:`current` (the folder is named by the
environment variable :data:`FOLDER_ENV`, so a server in a child process finds it too). The
game is saved after every round; opening a folder replays its saved rounds (the same seed and
splits give the same market), so a restarted server resumes the game and a finished game opens
on its debrief. A ticker thread ends a round when the teacher's timer runs out.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ckm_sim.game import export, guard, log
from ckm_sim.game.budget import GameError
from ckm_sim.game.engine import Game, GameSettings
from ckm_sim.game.market import open_market

FOLDER_ENV = "CKM_SIM_GAME_FOLDER"
TEACHER = "teacher"
#: Letters and digits that cannot be misread on a projector (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEAM_CODE_LENGTH, TEACHER_CODE_LENGTH = 4, 8
TICK_SECONDS = 0.25


def new_codes(teams: tuple[str, ...]) -> dict[str, str]:
    """Fresh random join codes: ``code -> team`` for every team, and one for the teacher."""
    codes: dict[str, str] = {}
    for team, length in [(t, TEAM_CODE_LENGTH) for t in teams] + [(TEACHER, TEACHER_CODE_LENGTH)]:
        code = ""
        while not code or code in codes:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
        codes[code] = team
    return codes


@dataclass
class LiveGame:
    """A served game: the engine's :class:`Game`, its folder and its join codes."""

    game: Game
    folder: Path
    codes: dict[str, str]
    #: Saved rounds whose replayed outcomes differ from the log (the model changed since).
    notes: list[str] = field(default_factory=list)
    #: Failed code attempts per connection and per address (:mod:`~ckm_sim.game.guard`).
    attempts: guard.Attempts = field(default_factory=guard.Attempts)
    #: Browser sessions that have shown the teacher's code (their pages need no code).
    teachers: set[str] = field(default_factory=set)
    #: Per team, its browsers (session ids) in the order they first submitted: "browser 1"...
    browsers: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def admit(self, code: str, keys: list[tuple[str, str]]) -> str:
        """The team (or :data:`TEACHER`) whose code ``code`` is; a GameError saying why not
        (a wrong code, or too many wrong codes from these ``(kind, key)`` pairs lately)."""
        wait = self.attempts.wait(keys)
        if wait > 0:
            raise GameError(guard.refusal(wait))
        who = self.team_of(code)
        if who is None:
            self.attempts.fail(keys)
            shown = code.strip().upper()[:16]
            raise GameError(f"No team has the code {shown!r}: check your slip.")
        return who

    def browser_label(self, team: str, session: str) -> str:
        """A short name for one of ``team``'s browsers ("browser 2"), the same all game."""
        with self._lock:
            seen = self.browsers.setdefault(team, [])
            if session not in seen:
                seen.append(session)
            return f"browser {seen.index(session) + 1}"

    @property
    def path(self) -> Path:
        """The game log."""
        return self.folder / log.LOG_NAME

    def team_of(self, code: str) -> str | None:
        """The team (or :data:`TEACHER`) whose code ``code`` is (any case), or None."""
        return self.codes.get(code.strip().upper())

    def code_of(self, team: str) -> str:
        """The join code of ``team`` (or of :data:`TEACHER`)."""
        return next(code for code, who in self.codes.items() if who == team)

    def save(self, game: Game | None = None) -> None:
        """Write the game log, the results CSV and the printable debrief (called after every
        round)."""
        game = self.game if game is None else game
        log.save(game, self.path, self.codes)
        export.write(game, self.folder)


def create(settings: GameSettings, folder: str | Path) -> Path:
    """A new game's folder with its log (settings and codes, no rounds); the log's path.
    Refuses a folder that already holds a game."""
    folder = Path(folder)
    path = folder / log.LOG_NAME
    if path.exists():
        raise GameError(f"{folder} already holds a game; resume it with --resume {folder}")
    game = Game(settings, open_market)  # builds the market: bad settings fail here
    log.save(game, path, new_codes(game.teams))
    return path


def open_folder(folder: str | Path) -> LiveGame:
    """The game saved in ``folder``, its rounds replayed, saving after each new round, with a
    ticker thread for the teacher's timer."""
    folder = Path(folder)
    data = log.load(folder / log.LOG_NAME)
    game = log.replay(data, open_market)
    codes = {str(k): str(v) for k, v in data.get("codes", {}).items()}
    if sorted(codes.values()) != sorted((*game.teams, TEACHER)):
        codes = new_codes(game.teams)
    live = LiveGame(game, folder, codes, log.differences(data, game))
    game.on_round.append(live.save)
    live.save()
    threading.Thread(target=_tick, args=(game,), daemon=True, name="game-timer").start()
    return live


def _tick(game: Game) -> None:
    """End the round when the timer runs out (for as long as the server runs: a finished game
    may be reopened)."""
    while True:
        time.sleep(TICK_SECONDS)
        with contextlib.suppress(GameError, OSError):  # over meanwhile; the next save retries
            game.tick()


_lock = threading.Lock()
_current: LiveGame | None = None


def current() -> LiveGame:
    """This process's game (opened from the folder :data:`FOLDER_ENV` names, once)."""
    global _current
    with _lock:
        if _current is None:
            folder = os.environ.get(FOLDER_ENV)
            if not folder:
                raise GameError(f"no game to serve: {FOLDER_ENV} is not set")
            _current = open_folder(folder)
        return _current
