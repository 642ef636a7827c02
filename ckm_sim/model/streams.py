"""Random number streams for common random numbers: one per mechanism, realigned every period.

Comparing two scenarios on the same seed only pays if their runs see the same random numbers
where they do the same thing. A single generator shared by every mechanism loses that at once:
a scenario with more cross-department ties, or more contacts, draws more numbers, and every
later draw shifts. So each mechanism ("stage") has its own counter-based Philox generator whose
key comes from the model's seed, and its counter is reset to the period at the start of each use:
the numbers a stage draws in period t depend only on (seed, stage, t), never on what other stages
or earlier periods drew. Stages draw large arrays of uniforms through
:func:`ckm_sim.model.philox.random`: the same numbers, computed in numba.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from ckm_sim.model import kernels

STAGES: tuple[str, ...] = (
    "ties",
    "community",
    "customers",
    "firm",
    "turbulence",
    "about",
    "from",
    "peers",
    "code",
    "analytics",
    "socialise",
    "turnover",
    "offer",
    "for",
    "churn",
    "acquisition",
    "traits",
    "arrivals",
    "winback",
    # appended (stages keep their keys when new ones come last)
    "sharing",
    "appraisal",
    # competition (docs/ODD.md 7.6): which firm a prospect or a leaver chooses, and what a
    # customer who switches brings to its new firm
    "choice",
    "switching",
)


class RandomStreams:
    """One Philox generator per stage, keyed from ``rng``; ``at(stage, period)`` realigns it."""

    def __init__(self, rng: np.random.Generator, stages: tuple[str, ...] = STAGES) -> None:
        keys = rng.integers(0, 2**63, size=(len(stages), 2), dtype=np.uint64)
        self._bits = {
            stage: np.random.Philox(key=key) for stage, key in zip(stages, keys, strict=True)
        }
        self._generators = {stage: np.random.Generator(bits) for stage, bits in self._bits.items()}
        # each stage's state, read once: realigning rewrites its counter (reading ``state``
        # builds a new dict of new arrays, which costs more than the rewrite)
        self._states = {stage: bits.state for stage, bits in self._bits.items()}

    def at(self, stage: str, period: int, firm: int = 0) -> np.random.Generator:
        """The stage's generator, positioned at the start of ``period``'s numbers.

        ``firm`` selects one firm's own numbers for the stages a firm draws for itself (its
        learning, its offer, its ties): the counter's top word, so firm 0 draws what a single
        firm always drew and other firms' numbers never overlap them.
        """
        state = self._states[stage]
        counter = state["state"]["counter"]
        counter[:] = 0
        if period < 0:  # a period of the burn-in before period 1 (docs/ODD.md 5): own numbers
            counter[1] = 1
            period = -period
        counter[2] = period
        counter[3] = firm
        state["buffer_pos"] = 4
        state["has_uint32"] = 0
        self._bits[stage].state = state
        return self._generators[stage]


#: Below this success probability numpy's ``Generator.geometric`` draws by inversion of a
#: standard exponential (``ceil(-E / log1p(-p))``); at and above it, by search.
GEOMETRIC_INVERSION_BELOW = 0.333333333333333333333333


def geometric_gaps(p: float, size: int, rng: np.random.Generator) -> np.ndarray:
    """``rng.geometric(p, size)`` as float64: the same numbers, drawn the same way.

    Below :data:`GEOMETRIC_INVERSION_BELOW` numpy inverts one standard exponential per draw, one
    call at a time; filling the exponentials in one call and inverting them vectorised takes the
    same numbers from the generator and gives the same gaps (exact whole numbers below 2**53),
    in about two thirds of the time.
    """
    if p < GEOMETRIC_INVERSION_BELOW:
        return np.ceil(rng.standard_exponential(size) / -np.log1p(-p))
    return rng.geometric(p, size=size).astype(np.float64)


def bernoulli_positions(n: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of the successes among ``n`` independent Bernoulli(``p``) trials, in order.

    Exact, and in O(n p) work: the gaps between successes are geometric, so the cost follows the
    number of successes rather than ``n`` (forgetting and broadcast touch a few per cent of the
    customers x dimensions cells each period). Positions are summed in float64, exact while
    below 2**53; a gap past the end leaves every later position past it too (sums of positive
    numbers only grow), so no gap needs capping.
    """
    if n <= 0 or p <= 0:
        return np.empty(0, dtype=np.int64)
    if p >= 1:
        return np.arange(n, dtype=np.int64)
    expected = n * p
    size = int(expected + 6.0 * np.sqrt(expected) + 16)
    invert = p < GEOMETRIC_INVERSION_BELOW  # as geometric_gaps: inverted exponentials
    scale = float(-np.log1p(-p)) if invert else 1.0
    parts, last = [], -1.0
    with np.errstate(over="ignore"):  # a sum past the float range is inf: past the end too
        while last < n - 1:  # more than once only when the draw fell short of the end
            draws = rng.standard_exponential(size) if invert else rng.geometric(p, size=size)
            found, last = kernels.bernoulli_cut(
                draws.astype(np.float64, copy=False), scale, invert, last, n
            )
            parts.append(found)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


#: Bit generators whose ``random()`` is ``(next 64 bits >> 11) * 2**-53``, the bits that
#: ``random_raw`` returns: such a uniform is below ``p`` exactly when its 53 bits are below
#: ``ceil(p * 2**53)``, an integer test on the same numbers (no conversion to float).
RAW_DOUBLES: tuple[type[np.random.BitGenerator], ...] = (
    np.random.Philox,
    np.random.PCG64,
    np.random.PCG64DXSM,
    np.random.SFC64,
)


def uniform_blocks(
    rng: np.random.Generator, shape: tuple[int, int], p: float, chunk: int = 1 << 20
) -> Iterator[tuple[slice, np.ndarray]]:
    """``rng.random(shape) < p`` a block of rows at a time: ``(rows, mask of those rows)``.

    About ``chunk`` uniforms per block: the generator draws them in the same order, so the
    blocks are those of a single call's mask, with no temporary of the whole shape (millions of
    customers x need dimensions). A block's mask is only valid until the next block is drawn.
    """
    rows, cols = shape
    step = max(1, chunk // max(cols, 1))
    mask = np.empty((min(step, rows), cols), dtype=bool)
    below = _below(rng, p)
    for start in range(0, rows, step):
        stop = min(rows, start + step)
        yield slice(start, stop), below(mask[: stop - start])


def uniform_below(
    rng: np.random.Generator,
    shape: tuple[int, int],
    p: float,
    chunk: int = 1 << 20,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """``rng.random(shape) < p`` without the float64 temporary of the whole shape (into
    ``out`` if given), drawn a block of about ``chunk`` uniforms at a time."""
    out = np.empty(shape, dtype=bool) if out is None else out
    rows, cols = shape
    step = max(1, chunk // max(cols, 1))
    below = _below(rng, p)
    for start in range(0, rows, step):
        below(out[start : start + step])
    return out


def _below(rng: np.random.Generator, p: float) -> Callable[[np.ndarray], np.ndarray]:
    """A function filling a boolean array with ``rng.random(its shape) < p`` (and returning it)."""
    if type(rng.bit_generator) in RAW_DOUBLES and 0.0 < p < 1.0:
        threshold = np.uint64(math.ceil(math.ldexp(p, 53)))

        def raw(out: np.ndarray) -> np.ndarray:
            bits = rng.bit_generator.random_raw(out.size).reshape(out.shape)
            bits >>= np.uint64(11)
            return np.less(bits, threshold, out=out)

        return raw
    return lambda out: np.less(rng.random(out.shape), p, out=out)
