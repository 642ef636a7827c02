"""Defaults of the what-if library that the command line shows in its help (light to import:
no model, no solver)."""

from __future__ import annotations

#: What ``ckm-sim calibrate`` fits unless told otherwise: the churn hazard's two rates.
DEFAULT_PARAMETERS: tuple[str, ...] = ("churn_floor", "competitor_pull")
