"""What CKM competence costs a firm per period, built from what it pays (docs/ODD.md 7.5): the
``[costs]`` keys (:class:`CostFields`) and what they make.

Each dimension ``d`` at level ``x_d`` costs ``unit_d * x_d ** k`` per period (``k`` =
``cost_exponent``), where ``unit_d``, the cost of level 1, is made of the parts that scale with
the firm's staff, with its customers and records, and the fixed ones::

    unit_d = fixed_d + per_employee_d * employees + per_customer_d * budget_customers

``budget_customers`` is the customer base the firm budgets on: its active customers at the start
(its share of them in a multi-firm market, :meth:`Scenario.for_firm`), a figure it knows when it
sets the budget; the costs therefore stay fixed for a run without a plan. ``cost_<dim>``, the old
flat form, replaces a dimension's parts by one cost of level 1 whatever the firm's size.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from pydantic import BaseModel, Field

#: An amount of money per period: finite, 0 or more.
Amount = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class Scenario(Protocol):
    """What the costs read of a scenario (:class:`ckm_sim.model.scenario.Scenario`; a protocol,
    so that the scenario module can use this one)."""

    @property
    def competence(self) -> Any:
        """The five levels."""

    @property
    def costs(self) -> Any:
        """The ``[costs]`` section."""

    @property
    def firm(self) -> Any:
        """The ``[firm]`` section (``employees``)."""

    @property
    def market(self) -> Any:
        """The ``[market]`` section (``customers``)."""

    @property
    def firms(self) -> Any:
        """The firms of a market of firms (empty: one firm)."""

    def firm_spec(self, name: str) -> Any:
        """The spec of firm ``name``."""


#: The parts of a dimension's cost of level 1, in the order of their ``[costs]`` keys.
PARTS: tuple[str, ...] = ("fixed", "per_employee", "per_customer")


def budget_customers(scenario: Scenario) -> float:
    """The active customers the firm budgets its competence on: ``[costs] budget_customers``,
    else the customers at the start (``[market] customers``)."""
    given = scenario.costs.budget_customers
    return float(scenario.market.customers if given is None else given)


class CostFields(BaseModel):
    """The ``[costs]`` keys (the scenario's ``Costs`` section adds its checks): per dimension the
    parts of its cost of level 1 (defaults: docs/ODD.md 7.5, 2,000 each for 50 staff and 2,000
    customers), the old flat ``cost_<dim>`` (None: from the parts), the customers the firm budgets
    on (None: those at the start, a firm's share of them) and the exponent of the cost curve."""

    fixed_inter_functional_cooperation: Amount = 300.0  # the shared customer database
    per_employee_inter_functional_cooperation: Amount = 24.0  # meetings
    per_customer_inter_functional_cooperation: Amount = 0.25  # shared records
    fixed_organisational_systems: Amount = 200.0  # a customer-centred structure
    per_employee_organisational_systems: Amount = 32.0  # evaluation and reward
    per_customer_organisational_systems: Amount = 0.1  # measuring customer outcomes
    fixed_customer_cooperation: Amount = 400.0  # the community, co-creation platform
    per_employee_customer_cooperation: Amount = 8.0  # staff who run it
    per_customer_customer_cooperation: Amount = 0.6  # incentives, the customers' share
    fixed_it_systems: Amount = 600.0  # CRM platform, integration, maintenance
    per_employee_it_systems: Amount = 16.0  # seats, intranet
    per_customer_it_systems: Amount = 0.3  # records, channel capacity
    fixed_learning_culture: Amount = 200.0  # the programme
    per_employee_learning_culture: Amount = 36.0  # training and culture work
    per_customer_learning_culture: Amount = 0.0
    cost_inter_functional_cooperation: Amount | None = None
    cost_organisational_systems: Amount | None = None
    cost_customer_cooperation: Amount | None = None
    cost_it_systems: Amount | None = None
    cost_learning_culture: Amount | None = None
    budget_customers: Amount | None = None
    cost_exponent: Annotated[float, Field(ge=1.0, le=5.0)] = 2.0


def initial_share(scenario: Scenario, name: str) -> float:
    """Firm ``name``'s share of the initial customers, on which it budgets: its ``initial_share``,
    else an equal split of what the firms that set one leave (1 for a single firm)."""
    own = scenario.firm_spec(name).get("initial_share")
    if not scenario.firms:
        return 1.0
    if own is not None:
        return float(own)
    shares = [f.get("initial_share") for f in scenario.firms]
    rest = max(0.0, 1.0 - sum(x for x in shares if x is not None))
    return rest / sum(1 for x in shares if x is None)


def cost_parts(scenario: Scenario, dimension: str) -> dict[str, float]:
    """The cost of level 1 of ``dimension`` by part: ``fixed``, ``per_employee`` (times the
    employees) and ``per_customer`` (times the budgeted customers); with the old flat
    ``cost_<dim>`` set, all of it is ``fixed``."""
    k = scenario.costs
    flat = getattr(k, f"cost_{dimension}")
    if flat is not None:
        return {"fixed": float(flat), "per_employee": 0.0, "per_customer": 0.0}
    return {
        "fixed": float(getattr(k, f"fixed_{dimension}")),
        "per_employee": getattr(k, f"per_employee_{dimension}") * scenario.firm.employees,
        "per_customer": getattr(k, f"per_customer_{dimension}") * budget_customers(scenario),
    }


def unit_cost(scenario: Scenario, dimension: str) -> float:
    """The cost per period of level 1 of ``dimension`` (the sum of its parts)."""
    return float(sum(cost_parts(scenario, dimension).values()))


def unit_costs(scenario: Scenario) -> dict[str, float]:
    """The cost per period of level 1 of every dimension, by name."""
    return {dim: unit_cost(scenario, dim) for dim in type(scenario.competence).model_fields}


def cost_source(scenario: Scenario, dimension: str) -> str:
    """The keys that set ``dimension``'s cost of level 1, for a message."""
    if getattr(scenario.costs, f"cost_{dimension}") is not None:
        return f"cost_{dimension}"
    return f"its cost of level 1 ({', '.join(f'{p}_{dimension}' for p in PARTS)})"


def dimension_costs(scenario: Scenario) -> dict[str, float]:
    """What each dimension costs per period at the scenario's level: ``unit_d * level_d ** k``."""
    c, k = scenario.competence, scenario.costs.cost_exponent
    return {dim: unit * getattr(c, dim) ** k for dim, unit in unit_costs(scenario).items()}


def investment_cost(scenario: Scenario) -> float:
    """The competence's cost per period: the sum over dimensions of ``unit_d * level_d ** k``."""
    return float(sum(dimension_costs(scenario).values()))


def scaled(scenario: Scenario, factor: float) -> dict[str, float]:
    """Flat overrides that multiply every dimension's cost of level 1 by ``factor`` (its parts,
    or its old flat ``cost_<dim>``): a one-factor cost sweep, a break-even multiplier."""
    if not factor >= 0:
        raise ValueError(f"a cost factor must be 0 or more, got {factor}")
    k = scenario.costs
    out: dict[str, float] = {}
    for dim in type(scenario.competence).model_fields:
        flat = getattr(k, f"cost_{dim}")
        keys = [f"cost_{dim}"] if flat is not None else [f"{p}_{dim}" for p in PARTS]
        out |= {key: factor * getattr(k, key) for key in keys}
    return out
