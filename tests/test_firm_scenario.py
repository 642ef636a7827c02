"""``ckm-sim firm-scenario`` (issue 22): a firm's own figures in, a scenario the other commands
take out; the shipped example runs, its scenario validates and runs; bad figures are one-line
errors with exit code 2."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from test_cli import run_cli

from ckm_sim.model.costs import unit_cost
from ckm_sim.model.scenario import load_scenario
from ckm_sim.tomlfiles import shipped_folder

EXAMPLE = shipped_folder("examples") / "firm_figures.toml"
SMALL = """
name = "shop"
currency = "CHF"
customers = 400
employees = 12
margin = 8
"""


def write(folder: Path, text: str, name: str = "figures.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_example_writes_a_scenario_that_validates_and_runs(tmp_path):
    out = tmp_path / "my_firm.toml"
    code, stdout, stderr = run_cli(["firm-scenario", "data/firm_figures.toml", "--out", str(out)])
    assert code == 0, stderr
    assert "retention fitted" in stdout and str(out) in stdout
    sc = load_scenario(out)
    # the example's figures: 3,000 customers, 60 staff, 48 revenue at a 25% margin rate, EUR
    assert (sc.market.customers, sc.firm.employees) == (3000, 60)
    assert sc.economics.margin == pytest.approx(12.0) and sc.economics.currency == "EUR"
    # IT's cost of level 1 by ODD 7.5's default parts: 600 + 16 * 60 + 0.3 * 3000 = 2,460;
    # 1,500 a month keeps sqrt(1500 / 2460) there; culture's 400 of 200 + 36 * 60 = 2,360
    assert unit_cost(sc, "it_systems") == pytest.approx(2460.0)
    assert sc.competence.it_systems == pytest.approx(math.sqrt(1500 / 2460))
    assert sc.competence.learning_culture == pytest.approx(math.sqrt(400 / 2360))
    assert sc.competence.customer_cooperation == 0.5  # no spend given: the base's level
    # a single monthly retention (0.985) fits the churn floor alone: one number says how many
    # leave, not how leaving slows with tenure, so the loyalty spread and the pull stay the base's
    base = load_scenario("baseline").market
    assert sc.market.churn_floor != base.churn_floor
    assert (sc.market.loyalty_spread, sc.market.competitor_pull) == (
        base.loyalty_spread,
        base.competitor_pull,
    )
    code, _, stderr = run_cli(
        ["run", str(out), "--periods", "3", "--out", str(tmp_path / "runs"), "--quiet"]
    )
    assert code == 0, stderr


def test_figures_without_retention_or_spend_keep_the_base_and_need_no_fit(tmp_path):
    out = tmp_path / "shop.toml"
    code, stdout, stderr = run_cli(
        ["firm-scenario", str(write(tmp_path, SMALL)), "--out", str(out)]
    )
    assert code == 0, stderr
    assert "retention fitted" not in stdout
    sc, base = load_scenario(out), load_scenario("baseline")
    assert sc.name == "shop" and sc.economics.currency == "CHF"
    assert sc.market.prospects == 200  # the baseline's ratio: 1,000 prospects to 2,000 customers
    assert sc.competence == base.competence
    assert sc.market.churn_floor == base.market.churn_floor


def test_a_retention_csv_is_found_beside_the_figures_and_fitted(tmp_path):
    (tmp_path / "curve.csv").write_text(
        "period,active\n0,400\n3,370\n6,345\n9,325\n12,306\n", encoding="utf-8"
    )
    text = SMALL + 'retention_csv = "curve.csv"\n[fit]\ntrials = 4\nreplications = 1\n'
    out = tmp_path / "shop.toml"
    code, stdout, stderr = run_cli(["firm-scenario", str(write(tmp_path, text)), "--out", str(out)])
    assert code == 0, stderr
    assert "retention fitted" in stdout
    load_scenario(out)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\nemployees = 10\nmargin = 5\n', "'customers' is required"),
        (SMALL + "revenue = 40\nmargin_rate = 0.2\n", "one of the two"),
        (SMALL.replace("margin = 8", "revenue = 40"), "'revenue' and 'margin_rate' together"),
        (SMALL + "retention = 0.98\nretention_csv = 'r.csv'\n", "not both"),
        (SMALL + "retention = 1.5\n", "'retention' = 1.5 is out of range"),
        (SMALL + "[spend]\nculture = 100\n", "unknown key 'spend.culture'"),
        (SMALL + "[spend]\nit_systems = -1\n", "'spend.it_systems' = -1"),
        (SMALL + 'retention_csv = "missing.csv"\n', "no such retention file"),
        (SMALL.replace("employees = 12", "employees = 3"), "employees must be at least"),
        (SMALL + 'base = "nope"\n', "base scenario"),
        ("customers = [\n", "malformed TOML"),
    ],
)
def test_bad_figures_are_one_line_errors(tmp_path, text, message):
    path = write(tmp_path, text)
    code, _, stderr = run_cli(["firm-scenario", str(path), "--out", str(tmp_path / "x.toml")])
    assert code == 2
    assert stderr.count("\n") == 1 and message in stderr, stderr
    assert not (tmp_path / "x.toml").exists()


def test_the_output_must_be_a_toml_file(tmp_path):
    path = write(tmp_path, SMALL)
    code, _, stderr = run_cli(["firm-scenario", str(path), "--out", str(tmp_path)])
    assert code == 2 and "ends in .toml" in stderr and stderr.count("\n") == 1
