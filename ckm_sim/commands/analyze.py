"""``ckm-sim analyze``: the report of a sweep's results folder (also run after every sweep)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "analyse a sweep's results: means and CIs, differences, sensitivity, report with figures"
EXAMPLES = """examples:
  ckm-sim analyze results/quickstart
  ckm-sim analyze results/sensitivity_sobol

writes report.md, figures/*.png and points.csv, adequacy.csv (and differences.csv,
simple_effects.csv, sensitivity.csv when the design has them) into RESULTS_DIR.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The folder of a finished (or stopped) sweep."""
    parser.add_argument("results", metavar="RESULTS_DIR", type=Path, help="a sweep's folder")


def run(args: argparse.Namespace) -> int:
    """Analyse a sweep's folder and (re)write its report."""
    from ckm_sim.experiments.analysis import analyse
    from ckm_sim.experiments.report import print_summary, write_report

    analysis = analyse(args.results)
    print_summary(analysis, write_report(analysis))
    return 0
