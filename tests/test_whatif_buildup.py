"""``compare --add`` builds competence over time as the equivalent one-step investment plan
(issue 22: ``--add`` and ``optimize --plans`` gave opposite answers because ``--add`` bought the
level at once without saying so); ``--instant`` buys it at once, and every report says which."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from whatif_helpers import TINY

from ckm_sim.cli import main
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.shared.buildup import half_life, plan_table, with_buildup
from ckm_sim.whatif.shared.spend import Increment

#: Flat costs, so the spends below are computed by hand: every dimension at 0.2 costs
#: 2000 * 0.2 ** 2 = 80 a month.
FLAT = """
[costs]
cost_inter_functional_cooperation = 2000.0
cost_organisational_systems = 2000.0
cost_customer_cooperation = 2000.0
cost_it_systems = 2000.0
cost_learning_culture = 2000.0
cost_exponent = 2.0
"""


def _tiny(folder, name="tiny", level=0.2, extra=""):
    path = folder / f"{name}.toml"
    text = TINY.format(name=name, level=level)
    if "cost_it_systems" not in text:  # the shared tiny scenario may set them already
        text = text.replace("[firm]", FLAT + "\n[firm]", 1)
    path.write_text(text + extra, encoding="utf-8")
    return path


def _differences(folder) -> pd.DataFrame:
    frame = pd.read_csv(folder / "differences.csv")
    return frame.drop(columns=["treatment"]).set_index(["reference", "metric"]).sort_index()


def test_the_one_step_plan_spends_the_current_cost_plus_the_increment(tmp_path):
    base = load_scenario(_tiny(tmp_path))
    # IT at 0.2 costs 80 a month; 1,500 more is 1,580 from period 1 on
    assert plan_table(base, [Increment("it_systems", 1500.0)]) == {
        "phases": [{"start": 1, "it_systems": pytest.approx(1580.0)}]
    }
    planned = base.with_overrides(
        plan={"phases": [{"start": 1, "customer_cooperation": 300.0}, {"start": 13}]}
    )
    merged = plan_table(planned, [Increment("it_systems", 20.0)])["phases"]
    assert merged[0] == {
        "start": 1,
        "customer_cooperation": 300.0,
        "it_systems": pytest.approx(100.0),
    }
    assert merged[1] == {"start": 13}
    late = base.with_overrides(plan={"phases": [{"start": 13, "customer_cooperation": 300.0}]})
    phases = plan_table(late, [Increment("it_systems", 20.0)])["phases"]
    assert [p["start"] for p in phases] == [1, 13] and phases[0]["it_systems"] == pytest.approx(
        100.0
    )
    built = with_buildup(base, [Increment("it_systems", 1500.0)])
    assert built.name == "it_systems+1500" and built.plan is not None
    assert built.plan.lag.it_systems == 2 and built.plan.depreciation.it_systems == 0.15


def test_half_life_by_hand():
    assert half_life(0.5) == pytest.approx(1.0)
    assert half_life(0.15) == pytest.approx(0.6931471805599453 / 0.16251892949777494)


def test_add_and_the_equivalent_one_step_plan_give_the_same_numbers(tmp_path, capsys):
    sc = _tiny(tmp_path)
    plans = tmp_path / "plans.toml"
    plans.write_text("[step]\n[[step.phases]]\nstart = 1\nit_systems = 1580\n")  # 80 + 1,500
    out = tmp_path / "results"
    common = ["-r", "2", "--periods", "8", "--seed", "3", "-j", "1", "--quiet", "--out", str(out)]
    assert main(["compare", str(sc), "--add", "it_systems=1500", *common, "--name", "a"]) == 0
    printed = capsys.readouterr().out
    assert main(["optimize", str(sc), "--plans", str(plans), *common, "--name", "p"]) == 0
    added = _differences(out / "compare" / "a")
    planned = _differences(out / "optimize" / "p")
    pd.testing.assert_frame_equal(added, planned)
    # ... and the report, the printed lines and the JSON say the level was built over time
    data = json.loads((out / "compare" / "a" / "comparison.json").read_text())
    assert "builds competence over time" in data["added_spend"]
    assert "it_systems builds from 0.2 toward 0.889 from month 3" in data["added_spend"]
    assert "builds competence over time" in printed
    report = (out / "compare" / "a" / "report.md").read_text()
    assert "**Added spend.** Each added spend builds competence over time" in report
    assert "builds competence over time" in (out / "compare" / "a" / "summary.html").read_text()


def test_instant_buys_the_level_at_once_as_before(tmp_path):
    sc = _tiny(tmp_path)
    # 80 + 420 = 500 a month buys sqrt(500 / 2000) = 0.5 at once: the old --add
    at_once = (
        _tiny(tmp_path, "it_half", extra="")
        .read_text()
        .replace("it_systems = 0.2", "it_systems = 0.5")
    )
    (tmp_path / "it_half.toml").write_text(at_once)
    out = tmp_path / "results"
    common = ["-r", "2", "--periods", "8", "--seed", "3", "-j", "1", "--quiet", "--out", str(out)]
    add = ["compare", str(sc), "--add", "it_systems=420"]
    assert main([*add, "--instant", *common, "--name", "i"]) == 0
    assert main(["compare", str(sc), str(tmp_path / "it_half.toml"), *common, "--name", "f"]) == 0
    assert main([*add, *common, "--name", "b"]) == 0
    instant, fixed = _differences(out / "compare" / "i"), _differences(out / "compare" / "f")
    pd.testing.assert_frame_equal(instant, fixed)
    built = _differences(out / "compare" / "b")
    assert built.loc[("tiny", "net_value"), "mean"] != instant.loc[("tiny", "net_value"), "mean"]
    data = json.loads((out / "compare" / "i" / "comparison.json").read_text())
    assert "buys its level at once" in data["added_spend"] and "--instant" in data["added_spend"]


def test_instant_without_add_is_refused(tmp_path, capsys):
    sc = _tiny(tmp_path)
    assert main(["compare", str(sc), str(sc), "--instant", "--out", str(tmp_path)]) != 0
    assert "--instant says how --add buys competence" in capsys.readouterr().err
