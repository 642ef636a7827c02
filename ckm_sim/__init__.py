"""ckm-sim: an agent-based test bed for customer knowledge management (CKM) competence.

The public API: :class:`CKMModel` (one run), :class:`Scenario` and :func:`load_scenario`
(validated inputs), :func:`run_scenario` (one run to a summary row and a time series), and the
workflow of :mod:`ckm_sim.api`: :func:`sweep`, :func:`compare`, :func:`optimize`,
:func:`calibrate` and :func:`robust` (docs/api.md).
Names are imported on first use, so the command line starts fast; type checkers see them
through the ``TYPE_CHECKING`` imports below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ckm_sim.api import (
        Outcome,
        SweepOutcome,
        calibrate,
        compare,
        optimize,
        robust,
        sweep,
    )
    from ckm_sim.model.model import CKMModel
    from ckm_sim.model.runs import RunResult, run_scenario
    from ckm_sim.model.scenario import Scenario, ScenarioError, list_scenarios, load_scenario

__version__ = "0.1.0"

_EXPORTS = {
    "Outcome": "ckm_sim.api",
    "SweepOutcome": "ckm_sim.api",
    "calibrate": "ckm_sim.api",
    "compare": "ckm_sim.api",
    "optimize": "ckm_sim.api",
    "robust": "ckm_sim.api",
    "sweep": "ckm_sim.api",
    "CKMModel": "ckm_sim.model.model",
    "RunResult": "ckm_sim.model.runs",
    "run_scenario": "ckm_sim.model.runs",
    "Scenario": "ckm_sim.model.scenario",
    "ScenarioError": "ckm_sim.model.scenario",
    "list_scenarios": "ckm_sim.model.scenario",
    "load_scenario": "ckm_sim.model.scenario",
}

__all__ = [
    "CKMModel",
    "Outcome",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SweepOutcome",
    "__version__",
    "calibrate",
    "compare",
    "list_scenarios",
    "load_scenario",
    "optimize",
    "robust",
    "run_scenario",
    "sweep",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (``from ckm_sim import CKMModel``)."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ckm_sim' has no attribute {name!r}")
