"""``ckm-sim optimize``: the split of a per-period budget across the five dimensions that
maximises expected net value (Optuna, common random numbers)."""

from __future__ import annotations

import argparse
import math

from rich.console import Console

from ckm_sim.commands import argtypes
from ckm_sim.commands.whatif_args import add_common, check_runs_memory, run_plan
from ckm_sim.errors import CKMError
from ckm_sim.model.scenario import load_scenario

HELP = "find the split of a per-period budget across the five dimensions that maximises net value"
EXAMPLES = """examples:
  ckm-sim optimize baseline --budget 2500
  ckm-sim optimize it_only --budget 4000 --trials 60 --replications 4 -j 2
  ckm-sim optimize baseline --budget 2500 --periods 60 --eval-replications 12

The budget is money per period (same units as the [costs] section). Writes
<out>/optimize/<name>/report.md with allocation.png, history.png, trials.csv, optimum.json.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Scenario, budget per period, trials and replications."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario file or shipped name")
    parser.add_argument(
        "--budget", type=float, required=True, help="budget per period to split across dimensions"
    )
    parser.add_argument(
        "--trials", type=argtypes.trials, default=20, help="optimiser trials (default 20)"
    )
    add_common(parser, replications=2)
    parser.add_argument(
        "--eval-replications",
        type=argtypes.replications,
        default=6,
        help="fresh replications for the best, the even split and marginal values (default 6)",
    )
    parser.add_argument(
        "--step",
        type=float,
        help="extra spend per period for marginal values (default 10%% of the budget)",
    )


def run(args: argparse.Namespace) -> int:
    """Search the best split of the budget, re-check it on fresh seeds, write the report."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.objective import NetValueObjective
    from ckm_sim.whatif.optimize import optimise_budget
    from ckm_sim.whatif.optimize_report import write_report

    if not (math.isfinite(args.budget) and args.budget > 0):
        raise CKMError(f"--budget must be a positive amount per period, got {args.budget:g}")
    if args.step is not None and not (math.isfinite(args.step) and args.step > 0):
        raise CKMError(f"--step must be a positive amount per period, got {args.step:g}")
    if args.eval_replications < 2:
        raise CKMError("--eval-replications must be at least 2 for confidence intervals")
    scenario = load_scenario(args.scenario)
    check_runs_memory(args, [scenario])
    plan = run_plan(args).resolved(scenario)
    assert plan.periods is not None
    optimum = optimise_budget(
        NetValueObjective(scenario, plan.periods),
        args.budget,
        plan,
        trials=args.trials,
        eval_replications=args.eval_replications,
        step=args.step,
        progress=not args.quiet,
    )
    name = args.name or f"{scenario.name}_budget{args.budget:g}"
    report, lines = write_report(optimum, scenario, inside(args.out, "optimize", name))
    console = Console()
    for line in lines:
        console.print(f"- {line}", highlight=False)
    print(f"report written to {report}")
    return 0
