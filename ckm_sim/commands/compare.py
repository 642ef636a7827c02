"""``ckm-sim compare``: paired replications of two or more scenarios, differences with 95% CIs."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from ckm_sim.commands.settings import add_set, settings_of
from ckm_sim.commands.whatif_args import add_common, check_runs_memory, run_plan
from ckm_sim.errors import CKMError
from ckm_sim.model.scenario import load_scenario

HELP = "compare scenarios with paired replications: differences with 95% confidence intervals"
EXAMPLES = """examples:
  ckm-sim compare it_only customer_centric
  ckm-sim compare scenarios/it_only.toml scenarios/customer_centric.toml --replications 20
  ckm-sim compare baseline it_only co_creation customer_centric --all-pairs -j 2
  ckm-sim compare baseline --add it_systems=1500 --add learning_culture=1500 -r 20
  ckm-sim compare baseline --add it_systems=750,learning_culture=750 --add it_systems=1500
  ckm-sim compare baseline --add it_systems=1500 --instant
  ckm-sim compare duopoly --add laggard.it_systems=1500 --instant

The first scenario is the reference. Replication r uses the same seed in every scenario (common
random numbers). When every scenario has the same firms ([[firms]]), each firm's market share,
retention, CLV, equity and net value are compared too, with a sentence per firm, and payback
and break-even per firm. With --add, one scenario is the base and each --add is an alternative
that spends that much more per period on the named dimensions (FIRM.DIMENSION in a market of
firms); the competence builds over time as the equivalent one-step investment plan with the
default build-up lags and depreciation (docs/ODD.md 7.7), or, with --instant, the level the
spend sustains is bought at once; every pair is compared and the report answers which spend is
better and says which it assumed. Beside each difference in net value the report gives the
cost multiplier at which it flips and the payback month, with 95% CIs; money is in the
scenario's currency ([economics] currency), in whole units.
Writes <out>/compare/<name>/report.md with paths.png, differences.png,
differences.csv, summaries.parquet, timeseries.parquet, comparison.json and summary.html (one
self-contained page for a meeting: question, answer, figure, CIs and caveats).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Two or more scenarios, the replications and whether to compare every pair."""
    parser.add_argument(
        "scenarios",
        nargs="+",
        metavar="SCENARIO",
        help="two or more scenario files or names (one with --add)",
    )
    parser.add_argument(
        "--add",
        action="append",
        metavar="[FIRM.]DIM=AMOUNT[,...]",
        help="an alternative: this much more spend per period on the dimension(s) (of FIRM in a "
        "market of firms), against the one scenario given (repeat for several alternatives); "
        "the competence builds over time as the equivalent investment plan",
    )
    parser.add_argument(
        "--instant",
        action="store_true",
        help="with --add: buy the level the added spend sustains at once, from the start "
        "(the only way for a firm in a market of firms: plans are single-firm)",
    )
    add_common(parser, replications=10)  # every CPU by default, as sweep
    add_set(parser)
    parser.add_argument(
        "--all-pairs", action="store_true", help="compare every pair, not only with the first"
    )


def run(args: argparse.Namespace) -> int:
    """Run the scenarios on common seeds, print the paired differences, write the report."""
    from ckm_sim.io import inside
    from ckm_sim.reports import numbers as num
    from ckm_sim.whatif.compare.differences import label, write_report
    from ckm_sim.whatif.compare.question import (
        comparison_name,
        run_comparison,
        spend_alternatives,
        with_alternatives,
    )
    from ckm_sim.whatif.shared.seed_noise import compare_argv, note

    given = [load_scenario(s).with_overrides(**settings_of(args)) for s in args.scenarios]
    if args.instant and not args.add:
        raise CKMError("--instant says how --add buys competence; give --add DIM=AMOUNT")
    alternatives = spend_alternatives(given, args.add or [], instant=args.instant)
    scenarios = with_alternatives(given, alternatives, instant=args.instant)
    name = args.name or comparison_name(scenarios)
    out = inside(args.out, "compare", name)  # every output path checked before the runs
    plan = run_plan(args).resolved(scenarios[0])
    periods = plan.periods
    check_runs_memory(args, scenarios, len(scenarios) * args.replications, periods or 0)
    result = run_comparison(
        scenarios,
        plan,
        alternatives,
        all_pairs=args.all_pairs,
        progress=not args.quiet,
        instant=args.instant,
    )
    result.robust = note(
        compare_argv(
            args.scenarios, args.add or [], args.instant, settings_of(args), args.periods, args.seed
        )
    )
    report = write_report(result, out, name)

    table = Table(
        title=f"paired differences, {result.runs.replications} replications, {periods} periods",
        title_justify="left",
    )
    for column in ("pair", "metric", "difference", "95% CI"):
        table.add_column(column, justify="right" if column != "pair" else "left")
    currency = result.currency
    for r in result.differences.itertuples():
        money = num.is_money(r.metric)
        table.add_row(
            f"{r.treatment} - {r.reference}",
            f"{label(r.metric)} ({currency})" if money else label(r.metric),
            num.whole(r.mean) if money else num.number(r.mean),
            f"{num.whole(r.low)} to {num.whole(r.high)}"
            if money
            else f"{num.number(r.low)} to {num.number(r.high)}",
        )
    console = Console()
    console.print(table)
    lines = [*(result.answers or result.sentences), *result.verdicts()]
    if result.assumption:
        lines.append(result.assumption)
    lines.append(result.robust)
    for line in lines:
        console.print(f"- {line}", highlight=False, markup=False)
    print(f"report written to {report}")
    return 0
