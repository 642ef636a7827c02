"""Benchmark of the what-if commands' unit of work, on the shipped baseline (120 periods).

Prints seconds per model run (what compare, optimize and calibrate repeat), and the wall time
of a batch of 8 runs on 1 and on 2 worker processes (the one evaluator's pool, forkserver:
includes the workers' start-up),
so the cost of a command's defaults can be read off:

- compare, 2 scenarios x 10 replications: 20 runs;
- optimize, 20 trials x 2 replications + 7 points x 6 fresh replications: 82 runs;
- calibrate, 30 trials x 4 replications + 8 fresh: 128 runs (to the last observed period only).
"""

from __future__ import annotations

import time

from ckm_sim.experiments.evaluator import map_ordered, open_evaluator
from ckm_sim.model.runs import replication_seed, run_scenario
from ckm_sim.model.scenario import load_scenario


def _run(scenario, seed: int) -> float:
    return run_scenario(scenario, seed=seed).summary["net_value"]


def main() -> None:
    sc = load_scenario("baseline")
    start = time.perf_counter()
    _run(sc, 1)
    one = time.perf_counter() - start
    print(f"one baseline run (120 periods, 3,000 customers): {one:.2f} s")
    jobs = [(sc, replication_seed(0, r)) for r in range(8)]
    for workers in (1, 2):
        start = time.perf_counter()
        with open_evaluator(workers) as evaluator:
            map_ordered(evaluator, _run, jobs)
        print(f"8 runs on {workers} worker(s): {time.perf_counter() - start:.2f} s")
    for name, runs in (("compare", 20), ("optimize", 82), ("calibrate (36 periods)", 128)):
        scale = 0.3 if name.startswith("calibrate") else 1.0
        print(f"{name} defaults: about {runs * one * scale:.0f} s of runs on one worker")


if __name__ == "__main__":
    main()
