"""How much of the reference run is drawing random numbers (a profiling aid).

Times every draw of a reference run (``bench_model.py``'s: 10,000 customers + 5,000 prospects,
200 employees, m = 30, 120 periods, the burn-in included): numpy's calls on the stages'
generators, the counter-based uniforms of :mod:`ckm_sim.model.draws` (and deriving their keys),
and the realignment of a stage's generator (:meth:`~ckm_sim.model.streams.RandomStreams.at`).
CPU time, the run with the smallest total of ``--repeats``; the timers add a little to what
they time. Numbers a kernel computes where it tests them (``draws.uniform_of`` inside
``ckm_sim/model/kernels.py``: contact, sharing, churn, community talk, win-back, absorbing) are
part of the kernel's time and not counted here.

    .venv/bin/python benchmarks/draw_share.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ckm_sim import CKMModel
from ckm_sim.model import draws
from ckm_sim.model.streams import RandomStreams

REFERENCE = {"customers": 10_000, "prospects": 5_000, "employees": 200, "need_dimensions": 30}
PERIODS = 120


@dataclass
class Share:
    """A run's CPU seconds, and the seconds and numbers drawn by each kind of draw."""

    seconds: float
    draws: dict[str, float]
    numbers: dict[str, int]

    @property
    def drawing(self) -> float:
        return sum(self.draws.values())


class _Timed:
    """A generator whose every call adds its CPU time to ``seconds[method]``."""

    def __init__(self, rng: np.random.Generator, seconds: dict, numbers: dict) -> None:
        self._rng, self._seconds, self._numbers = rng, seconds, numbers

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._rng, name)
        if not callable(attribute):
            return attribute

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            out = attribute(*args, **kwargs)
            self._seconds[f"numpy {name}"] += time.process_time() - start
            self._numbers[f"numpy {name}"] += int(np.size(out))
            return out

        return timed


#: The counter-based draws of :mod:`ckm_sim.model.draws` the stages call.
COUNTER_BASED = ("uniform", "uniform_at", "bernoulli_positions")


def measure() -> Share:
    """One reference run with every draw timed."""
    seconds: dict[str, float] = defaultdict(float)
    numbers: dict[str, int] = defaultdict(int)
    at, key = RandomStreams.at, RandomStreams.key
    originals = {name: getattr(draws, name) for name in COUNTER_BASED}

    def timed_at(self: RandomStreams, stage: str, period: int, firm: int = 0) -> Any:
        start = time.process_time()
        rng = at(self, stage, period, firm)
        seconds["realigning a stage's generator"] += time.process_time() - start
        return _Timed(rng, seconds, numbers)

    def timed_key(self: RandomStreams, *args: Any, **kwargs: Any) -> np.uint64:
        start = time.process_time()
        out = key(self, *args, **kwargs)
        seconds["deriving a key"] += time.process_time() - start
        return out

    def timed(name: str) -> Callable[..., np.ndarray]:
        def draw(*args: Any) -> np.ndarray:
            start = time.process_time()
            out = originals[name](*args)
            seconds[f"draws.{name}"] += time.process_time() - start
            numbers[f"draws.{name}"] += out.size
            return out

        return draw

    RandomStreams.at = timed_at  # type: ignore[method-assign]
    RandomStreams.key = timed_key  # type: ignore[method-assign]
    for name in COUNTER_BASED:
        setattr(draws, name, timed(name))
    try:
        start = time.process_time()
        model = CKMModel(rng=1, collect=False, **REFERENCE)
        for _ in range(PERIODS):
            model.step()
        total = time.process_time() - start
    finally:
        RandomStreams.at, RandomStreams.key = at, key  # type: ignore[method-assign]
        for name, original in originals.items():
            setattr(draws, name, original)
    return Share(total, dict(seconds), dict(numbers))


def best(repeats: int, run: Callable[[], Share] = measure) -> Share:
    """The run with the smallest total of ``repeats`` (after a small warm-up run)."""
    CKMModel(rng=1, collect=False, customers=200, prospects=100, employees=20).run(2)
    return min((run() for _ in range(repeats)), key=lambda s: s.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    share = best(parser.parse_args().repeats)
    print(
        f"reference run {share.seconds:.3f} s of CPU time; drawing {share.drawing:.3f} s "
        f"({share.drawing / share.seconds:.0%})"
    )
    for kind, seconds in sorted(share.draws.items(), key=lambda kv: -kv[1]):
        count = share.numbers.get(kind, 0)
        print(f"  {kind:32s} {seconds * 1000:7.1f} ms  {count / 1e6:6.2f} M numbers")


if __name__ == "__main__":
    main()
