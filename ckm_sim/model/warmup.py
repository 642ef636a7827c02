"""Compile the model's kernels once, at install time: ``python -m ckm_sim.model.warmup``.

The kernels (:mod:`ckm_sim.model.kernels`, :mod:`~ckm_sim.model.draws`,
:mod:`~ckm_sim.model.choice`) are compiled by numba on first use and cached on disk; the first
model run after an install would otherwise spend 10-15 s compiling. The Makefile's install step
runs this module: two tiny models (one firm against the outside option, and the shipped
three-firm scenario) go through every stage, so the array types a run meets are compiled and
every later process loads them from the cache. An installation that skipped it (a wheel)
compiles on its first run: :func:`announce_compile` says so before the command starts.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TextIO

#: What ckm-sim says before a run that will compile the kernels.
COMPILING = (
    "ckm-sim: compiling the model's kernels for this installation (once, about 20 s; "
    "`python -m ckm_sim.model.warmup` does it ahead)"
)


def cache_places() -> list[Path]:
    """Where numba may keep the kernels' cache: beside ``kernels.py``, ``NUMBA_CACHE_DIR``, and
    the user's cache folder (for an installation numba cannot write to)."""
    places = [Path(__file__).with_name("__pycache__"), Path.home() / ".cache" / "numba"]
    if os.environ.get("NUMBA_CACHE_DIR"):
        places.append(Path(os.environ["NUMBA_CACHE_DIR"]))
    return places


#: The modules whose compiled functions numba caches (their index files: ``<module>.*.nbi``).
COMPILED_MODULES: tuple[str, ...] = (
    "kernels",
    "decisions",
    "draws",
    "choice",
    "routes",
    "thinning",
)


def kernels_cached() -> bool:
    """Whether numba's cache holds the model's compiled kernels (every compiled module's index
    files)."""
    places = [place for place in cache_places() if place.is_dir()]
    return all(
        any(next(place.rglob(f"{module}.*.nbi"), None) is not None for place in places)
        for module in COMPILED_MODULES
    )


def announce_compile(stream: TextIO | None = None) -> bool:
    """Say :data:`COMPILING` when the kernels are not cached (before a command that runs the
    model); True if it was said."""
    if kernels_cached():
        return False
    print(COMPILING, file=stream or sys.stderr, flush=True)
    return True


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
