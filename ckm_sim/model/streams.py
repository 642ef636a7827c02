"""Random number streams for common random numbers: one per mechanism, realigned every period.

Comparing two scenarios on the same seed only pays if their runs see the same random numbers
where they do the same thing. A single generator shared by every mechanism loses that at once:
a scenario with more cross-department ties, or more contacts, draws more numbers, and every
later draw shifts. So each mechanism ("stage") has its own counter-based Philox generator whose
key comes from the model's seed, and its counter is reset to the period at the start of each use:
the numbers a stage draws in period t depend only on (seed, stage, t), never on what other stages
or earlier periods drew.

Uniforms come from keys instead (:meth:`RandomStreams.key`, :mod:`ckm_sim.model.draws`): a
number per (stage, period, draw site, firm) and customer, so that a customer's number does not
depend on how many others drew, nor on the order of the draws within a stage. Generators remain
for the few draws numpy shapes (integers, normals, gammas, permutations, choices).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterator

import numpy as np

from ckm_sim.model import draws

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
        # the uniforms' keys (:meth:`key`) from the same seeded words
        self._bases = {s: int(k[0]) ^ (int(k[1]) << 1) for s, k in zip(stages, keys, strict=True)}
        # every site seen so far: its place in the prefixes, and the prefixes in that order
        self._sites: dict[tuple[str, str, int], int] = {}
        self._prefixes = np.empty(0, dtype=np.uint64)
        # the keys of one period, every known site's derived in one call when the period changes
        self._period: int | None = None
        self._keys = np.empty(0, dtype=np.uint64)

    def key(self, stage: str, period: int, site: str = "", firm: int = 0) -> np.uint64:
        """The key of ``stage``'s uniforms at draw ``site`` in ``period`` for ``firm``
        (:mod:`ckm_sim.model.draws`): distinct for every combination, and a function of the
        model's seed and these four only. A burn-in period (negative) has keys of its own."""
        if period != self._period:  # a new period: every site seen so far at once
            self._period = period
            self._keys = draws.period_keys(self._prefixes, period)
        j = self._sites.get((stage, site, firm))
        if j is None:  # a site not seen before: its prefix, and its key this period
            code = zlib.crc32(site.encode())  # stable across processes, unlike hash()
            mixed = draws.mix(draws.mix(self._bases[stage] + draws.GOLDEN * (firm + 1)) ^ code)
            j = self._sites[(stage, site, firm)] = len(self._prefixes)
            prefix = np.array([mixed], dtype=np.uint64)
            self._prefixes = np.concatenate([self._prefixes, prefix])
            self._keys = np.concatenate([self._keys, draws.period_keys(prefix, period)])
        return self._keys[j]

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
