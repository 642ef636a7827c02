"""Figure ``game_market``: docs/classroom.md's table of whether investing pays in the default game.
The default game (``ckm-sim classroom``'s settings) is played on paired seeds through the game's
engine: one team plays a split in every round while the others play the even split, and its net
value after each round is set against its net value on the same seed when it spends nothing
(mean and 95% t interval over the seeds, :func:`ckm_sim.experiments.stats.paired_difference`).
"""

from __future__ import annotations

import textwrap

import numpy as np

from ckm_sim.experiments.stats import Estimate, paired_difference
from ckm_sim.game.budget import Split
from ckm_sim.game.debrief import SHORT
from ckm_sim.game.engine import Game, GameSettings
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.reports.numbers import whole

DOC = "docs/classroom.md"
#: Paired seeds (each a market) the game is played on.
SEEDS = tuple(range(8))
NOTHING = Split((0,) * len(DIMENSIONS))
SPLITS: tuple[tuple[str, Split], ...] = (
    ("the even split (20 % each)", Split.even()),
    (
        f"50 % {SHORT['it_systems']}, 50 % {SHORT['learning_culture']}",
        Split.of({"it_systems": 50, "learning_culture": 50}),
    ),
    *((f"100 % {SHORT[d]}", Split.of({d: 100})) for d in DIMENSIONS),
)


def net_values(settings: GameSettings, seed: int, split: Split) -> np.ndarray:
    """The first team's net value after each round when it plays ``split`` in every round and
    the other teams the even split, on ``seed``."""
    game = Game(GameSettings(**{**settings.as_dict(), "seed": seed}))
    team = game.teams[0]
    for _ in range(settings.rounds):
        game.play({team: split})
    return np.array([r.last(team)["net_value"] for r in game.rounds])


def estimate(e: Estimate) -> str:
    """``+85,754 (75,850 to 95,658)``, a true minus."""
    return f"{e.mean:+,.0f} ({whole(e.low)} to {whole(e.high)})".replace("-", "\u2212")


def block() -> str:
    """The sentence that says how the game was played, and the table."""
    settings = GameSettings()
    game = Game(settings)
    team = game.team_scenario
    nothing = np.array([net_values(settings, s, NOTHING) for s in SEEDS])
    rounds = range(1, settings.rounds + 1)
    cur = game.scenario.economics.currency
    lines = textwrap.wrap(
        f"**Does investing pay?** The default game (scenario `{settings.scenario}`, "
        f"{settings.teams} teams, {settings.rounds} rounds of {settings.periods_per_round} "
        f"months; each firm starts with {settings.customers_per_team:,} customers and "
        f"{team.firm.employees} staff and may spend {whole(game.budget)} {cur} a month), played "
        f"on {len(SEEDS)} seeds: one team plays a split in every round, the others the even "
        "split. Its net value after each round minus its net value on the same seed when it "
        f"spends nothing ({cur}; mean and 95% t interval over the seeds; spending nothing, it "
        f"ends the game with {whole(float(nothing[:, -1].mean()))} {cur} on average):",
        100,
        break_on_hyphens=False,
        break_long_words=False,
    )
    lines += [
        "",
        "| split | " + " | ".join(f"after round {r}" for r in rounds) + " |",
        "|---|" + "---|" * len(rounds),
    ]
    for label, split in SPLITS:
        played = np.array([net_values(settings, s, split) for s in SEEDS])
        cells = [estimate(paired_difference(played[:, r - 1], nothing[:, r - 1])) for r in rounds]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(block())
