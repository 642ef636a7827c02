"""What-if across firms: a firm's budget buys its own levels through its own cost curve, the
rivals stay where they are, and firm options on bad input are one-line errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from firm_helpers import tiny_duopoly
from test_whatif_cli import _error_line
from whatif_helpers import tiny_scenario

from ckm_sim.cli import main
from ckm_sim.firmkeys import FirmError, check_firms, check_outcome, firm_value, words
from ckm_sim.model.scenario import DIMENSIONS, load_scenario
from ckm_sim.whatif.rivals.response import FirmObjectives, start_splits
from ckm_sim.whatif.shared.allocation import allocate, current_spend, levels_for_spend


@pytest.fixture
def duo(tmp_path):
    return load_scenario(tiny_duopoly(tmp_path))


def test_a_firms_spend_buys_levels_on_its_own_cost_curve(duo):
    spend = np.array([500.0, 500.0, 500.0, 1000.0, 500.0])
    it = DIMENSIONS.index("it_systems")
    # leader's IT costs 4000 at level 1, the rival's the default 2000 (exponent 2)
    assert levels_for_spend(duo, spend, "leader")[it] == pytest.approx((1000 / 4000) ** 0.5)
    assert levels_for_spend(duo, spend, "rival")[it] == pytest.approx((1000 / 2000) ** 0.5)
    moved = allocate(duo, spend, "rival")
    assert firm_value(moved, "rival", "it_systems") == pytest.approx(0.5**0.5)
    # the leader keeps its own levels; the top-level defaults do not move either
    assert firm_value(moved, "leader", "it_systems") == 0.9
    assert firm_value(moved, None, "it_systems") == duo.competence.it_systems


def test_the_rounds_start_from_each_firms_current_split_of_its_budget(duo):
    it, cult = DIMENSIONS.index("it_systems"), DIMENSIONS.index("learning_culture")
    now = current_spend(duo, "leader")
    assert now[it] == pytest.approx(4000 * 0.9**2)
    assert current_spend(duo, "rival")[cult] == pytest.approx(2000 * 0.2**2)
    # the leader pays 4 x 500 + 3,240 now; scaled to a budget of that size it buys its levels
    start = start_splits(duo, ["leader", "rival"], {"leader": 5240.0, "rival": 1000.0})
    assert np.allclose(start["leader"], now)
    back = allocate(duo, start["leader"], "leader")
    for d in DIMENSIONS:
        assert firm_value(back, "leader", d) == pytest.approx(firm_value(duo, "leader", d))
    # the rival pays 4 x 500 + 80 = 2,080: its split of 1,000 keeps those proportions
    assert start["rival"].sum() == pytest.approx(1000.0)
    assert start["rival"][cult] == pytest.approx(1000.0 * 80 / 2080)


def test_the_objective_fixes_the_rivals_and_values_the_firm(duo):
    splits = {"leader": np.full(5, 400.0), "rival": np.full(5, 800.0)}
    objective = FirmObjectives(duo, periods=3)("leader", splits)
    assert objective.firm == "leader"
    fixed = objective.scenario
    rival_levels = [firm_value(fixed, "rival", d) for d in DIMENSIONS]
    assert np.allclose(rival_levels, (800.0 / 2000.0) ** 0.5)
    # the leader's own levels are left for the objective to set from its spend
    assert firm_value(fixed, "leader", "it_systems") == 0.9


def test_firm_names_are_checked_in_one_line(duo, tmp_path):
    assert check_firms(duo, ["rival"], "--firm") == ("rival",)
    with pytest.raises(FirmError, match="unknown firm 'boss' in duo; firms: leader, rival"):
        check_firms(duo, ["boss"], "--firm")
    single = load_scenario(tiny_scenario(tmp_path))
    with pytest.raises(FirmError, match="tiny has one firm"):
        check_firms(single, ["firm"], "--firm")
    assert check_outcome(duo, "leader.net_value", "x") == "leader.net_value"
    with pytest.raises(FirmError, match="not a per-firm outcome"):
        check_outcome(duo, "leader.charisma", "x")
    with pytest.raises(FirmError, match="unknown firm 'boss'"):
        check_outcome(duo, "boss.net_value", "x")
    assert words("leader.net_value") == "leader's net value" and words("clv") == "mean CLV"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--firm", "boss", "--budget", "100"], "unknown firm 'boss' in duo; firms: leader, rival"),
        (["--firm", "leader", "--firm", "rival", "--budget", "9"], "add --best-response-rounds"),
        (["--firm", "leader", "--budget", "9", "--best-response-rounds", "2"], "two or more"),
        (["--firm", "leader", "--firm", "leader", "--budget", "9"], "named twice"),
        (["--firm", "leader", "--budget", "rival=9"], "rival is not a --firm"),
        (
            [
                "--firm",
                "leader",
                "--firm",
                "rival",
                "--budget",
                "leader=9",
                "--best-response-rounds",
                "2",
            ],
            "no budget for rival",
        ),
        (["--budget", "leader=9"], "need --firm"),
        (["--budget", "9"], "duo has firms leader, rival: name whose budget to spend with --firm"),
    ],
)
def test_bad_firm_options_are_one_line_errors(tmp_path, capsys, extra, message):
    path = tiny_duopoly(tmp_path)
    assert main(["optimize", str(path), *extra, "--out", str(tmp_path)]) == 2
    assert message in _error_line(capsys)


def test_firm_options_on_a_single_firm_scenario_are_refused(tmp_path, capsys):
    path = tiny_scenario(tmp_path)
    assert main(["optimize", str(path), "--firm", "firm", "--budget", "9"]) == 2
    assert "has one firm; firm options need a scenario with [[firms]]" in _error_line(capsys)


def _paired(columns: dict[str, tuple[list[float], list[float]]]):
    from ckm_sim.whatif.shared.paired import PairedRuns

    rows = []
    for name, k in (("base", 0), ("push", 1)):
        for r in range(4):
            rows.append(
                {"scenario": name, "replication": r} | {c: v[k][r] for c, v in columns.items()}
            )
    return PairedRuns(["base", "push"], pd.DataFrame(rows), None, 1, 12)


def test_compare_says_what_happens_to_each_firm():
    from ckm_sim.whatif.compare.differences import difference_table
    from ckm_sim.whatif.compare.firms import firm_sentences

    base = [100.0, 140.0, 90.0, 120.0]
    wobble = [0.5, -0.5, 0.5, -0.5]
    runs = _paired(
        {
            "leader.net_value": (base, [b + 10 + w for b, w in zip(base, wobble, strict=True)]),
            "rival.net_value": (base, [b - 5 + w for b, w in zip(base, wobble, strict=True)]),
            "leader.final_market_share": ([0.5] * 4, [0.53 + w / 100 for w in wobble]),
            "rival.final_market_share": ([0.5] * 4, [0.5 + w for w in wobble]),
        }
    )
    keys = ["leader.net_value", "rival.net_value"]
    keys += ["leader.final_market_share", "rival.final_market_share"]
    table, _ = difference_table(runs, [("push", "base")], keys)
    lines = firm_sentences(table, ["leader", "rival"])
    assert len(lines) == 2  # one sentence per metric, a clause per firm
    share, value = lines
    assert value.startswith("push against base: leader's net value rises by 10.0 (95% CI ")
    assert "; rival's net value falls by 5 (95% CI " in value
    # shares move in percentage points; a change inside its CI is said to be none
    assert "leader's final market share rises by 3 percentage points (95% CI " in share
    assert "rival's" in share and "does not change distinguishably" in share


def test_compare_add_on_a_multi_firm_scenario_is_refused(tmp_path, capsys):
    path = tiny_duopoly(tmp_path)
    assert main(["compare", str(path), "--add", "it_systems=100"]) == 2
    assert "--add: duo has several firms" in _error_line(capsys)


def test_report_terms_give_each_firms_spend():
    from ckm_sim.whatif.shared.terms import terms_lines

    # duopoly: leader at 0.8 and laggard at 0.3 on all five dimensions; each firm has 50 staff
    # and half of the 2,000 customers, so at ODD 7.5's default parts its five dimensions cost
    # 1,750 + 1,900 + 1,400 + 1,700 + 2,000 = 8,750 at level 1: 8,750 * 0.64 and 8,750 * 0.09
    line = terms_lines([load_scenario("duopoly")], ["duopoly"], 12)[-1]
    assert line == "Competence spend per month, in EUR: duopoly leader 5,600, laggard 788."
