"""What a run's customers and costs are worth: lifetime values, customer equity, net value.

Every sum is in period-0 money under the run's horizon convention (docs/ODD.md 7.4, 7.5):
``"horizon"`` counts margins and costs of periods 1..T; ``"residual"`` adds, for customers
active at T, their expected later margins and the costs of serving them and of sustaining the
competence. :func:`value_of` values the market or one firm; with several firms the market's
money is the sum of its firms' (:func:`firm_valuations`), so it adds up under either convention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ckm_sim.model import economics
from ckm_sim.model.market import ACTIVE

if TYPE_CHECKING:
    from ckm_sim.model.world import World


def customer_lifetime_values(world: World) -> np.ndarray:
    """CLV of every customer at its (first) acquisition, under the run's horizon convention
    (docs/ODD.md 7.4); NaN for customers never acquired."""
    s, ec = world.state, world.scenario_config.economics
    acquired = s.acquired_at >= 0
    clv = economics.customer_lifetime_values(
        s.realised_pv0,
        s.acquisition_discount,
        s.status == ACTIVE,
        1.0 - s.hazard,
        world.steps,
        s.margin,
        ec.discount_rate,
        residual=ec.horizon_value == "residual",
    )
    return np.where(acquired, clv, np.nan)


def valuation(world: World) -> dict[str, float]:
    """Customer equity and every cost in period-0 money, under the horizon convention.

    ``"horizon"``: margins and costs of periods 1..T. ``"residual"`` adds, for customers
    active at T, their residual margins, the cost of serving them (contacts at the run's
    rate per customer-period) and of sustaining the competence at its horizon cost per
    active customer, each over the customer's expected remaining periods (docs/ODD.md 7.5).
    """
    s = world.state
    if world.n_firms > 1:  # the market's money is its firms' money, under either convention
        firms = firm_valuations(world)
        return {k: float(sum(v[k] for v in firms)) for k in firms[0]}
    return value_of(
        world, float(s.realised_pv0.sum()), s.status == ACTIVE, s.counters, world.cost_per_period
    )


def firm_valuations(world: World) -> list[dict[str, float]]:
    """Each firm's customer equity, costs and net value (:func:`valuation` of one firm: its
    customers' margins paid to it, its costs, its active customers' residual)."""
    s, fc = world.state, world.firm_counters
    active = s.status == ACTIVE
    out = []
    for f in range(world.n_firms):
        counters = {k: float(v[f]) for k, v in fc.items()}
        mine = active & (s.firm_of == f)
        out.append(
            value_of(world, counters["equity_pv0"], mine, counters, float(world.firm_costs[f]))
        )
    return out


def value_of(
    world: World,
    realised: float,
    customers: np.ndarray,
    c: Any,
    cost_per_period: float,
) -> dict[str, float]:
    """:func:`valuation` of the market or of one firm: ``realised`` margins in period-0
    money, its active ``customers`` (a mask), its counters ``c`` (contacts,
    customer_periods, cost_pv0, acquisition_pv0, contact_pv0) and its cost per period."""
    s, ec = world.state, world.scenario_config.economics
    i = ec.discount_rate
    equity = realised
    sustaining = serving_after = 0.0
    if ec.horizon_value == "residual":
        active = customers.astype(np.float64)
        n_active = float(active.sum())
        retention = 1.0 - s.hazard
        at_horizon = economics.discount_factor(world.steps, i)
        residual = economics.weighted_sum(
            np.asarray(economics.residual_value(s.margin, retention, i)), active
        )
        remaining = economics.weighted_sum(
            np.asarray(economics.expected_remaining_periods(retention, i)), active
        )
        rate = (
            c["contacts"] / c["customer_periods"]
            if c["customer_periods"]
            else world.scenario_config.market.contact_rate
        )
        equity += float(residual) * at_horizon
        serving_after = rate * ec.contact_cost * remaining * at_horizon
        if n_active:
            sustaining = cost_per_period / n_active * remaining * at_horizon
    money = {
        "customer_equity": equity,
        "investment_cost": c["cost_pv0"],
        "sustaining_cost": sustaining,
        "acquisition_spend": c["acquisition_pv0"],
        "serving_cost": c["contact_pv0"] + serving_after,
    }
    costs = sum(v for k, v in money.items() if k != "customer_equity")
    return money | {"net_value": equity - costs}
