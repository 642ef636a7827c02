"""Figure ``game_settings``: the sentence of docs/classroom.md's game lesson that names the
settings of ``ckm-sim classroom`` and their defaults, read from the command's own parser and the
game's default scenario (its CKM spend per month is the default budget)."""

from __future__ import annotations

import argparse
import textwrap

from ckm_sim.commands.classroom import add_arguments
from ckm_sim.game.engine import MAX_TEAMS, MIN_TEAMS, GameSettings
from ckm_sim.model.levers import investment_cost

DOC = "docs/classroom.md"


def block() -> str:
    """``--teams`` takes 2 to 8; ``--rounds`` (5), ... set the rest."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    d = vars(parser.parse_args([]))
    settings = GameSettings(scenario=d["scenario"])
    spend = investment_cost(settings.market_scenario())
    text = (
        f"`--teams` takes {MIN_TEAMS} to {MAX_TEAMS} ({d['teams']} by default); `--rounds` "
        f"({d['rounds']}), `--months` per round ({d['months']}), `--customers` per firm at the "
        f"start ({d['customers']:,}), `--budget` per month (the scenario's own spend: "
        f"{spend:,.0f} in `{d['scenario']}`) and `--seed` ({d['seed']}) set the rest."
    )
    return "\n".join(textwrap.wrap(text, 100, break_on_hyphens=False, break_long_words=False))


if __name__ == "__main__":
    print(block())
