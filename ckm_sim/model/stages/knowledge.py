"""What the flows FROM and ABOUT share: customers reveal needs, employees absorb them.

A revealed item is one (customer, need dimension, value) triple; an employee who hears it
adopts it into its belief about the customer's segment with probability ``absorption``
(docs/ODD.md 7.2). Flow FROM's routes absorb through the same kernel
(:mod:`ckm_sim.model.routes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import kernels
from ckm_sim.model.stages.base import Tally

if TYPE_CHECKING:
    from ckm_sim.model.world import World


def reveal(
    world: World, who: np.ndarray, dims_each: int, key: np.uint64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Needs that customers ``who`` reveal: (customer, dimension, value) per item.

    Each customer reveals ``dims_each`` distinct dimensions: a cyclic window from a random
    start (the customer's uniform under ``key``). Need dimensions are exchangeable, so each one
    is revealed with the same chance.
    """
    m = world.state.needs.shape[1]
    dims_each = min(dims_each, m)
    if len(who) == 0 or dims_each == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.int8)
    return kernels.reveal(np.asarray(who, dtype=np.int64), key, dims_each, world.state.needs)


def absorb(
    world: World,
    employee: np.ndarray,
    cust: np.ndarray,
    dims: np.ndarray,
    value: np.ndarray,
    key: np.uint64,
    tally: Tally | None = None,
    flow: str = "",
    items: np.ndarray | None = None,
) -> int:
    """Employees learn revealed needs with probability ``absorption``; returns how many
    (and, with several firms, adds them to each firm's ``flow`` count in ``tally``).

    ``items``: the indices of the revealed items offered (all by default); ``employee``
    holds the hearer of every item (:func:`kernels.absorb`). Each item's uniform under ``key``
    is its (customer, dimension) cell's."""
    s = world.state
    if items is None:
        items = np.arange(len(cust))
    rates = world.rates["absorption"]
    learnt = kernels.absorb(
        s.beliefs, employee, s.segment, cust, dims, value, items, key, rates, s.employee_firm
    )
    if tally is not None:
        tally.by_customers(flow, s.firm_of, cust, learnt)
    return len(learnt)


def cells(world: World, cust: np.ndarray, dims: np.ndarray) -> np.ndarray:
    """The flat (customer, need dimension) cells of items: the index of their uniforms, so
    that an item's number is its cell's, whichever other items were revealed."""
    return cust * world.state.needs.shape[1] + dims
