"""The outcomes a run reports: per-period series (DataCollector) and one summary row.

Names here are the column names of every table ckm-sim writes and the names docs/ODD.md uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ckm_sim.model.model import CKMModel

#: Per-period outcomes and what they measure.
OUTCOMES: dict[str, str] = {
    "retention_rate": "share of the period's active customers who stayed",
    "active_customers": "customers active at the end of the period",
    "acquisitions": "prospects who became customers this period",
    "churned": "customers who left this period",
    "mean_satisfaction": "mean satisfaction of active customers, in [0, 1]",
    "mean_perceived_value": "mean perceived value of active customers, in [0, 1]",
    "offer_fit": "share of segment needs the standard offer meets",
    "repository_accuracy": "share of active customers' needs the CRM profiles record correctly",
    "code_accuracy": "share of segment needs the organisational code knows correctly",
    "employee_accuracy": "share of segment needs employees know correctly, on average",
    "offer_knowledge": "customers' mean knowledge of the offer (flow FOR), in [0, 1]",
    "knowledge_from_customers": "need items shared with the firm per active customer (flow FROM)",
    "clv": "mean customer lifetime value of every customer acquired so far",
    "customer_equity": "sum of all customers' lifetime values, in period-0 money",
    "investment_cost": "investment in CKM competence this period",
    "net_value": "customer equity minus discounted investment to date, in period-0 money",
}

#: Summary columns and what they hold.
SUMMARY: dict[str, str] = {
    "retention_rate": "mean per-period retention over the run",
    "final_retention_rate": "mean per-period retention over the last 12 periods",
    "final_active_customers": "active customers at the horizon",
    "total_acquisitions": "customers acquired over the run",
    "total_churned": "customers lost over the run",
    "mean_satisfaction": "mean satisfaction of active customers at the horizon",
    "mean_perceived_value": "mean perceived value of active customers at the horizon",
    "offer_fit": "standard offer's fit to segment needs at the horizon",
    "repository_accuracy": "CRM profile accuracy at the horizon",
    "code_accuracy": "organisational code accuracy at the horizon",
    "employee_accuracy": "employees' accuracy at the horizon",
    "offer_knowledge": "customers' knowledge of the offer at the horizon",
    "knowledge_from_customers": "need items shared per active customer per period, run mean",
    "clv": "mean CLV of all customers acquired (with residual value)",
    "customer_equity": "customer equity in period-0 money",
    "investment_cost": "discounted investment in CKM competence over the run",
    "net_value": "customer equity minus discounted investment",
}


def summarise(model: CKMModel) -> dict[str, Any]:
    """The summary row of a model that has been run (with or without collected series)."""
    out, c = model.outcomes, model.state.counters
    history = model.retention_history
    return {
        "scenario": model.scenario_config.name,
        "periods": model.steps,
        "retention_rate": float(np.mean(history)) if history else np.nan,
        "final_retention_rate": float(np.mean(history[-12:])) if history else np.nan,
        "final_active_customers": out["active_customers"],
        "total_acquisitions": int(c["acquisitions"]),
        "total_churned": int(c["churned"]),
        "mean_satisfaction": out["mean_satisfaction"],
        "mean_perceived_value": out["mean_perceived_value"],
        "offer_fit": out["offer_fit"],
        "repository_accuracy": out["repository_accuracy"],
        "code_accuracy": out["code_accuracy"],
        "employee_accuracy": out["employee_accuracy"],
        "offer_knowledge": out["offer_knowledge"],
        "knowledge_from_customers": c["knowledge_items"] / max(c["customer_periods"], 1),
        "clv": out["clv"],
        "customer_equity": out["customer_equity"],
        "investment_cost": c["cost_pv0"],
        "net_value": out["net_value"],
    }
