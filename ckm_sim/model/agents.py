"""Mesa agents: departments, employees and customers.

The model keeps every agent's state in numpy arrays and updates them all at once (see model.py);
these agent objects are views onto one row of those arrays, for inspection, DataCollector agent
reporters and the dashboard. They hold an index, never a copy of the state.

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

    def customer_lifetime_values(self) -> np.ndarray: ...


class _View(mesa.Agent):
    """An agent that is a view onto one row of its model's arrays."""

    model: AgentHost  # type: ignore[assignment]  # the model, as these views read it


STATE_NAMES = {PROSPECT: "prospect", ACTIVE: "active", CHURNED: "churned"}


class Department(_View):
    """A department of the firm (marketing, sales, service, R&D, IT by default)."""

    def __init__(self, model: mesa.Model, index: int, name: str) -> None:
        super().__init__(model)
        self.index = index
        self.name = name

    @property
    def employees(self) -> mesa.agent.AgentSet:
        return self.model.employees.select(lambda e: e.department_index == self.index)

    @property
    def headcount(self) -> int:
        return int((self.model.state.employee_department == self.index).sum())

    @property
    def frontline(self) -> bool:
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
        return int(self.model.state.employee_department[self.index])

    @property
    def department(self) -> str:
        return self.model.scenario_config.firm.departments[self.department_index]

    @property
    def beliefs(self) -> np.ndarray:
        """Beliefs about every segment's needs, shape (segments, need dimensions), in {-1,0,1}."""
        return self.model.state.beliefs[self.index]

    @property
    def knowledge_accuracy(self) -> float:
        return float((self.beliefs == self.model.state.truth).mean())

    @property
    def customers_served(self) -> int:
        s = self.model.state
        return int(((s.serving_employee == self.index) & (s.status == ACTIVE)).sum())


class Customer(_View):
    """A customer (or prospect): needs, knowledge of the offer, satisfaction, value to the firm."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def status(self) -> str:
        return STATE_NAMES[int(self.model.state.status[self.index])]

    @property
    def active(self) -> bool:
        return bool(self.model.state.status[self.index] == ACTIVE)

    @property
    def churned(self) -> bool:
        return bool(self.model.state.status[self.index] == CHURNED)

    @property
    def segment(self) -> int:
        return int(self.model.state.segment[self.index])

    @property
    def needs(self) -> np.ndarray:
        return self.model.state.needs[self.index]

    @property
    def profile(self) -> np.ndarray:
        """What the CRM repository records of this customer's needs (0: unknown)."""
        return self.model.state.profile[self.index]

    @property
    def offer_knowledge(self) -> float:
        return float(self.model.state.offer_knowledge[self.index])

    @property
    def satisfaction(self) -> float:
        return float(self.model.state.satisfaction[self.index])

    @property
    def perceived_value(self) -> float:
        return float(self.model.state.value[self.index])

    @property
    def serving_employee(self) -> int:
        return int(self.model.state.serving_employee[self.index])

    @property
    def lifetime_value(self) -> float:
        """CLV at acquisition (realised margins plus expected residual); NaN for prospects."""
        return float(self.model.customer_lifetime_values()[self.index])
