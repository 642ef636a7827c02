"""Standardized regression coefficients (SRC): sensitivity from any design that spreads points.

For each outcome, the point means ``y`` are regressed on the factors by least squares (with an
intercept); the SRC of factor ``j`` is its coefficient times ``sd(x_j) / sd(y)``: the change in
``y``, in its standard deviations, for one standard deviation of the factor, the others held.
When the factors are uncorrelated (a Latin hypercube), ``SRC_j^2`` is the share of the variance
of ``y`` the factor explains linearly, and the squares add up to the regression's ``R^2``. So
``R^2`` says whether a linear reading is adequate: near 1, the SRCs rank the factors; low, the
outcome responds nonlinearly or through interactions, and Sobol indices (or the scenario
discovery) say more. The 95% CIs come from a bootstrap over the points (percentile intervals).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

#: Bootstrap resamples of the points for the SRCs' CIs.
BOOTSTRAP = 1000
#: Below this R^2 the report says the linear reading is not adequate.
ADEQUATE_R2 = 0.7


def _src(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """SRCs and R^2 of ``y`` regressed on the columns of ``x`` (with an intercept)."""
    design = np.column_stack([np.ones(len(x)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    sd_y = y.std(ddof=1)
    fitted = design @ coef
    total = np.sum((y - y.mean()) ** 2)
    r2 = 1.0 - np.sum((y - fitted) ** 2) / total if total > 0 else np.nan
    return coef[1:] * x.std(axis=0, ddof=1) / sd_y, float(r2)


def src_table(
    x: pd.DataFrame, y: np.ndarray, boot: int = BOOTSTRAP, seed: int = 0, level: float = 0.95
) -> pd.DataFrame:
    """One row per factor (column of ``x``): ``SRC`` with its bootstrap ``low`` and ``high``,
    and the regression's ``R2`` (the same on every row). ``y`` must be finite and vary; a
    factor that does not vary among the points has SRC NaN."""
    values = x.to_numpy(dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    varies = values.std(axis=0, ddof=1) > 0
    src = np.full(values.shape[1], np.nan)
    src[varies], r2 = _src(values[:, varies], y)
    rng = np.random.default_rng(seed)
    draws = np.full((boot, values.shape[1]), np.nan)
    for b in range(boot):
        pick = rng.integers(0, len(y), len(y))
        xb, yb = values[pick][:, varies], y[pick]
        if yb.std() > 0 and (xb.std(axis=0) > 0).all():
            draws[b, varies] = _src(xb, yb)[0]
    tail = (1.0 - level) / 2 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a factor that never varies: all NaN
        low = np.nanpercentile(draws, tail, axis=0) if boot else np.full_like(src, np.nan)
        high = np.nanpercentile(draws, 100 - tail, axis=0) if boot else np.full_like(src, np.nan)
    return pd.DataFrame({"factor": list(x.columns), "SRC": src, "low": low, "high": high, "R2": r2})
