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


def decompose(
    scenario: str = "baseline",
    replications: int = 10,
    workers: int = 2,
    periods: int = 120,
    low: float = 0.2,
    high: float = 0.8,
    progress: bool = True,
) -> tuple[dict[tuple[str, str], np.ndarray], int, float]:
    """Every configuration's outcomes on the paired seeds: (results by (dimension, "low" /
    "high" / lever), runs, seconds)."""
    base = load_scenario(scenario)
    plan = RunPlan(replications, BASE_SEED, periods, workers=workers)
    seeds = plan.seeds()
    configs: dict[tuple[str, str], Scenario] = {}
    for dim in DIMENSIONS:
        configs[dim, "low"] = base.with_overrides(**{dim: low})
        configs[dim, "high"] = base.with_overrides(**{dim: high})
        for lever, value in moved_levers(base, dim, low, high).items():
            configs[dim, lever] = base.with_overrides(**{dim: high, lever: value})
    keys = list(configs)
    jobs = [(configs[k], s, periods) for k in keys for s in seeds]
    start = time.perf_counter()
    with plan.evaluator() as evaluator:
        flat = map_ordered(evaluator, _outcomes, jobs, progress=progress)
    elapsed = time.perf_counter() - start
    n = len(seeds)
    results = {
        k: np.asarray(flat[i * n : (i + 1) * n], dtype=np.float64) for i, k in enumerate(keys)
    }
    return results, len(jobs), elapsed


def table(results: dict[tuple[str, str], np.ndarray], outcome: str) -> tuple[str, dict[str, str]]:
    """The markdown table of one reported outcome, and each dimension's largest lever."""
    j = REPORTED.index(outcome)
    cost_column = OUTCOMES.index("investment_cost")
    lines = [
        "| dimension | total effect (95% CI) | lever | contribution (95% CI) | share |",
        "|---|---|---|---|---|",
    ]
    top: dict[str, str] = {}
    keys = list(results)
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
        for i, (lever, c) in enumerate(rows):
            label = f"{dim} | {_ci(total)}" if i == 0 else " | "
            lines.append(f"| {label} | {lever} | {_ci(c)} | {shares[lever]:.0%} |")
        if own_cost:
            lines.append(f"|  |  | the competence's own cost | {-own_cost:,.1f} | |")
        rest = gross - summed
        share = rest / gross if gross else float("nan")
        lines.append(f"|  |  | not carried by one lever | {rest:,.1f} | {share:.0%} |")
        if rows:
            top[dim] = f"{rows[0][0]} ({shares[rows[0][0]]:.0%})"
    return "\n".join(lines), top


def main() -> None:
    """Run the decomposition and print its tables (markdown) and the coarseness check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--periods", type=int, default=120)
    parser.add_argument("--low", type=float, default=0.2)
    parser.add_argument("--high", type=float, default=0.8)
    args = parser.parse_args()
    results, runs, elapsed = decompose(
        args.scenario, args.replications, args.workers, args.periods, args.low, args.high
    )
    print(
        f"{args.scenario}: each dimension {args.low} -> {args.high}, {args.replications} paired "
        f"replications, {args.periods} periods; {runs} runs in {elapsed:.0f} s\n"
    )
    for outcome in REPORTED:
        text, top = table(results, outcome)
        print(f"### {outcome}\n\n{text}\n")
        leads = [lever.split(" ")[0] for lever in top.values()]
        lever = max(set(leads), key=leads.count)
        verdict = "TOO COARSE" if leads.count(lever) == len(DIMENSIONS) else "ok"
        print(
            f"{outcome}: largest lever per dimension = {top}; "
            f"'{lever}' leads {leads.count(lever)} of {len(DIMENSIONS)} dimensions ({verdict})"
        )


def _ci(e) -> str:
    return f"{e.mean:,.1f} ({e.low:,.1f} to {e.high:,.1f})"


if __name__ == "__main__":
    main()
