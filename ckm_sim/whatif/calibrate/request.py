"""What ``calibrate`` is asked, from the command line or from Python (:mod:`ckm_sim.api`): the
parameters to fit and the checks on the observed curve, the projection and the evaluation made
before any run."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ckm_sim.errors import CKMError
from ckm_sim.model.scenario import MAX_PERIODS, Scenario
from ckm_sim.names import short_name


def fit_parameters(given: Iterable[str]) -> list[str]:
    """Parameter names as given (``--fit a b`` or ``--fit a,b``), blanks dropped."""
    return [p.strip() for text in given for p in text.split(",") if p.strip()]


def check_request(observed: pd.DataFrame, project: int, eval_replications: int) -> None:
    """Refuse, in one line, a projection past :data:`MAX_PERIODS` and fewer than two
    evaluation replications (no band)."""
    last = int(observed["period"].max())
    if last + project > MAX_PERIODS:
        raise CKMError(
            f"--project {project:,}: the last observed period ({last:,}) plus the projection "
            f"must be at most {MAX_PERIODS:,} periods (as --periods)"
        )
    if eval_replications < 2:
        raise CKMError("--eval-replications must be at least 2 for a band")


def calibration_name(scenario: Scenario, retention: str | Path) -> str:
    """The default report name: the scenario's and the retention file's (``baseline_sample``)."""
    return short_name(f"{scenario.name}_{Path(retention).stem}")
