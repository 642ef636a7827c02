"""Variance reduction of paired comparisons (common random numbers), measured (issue 26).

One lever comparison at the baseline's size: side A (``--a``, default ``baseline``) against
side B (``--b``, default side A's scenario, with ``--raise DIM`` raised by ``--by``, default
``it_systems`` + 0.2). Each side runs on the seeds ``replication_seed(--base-seed, s)``:

- paired differences ``B(s) - A(s)``, s = 0..R-1: the same seed on both sides;
- unpaired differences ``B(2R + s) - A(R + s)``, s = 0..R-1: independent seeds, and no run
  shared with the paired sample (so the two samples are independent and the ratio of their
  sample variances follows an F distribution with (R - 1, R - 1) degrees of freedom when the
  differences are normal).

For CLV and monthly retention (the summary's ``clv`` and ``mean_retention_rate``) it prints
both variances, their ratio (paired / unpaired; 1 = no reduction), a 95% confidence interval
from the F distribution and a bootstrap percentile interval (resampling the paired and unpaired
differences independently), as a markdown table for docs/performance.md. 4R runs in all.

    .venv/bin/python benchmarks/crn_variance.py [--replications 30] [--a baseline]
        [--b customer_centric | --raise it_systems --by 0.2] [--periods 120]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ckm_sim import load_scenario, run_scenario
from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import Scenario

#: outcome -> label
OUTCOMES = {"clv": "CLV", "mean_retention_rate": "monthly retention"}


@dataclass(frozen=True)
class Differences:
    """The paired and unpaired differences B - A of one outcome (R each)."""

    paired: np.ndarray
    unpaired: np.ndarray


@dataclass(frozen=True)
class Ratio:
    """Paired / unpaired variance and its confidence intervals."""

    paired_var: float
    unpaired_var: float
    ratio: float
    f_low: float
    f_high: float
    boot_low: float
    boot_high: float


def differences(
    a: Scenario, b: Scenario, replications: int, base_seed: int = 2026
) -> dict[str, Differences]:
    """Run A on seeds 0..2R-1 and B on 0..R-1 and 2R..3R-1; the differences of each outcome."""
    r = replications

    def runs(scenario: Scenario, seeds: range) -> list[dict[str, Any]]:
        return [run_scenario(scenario, seed=replication_seed(base_seed, s)).summary for s in seeds]

    a_runs, b_runs = runs(a, range(2 * r)), runs(b, range(r)) + runs(b, range(2 * r, 3 * r))
    out = {}
    for key in OUTCOMES:
        va = np.array([run[key] for run in a_runs], dtype=float)
        vb = np.array([run[key] for run in b_runs], dtype=float)
        out[key] = Differences(paired=vb[:r] - va[:r], unpaired=vb[r:] - va[r:])
    return out


def variance_ratio(d: Differences, level: float = 0.95, boot: int = 10_000) -> Ratio:
    """Paired / unpaired sample variance, with an F interval and a bootstrap percentile one."""
    p, u = np.var(d.paired, ddof=1), np.var(d.unpaired, ddof=1)
    ratio = p / u
    df_p, df_u = len(d.paired) - 1, len(d.unpaired) - 1
    alpha = 1.0 - level
    # p/u divided by the true ratio is F(df_p, df_u): invert its quantiles
    f_low = ratio / stats.f.ppf(1.0 - alpha / 2, df_p, df_u)
    f_high = ratio / stats.f.ppf(alpha / 2, df_p, df_u)
    rng = np.random.default_rng(0)
    ip = rng.integers(0, len(d.paired), (boot, len(d.paired)))
    iu = rng.integers(0, len(d.unpaired), (boot, len(d.unpaired)))
    with np.errstate(divide="ignore", invalid="ignore"):  # a resample of equal values
        ratios = np.var(d.paired[ip], axis=1, ddof=1) / np.var(d.unpaired[iu], axis=1, ddof=1)
    ratios = ratios[np.isfinite(ratios)]
    b_low, b_high = np.quantile(ratios, [alpha / 2, 1.0 - alpha / 2])
    return Ratio(float(p), float(u), float(ratio), f_low, f_high, float(b_low), float(b_high))


def sides(args: argparse.Namespace) -> tuple[Scenario, Scenario, str]:
    """Side A, side B and a label of the comparison, from the command line."""
    extra = {} if args.periods is None else {"periods": args.periods}
    a = load_scenario(args.a).with_overrides(**extra)
    if args.b is not None:
        return a, load_scenario(args.b).with_overrides(**extra), f"{args.a} vs {args.b}"
    level = getattr(a.competence, args.raise_)
    b = a.with_overrides(**{args.raise_: round(min(1.0, level + args.by), 12)})
    return a, b, f"{args.a} vs {args.a} with {args.raise_} {level:g} -> {level + args.by:g}"


def main(argv: list[str] | None = None) -> None:
    """Measure and print the variance ratios of one comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--a", default="baseline", help="side A's scenario")
    parser.add_argument("--b", help="side B's scenario (default: side A with --raise)")
    parser.add_argument("--raise", dest="raise_", default="it_systems", help="dimension raised")
    parser.add_argument("--by", type=float, default=0.2, help="how much (default 0.2)")
    parser.add_argument("--periods", type=int, help="periods (default: the scenario's)")
    parser.add_argument("--base-seed", type=int, default=2026)
    args = parser.parse_args(argv)
    a, b, label = sides(args)
    r = args.replications
    start = time.perf_counter()
    found = differences(a, b, r, args.base_seed)
    seconds = time.perf_counter() - start
    print(f"{label}: R = {r} seeds a side, {a.periods} periods, {4 * r} runs in {seconds:.0f} s")
    print()
    print("| outcome | var paired | var unpaired | ratio | 95% CI (F) | 95% CI (bootstrap) |")
    print("|---|---|---|---|---|---|")
    for key, name in OUTCOMES.items():
        v = variance_ratio(found[key])
        print(
            f"| {name} | {v.paired_var:.3g} | {v.unpaired_var:.3g} | {v.ratio:.3g} "
            f"| {v.f_low:.3g} - {v.f_high:.3g} | {v.boot_low:.3g} - {v.boot_high:.3g} |"
        )


if __name__ == "__main__":
    main()
