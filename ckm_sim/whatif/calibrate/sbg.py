"""The shifted-beta-geometric (sBG) model of cohort survival (Fader & Hardie 2007), as a
reference curve for ``ckm-sim calibrate``.

Each customer has a constant churn probability ``p`` per period, ``p ~ Beta(alpha, beta)`` across
customers. The cohort's survival and retention then are::

    S(0) = 1,  S(t) = S(t-1) (beta + t - 1) / (alpha + beta + t - 1)
    r(t) = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)

so retention rises with tenure as the less loyal leave: the pattern real cohorts show and the
model reproduces with differing churn propensities (``loyalty_spread``, docs/ODD.md 7.3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError


def sbg_survival(alpha: float, beta: float, periods: int) -> np.ndarray:
    """S(0..periods) of the sBG model."""
    if alpha <= 0 or beta <= 0:
        raise CKMError(f"sBG parameters must be positive, got alpha={alpha}, beta={beta}")
    t = np.arange(1, periods + 1, dtype=np.float64)
    retention = (beta + t - 1.0) / (alpha + beta + t - 1.0)
    return np.concatenate([[1.0], np.cumprod(retention)])


def sbg_cohort(alpha: float, beta: float, periods: int, size: int = 10_000) -> pd.DataFrame:
    """An observed-curve frame (``period``, ``active``, ``survival``) of an sBG cohort: the
    expected customers still active out of ``size``, rounded to whole customers."""
    survival = sbg_survival(alpha, beta, periods)
    active = np.round(survival * size)
    return pd.DataFrame(
        {"period": np.arange(periods + 1), "active": active, "survival": active / size}
    )
