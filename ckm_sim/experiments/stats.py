"""Means and paired differences with 95% confidence intervals (Student t over replications).

The one statistics module of sweeps (:mod:`~ckm_sim.experiments.analysis`) and what-if commands.
Replication ``r`` of every scenario (or design point) runs with the same seed (common random
numbers), so the difference of two is estimated from the per-replication differences
``b_r - a_r``; their spread is what is left of the noise after pairing, usually far less than
either's own. :func:`mean_ci` works on one sample, :func:`ci_columns` on the rows of a matrix
with NaN gaps (failed runs).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95% confidence interval."""

    mean: float
    low: float
    high: float
    sd: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the width of the confidence interval."""
        return (self.high - self.low) / 2.0

    @property
    def excludes_zero(self) -> bool:
        """Whether zero lies outside the confidence interval."""
        return self.low > 0.0 or self.high < 0.0

    def as_dict(self) -> dict[str, float]:
        """The fields as a dict (one row of a table)."""
        return asdict(self)


def t_quantile(n: int, level: float = LEVEL) -> float:
    """The two-sided Student t quantile for ``n`` observations (NaN if fewer than two)."""
    if n < 2:
        return float("nan")
    return float(stats.t.ppf(0.5 + level / 2.0, n - 1))


def replications_for(
    n: int, relative_half_width: float, target: float, level: float = LEVEL, cap: int = 10**7
) -> int:
    """The fewest replications whose t-based CI half-width, relative to the mean, is at most
    ``target``, from the ``relative_half_width`` measured at ``n`` replications (at most
    ``cap``).

    The measured width estimates the spread, ``sd / |mean| = w sqrt(n) / t(n)``; the answer is
    the smallest ``m`` with ``t(m) sd / (|mean| sqrt(m)) <= target``. The plain square law
    ``n (w / target)^2`` keeps the quantile of ``n`` replications: at 2 replications
    ``t = 12.7``, six times the quantile of many, so it asks for about 40 times too many.
    """
    spread = relative_half_width * math.sqrt(n) / t_quantile(n, level)
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    m = max(2, math.ceil((z * spread / target) ** 2))  # the normal's answer: never more
    while m < cap and t_quantile(m, level) * spread / math.sqrt(m) > target:
        m += 1
    return min(m, cap)


def mean_ci(values: np.ndarray | list[float], level: float = LEVEL) -> Estimate:
    """Mean of ``values`` with a t-based confidence interval (NaNs are dropped)."""
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        nan = float("nan")
        return Estimate(nan, nan, nan, nan, 0)
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else float("nan")
    half = t_quantile(n, level) * sd / np.sqrt(n) if n > 1 else float("nan")
    return Estimate(mean, float(mean - half), float(mean + half), sd, n)


def paired_difference(
    treatment: np.ndarray | list[float], reference: np.ndarray | list[float], level: float = LEVEL
) -> Estimate:
    """``treatment - reference``, replication by replication, with its confidence interval."""
    a = np.asarray(treatment, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length: {a.shape} vs {b.shape}")
    return mean_ci(a - b, level)


def pairing_efficiency(treatment: np.ndarray, reference: np.ndarray) -> float:
    """How many times smaller the variance of the paired difference is than if unpaired."""
    a = np.asarray(treatment, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    if len(a) < 2:
        return float("nan")
    paired = np.var(a - b, ddof=1)
    unpaired = np.var(a, ddof=1) + np.var(b, ddof=1)
    return float(unpaired / paired) if paired > 0 else float("inf")


def ci_columns(matrix: np.ndarray, level: float = LEVEL) -> dict[str, np.ndarray]:
    """Row-wise n, mean, sd and t-based CI of a (rows x replications) matrix with NaN gaps."""
    x = np.asarray(matrix, dtype=np.float64)
    n = np.sum(~np.isnan(x), axis=1)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(x, axis=1)
        sd = np.where(n > 1, np.nanstd(x, axis=1, ddof=1), np.nan)
        t = np.where(n > 1, stats.t.ppf(0.5 + level / 2.0, np.maximum(n - 1, 1)), np.nan)
        half = t * sd / np.sqrt(n)
        rel = np.abs(half / mean)
    return {
        "n": n,
        "mean": mean,
        "sd": sd,
        "half_width": half,
        "low": mean - half,
        "high": mean + half,
        "rel_half_width": rel,
    }
