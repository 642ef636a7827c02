"""Stability of ``ckm-sim optimize``: the same answer from different search seeds?

For each budget and each search seed, runs the optimiser (its defaults, or those given) on a
scenario and records the best split, what it buys (levels, capped at 1: spend beyond a
dimension's full cost buys nothing and is not spent), the verdict and the time. Search seeds
change the sampler and the trial seeds (the base seed of the replications); the evaluation seeds
follow them. Then every seed's answer is run again on ``--check-replications`` common fresh seeds
(disjoint from every search's and evaluation's), so the answers are compared in net value on the
same luck.

The table gives, per budget: the mean levels bought over search seeds; the largest spread of a
level between two seeds' answers, with its dimension; the net value spread between the seeds'
answers (the best answer minus the worst on the check seeds, paired, with its 95% CI); what the
answer spends (the cost of the levels bought; the rest of the budget buys nothing); the mean
shares of the budget; how many runs the verdict called converged; the warnings; and the
stability in words (:func:`~ckm_sim.whatif.optimize.convergence.agreement` on the seeds' answers):
*stable* when every level is within the tolerance, *flat* when the levels differ by more but no
seed's answer is worse than the best one outside its CI, *not stable* when one is. Each run's
detail (levels, shares, gain over the even split, the verdict and why, marginal values per 1,000)
goes to stderr, a line per run, as it finishes.

    .venv/bin/python benchmarks/bench_optimizer_stability.py [--budgets 1000 4000 10000]
        [--seeds 1 2 3] [--periods 120] [--method surface|tpe] [--trials N] [--restarts 3]
        [--polish 4 (tpe)] [--replications N] [--eval-replications 8]
        [--check-replications 16] [--workers 2] [--tolerance 0.10] [--no-centroid]
        [--scenario baseline]

docs/whatif.md shows a run and says which.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ckm_sim.commands.optimize import (
    EVAL_REPLICATIONS,
    METHOD,
    POLISH,
    RESTARTS,
    SEARCH_REPLICATIONS,
    TRIALS,
)
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import paired_difference
from ckm_sim.model.scenario import DIMENSIONS, Scenario, load_scenario
from ckm_sim.whatif.optimize.budget import Optimum, optimise_budget
from ckm_sim.whatif.optimize.convergence import agreement, level_spread
from ckm_sim.whatif.rivals.report import SHORT
from ckm_sim.whatif.shared.allocation import CostCurve, levels_for_spend, spend_for_levels
from ckm_sim.whatif.shared.defaults import LEVEL_TOLERANCE
from ckm_sim.whatif.shared.objective import NetValueObjective
from ckm_sim.whatif.shared.search import replicate

#: Replication indices of the check seeds start here (disjoint from search and evaluation seeds).
CHECK_OFFSET = 5_000_000
#: The base seed of the check seeds (the same for every budget and search seed).
CHECK_SEED = 777


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
        elif "their mean" in r or "the fit on all their runs" in r:
            words.append("searches scatter, the pooled answer unbeaten")
        elif "contradict" in r:
            words.append("move pays")
        elif "does not raise" in r:
            words.append("move does not pay")
    return ", ".join(words) or "-"


def run_line(opt: Optimum, scenario: Scenario, seed: int) -> str:
    """One run's detail (to stderr): levels, shares, gain, verdict, marginal values per 1,000."""
    shares = " / ".join(f"{x:.0%}" for x in opt.best / opt.best.sum())
    levels = " / ".join(f"{x:.2f}" for x in levels_for_spend(scenario, opt.best))
    marginal = " / ".join(f"{m.mean * 1000:,.0f}" for m in opt.marginal)
    v = opt.verdict
    within = "-" if v is None else f"{v.level_spread:.2f} ({v.spread_dimension})"
    return (
        f"run: budget {opt.budget:,.0f} seed {seed}: levels {levels}; shares {shares}; "
        f"gain over even {opt.gain.mean:,.0f} (95% CI {opt.gain.low:,.0f} to "
        f"{opt.gain.high:,.0f}); level spread within run {within}; "
        f"{'converged' if v and v.converged else 'NOT converged'} ({why(opt)}); "
        f"warnings {len(v.warnings) if v else 0}; marginal per 1,000 {marginal}"
    )


def main() -> None:
    """Run the grid and print the table (Markdown)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--scenario", default="baseline")
    p.add_argument("--budgets", type=float, nargs="+", default=[1000.0, 4000.0, 7000.0, 10000.0])
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--periods", type=int)
    p.add_argument("--method", choices=("surface", "tpe"), default=METHOD)
    p.add_argument("--trials", type=int)
    p.add_argument("--restarts", type=int, default=RESTARTS)
    p.add_argument("--polish", type=int, default=POLISH)
    p.add_argument("--replications", type=int)
    p.add_argument("--eval-replications", type=int, default=EVAL_REPLICATIONS)
    p.add_argument("--check-replications", type=int, default=16)
    p.add_argument("--tolerance", type=float, default=LEVEL_TOLERANCE)
    p.add_argument("--no-centroid", dest="centroid", action="store_false")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    args.trials = args.trials or TRIALS[args.method]
    args.replications = args.replications or SEARCH_REPLICATIONS[args.method]
    args.polish = args.polish if args.method == "tpe" else 0
    scenario = load_scenario(args.scenario)
    periods = args.periods or scenario.periods
    objective = NetValueObjective(scenario, periods)
    check = RunPlan(args.check_replications, base_seed=CHECK_SEED, workers=args.workers)
    answer = "the fit on all their runs" if args.method == "surface" else "their mean"
    pooled = f" (each on its own seeds; {answer} unless beaten)"
    print(
        f"scenario {scenario.name}, {periods} periods, method {args.method}, {args.trials} "
        f"trials x {args.restarts} "
        f"searches{pooled if args.centroid else ''}"
        f", polish {args.polish}, {args.replications} search / "
        f"{args.eval_replications} evaluation replications, search seeds {args.seeds}; the "
        f"seeds' answers compared on {args.check_replications} common check seeds; tolerance "
        f"{args.tolerance:.2f} of a level\n"
    )
    head = " / ".join(SHORT[d] for d in DIMENSIONS)
    print(
        f"| budget | mean levels ({head}) | largest spread of a level | net value spread "
        f"(best - worst answer, 95% CI) | spent | mean shares | converged | warnings | "
        "stability | seconds per run |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for budget in args.budgets:
        bests, converged, warnings, seconds = [], 0, set(), []
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
                curve=CostCurve.of(scenario),
                method=args.method,
                tolerance=args.tolerance,
                distinct_seeds=args.centroid,
                centroid=args.centroid,
            )
            seconds.append(time.perf_counter() - start)
            bests.append(opt.best)
            converged += bool(opt.verdict and opt.verdict.converged)
            for w in opt.verdict.warnings if opt.verdict else []:
                warnings.add("all positive" if "positive" in w else "all negative")
            print(run_line(opt, scenario, seed), file=sys.stderr, flush=True)
        cells, stability = compare_answers(scenario, objective, check, budget, bests, args)
        print(
            f"{cells} {converged}/{len(args.seeds)} | {', '.join(sorted(warnings)) or '-'} | "
            f"{stability} | {np.mean(seconds):.0f} |",
            flush=True,
        )


def compare_answers(
    scenario: Scenario,
    objective: NetValueObjective,
    check: RunPlan,
    budget: float,
    bests: list[np.ndarray],
    args: argparse.Namespace,
) -> tuple[str, str]:
    """The seeds' answers on the common check seeds: the first cells of the budget's row (up to
    the mean shares) and its stability in words (the reason goes to stderr)."""
    with check.evaluator() as evaluator:
        values = np.array(
            replicate(evaluator, objective, [(b,) for b in bests], check.seeds(CHECK_OFFSET)),
            dtype=np.float64,
        )
    means = values.mean(axis=1)
    top, low = int(np.argmax(means)), int(np.argmin(means))
    versus = [paired_difference(v, values[top]) for v in values]
    spread = paired_difference(values[top], values[low])
    levels = [levels_for_spend(scenario, b) for b in bests]
    gap, d = level_spread(levels)
    kind, reason = agreement(levels, versus, DIMENSIONS, args.tolerance, "search seeds")
    print(f"stability at {budget:,.0f}: {reason}", file=sys.stderr, flush=True)
    spent = [float(spend_for_levels(scenario, lv).sum()) for lv in levels]
    shares = np.mean([b / b.sum() for b in bests], axis=0)
    where = "-" if d is None else SHORT[DIMENSIONS[d]]
    cells = (
        f"| {budget:,.0f} | {' / '.join(f'{x:.2f}' for x in np.mean(levels, axis=0))} | "
        f"{gap:.2f} ({where}) | {spread.mean:,.0f} ({spread.low:,.0f} to {spread.high:,.0f}) | "
        f"{min(spent):,.0f} to {max(spent):,.0f} | {' / '.join(f'{x:.0%}' for x in shares)} |"
    )
    word = {"agree": "stable", "flat": "flat", "disagree": "not stable"}[kind]
    return cells, f"{word} (best: seed {args.seeds[top]})"


if __name__ == "__main__":
    main()
