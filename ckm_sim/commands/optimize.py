"""``ckm-sim optimize``: the split of a per-period budget across the five dimensions that
maximises expected net value (Optuna, common random numbers)."""

from __future__ import annotations

import argparse
import math

from rich.console import Console

from ckm_sim.commands import argtypes
from ckm_sim.commands.argtypes import non_negative_int
from ckm_sim.commands.whatif_args import add_common, check_runs_memory, run_plan
from ckm_sim.errors import CKMError
from ckm_sim.model.scenario import load_scenario
from ckm_sim.names import short_name
from ckm_sim.whatif.optimize.settings import (
    EVAL_REPLICATIONS,
    METHOD,
    PLAN_REPLICATIONS,
    POLISH,
    RESTARTS,
    SEARCH_REPLICATIONS,
    TRIALS,
    SearchSettings,
    budgets_for,
    check_split_scenario,
)
from ckm_sim.whatif.shared.defaults import LEVEL_TOLERANCE

__all__ = ["METHOD", "SEARCH_REPLICATIONS", "TRIALS", "add_arguments", "budget_arg", "run"]

HELP = "find the split of a per-period budget across the five dimensions that maximises net value"
EXAMPLES = """examples:
  ckm-sim optimize baseline --budget 2500
  ckm-sim optimize it_only --budget 4000 --trials 60 --replications 4 -j 2
  ckm-sim optimize baseline --budget 2500 --periods 60 --eval-replications 12
  ckm-sim optimize duopoly --firm laggard --budget 4000        best response, leader fixed
  ckm-sim optimize duopoly --firm leader --firm laggard --budget 4000 --best-response-rounds 4
  ckm-sim optimize duopoly --firm leader --firm laggard --budget leader=5000 \\
      --budget laggard=3000 --best-response-rounds 4
  ckm-sim optimize baseline --plans data/plans_early_vs_spread.toml -r 20 -j 2

The budget is money per period (same units as the [costs] section). Writes
<out>/optimize/<name>/report.md with allocation.png, history.png, trials.csv, optimum.json,
summary.html (one self-contained page for a meeting)
(with --best-response-rounds: report.md, rounds.csv, best_responses.json).
With --firm NAME (a multi-firm scenario) the budget is that firm's, spent through its own cost
curve on its own net value while the rivals keep their levels: a best response. With two or more
--firm and --best-response-rounds N the firms answer each other in turn for up to N rounds; the
report says whether the splits settle (every split moves by at most --tolerance of its budget,
or the move does not pay outside its 95% CI) or cycle.
With --plans, each candidate plan replaces the scenario's own and runs with it on common seeds;
every pair is compared and each plan's payback period against the scenario is reported (a
comparison's report and files, under <out>/optimize/<name>/).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Scenario, budget per period, trials and replications."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario file or shipped name")
    parser.add_argument(
        "--budget",
        type=budget_arg,
        action="append",
        metavar="B|FIRM=B",
        help="budget per period to split across dimensions (FIRM=B: one firm's; repeat)",
    )
    parser.add_argument(
        "--firm",
        action="append",
        metavar="NAME",
        help="spend this firm's budget, the rivals' levels fixed (a multi-firm scenario; repeat "
        "with --best-response-rounds)",
    )
    parser.add_argument(
        "--best-response-rounds",
        type=argtypes.positive_int,
        metavar="N",
        help="iterate best responses between the --firm firms for up to N rounds",
    )
    parser.add_argument(
        "--plans",
        metavar="FILE",
        help="instead of splitting a budget, compare the candidate investment plans of a TOML "
        "file (one [plan] table per candidate, docs/whatif.md) on common seeds "
        f"({PLAN_REPLICATIONS} replications unless --replications says otherwise)",
    )
    parser.add_argument(
        "--method",
        choices=("surface", "tpe"),
        default=METHOD,
        help="surface: fit quadratics to runs over the levels the budget can buy, the budget a "
        "ceiling (default); tpe: Optuna's TPE over shares of the budget, all of it spent (the "
        "previous default)",
    )
    parser.add_argument(
        "--trials",
        type=argtypes.trials,
        help=f"design points per search (default {TRIALS['surface']}; with --method tpe, TPE "
        f"trials, default {TRIALS['tpe']})",
    )
    parser.add_argument(
        "--restarts",
        type=argtypes.trials,
        default=RESTARTS,
        help=f"independent searches (different sampler seeds; default {RESTARTS})",
    )
    parser.add_argument(
        "--polish",
        type=non_negative_int,
        default=POLISH,
        help=f"--method tpe: transfer moves that end each search (default {POLISH}; 0: TPE only)",
    )
    parser.add_argument(
        "--no-centroid",
        dest="centroid",
        action="store_false",
        help="every search on the same trial seeds and the best of their splits as the answer "
        "(default: each search on its own seeds, and their pooled answer, the fit on all their "
        "runs (tpe: the mean of their best splits), unless one of them beats it outside the "
        "95%% CI)",
    )
    parser.add_argument(
        "--level-tolerance",
        type=float,
        default=LEVEL_TOLERANCE,
        help="the searches agree when every level their best splits buy (capped at 1) is within "
        f"this of the winner's (default {LEVEL_TOLERANCE:.2f} of a level)",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.10,
        help="best responses: a firm's split holds when no dimension's spend moved by more than "
        "this share of its budget (default 0.10)",
    )
    add_common(
        parser,
        replications=None,  # per method (SEARCH_REPLICATIONS); PLAN_REPLICATIONS for plans
        replications_help="runs per design point (default: surface 1, tpe 2; --plans "
        f"{PLAN_REPLICATIONS})",
    )
    parser.add_argument(
        "--eval-replications",
        type=argtypes.replications,
        default=EVAL_REPLICATIONS,
        help="fresh replications for the searches' best splits, the even split and marginal "
        f"values (default {EVAL_REPLICATIONS})",
    )
    parser.add_argument(
        "--step",
        type=float,
        help="extra spend per period for marginal values (default a tenth of what the answer "
        "spends; --method tpe: a tenth of the budget)",
    )


def budget_arg(text: str) -> tuple[str | None, float]:
    """``4000`` (every firm's budget) or ``rival=4000`` (one firm's)."""
    firm, sep, value = text.rpartition("=")
    try:
        amount = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an amount or FIRM=AMOUNT, got {text!r}"
        ) from None
    if sep and not firm.strip():
        raise argparse.ArgumentTypeError(f"expected FIRM=AMOUNT, got {text!r}")
    return (firm.strip() if sep else None), amount


def run(args: argparse.Namespace) -> int:
    """Search the best split of the budget, re-check it on fresh seeds, write the report."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.optimize.report import robust_note, write_report
    from ckm_sim.whatif.optimize.settings import best_split, split_name

    if args.replications is None:
        args.replications = (
            PLAN_REPLICATIONS if args.plans is not None else SEARCH_REPLICATIONS[args.method]
        )
    settings = SearchSettings(
        method=args.method,
        trials=args.trials,
        restarts=args.restarts,
        eval_replications=args.eval_replications,
        step=args.step,
        level_tolerance=args.level_tolerance,
        polish=args.polish,
        centroid=args.centroid,
    ).checked()
    args.trials = settings.trials
    if args.plans is not None:
        if args.budget is not None:
            raise CKMError("give --budget (split a budget) or --plans (compare plans), not both")
        return _compare_plans(args)
    if args.budget is None:
        raise CKMError("optimize needs --budget AMOUNT (a budget per period) or --plans FILE")
    firms = list(dict.fromkeys(args.firm or []))
    if args.firm and len(firms) != len(args.firm):
        raise CKMError("--firm: a firm is named twice")
    if args.best_response_rounds is not None and len(firms) < 2:
        raise CKMError("--best-response-rounds needs two or more --firm NAME")
    if len(firms) > 1 and args.best_response_rounds is None:
        raise CKMError(
            "several --firm: add --best-response-rounds N to iterate their best responses "
            "(or name one firm for one best response)"
        )
    if not firms and (len(args.budget) > 1 or args.budget[0][0] is not None):
        raise CKMError("--budget FIRM=B and repeated --budget need --firm")
    if not (math.isfinite(args.tolerance) and 0 < args.tolerance <= 1):
        raise CKMError(f"--tolerance must be a share in (0, 1], got {args.tolerance:g}")
    scenario = load_scenario(args.scenario)
    check_split_scenario(scenario, firms)
    budgets = budgets_for(args.budget, firms or ["firm"])
    firm = firms[0] if firms else None
    budget = budgets[firm or "firm"]
    if len(firms) > 1:
        name = args.name or short_name(f"{scenario.name}_best_responses")
    else:
        name = args.name or split_name(scenario, budget, firm)
    out = inside(args.out, "optimize", name)  # checked before the runs
    check_runs_memory(args, [scenario])
    plan = run_plan(args).resolved(scenario)
    if len(firms) > 1:
        return _rounds(args, scenario, firms, budgets, plan, settings.options(not args.quiet), out)
    optimum = best_split(scenario, budget, plan, settings, firm=firm, progress=not args.quiet)
    robust = robust_note(optimum, scenario, args.scenario, args.periods, args.seed)
    report, lines = write_report(optimum, scenario, out, plan.periods, robust)
    console = Console()
    for line in lines:
        console.print(f"- {line}", highlight=False)
    print(f"report written to {report}")
    return 0


def _rounds(args, scenario, firms, budgets, plan, options, out) -> int:
    """``--best-response-rounds``: iterate the firms' best responses, report the rounds."""
    from rich.table import Table

    from ckm_sim.whatif.rivals.report import round_rows, write_report
    from ckm_sim.whatif.rivals.response import FirmObjectives, level_curves, start_splits
    from ckm_sim.whatif.rivals.rounds import iterate_best_responses, optimiser_response
    from ckm_sim.whatif.shared.seed_noise import note

    respond = optimiser_response(
        FirmObjectives(scenario, plan.periods), budgets, plan, level_curves(scenario), **options
    )
    result = iterate_best_responses(
        firms,
        start_splits(scenario, firms, budgets),
        budgets,
        respond,
        args.best_response_rounds,
        args.tolerance,
    )
    meta = {
        "periods": plan.periods,
        "trials": args.trials,
        "restarts": args.restarts,
        "replications": plan.replications,
        "eval_replications": args.eval_replications,
        "base_seed": plan.seed,
    }
    report, lines = write_report(result, scenario, out, meta)
    lines = [*lines, note(None)]  # robust does not test best responses yet
    rows = round_rows(result)
    table = Table(title="best responses, round by round", title_justify="left")
    for column in rows[0]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    console = Console()
    console.print(table)
    for line in lines:
        console.print(f"- {line}", highlight=False)
    print(f"report written to {report}")
    return 0


def _compare_plans(args: argparse.Namespace) -> int:
    """Run the scenario and its candidate plans on common seeds; report which plan is best and
    when each pays back against the scenario."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.compare.differences import compare, write_report
    from ckm_sim.whatif.optimize.plans import describe, load_plans
    from ckm_sim.whatif.shared.seed_noise import note
    from ckm_sim.whatif.shared.spend import answer
    from ckm_sim.whatif.shared.terms import period_word

    if args.replications < 2:
        raise CKMError("--replications must be at least 2 to compare plans")
    base = load_scenario(args.scenario)
    candidates = load_plans(base, args.plans)
    scenarios = [base, *candidates]
    name = args.name or short_name(f"{base.name}_plans")
    out = inside(args.out, "optimize", name)  # checked before the runs
    plan = run_plan(args).resolved(base)
    check_runs_memory(args, scenarios, len(scenarios) * args.replications, plan.periods or 0)
    result = compare(scenarios, plan, all_pairs=True, progress=not args.quiet)
    named = [(sc.name, describe(sc)) for sc in candidates]
    word = period_word(base)
    result.answers = answer(result.differences, base.name, named, result.currency)
    result.robust = note(None)  # robust does not take a plans file yet
    report = write_report(result, out, name)
    console = Console()
    paid = [p.sentence(word, result.currency) for p in result.payback]
    for line in [*result.answers, *result.verdicts(), *paid, result.robust]:
        console.print(f"- {line}", highlight=False)
    print(f"report written to {report}")
    return 0
