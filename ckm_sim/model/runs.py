"""One run, end to end: scenario + seed -> model -> summary row (+ optional time series).

This is the unit of work every sweep, comparison, optimisation and calibration repeats, so it
lives in one place. Seeds for replications come from :func:`replication_seed`, so that every
design point shares the seed of its replication (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ckm_sim.model.model import CKMModel
from ckm_sim.model.scenario import IntLike, Scenario
from ckm_sim.model.seeds import FROM_SCENARIO


@dataclass
class RunResult:
    """The outcome of one run: its summary row and, when collected, its per-period series."""

    summary: dict[str, Any]
    timeseries: pd.DataFrame | None


def replication_seed(base_seed: int, replication: int) -> int:
    """The seed of replication ``r``: derived from the base seed only, never from the design point.

    Uses numpy's SeedSequence so that seeds of neighbouring replications are independent streams.
    """
    sequence = np.random.SeedSequence(entropy=base_seed, spawn_key=(replication,))
    return int(sequence.generate_state(1, dtype=np.uint32)[0])


def run_scenario(
    scenario: Scenario | str | Path,
    seed: IntLike | None = None,
    periods: IntLike | None = None,
    timeseries: bool = False,
    **overrides: Any,
) -> RunResult:
    """Build and run one model; return its summary (and series if ``timeseries``).

    ``scenario`` is a :class:`Scenario` or a scenario file or shipped name; ``seed`` defaults to
    the scenario's, and without one a fresh seed is drawn (the summary's ``seed`` column records
    the seed used); ``periods`` defaults to the scenario's.
    """
    rng = FROM_SCENARIO if seed is None else seed
    model = CKMModel(scenario, rng=rng, collect=timeseries, **overrides)
    model.run(periods)
    return RunResult(model.summary(), model.timeseries() if timeseries else None)
