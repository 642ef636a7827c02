"""How much does ``ckm-sim calibrate`` overfit its search seeds, and how does it shrink with
replications? The study behind calibrate's default ``--replications``.

Every trial of a calibration is scored on the same ``r`` search seeds (common random numbers),
so the search can pick values that suit those seeds' luck: the best trial's RMSE on its search
seeds (``search``) is optimistic. To see by how much, the fitted values are re-simulated on
``--fresh`` fresh seeds (disjoint from the search's), split into sets of ``r``: the mean RMSE
of those sets' mean curves (``fresh, r seeds``) has the same replication noise as ``search``
and differs from it only by the search's selection, so ``fresh, r seeds - search`` is the
overfitting. ``fresh, all`` is the RMSE of the mean of all fresh runs: the fit quality itself.
For each ``r`` and each search seed (which changes the sampler and the search seeds) the script
calibrates the sample cohort (data/retention_sample.csv, the default parameters churn_floor
and competitor_pull) and prints, per ``r``, the means over search seeds and the spread of the
fitted values between them.

    .venv/bin/python benchmarks/calibrate_overfitting.py [--replications 1 2 4 8 16]
        [--seeds 1 2 3 4] [--trials 30] [--fresh 32] [--workers 2] [--csv FILE]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.calibrate import calibrate
from ckm_sim.whatif.search import evaluation_seeds, replicate
from ckm_sim.whatif.survival import SurvivalCurve, read_retention


def rmse(curve: np.ndarray, periods: np.ndarray, survival: np.ndarray) -> float:
    """RMSE of a survival curve against the observed shares at the observed periods."""
    return float(np.sqrt(np.mean((curve[periods] - survival) ** 2)))


def main() -> None:
    """Calibrate for every (replications, search seed) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--fresh", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--retention", default="data/retention_sample.csv")
    parser.add_argument("--csv", help="also write one row per calibration to this file")
    args = parser.parse_args()
    per_run = []
    scenario = load_scenario(args.scenario)
    observed = read_retention(args.retention)
    after = observed[observed["period"] > 0]  # period 0 always fits (calibrate leaves it out)
    periods, survival = after["period"].to_numpy(), after["survival"].to_numpy()
    curve = SurvivalCurve(int(observed["period"].max()))
    print(
        f"scenario {scenario.name}, {args.retention}, {args.trials} trials, "
        f"{args.fresh} fresh seeds, search seeds {args.seeds}"
    )
    print()
    print(
        "| replications | search RMSE | fresh RMSE, r seeds | overfitting | fresh RMSE, all "
        "| spread of churn_floor | spread of competitor_pull | seconds per calibration |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in args.replications:
        rows, started = [], time.perf_counter()
        for seed in args.seeds:
            plan = RunPlan(replications=r, base_seed=seed, workers=args.workers)
            cal = calibrate(scenario, observed, plan, trials=args.trials, eval_replications=2)
            with plan.evaluator() as evaluator:
                (runs,) = replicate(
                    evaluator, curve, [(scenario, cal.fitted)], evaluation_seeds(plan, args.fresh)
                )
            runs = np.array(runs)
            sets = [runs[i : i + r] for i in range(0, len(runs) - r + 1, r)]
            fresh_r = np.mean([rmse(s.mean(axis=0), periods, survival) for s in sets])
            fresh_all = rmse(runs.mean(axis=0), periods, survival)
            rows.append((cal.search_rmse, fresh_r, fresh_all, *cal.fitted.values()))
            per_run.append({"replications": r, "seed": seed, "search_rmse": cal.search_rmse})
            per_run[-1] |= {"fresh_rmse_r": fresh_r, "fresh_rmse_all": fresh_all} | cal.fitted
            if args.csv:
                pd.DataFrame(per_run).to_csv(args.csv, index=False)
        seconds = (time.perf_counter() - started) / len(args.seeds)
        a = np.array(rows)
        search, fresh_r, fresh_all = a[:, 0].mean(), a[:, 1].mean(), a[:, 2].mean()
        spread = a[:, 3:].max(axis=0) - a[:, 3:].min(axis=0)
        print(
            f"| {r} | {search:.4f} | {fresh_r:.4f} | {fresh_r - search:+.4f} "
            f"({fresh_r / search - 1:+.0%}) | {fresh_all:.4f} | {spread[0]:.4f} "
            f"| {spread[1]:.4f} | {seconds:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
