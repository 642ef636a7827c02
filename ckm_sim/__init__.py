"""ckm-sim: an agent-based test bed for customer knowledge management (CKM) competence.

The public API: :class:`CKMModel` (one run), :class:`Scenario` and :func:`load_scenario`
(validated inputs), :func:`run_scenario` (one run to a summary row and a time series).
"""

from ckm_sim.model import CKMModel
from ckm_sim.runs import RunResult, run_scenario
from ckm_sim.scenario import Scenario, ScenarioError, list_scenarios, load_scenario

__version__ = "0.1.0"

__all__ = [
    "CKMModel",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "list_scenarios",
    "load_scenario",
    "run_scenario",
]
