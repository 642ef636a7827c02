"""Replications of several scenarios with common random numbers, in two tidy tables.

Replication ``r`` of every scenario uses the seed ``replication_seed(base_seed, r)``: the
scenarios meet the same customers' dice, so their differences are measured with little noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ckm_sim.model.runs import RunResult, replication_seed, run_scenario
from ckm_sim.model.scenario import Scenario
from ckm_sim.whatif.parallel import run_jobs
from ckm_sim.whatif.stats import t_quantile

#: The outcomes every comparison reports, with the words its sentences use.
METRICS: dict[str, str] = {
    "retention_rate": "mean per-period retention",
    "clv": "mean CLV",
    "customer_equity": "customer equity",
    "net_value": "net value",
}


@dataclass
class PairedRuns:
    """Summaries (one row per scenario and replication) and, if collected, the time series."""

    names: list[str]
    summaries: pd.DataFrame
    timeseries: pd.DataFrame | None
    base_seed: int
    periods: int

    @property
    def replications(self) -> int:
        """Number of replications per scenario."""
        return int(self.summaries["replication"].nunique())

    def values(self, name: str, metric: str) -> np.ndarray:
        """``metric`` of scenario ``name``, ordered by replication (ready to pair)."""
        rows = self.summaries[self.summaries["scenario"] == name].sort_values("replication")
        return rows[metric].to_numpy(dtype=np.float64)


def unique_names(scenarios: Sequence[Scenario]) -> list[str]:
    """Scenario names, made distinct with ``-2``, ``-3``... where two files share a name."""
    seen: dict[str, int] = {}
    names = []
    for sc in scenarios:
        seen[sc.name] = seen.get(sc.name, 0) + 1
        names.append(sc.name if seen[sc.name] == 1 else f"{sc.name}-{seen[sc.name]}")
    return names


def _run(scenario: Scenario, seed: int, periods: int, timeseries: bool) -> RunResult:
    return run_scenario(scenario, seed=seed, periods=periods, timeseries=timeseries)


def run_paired(
    scenarios: Sequence[Scenario],
    replications: int,
    base_seed: int,
    periods: int,
    timeseries: bool = True,
    workers: int = 1,
    progress: bool = False,
) -> PairedRuns:
    """Run every scenario ``replications`` times, replication ``r`` on the same seed for all."""
    names = unique_names(scenarios)
    jobs = [
        (sc, replication_seed(base_seed, r), periods, timeseries)
        for r in range(replications)
        for sc in scenarios
    ]
    results = run_jobs(_run, jobs, workers=workers, progress=progress, desc="paired runs")
    rows, series = [], []
    for i, result in enumerate(results):
        r, j = divmod(i, len(scenarios))
        name = names[j]
        rows.append(result.summary | {"scenario": name, "replication": r})
        if result.timeseries is not None:
            ts = result.timeseries.reset_index()
            ts.insert(0, "replication", r)
            ts.insert(0, "scenario", name)
            series.append(ts)
    summaries = pd.DataFrame(rows)
    frame = pd.concat(series, ignore_index=True) if series else None
    return PairedRuns(names, summaries, frame, base_seed, periods)


def band(frame: pd.DataFrame, by: list[str], columns: Sequence[str]) -> pd.DataFrame:
    """Mean and 95% CI bounds of ``columns`` within groups ``by`` (long format).

    Returns columns ``by + [metric, mean, low, high]``.
    """
    long = frame.melt(id_vars=by, value_vars=list(columns), var_name="metric")
    g = long.groupby([*by, "metric"], sort=False)["value"]
    out = g.agg(["mean", "std", "count"]).reset_index()
    t = out["count"].map(lambda n: t_quantile(int(n)))
    half = (t * out["std"] / np.sqrt(out["count"])).fillna(0.0)
    out["low"] = out["mean"] - half
    out["high"] = out["mean"] + half
    return out.drop(columns=["std", "count"])


def paired_series(runs: PairedRuns, reference: str, columns: Sequence[str]) -> pd.DataFrame:
    """Per period and replication, each other scenario's series minus the reference's."""
    if runs.timeseries is None:
        raise ValueError("time series were not collected")
    ts = runs.timeseries.set_index(["scenario", "replication", "period"])[list(columns)]
    ref = ts.xs(reference, level="scenario")
    parts = []
    for name in runs.names:
        if name == reference:
            continue
        diff = ts.xs(name, level="scenario") - ref
        parts.append(diff.reset_index().assign(scenario=name))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
