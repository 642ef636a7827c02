"""Game logs: a game saved as JSON after every round, loaded back and replayed.

``game.json`` holds the settings, the join codes and every round as played (each team's split,
who submitted, the levels and spend it bought, its outcomes per period). :func:`replay` plays
the saved splits again on a fresh market: the same settings and the same splits give the same
market, so the replayed outcomes equal the saved ones (:func:`differences` lists any that do
not, e.g. after a change of the model). A teacher resumes a game or reopens its debrief from
the log, and can run the same market with next year's class (same settings, new decisions).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from ckm_sim.game.budget import GameError, Split
from ckm_sim.game.engine import Game, GameSettings, MarketFactory, RoundRecord
from ckm_sim.game.market import open_market
from ckm_sim.io import refuse_link

FORMAT = "ckm-sim class game 1"
LOG_NAME = "game.json"


def to_dict(game: Game, codes: dict[str, str] | None = None) -> dict[str, Any]:
    """The game as plain values: settings, join codes (``code -> team``), start, rounds."""
    return {
        "format": FORMAT,
        "settings": game.settings.as_dict(),
        "budget": game.budget,
        "codes": dict(codes or {}),
        "start": game.start,
        "rounds": [_round(r) for r in game.rounds],
    }


def _round(record: RoundRecord) -> dict[str, Any]:
    return {
        "number": record.number,
        "splits": {t: s.as_dict() for t, s in record.splits.items()},
        "submitted": list(record.submitted),
        "levels": record.levels,
        "spend": record.spend,
        "outcomes": record.outcomes,
    }


def save(game: Game, path: str | Path, codes: dict[str, str] | None = None) -> Path:
    """Write the game to ``path`` atomically (JSON), readable by its owner only (mode 0600:
    it holds every join code, the teacher's included); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_link(path.parent)
    text = json.dumps(to_dict(game, codes), indent=2, allow_nan=True, default=_plain) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:  # mkstemp makes the file 0600, and the rename keeps it so: never readable by others
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _plain(value: Any) -> Any:
    """A numpy number as a plain one (for ``json.dumps``)."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")


def load(path: str | Path) -> dict[str, Any]:
    """A saved game's plain values; a one-line GameError for a file that is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise GameError(f"cannot read the game log {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GameError(f"{path} is not a game log (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise GameError(f"{path} is not a ckm-sim game log (format {FORMAT!r})")
    return data


def settings_of(data: dict[str, Any]) -> GameSettings:
    """The settings of a saved game."""
    try:
        return GameSettings(**data["settings"])
    except (TypeError, KeyError) as exc:
        raise GameError(f"the game log's settings are not valid: {exc}") from None


def saved_splits(data: dict[str, Any]) -> list[tuple[dict[str, Split], tuple[str, ...]]]:
    """Per saved round: each team's split and the teams that submitted."""
    try:
        return [
            (
                {team: Split.of(shares) for team, shares in r["splits"].items()},
                tuple(r["submitted"]),
            )
            for r in data["rounds"]
        ]
    except (TypeError, KeyError, AttributeError) as exc:
        raise GameError(f"the game log's rounds are not valid: {exc}") from None


def replay(data: dict[str, Any], market_factory: MarketFactory = open_market) -> Game:
    """A fresh game of the saved settings with every saved round played again."""
    game = Game(settings_of(data), market_factory)
    for splits, submitted in saved_splits(data):
        game.play(splits, submitted)
    return game


def differences(data: dict[str, Any], game: Game) -> list[str]:
    """Where ``game``'s outcomes differ from the saved ones (empty: it replays identically)."""
    found: list[str] = []
    saved = to_dict(game)
    if not _same(saved["start"], data.get("start")):
        found.append("the market at period 0")
    for mine, theirs in zip(saved["rounds"], data.get("rounds", []), strict=False):
        if not _same(mine["outcomes"], theirs.get("outcomes")):
            found.append(f"round {mine['number']}")
    return found


def _same(a: Any, b: Any) -> bool:
    """Exact equality of plain values, with nan equal to nan."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)
