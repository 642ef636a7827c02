"""``ckm-sim robust``: alternatives across plausible worlds: best share, regret, when it flips."""

from __future__ import annotations

import argparse
from pathlib import Path

from ckm_sim.commands.argtypes import non_negative_int
from ckm_sim.commands.settings import add_set, settings_of
from ckm_sim.commands.whatif_args import add_common, run_plan

#: Worlds sampled by default (the issue's "at least 200 worlds").
WORLDS = 200
#: Replications per world and alternative by default.
REPLICATIONS = 2

HELP = "test alternatives across plausible worlds: how often each is best, regret, when it flips"
EXAMPLES = """examples:
  ckm-sim robust baseline customer_centric
  ckm-sim robust baseline customer_centric --worlds 400 --replications 2 --periods 60
  ckm-sim robust baseline --add it_systems=1500 --add learning_culture=1500
  ckm-sim robust baseline it_only --assumptions my_assumptions.toml -j 2

Each alternative (a scenario, or with --add the one scenario given plus that much more spend
per period, as in compare) runs in N worlds, a Latin hypercube over the uncertain parameters of
the assumptions file (default: the shipped experiments/assumptions.toml), R replications each;
replication r runs on the same seed in every world and alternative (common random numbers).
The report gives, per alternative, the share of worlds in which it is best in net value (95%
Wilson CI), its expected and worst regret, the share of worlds in which it beats the first
alternative (pays back within the horizon), and when the answer flips, found by PRIM on the
worlds' parameters. The runs are streamed to disk: run the same command again to continue a
study that was stopped (only the missing runs run). Writes <out>/robust/<name>/report.md with
results.csv (one row per world, alternative and replication), scores.csv, flips.csv,
worlds.csv, robustness.png and summary.html; the runs are under alternatives/.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The alternatives, the assumptions file, the number of worlds and the shared options."""
    parser.add_argument(
        "scenarios",
        nargs="+",
        metavar="ALTERNATIVE",
        help="two or more scenario files or names (one with --add); the first is the reference",
    )
    parser.add_argument(
        "--add",
        action="append",
        metavar="DIM=AMOUNT[,...]",
        help="an alternative: this much more spend per period on the dimension(s) of the one "
        "scenario given (repeat for several), rebuilt in every world on that world's costs",
    )
    parser.add_argument(
        "--instant",
        action="store_true",
        help="with --add: buy the level the added spend sustains at once (default: build it "
        "over time as the equivalent investment plan)",
    )
    parser.add_argument(
        "--assumptions",
        type=Path,
        metavar="FILE",
        help="the uncertainty file (TOML; default: the shipped experiments/assumptions.toml)",
    )
    parser.add_argument(
        "--worlds",
        "-n",
        type=non_negative_int,  # 0 is refused in words by check_worlds
        default=WORLDS,
        help=f"plausible worlds to sample (default {WORLDS})",
    )
    parser.add_argument(
        "--world-seed",
        type=non_negative_int,
        help="seed of the worlds' Latin hypercube (default: the assumptions file's seed)",
    )
    add_common(parser, replications=REPLICATIONS)
    add_set(parser)


def run(args: argparse.Namespace) -> int:
    """Run the study (or continue it), print the findings, write the report."""
    from ckm_sim.errors import CKMError
    from ckm_sim.io import inside
    from ckm_sim.model.scenario import load_scenario
    from ckm_sim.whatif.robust.assumptions import load_assumptions
    from ckm_sim.whatif.robust.question import alternatives_of, robustness, study_name
    from ckm_sim.whatif.robust.worlds import check_worlds

    if args.instant and not args.add:
        raise CKMError("--instant says how --add buys competence; give --add DIM=AMOUNT")
    assumptions = load_assumptions(args.assumptions)
    check_worlds(args.worlds)
    given = [load_scenario(s).with_overrides(**settings_of(args)) for s in args.scenarios]
    alternatives = alternatives_of(given, args.add or [], instant=args.instant)
    name = args.name or study_name(alternatives)
    out = inside(args.out, "robust", name)  # every output path checked before the runs
    plan = run_plan(args).resolved(given[0])
    result, report = robustness(
        alternatives,
        assumptions,
        args.worlds,
        plan,
        out,
        name,
        progress=not args.quiet,
        max_memory=args.max_memory,
        world_seed=args.world_seed,
    )
    for line in result.lines:
        print(f"- {line}")
    print(f"report written to {report}")
    return 0
