"""``ckm-sim compare``: paired replications of two or more scenarios, differences with 95% CIs."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from ckm_sim.commands.whatif_args import add_common, check_runs_memory, run_plan
from ckm_sim.model.scenario import load_scenario

HELP = "compare scenarios with paired replications: differences with 95% confidence intervals"
EXAMPLES = """examples:
  ckm-sim compare it_only customer_centric
  ckm-sim compare scenarios/it_only.toml scenarios/customer_centric.toml --replications 20
  ckm-sim compare baseline it_only co_creation customer_centric --all-pairs -j 2

The first scenario is the reference. Replication r uses the same seed in every scenario (common
random numbers). Writes <out>/compare/<name>/report.md with paths.png, differences.png,
differences.csv, summaries.parquet and timeseries.parquet.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Two or more scenarios, the replications and whether to compare every pair."""
    parser.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO", help="two or more scenario files or names"
    )
    add_common(parser, replications=10)
    parser.add_argument(
        "--all-pairs", action="store_true", help="compare every pair, not only with the first"
    )


def run(args: argparse.Namespace) -> int:
    """Run the scenarios on common seeds, print the paired differences, write the report."""
    from ckm_sim.io import inside
    from ckm_sim.reports import numbers as num
    from ckm_sim.whatif.compare import compare, write_report
    from ckm_sim.whatif.paired import METRICS

    scenarios = [load_scenario(s) for s in args.scenarios]
    plan = run_plan(args).resolved(scenarios[0])
    periods = plan.periods
    check_runs_memory(args, scenarios, len(scenarios) * args.replications, periods or 0)
    result = compare(scenarios, plan, all_pairs=args.all_pairs, progress=not args.quiet)
    name = args.name or "_vs_".join(result.runs.names)
    out = inside(args.out, "compare", name)
    report = write_report(result, out, name)

    table = Table(
        title=f"paired differences, {result.runs.replications} replications, {periods} periods",
        title_justify="left",
    )
    for column in ("pair", "metric", "difference", "95% CI"):
        table.add_column(column, justify="right" if column != "pair" else "left")
    for r in result.differences.itertuples():
        table.add_row(
            f"{r.treatment} - {r.reference}",
            METRICS[r.metric],
            num.number(r.mean),
            f"{num.number(r.low)} to {num.number(r.high)}",
        )
    console = Console()
    console.print(table)
    for line in result.sentences:
        console.print(f"- {line}", highlight=False)
    print(f"report written to {report}")
    return 0
