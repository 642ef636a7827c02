"""``optimize --budget``: beside its gain over the even split, what would flip the answer (the
break-even cost multiplier with its CI, the payback month), and money in the scenario's
currency in whole units (issue 22)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model import costs
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.optimize.flip import BEST, EVEN, flip_scenarios
from ckm_sim.whatif.optimize.report import write_report
from ckm_sim.whatif.optimize.settings import SearchSettings, best_split
from ckm_sim.whatif.shared.paired import run_paired
from ckm_sim.whatif.shared.search import evaluation_seeds

#: A small firm in Swiss francs; a budget above what its own levels cost (so the answer's
#: extra spend over the scenario as it is has a break-even).
SMALL = {"customers": 200, "prospects": 100, "employees": 10, "currency": "CHF"}
BUDGET = 1_500.0
SETTINGS = SearchSettings(method="tpe", trials=3, restarts=1, eval_replications=3, polish=0)


@pytest.fixture(scope="module")
def answered():
    scenario = load_scenario("baseline").with_overrides(**SMALL)
    plan = RunPlan(2, base_seed=5, periods=30, workers=1).resolved(scenario)
    return scenario, plan, best_split(scenario, BUDGET, plan, SETTINGS)


def test_the_answer_against_the_even_split_is_the_reported_gain(answered) -> None:
    """The flip's runs are the evaluation seeds': its difference between the answer and the
    even split is the optimiser's own gain over the even split, measured apart."""
    _, _, opt = answered
    assert opt.flip is not None
    versus_even = next(b for b in opt.flip.breakeven if b.reference == EVEN)
    assert versus_even.treatment == BEST and versus_even.n == 3
    assert versus_even.net_difference == pytest.approx(opt.gain.mean, rel=1e-9, abs=1e-6)


def test_at_the_break_even_multiplier_the_answer_stops_paying(answered) -> None:
    """Scaling every dimension's cost by the reported multiplier (the levels held) makes the
    answer's lead over the scenario as it is vanish, on the same seeds."""
    scenario, plan, opt = answered
    assert opt.flip is not None
    b = next(b for b in opt.flip.breakeven if b.reference == scenario.name)
    assert b.multiplier is not None and b.low is not None and b.high is not None
    assert b.low <= b.multiplier <= b.high
    as_is, best, _ = flip_scenarios(scenario, opt)
    at = [s.with_overrides(**costs.scaled(scenario, b.multiplier)) for s in (as_is, best)]
    seeds = evaluation_seeds(plan, opt.eval_replications)
    runs = run_paired(at, plan, timeseries=False, seeds=seeds)
    lead = runs.values(BEST, "net_value") - runs.values(scenario.name, "net_value")
    today = abs(b.net_difference) + abs(b.cost_difference)
    assert abs(float(lead.mean())) < 1e-6 * today


def test_the_payback_is_the_same_pair_measured_period_by_period(answered) -> None:
    scenario, _, opt = answered
    assert opt.flip is not None
    by_ref = {p.reference: p for p in opt.flip.payback}
    assert set(by_ref) == {EVEN, scenario.name}
    for b in opt.flip.breakeven:
        p = by_ref[b.reference]
        assert p.treatment == BEST and p.horizon == 30
        assert p.final_mean == pytest.approx(b.net_difference, rel=1e-9, abs=1e-6)


def test_the_report_gives_the_break_even_and_money_in_whole_francs(answered, tmp_path) -> None:
    scenario, plan, opt = answered
    report, lines = write_report(opt, scenario, tmp_path, plan.periods)
    text = report.read_text()
    flips = [s for s in lines if "times today's" in s or "spend the same" in s]
    assert flips, lines
    assert any("pays back" in s for s in lines)
    budget_line = next(s for s in lines if s.startswith("Best split of a budget"))
    assert "1,500 CHF a month" in budget_line
    assert re.search(r"net value is -?[\d,]+ CHF \(95% CI", text)
    # money reads in whole units: no amount with decimals before its currency
    assert not re.search(r"\d\.\d+ CHF", text), re.findall(r"[\d,.]+\.\d+ CHF", text)
    assert "EUR" not in text
    assert "best spend (CHF)" in text and "net value per 1,000 CHF more a month" in text


def test_without_the_flip_the_search_runs_as_before(answered) -> None:
    scenario, plan, opt = answered
    bare = best_split(scenario, BUDGET, plan, SETTINGS, flip=False)
    assert bare.flip is None
    assert np.array_equal(bare.best, opt.best)
