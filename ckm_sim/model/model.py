"""CKMModel: the firm, its employees and its customers exchanging knowledge along three flows.

One ``step()`` is one period (a month by default): the model walks the stages of
:data:`ckm_sim.model.stages.PIPELINE` in order (docs/ODD.md section 3), each in a module of its
own under :mod:`ckm_sim.model.stages`: the departments agree on sharing, the market opens,
needs drift, flows ABOUT and FROM, organisational learning, offer adaptation, flow FOR, the
customers decide, the market settles, the books are kept. Each stage returns a record of what
happened; :attr:`CKMModel.period` holds the last period's, which the outcomes and the dashboard
read.

All state lives in :class:`~ckm_sim.model.state.ModelState` arrays, built and held by
:class:`~ckm_sim.model.world.World`; this module is the Mesa face: construction from a
scenario, the agents and the network as Mesa and networkx objects, the schedule, the
DataCollector, the summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from ckm_sim.model import firm_outcomes, measures, valuation
from ckm_sim.model.agents import Customer, Department, Employee
from ckm_sim.model.burn_in import burn_in
from ckm_sim.model.network import to_networkx
from ckm_sim.model.outcomes import OUTCOMES
from ckm_sim.model.scenario import IntLike, Scenario, ScenarioError, load_scenario, whole_number
from ckm_sim.model.seeds import FROM_SCENARIO, FromScenario, resolve_seed
from ckm_sim.model.stages import Period, Stage, pipeline
from ckm_sim.model.summary import cohort_table, summarise
from ckm_sim.model.world import World

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd


class CKMModel(World, mesa.Model):
    """Customer knowledge management and its effect on retention and customer lifetime value.

    Build it from a :class:`~ckm_sim.model.scenario.Scenario`, a scenario file or name, or keyword
    arguments (any parameter of docs/ODD.md, flat: ``CKMModel(it_systems=0.9, customers=500)``).

    Seeding follows Mesa: ``rng`` is a seed (int, numpy integer or integral float) or a numpy
    ``Generator``; ``rng=None`` draws a fresh seed from the operating system's entropy (what
    ``batch_run(..., rng=[None] * 5)`` and ``iterations=5`` pass). Without ``rng`` the model
    takes the scenario's ``seed`` (a ``seed=`` keyword, or the file's), else a fresh one. The
    seed actually used is :attr:`seed`, the ``seed`` column of :meth:`summary` and a model
    reporter of the DataCollector (so each row of ``batch_run`` has it), so
    ``CKMModel(..., rng=model.seed)`` repeats a run exactly (``None`` for a Generator).

    ``stages`` replaces stages of the period by name (docs/extending.md): ``{"churn":
    churn_rule(my_hazard)}``. ``running`` turns ``False`` at the scenario's horizon
    (``periods``), so Mesa's ``batch_run`` and ``run_model`` stop there; :meth:`run` may go on
    past it.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        *,
        rng: IntLike | np.random.Generator | None | FromScenario = FROM_SCENARIO,
        collect: bool = True,
        stages: Mapping[str, Stage] | None = None,
        **params: Any,
    ) -> None:
        if scenario is None or isinstance(scenario, mesa.experimental.scenarios.Scenario):
            scenario = Scenario()  # SolaraViz's Reset passes Mesa's own scenario object
        elif not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        scenario = scenario.with_overrides(**params)
        if rng is FROM_SCENARIO or (rng is None and params.get("seed") is not None):
            rng = scenario.seed  # batch_run passes rng=None beside a ``seed`` parameter
        #: The seed of this run (``None`` when ``rng`` was a numpy Generator).
        self.seed: int | None = resolve_seed(rng)
        super().__init__(rng=rng if self.seed is None else self.seed)
        #: The stages of a period, in order: (name, stage) pairs.
        self.stages: list[tuple[str, Stage]] = pipeline(stages)
        self.build_world(scenario)
        burn_in(self, self.stages, scenario.market.burn_in)
        departments = self.firm_scenarios[0].firm.departments
        self.departments = [Department(self, i, name) for i, name in enumerate(departments)]
        n_all = len(self.state.employee_firm)
        Employee.create_agents(self, n_all, index=list(range(n_all)))
        self._customers: mesa.agent.AgentSet[Customer] | None = None
        self._customer_views: list[Customer] = []  # the AgentSet holds weak references
        self._network_customers = 0  # customers in the market when the graph was built
        #: The last period's records, by stage name (None before the first period).
        self.period: Period | None = None
        self._outcomes: dict[str, float] = measures.period_outcomes(self, None)
        self._outcomes_due = False
        columns = list(OUTCOMES) + [k for k in self.outcomes if k not in OUTCOMES]
        reporters: dict[str, Callable[[CKMModel], float | None]] = {
            name: _reporter(name) for name in columns
        }
        reporters["seed"] = _seed  # in Mesa's batch_run rows: the seed that repeats each run
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self._collect = collect
        if collect:
            self.datacollector.collect(self)
        self.running = self.steps < scenario.periods

    def set_competence(self, firm: str, **levels: float) -> None:
        """From the next period on, ``firm`` works at these competence levels: its levers and
        cost per period are derived again (ties drawn at build time stay)."""
        if firm not in self.firm_names:
            raise ScenarioError(f"unknown firm '{firm}'; firms: {', '.join(self.firm_names)}")
        unknown = [k for k in levels if k not in type(self.scenario_config.competence).model_fields]
        if unknown:
            raise ScenarioError(f"unknown competence dimension '{unknown[0]}'")
        _ = self.outcomes  # the period just run keeps outcomes (computed lazily) of its levels
        f = self.firm_names.index(firm)
        self.firm_scenarios[f] = self.firm_scenarios[f].with_overrides(**levels)
        if self.n_firms == 1:  # the single firm's scenario is the model's
            self.scenario_config = self.firm_scenarios[0]
        self.derive_firm_rates()

    # ------------------------------------------------------------------ agents & graph
    @property
    def employees(self) -> mesa.agent.AgentSet:
        """The employees (registered Mesa agents, in ``model.agents``)."""
        return self.agents_by_type[Employee]

    @property
    def customers(self) -> mesa.agent.AgentSet[Customer]:
        """Every customer and prospect in the market as a :class:`Customer` view, in row order.

        Made on first use (sweeps never pay for them), extended by the customers who arrived
        since the last use, and not registered in ``model.agents``, which holds the departments
        and employees only.
        """
        n = len(self.state.status)
        if self._customers is None or len(self._customer_views) < n:
            have = len(self._customer_views)
            self._customer_views += [Customer(self, i) for i in range(have, n)]
            self._customers = mesa.agent.AgentSet(self._customer_views, random=self.random)
        return self._customers

    @property
    def network(self) -> nx.Graph[int]:
        """The networkx graph of every tie among the firm and the customers in the market
        (built on first use from the model's tie arrays, again after arrivals)."""
        n = len(self.state.status)
        if self._network is None or self._network_customers != n:
            departments = self.scenario_config.firm.departments
            self._network = to_networkx(self.ties, departments, n_customers=n)
            self._network_customers = n
        return self._network

    # ------------------------------------------------------------------ schedule
    def step(self) -> None:
        """One period: the stages of :attr:`stages` in order, then the DataCollector."""
        self._outcomes_due = False  # the last period's, never read: not needed any more
        if self.investment is not None:  # an investment plan: this period's levels and spend
            self.set_competence(self.firm_names[0], **self.investment.levels(self.steps))
            self.cost_per_period = self.investment.spend(self.steps)
        period = Period(t=self.steps)
        for name, stage in self.stages:
            period.records[name] = stage(self, period)
        self.period = period
        # outcomes are computed when read (the DataCollector reads them every period)
        self._outcomes_due = True
        if self._collect:
            self.datacollector.collect(self)
        self.running = self.steps < self.scenario_config.periods

    def run(self, periods: IntLike | None = None, progress: bool = False) -> CKMModel:
        """Advance ``periods`` periods (the scenario's ``periods`` by default)."""
        n = self.scenario_config.periods if periods is None else whole_number(periods, "periods")
        if n < 0:
            raise ScenarioError(f"periods must be >= 0, got {n}")
        steps: Iterable[int] = range(n)
        if progress:
            from tqdm import tqdm

            steps = tqdm(steps, desc=self.scenario_config.name, unit="period", leave=False)
        for _ in steps:
            self.step()
        return self

    # ------------------------------------------------------------------ outcomes
    def customer_lifetime_values(self) -> np.ndarray:
        """CLV of every customer at its (first) acquisition, under the run's horizon convention
        (docs/ODD.md 7.4); NaN for customers never acquired."""
        return valuation.customer_lifetime_values(self)

    def valuation(self) -> dict[str, float]:
        """Customer equity and every cost in period-0 money, under the horizon convention
        (docs/ODD.md 7.5, :func:`ckm_sim.model.valuation.valuation`)."""
        return valuation.valuation(self)

    def cohort_clv(self) -> pd.DataFrame:
        """CLV per cohort: the initial base, then each year's first acquisitions (ODD 7.4)."""
        return cohort_table(self)

    @property
    def outcomes(self) -> dict[str, float]:
        """This period's outcomes (docs/ODD.md section 6), by name.

        Computed when first read after a step, from the state at the end of that step: a run
        whose outcomes nobody reads each period (no DataCollector) computes only the last ones.
        """
        if self._outcomes_due:
            self._outcomes_due = False
            self._outcomes = measures.period_outcomes(self, self.period)
        return self._outcomes

    def department_accuracy(self) -> dict[str, float]:
        """Accuracy of each department's beliefs about segment needs, by department name."""
        return {d.name: d.knowledge_accuracy for d in self.departments}

    def summary(self) -> dict[str, Any]:
        """One row of scalar outcomes: the input of every sweep (docs/ODD.md section 6), with the
        ``seed`` that repeats the run."""
        row = summarise(self)
        if self.n_firms > 1:
            row |= firm_outcomes.summary(self, self.outcomes)
        return row | {"seed": self.seed}

    def timeseries(self) -> pd.DataFrame:
        """The outcomes of every period collected so far, indexed by period (the run's seed is
        :attr:`seed`, not a column)."""
        df = self.datacollector.get_model_vars_dataframe().drop(columns="seed")
        df.index.name = "period"
        return df


def _reporter(name: str) -> Callable[[CKMModel], float]:
    return lambda model: model.outcomes[name]


def _seed(model: CKMModel) -> int | None:
    return model.seed
