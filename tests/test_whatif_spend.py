"""Spend questions: extra spend per period converted to levels through the cost curve, the
``compare --add`` command end to end, and its one-line errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whatif_helpers import tiny_scenario

from ckm_sim.cli import main
from ckm_sim.model.investment import holding_spend as cost_of_level
from ckm_sim.model.investment import level_for_spend as level_for_cost
from ckm_sim.model.levers import investment_cost
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.shared.spend import (
    Increment,
    SpendError,
    level_after,
    max_extra_spend,
    parse_alternative,
    with_spend,
)


@given(
    level=st.floats(0.0, 1.0),
    unit=st.floats(1.0, 1e6),
    exponent=st.floats(1.0, 5.0),
)
def test_level_for_cost_inverts_the_cost_curve(level, unit, exponent):
    assert level_for_cost(cost_of_level(level, unit, exponent), unit, exponent) == pytest.approx(
        level, abs=1e-9
    )


def test_level_for_cost_by_hand():
    # 2000 * l^2 = 500 -> l = 0.5; 2000 * l^3 = 250 -> l = 0.5
    assert level_for_cost(500.0, 2000.0, 2.0) == pytest.approx(0.5)
    assert level_for_cost(250.0, 2000.0, 3.0) == pytest.approx(0.5)


@settings(deadline=None, max_examples=30)
@given(share=st.floats(0.01, 1.0))
def test_added_spend_raises_the_investment_by_exactly_that_much(share):
    base = load_scenario("baseline")
    amount = share * max_extra_spend(base, "it_systems")
    alt = with_spend(base, [Increment("it_systems", amount)])
    assert investment_cost(alt) - investment_cost(base) == pytest.approx(amount, rel=1e-9)
    assert alt.competence.learning_culture == base.competence.learning_culture


def test_baseline_it_plus_1500_is_level_one():
    base = load_scenario("baseline")  # level 0.5 at 2000 * l^2: costs 500, 1500 more buys 1
    assert max_extra_spend(base, "it_systems") == pytest.approx(1500.0)
    assert level_after(base, Increment("it_systems", 1500.0)) == pytest.approx(1.0)
    with pytest.raises(SpendError, match="most it can take is 1,500"):
        level_after(base, Increment("it_systems", 1500.5))


@pytest.mark.parametrize(
    "text, message",
    [
        ("it_systems", "DIMENSION=AMOUNT"),
        ("it=5", "unknown dimension"),
        ("it_systems=abc", "must be a number"),
        ("it_systems=-5", "positive"),
        ("it_systems=nan", "positive"),
        ("it_systems=5,it_systems=6", "twice"),
    ],
)
def test_parse_alternative_refuses_bad_input(text, message):
    with pytest.raises(SpendError, match=message):
        parse_alternative(text)


def test_parse_alternative_reads_several_increments():
    assert parse_alternative("it_systems=750, learning_culture=250.5") == (
        Increment("it_systems", 750.0),
        Increment("learning_culture", 250.5),
    )


def test_compare_add_answers_the_spend_question(tmp_path, capsys):
    sc = tiny_scenario(tmp_path, level=0.2)  # 2000 * 0.04 = 80 spent, up to 1,920 more
    out = tmp_path / "results"
    args = [
        "compare",
        str(sc),
        "--add",
        "it_systems=1500",
        "--add",
        "learning_culture=1500",
        "--workers",
        "1",
    ]
    code = main([*args, "-r", "3", "--periods", "6", "--out", str(out), "--quiet", "--name", "q"])
    assert code == 0
    data = json.loads((out / "compare" / "q" / "comparison.json").read_text())
    assert data["scenarios"] == ["tiny", "it_systems+1500", "learning_culture+1500"]
    answers = data["answers"]
    assert len(answers) == 3  # each against the base, then IT against culture
    assert all("95% CI" in a for a in answers)
    last = answers[-1]
    assert ("beats" in last) or ("cannot be told apart at 3 replications" in last)
    report = (out / "compare" / "q" / "report.md").read_text()
    assert "A period is a month" in report and "6 months" in report
    assert "tiny 400" in report and "it_systems+1500 1,900" in report  # spend per month
    assert "retention per year" in report


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--add", "it_systems=5000"], "most it can take is 1,920 per period"),
        (["--add", "nope=5"], "unknown dimension"),
        (["--add", "it_systems=5", "--add", "it_systems=5"], "twice"),
    ],
)
def test_compare_add_errors_are_one_line(tmp_path, capsys, extra, message):
    sc = tiny_scenario(tmp_path, level=0.2)
    code = main(["compare", str(sc), *extra, "-r", "2", "--out", str(tmp_path), "--quiet"])
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert message in err


def test_compare_add_needs_exactly_one_scenario(tmp_path, capsys):
    a, b = tiny_scenario(tmp_path, "a"), tiny_scenario(tmp_path, "b")
    code = main(["compare", str(a), str(b), "--add", "it_systems=5", "--out", str(tmp_path)])
    assert code != 0
    assert "exactly one scenario" in capsys.readouterr().err
