"""Numbers as people read them: the one place where ckm-sim formats a number for display.

The sweep and what-if reports (Markdown), the terminal tables and the dashboard all format
through these functions, so a value reads the same everywhere.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ckm_sim.model.outcomes import BY_NAME, split_firm_outcome

#: What a missing value (NaN) shows as.
MISSING = "-"


def number(x: Any) -> str:
    """A number at a precision that suits its size (``1,234,567``, ``12.3``, ``0.9717``).

    Integers get thousands separators, floats four significant digits below 10, one decimal
    below 1000 and none above; booleans read ``yes``/``no``; anything else is ``str(x)``.
    """
    if isinstance(x, bool | np.bool_):
        return "yes" if x else "no"
    if isinstance(x, int | np.integer):
        return f"{int(x):,}"
    if not isinstance(x, float | np.floating):
        return str(x)
    if math.isnan(x):
        return MISSING
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    size = abs(x)
    if size >= 1000:
        return f"{x:,.0f}"
    if size >= 10:
        return f"{x:,.1f}"
    if size == 0:
        return "0"
    return f"{x:.4g}"


def half_width(x: float) -> str:
    """A confidence-interval half-width: two significant digits are all it carries."""
    if math.isnan(x):
        return MISSING
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2g}"


def points(x: float) -> str:
    """A difference of two rates in percentage points (``0.0042`` -> ``0.42 percentage points``)."""
    return f"{number(100.0 * x)} percentage points"


def ci(mean: float, low: float, high: float) -> str:
    """``mean (95% CI low to high)``."""
    return f"{number(mean)} (95% CI {number(low)} to {number(high)})"


def outcome_ci(name: str, mean: float, low: float, high: float) -> str:
    """:func:`ci` for outcome ``name``: money in whole units (its currency goes in the header)."""
    if is_money(name):
        return f"{whole(mean)} (95% CI {whole(low)} to {whole(high)})"
    return ci(mean, low, high)


def whole(x: float) -> str:
    """An amount of money in whole units, without its currency (``1,500``, ``-104,212``)."""
    if math.isnan(x):
        return MISSING
    return f"{round(x) + 0:,.0f}"


def is_share(name: str) -> bool:
    """Whether outcome ``name`` (or a firm's, ``leader.retention_rate``) is a share in [0, 1]
    (a per-firm outcome outside the registry is one when it ends in ``_share`` or ``_rate``)."""
    base = split_firm_outcome(name)[1]
    outcome = BY_NAME.get(base)
    if outcome is None:
        return base != name and base.endswith(("_share", "_rate"))
    return outcome.unit == "share"


def is_money(name: str) -> bool:
    """Whether outcome ``name`` (or a firm's, ``leader.net_value``) is an amount of money."""
    outcome = BY_NAME.get(split_firm_outcome(name)[1])
    return outcome is not None and outcome.unit == "money"


def money(x: float, currency: str) -> str:
    """An amount of money in whole units with its currency (``1,500 EUR``, ``-104,212 EUR``)."""
    return MISSING if math.isnan(x) else f"{whole(x)} {currency}"


def amount(name: str, x: float, currency: str | None = None) -> str:
    """A change of outcome ``name``: shares in percentage points, money (given its
    ``currency``) in whole units with the currency, everything else as a number."""
    if is_share(name):
        return points(x)
    if currency is not None and is_money(name):
        return money(x, currency)
    return number(x)


def interval(name: str, low: float, high: float, currency: str | None = None) -> str:
    """``95% CI low to high`` for a change of outcome ``name`` (shares in percentage points,
    money in whole units of ``currency`` when given: ``95% CI 1,200 to 3,400 EUR``)."""
    if currency is not None and is_money(name) and not is_share(name):
        return f"95% CI {whole(low)} to {money(high, currency)}"
    scale = 100.0 if is_share(name) else 1.0
    return f"95% CI {number(scale * low)} to {number(scale * high)}"


def value(name: str, x: Any, currency: str | None = None) -> str:
    """A value of outcome ``name`` as a table shows it: money (given its ``currency``) in whole
    units with the currency, anything else as :func:`number`."""
    if currency is not None and is_money(name) and isinstance(x, float | int | np.number):
        return money(float(x), currency)
    return number(x)


def figure(name: str, value: float | None) -> str:
    """An outcome as a panel shows it: money and counts whole, shares with three decimals."""
    if value is None or value != value:  # NaN: nothing to measure yet
        return "–"
    outcome = BY_NAME.get(split_firm_outcome(name)[1])
    if outcome is not None and outcome.unit in ("money", "count"):
        return f"{value:,.0f}"
    return f"{value:.3f}"
