"""A sweep's memory, checked against ``--max-memory`` before anything large is allocated: the
design from its number of points before it is built, then the models of its largest point on
every worker, plus the runs table (and time series) the analysis reads back (ckm_sim/memory.py
has the estimates)."""

from __future__ import annotations

from ckm_sim.experiments.designs import DesignTable, design_size
from ckm_sim.experiments.spec import Experiment
from ckm_sim.limits import check_memory
from ckm_sim.memory import (
    design_bytes,
    largest_model_bytes,
    processes_bytes,
    runs_bytes,
    series_bytes,
)
from ckm_sim.model.outcomes import summary_columns
from ckm_sim.model.scenario import Scenario


def tables_bytes(exp: Experiment, base: Scenario, points: int) -> float:
    """The design, the runs table and the kept series of ``points`` points (bytes)."""
    runs = points * exp.replications
    total = design_bytes(points, len(exp.factors))
    columns = len(exp.factors) + len(summary_columns(base.firm_names())) + 8
    total += runs_bytes(runs, columns)
    if exp.outcomes.timeseries:
        periods = -(-base.periods // exp.outcomes.interval)
        total += series_bytes(runs, periods, len(exp.outcomes.series_columns()))
    return total


def check_design(exp: Experiment, base: Scenario, limit: int | None) -> None:
    """Refuse a design whose tables would not fit, from its size alone (before building it)."""
    points = design_size(exp)
    if points is not None:
        check_memory(
            tables_bytes(exp, base, points),
            limit,
            f"{exp.source()}: the {exp.design.method} design ({points:,} points x "
            f"{exp.replications} replications)",
        )


def check_sweep(
    exp: Experiment, base: Scenario, design: DesignTable, workers: int, limit: int | None
) -> None:
    """Refuse a sweep whose largest model on every worker, with its tables, would not fit."""
    model = largest_model_bytes(base.flat(), design.points)
    check_memory(
        processes_bytes(model, workers) + tables_bytes(exp, base, design.size),
        limit,
        f"{exp.source()}: the sweep ({design.size:,} points, largest model on {workers} worker(s))",
    )
