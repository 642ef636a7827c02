"""Sweeps over a multi-firm scenario store and analyse per-firm columns (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ckm_sim.cli import main
from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import load_experiment
from ckm_sim.experiments.store import ResultsStore

EXPERIMENT = """name = "duo"
scenario = "duopoly"
periods = 5
replications = 2
base_seed = 1

[fixed]
customers = 150
prospects = 60
employees = 10

[factors.contact_rate]
levels = [0.2, 0.4]

[design]
method = "full_factorial"

[outcomes]
report = ["leader.final_market_share", "leader.losses_to_rivals", "mean_retention_rate"]
timeseries = true
series = ["leader.market_share", "laggard.active_customers", "active_customers"]
"""


def test_a_sweep_keeps_and_analyses_per_firm_columns(tmp_path: Path, capsys) -> None:
    path = tmp_path / "duo.toml"
    path.write_text(EXPERIMENT, encoding="utf-8")
    result = run_sweep(load_experiment(path), tmp_path / "out", progress=False)
    store = ResultsStore(result.root)
    runs = pd.concat([pd.read_parquet(p) for p in store.parts()], ignore_index=True)
    assert len(runs) == 4 and (runs["status"] == "ok").all()
    shares = runs["leader.final_market_share"] + runs["laggard.final_market_share"]
    assert ((shares - 1.0).abs() < 1e-9).all()
    assert runs["leader.losses_to_rivals"].dtype == "int64"
    series = pd.concat([pd.read_parquet(p) for p in store.parts(store.series_dir)])
    assert series["laggard.active_customers"].dtype == "int64"
    assert main(["analyze", str(result.root)]) == 0
    report = (result.root / "report.md").read_text(encoding="utf-8")
    assert "leader.final_market_share" in report and "(leader)" in report
    capsys.readouterr()
