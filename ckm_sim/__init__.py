"""ckm-sim: an agent-based test bed for customer knowledge management (CKM) competence.

The public API: :class:`CKMModel` (one run), :class:`Scenario` and :func:`load_scenario`
(validated inputs), :func:`run_scenario` (one run to a summary row and a time series).
Names are imported on first use, so the command line starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "CKMModel": "ckm_sim.model.model",
    "RunResult": "ckm_sim.model.runs",
    "run_scenario": "ckm_sim.model.runs",
    "Scenario": "ckm_sim.model.scenario",
    "ScenarioError": "ckm_sim.model.scenario",
    "list_scenarios": "ckm_sim.model.scenario",
    "load_scenario": "ckm_sim.model.scenario",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ckm_sim' has no attribute {name!r}")
