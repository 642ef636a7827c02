"""Figure ``game_settings``: the sentence of docs/classroom.md's game lesson that names the
settings of ``ckm-sim classroom`` and their defaults, read from the command's own parser and the
game's default scenario (a team's firm: its staff, and its CKM spend per month, the default
budget)."""

from __future__ import annotations

import argparse
import textwrap

from ckm_sim.commands.classroom import add_arguments
from ckm_sim.game.engine import MAX_TEAMS, MIN_TEAMS, GameSettings
from ckm_sim.game.market import team_scenario
from ckm_sim.model.levers import investment_cost

DOC = "docs/classroom.md"


def block() -> str:
    """``--teams`` takes 2 to 8; ``--rounds`` (5), ... set the rest."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    d = vars(parser.parse_args([]))
    settings = GameSettings(
        teams=d["teams"], customers_per_team=d["customers"], scenario=d["scenario"]
    )
    firm = team_scenario(settings.market_scenario(), settings.team_names)  # a team's firm
    spend = investment_cost(firm)
    text = (
        f"`--teams` takes {MIN_TEAMS} to {MAX_TEAMS} ({d['teams']} by default); `--rounds` "
        f"({d['rounds']}), `--months` per round ({d['months']}), `--customers` per firm at the "
        f"start ({d['customers']:,}; the staff scale with them: {firm.firm.employees} in "
        f"`{d['scenario']}`), `--budget` per month (what a firm's competence costs it at the "
        f"scenario's levels: {spend:,.0f} in `{d['scenario']}`) and `--seed` ({d['seed']}) set "
        "the rest."
    )
    return "\n".join(textwrap.wrap(text, 100, break_on_hyphens=False, break_long_words=False))


if __name__ == "__main__":
    print(block())
