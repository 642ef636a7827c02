"""``ckm-sim robust`` (issue 23): assumptions files, Latin-hypercube worlds, common random
numbers across worlds and alternatives, the scores by hand, PRIM on a known boundary, and the
command end to end with resume."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from whatif_helpers import tiny_scenario

import ckm_sim
from ckm_sim.cli import main
from ckm_sim.errors import CKMError
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.robust.assumptions import (
    DEFAULT_FILE,
    AssumptionsError,
    load_assumptions,
    parse_assumptions,
)
from ckm_sim.whatif.robust.flips import flips
from ckm_sim.whatif.robust.question import alternatives_of
from ckm_sim.whatif.robust.runs import run_study
from ckm_sim.whatif.robust.scores import regret, scores, wilson, winners, world_means
from ckm_sim.whatif.robust.worlds import InWorld, check_alternatives, check_worlds, sample_worlds

RANGES = """
seed = 3
[parameters.turbulence]
low = 0.0
high = 0.03
[parameters.cost_multiplier]
low = 0.5
high = 2.0
log = true
[parameters.customers]
low = 200
high = 400
"""


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


# ----------------------------------------------------------------------------- assumptions
def test_the_shipped_file_validates_against_the_shipped_scenarios():
    shipped = load_assumptions()
    assert shipped.source == str(DEFAULT_FILE)
    assert "cost_multiplier" in shipped.parameters
    for name in ("baseline", "customer_centric", "it_only"):
        shipped.check_against(load_scenario(name))


BAD = [
    ("[parameters.no_such_key]\nlow = 0\nhigh = 1\n", "parameters.no_such_key"),
    ("[parameters.turbulence]\nlow = 0.02\nhigh = 0.01\n", "range is empty"),
    ("[parameters.turbulence]\nlow = 0.01\nhigh = 0.01\n", "range is empty"),
    ("[parameters.turbulence]\nlow = 0.0\nhigh = 0.1\nlog = true\n", "log range needs low > 0"),
    ("[parameters.turbulence]\nlow = 0.0\n", "high"),
    ("[parameters.turbulence]\nlow = 0\nhigh = 1\nspread = 2\n", "spread"),
    ("[parameters.currency]\nlow = 0\nhigh = 1\n", "only numeric parameters"),
    ("seed = 1\n", "parameters"),
    ("[parameters.turbulence\nlow = 0\n", "malformed TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_files_give_one_line(text, message):
    with pytest.raises(AssumptionsError) as caught:
        parse_assumptions(text, "bad.toml")
    line = str(caught.value)
    assert message in line and "\n" not in line
    assert line.startswith("bad.toml") or "bad.toml" in line


def test_a_range_outside_the_scenarios_bounds_is_one_line():
    wide = parse_assumptions("[parameters.competitor_value]\nlow = 0.3\nhigh = 7\n", "w.toml")
    with pytest.raises(AssumptionsError, match=r"^w.toml: 'parameters.competitor_value' = 7"):
        wide.check_against(load_scenario("baseline"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--worlds", "0"], "worlds"),
        (["--worlds", "10000000"], "more than 100,000"),
        (["--assumptions", "no_such_file.toml"], "no such uncertainty file"),
        (["--assumptions", "{bad}"], "parameters.no_such_key"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(tmp_path, capsys, argv, message):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD[0][0], encoding="utf-8")
    argv = [a.replace("{bad}", str(bad)) for a in argv]
    code = main(["robust", "baseline", "customer_centric", "--out", str(tmp_path), *argv])
    assert code != 0
    assert message in _error_line(capsys)
    assert not (tmp_path / "robust").exists()


def test_one_alternative_is_not_a_question(capsys):
    assert main(["robust", "baseline"]) == 2
    assert "at least two alternatives" in _error_line(capsys)


# ----------------------------------------------------------------------------- worlds
def test_the_latin_hypercube_covers_each_range_once_per_slice_and_repeats_from_its_seed():
    assumptions = parse_assumptions(RANGES)
    n = 40
    worlds = sample_worlds(assumptions, n)
    assert list(worlds.columns) == ["world", "turbulence", "cost_multiplier", "customers"]
    assert worlds["world"].tolist() == list(range(n))
    # every one of the n equal slices of a range holds exactly one world (log scale for a log
    # range): the defining property of a Latin hypercube
    t = worlds["turbulence"].to_numpy()
    assert ((t >= 0.0) & (t <= 0.03)).all()
    assert sorted(np.floor(t / 0.03 * n).astype(int)) == list(range(n))
    c = worlds["cost_multiplier"].to_numpy()
    u = (np.log(c) - np.log(0.5)) / (np.log(2.0) - np.log(0.5))
    assert sorted(np.floor(u * n).astype(int)) == list(range(n))
    customers = worlds["customers"]
    assert customers.dtype.kind == "i" and customers.between(200, 400).all()
    assert customers.min() <= 205 and customers.max() >= 395  # the ends are reached
    pd.testing.assert_frame_equal(worlds, sample_worlds(assumptions, n))  # the file's seed
    pd.testing.assert_frame_equal(worlds, sample_worlds(assumptions, n, seed=3))
    assert not worlds.equals(sample_worlds(assumptions, n, seed=4))


def test_the_number_of_worlds_is_bounded():
    with pytest.raises(CKMError, match="at least 1"):
        check_worlds(0)
    with pytest.raises(CKMError, match="more than"):
        check_worlds(10**9)


def test_a_world_scales_costs_and_rebuilds_added_spend_on_them(tmp_path):
    base = load_scenario(tiny_scenario(tmp_path))
    params = {"cost_multiplier": 2.0, "turbulence": 0.02, "lag_multiplier": 2.0}
    plain = InWorld()(base, params)
    assert plain.market.turbulence == 0.02
    assert plain.costs.cost_it_systems == 2 * base.costs.cost_it_systems == 4000.0
    assert plain.plan is None  # no plan: the build-up multipliers change nothing
    (inc,) = alternatives_of([base], ["it_systems=1000"])[1].make.increments
    spent = InWorld((inc,))(base, params)
    # the plan spends the cost of today's level in this world plus the increment:
    # 4000 * 0.5**2 + 1000, and the default IT lag of 2 months doubled
    assert spent.plan.phases[0].it_systems == pytest.approx(4000 * 0.25 + 1000)
    assert spent.plan.lag.it_systems == 4
    instant = InWorld((inc,), instant=True)(base, params)
    assert instant.competence.it_systems == pytest.approx(math.sqrt(2000 / 4000))


# ----------------------------------------------------------------------------- common seeds
def _study(tmp_path, alternatives, text, worlds=3, replications=2):
    assumptions = parse_assumptions(text)
    plan = RunPlan(replications, base_seed=11, periods=6)
    table = sample_worlds(assumptions, worlds)
    return run_study(tmp_path / "study", alternatives, assumptions, table, plan, progress=False)


def test_every_world_and_alternative_runs_replication_r_on_the_same_seed(tmp_path):
    a = load_scenario(tiny_scenario(tmp_path, "a", 0.3))
    b = load_scenario(tiny_scenario(tmp_path, "b", 0.8))
    done = _study(
        tmp_path,
        alternatives_of([a, b]),
        RANGES.replace("[parameters.customers]\nlow = 200\nhigh = 400\n", ""),
    )
    runs = done.runs
    assert len(runs) == 3 * 2 * 2 and (runs["status"] == "ok").all()
    expected = runs["replication"].map(lambda r: replication_seed(11, r))
    assert (runs["seed"] == expected).all()
    # the two alternatives differ (0.3 vs 0.8 on every dimension): the runs are not identical
    by = runs.set_index(["world", "replication", "alternative"])["net_value"].unstack()
    assert not np.allclose(by["a"], by["b"])


def test_the_same_alternative_twice_gives_identical_runs(tmp_path):
    a = load_scenario(tiny_scenario(tmp_path, "a"))
    done = _study(tmp_path, alternatives_of([a, a]), RANGES)
    by = done.runs.set_index(["world", "replication", "alternative"])["net_value"].unstack()
    assert list(by.columns) == ["a", "a-2"]
    np.testing.assert_array_equal(by["a"].to_numpy(), by["a-2"].to_numpy())
    assert by["a"].nunique() == len(by)  # worlds and seeds do differ from one another


STRENGTH = "[parameters.strength_offer_adaptation]\nlow = 0.5\nhigh = 1.5\n"


@pytest.mark.parametrize("pinned", [True, False])
def test_alternatives_differing_only_in_a_lever_agree_where_the_world_pins_it(tmp_path, pinned):
    a = load_scenario(tiny_scenario(tmp_path, "a"))
    weak = a.with_overrides(name="weak", strength_offer_adaptation=0.2)
    strong = a.with_overrides(name="strong", strength_offer_adaptation=3.0)
    text = RANGES + (STRENGTH if pinned else "")
    done = _study(tmp_path, alternatives_of([weak, strong]), text)
    by = done.runs.set_index(["world", "replication", "alternative"])["net_value"].unstack()
    if pinned:  # every world sets the lever for both: they are the same model on the same seeds
        np.testing.assert_array_equal(by["weak"].to_numpy(), by["strong"].to_numpy())
    else:
        assert not np.allclose(by["weak"], by["strong"])


# ----------------------------------------------------------------------------- scores
# four worlds, three alternatives; by hand: winners A, B, A (a tie with B goes to the first
# listed), C; best value per world 10, 9, 7, 4
VALUES = pd.DataFrame(
    {"A": [10.0, 5.0, 7.0, 0.0], "B": [8.0, 9.0, 7.0, 1.0], "C": [9.0, 2.0, 3.0, 4.0]},
    index=pd.Index([0, 1, 2, 3], name="world"),
)


def test_winners_regret_best_share_and_satisficing_by_hand():
    assert winners(VALUES).tolist() == ["A", "B", "A", "C"]
    assert regret(VALUES)["C"].tolist() == [1.0, 7.0, 4.0, 0.0]
    t = scores(VALUES).set_index("alternative")
    assert t["worlds_best"].tolist() == [2, 1, 1]
    assert t["share_best"].tolist() == [0.5, 0.25, 0.25]
    # regret A: 0, 4, 0, 4; B: 2, 0, 0, 3; C: 1, 7, 4, 0
    assert t["expected_regret"].tolist() == [2.0, 1.25, 3.0]
    assert t["worst_regret"].tolist() == [4.0, 3.0, 7.0]
    # beats A (strictly): B in worlds 1 and 3; C in world 3
    assert math.isnan(t.loc["A", "beats_first"])
    assert t.loc["B", "beats_first"] == 0.5 and t.loc["C", "beats_first"] == 0.25
    assert t.loc["A", "best_low"] == pytest.approx(0.150, abs=5e-4)  # Wilson, 2 of 4
    assert t.loc["A", "best_high"] == pytest.approx(0.850, abs=5e-4)


def test_wilson_interval_textbook_values():
    assert wilson(0, 10)[0] == 0.0
    assert wilson(0, 10)[1] == pytest.approx(0.2775, abs=5e-4)
    # by hand, z = 1.96: centre (0.83 + 0.0192) / 1.0384 = 0.8178, half 0.0733
    low, high = wilson(83, 100)
    assert (low, high) == (pytest.approx(0.7445, abs=5e-4), pytest.approx(0.8911, abs=5e-4))
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_world_means_average_replications_and_drop_a_world_with_a_failed_run():
    rows = []
    for world, (a, b) in enumerate([(1.0, 3.0), (5.0, 4.0), (2.0, 2.0)]):
        for r, shift in enumerate((-1.0, 1.0)):
            failed = world == 2 and r == 1
            rows.append((world, "A", r, a + shift, "ok"))
            rows.append(
                (world, "B", r, math.nan if failed else b - shift, "failed" if failed else "ok")
            )
    runs = pd.DataFrame(
        rows, columns=["world", "alternative", "replication", "net_value", "status"]
    )
    means = world_means(runs, ["A", "B"])
    assert means.index.tolist() == [0, 1]
    assert means.to_numpy().tolist() == [[1.0, 3.0], [5.0, 4.0]]


# ----------------------------------------------------------------------------- PRIM
def test_prim_finds_a_known_threshold():
    rng = np.random.default_rng(0)
    n = 400
    x = pd.DataFrame({"cost": rng.uniform(0.5, 2.0, n), "noise": rng.uniform(0, 1, n)})
    best = pd.Series(np.where(x["cost"] > 1.4, "cheap", "bold"))  # bold wins below 1.4
    (flip,) = flips(x, best)
    assert (flip.alternative, flip.answer) == ("cheap", "bold")
    assert flip.wins == int((x["cost"] > 1.4).sum())
    box = flip.box.set_index("parameter")
    assert list(box.index) == ["cost"]  # the noise is not a condition
    assert box.loc["cost", "lower"] and not box.loc["cost", "upper"]
    assert box.loc["cost", "low"] == pytest.approx(1.4, abs=0.05)
    assert flip.density >= 0.95 and flip.coverage >= 0.9
    assert "cost is above 1.4" in flip.sentence()


def test_no_flip_when_one_alternative_always_wins_or_too_few_worlds():
    x = pd.DataFrame({"p": np.linspace(0, 1, 30)})
    assert flips(x, pd.Series(["a"] * 30)) == []
    assert flips(x.iloc[:10], pd.Series(["a"] * 5 + ["b"] * 5)) == []


# ----------------------------------------------------------------------------- end to end
SMALL = "seed = 1\n[parameters.turbulence]\nlow = 0.0\nhigh = 0.03\n" + STRENGTH


def _command(tmp_path, a, b, assumptions, *more):
    return main(
        [
            "robust", str(a), str(b), "--assumptions", str(assumptions), "--worlds", "4",
            "-r", "2", "--periods", "6", "-j", "1", "--out", str(tmp_path / "out"),
            "--name", "study", "--quiet", *more,
        ]
    )  # fmt: skip


def test_the_command_writes_its_files_and_resumes_after_runs_are_removed(tmp_path, capsys):
    a = tiny_scenario(tmp_path, "a", 0.3)
    b = tiny_scenario(tmp_path, "b", 0.8)
    assumptions = tmp_path / "assumptions.toml"
    assumptions.write_text(SMALL, encoding="utf-8")
    assert _command(tmp_path, a, b, assumptions) == 0
    out = tmp_path / "out" / "robust" / "study"
    for name in ("report.md", "results.csv", "scores.csv", "flips.csv", "worlds.csv",
                 "robustness.png", "summary.html", "study.json"):  # fmt: skip
        assert (out / name).exists(), name
    printed = capsys.readouterr().out
    assert "is best in net value in" in printed and "Too few worlds" in printed
    results = pd.read_csv(out / "results.csv")
    assert len(results) == 4 * 2 * 2
    assert {"world", "alternative", "replication", "seed", "turbulence", "net_value"} <= set(
        results.columns
    )
    scores_table = pd.read_csv(out / "scores.csv")
    assert scores_table["worlds_best"].sum() == 4
    # remove the second alternative's runs: the same command runs only those again
    kept = sorted((out / "alternatives" / "0" / "runs").glob("part-*.parquet"))
    stamps = [p.stat().st_mtime_ns for p in kept]
    removed = sorted((out / "alternatives" / "1" / "runs").glob("part-*.parquet"))
    assert removed
    for part in removed:
        part.unlink()
    (out / "results.csv").unlink()
    assert _command(tmp_path, a, b, assumptions) == 0
    assert [p.stat().st_mtime_ns for p in kept] == stamps
    again = pd.read_csv(out / "results.csv")
    pd.testing.assert_frame_equal(again, results)
    # a different study in the same folder is refused in one line
    capsys.readouterr()
    assert _command(tmp_path, a, b, assumptions, "--world-seed", "9") != 0
    assert "holds a robustness study of other" in _error_line(capsys)


def test_the_python_api_runs_a_spend_question(tmp_path):
    assumptions = tmp_path / "assumptions.toml"
    assumptions.write_text(SMALL + "[parameters.lag_multiplier]\nlow = 0.5\nhigh = 2\n")
    outcome = ckm_sim.robust(
        [tiny_scenario(tmp_path)],
        add=["it_systems=500"],
        assumptions=assumptions,
        worlds=3,
        replications=1,
        periods=6,
        workers=1,
        out=tmp_path / "out",
    )
    assert outcome.table["alternative"].tolist() == ["tiny", "it_systems+500"]
    assert outcome.report.name == "report.md" and outcome.report.exists()
    assert len(outcome.result.runs.runs) == 3 * 2
    assert outcome.lines[0].endswith(".")


def test_where_competence_is_cheap_a_plan_spends_the_money_and_instant_is_refused(tmp_path):
    base = load_scenario(tiny_scenario(tmp_path))  # IT costs 2,000 at level 1, 500 at 0.5
    built, instant = (
        alternatives_of([base], ["it_systems=1500"], instant=flag)[1] for flag in (False, True)
    )
    cheap = {"cost_multiplier": 0.25}  # level 1 costs 500: 125 + 1,500 buys more than level 1
    planned = built.make(base, cheap)
    assert planned.plan.phases[0].it_systems == pytest.approx(125 + 1500)
    worlds = pd.DataFrame({"world": [0, 1], "cost_multiplier": [1.0, 0.25]})
    with pytest.raises(CKMError, match=r"cannot run in world 1 \(cost_multiplier 0.25\)"):
        check_alternatives([base], [instant.make], worlds, [instant.name])
    assert len(check_alternatives([base], [built.make], worlds, [built.name])) == 2


def test_pruning_drops_a_condition_that_adds_no_density():
    from ckm_sim.whatif.robust.flips import pruned

    rng = np.random.default_rng(1)
    x = pd.DataFrame({"p": rng.uniform(0, 1, 500), "q": rng.uniform(0, 1, 500)})
    hit = (x["p"] > 0.6).to_numpy()
    box = pd.DataFrame(
        {"parameter": ["p", "q"], "low": [0.6, 0.0], "high": [1.0, 0.9],
         "lower": [True, False], "upper": [False, True]}
    )  # fmt: skip
    assert pruned(x, hit, box)["parameter"].tolist() == ["p"]  # q < 0.9 adds nothing
    needed = box.assign(high=[1.0, 0.9])
    hit_both = ((x["p"] > 0.6) & (x["q"] < 0.9)).to_numpy()
    assert pruned(x, hit_both, needed)["parameter"].tolist() == ["p", "q"]
