"""Time each stage of CKMModel.step, and how much of it is compiled code (a profiling aid).

Walks the model's own pipeline (``model.stages``), so the names are those of docs/ODD.md 3.
For each stage it prints the wall time per period, the part spent inside compiled functions
(every numba dispatcher of the compiled modules, :data:`COMPILED`, timed around each call) and
the rest, Python and numpy between them, with the stage's three costliest compiled functions.
Counted periods only (the burn-in runs at the build); the first periods are a warm-up.

    .venv/bin/python benchmarks/stage_times.py              # the reference model
    .venv/bin/python benchmarks/stage_times.py --baseline   # the baseline's size (sweeps)
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from numba.core.registry import CPUDispatcher

from ckm_sim import CKMModel
from ckm_sim.model import choice, decisions, draws, kernels, routes, thinning
from ckm_sim.model.stages import Period, Stage

REFERENCE = {"customers": 10_000, "prospects": 5_000, "employees": 200}
COMPILED = (kernels, decisions, draws, choice, routes, thinning)


def _time_compiled(inside: dict[tuple[str, str], float], stage: list[str]) -> None:
    """Wrap every compiled function of :data:`COMPILED` that Python calls so its time adds to
    ``inside[(the stage running, function)]``. Stages call them as ``module.function``, so the
    wrap is seen; functions defined elsewhere and inlined helpers (called from compiled code
    only, which binds them when it compiles) are left alone."""
    for module in COMPILED:
        for name, function in list(vars(module).items()):
            if (
                isinstance(function, CPUDispatcher)
                and function.py_func.__module__ == module.__name__
                and function.targetoptions.get("inline") != "always"
            ):

                def timed(*args: Any, _f: Callable[..., Any] = function, _n: str = name) -> Any:
                    start = time.perf_counter()
                    out = _f(*args)
                    inside[(stage[0], _n)] += time.perf_counter() - start
                    return out

                setattr(module, name, timed)


def main(baseline: bool = False, periods: int = 120, warm_up: int = 5) -> None:
    params = {} if baseline else REFERENCE
    model = CKMModel(rng=1, collect=False, **params)
    model.run(warm_up)
    totals: dict[str, float] = defaultdict(float)
    inside: dict[tuple[str, str], float] = defaultdict(float)
    running = [""]
    _time_compiled(inside, running)

    def timed(name: str, stage: Stage) -> Stage:
        def run(world, period):  # type: ignore[no-untyped-def]
            running[0] = name
            start = time.perf_counter()
            record = stage(world, period)
            totals[name] += time.perf_counter() - start
            return record

        return run

    model.stages = [(name, timed(name, stage)) for name, stage in model.stages]
    for _ in range(periods):
        model.step()
    assert isinstance(model.period, Period)
    size = "the baseline's size" if baseline else f"the reference model {REFERENCE}"
    print(f"{size}: ms per counted period, mean of {periods} periods after {warm_up}")
    print(f"{'stage':12s} {'total':>7s} {'compiled':>9s} {'python':>7s}   costliest compiled")
    for name, total in totals.items():
        mine = sorted(((t, f) for (s, f), t in inside.items() if s == name), reverse=True)
        compiled = sum(t for t, _ in mine)
        top = ", ".join(f"{f} {t * 1000 / periods:.3f}" for t, f in mine[:3])
        print(
            f"{name:12s} {total * 1000 / periods:7.3f} {compiled * 1000 / periods:9.3f} "
            f"{(total - compiled) * 1000 / periods:7.3f}   {top}"
        )
    whole = sum(totals.values())
    compiled = sum(inside.values())
    print(
        f"{'period':12s} {whole * 1000 / periods:7.3f} {compiled * 1000 / periods:9.3f} "
        f"{(whole - compiled) * 1000 / periods:7.3f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", action="store_true", help="the baseline's size")
    parser.add_argument("--periods", type=int, default=120)
    main(**vars(parser.parse_args()))
