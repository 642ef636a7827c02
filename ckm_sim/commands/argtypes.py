"""Argument types shared by the sub-commands: a bad value is one clear argparse error line."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ckm_sim.model.scenario import MAX_PERIODS
from ckm_sim.names import plain_name_problem

#: Most replications (as in experiment files), optimiser trials and local worker processes.
MAX_REPLICATIONS = 100_000
MAX_TRIALS = 100_000
MAX_WORKERS = 1024


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_int(text: str) -> int:
    """A whole number >= 1."""
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    """A whole number >= 0."""
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high] (the same bounds as the files)."""

    def parse(text: str) -> int:
        value = _whole_number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high:,}, got {value:,}")
        return value

    parse.__name__ = f"whole number in [{low}, {high}]"
    return parse


#: ``--periods``: the scenario files' bound (Scenario.periods <= MAX_PERIODS).
periods = bounded_int(0, MAX_PERIODS)
#: ``--replications``: the experiment files' bound (Experiment.replications).
replications = bounded_int(1, MAX_REPLICATIONS)
#: ``--trials`` of optimize and calibrate.
trials = bounded_int(1, MAX_TRIALS)
#: ``--workers``: local worker processes.
workers = bounded_int(1, MAX_WORKERS)
#: ``--project`` of calibrate: periods beyond the observed ones, bounded as ``--periods``.
project = bounded_int(0, MAX_PERIODS)


#: What ``--scheduler`` trusts, said in every command's help (docs/sweeps.md, "Trust and TLS").
SCHEDULER_HELP = (
    "send the runs to this Dask scheduler (results are identical). Dask pickles tasks and "
    "results both ways, so whoever controls the scheduler or its workers can run any code in "
    "this process: use only a scheduler you trust, over tls://HOST:PORT with Dask's TLS "
    "settings (docs/sweeps.md, 'Trust and TLS')"
)


def positive_seconds(text: str) -> float:
    """A duration in seconds > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {value}")
    return value


def plain_name(text: str) -> str:
    """A name that becomes one folder under --out (no '/', no '..'; see ckm_sim/names.py)."""
    problem = plain_name_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem}, got {text!r}")
    return text
