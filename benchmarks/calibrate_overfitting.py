"""How much does ``ckm-sim calibrate`` overfit its search seeds, and how does it shrink with
replications? The study behind calibrate's default ``--replications``.

Every trial of a calibration is scored on the same ``replications`` search seeds (common random
numbers), so the search can pick the values that happen to suit those seeds' luck: the best
trial's RMSE on the search seeds (``search``) is optimistic. Re-simulating the fitted values on
fresh seeds (``fresh``, ``--eval-replications`` of them, disjoint from the search's) gives the
honest figure; ``fresh - search`` is the overfitting. For each number of replications and each
search seed (which changes the sampler and the search seeds) the script calibrates the sample
cohort (data/retention_sample.csv, the default parameters churn_floor and competitor_pull) and
prints, per number of replications, the means over search seeds and the spread of the fitted
values between them.

    .venv/bin/python benchmarks/calibrate_overfitting.py [--replications 1 2 4 8 16]
        [--seeds 1 2 3 4 5] [--trials 30] [--eval-replications 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.calibrate import calibrate
from ckm_sim.whatif.survival import read_retention


def main() -> None:
    """Calibrate for every (replications, search seed) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--eval-replications", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--retention", default="data/retention_sample.csv")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    observed = read_retention(args.retention)
    print(
        f"scenario {scenario.name}, {args.retention}, {args.trials} trials, fresh RMSE on "
        f"{args.eval_replications} fresh seeds, search seeds {args.seeds}"
    )
    print()
    print(
        "| replications | search RMSE | fresh RMSE | overfitting (fresh - search) "
        "| fresh / search | spread of churn_floor | spread of competitor_pull "
        "| runs per calibration | seconds per calibration |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in args.replications:
        rows, started = [], time.perf_counter()
        for seed in args.seeds:
            plan = RunPlan(replications=r, base_seed=seed, workers=args.workers)
            cal = calibrate(
                scenario,
                observed,
                plan,
                trials=args.trials,
                eval_replications=args.eval_replications,
            )
            rows.append((cal.search_rmse, cal.rmse, *cal.fitted.values()))
        seconds = (time.perf_counter() - started) / len(args.seeds)
        a = np.array(rows)
        search, fresh = a[:, 0].mean(), a[:, 1].mean()
        spread = a[:, 2:].max(axis=0) - a[:, 2:].min(axis=0)
        print(
            f"| {r} | {search:.4f} | {fresh:.4f} | {fresh - search:+.4f} | {fresh / search:.2f} "
            f"| {spread[0]:.4f} | {spread[1]:.4f} | {args.trials * r + args.eval_replications} "
            f"| {seconds:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
