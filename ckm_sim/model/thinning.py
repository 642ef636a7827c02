"""Several firms' Bernoulli cells: drawn at the largest firm rate, thinned to each firm's own.

With several firms, flow FOR's broadcast and tailored messages reach each customer's cells at
its firm's rate. The cells are drawn as one firm's would be (:func:`draws.bernoulli_positions`
at the largest rate ``top``: the geometric gaps of the counter-based stream) and each drawn cell
is kept with probability ``rates[firm] / top``: kept when the next number of the stage's
realigned generator ``u`` has ``u * top < rates[firm]``, the numbers taken in cell order. The
kernels here walk the gaps, draw the thinning numbers from the generator itself (numba shares
its state, so the generator moves on exactly as ``rng.random(n)`` would have moved it) and use
each cell where it is drawn: no array of positions, of uniforms, or of the active customers'
cells, what ``stages/for_customers.py`` built before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from ckm_sim.model.choice import thin_teach_cells
from ckm_sim.model.draws import _BLOCK, active_cells, gap_block


@njit(cache=True, nogil=True)
def broadcast(
    key: Any,
    top: float,
    flat: Any,
    active: Any,
    m: int,
    rng: Any,
    rates: Any,
    firm_of: Any,
    n_firms: int,
    thin: bool,
) -> Any:  # pragma: no cover - compiled
    """Set understood in ``flat`` (customer x ``m`` dimensions) the cells of
    ``bernoulli_positions(key, len(flat), top)`` (``0 < top < 1``) of the active customers,
    each kept (``thin``) when ``rng.random() * top < rates[max(firm, 0)]``, one number per
    active customer's drawn cell, in order; without ``thin`` all are kept and nothing drawn.
    Returns what ``cells_of`` then ``choice.thin_and_teach`` (or ``choice.teach``) returned:
    cells kept, (F,) lessons and (F,) customers taught per firm, customers taught. A kept
    customer of no firm is an error."""
    n = len(flat)
    scale = 1.0 / np.log1p(-top)
    lessons = np.zeros(n_firms, dtype=np.int64)
    taught = np.zeros(n_firms, dtype=np.int64)
    kept, total, last = 0, 0, -1
    bad = False
    block = np.empty(_BLOCK, dtype=np.int64)
    u = np.zeros(_BLOCK)  # 0: kept, without thinning
    position, j, more = -1, 0, True
    while more:  # a block of positions, the active customers' cells, their numbers, then each
        k, j, position, more = gap_block(key, scale, n, j, position, block)
        cells = active_cells(block, k, active, m)
        if thin:
            for q in range(cells):
                u[q] = rng.random()
        kept, total, last, bad = thin_teach_cells(
            block, cells, m, u, top, rates, firm_of, flat, lessons, taught, kept, total, last, bad
        )
    if bad:
        raise ValueError("a taught customer belongs to no firm")
    return kept, lessons, taught, total


@njit(cache=True, nogil=True)
def thinned_positions(
    key: Any, n: int, top: float, rows: Any, m: int, rng: Any, rates: Any, firm_of: Any
) -> Any:  # pragma: no cover - compiled
    """``bernoulli_positions(key, n, top)`` (``0 < top < 1``) over the flat (row x ``m``
    dimensions) cells of customers ``rows``, each kept when ``rng.random() * top <
    rates[max(firm_of[rows[cell // m]], 0)]``, one number per drawn cell, in order: what
    ``choice.thinned`` of the positions and ``rng.random(len(positions))`` gave."""
    scale = 1.0 / np.log1p(-top)
    out = np.empty(int(n * top + 6.0 * np.sqrt(n * top) + 16), dtype=np.int64)
    block = np.empty(_BLOCK, dtype=np.int64)
    u = np.empty(_BLOCK)
    kept, position, j, more = 0, -1, 0, True
    while more:
        k, j, position, more = gap_block(key, scale, n, j, position, block)
        for q in range(k):
            u[q] = rng.random()
        if kept + k > len(out):
            out = np.concatenate((out[:kept], np.empty(len(out) + k, dtype=np.int64)))
        for q in range(k):
            cell = block[q]
            out[kept] = cell  # written always, kept by the count
            kept += u[q] * top < rates[max(firm_of[rows[cell // m]], 0)]
    return out[:kept]
