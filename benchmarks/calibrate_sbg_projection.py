"""Does ``ckm-sim calibrate`` project a cohort's tail? Issue 21's check on shifted-beta-geometric
(sBG) cohorts, whose retention rises with tenure as real cohorts' does (Fader & Hardie 2007).

For each (alpha, beta) the script writes the expected survival of an sBG cohort of 1,000 at the
end of each year, ``S(y) = B(alpha, beta + y) / B(alpha, beta)``, in monthly periods (period
12 y), fits years 0-7 with ``calibrate`` (the baseline, its default fit parameters unless
``--fit`` says otherwise, its default trials and replications), projects years 8-12 and prints
the largest gap in survivors per 1,000. The issue's bound is 10.

    .venv/bin/python benchmarks/calibrate_sbg_projection.py [--fit churn_floor loyalty_spread]
        [--workers 2] [--trials 30] [--replications 4]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.special import betaln

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.calibrate.fit import calibrate
from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS

COHORTS = ((0.7, 1.2), (0.7, 3.8))
YEARS, FITTED_YEARS, SIZE = 12, 7, 1000


def sbg_cohort(alpha: float, beta: float) -> pd.DataFrame:
    """An sBG cohort's expected survivors at the end of each year, in monthly periods."""
    years = np.arange(YEARS + 1)
    survival = np.exp(betaln(alpha, beta + years) - betaln(alpha, beta))
    return pd.DataFrame({"period": 12 * years, "active": SIZE * survival, "survival": survival})


def main() -> None:
    """Fit each cohort's first years and print the projection's largest gap."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", nargs="+", default=list(DEFAULT_PARAMETERS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--replications", type=int, default=4)
    args = parser.parse_args()
    scenario = load_scenario("baseline")
    print(f"fit {args.fit}; trials {args.trials}, replications {args.replications}")
    for alpha, beta in COHORTS:
        start = time.perf_counter()
        plan = RunPlan(args.replications, 2026, workers=args.workers)
        result = calibrate(
            scenario,
            sbg_cohort(alpha, beta),
            plan,
            parameters=args.fit,
            trials=args.trials,
            fit_periods=12 * FITTED_YEARS,
        )
        fitted = ", ".join(f"{k} {v:.4g}" for k, v in result.fitted.items())
        print(
            f"alpha {alpha}, beta {beta}: fitted {fitted}; years 0-{FITTED_YEARS} RMSE "
            f"{SIZE * result.rmse:.1f} per {SIZE}; years {FITTED_YEARS + 1}-{YEARS} largest gap "
            f"{SIZE * result.holdout_max_error:.1f} per {SIZE} (bound 10); "
            f"{time.perf_counter() - start:.0f} s"
        )


if __name__ == "__main__":
    main()
