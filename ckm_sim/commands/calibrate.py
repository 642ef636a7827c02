"""``ckm-sim calibrate``: fit parameters so the simulated cohort survival curve matches an
observed one (a CSV of period and customers still active)."""

from __future__ import annotations

import argparse

from rich.console import Console

from ckm_sim.commands import argtypes
from ckm_sim.commands.whatif_args import add_common, check_runs_memory, run_plan
from ckm_sim.model.scenario import MAX_PERIODS, load_scenario
from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS, REFINE_ROUNDS

HELP = "fit parameters so the simulated cohort survival curve matches observed retention data"
EXAMPLES = """examples:
  ckm-sim calibrate baseline --retention data/retention_sample.csv
  ckm-sim calibrate baseline --retention data/retention_sample.csv --fit competitor_pull
  ckm-sim calibrate baseline --retention data/retention_sbg.csv --fit competitor_pull \\
      loyalty_spread --fit-periods 7
  ckm-sim calibrate it_only --retention my_cohort.csv --fit competitor_value satisfaction_memory \\
      --bounds competitor_value=0.3:0.6 --trials 60 -j 2

The CSV has columns period,active: the customers of one cohort still active at the end of each
period, with period 0 holding the cohort's size (or 'active' as shares in [0, 1]); see
docs/whatif.md. Writes <out>/calibrate/<name>/report.md with survival.png, survival.csv,
trials.csv, calibration.json, summary.html (one page for a meeting) and fitted_scenario.toml:
the scenario with the fitted values, ready for run, compare or optimize
(ckm-sim run <out>/calibrate/<name>/fitted_scenario.toml).
"""


def _bound(text: str) -> tuple[str, tuple[float, float]]:
    try:
        name, span = text.split("=", 1)
        low, high = (float(x) for x in span.split(":", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=LOW:HIGH, got {text!r}") from None
    return name.strip(), (low, high)


#: Replications per trial: the smallest number at which search-seed overfitting is about a tenth
#: of the fit's RMSE and more replications no longer improve the fit
#: (benchmarks/calibrate_overfitting.py; the table is in docs/whatif.md).
REPLICATIONS = 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Scenario, observed retention, the parameters to fit and the search budget."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario file or shipped name")
    parser.add_argument(
        "--retention", required=True, metavar="FILE.csv", help="observed survival (period,active)"
    )
    parser.add_argument(
        "--fit",
        nargs="+",
        default=list(DEFAULT_PARAMETERS),
        metavar="PARAM",
        help=f"parameters to fit (default: {' '.join(DEFAULT_PARAMETERS)})",
    )
    parser.add_argument(
        "--bounds",
        nargs="+",
        type=_bound,
        default=[],
        metavar="NAME=LOW:HIGH",
        help="search box of a fitted parameter (default: its plausible or allowed range)",
    )
    parser.add_argument(
        "--trials", type=argtypes.trials, default=30, help="optimiser trials (default 30)"
    )
    parser.add_argument(
        "--refine",
        type=argtypes.bounded_int(0, 100),
        default=REFINE_ROUNDS,
        metavar="ROUNDS",
        help="rounds of response-surface search from the best trial, each 2 x parameters + 1 "
        f"points (default {REFINE_ROUNDS}; 0: the best trial)",
    )
    parser.add_argument(
        "--fit-periods",
        type=argtypes.positive_int,
        metavar="N",
        help="fit only the observed periods up to N and project the rest (holdout errors)",
    )
    parser.add_argument(
        "--project",
        type=argtypes.project,
        default=0,
        metavar="N",
        help="simulate N periods beyond the last observed one (the projection, with bands; the "
        f"last observed period plus N at most {MAX_PERIODS:,}, as --periods)",
    )
    add_common(parser, replications=REPLICATIONS, periods=False)
    parser.add_argument(
        "--eval-replications",
        type=argtypes.replications,
        default=8,
        help="fresh replications at the fitted values for fit quality and band (default 8)",
    )


def run(args: argparse.Namespace) -> int:
    """Fit the parameters to the observed survival curve and write the report."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.calibrate.fit import calibrate
    from ckm_sim.whatif.calibrate.report import write_report
    from ckm_sim.whatif.calibrate.request import (
        calibration_name,
        check_request,
        fit_parameters,
    )
    from ckm_sim.whatif.calibrate.survival import read_retention

    observed = read_retention(args.retention)
    check_request(observed, args.project, args.eval_replications)
    scenario = load_scenario(args.scenario)
    name = args.name or calibration_name(scenario, args.retention)
    out = inside(args.out, "calibrate", name)  # checked before the runs
    check_runs_memory(args, [scenario])
    result = calibrate(
        scenario,
        observed,
        run_plan(args).resolved(scenario),
        parameters=fit_parameters(args.fit),
        bounds=dict(args.bounds),
        trials=args.trials,
        refine=args.refine,
        eval_replications=args.eval_replications,
        progress=not args.quiet,
        fit_periods=args.fit_periods,
        project=args.project,
    )
    report, lines = write_report(result, scenario, str(args.retention), out)
    console = Console()
    for line in lines:
        console.print(f"- {line}", highlight=False)
    print(f"report written to {report}")
    return 0
