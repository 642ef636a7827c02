"""Argument types and options shared by the what-if commands (one clear line on bad input)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ckm_sim.commands.argtypes import non_negative_int, positive_int

__all__ = ["DEFAULT_PARAMETERS", "add_common", "non_negative_int", "positive_int"]

#: Parameters ``ckm-sim calibrate`` fits unless told otherwise.
DEFAULT_PARAMETERS: tuple[str, ...] = ("churn_floor", "competitor_pull")


def add_common(parser: argparse.ArgumentParser, replications: int, periods: bool = True) -> None:
    """``--replications``, ``--periods``, ``--seed``, ``--workers``, ``--out``, ``--name``,
    ``--quiet``."""
    parser.add_argument(
        "--replications",
        "-r",
        type=positive_int,
        default=replications,
        help=f"replications (common random numbers) per evaluation (default {replications})",
    )
    if periods:
        parser.add_argument(
            "--periods", type=non_negative_int, help="periods per run (default: the scenario's)"
        )
    parser.add_argument(
        "--seed", type=non_negative_int, help="base seed of the replications (default: scenario's)"
    )
    parser.add_argument(
        "--workers",
        "-j",
        type=positive_int,
        default=1,
        help="worker processes (results are identical for any number; default 1)",
    )
    parser.add_argument("--out", type=Path, default=Path("results"), help="results folder")
    parser.add_argument("--name", help="report name (folder under <out>/<command>/)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
