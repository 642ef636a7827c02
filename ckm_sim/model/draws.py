"""Counter-based uniforms: each number a function of (stream key, index), drawn in numba.

A run's uniform for customer ``i`` in stage ``s``, period ``t`` and draw site ``d`` is
``u(key(s, t, d, firm), i)``, whatever else the run draws and in whichever order: two scenarios
that differ in one lever see the same number for every (stage, period, site, customer) the lever
does not touch, and a kernel may compute a number where it uses it instead of reading an array,
with the same result. The key comes from :meth:`ckm_sim.model.streams.RandomStreams.key`.

``u(key, i)`` is the ``i``-th output of SplitMix64 (Steele, Lea & Flood 2014) started at
``key``: the state ``key + (i + 1) * GOLDEN`` through the finaliser :func:`mix64`, its top 53
bits as a double in [0, 1). SplitMix64 passes BigCrush and is what numpy itself uses to expand
seeds; one number costs about a nanosecond (numpy's Philox about six).

``tests/test_draws.py`` checks it against an independent pure-Python SplitMix64.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

#: SplitMix64's increment: 2**64 / the golden ratio, odd.
GOLDEN = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1
_GOLDEN = np.uint64(GOLDEN)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def mix(z: int) -> int:
    """SplitMix64's finaliser on a Python int (64 bits), for deriving keys."""
    z &= _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


@njit(cache=True, nogil=True, inline="always")
def mix64(z: Any) -> Any:  # pragma: no cover - compiled
    """SplitMix64's finaliser (Stafford's variant 13) on a uint64."""
    z = (z ^ (z >> np.uint64(30))) * _C1
    z = (z ^ (z >> np.uint64(27))) * _C2
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True)
def period_key(prefix: Any, period: int) -> Any:  # pragma: no cover - compiled
    """``mix(prefix + GOLDEN * (period mod 2**32))`` on uint64s: :func:`mix`'s arithmetic
    without Python's big integers, for :meth:`~ckm_sim.model.streams.RandomStreams.key`."""
    return mix64(prefix + _GOLDEN * np.uint64(period & 0xFFFFFFFF))


@njit(cache=True, nogil=True)
def period_keys(prefixes: Any, period: int) -> Any:  # pragma: no cover - compiled
    """:func:`period_key` of every prefix of ``prefixes`` (uint64) in one call."""
    out = np.empty(len(prefixes), dtype=np.uint64)
    step = _GOLDEN * np.uint64(period & 0xFFFFFFFF)
    for j in range(len(prefixes)):
        out[j] = mix64(prefixes[j] + step)
    return out


@njit(cache=True, nogil=True, inline="always")
def uniform_of(key: Any, i: Any) -> float:  # pragma: no cover - compiled
    """``u(key, i)``: for kernels that draw where they use a number."""
    z = mix64(key + (np.uint64(i) + np.uint64(1)) * _GOLDEN)
    return float(z >> np.uint64(11)) * _UNIT


@njit(cache=True, nogil=True)
def _fill(key: Any, n: int) -> Any:  # pragma: no cover - compiled
    out = np.empty(n, dtype=np.float64)
    z = key
    for i in range(n):
        z += _GOLDEN
        out[i] = float(mix64(z) >> np.uint64(11)) * _UNIT
    return out


@njit(cache=True, nogil=True)
def _gather(key: Any, index: Any) -> Any:  # pragma: no cover - compiled
    out = np.empty(len(index), dtype=np.float64)
    for j in range(len(index)):
        out[j] = uniform_of(key, index[j])
    return out


def uniform(key: np.uint64, size: int | tuple[int, ...]) -> np.ndarray:
    """``u(key, i)`` for ``i`` in ``0 .. n - 1`` (``n`` the size), in the shape ``size``: a
    number per customer slot, employee or (flat) cell."""
    n = size if isinstance(size, int) else int(np.prod(size))
    out = _fill(key, n)
    return out if isinstance(size, int) else out.reshape(size)


def key_from(rng: np.random.Generator) -> np.uint64:
    """A key drawn from ``rng`` (its next 64 bits): for code that holds a realigned generator
    (:meth:`~ckm_sim.model.streams.RandomStreams.at`) and draws a large array of uniforms."""
    return np.uint64(rng.bit_generator.random_raw())


def uniform_at(key: np.uint64, index: np.ndarray) -> np.ndarray:
    """``u(key, index[j])`` for each ``j``: the numbers of the customers (or cells) ``index``
    only, each the one it would have in :func:`uniform`."""
    return _gather(key, np.asarray(index, dtype=np.int64))


@njit(cache=True, nogil=True)
def _below(key: Any, index: Any, threshold: Any) -> Any:  # pragma: no cover - compiled
    out = np.empty(len(index), dtype=np.bool_)
    single = len(threshold) == 1
    for j in range(len(index)):
        out[j] = uniform_of(key, index[j]) < (threshold[0] if single else threshold[j])
    return out


def below(key: np.uint64, index: np.ndarray, threshold: float | np.ndarray) -> np.ndarray:
    """``uniform_at(key, index) < threshold`` (one threshold for all, or one per element) in
    one pass: the mask of the Bernoulli trials of the customers (or cells) ``index``."""
    rates = np.asarray(threshold, dtype=np.float64).reshape(-1)
    return _below(key, np.asarray(index, dtype=np.int64), rates)


@njit(cache=True, nogil=True, inline="always")
def _gap(key: Any, j: int, scale: float) -> float:  # pragma: no cover - compiled
    """The ``j``-th geometric gap by inversion of the ``j``-th uniform, taken in (0, 1]
    (``1 - u(key, j)``): P(gap = g) = (1 - p)**(g - 1) p, ``scale`` = 1 / log(1 - p)."""
    return float(np.floor(np.log(1.0 - uniform_of(key, j)) * scale) + 1.0)


@njit(cache=True, nogil=True)
def _positions(key: Any, n: int, p: float) -> Any:  # pragma: no cover - compiled
    scale = 1.0 / np.log1p(-p)
    out = np.empty(int(n * p + 6.0 * np.sqrt(n * p) + 16), dtype=np.int64)
    k, position = 0, -1
    for j in range(n):  # at most n successes
        gap = _gap(key, j, scale)
        if gap >= n - position:  # past the end (in float: a gap may exceed any integer)
            break
        position += int(gap)
        if k == len(out):
            out = np.concatenate((out, np.empty(len(out), dtype=np.int64)))
        out[k] = position
        k += 1
    return out[:k]


#: Positions drawn at a time by :func:`gap_block` (a block that stays in the L1 cache).
_BLOCK = 256


@njit(cache=True, nogil=True, inline="always")
def gap_block(key: Any, scale: float, n: int, j: int, position: int, block: Any) -> Any:
    """The next positions of :func:`bernoulli_positions` (``scale = 1 / log1p(-p)``; the
    ``j``-th gap on, after ``position``) into ``block`` as far as it holds them: (how many,
    the next ``j``, the last position, whether more follow). The gaps' arithmetic runs
    without a branch that a mask decides; callers keep and use the positions after it."""
    k = 0
    while k < len(block):
        gap = _gap(key, j, scale)
        j += 1
        if gap >= n - position or j > n:  # past the end (in float: a gap may exceed any integer)
            return k, j, position, False
        position += int(gap)
        block[k] = position
        k += 1
    return k, j, position, True


@njit(cache=True, nogil=True, inline="always")
def active_cells(block: Any, k: int, active: Any, m: int) -> int:
    """Move to the front of ``block`` its first ``k`` (customer x ``m``) cells whose customer
    is ``active``, in order, and return how many: every cell written, the count moved by the
    mask (no jump on it)."""
    kept = 0
    for q in range(k):
        cell = block[q]
        block[kept] = cell
        kept += active[cell // m]
    return kept


@njit(cache=True, nogil=True)
def _write_positions(
    key: Any, p: float, flat: Any, active: Any, m: int, value: bool
) -> Any:  # pragma: no cover - compiled
    n = len(flat)
    scale = 1.0 / np.log1p(-p)
    written, customers, position, last = 0, 0, -1, -1
    block = np.empty(_BLOCK, dtype=np.int64)
    j, more = 0, True
    while more:  # a block of positions, then the active customers' cells are kept and written
        k, j, position, more = gap_block(key, scale, n, j, position, block)
        kept = active_cells(block, k, active, m)
        for q in range(kept):
            cell = block[q]
            flat[cell] = value
            customer = cell // m
            customers += customer != last
            last = customer
        written += kept
    return written, customers


def write_bernoulli(
    key: np.uint64, p: float, flat: np.ndarray, active: np.ndarray, m: int, value: bool
) -> tuple[int, int]:
    """Set to ``value`` the cells of :func:`bernoulli_positions` over the flat (customer x
    ``m`` dimensions) cells ``flat`` that belong to active customers (``active[cell // m]``),
    in one pass that keeps no positions; returns (cells set, customers they belong to)."""
    if len(flat) == 0 or p <= 0:
        return 0, 0
    if p >= 1:
        cells = np.flatnonzero(np.repeat(active[: len(flat) // m], m))
        flat[cells] = value
        return len(cells), int(np.count_nonzero(active[: len(flat) // m]))
    written, customers = _write_positions(key, p, flat, active, m, value)
    return int(written), int(customers)


def bernoulli_positions(key: np.uint64, n: int, p: float) -> np.ndarray:
    """Indices of the successes among ``n`` independent Bernoulli(``p``) trials, in order.

    In O(n p) work: the gaps between successes are geometric, the ``j``-th gap drawn by
    inversion from ``u(key, j)``, so the cost follows the number of successes rather than
    ``n`` (forgetting and broadcast touch a few per cent of the customers x dimensions cells
    each period).
    """
    if n <= 0 or p <= 0:
        return np.empty(0, dtype=np.int64)
    if p >= 1:
        return np.arange(n, dtype=np.int64)
    return _positions(key, n, p)
