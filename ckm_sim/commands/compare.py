"""``ckm-sim compare``: paired replications of two or more scenarios, differences with 95% CIs."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from ckm_sim.commands.settings import add_set, settings_of
from ckm_sim.commands.whatif_args import add_common, check_runs_memory, run_plan
from ckm_sim.model.scenario import load_scenario

HELP = "compare scenarios with paired replications: differences with 95% confidence intervals"
EXAMPLES = """examples:
  ckm-sim compare it_only customer_centric
  ckm-sim compare scenarios/it_only.toml scenarios/customer_centric.toml --replications 20
  ckm-sim compare baseline it_only co_creation customer_centric --all-pairs -j 2
  ckm-sim compare baseline --add it_systems=1500 --add learning_culture=1500 -r 20
  ckm-sim compare baseline --add it_systems=750,learning_culture=750 --add it_systems=1500

The first scenario is the reference. Replication r uses the same seed in every scenario (common
random numbers). When every scenario has the same firms ([[firms]]), each firm's market share,
retention, CLV, equity and net value are compared too, with a sentence per firm. With --add,
one scenario is the base and each --add is an alternative that
spends that much more per period on the named dimensions (converted to levels through the
scenario's cost curve); every pair is compared and the report answers which spend is better.
Writes <out>/compare/<name>/report.md with paths.png, differences.png,
differences.csv, summaries.parquet, timeseries.parquet and comparison.json.
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
        metavar="DIM=AMOUNT[,DIM=AMOUNT]",
        help="an alternative: this much more spend per period on the dimension(s), against the "
        "one scenario given (repeat for several alternatives)",
    )
    add_common(parser, replications=10)  # every CPU by default, as sweep
    add_set(parser)
    parser.add_argument(
        "--all-pairs", action="store_true", help="compare every pair, not only with the first"
    )


def run(args: argparse.Namespace) -> int:
    """Run the scenarios on common seeds, print the paired differences, write the report."""
    from ckm_sim.io import inside
    from ckm_sim.names import short_name
    from ckm_sim.reports import numbers as num
    from ckm_sim.whatif.compare.differences import compare, label, write_report
    from ckm_sim.whatif.shared.paired import unique_names
    from ckm_sim.whatif.shared.spend import answer, with_spend, words
    from ckm_sim.whatif.shared.terms import period_word

    scenarios = [load_scenario(s).with_overrides(**settings_of(args)) for s in args.scenarios]
    alternatives = _alternatives(args, scenarios)
    if alternatives:
        scenarios = [scenarios[0], *(with_spend(scenarios[0], inc) for inc in alternatives)]
    name = args.name or short_name("_vs_".join(unique_names(scenarios)))
    out = inside(args.out, "compare", name)  # every output path checked before the runs
    plan = run_plan(args).resolved(scenarios[0])
    periods = plan.periods
    check_runs_memory(args, scenarios, len(scenarios) * args.replications, periods or 0)
    all_pairs = args.all_pairs or bool(alternatives)
    result = compare(scenarios, plan, all_pairs=all_pairs, progress=not args.quiet)
    if alternatives:
        word = period_word(scenarios[0])
        named = [
            (name, words(inc, word))
            for name, inc in zip(result.runs.names[1:], alternatives, strict=True)
        ]
        result.answers = answer(result.differences, result.runs.names[0], named)
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
            label(r.metric),
            num.number(r.mean),
            f"{num.number(r.low)} to {num.number(r.high)}",
        )
    console = Console()
    console.print(table)
    for line in result.answers or result.sentences:
        console.print(f"- {line}", highlight=False)
    print(f"report written to {report}")
    return 0


def _alternatives(args: argparse.Namespace, scenarios: list) -> list:
    """The ``--add`` alternatives as tuples of increments (one-line errors for bad ones)."""
    from ckm_sim.errors import CKMError
    from ckm_sim.firmkeys import is_multi_firm
    from ckm_sim.whatif.shared.spend import level_after, parse_alternative

    if not args.add:
        if len(scenarios) < 2:
            raise CKMError("compare needs at least two scenarios (or one and --add DIM=AMOUNT)")
        return []
    if len(scenarios) != 1:
        raise CKMError("with --add, give exactly one scenario: the base the spend is added to")
    if is_multi_firm(scenarios[0]):
        raise CKMError(
            f"--add: {scenarios[0].name} has several firms; compare scenario files that set "
            "firms.<firm>.<dimension>, or find a firm's best split with optimize --firm"
        )
    alternatives = [parse_alternative(text) for text in args.add]
    for increments in alternatives:
        for inc in increments:
            level_after(scenarios[0], inc)  # refuses a level above 1, naming the maximum
    if len(set(alternatives)) != len(alternatives):
        raise CKMError("--add: the same alternative is given twice")
    return alternatives
