"""``ckm-sim sweep``: run an experiment's design points x replications, then analyse them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ckm_sim.commands import argtypes
from ckm_sim.commands.argtypes import SCHEDULER_HELP, positive_seconds, workers
from ckm_sim.commands.settings import add_set, experiment_with, settings_of
from ckm_sim.errors import output_error, require
from ckm_sim.experiments.spec import Experiment, load_experiment
from ckm_sim.limits import add_max_memory

#: ``--until-ci`` stops growing a sweep at this many replications unless told otherwise.
MAX_REPLICATIONS = 100

HELP = "run a parameter sweep (experiment file), streaming results, then write its report"
EXAMPLES = """examples:
  ckm-sim sweep experiments/quickstart.toml
  ckm-sim sweep experiments/competence_sweep.toml --workers 8
  ckm-sim sweep experiments/sensitivity_sobol.toml --dask-local --workers 4
  ckm-sim sweep experiments/sensitivity_sobol.toml --scheduler tcp://10.0.0.5:8786
  ckm-sim sweep experiments/competence_sweep.toml --resume     continue a stopped sweep
  ckm-sim sweep experiments/quickstart.toml --resume --replications 20   grow a finished sweep
  ckm-sim sweep experiments/quickstart.toml --until-ci 0.02 --max-replications 60

writes <out>/<experiment>/: manifest.json, design.parquet, runs/*.parquet (one row per run),
timeseries/*.parquet (if asked), points.csv, report.md and figures/. Exit code 0 when every
run succeeded, 1 when some failed (they are recorded; the first error is printed), 2 on bad
input, 3 when results cannot be written, 4 when another process uses the results folder, 5 when
the memory estimate is over --max-memory, 6 when an optional extra is missing (Dask), 130 when
interrupted (Ctrl-C, SIGTERM, SIGHUP).
"""


def relative_width(text: str) -> float:
    """A CI half-width relative to the mean: ``0.05`` or ``5%``, above 0 and below 1."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a share such as 0.05 or 5%, got {text!r}"
        ) from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be above 0 and below 1 (100%), got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Experiment, where to run it (processes or Dask), resume and output options."""
    parser.add_argument("experiment", metavar="EXPERIMENT", help="experiment file or shipped name")
    parser.add_argument(
        "--workers",
        type=workers,
        default=os.cpu_count() or 1,
        help="local worker processes (default: number of CPUs; 1 = run in this process)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help=SCHEDULER_HELP)
    where.add_argument(
        "--dask-local",
        action="store_true",
        help="start a Dask LocalCluster on 127.0.0.1 with --workers workers",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue a stopped sweep, or grow a finished one (more replications or samples)",
    )
    parser.add_argument(
        "--replications",
        type=argtypes.replications,
        metavar="N",
        help="replications per point instead of the file's; with --resume, more than stored "
        "adds replications (the stored runs are kept)",
    )
    parser.add_argument(
        "--samples",
        type=argtypes.positive_int,
        metavar="N",
        help="samples of a sampled design (latin_hypercube, sobol, morris) instead of the "
        "file's; with --resume, more than stored adds a block of new points",
    )
    parser.add_argument(
        "--until-ci",
        type=relative_width,
        metavar="HALF_WIDTH",
        help="then add replications until every point's 95%% CI half-width of the main outcome "
        "(the first reported) is within HALF_WIDTH of its mean (0.05 or 5%%)",
    )
    parser.add_argument(
        "--max-replications",
        type=argtypes.replications,
        default=MAX_REPLICATIONS,
        metavar="N",
        help=f"--until-ci stops at N replications (default {MAX_REPLICATIONS})",
    )
    parser.add_argument("--out", type=Path, default=Path("results"), help="parent output folder")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-report", action="store_true", help="skip the analysis and report")
    parser.add_argument(
        "--flush-every",
        type=positive_seconds,
        default=10.0,
        metavar="SECONDS",
        help="write finished runs to disk at least this often (default 10)",
    )
    add_set(parser)
    add_max_memory(parser)


def run(args: argparse.Namespace) -> int:
    """Run (or resume) the sweep, then analyse it; exit code 1 if some runs failed."""
    from ckm_sim.experiments.growth import grown
    from ckm_sim.experiments.lock import folder_lock
    from ckm_sim.experiments.runner import checked_inputs
    from ckm_sim.io import inside

    if args.scheduler is not None or args.dask_local:
        require("distributed", "--scheduler" if args.scheduler else "--dask-local")
    exp = experiment_with(load_experiment(args.experiment), settings_of(args))
    root = inside(args.out, exp.name)
    exp, blocks = grown(exp, root, args.resume, args.replications, args.samples)
    slots = 0 if args.scheduler is not None else args.workers
    inputs = checked_inputs(exp, slots, args.max_memory, blocks)  # bad input: nothing written
    try:
        with folder_lock(root, "sweep"):  # the sweep and its report: one process at a time
            return _sweep(args, exp, inputs)
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {root}") from None


def _sweep(args: argparse.Namespace, exp: Experiment, inputs: Any) -> int:
    from ckm_sim.experiments.runner import run_sweep

    where = {
        "out": args.out,
        "workers": args.workers,
        "scheduler": args.scheduler,
        "dask_local": args.dask_local,
        "progress": not args.quiet,
        "flush_seconds": args.flush_every,
    }
    result = run_sweep(exp, resume=args.resume, max_memory=args.max_memory, inputs=inputs, **where)
    if args.until_ci is not None:
        from ckm_sim.experiments.until_ci import grow_until

        cap = max(args.max_replications, exp.replications)
        result = grow_until(exp, result, args.until_ci, cap, max_memory=args.max_memory, **where)
    if result.interrupted:
        print(
            f"interrupted: {result.done} of {result.total} runs saved in {result.root}/; "
            f"continue with: ckm-sim sweep {args.experiment} --resume"
            + (f" --out {args.out}" if args.out != Path("results") else ""),
            file=sys.stderr,
        )
        return 130
    if result.new_runs == 0:
        print(f"{result.root}: all {result.total} runs were already done")
    else:
        print(
            f"{result.new_runs} runs in {result.elapsed:.1f} s on {result.label}; "
            f"{result.done} of {result.total} done, {result.failed} failed"
        )
    if result.errors:
        failed_now = result.failed - result.failed_before
        every = "every run" if failed_now == result.new_runs else f"{failed_now} run(s)"
        print(
            f"ckm-sim: {every} of this session failed ({failed_now} of {result.new_runs}); "
            f"first error: {result.errors[0]}",
            file=sys.stderr,
        )
    if not args.no_report:
        from ckm_sim.experiments.analysis import analyse
        from ckm_sim.experiments.report import write_report
        from ckm_sim.experiments.terminal import print_summary

        analysis = analyse(result.root)
        print_summary(analysis, write_report(analysis))
    print(f"results: {result.root}/")
    return 1 if result.failed else 0
