"""Stability of ``ckm-sim optimize``: the same budget split from different search seeds?

For each budget and each search seed, runs the optimiser (its defaults, or those given) on a
scenario and records the best split's shares, the verdict and the time. The table gives, per
budget, the mean shares over search seeds, the largest spread of any share between two search
seeds (the stability figure: the optimiser's answer holds when it is within the tolerance), how
many runs the verdict called converged, and the warnings. Spend beyond a dimension's full cost
buys nothing, so the shares of a saturated dimension can differ with no difference in what is
bought: the largest spread of a level (capped at 1) between two search seeds says that. Search
seeds change the sampler and the trial seeds (the base seed of the replications); the evaluation
seeds follow them. Each run's detail (shares, levels, gain over the even split, verdict and why,
marginal values per 1,000) goes to stderr, a line per run, as it finishes.

    .venv/bin/python benchmarks/bench_optimizer_stability.py [--budgets 1000 4000 10000]
        [--seeds 1 2 3] [--periods 120] [--trials 20] [--restarts 3] [--polish 4]
        [--replications 2] [--eval-replications 8] [--workers 2] [--scenario baseline]

The full grid (budgets 1,000-10,000 in steps of 1,000, five seeds, defaults) is about 50
optimiser runs of ~1 minute on 2 workers; docs/whatif.md shows a reduced one and says which.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import DIMENSIONS, Scenario, load_scenario
from ckm_sim.whatif.allocation import levels_for_spend
from ckm_sim.whatif.best_response_report import SHORT
from ckm_sim.whatif.objective import NetValueObjective
from ckm_sim.whatif.optimize import Optimum, optimise_budget


def why(opt: Optimum) -> str:
    """The verdict's reasons in a few words: agree / flat / disagree, and whether the move pays."""
    words = []
    for r in opt.verdict.reasons if opt.verdict else []:
        if "disagree" in r:  # before "agree:", which "disagree:" contains
            words.append("searches disagree")
        elif "agree:" in r:
            words.append("searches agree")
        elif "flat" in r:
            words.append("flat optimum")
        elif "contradict" in r:
            words.append("move pays")
        elif "does not raise" in r:
            words.append("move does not pay")
    return ", ".join(words) or "-"


def run_line(opt: Optimum, scenario: Scenario, seed: int) -> str:
    """One run's detail (to stderr): shares, levels, gain, verdict, marginal values per 1,000."""
    shares = " / ".join(f"{x:.0%}" for x in opt.best / opt.best.sum())
    levels = " / ".join(f"{x:.2f}" for x in np.minimum(levels_for_spend(scenario, opt.best), 1))
    marginal = " / ".join(f"{m.mean * 1000:,.0f}" for m in opt.marginal)
    spread = opt.verdict.share_spread if opt.verdict else float("nan")
    return (
        f"run: budget {opt.budget:,.0f} seed {seed}: shares {shares}; levels {levels}; "
        f"gain over even {opt.gain.mean:,.0f} (95% CI {opt.gain.low:,.0f} to "
        f"{opt.gain.high:,.0f}); spread within run {spread:.0%}; "
        f"{'converged' if opt.verdict and opt.verdict.converged else 'NOT converged'} "
        f"({why(opt)}); warnings {len(opt.verdict.warnings) if opt.verdict else 0}; "
        f"marginal per 1,000 {marginal}"
    )


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
        f"| budget | mean shares ({head}) | largest spread of a share | "
        "largest spread of a level | converged | warnings | seconds per run |"
    )
    print("|---|---|---|---|---|---|---|")
    for budget in args.budgets:
        shares, levels, converged, warnings, seconds = [], [], 0, set(), []
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
            levels.append(np.minimum(levels_for_spend(scenario, opt.best), 1.0))
            converged += bool(opt.verdict and opt.verdict.converged)
            for w in opt.verdict.warnings if opt.verdict else []:
                warnings.add("all positive" if "positive" in w else "all negative")
            print(run_line(opt, scenario, seed), file=sys.stderr, flush=True)
        s = np.array(shares)
        spread = float((s.max(axis=0) - s.min(axis=0)).max())
        lv = np.array(levels)
        level_spread = float((lv.max(axis=0) - lv.min(axis=0)).max())
        mean = " / ".join(f"{x:.0%}" for x in s.mean(axis=0))
        print(
            f"| {budget:,.0f} | {mean} | {spread:.0%} | {level_spread:.2f} | "
            f"{converged}/{len(args.seeds)} | "
            f"{', '.join(sorted(warnings)) or '-'} | {np.mean(seconds):.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
