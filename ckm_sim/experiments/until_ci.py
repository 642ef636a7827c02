"""``sweep --until-ci``: add replications until the main outcome's CIs are narrow enough.

As AnyLogic's replication experiments do: after the sweep, the main outcome (the first of
``[outcomes] report``) is judged at every design point; while the widest 95% CI half-width,
relative to the point's mean, is above the target, the sweep grows
(:mod:`~ckm_sim.experiments.growth`) to the fewest replications whose t interval would be
that narrow (:func:`~ckm_sim.experiments.stats.replications_for`, at least one more), never
beyond the cap. Each round is an ordinary
resumed sweep: stored runs are kept, new ones run on their replication's seed, and a stop at
any moment leaves a folder that ``--resume`` continues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ckm_sim.experiments.analysis import adequacy, point_stats
from ckm_sim.experiments.growth import grown, next_replications
from ckm_sim.experiments.runner import SweepResult, checked_inputs, run_sweep
from ckm_sim.experiments.spec import Experiment
from ckm_sim.experiments.store import ResultsStore


@dataclass(frozen=True)
class Precision:
    """The main outcome's widest relative CI half-width over the design points."""

    outcome: str
    replications: int
    worst: float

    def sentence(self, target: float) -> str:
        """How far the widest CI is from ``target``, in one line."""
        worst = "no CI yet" if np.isnan(self.worst) else f"{self.worst:.1%} of the mean"
        return (
            f"{self.outcome}: widest 95% CI half-width {worst} at {self.replications} "
            f"replication(s) (target {target:.1%})"
        )


def precision(root: Path, outcome: str, replications: int) -> Precision:
    """The widest relative 95% CI half-width of ``outcome`` over the points stored in
    ``root`` (NaN when some point has fewer than two finished runs)."""
    store = ResultsStore(root)
    runs = store.read_runs(["point", "replication", "status", outcome])
    table = adequacy(point_stats(runs, store.read_design(), [outcome]), 1.0)
    row = table.iloc[0]
    worst = float(row["max_rel_half_width"])
    if int(row["replications"]) < 2:
        worst = float("nan")
    return Precision(outcome, replications, worst)


def grow_until(
    exp: Experiment,
    first: SweepResult,
    target: float,
    cap: int,
    say: Callable[[str], None] = print,
    max_memory: int | None = None,
    **sweep: Any,
) -> SweepResult:
    """After ``first`` (a finished sweep of ``exp``), grow the sweep in rounds until the main
    outcome's widest relative CI half-width is at most ``target`` or ``cap`` replications are
    stored; ``sweep``: :func:`~ckm_sim.experiments.runner.run_sweep`'s other arguments (``out``,
    ``workers``, ...). Returns the last round's result with every round's new runs counted."""
    outcome = exp.outcomes.report[0]
    result, new_runs, elapsed = first, first.new_runs, first.elapsed
    slots = 0 if sweep.get("scheduler") is not None else int(sweep.get("workers", 1))
    while result.complete and not result.interrupted:
        now = precision(result.root, outcome, exp.replications)
        more = next_replications(exp.replications, now.worst, target, cap)
        if more is None:
            reached = not np.isnan(now.worst) and now.worst <= target
            say(now.sentence(target) + ("; reached" if reached else f"; stopped at the cap {cap}"))
            break
        say(now.sentence(target) + f"; growing to {more} replications")
        exp, blocks = grown(exp, result.root, True, replications=more)
        inputs = checked_inputs(exp, slots, max_memory, blocks)
        result = run_sweep(exp, resume=True, inputs=inputs, max_memory=max_memory, **sweep)
        new_runs, elapsed = new_runs + result.new_runs, elapsed + result.elapsed
    result.new_runs, result.elapsed = new_runs, elapsed
    return result
