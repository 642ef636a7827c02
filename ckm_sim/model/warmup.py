"""Compile the model's kernels once, at install time: ``python -m ckm_sim.model.warmup``.

The kernels (:mod:`ckm_sim.model.kernels`) are compiled by numba on first use and cached on
disk; the first model run after an install would otherwise spend 10-15 s compiling. The
Makefile's install step runs this module: two tiny models (one firm against the outside option,
and the shipped three-firm scenario) go through every stage, so the array types a run meets are
compiled and every later process loads them from the cache.
"""

from __future__ import annotations

import time


def warm_up() -> float:
    """Run the tiny models that compile every kernel; returns the seconds it took."""
    from ckm_sim.model.model import CKMModel

    start = time.perf_counter()
    CKMModel(customers=40, prospects=20, employees=10, rng=0, collect=True).run(4)
    CKMModel("it_arms_race", customers=60, prospects=30, rng=0, collect=True).run(4)
    return time.perf_counter() - start


def main() -> None:
    """Compile the kernels and say how long it took."""
    print(f"ckm-sim: model kernels compiled and cached ({warm_up():.1f} s)")


if __name__ == "__main__":
    main()
