"""The class game's default market (issue 24 defect 4, issue 22 "The stories re-examined"):
each team runs the scenario's firm at the class's size (its staff scale with its customers),
and on that market a good split beats spending nothing within the game's rounds while a bad
split can still lose to it (docs/classroom.md, *The market the game is played on*); the team's
page says what the budget is and what happens to money not spent."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ckm_sim.game.budget import Split
from ckm_sim.game.engine import Game, GameSettings, team_employees
from ckm_sim.game.market import team_scenario
from ckm_sim.model import costs
from ckm_sim.model.scenario import DIMENSIONS, load_scenario


def test_a_teams_firm_is_the_scenarios_firm_at_the_classs_size():
    """The game gave every team the scenario's 50 staff whatever its customers (1,000 by
    default): a firm with twice the staff per customer of the scenario's."""
    base = load_scenario("baseline")
    settings = GameSettings(teams=3, customers_per_team=800)
    firm = team_scenario(settings.market_scenario(), settings.team_names)
    per_customer = base.firm.employees / base.market.customers
    assert firm.firm.employees == round(per_customer * 800) == team_employees(base, 800) == 20
    # so its CKM costs per customer are the scenario firm's, but for the fixed parts
    for dim in DIMENSIONS:
        small, whole = costs.cost_parts(firm, dim), costs.cost_parts(base, dim)
        assert small["fixed"] == whole["fixed"]
        for part in ("per_employee", "per_customer"):
            assert small[part] / 800 == pytest.approx(whole[part] / base.market.customers)


def test_a_tiny_class_firm_keeps_one_employee_per_department():
    base = load_scenario("baseline")
    assert team_employees(base, 20) == len(base.firm.departments)


def test_the_team_page_says_what_the_budget_is_and_what_happens_to_money_not_spent():
    """Rule 3 was read aloud only: the team's page said nothing of money not spent."""
    from game_helpers import FakeMarket

    from ckm_sim.game.web import views

    game = Game(GameSettings(teams=2, customers_per_team=800), FakeMarket)
    rules = views.budget_rules_html(game)
    assert f"spend up to {game.budget:,.0f} EUR on its CKM competence" in rules, rules
    assert "(what its competence costs it today)" in rules
    assert "is not spent: your firm keeps it" in rules and "does not carry over" in rules
    chosen = Game(GameSettings(teams=2, customers_per_team=800, budget=900.0), FakeMarket)
    assert "spend up to 900 EUR" in views.budget_rules_html(chosen)
    assert "costs it today" not in views.budget_rules_html(chosen)  # the teacher's budget


GOOD, NOTHING = Split.even(), Split((0,) * len(DIMENSIONS))
BAD = Split.of({"customer_cooperation": 100})  # co-creation that never reaches the product


@pytest.mark.slow
def test_on_the_default_market_a_good_split_beats_nothing_and_a_bad_one_loses_to_it():
    """The default game's market and rounds, with three teams: one plays the even split, one
    spends nothing, one puts everything on cooperation with customers, the roles rotated over
    three seeds (one market each). Paired by game, the good team's lead over the one that
    spends nothing is positive and the bad team's negative, at the 95% t interval."""
    good, bad = [], []
    for seed in range(3):
        settings = GameSettings(teams=3, seed=seed)
        game = Game(settings)
        roles = (GOOD, NOTHING, BAD)[seed:] + (GOOD, NOTHING, BAD)[:seed]
        played = dict(zip(game.teams, roles, strict=True))
        for _ in range(settings.rounds):
            game.play(played)
        net = {played[t]: game.rounds[-1].last(t)["net_value"] for t in game.teams}
        good.append(net[GOOD] - net[NOTHING])
        bad.append(net[BAD] - net[NOTHING])
    for values, sign in ((good, 1), (bad, -1)):
        mean, sem = np.mean(values), stats.sem(values)
        half = stats.t.ppf(0.975, len(values) - 1) * sem
        assert sign * mean - half > 0, (sign, mean, half, values)
