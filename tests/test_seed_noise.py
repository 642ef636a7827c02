"""compare and optimize say their CIs cover seed noise only, and give the ``ckm-sim robust``
command for the same question: the command parses with robust's own parser and makes the same
alternatives (issue 23)."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from whatif_helpers import tiny_scenario

from ckm_sim.cli import build_parser, main
from ckm_sim.commands.settings import settings_of
from ckm_sim.model.scenario import DIMENSIONS, load_scenario
from ckm_sim.whatif.compare.question import spend_alternatives, with_alternatives
from ckm_sim.whatif.robust.question import alternatives_of
from ckm_sim.whatif.shared.seed_noise import command_line, compare_argv

SAID = "cover seed noise only"


def _robust(line: str) -> list:
    """The alternatives robust makes from the command line quoted in ``line``, in the default
    world (no parameter changed)."""
    found = re.search(r"`(ckm-sim robust [^`]*)`", line)
    assert found, line
    argv = shlex.split(found.group(1))[1:]
    args = build_parser().parse_args(argv)
    assert args.command == "robust"
    given = [load_scenario(s).with_overrides(**settings_of(args)) for s in args.scenarios]
    alternatives = alternatives_of(given, args.add or [], instant=args.instant)
    return [a.make(a.base, {}).with_overrides(name=a.name) for a in alternatives]


def _levels(scenario) -> list[float]:
    return [getattr(scenario.competence, d) for d in DIMENSIONS]


def test_compare_says_so_everywhere_and_robust_asks_the_same_question(tmp_path, capsys):
    low = tiny_scenario(tmp_path, "low", level=0.2)
    high = tiny_scenario(tmp_path, "high", level=0.9)
    out = tmp_path / "results"
    argv = ["compare", str(low), str(high), "-r", "2", "--periods", "6", "--out", str(out)]
    assert main([*argv, "--set", "customers=200", "--quiet", "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    folder = out / "compare" / "low_vs_high"
    line = json.loads((folder / "comparison.json").read_text())["seed_noise_only"]
    assert SAID in line and line.replace("\n", "") in printed.replace("\n", "")
    assert line in (folder / "report.md").read_text()
    assert SAID in (folder / "summary.html").read_text()
    made = _robust(line)
    assert [s.name for s in made] == ["low", "high"]
    assert [_levels(s) for s in made] == [[0.2] * 5, [0.9] * 5]
    assert all(s.market.customers == 200 for s in made)
    assert "--periods 6" in line


@pytest.mark.parametrize("instant", [False, True])
def test_a_spend_question_becomes_the_same_spend_question(tmp_path, instant):
    base = tiny_scenario(tmp_path)
    add = ["it_systems=1500", "learning_culture=750,it_systems=750"]
    given = [load_scenario(base)]
    compared = with_alternatives(given, spend_alternatives(given, add, instant), instant)
    made = _robust(f"`{command_line(compare_argv([base], add, instant))}`")
    assert [s.name for s in made] == [s.name for s in compared]
    for ours, theirs in zip(made, compared, strict=True):
        assert _levels(ours) == pytest.approx(_levels(theirs))
        assert ours.model_dump(exclude={"name"}) == theirs.model_dump(exclude={"name"})


def test_optimize_says_so_and_robust_tests_the_even_and_the_best_split(tmp_path, capsys):
    sc = tiny_scenario(tmp_path)
    out = tmp_path / "results"
    args = ["optimize", str(sc), "--budget", "2500", "--trials", "4", "--periods", "6"]
    args += ["--restarts", "2", "--polish", "1", "--method", "tpe", "-r", "1", "--workers", "1"]
    assert main([*args, "--eval-replications", "2", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    folder = out / "optimize" / "tiny_budget2500"
    optimum = json.loads((folder / "optimum.json").read_text())
    line = optimum["seed_noise_only"]
    assert SAID in line and line.replace("\n", "") in printed.replace("\n", "")
    assert line in (folder / "report.md").read_text()
    assert SAID in (folder / "summary.html").read_text()
    nothing, even, best = _robust(line)
    assert _levels(nothing) == [0.0] * 5
    rows = optimum["allocation"]
    assert _levels(even) == pytest.approx([r["even_level"] for r in rows], abs=1e-9)
    assert _levels(best) == pytest.approx([r["best_level"] for r in rows], abs=1e-9)


def test_spend_on_all_five_dimensions_is_a_valid_alternative(tmp_path):
    # its name, every increment's label joined, was longer than a scenario name may be
    base = load_scenario(tiny_scenario(tmp_path))
    add = [",".join(f"{d}=500" for d in DIMENSIONS)]
    (scenario,) = with_alternatives([base], spend_alternatives([base], add, True), True)[1:]
    assert len(scenario.name) <= 100 and scenario.name.startswith("inter_functional")
    assert _levels(scenario) == pytest.approx([((0.25 * 2000 + 500) / 2000) ** 0.5] * 5)
