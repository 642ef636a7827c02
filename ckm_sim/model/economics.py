"""Customer lifetime value, customer equity, the firm's costs and the horizon convention.

Timing convention (Gupta & Lehmann 2003): a customer acquired at period ``a`` earns its margin
``m_j`` at the end of periods ``a+1, a+2, ...`` if it survives that period's churn draw,
discounted by ``(1 + i)`` per period. With a constant retention probability ``r``::

    CLV = sum_{t>=1} m r^t / (1+i)^t = m r / (1 + i - r)                     (infinite)
    CLV_T = sum_{t=1..T} m r^t / (1+i)^t = m r (1 - (r/(1+i))^T) / (1 + i - r)  (to a horizon)

Two conventions value a run (``[economics] horizon_value``, docs/ODD.md 7.5): ``"horizon"``
counts margins and every cost over the same periods 1..T; ``"residual"`` adds, for each customer
still active at T, the expected value of its later margins *and* the expected cost of serving it
and of sustaining the competence for as long as those margins are counted. All money is also
reported in period-0 value (customer equity, net value).
"""

from __future__ import annotations

import numpy as np

HORIZON_VALUES: tuple[str, ...] = ("horizon", "residual")


def closed_form_clv(margin: float, retention: float, discount_rate: float) -> float:
    """Gupta & Lehmann's CLV for constant retention: ``m r / (1 + i - r)``."""
    return margin * retention / (1.0 + discount_rate - retention)


def finite_horizon_clv(
    margin: float, retention: float, discount_rate: float, periods: int
) -> float:
    """CLV counted over ``periods`` periods: ``m r (1 - (r / (1 + i)) ** T) / (1 + i - r)``."""
    ratio = retention / (1.0 + discount_rate)
    return margin * retention * (1.0 - ratio**periods) / (1.0 + discount_rate - retention)


def residual_value(
    margin: np.ndarray | float, retention: np.ndarray | float, discount_rate: float
) -> np.ndarray | float:
    """Expected value of all future margins of an active customer, at the current period."""
    return margin * retention / (1.0 + discount_rate - retention)


def expected_remaining_periods(
    retention: np.ndarray | float, discount_rate: float
) -> np.ndarray | float:
    """Discounted expected periods an active customer still starts: ``1 / (1 + i - r)``.

    A customer active at the end of period T starts period T+s with probability ``r^(s-1)``; a
    cost paid at the start of each such period is worth ``sum_s r^(s-1) (1+i)^-s`` at T.
    """
    return 1.0 / (1.0 + discount_rate - retention)


def discount_factor(period: float, discount_rate: float) -> float:
    """``(1 + i) ** -t``: the period-0 value of one unit paid at the end of period ``t``."""
    return (1.0 + discount_rate) ** -float(period)


def annuity(periods: int, discount_rate: float) -> float:
    """``sum_{t=1..T} (1 + i) ** -t``: period-0 value of one unit paid in each of T periods."""
    return float(np.sum((1.0 + discount_rate) ** -np.arange(1.0, periods + 1.0)))


def lognormal_margins(
    mean: float, spread: float, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Per-customer margins with mean ``mean``: ``mean exp(spread z - spread^2 / 2)``, z ~ N(0, 1).

    ``spread`` 0 gives every customer the same margin (and draws no numbers).
    """
    if spread == 0.0:
        return np.full(size, float(mean))
    return mean * np.exp(spread * rng.standard_normal(size) - 0.5 * spread**2)


def customer_lifetime_values(
    realised_pv0: np.ndarray,
    acquisition_discount: np.ndarray,
    active: np.ndarray,
    retention: np.ndarray,
    period: int,
    margin: np.ndarray | float,
    discount_rate: float,
    residual: bool,
) -> np.ndarray:
    """CLV of each acquired customer, in value at its (first) acquisition.

    ``realised_pv0`` holds each customer's margins earned so far in period-0 value and
    ``acquisition_discount`` its acquisition period's discount factor ``(1 + i) ** -a``; with
    ``residual`` active customers add their residual value at ``period``.
    """
    pv0 = realised_pv0
    if residual:
        value = np.where(active, residual_value(margin, retention, discount_rate), 0.0)
        pv0 = realised_pv0 + value * discount_factor(period, discount_rate)
    return pv0 / acquisition_discount


def weighted_sum(values: np.ndarray, weights: np.ndarray) -> float:
    """``sum(values * weights)`` without BLAS: OpenBLAS threads a dot product of more than
    10,000 entries, which on a busy machine costs milliseconds instead of microseconds."""
    return float(np.add.reduce(values * weights))


def top_share(values: np.ndarray, share: float = 0.2) -> float:
    """Share of the total of ``values`` held by the top ``share`` of them (NaN if none)."""
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    total = values.sum()
    if len(values) == 0 or total <= 0:
        return float("nan")
    k = max(1, int(round(share * len(values))))
    return float(np.partition(values, len(values) - k)[len(values) - k :].sum() / total)
