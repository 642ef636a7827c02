"""Replications of several scenarios with common random numbers, in two tidy tables.

Replication ``r`` of every scenario uses the seed ``replication_seed(base_seed, r)``: the
scenarios meet the same customers' dice, so their differences are measured with little noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ckm_sim.experiments.evaluator import RunPlan, map_ordered
from ckm_sim.experiments.stats import t_quantile
from ckm_sim.model.outcomes import BY_NAME, in_view
from ckm_sim.model.runs import RunResult, run_scenario
from ckm_sim.model.scenario import Scenario

#: The outcomes every comparison reports, with the words its sentences use (the registry's
#: "metric" view).
METRICS: dict[str, str] = {name: BY_NAME[name].words for name in in_view("metric")}


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
        """Replications per scenario."""
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
    plan: RunPlan,
    timeseries: bool = True,
    progress: bool = False,
    seeds: Sequence[int] | None = None,
) -> PairedRuns:
    """Run every scenario ``plan.replications`` times, replication ``r`` on the same seed for all.

    The plan's missing base seed and periods are the first scenario's. ``seeds``: run on these
    seeds instead of the plan's (replication ``r`` on ``seeds[r]``; e.g. an optimiser's
    evaluation seeds).
    """
    plan = plan.resolved(scenarios[0])
    assert plan.periods is not None
    names = unique_names(scenarios)
    chosen = plan.seeds() if seeds is None else list(seeds)
    jobs = [(sc, seed, plan.periods, timeseries) for seed in chosen for sc in scenarios]
    with plan.evaluator() as evaluator:
        results = map_ordered(evaluator, _run, jobs, progress=progress, desc="paired runs")
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
    return PairedRuns(names, summaries, frame, plan.seed, plan.periods)


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
