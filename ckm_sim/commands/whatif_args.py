"""Options the what-if commands share, and the :class:`RunPlan` they build from them.

The command line owns its flags: library code (ckm_sim.whatif) takes a
:class:`~ckm_sim.experiments.evaluator.RunPlan` and never imports argparse types.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ckm_sim.commands.argtypes import non_negative_int, plain_name, positive_int

if TYPE_CHECKING:  # imported when a command runs, not to build the parser (fast --help)
    from ckm_sim.experiments.evaluator import RunPlan


def add_common(parser: argparse.ArgumentParser, replications: int, periods: bool = True) -> None:
    """``--replications``, ``--periods``, ``--seed``, ``--workers``, ``--scheduler``, ``--out``,
    ``--name``, ``--quiet``."""
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
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="send the runs to this Dask scheduler (results are identical)",
    )
    parser.add_argument("--out", type=Path, default=Path("results"), help="results folder")
    parser.add_argument(
        "--name", type=plain_name, help="report name (a plain name: folder under <out>/<command>/)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def run_plan(args: argparse.Namespace) -> RunPlan:
    """The replications, seed, periods and workers the options ask for."""
    from ckm_sim.experiments.evaluator import RunPlan

    return RunPlan(
        replications=args.replications,
        base_seed=args.seed,
        periods=getattr(args, "periods", None),
        workers=args.workers,
        scheduler=args.scheduler,
    )
