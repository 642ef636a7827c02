"""``ckm-sim analyze``: the report of a sweep's results folder (also run after every sweep)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ckm_sim.errors import output_error

HELP = "analyse a sweep's results: means and CIs, differences, sensitivity, report with figures"
EXAMPLES = """examples:
  ckm-sim analyze results/quickstart
  ckm-sim analyze results/sensitivity_sobol
  ckm-sim analyze results/duopoly_it --outcome leader.net_value --outcome laggard.net_value

writes report.md, figures/*.png and points.csv, adequacy.csv (and differences.csv,
simple_effects.csv, sensitivity.csv when the design has them) into RESULTS_DIR.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The folder of a finished (or stopped) sweep."""
    parser.add_argument("results", metavar="RESULTS_DIR", type=Path, help="a sweep's folder")
    parser.add_argument(
        "--outcome",
        action="append",
        metavar="NAME",
        help="analyse this summary outcome instead of the experiment's [outcomes] report "
        "(repeat; a firm's as <firm>.<outcome>, e.g. leader.final_market_share)",
    )


def run(args: argparse.Namespace) -> int:
    """Analyse a sweep's folder and (re)write its report."""
    from ckm_sim.experiments.analysis import analyse
    from ckm_sim.experiments.lock import folder_lock
    from ckm_sim.experiments.report import write_report
    from ckm_sim.experiments.terminal import print_summary

    try:
        with folder_lock(args.results, "analyze"):  # not while a sweep writes into it
            analysis = analyse(args.results, args.outcome)
            print_summary(analysis, write_report(analysis))
    except OSError as exc:
        raise output_error(exc, f"cannot write the report into {args.results}") from None
    return 0
