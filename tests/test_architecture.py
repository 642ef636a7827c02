"""The house rules of issue 8's architecture: one outcome registry, one evaluator, one row
schema, retention with one meaning per name, the library independent of the command line."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from experiment_helpers import GRID, write_experiment
from whatif_helpers import tiny_scenario

import ckm_sim
from ckm_sim.experiments.evaluator import RunPlan, map_ordered, open_evaluator
from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import ExperimentError, load_experiment
from ckm_sim.model import outcomes
from ckm_sim.model.model import CKMModel
from ckm_sim.model.runs import replication_seed, run_scenario
from ckm_sim.model.scenario import Scenario, field_bounds, field_kind, load_scenario
from ckm_sim.reports import numbers

PACKAGE = Path(ckm_sim.__file__).parent
SMALL = {"customers": 120, "prospects": 40, "employees": 10}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# ----------------------------------------------------------------------------- registry
def test_every_view_names_registered_outcomes_of_the_right_kind():
    for view, names in outcomes.VIEWS.items():
        assert names, view
        for name in names:
            o = outcomes.BY_NAME[name]
            # the comparison's metrics are summary columns; every other view draws series
            assert (o.summary if view == "metric" else o.series) is not None, (view, name)
            assert view in o.views


def test_summary_row_has_exactly_the_registered_columns():
    model = CKMModel(rng=1, **SMALL)
    model.run(5)
    row = model.summary()
    assert set(row) - {"scenario", "periods", "seed"} == set(outcomes.SUMMARY)  # run descriptors
    assert set(model.timeseries().columns) == set(outcomes.OUTCOMES)
    for name in outcomes.SUMMARY_COUNTS:
        assert isinstance(row[name], int), name


def test_retention_names_have_one_meaning_each():
    model = CKMModel(rng=3, **SMALL)
    model.run(20)
    per_period = model.timeseries()["retention_rate"].to_numpy()[1:]  # period 0: no churn yet
    row = model.summary()
    assert "retention_rate" not in row
    assert row["mean_retention_rate"] == pytest.approx(np.mean(per_period), rel=1e-12)
    assert row["final_retention_rate"] == pytest.approx(np.mean(per_period[-12:]), rel=1e-12)
    assert outcomes.BY_NAME["retention_rate"].summary is None
    assert outcomes.BY_NAME["mean_retention_rate"].series is None


def test_the_old_summary_name_gets_a_hint(tmp_path):
    body = GRID + '[outcomes]\nreport = ["retention_rate"]\n'
    with pytest.raises(ExperimentError, match="run mean is 'mean_retention_rate'"):
        load_experiment(write_experiment(tmp_path, body))


def test_dashboard_plots_and_whatif_lists_derive_from_the_registry():
    from ckm_sim.dashboard.charts import PANELS
    from ckm_sim.dashboard.compare import COMPARED
    from ckm_sim.dashboard.notes import FLOWS, LABELS
    from ckm_sim.reports.plots import MAIN_SERIES
    from ckm_sim.whatif.shared.figures import PATHS
    from ckm_sim.whatif.shared.paired import METRICS

    assert list(MAIN_SERIES) == list(outcomes.VIEWS["run"])
    assert list(PATHS) == list(outcomes.VIEWS["paths"])
    assert list(METRICS) == list(outcomes.VIEWS["metric"])
    assert list(COMPARED) == list(outcomes.VIEWS["compared"])
    drawn = [name for _, names in PANELS for name in names]
    assert sorted(drawn) == sorted(n for n in outcomes.BY_NAME if outcomes.BY_NAME[n].panel)
    shown = {name for flow in FLOWS for name in flow.figures}
    assert shown == set(outcomes.VIEWS["dashboard"])
    for name, label in LABELS.items():
        assert label == outcomes.BY_NAME[name].label


def test_labels_read_as_words():
    assert outcomes.BY_NAME["clv"].words == "mean CLV"
    assert outcomes.BY_NAME["repository_accuracy"].words == "CRM profiles right"
    assert outcomes.BY_NAME["net_value"].words == "net value"


# ----------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234567.8, "1,234,568"),
        (12.345, "12.3"),
        (0.97171, "0.9717"),
        (5.06789, "5.068"),
        (0.0, "0"),
        (3, "3"),
        (np.int64(4200), "4,200"),
        (True, "yes"),
        (math.nan, "-"),
        (-math.inf, "-inf"),
        ("text", "text"),
    ],
)
def test_one_number_format(value, text):
    assert numbers.number(value) == text


def test_figures_by_unit():
    assert numbers.figure("clv", 1234.56) == "1,235"
    assert numbers.figure("active_customers", 1500) == "1,500"
    assert numbers.figure("offer_fit", 0.71234) == "0.712"
    assert numbers.figure("offer_fit", math.nan) == "–"
    assert numbers.amount("mean_retention_rate", 0.0042) == "0.42 percentage points"
    assert numbers.amount("net_value", 1500.0) == "1,500"


# ----------------------------------------------------------------------------- scenario
def test_factor_kinds_and_bounds_come_from_the_scenario_schema():
    assert field_kind("customers") == "int"
    assert field_kind("it_systems") == "float"
    assert field_kind("fixed_churn") == "float"  # Probability | None
    assert field_kind("community") == "str"
    assert field_kind("departments") == "other"
    assert field_bounds("it_systems") == (0.0, 1.0)
    assert field_bounds("fixed_churn") == (0.0, 1.0)
    assert field_bounds("margin") == (0.0, None)
    assert field_bounds("discount_rate") == (0.0, 1.0)  # gt 0, le 1
    assert field_bounds("customers") is None


# ----------------------------------------------------------------------------- store
def test_stored_rows_have_integer_counts_null_errors_and_versions(tmp_path):
    path = write_experiment(tmp_path, GRID, replications=2)
    result = run_sweep(load_experiment(path), tmp_path / "out", workers=1, progress=False)
    assert result.complete
    table = pq.read_table(next((result.root / "runs").glob("*.parquet")))
    for name in outcomes.SUMMARY_COUNTS:
        assert str(table.schema.field(name).type) == "int64", name
    assert table["error"].null_count == table.num_rows  # every run succeeded
    assert str(table.schema.field("clv").type) == "double"
    manifest = json.loads((result.root / "manifest.json").read_text())
    versions = manifest["versions"]
    for lib in ("numpy", "mesa", "SALib", "pandas", "pyarrow"):
        assert versions[lib], lib
    import numpy as _np

    assert versions["numpy"] == _np.__version__


def test_a_failed_run_row_has_null_counts_and_its_error():
    from ckm_sim.experiments.execute import RunSpec, Task, run_batch

    base = Scenario().with_overrides(**SMALL, periods=3)
    bad = RunSpec(0, 0, 0, 1, {"it_systems": 7.0})  # out of range: the run fails
    row = run_batch(Task(base, (bad,))).rows[0]
    assert row["status"] == "failed" and "it_systems" in row["error"]
    assert row["total_churned"] is None and math.isnan(row["clv"])


# ----------------------------------------------------------------------------- evaluator
def _net_value(scenario: Scenario, seed: int) -> float:
    return run_scenario(scenario, seed=seed, periods=4).summary["net_value"]


def test_one_evaluator_gives_the_same_results_in_this_process_and_a_pool():
    sc = Scenario().with_overrides(**SMALL)
    jobs = [(sc, replication_seed(9, r)) for r in range(3)]
    with open_evaluator(1) as serial:
        one = map_ordered(serial, _net_value, jobs)
    with open_evaluator(2) as pool:
        two = map_ordered(pool, _net_value, jobs)
    assert one == two
    assert one == [_net_value(sc, seed) for _, seed in jobs]


def test_run_plan_takes_missing_seed_and_periods_from_the_scenario(tmp_path):
    sc = load_scenario(tiny_scenario(tmp_path))  # seed 5, 12 periods
    plan = RunPlan(3).resolved(sc)
    assert (plan.base_seed, plan.periods) == (5, 12)
    assert plan.seeds() == [replication_seed(5, r) for r in range(3)]
    assert RunPlan(2, base_seed=1, periods=4).resolved(sc) == RunPlan(2, base_seed=1, periods=4)
    with pytest.raises(ckm_sim.errors.CKMError, match="replications"):
        RunPlan(0)


@pytest.mark.slow
def test_compare_on_dask_equals_compare_in_this_process(tmp_path):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from ckm_sim.whatif.compare.differences import compare

    scenarios = [
        load_scenario(tiny_scenario(tmp_path, "a", 0.2)),
        load_scenario(tiny_scenario(tmp_path, "b", 0.8)),
    ]
    plan = RunPlan(2, base_seed=3, periods=4)
    here = compare(scenarios, plan)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        there = compare(
            scenarios, RunPlan(2, base_seed=3, periods=4, scheduler=cluster.scheduler_address)
        )
    cols = list(outcomes.SUMMARY)
    assert here.runs.summaries[cols].equals(there.runs.summaries[cols])
    assert here.differences.equals(there.differences)


# ----------------------------------------------------------------------------- imports
def test_library_code_does_not_depend_on_the_command_line():
    for wing in ("model", "experiments", "whatif", "reports"):
        for path in (PACKAGE / wing).rglob("*.py"):
            bad = {m for m in _imports(path) if m == "argparse" or m.startswith("ckm_sim.commands")}
            assert not bad, (path, bad)


def test_no_import_circle_through_the_model():
    for module in ("agents", "outcomes"):
        assert "ckm_sim.model.model" not in _imports(PACKAGE / "model" / f"{module}.py")
    assert "TYPE_CHECKING" not in (PACKAGE / "model" / "agents.py").read_text()


def test_one_evaluator_and_one_search_loop():
    assert not (PACKAGE / "whatif" / "parallel.py").exists()
    assert not (PACKAGE / "whatif" / "stats.py").exists()
    calibrate = _imports(PACKAGE / "whatif" / "calibrate" / "fit.py")
    assert not any(m.startswith("ckm_sim.whatif.optimize") for m in calibrate)
    pools = [
        p
        for p in PACKAGE.rglob("*.py")
        if "ProcessPoolExecutor(" in p.read_text() or "get_context(" in p.read_text()
    ]
    assert pools == [PACKAGE / "experiments" / "evaluator.py"]


def test_a_results_folder_from_before_the_rename_still_analyses(tmp_path):
    import pyarrow as pa

    from ckm_sim.experiments.analysis import analyse

    body = GRID + '[outcomes]\nreport = ["mean_retention_rate", "clv"]\n'
    path = write_experiment(tmp_path, body, replications=2)
    result = run_sweep(load_experiment(path), tmp_path / "out", workers=1, progress=False)
    new = analyse(result.root).points
    # rewrite the folder as the old version wrote it: the run mean was called retention_rate
    for part in (result.root / "runs").glob("*.parquet"):
        table = pq.read_table(part)
        names = ["retention_rate" if n == "mean_retention_rate" else n for n in table.schema.names]
        pq.write_table(pa.Table.from_arrays(table.columns, names=names), part)
    manifest_path = result.root / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["spec"]["outcomes"]["report"] = ["retention_rate", "clv"]
    manifest_path.write_text(json.dumps(manifest))
    old = analyse(result.root).points
    assert list(old["outcome"].unique()) == ["mean_retention_rate", "clv"]
    assert old.equals(new)


@pytest.mark.parametrize(
    "command", ["compare a b", "optimize a --budget 10", "calibrate a --retention f.csv"]
)
def test_whatif_commands_build_one_run_plan_with_a_scheduler(command):
    from ckm_sim.cli import build_parser
    from ckm_sim.commands.whatif_args import run_plan

    args = build_parser().parse_args(
        [*command.split(), "-r", "3", "--seed", "4", "-j", "2", "--scheduler", "tcp://h:8786"]
    )
    plan = run_plan(args)
    assert (plan.replications, plan.base_seed, plan.workers) == (3, 4, 2)
    assert plan.scheduler == "tcp://h:8786"
    assert plan.periods is None  # calibrate has no --periods; the others default to the scenario's


def test_figure_titles_name_the_knowledge_flow():
    from ckm_sim.reports.plots import MAIN_SERIES

    assert MAIN_SERIES["repository_accuracy"] == "CRM profiles right (ABOUT)"
    assert MAIN_SERIES["offer_knowledge"].endswith("(FOR)")
    assert MAIN_SERIES["knowledge_from_customers"].endswith("(FROM)")
    assert MAIN_SERIES["clv"] == "Mean CLV"


def test_local_workers_start_with_the_documented_method():
    import multiprocessing

    from ckm_sim.experiments import evaluator

    if "forkserver" in multiprocessing.get_all_start_methods():
        assert evaluator.START_METHOD == "forkserver"
    with open_evaluator(2) as pool:
        assert pool.executor._mp_context.get_start_method() == evaluator.START_METHOD
