"""Figure ``reference_speed``: docs/performance.md's reference run against commit b8e51f5 (the
model before issue 21's burn-in), interleaved, with and without the burn-in
(``benchmarks/bench_against.py``: 7 rounds of fresh processes, best of 3 runs
each); what the burn-in's periods cost; and the share of the run spent drawing random numbers
(``benchmarks/draw_share.py``). About 3 minutes, plus a compile of the commit's kernels."""

from __future__ import annotations

import datetime
import os

import blocks  # docs/figures/blocks.py: on the path when make.py runs a figure

from ckm_sim.model.scenario import Scenario

DOC = "docs/performance.md"
#: The model before issue 21's changes (the burn-in among them): the speed to keep.
COMMIT = "b8e51f5"
ROUNDS, REPEATS = 7, 3


def block() -> str:
    """The table, when and under what load it was measured, the burn-in's cost, the draws'."""
    bench = blocks.benchmark("bench_against")
    load = os.getloadavg()[0]
    timings = bench.against(COMMIT, ROUNDS, REPEATS)
    draws = blocks.benchmark("draw_share").best(REPEATS)
    day = datetime.date.today().isoformat()
    agents = bench.REFERENCE["customers"] + bench.REFERENCE["prospects"]
    return (
        f"Measured on {day} with `benchmarks/bench_against.py {COMMIT}` ({ROUNDS} rounds, best "
        f"of {REPEATS} runs a process; {os.cpu_count()} cores, load {load:.1f} at the start). "
        f"A customer-step is one of the {agents:,} "
        f"customer agents advanced by one counted period; burn-in periods are not counted.\n\n"
        + bench.table(timings)
        + "\n\n"
        + _burn_in(timings[1].seconds, timings[2].seconds, bench.PERIODS)
        + f" Drawing random numbers outside the kernels takes {draws.drawing:.2f} s of this "
        f"tree's run ({draws.drawing / draws.seconds:.0%}; `benchmarks/draw_share.py`; the "
        "numbers kernels compute where they test them are not counted)."
    )


def _burn_in(with_it: float, without: float, counted_periods: int) -> str:
    """What the burn-in's periods cost, against a counted period (the build counted in it)."""
    periods = Scenario().market.burn_in
    cost = with_it - without
    return (
        f"The {periods} burn-in periods take {cost:.2f} s ({cost / with_it:.0%} of the run): "
        f"{cost / periods * 1000:.1f} ms a period against {without / counted_periods * 1000:.1f} "
        f"ms a counted period (the build included)."
    )
