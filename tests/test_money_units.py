"""Money a manager recognises (issue 22, "units everywhere"): the reports, the dashboard and the
game show the scenario's currency and round money to whole units. Each test runs on a scenario
in Swiss francs with amounts that have decimals, so the old output (no currency, ``900.0``,
``376.843``) fails it."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ckm_sim.experiments.stats import Estimate
from ckm_sim.model.scenario import load_scenario

CHF = {"currency": "CHF"}


def _no_decimal_money(text: str) -> None:
    """No amount in francs carries decimals."""
    assert not re.search(r"\d\.\d+ CHF", text), re.findall(r"[\d,.]+\.\d+ CHF", text)


# ------------------------------------------------------------------ optimize's verdict
def test_the_verdicts_amounts_are_whole_francs() -> None:
    from ckm_sim.whatif.optimize.convergence import verdict

    paying = [Estimate(5.0, 1.0, 9.0, 2.0, 8), Estimate(-1.0, -3.0, 1.0, 2.0, 8)]
    v = verdict(
        [np.array([0.5, 0.5])],
        [],
        paying,
        np.zeros(2, dtype=bool),
        ("a", "b", Estimate(2_000.0, 500.0, 3_500.0, 1_000.0, 8)),
        376.843,
        ("a", "b"),
        budget=4_000.0,
        spent=2_500.4,
        currency="CHF",
    )
    text = " ".join(v.reasons)
    assert "moving 377 CHF a period from b to a" in text
    assert "spends 2,500 CHF a period of the budget of 4,000 CHF" in text
    assert "spending 377 CHF a period more on a" in text
    _no_decimal_money(text)


# ------------------------------------------------------------------ rivals' report
def test_the_best_responses_report_is_in_francs(tmp_path) -> None:
    from ckm_sim.whatif.rivals.report import write_report
    from ckm_sim.whatif.rivals.rounds import BestResponses, Move

    scenario = load_scenario("duopoly").with_overrides(**CHF)
    split = np.array([900.4, 376.843, 500.0, 1_222.7, 1_000.0])
    gain = Estimate(12_345.6, 2_000.2, 22_691.1, 9_000.0, 4)
    value = Estimate(456_789.4, 440_000.5, 473_578.3, 9_000.0, 4)
    br = BestResponses(
        firms=("leader", "laggard"),
        budgets={"leader": 4_000.0, "laggard": 4_000.0},
        tolerance=0.1,
        start={"leader": split, "laggard": split},
        moves=[
            Move(1, f, split, split, 0.0, gain, True, "holds", value) for f in ("leader", "laggard")
        ],
        status="settled",
        rounds_played=1,
    )
    meta = {"periods": 12, "restarts": 1, "trials": 2, "replications": 1, "eval_replications": 4}
    report, lines = write_report(br, scenario, tmp_path, meta)
    text = report.read_text()
    assert "it_systems 1,223 CHF (level" in lines[1]
    assert "budget of 4,000 CHF a month" in lines[1]
    assert "net value (CHF)" in text and "456,789 (95% CI 440,000 to 473,578)" in text
    assert "12,346 (95% CI 2,000 to 22,691)" in text
    assert "EUR" not in text
    _no_decimal_money(text)


# ------------------------------------------------------------------ calibrate's report
def test_the_calibration_report_names_the_fitted_scenarios_currency() -> None:
    from ckm_sim.whatif.calibrate.fit import Calibration
    from ckm_sim.whatif.calibrate.report import _text, findings

    scenario = load_scenario("baseline").with_overrides(margin=12.4, **CHF)
    observed = pd.DataFrame({"period": [0, 1], "active": [100, 90], "survival": [1.0, 0.9]})
    simulated = pd.DataFrame(
        {"period": [0, 1], "mean": [1.0, 0.91], "low": [1.0, 0.9], "high": [1.0, 0.92]}
    )
    c = Calibration(
        fitted={"churn_floor": 0.01},
        bounds={"churn_floor": (0.0, 0.05)},
        rmse=0.01,
        max_error=0.01,
        noise_rmse=0.01,
        observed=observed,
        simulated=simulated,
        trials=2,
        replications=1,
        eval_replications=2,
        base_seed=1,
        search_rmse=0.01,
    )
    lines = findings(c, scenario)
    assert "its money is in CHF" in lines[-1]
    text = _text(c, scenario, "file.csv", lines)
    assert "a customer's mean margin is 12 CHF a month" in text
    assert "an acquisition costs 40 CHF" in text


# ------------------------------------------------------------------ the dashboard
def test_the_dashboards_money_units_name_the_currency() -> None:
    from ckm_sim.dashboard.charts import panel_title
    from ckm_sim.dashboard.notes import format_value, measure

    assert measure("net_value", "CHF").unit == "CHF"
    assert measure("investment_cost", "CHF").unit == "CHF / month"
    assert measure("retention_rate", "CHF").unit == "per month"  # not money: unchanged
    assert measure("acquisition_spend", "CHF").unit == "CHF"  # from the registry
    assert format_value("net_value", -104_211.6) == "-104,212"
    title, _ = panel_title("Net value", ["net_value"], "CHF")
    assert title == "Net value (CHF)"


def test_the_dashboards_panels_and_comparison_show_francs() -> None:
    from ckm_sim.dashboard.compare import Pair, comparison_table
    from ckm_sim.dashboard.figures import figures_html, headline_html
    from ckm_sim.dashboard.model import DashboardModel

    def model() -> DashboardModel:
        m = DashboardModel(preset="baseline", seed=3, customers=150, employees=10)
        m.scenario_config = m.scenario_config.with_overrides(**CHF)
        return m

    m = model()
    m.step()
    for html in (headline_html(m), figures_html(m)):
        assert "CHF" in html and ">money<" not in html and ">money / month<" not in html
    pair = Pair(m, model())
    table = comparison_table(pair)
    assert "<td class='u'>CHF</td>" in table and "<td class='u'>money</td>" not in table


def test_the_dashboards_margin_slider_and_market_notes_are_in_francs(monkeypatch) -> None:
    """The margin slider's readout read "10 per month", without its currency."""
    import ipywidgets
    import solara

    from ckm_sim.dashboard.controls import SettingsPanel
    from ckm_sim.dashboard.figures import dimensions_html
    from ckm_sim.dashboard.runner import Runner

    monkeypatch.setattr("ckm_sim.dashboard.model.CLASSROOM_CUSTOMERS", 100)
    runner = Runner()
    runner.model.scenario_config = runner.model.scenario_config.with_overrides(**CHF)
    panel = SettingsPanel(runner, lambda: None, runner.settings, runner.model)
    _, rc = solara.render(panel, handle_error=False)

    def walk(w):  # the widget tree under the panel
        yield w
        for child in getattr(w, "children", None) or ():
            if isinstance(child, ipywidgets.Widget):
                yield from walk(child)

    readouts = [
        str(w.children[0])
        for top in rc.find(ipywidgets.Widget).widgets
        for w in walk(top)
        if getattr(w, "class_", None) == "ckm-slider-value"
    ]
    assert len(readouts) == 10
    margin = runner.settings["margin"]
    assert f"{margin:,.0f} CHF per month" in readouts, readouts
    assert sum("CHF" in r for r in readouts) == 1  # the margin is the only money slider
    assert "Margin per customer (CHF per month)" in dimensions_html(runner.model)


# ------------------------------------------------------------------ the game
@pytest.fixture(scope="module")
def chf_game(tmp_path_factory):
    from game_helpers import FakeMarket

    from ckm_sim.game.budget import Split
    from ckm_sim.game.engine import Game, GameSettings

    path = tmp_path_factory.mktemp("chf") / "swiss.toml"
    path.write_text('name = "swiss"\nseed = 1\n\n[economics]\ncurrency = "CHF"\n')
    settings = GameSettings(
        teams=2, rounds=1, periods_per_round=2, customers_per_team=2000, scenario=str(path)
    )
    game = Game(settings, FakeMarket)
    game.play({"red": Split.of({"it_systems": 100}), "blue": Split.even()})
    return game


def test_the_games_debrief_and_export_are_in_francs(chf_game) -> None:
    from ckm_sim.game import debrief, export

    winner = debrief.explain(chf_game)[0]
    assert re.search(r"net value of -?[\d,]+ CHF, [\d,]+ CHF ahead of", winner), winner
    page = export.debrief_page(chf_game)
    assert "Net value (CHF)" in page and "Net value per round (CHF)" in page
    assert re.search(r"budget [\d,]+ CHF per team and month", page)
    _no_decimal_money(page)
    rows = export.rows(chf_game)
    assert {r["currency"] for r in rows} == {"CHF"}
    assert export.results_csv(chf_game).splitlines()[0].count("currency") == 1


def test_the_games_screens_are_in_francs(chf_game) -> None:
    from ckm_sim.game.web import views

    assert re.fullmatch(r"Your budget: [\d,]+ CHF per month", views.budget_title(chf_game))
    levels = chf_game.levels_of(chf_game.rounds[0].splits["red"])
    assert re.fullmatch(
        r" · buys levels costing [\d,]+ CHF of [\d,]+ CHF per month",
        views.spend_text(chf_game, levels),
    )
    assert views.spend_text(chf_game, None) == ""
    board = views.leaderboard_html(chf_game)
    assert "Net value (CHF)" in board and "CKM spend per month (CHF)" in board
    assert "Net value (CHF)" in views.firm_html(chf_game, "red")
    assert "Spend per month (CHF)" in views.debrief_html(chf_game)


def test_the_games_history_chart_and_whatif_are_in_francs(chf_game) -> None:
    """A team's history of splits read "Net value" and the what-if's net values had no
    currency."""
    from ckm_sim.game import whatif
    from ckm_sim.game.budget import Split
    from ckm_sim.game.web import debrief_view, whatif_view

    assert "<th>Net value (CHF)</th>" in debrief_view.history_html(chf_game, "red")
    assert debrief_view.series_name("net_value", "CHF") == "Net value (CHF)"
    assert debrief_view.series_name("retention_rate", "CHF") == "Retention %"
    replayed = whatif_view.replayed_html(whatif.compare(chf_game, "red", Split.even()), "CHF")
    assert re.search(r"net value of <b>-?[\d,]+ CHF</b> instead of -?[\d,]+ CHF", replayed)
    assert "as played: net value (CHF)" in replayed and "Replayed: net value (CHF)" in replayed
    _no_decimal_money(replayed)
