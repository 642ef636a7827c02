"""A finished run's summary row and its CLV per cohort (docs/ODD.md section 6, 7.4).

:func:`summarise` reads a model through the small :class:`RunState` protocol, so this module
does not import the model (no import circle); the columns' names and meanings are the
registry's (:mod:`ckm_sim.model.outcomes`).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pandas as pd

from ckm_sim.model import economics
from ckm_sim.model.outcomes import COHORT_YEARS, PLAN_COLUMNS, SUMMARY, measured


class _Counted(Protocol):
    counters: dict[str, float]
    acquired_at: np.ndarray
    acquisition_discount: np.ndarray


class _Economics(Protocol):
    horizon_value: str
    periods_per_year: int


class _Configured(Protocol):
    name: str
    economics: _Economics
    competence: Any


class _Invested(Protocol):
    def total_spend(self, periods: int) -> float:
        """Undiscounted spend on competence over periods 1..``periods``."""
        ...


class RunState(Protocol):
    """What :func:`summarise` reads from a model that has been run (a CKMModel has it all)."""

    outcomes: dict[str, float]
    retention_history: list[float]
    steps: int
    scenario_config: _Configured
    state: _Counted
    investment: _Invested | None

    def customer_lifetime_values(self) -> np.ndarray:
        """CLV of every customer at its first acquisition (NaN if never acquired)."""
        ...

    def valuation(self) -> dict[str, float]:
        """Customer equity, every cost and net value, in period-0 money."""
        ...


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


def _quantile(values: np.ndarray, q: float) -> float:
    return float(np.quantile(values, q)) if len(values) else np.nan


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else np.nan


def cohort_table(model: RunState) -> pd.DataFrame:
    """CLV per cohort: the initial base (acquired at period 0), then each year's first
    acquisitions (a year is ``periods_per_year`` periods: year y holds periods
    (y-1) P + 1 .. y P); size, mean and the 10/50/90th percentiles (docs/ODD.md 7.4)."""
    s = model.state
    year = model.scenario_config.economics.periods_per_year
    clv = model.customer_lifetime_values()
    acquired = s.acquired_at >= 0
    cohort = np.where(s.acquired_at > 0, (s.acquired_at + year - 1) // year, 0)[acquired]
    values = clv[acquired]
    rows = []
    for c in range(int(cohort.max(initial=0)) + 1):
        v = values[cohort == c]
        rows.append(
            {
                "cohort": "initial" if c == 0 else f"year {c}",
                "customers": len(v),
                "clv": _mean(v),
                "clv_p10": _quantile(v, 0.1),
                "clv_p50": _quantile(v, 0.5),
                "clv_p90": _quantile(v, 0.9),
            }
        )
    return pd.DataFrame(rows)


def plan_columns(model: RunState) -> dict[str, float]:
    """``plan_spend`` (undiscounted competence spend over the run) and the competence levels
    reached (``plan_level_<dimension>``) of a run under an investment plan; nothing without one."""
    if model.investment is None:
        return {}
    competence = model.scenario_config.competence
    finals = {
        c: float(getattr(competence, c.removeprefix("plan_level_")))
        for c in PLAN_COLUMNS
        if c.startswith("plan_level_")
    }
    return {"plan_spend": model.investment.total_spend(model.steps)} | finals


def summarise(model: RunState) -> dict[str, Any]:
    """The summary row of a model that has been run (with or without collected series)."""
    out, c, s = model.outcomes, model.state.counters, model.state
    history = model.retention_history
    ec = model.scenario_config.economics
    clv = model.customer_lifetime_values()
    acquired = s.acquired_at >= 0
    values = clv[acquired]
    pv0 = values * s.acquisition_discount[acquired]  # each customer's share of equity
    first = s.acquired_at
    year = ec.periods_per_year
    by_year = {
        f"clv_year_{y}": _mean(clv[(first > (y - 1) * year) & (first <= y * year)])
        for y in range(1, COHORT_YEARS + 1)
    }
    return {
        "scenario": model.scenario_config.name,
        "periods": model.steps,
        "mean_retention_rate": float(np.mean(history)) if history else np.nan,
        "final_retention_rate": float(np.mean(history[-12:])) if history else np.nan,
        "final_active_customers": out["active_customers"],
        "total_acquisitions": int(c["acquisitions"]),
        "total_churned": int(c["churned"]),
        "total_arrivals": int(c["arrivals"]),
        "total_returns": int(c["returns"]),
        "total_reacquisitions": int(c["reacquisitions"]),
        "mean_satisfaction": out["mean_satisfaction"],
        "mean_perceived_value": out["mean_perceived_value"],
        "offer_fit": out["offer_fit"],
        "repository_accuracy": out["repository_accuracy"],
        "code_accuracy": out["code_accuracy"],
        "employee_accuracy": out["employee_accuracy"],
        "offer_knowledge": out["offer_knowledge"],
        "knowledge_from_customers": c["knowledge_items"] / max(c["customer_periods"], 1),
        "for_tailored_precision": _ratio(c["for_tailored_right"], c["for_tailored_lessons"]),
        "for_lessons": (c["for_broadcast_lessons"] + c["for_tailored_lessons"])
        / max(c["customer_periods"], 1),
        "from_to_product": c["from_to_product"] / max(c["customer_periods"], 1),
        "about_wrong_captures": _ratio(c["about_wrong_captures"], c["about_captures"]),
        "about_profile_staleness": out["about_profile_staleness"],
        "belief_diversity": out["belief_diversity"],
        "clv": out["clv"],
        "clv_initial": _mean(clv[first == 0]),
        "clv_acquired": _mean(clv[first > 0]),
        **by_year,
        "clv_p10": _quantile(values, 0.1),
        "clv_p50": _quantile(values, 0.5),
        "clv_p90": _quantile(values, 0.9),
        "value_share_top20": economics.top_share(pv0, 0.2),
        **model.valuation(),
        "residual_value_counted": float(ec.horizon_value == "residual"),
        **plan_columns(model),
        **measured(SUMMARY, model),
    }
