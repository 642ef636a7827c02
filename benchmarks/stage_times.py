"""Time each stage of CKMModel.step, and how much of it is compiled code (a profiling aid).

Walks the model's own pipeline (``model.stages``), so the names are those of docs/ODD.md 3.
For each stage it prints the wall time per period, the part spent inside compiled functions
(every numba dispatcher of the compiled modules, :data:`COMPILED`, timed around each call) and
the rest, Python and numpy between them, with the stage's three costliest compiled functions.
Counted periods only (the burn-in runs at the build); the first periods are a warm-up.

``--whole-run`` times whole runs instead (the build, the burn-in and every period, as a sweep
runs them): their wall time and the part inside compiled functions. That part is a floor no
batching of the Python between the kernels can go under (a batch axis over runs shares the
calls, not the work per customer inside them), so it bounds the runs a second a sweep can reach
with these kernels.

    .venv/bin/python benchmarks/stage_times.py              # the reference model
    .venv/bin/python benchmarks/stage_times.py --baseline   # the baseline's size (sweeps)
    .venv/bin/python benchmarks/stage_times.py --baseline --whole-run
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


def _time_compiled(
    inside: dict[tuple[str, str], float], stage: list[str], calls: list[int] | None = None
) -> None:
    """Wrap every compiled function of :data:`COMPILED` that Python calls so its time adds to
    ``inside[(the stage running, function)]``. Stages call them as ``module.function``, so the
    wrap is seen; functions defined elsewhere and inlined helpers (called from compiled code
    only, which binds them when it compiles) are left alone. ``calls[0]`` counts the calls."""
    count = [0] if calls is None else calls
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
                    count[0] += 1
                    return out

                setattr(module, name, timed)


def whole_runs(params: dict[str, Any], runs: int) -> None:
    """Print the mean wall time of ``runs`` whole runs (seeds 1..runs) and the part inside
    compiled functions: the floor a run cannot go under with these kernels."""
    CKMModel(rng=0, collect=False, **params).run()  # loads the kernels
    inside: dict[tuple[str, str], float] = defaultdict(float)
    calls = [0]
    _time_compiled(inside, ["run"], calls)
    start = time.perf_counter()
    for seed in range(1, runs + 1):
        CKMModel(rng=seed, collect=False, **params).run()
    wall = (time.perf_counter() - start) / runs
    compiled = sum(inside.values()) / runs
    print(
        f"whole run (build, burn-in, periods), mean of {runs}: {wall * 1000:.1f} ms, "
        f"{compiled * 1000:.1f} ms of it compiled ({compiled / wall:.0%}): at most "
        f"{1 / compiled:.1f} runs/s a core with these kernels, {1 / wall:.1f} now; "
        f"{calls[0] / runs:,.0f} compiled calls a run"
    )
    costliest = sorted(((t, f) for (_, f), t in inside.items()), reverse=True)[:8]
    print(
        "costliest compiled, ms a run: "
        + ", ".join(f"{f} {t * 1000 / runs:.1f}" for t, f in costliest)
    )


def main(baseline: bool = False, periods: int = 120, warm_up: int = 5, whole_run: int = 0) -> None:
    params = {} if baseline else REFERENCE
    if whole_run:
        whole_runs(params, whole_run)
        return
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
    parser.add_argument(
        "--whole-run",
        type=int,
        nargs="?",
        const=20,
        default=0,
        metavar="RUNS",
        help="time RUNS whole runs (20 if no number) and their compiled floor",
    )
    main(**vars(parser.parse_args()))
