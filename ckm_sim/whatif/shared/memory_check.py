"""The memory check of the what-if commands, before any run: the largest model on every local
worker, plus the time series the report keeps, against the limit (``--max-memory``)."""

from __future__ import annotations

from collections.abc import Sequence

from ckm_sim.limits import check_memory
from ckm_sim.memory import processes_bytes, scenario_bytes, series_bytes
from ckm_sim.model.outcomes import OUTCOMES
from ckm_sim.model.scenario import Scenario


def check_runs_memory(
    scenarios: Sequence[Scenario],
    workers: int,
    scheduler: str | None = None,
    max_memory: int | None = None,
    kept_runs: int = 0,
    periods: int = 0,
) -> None:
    """Refuse (TooLargeError) when the largest model on each of ``workers`` local workers (one
    model with a Dask ``scheduler``: the cluster's memory is its own), plus the time series of
    ``kept_runs`` runs of ``periods`` periods that the report keeps, exceeds ``max_memory``
    (None: the default limit)."""
    local = 0 if scheduler is not None else workers
    largest = max(scenarios, key=lambda sc: scenario_bytes(sc.flat()))
    # the report keeps the series and works on about three copies of them (bands, differences)
    series = 3 * series_bytes(kept_runs, periods, len(OUTCOMES))
    check_memory(
        processes_bytes(scenario_bytes(largest.flat()), local) + series,
        max_memory,
        f"{largest.name} on {max(local, 1)} worker(s)"
        + (f" with {kept_runs:,} runs of {periods:,} periods kept" if kept_runs else ""),
    )
