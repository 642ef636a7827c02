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
        [--seeds 1 2 3 4 5 6 7 8] [--trials 30] [--fresh 32] [--workers 2] [--csv FILE]
    .venv/bin/python benchmarks/calibrate_overfitting.py --from-csv FILE
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.calibrate.fit import calibrate
from ckm_sim.whatif.calibrate.survival import SurvivalCurve, read_retention
from ckm_sim.whatif.shared.search import evaluation_seeds, replicate


def rmse(curve: np.ndarray, periods: np.ndarray, survival: np.ndarray) -> float:
    """RMSE of a survival curve against the observed shares at the observed periods."""
    return float(np.sqrt(np.mean((curve[periods] - survival) ** 2)))


HEADER = (
    "| replications | search RMSE | fresh RMSE, r seeds | overfitting | fresh RMSE, all "
    "| median fresh RMSE, all | spread of churn_floor | spread of competitor_pull |\n"
    "|---|---|---|---|---|---|---|---|"
)


def table_row(runs: pd.DataFrame) -> str:
    """One line of the table: the calibrations of one number of replications."""
    search, fresh_r = runs["search_rmse"].mean(), runs["fresh_rmse_r"].mean()
    fresh_all = runs["fresh_rmse_all"]
    spread = {p: runs[p].max() - runs[p].min() for p in ("churn_floor", "competitor_pull")}
    return (
        f"| {int(runs['replications'].iloc[0])} | {search:.4f} | {fresh_r:.4f} "
        f"| {fresh_r - search:+.4f} ({fresh_r / search - 1:+.0%}) | {fresh_all.mean():.4f} "
        f"| {fresh_all.median():.4f} | {spread['churn_floor']:.4f} "
        f"| {spread['competitor_pull']:.4f} |"
    )


def calibrate_once(
    scenario, observed, r: int, seed: int, trials: int, fresh: int, workers: int
) -> dict:
    """One calibration with ``r`` replications from search seed ``seed``: its search RMSE, its
    fresh RMSEs (sets of ``r`` fresh seeds; all fresh seeds) and the fitted values."""
    after = observed[observed["period"] > 0]  # period 0 always fits (calibrate leaves it out)
    periods, survival = after["period"].to_numpy(), after["survival"].to_numpy()
    curve = SurvivalCurve(int(observed["period"].max()))
    plan = RunPlan(replications=r, base_seed=seed, workers=workers)
    cal = calibrate(scenario, observed, plan, trials=trials, eval_replications=2)
    with plan.evaluator() as evaluator:
        (runs,) = replicate(
            evaluator, curve, [(scenario, cal.fitted)], evaluation_seeds(plan, fresh)
        )
    runs = np.array(runs)
    sets = [runs[i : i + r] for i in range(0, len(runs) - r + 1, r)]
    return {
        "replications": r,
        "seed": seed,
        "search_rmse": cal.search_rmse,
        "fresh_rmse_r": float(np.mean([rmse(s.mean(axis=0), periods, survival) for s in sets])),
        "fresh_rmse_all": rmse(runs.mean(axis=0), periods, survival),
    } | cal.fitted


def main() -> None:
    """Calibrate for every (replications, search seed) and print the table (or reprint it from
    a CSV an earlier run wrote)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5, 6, 7, 8])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--fresh", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--retention", default="data/retention_sample.csv")
    parser.add_argument("--csv", help="also write one row per calibration to this file")
    parser.add_argument("--from-csv", help="only print the table of a CSV written with --csv")
    args = parser.parse_args()
    if args.from_csv:
        frame = pd.read_csv(args.from_csv)
        print(HEADER)
        for _, runs in frame.groupby("replications", sort=True):
            print(table_row(runs))
        return
    scenario = load_scenario(args.scenario)
    observed = read_retention(args.retention)
    print(
        f"scenario {scenario.name}, {args.retention}, {args.trials} trials, "
        f"{args.fresh} fresh seeds, search seeds {args.seeds}"
    )
    print()
    print(HEADER)
    done: list[dict] = []
    for r in args.replications:
        started = time.perf_counter()
        for seed in args.seeds:
            done.append(
                calibrate_once(scenario, observed, r, seed, args.trials, args.fresh, args.workers)
            )
            if args.csv:
                pd.DataFrame(done).to_csv(args.csv, index=False)
        seconds = (time.perf_counter() - started) / len(args.seeds)
        frame = pd.DataFrame(done)
        print(f"{table_row(frame[frame['replications'] == r])} {seconds:.0f} s each", flush=True)


if __name__ == "__main__":
    main()
