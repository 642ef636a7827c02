"""Means and paired differences with 95% confidence intervals (Student t over replications).

Replication ``r`` of every scenario runs with the same seed (common random numbers), so the
difference of two scenarios is estimated from the per-replication differences ``b_r - a_r``;
their spread is what is left of the noise after pairing, usually far less than either's own.
"""

from __future__ import annotations

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
        """Whether the confidence interval excludes zero."""
        return self.low > 0.0 or self.high < 0.0

    def as_dict(self) -> dict[str, float]:
        """The estimate as a ``field -> value`` dict."""
        return asdict(self)


def t_quantile(n: int, level: float = LEVEL) -> float:
    """The two-sided Student t quantile for ``n`` observations (NaN if fewer than two)."""
    if n < 2:
        return float("nan")
    return float(stats.t.ppf(0.5 + level / 2.0, n - 1))


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
