"""Compiled kernel of flow FROM customers (docs/ODD.md 7.2): the routes a shared need takes.

Every need item a customer shares reaches its serving frontline employee; with probability
``direct_channel`` it also goes through the direct channel, where a member of the channel team
hears it; from the front line, and from the channel, it crosses to a member of the product team
with probability ``relay_to_product``. Each hearer learns it with the ``absorption`` of its
firm. One call does what :mod:`ckm_sim.model.stages.from_customers` described as three draws,
two team picks and three absorbing passes, with the same numbers: each trial's uniform is its
(customer, need) cell's under the trial's own key (:mod:`ckm_sim.model.draws`), and beliefs are
written pass after pass, in item order, as the passes wrote them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from ckm_sim.model.draws import uniform_of
from ckm_sim.model.kernels import absorb

#: The keys of one period's flow FROM, in the order :func:`routes` reads them.
KEYS: tuple[str, ...] = (
    "direct",
    "relay",
    "channel_relay",
    "absorb",
    "channel_hearer",
    "absorb_channel",
    "product_hearer",
    "absorb_product",
)


@njit(cache=True, nogil=True, inline="always")
def _team_hears(
    heard: Any, items: Any, keys: Any, team: Any, hearer: Any
) -> Any:  # pragma: no cover
    """A member of the item's firm's ``team`` hears each of ``items``, each member alike
    (``pool[start + int(u * size)]`` of the item's cell under ``keys[0]``), and learns it
    under ``keys[1]`` (:func:`~ckm_sim.model.kernels.absorb`); returns the items learnt.
    ``heard``: (beliefs, segment, cust, dims, value, firm, absorption, employee_firm)."""
    beliefs, segment, cust, dims, value, firm, absorption, employee_firm = heard
    m = beliefs.shape[2]
    pool, starts, sizes = team[0], team[1], team[2]
    for q in range(len(items)):
        j = items[q]
        u = uniform_of(keys[0], cust[j] * m + dims[j])
        hearer[j] = pool[starts[firm[j]] + np.int64(u * sizes[firm[j]])]
    return absorb(
        beliefs, hearer, segment, cust, dims, value, items, keys[1], absorption, employee_firm
    )


@njit(cache=True, nogil=True)
def routes(
    beliefs: Any,
    segment: Any,
    cust: Any,
    dims: Any,
    value: Any,
    serving: Any,
    firm: Any,
    keys: Any,
    direct_rate: Any,
    relay_rate: Any,
    own_channel: Any,
    absorption: Any,
    employee_firm: Any,
    channel: Any,
    product: Any,
) -> Any:  # pragma: no cover
    """The routes of the shared items ``(cust, dims, value)`` (item ``j`` of firm ``firm[j]``,
    served by ``serving[j]``), and who learns them; ``keys`` as :data:`KEYS` names them.

    ``channel`` and ``product`` are each ``(pool, starts, sizes, on)``: every firm's team
    members in one array, where each firm's begin and how many it has, and whether the first
    firm's team has any member (no pick at all when it has none). Returns the masks
    (direct, to product, relayed) over the items and the indices of the items learnt by each
    hearer, pass after pass (the serving employee, the channel, the product department), each
    pass :func:`~ckm_sim.model.kernels.absorb`."""
    m = beliefs.shape[2]
    n = len(cust)
    direct = np.empty(n, dtype=np.bool_)
    relayed = np.empty(n, dtype=np.bool_)
    to_product = np.empty(n, dtype=np.bool_)
    channel_items = np.empty(n, dtype=np.int64)
    product_items = np.empty(n, dtype=np.int64)
    n_channel = n_product = 0
    for j in range(n):  # the three trials, and which items go where (kept by moving counts)
        cell = cust[j] * m + dims[j]
        f = firm[j]
        direct[j] = uniform_of(keys[0], cell) < direct_rate[f]
        relayed[j] = uniform_of(keys[1], cell) < relay_rate[f]
        channel_crosses = uniform_of(keys[2], cell) < relay_rate[f]
        to_product[j] = relayed[j] | (direct[j] & (channel_crosses | own_channel[f]))
        channel_items[n_channel] = j
        n_channel += direct[j] and not own_channel[f]
        product_items[n_product] = j
        n_product += to_product[j]
    every = np.arange(n)
    learnt = [
        absorb(
            beliefs, serving, segment, cust, dims, value, every, keys[3], absorption, employee_firm
        )
    ]  # the front line hears every item
    hearer = np.empty(n, dtype=np.int64)
    heard = (beliefs, segment, cust, dims, value, firm, absorption, employee_firm)
    if n_channel and channel[3]:
        learnt.append(_team_hears(heard, channel_items[:n_channel], keys[4:6], channel, hearer))
    if n_product and product[3]:
        learnt.append(_team_hears(heard, product_items[:n_product], keys[6:8], product, hearer))
    else:
        to_product[:] = False
    total = 0
    for part in learnt:
        total += len(part)
    out = np.empty(total, dtype=np.int64)
    k = 0
    for part in learnt:
        out[k : k + len(part)] = part
        k += len(part)
    return direct, to_product, relayed, out
