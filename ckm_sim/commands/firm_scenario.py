"""``ckm-sim firm-scenario``: a firm's own figures (customers, staff, margin, current spend,
retention) in, a scenario the other commands take out (docs/whatif.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = (
    "write a scenario from a firm's own figures (customers, staff, margin, what it spends on "
    "each dimension, its monthly retention, fitted as calibrate does)"
)
EXAMPLES = """examples:
  ckm-sim firm-scenario data/firm_figures.toml --out my_firm.toml
  ckm-sim run my_firm.toml
  ckm-sim compare my_firm.toml --add it_systems=1500 --add learning_culture=1500
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The figures file, where the scenario goes, and the workers of the retention fit."""
    from ckm_sim.commands import argtypes

    parser.add_argument("figures", metavar="FIGURES.toml", help="the firm's figures")
    parser.add_argument(
        "--out", required=True, metavar="SCENARIO.toml", help="the scenario file to write"
    )
    parser.add_argument(
        "--workers",
        "-j",
        type=argtypes.positive_int,
        default=1,
        help="processes for the retention fit (default 1)",
    )


def run(args: argparse.Namespace) -> int:
    """Read the figures, build (and fit) the scenario, write it, read it back."""
    from ckm_sim.io import write_text
    from ckm_sim.model.scenario import load_scenario
    from ckm_sim.whatif.calibrate.scenario_file import scenario_toml
    from ckm_sim.whatif.figures.build import firm_scenario
    from ckm_sim.whatif.figures.read import FiguresError, read_figures, retention_path

    out = Path(args.out)
    if out.suffix != ".toml":
        raise FiguresError(f"--out {args.out}: a scenario file ends in .toml")
    if out.is_dir():
        raise FiguresError(f"--out {args.out} is a folder; give a file name ending in .toml")
    figures = read_figures(args.figures)
    built = firm_scenario(figures, retention_path(args.figures, figures), args.workers)
    header = "\n".join([f"Written by ckm-sim firm-scenario from {args.figures}:", *built.notes()])
    write_text(out, scenario_toml(built.scenario, header))
    written = load_scenario(out)  # what the other commands will read
    for line in built.notes():
        print(f"- {line}")
    print(f"scenario '{written.name}' written to {out}")
    return 0
