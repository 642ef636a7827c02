"""Defaults of the what-if library that the command line shows in its help (light to import:
no model, no solver)."""

from __future__ import annotations

#: What ``ckm-sim calibrate`` fits unless told otherwise: the churn hazard's two rates.
DEFAULT_PARAMETERS: tuple[str, ...] = ("churn_floor", "competitor_pull")

#: The optimiser's convergence verdict: the searches agree when every level their best splits buy
#: (capped at 1) is within this of the winner's. A tenth of the competence scale; on the
#: baseline's cost curve (2,000 x level**2 a period) about 200 a period at level 0.5 (100 at
#: 0.25, 360 at 0.9). docs/whatif.md, "Stability over budgets and search seeds", says why.
LEVEL_TOLERANCE = 0.10
