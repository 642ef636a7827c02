"""Benchmark of the sweep runner: overhead against calling the model directly, speed-up from 1 to
2 workers, and peak memory against the number of runs.

A sweep of ``--runs`` baseline runs (one design point, ``--runs`` replications, each its own
seed) is timed four ways: a plain loop over ``run_scenario`` (the model alone), ``run_sweep``
with one worker (in this process: the runner's own cost is the difference), with two worker
processes, and on a Dask LocalCluster of two worker processes (``--skip-dask`` leaves it out).
The runner's overhead is also read from inside the one-worker sweep: wall time minus the sum of
the runs' own durations (robust to other load on the machine). Peak memory (max RSS) is
measured in fresh subprocesses for sweeps of tiny runs of two sizes, ten times apart.

    .venv/bin/python benchmarks/bench_sweep.py [--runs 1000] [--periods 120] [--skip-memory]
        [--skip-dask]

Figures depend on the machine and its load; ``os.getloadavg()`` is printed beside them, and
two plain model loops run side by side (no runner) show the speed-up the machine allows at the
time: on a shared machine the sweep's speed-up is only meaningful against that figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXPERIMENT = """
name = "bench"
scenario = "baseline"
replications = {runs}
base_seed = 1
periods = {periods}
[fixed]
customers = {customers}
prospects = {prospects}
[factors.it_systems]
levels = [0.5]
[design]
method = "full_factorial"
"""


def experiment(runs: int, periods: int, customers: int = 2000, prospects: int = 1000):
    from ckm_sim.experiments.spec import parse_experiment_text

    text = EXPERIMENT.format(runs=runs, periods=periods, customers=customers, prospects=prospects)
    return parse_experiment_text(text)


def direct(runs: int, periods: int) -> float:
    from ckm_sim.model.runs import replication_seed, run_scenario

    base = experiment(runs, periods).base_scenario().with_overrides(it_systems=0.5)
    start = time.perf_counter()
    for r in range(runs):
        run_scenario(base, seed=replication_seed(1, r))
    return time.perf_counter() - start


def sweep(
    runs: int, periods: int, workers: int, out: Path, dask_local: bool = False
) -> tuple[float, float]:
    """Wall time of a sweep and the sum of its runs' own durations (``dask_local``: on a Dask
    LocalCluster of ``workers`` worker processes instead of the process pool)."""
    from ckm_sim.experiments.runner import run_sweep
    from ckm_sim.experiments.store import ResultsStore

    start = time.perf_counter()
    result = run_sweep(
        experiment(runs, periods), out, workers=workers, dask_local=dask_local, progress=False
    )
    wall = time.perf_counter() - start
    assert result.complete and result.failed == 0
    return wall, float(ResultsStore(result.root).read_runs(["duration"])["duration"].sum())


MEMORY_CODE = """
import json, resource, sys, tempfile, time
sys.path.insert(0, {bench!r})
from bench_sweep import experiment
from ckm_sim.experiments.runner import run_sweep
exp = experiment({runs}, 2, customers=100, prospects=20)
with tempfile.TemporaryDirectory() as out:
    t = time.perf_counter()
    run_sweep(exp, out, workers=1, progress=False, flush_rows=200)
    print(json.dumps({{"seconds": time.perf_counter() - t,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


DIRECT_CODE = """
import sys
sys.path.insert(0, {bench!r})
from bench_sweep import direct
direct({runs}, {periods})
"""


def two_plain_loops(runs: int, periods: int) -> float:
    """Wall time of two independent model loops of runs/2 each, side by side (no runner)."""
    code = DIRECT_CODE.format(bench=str(Path(__file__).parent), runs=runs // 2, periods=periods)
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - start


def peak_memory(runs: int) -> dict:
    code = MEMORY_CODE.format(bench=str(Path(__file__).parent), runs=runs)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=120)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument(
        "--skip-dask", action="store_true", help="no Dask LocalCluster run (needs the dask extra)"
    )
    args = parser.parse_args()
    print(f"{args.runs} baseline runs of {args.periods} periods; cpus {os.cpu_count()}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        t_direct = direct(args.runs, args.periods)
        print(f"model alone (loop over run_scenario): {t_direct:8.1f} s")
        t1, inside = sweep(args.runs, args.periods, 1, Path(tmp) / "w1")
        print(f"sweep, 1 worker (this process):       {t1:8.1f} s")
        t2, _ = sweep(args.runs, args.periods, 2, Path(tmp) / "w2")
        print(f"sweep, 2 worker processes:            {t2:8.1f} s")
        t_dask = None
        if not args.skip_dask:
            t_dask, _ = sweep(args.runs, args.periods, 2, Path(tmp) / "dask", dask_local=True)
            print(f"sweep, Dask LocalCluster, 2 workers:  {t_dask:8.1f} s (cluster start included)")
        t_pair = two_plain_loops(args.runs, args.periods)
        print(f"two plain model loops side by side:   {t_pair:8.1f} s (machine check, no runner)")
    print(f"runner overhead vs the model alone:    {100 * (t1 - t_direct) / t_direct:+.1f} %")
    print(f"runner overhead inside the sweep:      {100 * (t1 - inside) / inside:+.1f} %")
    print(f"speed-up 1 -> 2 workers:               {t1 / t2:.2f}x")
    if t_dask is not None:
        print(f"speed-up 1 -> Dask, 2 workers:         {t1 / t_dask:.2f}x")
    print(f"speed-up the machine allows now:       {t_direct / t_pair:.2f}x (two plain loops)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not args.skip_memory:
        for runs in (1000, 10_000):
            m = peak_memory(runs)
            print(f"peak memory, {runs:6d} tiny runs: {m['peak_mb']:.0f} MB ({m['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
