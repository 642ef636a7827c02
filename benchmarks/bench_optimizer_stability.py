"""Stability of ``ckm-sim optimize``: the same budget split from different search seeds?

For each budget and each search seed, runs the optimiser (its defaults, or those given) on a
scenario and records the best split's shares, the verdict and the time. The table gives, per
budget, the mean shares over search seeds, the largest spread of any share between two search
seeds (the stability figure: the optimiser's answer holds when it is within the tolerance), how
many runs the verdict called converged, and the warnings. Search seeds change the sampler and
the trial seeds (the base seed of the replications); the evaluation seeds follow them.

    .venv/bin/python benchmarks/bench_optimizer_stability.py [--budgets 1000 4000 10000]
        [--seeds 1 2 3] [--periods 120] [--trials 20] [--restarts 3] [--polish 4]
        [--replications 2] [--eval-replications 8] [--workers 2] [--scenario baseline]

The full grid (budgets 1,000-10,000 in steps of 1,000, five seeds, defaults) is about 50
optimiser runs of ~1 minute on 2 workers; docs/whatif.md shows a reduced one and says which.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import DIMENSIONS, load_scenario
from ckm_sim.whatif.allocation import levels_for_spend
from ckm_sim.whatif.objective import NetValueObjective
from ckm_sim.whatif.optimize import optimise_budget

SHORT = {
    "inter_functional_cooperation": "IFC",
    "organisational_systems": "org",
    "customer_cooperation": "cust",
    "it_systems": "IT",
    "learning_culture": "cult",
}


def main() -> None:
    """Run the grid and print the table (Markdown)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--scenario", default="baseline")
    p.add_argument("--budgets", type=float, nargs="+", default=[1000.0 * k for k in range(1, 11)])
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    p.add_argument("--periods", type=int)
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--restarts", type=int, default=3)
    p.add_argument("--polish", type=int, default=4)
    p.add_argument("--replications", type=int, default=2)
    p.add_argument("--eval-replications", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    scenario = load_scenario(args.scenario)
    periods = args.periods or scenario.periods
    objective = NetValueObjective(scenario, periods)
    print(
        f"scenario {scenario.name}, {periods} periods, {args.trials} trials x {args.restarts} "
        f"searches, polish {args.polish}, {args.replications} search / "
        f"{args.eval_replications} evaluation replications, search seeds {args.seeds}\n"
    )
    head = " | ".join(SHORT[d] for d in DIMENSIONS)
    print(
        f"| budget | mean shares ({head}) | largest spread of a share | converged | "
        "warnings | seconds per run |"
    )
    print("|---|---|---|---|---|---|")
    for budget in args.budgets:
        shares, converged, warnings, seconds = [], 0, set(), []
        for seed in args.seeds:
            start = time.perf_counter()
            opt = optimise_budget(
                objective,
                budget,
                RunPlan(args.replications, base_seed=seed, workers=args.workers),
                trials=args.trials,
                eval_replications=args.eval_replications,
                restarts=args.restarts,
                polish_steps=args.polish,
                saturated=lambda s: levels_for_spend(scenario, s) >= 1.0,
            )
            seconds.append(time.perf_counter() - start)
            shares.append(opt.best / opt.best.sum())
            converged += bool(opt.verdict and opt.verdict.converged)
            for w in opt.verdict.warnings if opt.verdict else []:
                warnings.add("all positive" if "positive" in w else "all negative")
        s = np.array(shares)
        spread = float((s.max(axis=0) - s.min(axis=0)).max())
        mean = " / ".join(f"{x:.0%}" for x in s.mean(axis=0))
        print(
            f"| {budget:,.0f} | {mean} | {spread:.0%} | {converged}/{len(args.seeds)} | "
            f"{', '.join(sorted(warnings)) or '-'} | {np.mean(seconds):.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
