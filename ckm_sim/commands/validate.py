"""``ckm-sim validate``: check scenario files without running them."""

from __future__ import annotations

import argparse

from ckm_sim.model.scenario import load_scenario

HELP = "check one or more scenario files; prints OK or one line naming the problem"
EXAMPLES = """examples:
  ckm-sim validate scenarios/baseline.toml
  ckm-sim validate scenarios/*.toml
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario files or names to check."""
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="file or shipped name")


def run(args: argparse.Namespace) -> int:
    """Validate each scenario; the first bad one ends in a one-line error."""
    for name in args.scenarios:
        scenario = load_scenario(name)
        print(f"OK {name}: scenario '{scenario.name}', {scenario.periods} periods")
    return 0
