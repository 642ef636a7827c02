"""Defaults of the what-if library that the command line shows in its help (light to import:
no model, no solver)."""

from __future__ import annotations

#: What ``ckm-sim calibrate`` fits unless told otherwise: the level of the churn hazard and the
#: customers' spread in loyalty, the two features of a cohort's survival curve (how many leave,
#: and how fast leaving slows with tenure), as the shifted-beta-geometric's two parameters are.
#: ``competitor_pull`` is left out: at a steady satisfaction it moves churn as the floor does.
DEFAULT_PARAMETERS: tuple[str, ...] = ("churn_floor", "loyalty_spread")

#: What ``ckm-sim firm-scenario`` fits to a single monthly retention rate: one number fixes the
#: level of churn but says nothing of how it slows with tenure, so the spread stays the base's.
SINGLE_RATE_PARAMETERS: tuple[str, ...] = ("churn_floor",)

#: Rounds of the response-surface search that refine calibrate's best trial
#: (:mod:`ckm_sim.whatif.calibrate.refine`), each scoring ``2 d + 1`` points; 0 turns it off.
REFINE_ROUNDS = 6

#: The optimiser's convergence verdict: the searches agree when every level their best splits buy
#: (capped at 1) is within this of the winner's. A tenth of the competence scale; on the
#: baseline's cost curve (2,000 x level**2 a period) about 200 a period at level 0.5 (100 at
#: 0.25, 360 at 0.9). docs/whatif.md, "Stability over budgets and search seeds", says why.
LEVEL_TOLERANCE = 0.10
