"""Random number streams for common random numbers: one per mechanism, realigned every period.

Comparing two scenarios on the same seed only pays if their runs see the same random numbers
where they do the same thing. A single generator shared by every mechanism loses that at once:
a scenario with more cross-department ties, or more contacts, draws more numbers, and every
later draw shifts. So each mechanism ("stage") has its own counter-based Philox generator whose
key comes from the model's seed, and its counter is reset to the period at the start of each use:
the numbers a stage draws in period t depend only on (seed, stage, t), never on what other stages
or earlier periods drew.
"""

from __future__ import annotations

import numpy as np

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
)


class RandomStreams:
    """One Philox generator per stage, keyed from ``rng``; ``at(stage, period)`` realigns it."""

    def __init__(self, rng: np.random.Generator, stages: tuple[str, ...] = STAGES) -> None:
        keys = rng.integers(0, 2**63, size=(len(stages), 2), dtype=np.uint64)
        self._bits = {
            stage: np.random.Philox(key=key) for stage, key in zip(stages, keys, strict=True)
        }
        self._generators = {stage: np.random.Generator(bits) for stage, bits in self._bits.items()}

    def at(self, stage: str, period: int) -> np.random.Generator:
        """The stage's generator, positioned at the start of ``period``'s numbers."""
        bits = self._bits[stage]
        state = bits.state
        state["state"]["counter"][:] = 0
        state["state"]["counter"][2] = period
        state["buffer_pos"] = 4
        state["has_uint32"] = 0
        bits.state = state
        return self._generators[stage]
