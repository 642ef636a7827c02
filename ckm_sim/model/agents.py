"""Mesa agents: departments, employees and customers.

The model keeps every agent's state in numpy arrays and updates them all at once (see model.py);
these agent objects are views onto one row of those arrays, for inspection, DataCollector agent
reporters and the dashboard. They hold an index, never a copy of the state.

``model.agents`` holds the firm: its departments and employees, registered with the model when it
is built. Customers (and prospects), up to millions of them, are not registered: their views are
made on first use of ``model.customers`` and never join ``model.agents``, so its size never
changes and a run that does not look at customers never pays for them.

They read the model through :class:`AgentHost` (what a CKMModel offers them), so this module
does not import the model (no import circle).
"""

from __future__ import annotations

from typing import Any, Protocol

import mesa
import numpy as np

from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT


class AgentHost(Protocol):
    """What the agent views read from their model (a :class:`~ckm_sim.model.model.CKMModel`)."""

    state: Any  # the model's numpy state (ckm_sim.model.model.State)
    scenario_config: Any  # the model's Scenario
    employees: mesa.agent.AgentSet

    def customer_lifetime_values(self) -> np.ndarray:
        """Each customer's lifetime value so far (see CKMModel)."""
        ...


class _View(mesa.Agent):
    """An agent that is a view onto one row of its model's arrays."""

    model: AgentHost  # the model, as these views read it


STATE_NAMES = {PROSPECT: "prospect", ACTIVE: "active", CHURNED: "churned"}


class Department(_View):
    """A department of the firm (marketing, sales, service, R&D, IT by default)."""

    def __init__(self, model: mesa.Model, index: int, name: str) -> None:
        super().__init__(model)
        self.index = index
        self.name = name

    @property
    def employees(self) -> mesa.agent.AgentSet:
        """The department's employees."""
        return self.model.employees.select(lambda e: e.department_index == self.index)

    @property
    def headcount(self) -> int:
        """Number of employees in the department."""
        return int((self.model.state.employee_department == self.index).sum())

    @property
    def frontline(self) -> bool:
        """Whether the department serves customers."""
        return self.name in self.model.scenario_config.firm.frontline_departments

    @property
    def knowledge_accuracy(self) -> float:
        """Mean accuracy of its employees' beliefs about customer segments."""
        s = self.model.state
        members = s.employee_department == self.index
        return float((s.beliefs[members] == s.truth).mean())


class Employee(_View):
    """An employee: belongs to one department, holds beliefs about segments, may serve customers."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def department_index(self) -> int:
        """Index of the employee's department."""
        return int(self.model.state.employee_department[self.index])

    @property
    def department(self) -> str:
        """Name of the employee's department."""
        return self.model.scenario_config.firm.departments[self.department_index]

    @property
    def beliefs(self) -> np.ndarray:
        """Beliefs about every segment's needs, shape (segments, need dimensions), in {-1,0,1}."""
        return self.model.state.beliefs[self.index]

    @property
    def knowledge_accuracy(self) -> float:
        """Share of segment needs the employee knows correctly."""
        return float((self.beliefs == self.model.state.truth).mean())

    @property
    def customers_served(self) -> int:
        """Number of active customers the employee serves."""
        s = self.model.state
        return int(((s.serving_employee == self.index) & (s.status == ACTIVE)).sum())


class Customer(_View):
    """A customer (or prospect): needs, knowledge of the offer, satisfaction, value to the firm.

    A view that is not registered with the model (not in ``model.agents``, ``unique_id`` None):
    ``model.customers`` holds every customer's view, and ``index`` is the customer's row.
    """

    def __init__(self, model: AgentHost, index: int) -> None:
        # not mesa.Agent.__init__, which would register the view in model.agents
        self.model = model
        self.unique_id = None
        self.pos = None
        self.index = index

    @property
    def status(self) -> str:
        """``prospect``, ``active`` or ``churned``."""
        return STATE_NAMES[int(self.model.state.status[self.index])]

    @property
    def active(self) -> bool:
        """Whether the customer is active."""
        return bool(self.model.state.status[self.index] == ACTIVE)

    @property
    def churned(self) -> bool:
        """Whether the customer has churned."""
        return bool(self.model.state.status[self.index] == CHURNED)

    @property
    def segment(self) -> int:
        """The customer's segment."""
        return int(self.model.state.segment[self.index])

    @property
    def needs(self) -> np.ndarray:
        """The customer's true needs, one of +-1 per need dimension."""
        return self.model.state.needs[self.index]

    @property
    def profile(self) -> np.ndarray:
        """What the CRM repository records of this customer's needs (0: unknown)."""
        return self.model.state.profile[self.index]

    @property
    def offer_knowledge(self) -> float:
        """The customer's knowledge of the offer, in [0, 1]."""
        return float(self.model.state.offer_knowledge[self.index])

    @property
    def satisfaction(self) -> float:
        """The customer's satisfaction, in [0, 1]."""
        return float(self.model.state.satisfaction[self.index])

    @property
    def perceived_value(self) -> float:
        """The value the customer perceives in the offer, in [0, 1]."""
        return float(self.model.state.value[self.index])

    @property
    def serving_employee(self) -> int:
        """Index of the frontline employee who serves the customer."""
        return int(self.model.state.serving_employee[self.index])

    @property
    def lifetime_value(self) -> float:
        """CLV at acquisition (realised margins plus expected residual); NaN for prospects."""
        return float(self.model.customer_lifetime_values()[self.index])
