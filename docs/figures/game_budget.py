"""Figure ``game_budget``: what a team's budget buys, under docs/classroom.md's game rules, from
the default game's scenario (its budget per month and cost curve) through the game's own
:func:`ckm_sim.game.budget.levels` and :func:`~ckm_sim.game.budget.spend`. The block's claim
that unspent money is not charged is checked on a small game's market before it is written."""

from __future__ import annotations

import math
import textwrap

from ckm_sim.game import budget
from ckm_sim.game.budget import Split
from ckm_sim.game.debrief import SHORT
from ckm_sim.game.engine import Game, GameSettings
from ckm_sim.game.market import team_scenario
from ckm_sim.model.costs import unit_costs
from ckm_sim.model.levers import investment_cost
from ckm_sim.model.scenario import DIMENSIONS

DOC = "docs/classroom.md"
NOTHING = Split((0,) * len(DIMENSIONS))
PAIR = Split.of({"it_systems": 50, "learning_culture": 50})


def _money(x: float) -> str:
    return f"{x:,.0f}"


def check_charges(settings: GameSettings) -> None:
    """On a small market of the game's scenario, a firm is charged per month what its levels
    cost (:func:`~ckm_sim.game.budget.spend`), not its budget: the unspent money is not."""
    small = GameSettings(
        teams=2, rounds=1, periods_per_round=2, customers_per_team=50, scenario=settings.scenario
    )
    game = Game(small)
    game.play({"red": Split.of({DIMENSIONS[0]: 100}), "blue": NOTHING})
    for team in game.teams:
        charged = game.rounds[0].last(team)["investment_cost"]
        assert math.isclose(charged, game.rounds[0].spend[team]), (team, charged)


def block() -> str:
    """The cost curve, and a table of splits: the levels they buy, what they spend."""
    settings = GameSettings()
    check_charges(settings)
    scenario = settings.market_scenario()
    costs = team_scenario(scenario, settings.team_names)  # a team's firm's cost curve
    money = investment_cost(costs)
    k = costs.costs.cost_exponent
    power = "²" if k == 2 else f"^{k:g}"
    each = unit_costs(costs)
    same = len(set(each.values())) == 1
    if same:
        curve = f"`{_money(each[DIMENSIONS[0]])} · l{power}` per month on every dimension"
    else:
        curve = "per month " + ", ".join(
            f"`{_money(c)} · l{power}` for {SHORT[d]}" for d, c in each.items()
        )
    lines = textwrap.wrap(
        f"**What the budget buys** (the default game: scenario `{settings.scenario}`, a CKM "
        f"budget of {_money(money)} per firm and month). A level `l` of a dimension costs "
        f"{curve}. A level cannot exceed 1: money left unassigned, or beyond the cost of level "
        "1, is not spent: it is neither subtracted from net value nor carried over to the next "
        "year.",
        100,
        break_on_hyphens=False,
        break_long_words=False,
    )
    lines += ["", "| split | level it buys | spent per month |", "|---|---|---|"]

    def row(label: str, split: Split, there: bool = False) -> None:
        levels = budget.levels(split, money, costs)
        bought = {d: v for d, v in levels.items() if v > 0}
        if not bought:
            shown = "0 on every dimension"
        elif there:
            shown = f"{next(iter(bought.values())):.2f} there, 0 elsewhere"
        elif len(bought) == len(DIMENSIONS) and len(set(bought.values())) == 1:
            shown = f"{next(iter(bought.values())):.2f} on every dimension"
        else:
            shown = ", ".join(f"{v:.2f} {SHORT[d]}" for d, v in bought.items())
            shown += ", 0 elsewhere" if len(bought) < len(DIMENSIONS) else ""
        spent = budget.spend(levels, costs)
        note = f" ({_money(money - spent)} not spent)" if money - spent >= 0.5 else ""
        lines.append(f"| {label} | {shown} | {_money(spent)}{note} |")

    row(f"the even split ({Split.even().shares[0]} % each)", Split.even())
    for d in DIMENSIONS[:1] if same else DIMENSIONS:
        label = "100 % on one dimension" if same else f"100 % {SHORT[d]}"
        row(label, Split.of({d: 100}), there=same)
    row(
        " and ".join(f"{s} % {SHORT[d]}" for d, s in PAIR.as_dict().items() if s),
        PAIR,
    )
    row("nothing (0 % everywhere)", NOTHING)
    return "\n".join(lines)


if __name__ == "__main__":
    print(block())
