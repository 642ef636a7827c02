"""Compiled kernels (numba) of the customers' decisions and the contact budget: who is
contacted or shares, satisfaction, who leaves, who pays, who returns, water-filling.

The same rules as :mod:`ckm_sim.model.kernels` keep every result bit for bit what the numpy
code gave: each customer's random number is computed where it is tested (``u(key, i)``,
:mod:`ckm_sim.model.draws`), elementwise float arithmetic keeps numpy's order, and
transcendental functions (``exp``) stay in numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from ckm_sim.model.draws import uniform_of


@njit(cache=True, nogil=True, inline="always")
def members(mask: Any) -> Any:  # pragma: no cover
    """(index, n): the positions where ``mask`` holds are ``index[:n]``, in order. Written
    without a branch (every position is stored, the count moves by the mask), so a mask with
    no pattern costs no mispredicted jumps; the loops that follow walk only the members."""
    index = np.empty(len(mask), dtype=np.int64)
    n = 0
    for i in range(len(mask)):
        index[n] = i
        n += mask[i]
    return index, n


@njit(cache=True, nogil=True)
def active_below(active: Any, key: Any, threshold: Any) -> Any:  # pragma: no cover
    """``np.flatnonzero(active & (draw < threshold))`` where ``draw = draws.uniform(key,
    len(active))``, ``threshold`` one per customer or a single one for all (length 1),
    computing only the active customers' numbers."""
    index, n = members(active)
    single = len(threshold) == 1
    kept = 0
    for j in range(n):  # kept <= j: the survivors overwrite the walked part
        i = index[j]
        index[kept] = i
        kept += uniform_of(key, i) < (threshold[0] if single else threshold[i])
    return index[:kept]


@njit(cache=True, nogil=True)
def active_below_rated(
    active: Any, key: Any, rates: Any, firm_of: Any, scale: Any
) -> Any:  # pragma: no cover
    """:func:`active_below` with each customer's threshold ``rates[max(firm_of, 0)] *
    scale`` (its firm's rate times its own ``scale``: several firms' willingness to share),
    computed for the active customers only, without the (N,) rates and thresholds."""
    index, n = members(active)
    kept = 0
    for j in range(n):
        i = index[j]
        index[kept] = i
        kept += uniform_of(key, i) < rates[max(firm_of[i], 0)] * scale[i]
    return index[:kept]


@njit(cache=True, nogil=True)
def members_below(members: Any, key: Any, threshold: Any) -> Any:  # pragma: no cover
    """The customers ``members[j]`` with ``u(key, members[j]) < threshold[j]``, in order: what
    :func:`active_below` keeps when the others' thresholds are 0, without those thresholds."""
    out = np.empty(len(members), dtype=np.int64)
    kept = 0
    for j in range(len(members)):
        i = members[j]
        out[kept] = i
        kept += uniform_of(key, i) < threshold[j]
    return out[:kept]


@njit(cache=True, nogil=True)
def shares(wanted: Any, rate: float, tau: float, mean: float) -> Any:  # pragma: no cover
    """``rate * ((1 - tau) + tau * wanted / mean)`` elementwise in numpy's order: the contact
    budget, a share ``tau`` of it by priority ``wanted`` (targeting, ODD 7.2)."""
    out = np.empty(len(wanted), dtype=np.float64)
    even = 1.0 - tau
    for i in range(len(wanted)):
        out[i] = rate * (even + tau * wanted[i] / mean)
    return out


@njit(cache=True, nogil=True)
def churn(
    satisfaction: Any,
    updated: Any,
    active: Any,
    propensity: Any,
    floor: float,
    pull: float,
    fixed: float,
    key: Any,
    hazard: Any,
) -> Any:  # pragma: no cover
    """Active customers take their updated satisfaction; every customer's churn hazard
    ``clip(theta (floor + pull (1 - S)), 0, 1)`` (``fixed`` in place of the bracket when not
    NaN; ``propensity`` empty: theta 1) is written to ``hazard``, as
    :func:`ckm_sim.model.market.churn_hazard` computes it; returns who leaves: the active with
    ``u(key, i) < hazard`` (only their numbers computed)."""
    n = len(active)
    leaving = np.zeros(n, dtype=np.bool_)
    has_theta = len(propensity) > 0
    is_fixed = not np.isnan(fixed)
    index, n_active = members(active)
    for i in range(n):  # selects, not branches: one pass the compiler can keep branch-free
        now = updated[i] if active[i] else satisfaction[i]
        satisfaction[i] = now
        base = fixed if is_fixed else floor + pull * (1.0 - now)
        if has_theta:
            base = base * propensity[i]
        base = 0.0 if base < 0.0 else base
        hazard[i] = 1.0 if base > 1.0 else base
    for j in range(n_active):
        i = index[j]
        leaving[i] = uniform_of(key, i) < hazard[i]
    return leaving


@njit(cache=True, nogil=True)
def stay_and_pay(
    active: Any, leaving: Any, margin: Any, realised: Any, discount: float
) -> Any:  # pragma: no cover
    """Who stays (active, not leaving), and each customer's margin earned this period in
    period-0 value added to ``realised`` (``margin x (stays x discount)``, numpy's order)."""
    staying = np.empty(len(active), dtype=np.bool_)
    for i in range(len(active)):
        stays = active[i] and not leaving[i]
        staying[i] = stays
        realised[i] += margin[i] * (np.float64(stays) * discount)
    return staying


@njit(cache=True, nogil=True)
def any_lapsed(status: Any, lapsed_at: Any, churned: int, cutoff: int) -> bool:  # pragma: no cover
    """Whether any former customer (``status == churned``) lapsed at or before ``cutoff``."""
    for i in range(len(status)):  # noqa: SIM110 (a loop that stops early: numba has no any())
        if status[i] == churned and lapsed_at[i] <= cutoff:
            return True
    return False


@njit(cache=True, nogil=True)
def win_back(
    status: Any, lapsed_at: Any, churned: int, cutoff: int, key: Any, rate: float, prospect: int
) -> int:  # pragma: no cover
    """Former customers past their cool-off return to the prospect pool with ``u(key, i) <
    rate`` (only their numbers computed); returns how many."""
    index, lapsed = members((status == churned) & (lapsed_at <= cutoff))
    n = 0
    for j in range(lapsed):
        i = index[j]
        if uniform_of(key, i) < rate:
            status[i] = prospect
            n += 1
    return n


@njit(cache=True, nogil=True)
def capped(wanted: Any) -> Any:  # pragma: no cover
    """``np.minimum(wanted, 1.0)`` and how many of it are below 1 (water-filling's start)."""
    mine = np.empty_like(wanted)
    room = 0
    for i in range(len(wanted)):
        x = wanted[i]
        mine[i] = x if x < 1.0 or np.isnan(x) else 1.0
        room += mine[i] < 1.0
    return mine, room


@njit(cache=True, nogil=True)
def fill(mine: Any, add: float) -> int:  # pragma: no cover
    """One round of water-filling in place: the entries below 1 get ``add``, capped at 1
    (``mine[room] = np.minimum(mine[room] + add, 1.0)``); returns how many stay below 1."""
    room = 0
    for i in range(len(mine)):
        if mine[i] < 1.0:
            x = mine[i] + add
            mine[i] = x if x < 1.0 or np.isnan(x) else 1.0
            room += mine[i] < 1.0
    return room


@njit(cache=True, nogil=True)
def disconfirmation(value: Any, expectation: Any, slope: float) -> Any:  # pragma: no cover
    """``slope * (value - expectation)``, ``expectation`` one per customer or one for all
    (length 1): the exponent of satisfaction's logistic, before numpy's ``exp``."""
    out = np.empty(len(value), dtype=np.float64)
    single = len(expectation) == 1
    for i in range(len(value)):
        out[i] = slope * (value[i] - (expectation[0] if single else expectation[i]))
    return out


@njit(cache=True, nogil=True)
def smoothed(
    satisfaction: Any, exponential: Any, memory: float, rest: float
) -> Any:  # pragma: no cover
    """``memory S + rest / (1 + exponential)`` elementwise, in numpy's order: satisfaction
    smoothed toward the logistic of the disconfirmation (``rest = 1 - memory``)."""
    out = np.empty(len(exponential), dtype=np.float64)
    for i in range(len(exponential)):
        out[i] = memory * satisfaction[i] + rest * (1.0 / (1.0 + exponential[i]))
    return out
