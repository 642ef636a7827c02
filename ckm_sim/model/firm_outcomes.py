"""Outcomes per firm of a multi-firm market: ``<firm>.<outcome>`` series and summary columns.

Used by ``CKMModel`` only when the market has several firms (docs/ODD.md
7.6): the single-firm tables keep exactly their columns. Names and meanings are registered in
:data:`ckm_sim.model.outcomes.FIRM_SERIES` and :data:`~ckm_sim.model.outcomes.FIRM_SUMMARY`;
keys are built by :func:`~ckm_sim.model.outcomes.firm_outcome`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ckm_sim.model import economics, valuation
from ckm_sim.model.market import ACTIVE
from ckm_sim.model.outcomes import firm_outcome
from ckm_sim.model.stages.books import firm_change, market_shares, ratio

if TYPE_CHECKING:
    from ckm_sim.model.stages.base import Period
    from ckm_sim.model.world import World


def _means(model: World, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """(F,) mean of ``values`` over each firm's active customers (``rows``)."""
    firm = model.state.firm_of[rows]
    count = np.bincount(firm, minlength=model.n_firms).astype(np.float64)
    return ratio(np.bincount(firm, values[rows], minlength=model.n_firms), count)


def firm_clv(model: World) -> np.ndarray:
    """(F,) mean lifetime value to each firm of every customer it has won: the margins the
    customer paid the firm, discounted to the date the firm first won it (later spells with the
    same firm count too, as a won-back customer's do with one firm); with ``horizon_value =
    "residual"`` a current customer adds its expected later margins (docs/ODD.md 7.4, 7.6)."""
    s, ec, fc = model.state, model.scenario_config.economics, model.firm_counters
    total = fc["clv_sum"].copy()
    if ec.horizon_value == "residual":
        i = ec.discount_rate
        rows = np.flatnonzero(s.status == ACTIVE)
        firm = s.firm_of[rows]
        later = np.asarray(economics.residual_value(s.margin[rows], 1.0 - s.hazard[rows], i))
        at_won = later * economics.discount_factor(model.steps, i) / s.firm_discount[rows, firm]
        total += np.bincount(firm, at_won, minlength=model.n_firms)
    return ratio(total, fc["won"])


def period_outcomes(model: World, period: Period | None) -> dict[str, float]:
    """This period's ``<firm>.<outcome>`` values (FIRM_SERIES); ``period`` None: before the
    first period."""
    s, n = model.state, model.n_firms
    m = max(s.needs.shape[1], 1)
    rows = np.flatnonzero(s.status == ACTIVE)
    firm = s.firm_of[rows]
    count = np.bincount(firm, minlength=n)
    settled = period.record("settle") if period is not None else None
    before = (count if settled is None else settled.firm_active_before).astype(np.float64)
    flows = period.firm_counts() if period is not None else {}
    zero = np.zeros(n)

    def per_customer(name: str) -> np.ndarray:
        return np.where(before > 0, flows.get(name, zero) / np.maximum(before, 1), 0.0)

    lost = firm_change(model, period, "to_rivals") + firm_change(model, period, "out_of_market")
    series: dict[str, np.ndarray] = {
        "market_share": market_shares(model),
        "active_customers": count.astype(np.float64),
        "acquisitions_from_prospects": firm_change(model, period, "from_prospects"),
        "acquisitions_from_rivals": firm_change(model, period, "from_rivals"),
        "losses_to_rivals": firm_change(model, period, "to_rivals"),
        "losses_out_of_market": firm_change(model, period, "out_of_market"),
        "retention_rate": 1.0 - ratio(lost, before),
        "mean_satisfaction": _means(model, rows, s.satisfaction),
        "mean_perceived_value": _means(model, rows, s.value),
        "offer_fit": (s.offers == s.truth).mean(axis=(1, 2)),
        "repository_accuracy": _means(model, rows, model.profile_right_count) / m,
        "code_accuracy": (s.codes == s.truth).mean(axis=(1, 2)),
        "employee_accuracy": np.array(
            [(s.beliefs[b] == s.truth).mean() for b in model.firm_blocks]
        ),
        "offer_knowledge": _means(model, rows, s.offer_knowledge),
        "knowledge_from_customers": per_customer("from_items"),
        "for_broadcast_reach": per_customer("for_broadcast_reached"),
        "for_broadcast_lessons": per_customer("for_broadcast_lessons"),
        "for_tailored_lessons": per_customer("for_tailored_lessons"),
        "for_tailored_precision": ratio(
            flows.get("for_tailored_right", zero), flows.get("for_tailored_lessons", zero)
        ),
        "for_understood_fitting": ratio(
            np.bincount(firm, model.used[rows], minlength=n),
            np.bincount(firm, model.fit[rows], minlength=n),
        ),
        "from_absorbed": per_customer("from_absorbed"),
        "from_relayed": per_customer("from_relayed"),
        "from_direct": per_customer("from_direct"),
        "from_to_product": per_customer("from_to_product"),
        "about_contacts": per_customer("about_contacts"),
        "about_captures": per_customer("about_captures"),
        "about_wrong_captures": ratio(
            flows.get("about_wrong_captures", zero), flows.get("about_captures", zero)
        ),
        "about_profile_staleness": model.steps
        - ratio(
            np.bincount(firm, s.profile_time_sum[rows], minlength=n),
            np.bincount(firm, s.profile_known[rows], minlength=n),
        ),
        "clv": firm_clv(model),
    }
    money = valuation.firm_valuations(model)
    series["customer_equity"] = np.array([v["customer_equity"] for v in money])
    series["investment_cost"] = model.firm_costs * (1.0 if model.steps else 0.0)
    series["net_value"] = np.array([v["net_value"] for v in money])
    return {
        firm_outcome(name, key): float(values[f])
        for f, name in enumerate(model.firm_names)
        for key, values in series.items()
    }


def summary(model: World, out: dict[str, float]) -> dict[str, Any]:
    """The ``<firm>.<column>`` summary columns (FIRM_SUMMARY) of a multi-firm run whose last
    period's outcomes are ``out``."""
    fc = model.firm_counters
    history = model.firm_history
    retention = np.array(history["retention"]) if history["retention"] else None
    shares = np.array(history["share"]) if history["share"] else None
    periods = np.maximum(fc["customer_periods"], 1)
    money = valuation.firm_valuations(model)
    rows: dict[str, Any] = {}
    for f, name in enumerate(model.firm_names):

        def mean(values: np.ndarray | None, last: int | None = None, f: int = f) -> float:
            if values is None:
                return float("nan")
            column = values[-last:, f] if last else values[:, f]
            column = column[~np.isnan(column)]
            return float(column.mean()) if len(column) else float("nan")

        row = {
            "final_market_share": out[firm_outcome(name, "market_share")],
            "mean_market_share": mean(shares),
            "mean_retention_rate": mean(retention),
            "final_retention_rate": mean(retention, 12),
            "final_active_customers": int(out[firm_outcome(name, "active_customers")]),
            "acquisitions_from_prospects": int(fc["from_prospects"][f]),
            "acquisitions_from_rivals": int(fc["from_rivals"][f]),
            "losses_to_rivals": int(fc["to_rivals"][f]),
            "losses_out_of_market": int(fc["out_of_market"][f]),
            **{
                key: out[firm_outcome(name, key)]
                for key in (
                    "mean_satisfaction",
                    "mean_perceived_value",
                    "offer_fit",
                    "repository_accuracy",
                    "code_accuracy",
                    "employee_accuracy",
                    "offer_knowledge",
                    "about_profile_staleness",
                    "clv",
                )
            },
            "knowledge_from_customers": fc["knowledge_items"][f] / periods[f],
            "for_lessons": (fc["for_broadcast_lessons"][f] + fc["for_tailored_lessons"][f])
            / periods[f],
            "for_tailored_precision": float(
                ratio(fc["for_tailored_right"][f : f + 1], fc["for_tailored_lessons"][f : f + 1])[0]
            ),
            "from_to_product": fc["from_to_product"][f] / periods[f],
            "about_captures": fc["about_captures"][f] / periods[f],
            "about_wrong_captures": float(
                ratio(fc["about_wrong_captures"][f : f + 1], fc["about_captures"][f : f + 1])[0]
            ),
            **money[f],
        }
        rows |= {
            firm_outcome(name, key): v if isinstance(v, int) else float(v) for key, v in row.items()
        }
    return rows
