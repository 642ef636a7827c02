"""Plausible worlds: a Latin hypercube over the assumptions, and an alternative in one world.

:func:`sample_worlds` draws ``n`` worlds from an uncertainty file's ranges with scipy's Latin
hypercube (:class:`scipy.stats.qmc.LatinHypercube`, seeded: the same file, number and seed
give the same worlds): each range is cut into ``n`` equal slices (in log(value) for a log range)
and every slice holds exactly one world. Whole-number parameters are rounded. :func:`worlds_at`
maps any points of the unit hypercube onto the ranges the same way (Morris trajectories,
:mod:`ckm_sim.whatif.robust.hinges`).

:class:`InWorld` makes the scenario an alternative runs in one world: the world's flat keys
applied, every dimension's cost of level 1 times ``cost_multiplier``
(:func:`ckm_sim.model.costs.scaled`), an added spend (``--add``) rebuilt on that world's costs
(so "1,500 a month more" is the same money in every world and buys what that world's costs
allow), and the build-up lags and depreciation of an investment plan scaled. It is picklable, so
the sweep's workers (:class:`~ckm_sim.experiments.execute.Task`) make each run's scenario
themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from ckm_sim.errors import CKMError
from ckm_sim.model.costs import scaled
from ckm_sim.model.scenario import DIMENSIONS, Scenario
from ckm_sim.whatif.robust.assumptions import MULTIPLIERS, Assumptions
from ckm_sim.whatif.shared.buildup import plan_table
from ckm_sim.whatif.shared.spend import Increment, alternative_name, with_spend

#: The most worlds a study may have (each world is run for every alternative and replication).
MAX_WORLDS = 100_000
#: The column of the worlds table that numbers them.
WORLD = "world"


def check_worlds(n: int) -> int:
    """``n`` if it is a usable number of worlds; else a one-line CKMError."""
    if n < 1:
        raise CKMError(f"--worlds must be at least 1, got {n}")
    if n > MAX_WORLDS:
        raise CKMError(
            f"--worlds {n:,} is more than {MAX_WORLDS:,} (every world runs every alternative "
            "and replication); sample fewer worlds"
        )
    return n


def unit_worlds(d: int, n: int, seed: int) -> np.ndarray:
    """``n`` points of a Latin hypercube in ``[0, 1)^d`` drawn with ``seed``."""
    return qmc.LatinHypercube(d=d, rng=np.random.default_rng(seed)).random(check_worlds(n))


def sample_worlds(assumptions: Assumptions, n: int, seed: int | None = None) -> pd.DataFrame:
    """``n`` worlds, one row each (``world`` 0..n-1, then one column per uncertain parameter),
    a Latin hypercube over the ranges drawn with ``seed`` (None: the file's)."""
    seed = assumptions.seed if seed is None else seed
    frame = worlds_at(assumptions, unit_worlds(len(assumptions.names), n, seed))
    frame.attrs["seed"] = seed
    return frame


def worlds_at(assumptions: Assumptions, unit: np.ndarray) -> pd.DataFrame:
    """The worlds at points ``unit`` of the unit hypercube (rows: worlds, columns: the
    parameters in the file's order; any design, e.g. Morris trajectories): each coordinate
    mapped onto its range (in log(value) for a log range), whole-number parameters rounded."""
    names = assumptions.names
    n = len(unit)
    columns: dict[str, Any] = {WORLD: np.arange(n, dtype=np.int64)}
    for j, name in enumerate(names):
        r = assumptions.parameters[name]
        if r.log:
            values = np.exp(np.log(r.low) + unit[:, j] * (np.log(r.high) - np.log(r.low)))
        else:
            values = r.low + unit[:, j] * (r.high - r.low)
        if assumptions.is_whole(name):
            columns[name] = np.rint(values).astype(np.int64)
        else:
            columns[name] = np.clip(values, r.low, r.high)
    return pd.DataFrame(columns)


def _scaled_plan(scenario: Scenario, params: Mapping[str, Any]) -> Scenario:
    """``scenario`` with its plan's lags and depreciation times the world's multipliers."""
    if scenario.plan is None:
        return scenario
    table = scenario.plan.model_dump()
    for d in DIMENSIONS:
        lag = params.get("lag_multiplier", 1.0) * params.get(f"lag_multiplier_{d}", 1.0)
        dep = params.get("depreciation_multiplier", 1.0) * params.get(
            f"depreciation_multiplier_{d}", 1.0
        )
        table["lag"][d] = int(round(table["lag"][d] * lag))
        table["depreciation"][d] = min(1.0, table["depreciation"][d] * dep)
    return scenario.with_overrides(plan=table)


def in_world(scenario: Scenario, params: Mapping[str, Any]) -> Scenario:
    """``scenario`` in the world ``params`` (flat keys and the multipliers; the plan scaled)."""
    flat = {k: v for k, v in params.items() if k not in MULTIPLIERS and k != WORLD}
    world = scenario.with_overrides(**flat)
    if "cost_multiplier" in params:
        world = world.with_overrides(**scaled(world, float(params["cost_multiplier"])))
    return world


@dataclass(frozen=True)
class InWorld:
    """How an alternative runs in a world: the base in that world, then (``increments``) the
    added spend, bought at once (``instant``) or built as the equivalent plan, and finally the
    plan's build-up scaled. Called as a sweep task's ``scenario_of(base, params)``.

    Built over time, the plan spends the cost of the world's current level plus the increment
    (:func:`~ckm_sim.whatif.shared.buildup.plan_table`); in a world where competence is so
    cheap that this buys more than level 1 the money is still spent and the level stops at 1
    (docs/ODD.md 7.7). Bought at once, such a world is refused (there is no level to buy).
    The checks of ``compare --add`` (single firm, no planned dimension) are made on the
    alternative's own scenario by :func:`~ckm_sim.whatif.robust.question.alternatives_of`."""

    increments: tuple[Increment, ...] = ()
    instant: bool = False

    def __call__(self, base: Scenario, params: dict[str, Any]) -> Scenario:
        """The alternative's scenario in the world ``params``."""
        scenario = in_world(base, params)
        if self.increments and self.instant:
            scenario = with_spend(scenario, self.increments)
        elif self.increments:
            plan = plan_table(scenario, self.increments)
            scenario = scenario.with_overrides(name=alternative_name(self.increments), plan=plan)
        return _scaled_plan(scenario, params)


def world_params(worlds: pd.DataFrame) -> list[dict[str, Any]]:
    """Each world's parameters as a dict of plain Python values (without its number)."""
    names = [c for c in worlds.columns if c != WORLD]
    return [
        {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
        for row in worlds[names].to_dict("records")
    ]


def check_alternatives(
    bases: Sequence[Scenario], makers: Sequence[InWorld], worlds: pd.DataFrame, labels: list[str]
) -> list[Scenario]:
    """Every alternative must make a valid scenario in the worlds at the ends of every range
    (where each parameter is lowest and highest): one line naming the first world and
    alternative that does not (e.g. a spend that would buy more than level 1 where competence is
    cheap), before any run. A run that fails elsewhere is recorded as failed, as in a sweep.
    Returns the scenarios made (for the memory check: the largest model is among them)."""
    columns = [c for c in worlds.columns if c != WORLD]
    ends = {int(worlds[c].idxmin()) for c in columns} | {int(worlds[c].idxmax()) for c in columns}
    worlds = worlds.loc[sorted(ends)]
    made = []
    for params, number in zip(world_params(worlds), worlds[WORLD], strict=True):
        for base, make, name in zip(bases, makers, labels, strict=True):
            try:
                made.append(make(base, params))
            except CKMError as exc:
                shown = ", ".join(f"{k} {v:.3g}" for k, v in params.items())
                raise CKMError(
                    f"{name} cannot run in world {number} ({shown}): {exc}; narrow the "
                    "assumptions' ranges or change the alternative"
                ) from None
    return made
