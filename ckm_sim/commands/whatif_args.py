"""Options the what-if commands share, and the :class:`RunPlan` they build from them.

The command line owns its flags: library code (ckm_sim.whatif) takes a
:class:`~ckm_sim.experiments.evaluator.RunPlan` and never imports argparse types.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ckm_sim.commands import argtypes
from ckm_sim.commands.argtypes import non_negative_int, plain_name
from ckm_sim.errors import require
from ckm_sim.limits import add_max_memory

if TYPE_CHECKING:  # imported when a command runs, not to build the parser (fast --help)
    from ckm_sim.experiments.evaluator import RunPlan
    from ckm_sim.model.scenario import Scenario


def add_common(
    parser: argparse.ArgumentParser,
    replications: int | None,
    periods: bool = True,
    replications_help: str | None = None,
    workers: int | None = None,
) -> None:
    """``--replications``, ``--periods``, ``--seed``, ``--workers`` (default ``workers``; None,
    the default: every CPU, as ``sweep``), ``--scheduler``, ``--out``, ``--name``, ``--quiet``,
    ``--max-memory``."""
    parser.add_argument(
        "--replications",
        "-r",
        type=argtypes.replications,
        default=replications,
        help=replications_help
        or f"replications (common random numbers) per evaluation (default {replications})",
    )
    if periods:
        parser.add_argument(
            "--periods", type=argtypes.periods, help="periods per run (default: the scenario's)"
        )
    parser.add_argument(
        "--seed", type=non_negative_int, help="base seed of the replications (default: scenario's)"
    )
    parser.add_argument(
        "--workers",
        "-j",
        type=argtypes.workers,
        default=workers or os.cpu_count() or 1,
        help="worker processes (results are identical for any number; default "
        + (f"{workers})" if workers else "the number of CPUs, as sweep)"),
    )
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help=argtypes.SCHEDULER_HELP,
    )
    parser.add_argument("--out", type=Path, default=Path("results"), help="results folder")
    parser.add_argument(
        "--name", type=plain_name, help="report name (a plain name: folder under <out>/<command>/)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    add_max_memory(parser)


def run_plan(args: argparse.Namespace) -> RunPlan:
    """The replications, seed, periods and workers the options ask for (a ``--scheduler``
    without Dask installed is refused here, before any run)."""
    from ckm_sim.experiments.evaluator import RunPlan

    if args.scheduler is not None:
        require("distributed", "--scheduler")

    return RunPlan(
        replications=args.replications,
        base_seed=args.seed,
        periods=getattr(args, "periods", None),
        workers=args.workers,
        scheduler=args.scheduler,
    )


def check_runs_memory(
    args: argparse.Namespace,
    scenarios: Sequence[Scenario],
    kept_runs: int = 0,
    periods: int = 0,
) -> None:
    """Refuse (TooLargeError) runs that would not fit in ``--max-memory``
    (:func:`ckm_sim.whatif.shared.memory_check.check_runs_memory` for the options' workers)."""
    from ckm_sim.whatif.shared import memory_check

    memory_check.check_runs_memory(
        scenarios, args.workers, args.scheduler, args.max_memory, kept_runs, periods
    )
