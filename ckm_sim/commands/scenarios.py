"""``ckm-sim scenarios``: list the shipped scenarios with their descriptions."""

from __future__ import annotations

import argparse

from ckm_sim.model.scenario import list_scenarios, load_scenario

HELP = "list the shipped scenarios"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command takes no arguments."""
    del parser


def run(args: argparse.Namespace) -> int:
    """Print each shipped scenario's name and description."""
    del args
    for name in list_scenarios():
        print(f"{name:18s} {load_scenario(name).description}")
    return 0
