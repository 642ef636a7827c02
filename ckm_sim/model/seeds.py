"""Seeds: what a model is seeded with, following Mesa, and the seed it records.

Mesa's convention holds: ``rng=None`` means fresh entropy from the operating system, so
``batch_run(CKMModel, ..., rng=[None] * 5)`` (or ``iterations=5``) gives five different runs. One
rule is added: a model built without an ``rng`` argument takes its scenario's ``seed`` (a scenario
file's, or a ``seed=`` keyword), so a scenario with a seed repeats its run; a scenario without one
draws a fresh seed. Whichever way, the seed actually used is recorded (``CKMModel.seed`` and the
``seed`` column of ``summary()``), so every run can be repeated with ``rng=<that seed>``.
"""

from __future__ import annotations

import enum
import secrets
from typing import Any

import numpy as np

from ckm_sim.model.scenario import ScenarioError, whole_number

#: Generators Mesa takes as they are (their seed is not known, so none is recorded).
GENERATORS = (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)

#: Bits of a fresh seed: it fits a signed 64-bit column (parquet, pandas).
FRESH_SEED_BITS = 63


class FromScenario(enum.Enum):
    """The default of ``CKMModel(rng=...)``: the scenario's seed, or a fresh one if it has none."""

    SEED = "the scenario's seed"


FROM_SCENARIO = FromScenario.SEED


def fresh_seed() -> int:
    """A new seed from the operating system's entropy."""
    return secrets.randbits(FRESH_SEED_BITS)


def resolve_seed(rng: Any) -> int | None:
    """The seed a model runs on: ``rng`` as a whole number >= 0, a fresh seed for ``None``, and
    ``None`` for a numpy Generator, BitGenerator or SeedSequence (Mesa uses those as they are).

    A boolean, a string, a fraction or a negative number raises a one-line ScenarioError.
    """
    if rng is None:
        return fresh_seed()
    if isinstance(rng, GENERATORS):
        return None
    seed = whole_number(rng, "seed")
    if seed < 0:
        raise ScenarioError(f"seed must be >= 0, got {seed}")
    return seed
