"""Cohort survival: the share of the initial customers still active after each period.

Observed curves come from a CSV with columns ``period`` and ``active`` (see docs/whatif.md);
simulated ones from the model's state: the initial cohort is ``acquired_at == 0`` and a customer
who churned in period ``t`` has ``churned_at == t`` (``-1`` if it never churned).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError
from ckm_sim.limits import read_capped
from ckm_sim.model.model import CKMModel
from ckm_sim.model.scenario import MAX_PERIODS, Scenario, ScenarioError
from ckm_sim.tomlfiles import example_file


def cohort_survival(model: CKMModel, periods: int | None = None) -> np.ndarray:
    """Share of the period-0 cohort still active at the end of periods ``0..periods``."""
    s = model.state
    periods = model.steps if periods is None else periods
    churned_at = s.churned_at[s.acquired_at == 0]
    if len(churned_at) == 0:
        return np.full(periods + 1, np.nan)
    lost = np.bincount(churned_at[churned_at >= 0], minlength=periods + 1)[: periods + 1]
    return 1.0 - np.cumsum(lost) / len(churned_at)


def simulate_survival(scenario: Scenario, seed: int, periods: int) -> np.ndarray:
    """Run ``scenario`` for ``periods`` periods and return its cohort survival curve."""
    model = CKMModel(scenario, rng=seed, collect=False)
    model.run(periods)
    return cohort_survival(model, periods)


def simulate_with(
    scenario: Scenario, values: Mapping[str, float], seed: int, periods: int
) -> np.ndarray:
    """The survival curve of ``scenario`` with flat parameter ``values`` overridden."""
    try:
        changed = scenario.with_overrides(**values)
    except ScenarioError as exc:
        raise CKMError(f"calibration produced an invalid scenario: {exc}") from None
    return simulate_survival(changed, seed, periods)


@dataclass(frozen=True)
class SurvivalCurve:
    """``simulate_with(scenario, values, seed, periods)`` as a picklable job of ``periods``."""

    periods: int

    def __call__(self, scenario: Scenario, values: Mapping[str, float], seed: int) -> np.ndarray:
        """The survival curve of ``scenario`` with ``values`` applied, on ``seed``."""
        return simulate_with(scenario, values, seed, self.periods)


def read_retention(path: str | Path) -> pd.DataFrame:
    """An observed survival curve: columns ``period``, ``active`` and ``survival`` (a share).

    ``active`` counts the initial customers still active at the end of each period. With a
    period-0 row (the cohort's size) the shares are ``active / active[period 0]``; without one,
    ``active`` must already be shares in [0, 1]. Lines starting with ``#`` are comments.
    """
    path = example_file(path)
    if not path.exists():
        raise CKMError(f"{path}: no such retention file")  # a folder or FIFO: read_capped
    try:
        raw = io.BytesIO(read_capped(path))
        frame = pd.read_csv(raw, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CKMError(f"{path}: not a readable CSV ({reason})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("period", "active") if c not in frame.columns]
    if missing:
        found = ", ".join(frame.columns) or "none"
        raise CKMError(
            f"{path}: needs columns 'period' and 'active' (missing {', '.join(missing)}; "
            f"found {found})"
        )
    data = frame[["period", "active"]].apply(pd.to_numeric, errors="coerce")
    bad = ~np.isfinite(data.to_numpy(dtype=np.float64)).all(axis=1)  # text, nan, inf, 1e400
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 2  # 1-based, after the header
        raise CKMError(f"{path}: line {row}: 'period' and 'active' must be finite numbers")
    if len(data) < 2:
        raise CKMError(f"{path}: needs at least two rows (periods) to fit a curve")
    period, active = data["period"].to_numpy(), data["active"].to_numpy(dtype=np.float64)
    if (period < 0).any() or (period != np.round(period)).any():
        raise CKMError(f"{path}: 'period' must be whole numbers >= 0")
    if (period > MAX_PERIODS).any():
        raise CKMError(f"{path}: 'period' must be at most {MAX_PERIODS:,} (as in scenario files)")
    if (np.diff(period) <= 0).any():
        raise CKMError(f"{path}: 'period' must increase strictly from row to row")
    if (active < 0).any():
        raise CKMError(f"{path}: 'active' must be >= 0")
    if period[0] == 0:
        if active[0] <= 0:
            raise CKMError(f"{path}: the period-0 cohort size 'active' must be positive")
        survival = active / active[0]
    elif (active <= 1.0).all():
        survival = active
    else:
        raise CKMError(
            f"{path}: give a period-0 row with the cohort size, or 'active' as shares in [0, 1]"
        )
    if (survival > 1.0 + 1e-9).any():
        raise CKMError(f"{path}: 'active' exceeds the period-0 cohort size")
    return pd.DataFrame({"period": period.astype(np.int64), "active": active, "survival": survival})
