"""Sweeps across firms: a factor may set one firm's parameter, a report may name a firm's
outcome, the runs table carries per-firm columns; bad firm names are one-line errors."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pytest
from firm_helpers import tiny_duopoly

from ckm_sim.experiments.designs import build_design
from ckm_sim.experiments.spec import ExperimentError, load_experiment
from ckm_sim.experiments.store import run_row, runs_schema
from ckm_sim.firmkeys import parameter_kind, parameter_value
from ckm_sim.model.outcomes import FIRM_SUMMARY, SUMMARY
from ckm_sim.model.scenario import load_scenario


def _experiment(folder, scenario: str, factors: str, report: str = "") -> object:
    path = folder / "exp.toml"
    path.write_text(
        f'name = "exp"\nscenario = "{scenario}"\nreplications = 2\n'
        f'{factors}\n[design]\nmethod = "one_at_a_time"\n{report}',
        encoding="utf-8",
    )
    return load_experiment(path)


RIVAL_IT = "[factors.'firms.rival.it_systems']\nlevels = [0.1, 0.9]\n"


def test_a_factor_sets_one_firms_parameter(tmp_path):
    tiny_duopoly(tmp_path)
    share = "[factors.'firms.leader.initial_share']\nlevels = [0.3, 0.7]\n"
    exp = _experiment(tmp_path, "duo.toml", RIVAL_IT + share)
    # the leader's initial share is unset (None: an equal split): no centre without a reference
    with pytest.raises(ExperimentError, match="does not set it, so a one-at-a-time design"):
        build_design(exp, exp.base_scenario())
    exp = _experiment(tmp_path, "duo.toml", RIVAL_IT + share + "reference = 0.5\n")
    base = exp.base_scenario()
    exp.check_against(base)
    design = build_design(exp, base)
    # the centre is each firm's own current value: the rival's IT is the default 0.5
    centre = design.params(0)
    assert centre == {"firms.rival.it_systems": 0.5, "firms.leader.initial_share": 0.5}
    assert parameter_value(base, "firms.leader.it_systems") == 0.9
    assert parameter_kind("firms.rival.it_systems") == "float"
    assert parameter_kind("firms.rival.initial_share") == "float"
    assert parameter_kind("firms.rival.customers") is None  # a market field: not a firm's
    moved = base.with_overrides(**design.params(1))
    assert parameter_value(moved, "firms.rival.it_systems") in (0.1, 0.9)
    assert parameter_value(moved, "firms.leader.it_systems") == 0.9


def test_unknown_firms_and_fields_are_one_line_errors(tmp_path):
    tiny_duopoly(tmp_path)
    with pytest.raises(ExperimentError, match="unknown parameter; allowed: .*firms.<firm>"):
        _experiment(tmp_path, "duo.toml", "[factors.'firms.rival.customers']\nlevels = [1, 2]\n")
    exp = _experiment(tmp_path, "duo.toml", "[factors.'firms.boss.it_systems']\nlevels = [0.1]\n")
    with pytest.raises(ExperimentError, match="unknown firm 'boss'"):
        exp.check_against(exp.base_scenario())


def test_the_report_may_name_a_firms_outcome(tmp_path):
    tiny_duopoly(tmp_path)
    report = '[outcomes]\nreport = ["net_value", "leader.net_value", "rival.final_market_share"]\n'
    exp = _experiment(tmp_path, "duo.toml", RIVAL_IT, report)
    exp.check_against(exp.base_scenario())
    bad = '[outcomes]\nreport = ["boss.net_value"]\n'
    exp = _experiment(tmp_path, "duo.toml", RIVAL_IT, bad)
    with pytest.raises(ExperimentError, match="unknown firm 'boss' in duo; firms: leader, rival"):
        exp.check_against(exp.base_scenario())
    single = _experiment(tmp_path, "baseline", "[factors.it_systems]\nlevels = [0.1]\n", report)
    with pytest.raises(ExperimentError, match="baseline has one firm"):
        single.check_against(single.base_scenario())
    with pytest.raises(ExperimentError, match="unknown outcome 'leader.charisma'"):
        _experiment(tmp_path, "duo.toml", RIVAL_IT, '[outcomes]\nreport = ["leader.charisma"]\n')


@dataclass
class _Run:
    run_id: int = 0
    point: int = 0
    replication: int = 0
    seed: int = 1
    params: dict = field(default_factory=lambda: {"firms.rival.it_systems": 0.9})


def test_runs_rows_carry_each_firms_columns(tmp_path):
    duo = load_scenario(tiny_duopoly(tmp_path))
    firms = duo.firm_names()
    design = pd.DataFrame({"firms.rival.it_systems": [0.9]})
    schema = runs_schema(design, ["firms.rival.it_systems"], firms)
    columns = [f"{f}.{n}" for f in firms for n in FIRM_SUMMARY]
    assert set(columns) <= set(schema.names)
    summary = {k: 1.0 for k in SUMMARY} | {c: float(i) for i, c in enumerate(columns)}
    ok = run_row(_Run(), summary, firms=firms)
    failed = run_row(_Run(run_id=1, replication=1), None, "boom", firms=firms)
    table = pa.Table.from_pylist([ok, failed], schema=schema).to_pandas()
    assert table.loc[0, "rival.net_value"] == float(columns.index("rival.net_value"))
    assert math.isnan(table.loc[1, "leader.net_value"])  # a failed run: null
    assert table["firms.rival.it_systems"].tolist() == [0.9, 0.9]


def test_analyze_takes_the_outcomes_it_is_given(tmp_path, capsys):
    from experiment_helpers import write_experiment

    from ckm_sim.cli import main

    body = '[factors.it_systems]\nlevels = [0.0, 1.0]\n[design]\nmethod = "full_factorial"\n'
    path = write_experiment(tmp_path, body, periods=3, replications=2)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert main(["analyze", str(out / "tiny"), "--outcome", "total_acquisitions"]) == 0
    points = pd.read_csv(out / "tiny" / "points.csv")
    assert "total_acquisitions_mean" in points and "clv_mean" not in points
    assert (
        "**total_acquisitions**: customers acquired over the run"
        in (out / "tiny" / "report.md").read_text()
    )
    capsys.readouterr()
    assert main(["analyze", str(out / "tiny"), "--outcome", "leader.net_value"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("'leader.net_value' is not a summary column of " + str(out / "tiny"))
