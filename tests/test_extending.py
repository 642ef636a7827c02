"""The extension points of docs/extending.md: a stage replaced, an outcome registered.

The example file ``docs/examples/extension.py`` is the one the docs show; the sweep and the
outcome registry run in a subprocess, so the registered outcome does not leak into the other
tests' tables.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from ckm_sim import CKMModel
from ckm_sim.model.scenario import ScenarioError
from ckm_sim.model.stages import STAGE_NAMES, churn_rule, default_hazard

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "extension.py"
SMALL = {"customers": 400, "prospects": 100, "employees": 20}


def _example():
    """The example module, imported without registering into this process's outcomes."""
    spec = importlib.util.spec_from_file_location("extension_example_local", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    from ckm_sim.model import outcomes

    saved = (dict(outcomes.BY_NAME), dict(outcomes.OUTCOMES), dict(outcomes.SUMMARY))
    measures = dict(outcomes.MEASURES)
    try:
        spec.loader.exec_module(module)
    finally:  # put the registry back as it was
        for table, before in zip(
            (outcomes.BY_NAME, outcomes.OUTCOMES, outcomes.SUMMARY), saved, strict=True
        ):
            table.clear()
            table.update(before)  # type: ignore[arg-type]
        outcomes.MEASURES.clear()
        outcomes.MEASURES.update(measures)
    return module


def test_a_rule_equal_to_the_default_hazard_reproduces_the_default_run() -> None:
    # the Python path must run on the same numbers as the compiled kernel it replaces
    default = CKMModel(rng=5, **SMALL).run(24).summary()
    ruled = CKMModel(rng=5, stages={"churn": churn_rule(default_hazard)}, **SMALL)
    assert ruled.run(24).summary() == default


def test_the_example_churn_rule_adds_its_pull_to_churn() -> None:
    # paired seeds; the campaign adds CAMPAIGN to every active customer's monthly hazard, so
    # churn per customer-period rises by about CAMPAIGN (a little less: the hazard is clipped
    # at 1 nowhere here, and the customers it takes are the base's less loyal ones)
    example = _example()
    diffs, variances = [], []
    for seed in (1, 2, 3):
        runs = [
            CKMModel(rng=seed, collect=False, **SMALL, **extra).run(36)
            for extra in ({}, {"stages": {"churn": example.campaign}})
        ]
        rates = [m.state.counters["churned"] / m.state.counters["customer_periods"] for m in runs]
        n = [m.state.counters["customer_periods"] for m in runs]
        diffs.append(rates[1] - rates[0])
        variances.append(sum(p * (1 - p) / k for p, k in zip(rates, n, strict=True)))
    diff = float(np.mean(diffs))
    se = math.sqrt(sum(variances)) / len(diffs)  # binomial SE of the mean difference
    assert abs(diff - example.CAMPAIGN) < 4 * se + 0.001, (diff, se)


def test_an_unknown_stage_is_refused_in_one_line() -> None:
    with pytest.raises(ScenarioError, match="unknown stage 'chrun'; stages: sharing"):
        CKMModel(stages={"chrun": churn_rule(default_hazard)}, **SMALL)
    with pytest.raises(ScenarioError, match="must be a function"):
        CKMModel(stages={"churn": 3}, **SMALL)  # type: ignore[dict-item]
    assert STAGE_NAMES[0] == "sharing" and STAGE_NAMES[-1] == "books"


IN_PROCESS = """
import json, sys
from ckm_sim import CKMModel
from ckm_sim.model.extensions import load_extensions
load_extensions([sys.argv[1]])
model = CKMModel(rng=3, customers=300, prospects=50, employees=20).run(6)
print(json.dumps({"summary": model.summary()["loyal_share"],
                  "series": model.timeseries()["loyal_share"].tolist()}))
"""


def test_a_registered_outcome_is_in_the_series_and_the_summary() -> None:
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    got = json.loads(out.stdout)
    assert len(got["series"]) == 7  # period 0 and six periods
    assert all(0.0 <= v <= 1.0 for v in got["series"])
    assert got["summary"] == got["series"][-1]  # the horizon's value, measured once more


@pytest.mark.slow
def test_a_registered_outcome_reaches_a_sweeps_results_and_report(tmp_path) -> None:
    experiment = tmp_path / "loyal.toml"
    experiment.write_text(
        f"""name = "loyal"
scenario = "baseline"
periods = 6
replications = 2
extensions = [{json.dumps(str(EXAMPLE))}]
[fixed]
customers = 200
prospects = 50
employees = 10
[factors.learning_culture]
levels = [0.2, 0.8]
[design]
method = "full_factorial"
[outcomes]
report = ["loyal_share", "clv"]
""",
        encoding="utf-8",
    )
    script = Path(sys.executable).with_name("ckm-sim")
    result = subprocess.run(
        [
            str(script),
            "sweep",
            str(experiment),
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "2",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "loyal"
    runs = pq.read_table(folder / "runs").to_pandas()
    assert runs["loyal_share"].between(0.0, 1.0).all() and len(runs) == 4
    report = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.md"))
    assert "loyal_share" in report or "Loyal customers" in report
