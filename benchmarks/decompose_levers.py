"""Where each dimension's effect comes from: its effect on CLV and net value, lever by lever.

For each CKM dimension ``d`` the total effect is ``Y(d = high) - Y(d = low)`` around the
baseline, with paired seeds (replication ``r`` of every configuration runs on the same seed).
A lever's share is what is lost when only that lever is held at its low-``d`` value while ``d``
is raised (``[levers]`` pins, docs/ODD.md 7.1):

    contribution(L) = [Y(high) - Y(low)] - [Y(high, L pinned at its low value) - Y(low)]
                    = Y(high) - Y(high, L pinned)

The levers a dimension moves are found by comparing ``derive_levers`` at the two levels, so the
table follows levers.py as it grows. What no lever carries (network ties, the market's costs
and interactions between levers) is the remainder ``total - sum of contributions``. For net
value the dimension's own cost (its discounted investment) is taken out first and shown on its
own row; lever shares are of the gross effect, ``total + own cost``. The script then checks the
model's coarseness rule: no single lever may carry most of the response to every
dimension. Prints tables (markdown) for docs/validation.md.

    python benchmarks/decompose_levers.py [--replications 10] [--workers 2] [--periods 120]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ckm_sim.experiments.evaluator import RunPlan, map_ordered
from ckm_sim.experiments.stats import paired_difference
from ckm_sim.model.levers import derive_levers
from ckm_sim.model.runs import run_scenario
from ckm_sim.model.scenario import DIMENSIONS, Scenario, load_scenario

OUTCOMES = ("clv", "net_value", "investment_cost")  # the last only to take out of net value
REPORTED = ("clv", "net_value")
BASE_SEED = 9_001


def _outcomes(scenario: Scenario, seed: int, periods: int) -> tuple[float, ...]:
    summary = run_scenario(scenario, seed=seed, periods=periods).summary
    return tuple(float(summary[k]) for k in OUTCOMES)


def moved_levers(base: Scenario, dimension: str, low: float, high: float) -> dict[str, float]:
    """The levers whose value changes when ``dimension`` goes from ``low`` to ``high``: name ->
    its value at ``low``."""
    at_low = derive_levers(base.with_overrides(**{dimension: low})).as_dict()
    at_high = derive_levers(base.with_overrides(**{dimension: high})).as_dict()
    return {k: v for k, v in at_low.items() if not np.isclose(v, at_high[k])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--periods", type=int, default=120)
    parser.add_argument("--low", type=float, default=0.2)
    parser.add_argument("--high", type=float, default=0.8)
    args = parser.parse_args()
    base = load_scenario(args.scenario)
    plan = RunPlan(args.replications, BASE_SEED, args.periods, workers=args.workers)
    seeds = plan.seeds()

    configs: dict[tuple[str, str], Scenario] = {}
    for dim in DIMENSIONS:
        configs[dim, "low"] = base.with_overrides(**{dim: args.low})
        configs[dim, "high"] = base.with_overrides(**{dim: args.high})
        for lever, value in moved_levers(base, dim, args.low, args.high).items():
            configs[dim, lever] = base.with_overrides(**{dim: args.high, lever: value})
    keys = list(configs)
    jobs = [(configs[k], s, args.periods) for k in keys for s in seeds]
    start = time.perf_counter()
    with plan.evaluator() as evaluator:
        flat = map_ordered(evaluator, _outcomes, jobs, progress=True)
    elapsed = time.perf_counter() - start
    n = len(seeds)
    results = {
        k: np.asarray(flat[i * n : (i + 1) * n], dtype=np.float64) for i, k in enumerate(keys)
    }
    print(
        f"{args.scenario}: each dimension {args.low} -> {args.high}, {n} paired replications, "
        f"{args.periods} periods; {len(jobs)} runs in {elapsed:.0f} s\n"
    )

    top_levers: dict[str, list[str]] = {o: [] for o in REPORTED}
    cost_column = OUTCOMES.index("investment_cost")
    for j, outcome in enumerate(REPORTED):
        print(f"### {outcome}\n")
        print("| dimension | total effect (95% CI) | lever | contribution (95% CI) | share |")
        print("|---|---|---|---|---|")
        for dim in DIMENSIONS:
            high, low = results[dim, "high"][:, j], results[dim, "low"][:, j]
            total = paired_difference(high, low)
            # net value: the dimension's own cost is no lever's; shares are of the gross effect
            own_cost = 0.0
            if outcome == "net_value":
                cost = results[dim, "high"][:, cost_column] - results[dim, "low"][:, cost_column]
                own_cost = float(cost.mean())
            gross = total.mean + own_cost
            levers = [k[1] for k in keys if k[0] == dim and k[1] not in ("low", "high")]
            shares: dict[str, float] = {}
            rows = []
            for lever in levers:
                contribution = paired_difference(high, results[dim, lever][:, j])
                shares[lever] = contribution.mean / gross if gross else float("nan")
                rows.append((lever, contribution))
            summed = sum(c.mean for _, c in rows)
            rows.sort(key=lambda r: -abs(r[1].mean))
            first = True
            for lever, c in rows:
                label = f"{dim} | {_ci(total)}" if first else " | "
                print(f"| {label} | {lever} | {_ci(c)} | {shares[lever]:.0%} |")
                first = False
            if own_cost:
                print(f"|  |  | the competence's own cost | {-own_cost:,.1f} | |")
            rest = gross - summed
            share = rest / gross if gross else float("nan")
            print(f"|  |  | not carried by one lever | {rest:,.1f} | {share:.0%} |")
            if rows:
                top_levers[outcome].append(rows[0][0])
        print()
    for outcome, tops in top_levers.items():
        counts = {lever: tops.count(lever) for lever in set(tops)}
        lever, most = max(counts.items(), key=lambda kv: kv[1])
        verdict = "TOO COARSE" if most == len(DIMENSIONS) else "ok"
        print(
            f"{outcome}: largest lever per dimension = {tops}; "
            f"'{lever}' leads {most} of {len(DIMENSIONS)} dimensions ({verdict})"
        )


def _ci(e) -> str:
    return f"{e.mean:,.1f} ({e.low:,.1f} to {e.high:,.1f})"


if __name__ == "__main__":
    main()
