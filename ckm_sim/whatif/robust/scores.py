"""Robustness scores of alternatives across worlds: best share, regret, satisficing.

The input is one number per world and alternative: the alternative's mean net value over the
replications in that world (:func:`world_means`; the replications share their seeds across
alternatives, so the comparison within a world is paired). Per alternative:

- **share best**: the share of worlds in which it has the highest mean net value (ties go to
  the alternative listed first), with a 95% Wilson score interval (:func:`wilson`; it treats
  the worlds as independent draws from the assumptions' ranges, which a Latin hypercube
  slightly more than satisfies);
- **regret** in a world: the best alternative's net value there minus its own (0 where it is
  best); its **expected** (mean over worlds) and **worst** (maximum) regret;
- **satisficing**: the share of worlds in which it beats the first alternative (the reference)
  in net value at the horizon, with a Wilson interval. ``net_value`` counts every cost to the
  horizon, so beating the reference at the horizon is paying back the extra spend within it
  (the cumulative paired difference ends positive; ``compare``'s payback period is the month
  from which it stays so).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ckm_sim.whatif.robust.worlds import WORLD

LEVEL = 0.95


def wilson(successes: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """The Wilson score interval of a share ``successes / n`` (NaNs for ``n`` = 0)."""
    if n <= 0:
        return math.nan, math.nan
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def world_means(
    runs: pd.DataFrame, names: Sequence[str], outcome: str = "net_value"
) -> pd.DataFrame:
    """Mean ``outcome`` per world (rows) and alternative (columns, in the order of ``names``);
    a world where some run of some alternative failed is left out (its pairing is broken)."""
    ok = runs[runs["status"] == "ok"]
    table = ok.pivot_table(index=WORLD, columns="alternative", values=outcome, aggfunc="mean")
    counts = ok.pivot_table(index=WORLD, columns="alternative", values=outcome, aggfunc="count")
    table = table.reindex(columns=list(names))
    full = counts.reindex(columns=list(names)).eq(counts.max().max()).all(axis=1)
    return table[full.reindex(table.index, fill_value=False)].dropna()


def winners(values: pd.DataFrame) -> pd.Series:
    """The best alternative in each world (highest value; a tie goes to the first listed)."""
    best = np.argmax(values.to_numpy(dtype=np.float64), axis=1)
    return pd.Series(np.asarray(values.columns)[best], index=values.index, name="best")


def regret(values: pd.DataFrame) -> pd.DataFrame:
    """Per world and alternative: the best value in that world minus the alternative's."""
    return values.rsub(values.max(axis=1), axis=0)


def scores(values: pd.DataFrame) -> pd.DataFrame:
    """One row per alternative (the columns of ``values``, the first the reference): worlds,
    ``share_best`` with ``best_low``/``best_high``, ``expected_regret``, ``worst_regret``,
    ``beats_first`` with ``beats_low``/``beats_high`` (NaN for the first) and the mean value."""
    n = len(values)
    best = winners(values)
    loss = regret(values)
    first = values.columns[0]
    rows = []
    for name in values.columns:
        wins = int((best == name).sum())
        low, high = wilson(wins, n)
        beats = int((values[name] > values[first]).sum())
        b_low, b_high = wilson(beats, n) if name != first else (math.nan, math.nan)
        rows.append(
            {
                "alternative": name,
                "worlds": n,
                "worlds_best": wins,
                "share_best": wins / n if n else math.nan,
                "best_low": low,
                "best_high": high,
                "expected_regret": float(loss[name].mean()) if n else math.nan,
                "worst_regret": float(loss[name].max()) if n else math.nan,
                "beats_first": beats / n if n and name != first else math.nan,
                "beats_low": b_low,
                "beats_high": b_high,
                "mean_value": float(values[name].mean()) if n else math.nan,
            }
        )
    return pd.DataFrame(rows)
