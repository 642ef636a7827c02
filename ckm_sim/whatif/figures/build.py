"""From a firm's figures to a scenario: its size, money and costs, the competence its current
spend buys, and the churn that reproduces its retention (docs/whatif.md, ``firm-scenario``).

* Size and money: ``customers``, ``employees``, the monthly ``margin`` (or ``revenue *
  margin_rate``) and ``currency`` replace the base scenario's; prospects keep the base's ratio to
  customers unless given. The costs keep the base's parts per dimension (docs/ODD.md 7.5), so
  what competence costs follows the firm's own staff and customers.
* Competence: a dimension the firm spends ``s`` a month on works at the level that spend keeps
  on the firm's cost curve, ``min(1, (s / u_d) ** (1 / k))``
  (:func:`ckm_sim.model.investment.bought_level`); the others keep the base's level.
* Retention: a monthly rate ``r`` is the survival curve ``r ** t`` over ``fit.months``; a CSV
  is read as ``ckm-sim calibrate`` reads it. Either is fitted with calibrate's library
  (:func:`ckm_sim.whatif.calibrate.fit.calibrate`, its default parameters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.costs import unit_cost
from ckm_sim.model.investment import bought_level
from ckm_sim.model.scenario import Scenario, ScenarioError, load_scenario
from ckm_sim.whatif.figures.read import FiguresError, FirmFigures


@dataclass
class FirmScenario:
    """The scenario written from a firm's figures, and what was derived on the way."""

    scenario: Scenario
    levels: dict[str, float] = field(default_factory=dict)  # from the current spend
    capped: list[str] = field(default_factory=list)  # spend beyond the cost of level 1
    fitted: dict[str, float] = field(default_factory=dict)
    fit_rmse: float = float("nan")

    def notes(self) -> list[str]:
        """What was derived, one line each (the written file's header)."""
        sc = self.scenario
        money = sc.economics.currency
        lines = [
            f"{sc.market.customers:,} customers, {sc.firm.employees:,} staff, a margin of "
            f"{sc.economics.margin:,.2f} {money} per customer and month",
            "competence costs per month at level 1: "
            + ", ".join(f"{d} {unit_cost(sc, d):,.0f}" for d in type(sc.competence).model_fields)
            + f" {money} (docs/ODD.md 7.5)",
        ]
        for dim, level in self.levels.items():
            cap = " (capped: the spend exceeds the cost of level 1)" if dim in self.capped else ""
            lines.append(f"{dim} at {level:.3f}, the level the current spend keeps{cap}")
        if self.fitted:
            shown = ", ".join(f"{k} = {v:.4g}" for k, v in self.fitted.items())
            lines.append(f"retention fitted: {shown} (RMSE of survival {self.fit_rmse:.4f})")
        return lines


def constant_retention(rate: float, months: int) -> pd.DataFrame:
    """The survival curve of a constant monthly retention ``rate``: ``rate ** t``, t = 0..months
    (the frame :func:`ckm_sim.whatif.calibrate.survival.read_retention` returns)."""
    period = np.arange(months + 1)
    survival = rate**period
    return pd.DataFrame({"period": period, "active": survival, "survival": survival})


def sized(figures: FirmFigures) -> Scenario:
    """The base scenario with the firm's size, money and the levels its spend keeps."""
    try:
        base = load_scenario(figures.base)
    except ScenarioError as exc:
        raise FiguresError(f"base scenario: {exc}") from None
    ratio = base.market.prospects / max(base.market.customers, 1)
    money: dict[str, object] = {
        "name": figures.name or "my_firm",
        "description": figures.description or f"{figures.name}: a firm in its own figures",
        "customers": figures.customers,
        "prospects": (
            figures.prospects if figures.prospects is not None else round(figures.customers * ratio)
        ),
        "employees": figures.employees,
        "margin": figures.monthly_margin,
        "currency": figures.currency,
    }
    for key in ("acquisition_cost", "contact_cost"):
        if getattr(figures, key) is not None:
            money[key] = getattr(figures, key)
    try:
        return base.with_overrides(**money)
    except ScenarioError as exc:
        raise FiguresError(f"the figures do not make a scenario: {exc}") from None


def spend_levels(scenario: Scenario, spend: dict[str, float]) -> tuple[dict[str, float], list]:
    """The level each spend keeps on the scenario's cost curve, and the dimensions capped at 1."""
    k = scenario.costs.cost_exponent
    levels, capped = {}, []
    for dim, amount in spend.items():
        unit = unit_cost(scenario, dim)
        if unit <= 0:
            raise FiguresError(f"spend.{dim}: the dimension costs nothing in the base scenario")
        levels[dim] = bought_level(amount, unit, k)
        if amount > unit:
            capped.append(dim)
    return levels, capped


def firm_scenario(
    figures: FirmFigures, retention_csv: Path | None = None, workers: int = 1
) -> FirmScenario:
    """The scenario of ``figures`` (its retention fitted if it gives one; see the module
    docstring). ``retention_csv`` is the figures' CSV resolved against the figures file."""
    from ckm_sim.whatif.calibrate.fit import calibrate
    from ckm_sim.whatif.calibrate.survival import read_retention
    from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS, SINGLE_RATE_PARAMETERS

    scenario = sized(figures)
    levels, capped = spend_levels(scenario, figures.spend.given())
    scenario = scenario.with_overrides(**levels)
    out = FirmScenario(scenario, levels, capped)
    if figures.retention is None and retention_csv is None:
        return out
    parameters: tuple[str, ...] = DEFAULT_PARAMETERS
    if retention_csv is not None:
        observed = read_retention(retention_csv)
    else:
        assert figures.retention is not None
        observed = constant_retention(figures.retention, figures.fit.months)
        parameters = SINGLE_RATE_PARAMETERS
    fit = figures.fit
    plan = RunPlan(replications=fit.replications, base_seed=fit.seed, workers=workers)
    try:
        result = calibrate(
            scenario,
            observed,
            plan.resolved(scenario),
            parameters=parameters,
            trials=fit.trials,
            eval_replications=fit.eval_replications,
        )
    except CKMError as exc:
        raise FiguresError(f"retention fit: {exc}") from None
    out.scenario = scenario.with_overrides(**result.fitted)
    out.fitted, out.fit_rmse = dict(result.fitted), result.rmse
    return out
