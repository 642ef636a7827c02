"""Rows of boolean (customer x need dimension) masks packed into bits, counted by popcount.

The model counts, every period, how many need dimensions of each customer a mask holds (the
offer fits, the profile is right, the customer understands...). Counting a packed row is one
``np.bitwise_count`` per 32 dimensions instead of one addition per dimension, and the masks'
intersections become bitwise ANDs of a few words per customer.

A packed array has shape ``(rows, ceil(m / 32))``, dtype uint32: bit ``j`` of word ``c`` is
dimension ``32 c + j`` of the row; bits past ``m`` are 0.
"""

from __future__ import annotations

import numpy as np

WORD = 32


def words(m: int) -> int:
    """Number of 32-bit words a packed row of ``m`` dimensions takes."""
    return -(-m // WORD)


def pack_rows(mask: np.ndarray) -> np.ndarray:
    """Pack a 2-D boolean array's rows into bits: shape ``(rows, words(m))``, dtype uint32.

    The whole array is packed as one bit string (``np.packbits``, fast on one long run), then
    each row's 32-bit chunks are read back through strided 64-bit windows: rows start every
    ``m`` bits, so every ``g = 8 / gcd(m, 8)`` rows the pattern of byte offsets repeats.
    """
    rows, m = mask.shape
    n_words = words(m)
    out = np.zeros((rows, n_words), dtype=np.uint32)
    if rows == 0 or m == 0:
        return out
    flat = np.ascontiguousarray(mask, dtype=np.bool_).reshape(-1)
    packed = np.zeros(len(flat) // 8 + 16, dtype=np.uint8)  # 8 spare bytes for the windows
    packed[: -(-len(flat) // 8)] = np.packbits(flat, bitorder="little")
    group = 8 // np.gcd(m, 8)  # rows per repeat of the byte pattern
    stride = m * group // 8  # bytes per repeat
    shifted = np.empty(-(-rows // group), dtype=np.uint64)
    for r in range(min(group, rows)):
        count = -(-(rows - r) // group)
        for c in range(n_words):
            bit = m * r + WORD * c
            window = np.ndarray(
                (count,), dtype="<u8", buffer=packed, offset=bit // 8, strides=(stride,)
            )
            # the low 32 bits of the shifted window are the chunk (assignment truncates)
            out[r::group, c] = np.right_shift(window, np.uint64(bit % 8), out=shifted[:count])
    tail = m - WORD * (n_words - 1)  # dimensions in the last word
    if tail < WORD:
        out[:, -1] &= np.uint32((1 << tail) - 1)
    return out


def valid(m: int) -> np.ndarray:
    """The words of a packed row with all ``m`` dimensions set (AND it after a NOT)."""
    full = np.full(words(m), 0xFFFFFFFF, dtype=np.uint32)
    if m % WORD:
        full[-1] = (1 << (m % WORD)) - 1
    return full


def count_rows(packed: np.ndarray) -> np.ndarray:
    """Set bits of each packed row (the mask's row counts), dtype uint8 below 256 dimensions."""
    counts = np.bitwise_count(packed)
    if packed.shape[1] == 1:
        return counts[:, 0]
    return counts.sum(axis=1, dtype=np.uint16 if packed.shape[1] < 2048 else np.int64)
