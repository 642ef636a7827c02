"""Build time and peak memory of one very large model (issue 14: 10,000,000 customers).

Each size is built in a fresh subprocess (``CKMModel(customers=N, prospects=0, rng=1,
collect=False)``, the default scenario otherwise: m = 30, community degree 6, market growth
0.003 over 120 periods, so 10,000,000 customers take 13.6 million slots), then runs
``--periods`` periods. Printed per size: build CPU seconds (``time.process_time``, the figure
to quote on a shared machine), build wall seconds, the 1-minute load average before and after
the build, peak resident memory (``VmHWM``) after the build and after the periods, the
memory estimate of ``ckm_sim.memory`` (before allocating, plus the process) and CPU seconds per
period. ``--profile`` prints the build's largest cProfile entries (CPU time) instead.

    .venv/bin/python benchmarks/bench_large.py [--customers 10000000] [--periods 2] [--profile]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, os, re, resource, time
from ckm_sim import CKMModel
from ckm_sim.memory import PROCESS_BYTES, scenario_bytes
from ckm_sim.model.scenario import Scenario
params = {params!r}
GiB = 2 ** 30
def peak():  # VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec)
    text = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", text).group(1)) * 1024 / GiB
load_before = os.getloadavg()[0]
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu, wall = time.process_time(), time.perf_counter()
model = CKMModel(rng=1, collect=False, **params)
build_cpu, build_wall = time.process_time() - cpu, time.perf_counter() - wall
built = resource.getrusage(resource.RUSAGE_SELF)
load_after = os.getloadavg()[0]
peak_build = peak()
periods = []
for _ in range({periods}):
    cpu = time.process_time()
    model.step()
    periods.append(time.process_time() - cpu)
flat = Scenario().with_overrides(**params).flat()
print(json.dumps({{
    "slots": len(model.state.slots["status"]),
    "build_cpu": build_cpu, "build_wall": build_wall,
    "build_user": built.ru_utime - usage.ru_utime, "build_sys": built.ru_stime - usage.ru_stime,
    "load": [load_before, load_after],
    "peak_build_gib": peak_build,
    "peak_gib": peak(),
    "estimate_gib": (scenario_bytes(flat) + PROCESS_BYTES) / GiB,
    "period_cpu": periods,
}}))
"""

PROFILE = """
import cProfile, pstats, time
from ckm_sim import CKMModel
profile = cProfile.Profile(time.process_time)  # CPU time: the machines are shared
profile.runcall(CKMModel, rng=1, collect=False, **{params!r})
pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
pstats.Stats(profile).sort_stats("tottime").print_stats(20)
"""


def measure(customers: int, periods: int) -> dict:
    """The figures of one size, from a fresh subprocess."""
    params = {"customers": customers, "prospects": 0}
    code = CHILD.format(params=params, periods=periods)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000_000])
    parser.add_argument("--periods", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="cProfile the build instead")
    args = parser.parse_args()
    for customers in args.customers:
        if args.profile:
            params = {"customers": customers, "prospects": 0}
            subprocess.run([sys.executable, "-c", PROFILE.format(params=params)], check=True)
            continue
        r = measure(customers, args.periods)
        per_period = ", ".join(f"{t:.1f}" for t in r["period_cpu"])
        print(
            f"{customers:,} customers ({r['slots']:,} slots): build {r['build_cpu']:.1f} s CPU, "
            f"(user {r['build_user']:.1f} + system {r['build_sys']:.1f}), "
            f"{r['build_wall']:.1f} s wall (load {r['load'][0]:.1f} -> {r['load'][1]:.1f}); "
            f"peak {r['peak_build_gib']:.2f} GiB built, {r['peak_gib']:.2f} GiB after "
            f"{args.periods} periods (estimate {r['estimate_gib']:.2f} GiB); "
            f"periods {per_period} s CPU"
        )


if __name__ == "__main__":
    main()
