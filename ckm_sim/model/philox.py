"""numpy's Philox generator in numba: the same uniforms at about half numpy's cost.

The model's streams (:mod:`ckm_sim.model.streams`) are numpy ``Philox`` generators, a
counter-based generator: its ``j``-th 64-bit output is one word of the Philox4x64-10 block of
counter ``(c0 + j // 4, c1, c2, c3)`` under the stream's key, whatever was drawn before. A
compiled loop computes the blocks with one machine multiply per 64-bit product (numpy calls
its generator through a function pointer for every number), bit for bit what
``Generator.random`` returns (``(word >> 11) * 2**-53``).

:func:`random` is ``rng.random(n)``, and leaves ``rng`` where numpy would, so later draws from
it are unchanged. Below :data:`SMALL` numbers, and for generators other than Philox, it is
numpy's own call (reading and writing the generator's state costs about 10 microseconds).

``tests/test_philox.py`` checks it against numpy's generator.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.extending import intrinsic

_M0 = np.uint64(0xD2E7470EE14C6C93)
_M1 = np.uint64(0xCA5A826395121157)
_W0 = np.uint64(0x9E3779B97F4A7C15)
_W1 = np.uint64(0xBB67AE8584CAA73B)
_UNIT = 1.0 / 9007199254740992.0  # 2**-53

#: Below this many numbers :func:`random` is numpy's own call (cheaper than the state's round
#: trip).
SMALL = 4096


def _mulhilo_ir(typingctx: Any, a: Any, b: Any) -> Any:  # pragma: no cover - compiled
    """(low, high) 64-bit words of the 128-bit product ``a * b`` (one machine multiply)."""
    pair = types.UniTuple(types.uint64, 2)  # type: ignore[no-untyped-call]
    signature = pair(types.uint64, types.uint64)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        wide = ir.IntType(128)
        product = builder.mul(builder.zext(args[0], wide), builder.zext(args[1], wide))
        low = builder.trunc(product, ir.IntType(64))
        high = builder.trunc(builder.lshr(product, ir.Constant(wide, 64)), ir.IntType(64))
        return context.make_tuple(builder, sig.return_type, [low, high])

    return signature, codegen


#: ``_mulhilo(a, b)`` in compiled code: the (low, high) words of ``a * b``.
_mulhilo: Any = intrinsic(_mulhilo_ir)


@njit(cache=True, nogil=True)
def block(k0: Any, k1: Any, c0: Any, c1: Any, c2: Any, c3: Any) -> Any:  # pragma: no cover
    """The four 64-bit outputs of Philox4x64-10 for counter ``(c0, c1, c2, c3)`` and key
    ``(k0, k1)``, as numpy's ``Philox`` computes them."""
    x0, x1, x2, x3 = c0, c1, c2, c3
    for _ in range(10):
        lo0, hi0 = _mulhilo(_M0, x0)
        lo1, hi1 = _mulhilo(_M1, x2)
        x0, x1, x2, x3 = hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0
        k0 += _W0
        k1 += _W1
    return x0, x1, x2, x3


@njit(cache=True, nogil=True)
def _fill(words: Any, n: int) -> Any:  # pragma: no cover
    """The ``n`` uniforms reserved at ``words``, in order."""
    start = np.int64(words[5])
    lane = start % 4  # the first block's outputs before it were drawn already
    out = np.empty(n + lane, dtype=np.float64)
    first = int(start // 4 + 1)
    _blocks(words[0], words[1], first, words[2], words[3], words[4], int(n + lane), out)
    return out[lane:]


@njit(cache=True, nogil=True)
def _blocks(
    key0: Any, key1: Any, first: int, c1: Any, c2: Any, c3: Any, n: int, out: Any
) -> None:  # pragma: no cover
    """The first ``n`` uniforms of the blocks from counter word 0 = ``first`` into ``out``.

    The rounds are :func:`block`'s, written out: called, they take half as long again here (as
    do the stores without their range tests)."""
    for b in range((n + 3) // 4):
        x0, x1, x2, x3 = np.uint64(first + b), c1, c2, c3
        k0, k1 = key0, key1
        for _ in range(10):
            lo0, hi0 = _mulhilo(_M0, x0)
            lo1, hi1 = _mulhilo(_M1, x2)
            x0, x1, x2, x3 = hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0
            k0 += _W0
            k1 += _W1
        j = 4 * b
        if j < n:
            out[j] = np.float64(x0 >> np.uint64(11)) * _UNIT
        if j + 1 < n:
            out[j + 1] = np.float64(x1 >> np.uint64(11)) * _UNIT
        if j + 2 < n:
            out[j + 2] = np.float64(x2 >> np.uint64(11)) * _UNIT
        if j + 3 < n:
            out[j + 3] = np.float64(x3 >> np.uint64(11)) * _UNIT


def _reserve(rng: np.random.Generator, n: int) -> np.ndarray:
    """Advance the Philox generator ``rng`` past ``n`` uniforms, as ``rng.random(n)`` would,
    and return where they start: key (2 words), counter words 1-3, and the position of the
    first (64-bit outputs counted from counter word 0 = 0)."""
    bits = rng.bit_generator
    state = dict(bits.state)
    inner = state["state"]
    counter, key = inner["counter"], inner["key"]
    start = 4 * int(counter[0]) + int(state["buffer_pos"]) - 4
    words = np.array([key[0], key[1], counter[1], counter[2], counter[3], start], dtype=np.uint64)
    if n > 0:
        end = start + n
        c0 = (end + 3) // 4  # the block of the last output drawn, as numpy leaves it buffered
        state["buffer"] = np.array(
            block(key[0], key[1], np.uint64(c0), counter[1], counter[2], counter[3]),
            dtype=np.uint64,
        )
        counter[0] = c0
        state["buffer_pos"] = end - 4 * (c0 - 1)
        bits.state = state
    return words


def random(rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
    """``rng.random(size)``: the same numbers, and ``rng`` left where numpy leaves it; computed
    in numba for a Philox generator."""
    n = size if isinstance(size, int) else math.prod(size)
    if n < SMALL or type(rng.bit_generator) is not np.random.Philox:
        return rng.random(size)
    out = _fill(_reserve(rng, n), n)
    return out if isinstance(size, int) else out.reshape(size)
