"""Benchmark of one model run: customer-steps per second and peak memory.

Reference scenario (issue 2): 10,000 customers (plus 5,000 prospects, the baseline's 2:1 ratio),
200 employees, m = 30 need dimensions, 120 periods, the baseline's competence levels. A
customer-step is one customer agent (prospects included: they are in every array the model
updates) advanced by one period; with the open market (docs/ODD.md 7.3) the market grows, so
the figure is also given per customer-step actually simulated (the customers in the market each
period, arrivals included) and per active customer-step (the customers who were customers at the
start of each period: most of the work is theirs, and the open market keeps more of them).
Each figure is the best of ``--repeats`` runs in this process
(build included). Peak memory is measured in a fresh subprocess for a 100,000-customer run.

Three firms (issue 11, docs/ODD.md 7.6): 30,000 customers (plus 15,000 prospects) over three
firms of 200 employees each (competence 0.4, 0.5 and 0.6 on all five dimensions, so their rates
differ), m = 30, 120 periods, timed alternately with the single-firm reference in the same
process; its cost per customer-step is reported as a ratio to the single firm's. Peak memory of
1,000,000 customers (plus 500,000 prospects) over three firms is measured in a subprocess over
3 periods, beside ``ckm_sim.memory.competition_bytes``'s estimate.

Mesa's own example (issue 14): ``BoltzmannWealth`` from ``mesa.examples`` (1,000 agents on a
20 x 20 grid, 50 steps, as shipped: its DataCollector and DataRecorder on), timed alternately
with the reference run (DataCollector off) in the same process, best of ``--repeats`` each in
CPU time (``time.process_time``: the machines are shared); the ratio of their agent-steps per
second is the figure to quote, since both move together when the machine is loaded.

Compiled kernels (``ckm_sim/model/kernels.py``, numba): the start of a fresh process that imports
the model and runs a small model for 2 periods, with an empty kernel cache (every kernel
compiled) and with the cache that run wrote (kernels loaded), in subprocesses.

    .venv/bin/python benchmarks/bench_model.py [--repeats 5] [--skip-memory] [--skip-jit]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

REFERENCE = {"customers": 10_000, "prospects": 5_000, "employees": 200, "need_dimensions": 30}
LARGE = {"customers": 100_000, "prospects": 50_000, "employees": 200, "need_dimensions": 30}
PERIODS = 120
THREE_FIRMS = {"customers": 30_000, "prospects": 15_000, "employees": 200, "need_dimensions": 30}
MILLION = {"customers": 1_000_000, "prospects": 500_000, "employees": 200, "need_dimensions": 30}
LEVELS = (0.4, 0.5, 0.6)


def three_firms(params: dict):
    """The scenario of three firms over a market of ``params``."""
    from ckm_sim.model.scenario import DIMENSIONS, Scenario, validate_scenario

    data = Scenario().with_overrides(**params).model_dump()
    data["firms"] = [
        {"name": f"firm_{i + 1}", **dict.fromkeys(DIMENSIONS, level)}
        for i, level in enumerate(LEVELS)
    ]
    return validate_scenario(data)


def time_run(
    params: dict, collect: bool, seed: int, firms: bool = False
) -> tuple[float, float, int, int]:
    """(build seconds, total seconds, customer-steps simulated, active customer-steps)."""
    from ckm_sim import CKMModel

    start = time.perf_counter()
    if firms:
        model = CKMModel(three_firms(params), rng=seed, collect=collect)
    else:
        model = CKMModel(rng=seed, collect=collect, **params)
    built = time.perf_counter()
    steps = 0
    for _ in range(PERIODS):
        model.step()
        steps += len(model.state.status)
    active = int(model.state.counters["customer_periods"])
    return built - start, time.perf_counter() - start, steps, active


def peak_memory_mb(params: dict) -> dict:
    code = (
        "import json, resource, time\n"
        "from ckm_sim import CKMModel\n"
        "t = time.perf_counter()\n"
        f"m = CKMModel(rng=1, collect=True, **{params!r}).run({PERIODS})\n"
        "print(json.dumps({'seconds': time.perf_counter() - t,"
        " 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def million_memory() -> dict:
    """Peak memory of 1,000,000 customers over three firms, 3 periods, in a fresh process."""
    code = (
        "import json, resource, sys, time\n"
        "sys.path.insert(0, 'benchmarks')\n"
        "from bench_model import three_firms, MILLION\n"
        "from ckm_sim import CKMModel\n"
        "from ckm_sim.memory import competition_bytes\n"
        "sc = three_firms(MILLION)\n"
        "t = time.perf_counter()\n"
        "m = CKMModel(sc, rng=1, collect=True).run(3)\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'estimate_mb': "
        "competition_bytes(sc) / 2**20,"
        " 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


START = (
    "import json, time\n"
    "t = time.perf_counter()\n"
    "from ckm_sim import CKMModel\n"
    "imported = time.perf_counter()\n"
    "CKMModel(rng=1, collect=False, customers=200, prospects=100, employees=20).run(2)\n"
    "print(json.dumps({'import': imported - t, 'first_run': time.perf_counter() - imported}))\n"
)


def jit_start() -> None:
    """A fresh process's import and first small run: kernels compiled, then loaded from cache."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("empty kernel cache (compiled)", "kernel cache written (loaded)"):
            out = subprocess.run(
                [sys.executable, "-c", START], capture_output=True, text=True, check=True, env=env
            )
            t = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"fresh process, {label}: import {t['import']:.2f} s, first model built and run "
                f"for 2 periods {t['first_run']:.2f} s"
            )


def compare_three_firms(repeats: int) -> None:
    """The three-firm reference run against the single-firm one, alternately, same process."""
    single_agents = REFERENCE["customers"] + REFERENCE["prospects"]
    three_agents = THREE_FIRMS["customers"] + THREE_FIRMS["prospects"]
    single, three = [], []
    for seed in range(repeats):
        single.append(time_run(REFERENCE, False, seed)[1])
        three.append(time_run(THREE_FIRMS, False, seed, firms=True)[1])
    per_single = min(single) / (single_agents * PERIODS) * 1e6
    per_three = min(three) / (three_agents * PERIODS) * 1e6
    print(
        f"three firms: {THREE_FIRMS} per firm employees, {PERIODS} periods, DataCollector off: "
        f"best run {min(three):.3f} s; {per_three:.3f} us per customer-step against "
        f"{per_single:.3f} us for the single firm (best {min(single):.3f} s): "
        f"ratio {per_three / per_single:.2f}"
    )


BOLTZMANN = {"n": 1_000, "width": 20, "height": 20}
BOLTZMANN_STEPS = 50


def time_boltzmann(seed: int) -> float:
    """CPU seconds of Mesa's BoltzmannWealth example (``BOLTZMANN``), build included."""
    from mesa.examples.basic.boltzmann_wealth_model.model import (
        BoltzmannScenario,
        BoltzmannWealth,
    )

    start = time.process_time()
    model = BoltzmannWealth(BoltzmannScenario(rng=seed, **BOLTZMANN))
    for _ in range(BOLTZMANN_STEPS):
        model.step()
    return time.process_time() - start


def time_reference_cpu(seed: int) -> float:
    """CPU seconds of the reference run (DataCollector off), build included."""
    start = time.process_time()
    time_run(REFERENCE, False, seed)
    return time.process_time() - start


def compare_boltzmann(repeats: int) -> None:
    """Customer-steps per CPU second of the reference run against Mesa's BoltzmannWealth
    agent-steps, timed alternately in this process (best of ``repeats`` each)."""
    reference, boltzmann = [], []
    for seed in range(repeats):
        reference.append(time_reference_cpu(seed))
        boltzmann.append(time_boltzmann(seed))
    ours = (REFERENCE["customers"] + REFERENCE["prospects"]) * PERIODS / min(reference)
    mesa_rate = BOLTZMANN["n"] * BOLTZMANN_STEPS / min(boltzmann)
    print(
        f"against Mesa's BoltzmannWealth ({BOLTZMANN}, {BOLTZMANN_STEPS} steps), CPU time, "
        f"alternately, best of {repeats}: reference {min(reference):.3f} s = "
        f"{ours / 1e6:.2f} M customer-steps/s; BoltzmannWealth {min(boltzmann):.3f} s = "
        f"{mesa_rate / 1e6:.3f} M agent-steps/s; ratio {ours / mesa_rate:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-firms", action="store_true", help="no three-firm figures")
    parser.add_argument("--skip-mesa", action="store_true", help="no BoltzmannWealth figures")
    parser.add_argument("--skip-jit", action="store_true", help="no kernel compile/load figures")
    args = parser.parse_args()
    if not args.skip_jit:
        jit_start()
    if not args.skip_mesa:
        compare_boltzmann(args.repeats)
    agents = REFERENCE["customers"] + REFERENCE["prospects"]
    print(f"reference: {REFERENCE}, {PERIODS} periods, one process (one core)")
    for collect in (False, True):
        runs = [time_run(REFERENCE, collect, seed) for seed in range(args.repeats)]
        build, total = min(r[0] for r in runs), min(r[1] for r in runs)
        simulated, active = runs[0][2], runs[0][3]
        label = "DataCollector on " if collect else "DataCollector off"
        print(
            f"  {label}: best run {total:.3f} s (build {build * 1000:.0f} ms); "
            f"{agents * PERIODS / total / 1e6:.2f} M customer-steps/s over {agents:,} customer "
            f"agents ({REFERENCE['customers'] * PERIODS / total / 1e6:.2f} M counting only the "
            f"{REFERENCE['customers']:,} initial customers; {simulated / total / 1e6:.2f} M per "
            f"customer-step simulated, arrivals included: {simulated:,} in all; "
            f"{active / total / 1e6:.2f} M per active customer-step: {active:,})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process: {peak:.0f} MB")
    if not args.skip_memory:
        large = peak_memory_mb(LARGE)
        print(
            f"large: {LARGE}: {large['seconds']:.1f} s, peak memory {large['peak_mb']:.0f} MB "
            "(whole Python process, DataCollector on)"
        )
    if not args.skip_firms:
        compare_three_firms(args.repeats)
        if not args.skip_memory:
            big = million_memory()
            print(
                f"three firms, {MILLION}: 3 periods {big['seconds']:.1f} s, peak memory "
                f"{big['peak_mb']:.0f} MB (estimate {big['estimate_mb']:.0f} MB + process)"
            )


if __name__ == "__main__":
    main()
