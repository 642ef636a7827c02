"""Customer lifetime value, customer equity and the investment that buys CKM competence.

Timing convention (Gupta & Lehmann 2003): a customer acquired at period ``a`` earns the margin
``m`` at the end of periods ``a+1, a+2, ...`` if it survives that period's churn draw, discounted
by ``(1 + i)`` per period. With a constant retention probability ``r``::

    CLV = sum_{t>=1} m r^t / (1+i)^t = m r / (1 + i - r)

A customer still active at the horizon contributes the expected residual value of its future
margins under its current retention probability, so the horizon does not truncate CLV.
All money is also reported in period-0 value (customer equity, net value).
"""

from __future__ import annotations

import numpy as np


def closed_form_clv(margin: float, retention: float, discount_rate: float) -> float:
    """Gupta & Lehmann's CLV for constant retention: ``m r / (1 + i - r)``."""
    return margin * retention / (1.0 + discount_rate - retention)


def residual_value(
    margin: float, retention: np.ndarray | float, discount_rate: float
) -> np.ndarray | float:
    """Expected value of all future margins of an active customer, at the current period."""
    return margin * retention / (1.0 + discount_rate - retention)


def discount_factor(period: float, discount_rate: float) -> float:
    """``(1 + i) ** -t``: the period-0 value of one unit paid at the end of period ``t``."""
    return (1.0 + discount_rate) ** -float(period)


def customer_lifetime_values(
    realised_pv0: np.ndarray,
    acquisition_discount: np.ndarray,
    active: np.ndarray,
    retention: np.ndarray,
    period: int,
    margin: float,
    discount_rate: float,
) -> np.ndarray:
    """CLV of each acquired customer, in value at its own acquisition.

    ``realised_pv0`` holds each customer's margins earned so far in period-0 value and
    ``acquisition_discount`` its acquisition period's discount factor ``(1 + i) ** -a``; active
    customers add their residual value at ``period``.
    """
    residual = np.where(active, residual_value(margin, retention, discount_rate), 0.0)
    pv0 = realised_pv0 + residual * discount_factor(period, discount_rate)
    return pv0 / acquisition_discount
