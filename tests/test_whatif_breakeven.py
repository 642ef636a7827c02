"""Break-even, not a sign (issue 22): the cost multiplier at which an alternative stops paying,
with its delta-method CI, the payback of each firm on its own net value, ``--add
FIRM.DIMENSION=AMOUNT`` in a market of firms, and money in its currency in whole units."""

from __future__ import annotations

import json
from html import escape as html_escape

import numpy as np
import pandas as pd
import pytest
from firm_helpers import tiny_duopoly
from scipy import stats
from test_whatif_cli import _error_line
from whatif_helpers import tiny_scenario

from ckm_sim.cli import main
from ckm_sim.model.scenario import load_scenario
from ckm_sim.reports import numbers as num
from ckm_sim.whatif.shared.breakeven import break_even, verdicts
from ckm_sim.whatif.shared.paired import PairedRuns
from ckm_sim.whatif.shared.payback import paybacks
from ckm_sim.whatif.shared.spend import Increment, SpendError, level_after, parse_alternative

NET_REF = np.array([1000.0, 1200.0, 900.0, 1100.0])


def test_the_multiplier_is_gross_benefit_over_cost_difference_with_a_t_interval():
    # the treatment spends 100 more on every seed and earns 230, 250, 210, 270 more before that
    gross = np.array([230.0, 250.0, 210.0, 270.0])
    cost_ref = np.full(4, 500.0)
    cost = cost_ref + 100.0
    b = break_even("t", "r", (NET_REF + gross - 100.0, NET_REF), (cost, cost_ref))
    assert b.kind == "costs more"
    assert b.multiplier == pytest.approx(2.4)  # mean gross 240 / 100
    # with a cost difference the same on every seed the interval is the gross benefit's / 100
    half = stats.t.ppf(0.975, 3) * gross.std(ddof=1) / np.sqrt(4) / 100.0
    assert (b.low, b.high) == (pytest.approx(2.4 - half), pytest.approx(2.4 + half))
    # at the multiplier the difference vanishes: gross - m * cost difference = 0
    assert b.gross_difference - b.multiplier * b.cost_difference == pytest.approx(0.0, abs=1e-9)
    assert b.net_difference == pytest.approx(140.0)


def test_the_interval_follows_the_delta_method_when_the_cost_difference_varies():
    gross = np.array([230.0, 250.0, 210.0, 270.0])
    d_cost = np.array([90.0, 110.0, 95.0, 105.0])
    b = break_even("t", "r", (NET_REF + gross - d_cost, NET_REF), (d_cost, np.zeros(4)))
    ratio = gross.mean() / d_cost.mean()
    se = (gross - ratio * d_cost).std(ddof=1) / (2.0 * d_cost.mean())
    t = stats.t.ppf(0.975, 3)
    assert b.multiplier == pytest.approx(ratio)
    assert (b.low, b.high) == (pytest.approx(ratio - t * se), pytest.approx(ratio + t * se))


@pytest.mark.parametrize(
    "gross, d_cost, kind, words",
    [
        ([-10.0, -20.0], [100.0, 100.0], "costs more", "does not pay against r at any cost"),
        ([-50.0, -70.0], [-100.0, -100.0], "costs less", "only if competence costs over 0.6"),
        ([5.0, 15.0], [-100.0, -100.0], "costs less", "comes out ahead of r at any cost"),
        ([5.0, 15.0], [0.0, 0.0], "same cost", "spend the same on competence"),
    ],
)
def test_each_sign_of_the_difference_reads_as_it_should(gross, d_cost, kind, words):
    g, c = np.array(gross), np.array(d_cost)
    ref = NET_REF[:2]
    b = break_even("t", "r", (ref + g - c, ref), (500.0 + c, np.full(2, 500.0)))
    assert b.kind == kind
    (line,) = verdicts([b], [], "month", "EUR")
    assert words in line and line.endswith(".")


def test_the_verdict_reads_as_a_manager_would_say_it():
    gross = np.array([230.0, 250.0, 210.0, 270.0])
    cost_ref = np.full(4, 500.0)
    b = break_even(
        "culture",
        "base",
        (NET_REF + gross - 100, NET_REF),
        (cost_ref + 100, cost_ref),
        extra_per_period=1500.0,
    )
    (line,) = verdicts([b], [], "month", "CHF")
    assert line.startswith(
        "culture pays against base if its extra competence spend costs under 2.4 times "
        "today's (95% CI "
    )
    assert "today 1,500 CHF a month more on average: under 3,600 CHF a month)" in line


def _runs_where_the_market_loses_and_the_laggard_gains() -> PairedRuns:
    """``push`` against ``base``: the laggard pays 10 a period and gains 15 a period from
    period 3 on; the leader loses 20 a period from period 3 on (so the market loses)."""
    rows, series = [], []
    periods = np.arange(0, 13)
    for r, wobble in enumerate([-1.0, 0.0, 1.0]):
        for name in ("base", "push"):
            pushed = name == "push"
            gain = np.where(periods >= 3, periods - 2, 0) * (15.0 if pushed else 0.0)
            cost = periods * (10.0 if pushed else 0.0)
            loss = np.where(periods >= 3, periods - 2, 0) * (20.0 if pushed else 0.0)
            lag = 100.0 + gain - cost + (wobble if pushed else 0.0)
            lead = 300.0 - loss
            for t in periods:
                series.append(
                    {
                        "scenario": name,
                        "replication": r,
                        "period": int(t),
                        "laggard.net_value": lag[t],
                        "leader.net_value": lead[t],
                        "net_value": lag[t] + lead[t],
                    }
                )
            rows.append(
                {
                    "scenario": name,
                    "replication": r,
                    "laggard.net_value": lag[-1],
                    "leader.net_value": lead[-1],
                    "net_value": lag[-1] + lead[-1],
                }
            )
    return PairedRuns(["base", "push"], pd.DataFrame(rows), pd.DataFrame(series), 1, 12)


def test_payback_is_measured_on_each_firms_own_net_value():
    runs = _runs_where_the_market_loses_and_the_laggard_gains()
    (market,) = paybacks(runs)
    (laggard,) = paybacks(runs, firm="laggard")
    assert market.period is None  # the market's total falls: 15 - 10 - 20 a period
    # the laggard's difference 15 (t - 2) - 10 t = 5 t - 30 (+ wobble) turns positive after 6
    assert laggard.firm == "laggard" and laggard.period == 7
    assert "pays back against base for laggard from month 7" in laggard.sentence("month", "EUR")
    assert "laggard's net value at the horizon +30 EUR" in laggard.sentence("month", "EUR")


def test_a_firms_spend_is_parsed_and_checked_against_the_firms_there_are(tmp_path):
    duo = load_scenario(tiny_duopoly(tmp_path))
    (inc,) = parse_alternative("rival.learning_culture=100")
    assert inc == Increment("learning_culture", 100.0, "rival")
    # rival's culture at 0.2 on the flat 2,000 costs 80; 100 more buys sqrt(180 / 2000)
    assert level_after(duo, inc) == pytest.approx(0.3)
    with pytest.raises(SpendError, match="has no firm 'nobody'; its firms are leader, rival"):
        level_after(duo, Increment("it_systems", 10.0, "nobody"))
    with pytest.raises(SpendError, match=r"several firms \(leader, rival\); name the firm"):
        level_after(duo, Increment("it_systems", 10.0))
    with pytest.raises(SpendError, match="has one firm; write --add it_systems=AMOUNT"):
        level_after(load_scenario("baseline"), Increment("it_systems", 10.0, "firm"))


def test_compare_add_for_one_firm_reports_each_firms_payback_and_break_even(tmp_path, capsys):
    path = tiny_duopoly(tmp_path)
    out = tmp_path / "results"
    args = ["compare", str(path), "--add", "rival.learning_culture=100"]
    common = ["-r", "2", "--periods", "6", "-j", "1", "--quiet", "--out", str(out)]
    assert main([*args, *common]) != 0  # built over time needs a plan: single-firm only
    assert "add --instant" in _error_line(capsys)
    assert main([*args, "--instant", *common, "--name", "d"]) == 0
    data = json.loads((out / "compare" / "d" / "comparison.json").read_text())
    assert data["scenarios"] == ["duo", "rival.learning_culture+100"]
    assert {p["firm"] for p in data["payback"]} == {None, "leader", "rival"}
    assert {b["firm"] for b in data["breakeven"]} == {None, "leader", "rival"}
    rival = next(b for b in data["breakeven"] if b["firm"] == "rival")
    leader = next(b for b in data["breakeven"] if b["firm"] == "leader")
    assert leader["multiplier"] is None  # the leader spends what it spent
    # the rival pays 100 a month more, discounted: its own cost difference, not the market's
    rate = load_scenario(path).economics.discount_rate
    assert rival["cost_difference"] == pytest.approx(
        sum(100.0 / (1 + rate) ** t for t in range(1, 7)), rel=1e-9
    )
    assert data["answers"][0].startswith("Adding 100 EUR a month on rival's learning_culture: ")
    assert "rival's net value changes by" in data["answers"][0]
    report = (out / "compare" / "d" / "report.md").read_text()
    assert "for rival" in report and "## What would flip it" in report


def test_money_is_in_the_scenarios_currency_and_whole_units(tmp_path, capsys):
    low = tiny_scenario(tmp_path, "low", level=0.2)
    high = tiny_scenario(tmp_path, "high", level=0.6)
    for path in (low, high):
        path.write_text(path.read_text() + '\n[economics]\ncurrency = "CHF"\n')
    out = tmp_path / "results"
    common = ["-r", "2", "--periods", "6", "-j", "1", "--out", str(out), "--name", "m"]
    assert main(["compare", str(low), str(high), *common]) == 0
    printed = capsys.readouterr().out
    report = (out / "compare" / "m" / "report.md").read_text()
    assert "period-0 money" not in report
    assert "All in CHF, discounted to month 0." in report
    assert "net value (CHF)" in printed and "net value (CHF" in report
    assert "Competence spend per month, in CHF: low 400; high 3,600." in report
    data = json.loads((out / "compare" / "m" / "comparison.json").read_text())
    (net,) = [s for s in data["sentences"] if "high raises net value" in s or "net value by" in s]
    assert " CHF (95% CI " in net
    assert data["verdicts"] and all("CHF" in v or "the same" in v for v in data["verdicts"])
    html = (out / "compare" / "m" / "summary.html").read_text()
    assert html_escape(data["verdicts"][0].split(" (")[0]) in html


def test_money_formats_whole_with_its_currency():
    assert num.money(376.843, "EUR") == "377 EUR"
    assert num.money(-0.4, "EUR") == "0 EUR"
    assert num.amount("net_value", 1234.5, "EUR") == "1,234 EUR"  # round half to even
    assert num.amount("leader.net_value", 900.0, "USD") == "900 USD"
    assert num.amount("mean_retention_rate", 0.01, "EUR") == "1 percentage points"
    assert num.interval("clv", -3.4, 12.6, "EUR") == "95% CI -3 to 13 EUR"
