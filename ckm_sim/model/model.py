"""CKMModel: the firm, its employees and its customers exchanging knowledge along three flows.

One ``step()`` is one period (a month by default). The schedule, in order (docs/ODD.md section 3):

0. the market opens: new prospects arrive, lapsed customers past their cool-off return to the
   prospect pool;
1. turbulence: segment needs drift;
2. flow 3, knowledge ABOUT customers: service contacts reveal needs to the serving employee and,
   through the CRM, to the customer's profile;
3. flow 2, knowledge FROM customers: willing customers share needs, directly with the product
   department or through the front line;
4. organisational learning: peers, code learning, analytical CRM, socialisation, turnover;
5. the product department adapts the offer to what the firm knows;
6. flow 1, knowledge FOR customers: broadcast and tailored messages, and the community;
7. customers value the offer, update satisfaction, churn or stay, earn margins; prospects adopt;
8. outcomes are computed and collected.

All state lives in :class:`ModelState` arrays; Mesa agents are views onto them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import scipy.sparse as sp

from ckm_sim.model import competition, economics, firm_outcomes, kernels, learning, market
from ckm_sim.model.agents import Customer, Department, Employee
from ckm_sim.model.competition import FIRM_COUNTERS
from ckm_sim.model.investment import Trajectory
from ckm_sim.model.levers import LeverRates, cross_department_ties, derive_levers, investment_cost
from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT, VACANT
from ckm_sim.model.network import (
    SlotGraph,
    Ties,
    adjacency,
    adjacency_of_runs,
    draw_ties,
    employee_ties,
    newcomer_ties,
    to_networkx,
)
from ckm_sim.model.outcomes import FLOW_COUNTS, OUTCOMES, cohort_table, summarise
from ckm_sim.model.scenario import (
    IntLike,
    Scenario,
    ScenarioError,
    load_scenario,
    whole_number,
)
from ckm_sim.model.seeds import FROM_SCENARIO, FromScenario, resolve_seed
from ckm_sim.model.streams import (
    RandomStreams,
    bernoulli_positions,
    uniform_below,
    uniform_blocks,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
#: Per-customer arrays: views onto the first ``n`` preallocated customer slots (docs/ODD.md 2).
CUSTOMER_FIELDS: tuple[str, ...] = (
    "segment",
    "needs",
    "profile",
    "profile_time",
    "status",
    "serving_employee",
    "understood",
    "offer_knowledge",
    "reported_satisfaction",
    "profile_time_sum",
    "profile_known",
    "satisfaction",
    "value",
    "hazard",
    "acquired_at",
    "acquisition_discount",
    "churned_at",
    "lapsed_at",
    "realised_pv0",
    "margin",
    "churn_propensity",
    # competition (docs/ODD.md 7.6)
    "firm_of",
    "profile_firm",
    "serving_rank",
    "firm_discount",
)


@dataclass
class ModelState:
    """Every agent's state, one array per variable (docs/ODD.md section 2).

    Per-customer arrays (``CUSTOMER_FIELDS``) are views onto the first ``n`` rows of ``slots``,
    arrays preallocated for every customer who will be in the market by the horizon (arrivals
    included): an arrival widens the views, it never copies the state.
    """

    truth: np.ndarray  # (K, m) segment needs, +-1
    offers: np.ndarray  # (F, K, m) each firm's standard offer per segment, +-1
    codes: np.ndarray  # (F, K, m) each firm's organisational code (its CRM repository)
    beliefs: np.ndarray  # (E, K, m) employees' beliefs, {-1,0,1}, every firm's employees
    employee_department: np.ndarray  # (E,) department index within the employee's firm
    employee_firm: np.ndarray  # (E,) the firm of each employee
    segment: np.ndarray  # (N,)
    needs: np.ndarray  # (N, m) = truth[segment] * variation
    profile: np.ndarray  # (N, m) CRM profile of each customer, {-1,0,1}
    profile_sums: np.ndarray  # (F, K, m) sum of each firm's recorded profile entries per segment
    profile_counts: np.ndarray  # (F, K, m) number of each firm's recorded entries per segment
    profile_time: np.ndarray  # (N, m) period each profile entry was last recorded
    status: np.ndarray  # (N,) PROSPECT / ACTIVE / CHURNED
    serving_employee: np.ndarray  # (N,)
    understood: np.ndarray  # (N, m) bool: i knows how to use the offer's part for need d (FOR)
    offer_knowledge: np.ndarray  # (N,) share of need dimensions understood, in [0, 1]
    reported_satisfaction: np.ndarray  # (N,) satisfaction last reported in feedback, NaN: none
    profile_time_sum: np.ndarray  # (N,) sum of the periods the profile's entries were recorded
    profile_known: np.ndarray  # (N,) number of recorded (non-zero) profile entries
    satisfaction: np.ndarray  # (N,) in [0, 1]
    value: np.ndarray  # (N,) perceived value in [0, 1]
    hazard: np.ndarray  # (N,) churn probability this period
    acquired_at: np.ndarray  # (N,) period of (first) acquisition, -1 if never acquired
    acquisition_discount: np.ndarray  # (N,) (1 + i) ** -acquired_at; 1 if never acquired
    churned_at: np.ndarray  # (N,) period of the first churn, -1 if never churned
    lapsed_at: np.ndarray  # (N,) period of the latest churn, -1 if never churned
    realised_pv0: np.ndarray  # (N,) margins earned so far, in period-0 value
    margin: np.ndarray  # (N,) margin per period while active
    churn_propensity: np.ndarray  # (N,) persistent multiplier of the churn hazard, mean 1
    firm_of: np.ndarray  # (N,) the firm of an active customer; -1: prospect or out
    profile_firm: np.ndarray  # (N,) the firm whose CRM holds the profile; -1: none
    serving_rank: np.ndarray  # (N,) the serving employee's rank in the first firm's front line
    firm_discount: np.ndarray  # (N, F) (1 + i) ** -(period f first won i); 0: never
    counters: dict[str, float] = field(default_factory=dict)
    slots: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def variation(self) -> np.ndarray:
        """(N, m) each customer's deviation from its segment, +-1: ``needs * truth[segment]``.

        Derived, not stored (a customer-sized array less): turbulence flips a segment's truth
        and its customers' needs together, so the product is the variation drawn at the start.
        """
        return self.needs * self.truth[self.segment]

    @property
    def offer(self) -> np.ndarray:
        """(K, m) the first firm's standard offer (the only one of a single-firm market)."""
        return self.offers[0]

    @property
    def code(self) -> np.ndarray:
        """(K, m) the first firm's organisational code."""
        return self.codes[0]

    @property
    def profile_sum(self) -> np.ndarray:
        """(K, m) the first firm's pooled profile sums."""
        return self.profile_sums[0]

    @property
    def profile_count(self) -> np.ndarray:
        """(K, m) the first firm's pooled profile counts."""
        return self.profile_counts[0]

    def adopt_slots(self, slots: dict[str, np.ndarray], n: int) -> None:
        """Hold ``slots`` (one array per customer field) and view their first ``n`` rows."""
        self.slots = slots
        self.resize(n)

    def resize(self, n: int) -> None:
        """View the first ``n`` customer slots."""
        for name in CUSTOMER_FIELDS:
            setattr(self, name, self.slots[name][:n])


class CKMModel(mesa.Model):
    """Customer knowledge management and its effect on retention and customer lifetime value.

    Build it from a :class:`~ckm_sim.model.scenario.Scenario`, a scenario file or name, or keyword
    arguments (any parameter of docs/ODD.md, flat: ``CKMModel(it_systems=0.9, customers=500)``).

    Seeding follows Mesa: ``rng`` is a seed (int, numpy integer or integral float) or a numpy
    ``Generator``; ``rng=None`` draws a fresh seed from the operating system's entropy (what
    ``batch_run(..., rng=[None] * 5)`` and ``iterations=5`` pass). Without ``rng`` the model
    takes the scenario's ``seed`` (a ``seed=`` keyword, or the file's), else a fresh one. The
    seed actually used is :attr:`seed` and the ``seed`` column of :meth:`summary`, so
    ``CKMModel(..., rng=model.seed)`` repeats a run exactly (``None`` for a Generator).

    ``running`` turns ``False`` at the scenario's horizon (``periods``), so Mesa's
    ``batch_run`` and ``run_model`` stop there; :meth:`run` may go on past it.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        *,
        rng: IntLike | np.random.Generator | None | FromScenario = FROM_SCENARIO,
        collect: bool = True,
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
        self.scenario_config = scenario
        self.streams = RandomStreams(self.rng)
        #: The firms' names, in order (``("firm",)`` for a single-firm scenario).
        self.firm_names: tuple[str, ...] = scenario.firm_names()
        self.n_firms = len(self.firm_names)
        #: The scenario each firm works under (the top-level sections with its own fields).
        self.firm_scenarios: list[Scenario] = [scenario.for_firm(n) for n in self.firm_names]
        self._derive_firm_rates()
        #: Levels and spend by period under the scenario's investment plan (docs/ODD.md 7.7);
        #: None: the competence is fixed for the run.
        self.investment = Trajectory(scenario) if scenario.plan is not None else None
        self._build()
        self._customers: mesa.agent.AgentSet[Customer] | None = None
        self._customer_views: list[Customer] = []  # the AgentSet holds weak references
        self._network: nx.Graph[int] | None = None
        self._network_customers = 0  # customers in the market when the graph was built
        self._outcomes: dict[str, float] = {}
        self._pending_outcomes: tuple[int, int, int, int] | None = None
        self._update_outcomes(acquisitions=0, churned=0, active_before=self._n_active())
        columns = list(OUTCOMES) + [k for k in self.outcomes if k not in OUTCOMES]
        reporters = {name: _reporter(name) for name in columns}
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self._collect = collect
        if collect:
            self.datacollector.collect(self)
        self.running = self.steps < scenario.periods

    # ------------------------------------------------------------------ firms
    def _derive_firm_rates(self) -> None:
        """Each firm's levers and cost per period, and the per-firm rate arrays (ODD 7.6)."""
        #: Each firm's mechanism rates; ``levers`` is the first firm's.
        self.firm_levers: list[LeverRates] = [derive_levers(fs) for fs in self.firm_scenarios]
        self.firm_costs = np.array([investment_cost(fs) for fs in self.firm_scenarios])
        self.levers: LeverRates = self.firm_levers[0]
        self.cost_per_period: float = (
            float(self.firm_costs.sum()) if self.n_firms > 1 else float(self.firm_costs[0])
        )
        self._rates = {
            name: np.array([lv.as_dict()[name] for lv in self.firm_levers])
            for name in self.levers.as_dict()
        }
        self._unshared = np.array([fs.firm.unshared_capture for fs in self.firm_scenarios])

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
        self._derive_firm_rates()

    def _rate(self, name: str, firm: np.ndarray | None = None) -> Any:
        """Lever ``name``: the number of a single firm, else each customer's firm's rate (or
        the rate of the firms ``firm``, one per element)."""
        if self.n_firms == 1:
            return getattr(self.levers, name)
        index = np.maximum(self.state.firm_of, 0) if firm is None else firm
        return self._rates[name][index]

    def _employee_rate(self, name: str, employee: np.ndarray) -> Any:
        """Lever ``name`` of the firm of each of ``employee`` (a number for a single firm)."""
        if self.n_firms == 1:
            return getattr(self.levers, name)
        return self._rates[name][self.state.employee_firm[employee]]

    def _pick(self, team: str, firm: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A uniformly drawn member of ``team`` of each firm in ``firm`` (one per element)."""
        teams = self.firm_teams[team]
        if self.n_firms == 1:
            return teams[0][rng.integers(len(teams[0]), size=len(firm))]
        sizes = np.array([len(t) for t in teams])
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        pool = np.concatenate(teams)
        return pool[starts[firm] + rng.integers(0, sizes[firm])]

    def _serve(self, cust: np.ndarray, firm: np.ndarray) -> None:
        """Customers ``cust`` joining ``firm`` get its serving employee of their rank."""
        frontline = self.firm_teams["frontline"]
        sizes = np.array([len(t) for t in frontline])
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        pool = np.concatenate(frontline)
        rank = self.state.serving_rank[cust].astype(np.int64) * sizes[firm] // sizes[0]
        self.state.serving_employee[cust] = pool[starts[firm] + rank]

    def _firm_employees(self, sc: Scenario, f: int, offset: int) -> dict[str, Any]:
        """The employees of firm ``f`` (beyond the first): departments, ties, teams, beliefs."""
        mk, firm = sc.market, sc.firm
        departments = firm.departments
        department, edges, crossing = employee_ties(
            firm.employees,
            len(departments),
            firm.intra_department_ties,
            cross_department_ties(sc),
            self.streams.at("ties", 0, firm=f),
        )
        shape = (firm.employees, mk.segments, mk.need_dimensions)
        return {
            "department": department,
            "ties": adjacency(edges, firm.employees, 1.0 + crossing.astype(np.float64)),
            "beliefs": learning.random_beliefs(shape, self.streams.at("firm", 0, firm=f)),
            **_teams(firm, department, offset),
        }

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        sc = self.scenario_config
        rng = self.streams.at("customers", 0)
        firm, mk, ec = self.firm_scenarios[0].firm, sc.market, sc.economics
        n_emp, n_seg, m = firm.employees, mk.segments, mk.need_dimensions
        n_cust = mk.customers + mk.prospects
        self.initial_customers = n_cust
        departments = firm.departments
        frontline = np.array([departments.index(d) for d in firm.frontline_departments])
        self.product_department = departments.index(firm.product_department)
        self.channel_department = departments.index(firm.channel_department)

        self.ties: Ties = draw_ties(
            n_employees=n_emp,
            n_departments=len(departments),
            frontline=frontline,
            n_customers=n_cust,
            intra_ties=firm.intra_department_ties,
            cross_ties=cross_department_ties(self.firm_scenarios[0]),
            community=mk.community,
            community_degree=mk.community_degree,
            rewiring=mk.rewiring,
            rng=self.streams.at("ties", 0),
            customer_rng=self.streams.at("community", 0),
        )
        t = self.ties
        self.employee_ties: sp.csr_array = adjacency(
            t.employee_edges, n_emp, 1.0 + t.employee_edge_cross.astype(np.float64)
        )
        self.product_team = np.flatnonzero(t.employee_department == self.product_department)
        self.frontline_team = np.flatnonzero(np.isin(t.employee_department, frontline))
        self.flow_counts: dict[str, float] = {}
        self._sharing = np.ones(len(departments), dtype=bool)
        self.channel_team = np.flatnonzero(t.employee_department == self.channel_department)
        # every firm's employees: one global numbering, firm by firm (docs/ODD.md 7.6)
        beliefs = learning.random_beliefs((n_emp, n_seg, m), self.streams.at("firm", 0))
        rivals = []
        offset = n_emp
        for f, fs in enumerate(self.firm_scenarios[1:], start=1):
            rivals.append(self._firm_employees(fs, f, offset))
            offset += fs.firm.employees
        self.firm_employee_ties: list[sp.csr_array] = [self.employee_ties] + [
            r["ties"] for r in rivals
        ]
        self.firm_teams: dict[str, list[np.ndarray]] = {
            "product": [self.product_team] + [r["product"] for r in rivals],
            "frontline": [self.frontline_team] + [r["frontline"] for r in rivals],
            "channel": [self.channel_team] + [r["channel"] for r in rivals],
        }
        self._own_channel = np.array(
            [self.channel_department == self.product_department] + [r["own"] for r in rivals]
        )
        sizes = [fs.firm.employees for fs in self.firm_scenarios]
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        self.firm_blocks = [
            slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
        employee_department = t.employee_department
        if rivals:
            beliefs = np.concatenate([beliefs, *(r["beliefs"] for r in rivals)])
            employee_department = np.concatenate(
                [employee_department, *(r["department"] for r in rivals)]
            )
        # customers are numbered by segment, so a segment is a contiguous block of rows (among
        # the initial market; later arrivals are appended in arrival order)
        drawn = np.bincount(rng.integers(n_seg, size=n_cust), minlength=n_seg)
        segment = np.repeat(np.arange(n_seg), drawn)  # the draws sorted (a counting sort)
        del drawn
        self._segment_blocks = [
            slice(int(np.searchsorted(segment, k)), int(np.searchsorted(segment, k, "right")))
            for k in range(n_seg)
        ]

        truth = rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_seg, m))
        fits = [self._initial_fit(name) for name in self.firm_names]
        right = rng.random((n_seg, m)) < fits[0]
        offers = [np.where(right, truth, -truth).astype(np.int8)]
        for f, fit in enumerate(fits[1:], start=1):  # after the employees' beliefs
            right = self.streams.at("firm", 1, firm=f).random((n_seg, m)) < fit
            offers.append(np.where(right, truth, -truth).astype(np.int8))
        # every slot up to the horizon at once, filled in place: no copy when arrivals join
        extra = max(self._arrivals_by(sc.periods), 0)
        slots = self._empty_slots(n_cust + extra)
        rows = slice(0, n_cust)
        slots["segment"][rows] = segment
        self._draw_needs(slots, rows, truth, rng)
        initial = rng.permutation(n_cust)[: mk.customers]
        status, firm_of = slots["status"][rows], slots["firm_of"][rows]
        status[:] = PROSPECT
        status[initial] = ACTIVE
        for f, members in enumerate(np.split(initial, self._initial_split(len(initial)))):
            firm_of[members] = f
        slots["profile_firm"][rows] = firm_of
        slots["acquired_at"][initial] = 0
        # segments' mean margins (their own counter), then each customer's around its segment's
        self.segment_margin = economics.lognormal_margins(
            ec.margin, ec.segment_margin_spread, n_seg, self.streams.at("traits", 1)
        )
        # what each customer understands of the offer on joining (prospects keep it until then)
        self._draw_understood(slots, rows, rng)
        self._draw_traits(slots, rows, self.streams.at("traits", 0))
        self._serve_slots(slots, rows, t.serving_employee)
        n_firms = self.n_firms
        self.state = ModelState(
            truth=truth,
            offers=np.stack(offers),
            codes=np.zeros((n_firms, n_seg, m), dtype=np.int8),
            beliefs=beliefs,
            employee_department=employee_department,
            employee_firm=np.repeat(np.arange(n_firms), sizes),
            profile_sums=np.zeros((n_firms, n_seg, m), dtype=np.int64),
            profile_counts=np.zeros((n_firms, n_seg, m), dtype=np.int64),
            **{name: slots[name][rows] for name in CUSTOMER_FIELDS},  # type: ignore[arg-type]
        )
        s = self.state
        s.adopt_slots(slots, n_cust)
        if n_firms > 1:
            won = np.flatnonzero(firm_of >= 0)
            self._serve(won, firm_of[won].astype(np.int64))
            self.firm_counters = {name: np.zeros(n_firms) for name in FIRM_COUNTERS}
            s.firm_discount[won, firm_of[won]] = 1.0
            self.firm_counters["won"] += np.bincount(firm_of[won], minlength=n_firms)
            self.firm_flows: dict[str, np.ndarray] = {}
            self.firm_history: dict[str, list[np.ndarray]] = {"retention": [], "share": []}
        self._prior_knowledge()
        del status, firm_of  # views of the state's slots
        self._community_runs = [len(t.community_edges)]  # the initial market's, then arrivals'
        self._arrive(n_cust, n_cust + extra)  # and indexes the segments' slots
        self._match_profiles()
        s.value[:] = self._perceived_value()
        s.satisfaction[:] = market.satisfaction_update(
            np.zeros(n_cust), s.value, mk.competitor_value, mk.satisfaction_sensitivity, 0.0
        )
        s.hazard[:] = self._hazard()
        s.counters.update(
            acquisitions=0,
            churned=0,
            knowledge_items=0,
            customer_periods=0,
            cost_pv0=0.0,
            arrivals=0,
            returns=0,
            reacquisitions=0,
            contacts=0,
            contact_pv0=0.0,
            acquisition_pv0=0.0,
        )
        s.counters.update(dict.fromkeys(FLOW_COUNTS, 0))
        self.retention_history: list[float] = []
        self.departments = [Department(self, i, name) for i, name in enumerate(departments)]
        n_all = len(self.state.employee_firm)
        Employee.create_agents(self, n_all, index=list(range(n_all)))

    def _empty_slots(self, n: int) -> dict[str, np.ndarray]:
        """``n`` fresh customer slots, one array per field (``CUSTOMER_FIELDS``), VACANT.

        Fields drawn for each customer (segment, needs, serving employee, what it understands,
        margin, churn propensity) are left for :meth:`_draw_needs`, :meth:`_draw_understood`,
        :meth:`_draw_traits` and :meth:`_serve_slots` to fill in place; every other field holds
        its value before the customer's first period.
        """
        m = self.scenario_config.market.need_dimensions
        return {
            "segment": np.empty(n, dtype=np.int64),
            "needs": np.empty((n, m), dtype=np.int8),
            "profile": np.zeros((n, m), dtype=np.int8),
            "profile_time": np.zeros((n, m), dtype=self._profile_time_dtype()),
            "status": np.full(n, VACANT, dtype=np.int8),
            "serving_employee": np.empty(n, dtype=np.int64),
            "understood": np.empty((n, m), dtype=bool),
            "offer_knowledge": np.empty(n),
            "reported_satisfaction": np.full(n, np.nan),
            "profile_time_sum": np.zeros(n),
            "profile_known": np.zeros(n),
            "satisfaction": np.zeros(n),
            "value": np.zeros(n),
            "hazard": np.zeros(n),
            "acquired_at": np.full(n, -1, dtype=np.int32),
            "acquisition_discount": np.ones(n),
            "churned_at": np.full(n, -1, dtype=np.int32),
            "lapsed_at": np.full(n, -1, dtype=np.int32),
            "realised_pv0": np.zeros(n),
            "margin": np.empty(n),
            "churn_propensity": np.empty(n),
            "firm_of": np.full(n, -1, dtype=np.int16),
            "profile_firm": np.full(n, -1, dtype=np.int16),
            "serving_rank": np.empty(n, dtype=np.int32),
            "firm_discount": np.zeros((n, self.n_firms)),
        }

    def _draw_needs(
        self, slots: dict[str, np.ndarray], rows: slice, truth: np.ndarray, rng: np.random.Generator
    ) -> None:
        """Needs of the customers in ``rows`` (segment set): their segment's, each dimension
        reversed with probability ``need_heterogeneity`` (docs/ODD.md 7.3), a block at a time."""
        p = self.scenario_config.market.need_heterogeneity
        segment, needs = slots["segment"][rows], slots["needs"][rows]
        for block, reversed_ in uniform_blocks(rng, needs.shape, p):
            own = np.take(truth, segment[block], axis=0, out=needs[block])
            np.negative(own, out=own, where=reversed_)

    def _draw_understood(
        self, slots: dict[str, np.ndarray], rows: slice, rng: np.random.Generator
    ) -> None:
        """What the customers in ``rows`` understand of the offer on joining, and its share."""
        understood = slots["understood"][rows]
        uniform_below(
            rng,
            understood.shape,
            self.scenario_config.market.initial_offer_knowledge,
            out=understood,
        )
        m = max(understood.shape[1], 1)
        np.divide(
            market.row_count(understood), m, out=slots["offer_knowledge"][rows], dtype=np.float64
        )

    def _draw_traits(
        self, slots: dict[str, np.ndarray], rows: slice, rng: np.random.Generator
    ) -> None:
        """Margins (docs/ODD.md 7.4), then churn propensities, of the customers in ``rows``."""
        segment = slots["segment"][rows]
        slots["margin"][rows] = self._draw_margins(segment, rng)
        slots["churn_propensity"][rows] = market.churn_propensities(
            self.scenario_config.market.loyalty_spread, len(segment), rng
        )

    def _serve_slots(self, slots: dict[str, np.ndarray], rows: slice, serving: np.ndarray) -> None:
        """The customers in ``rows`` are served by ``serving`` (their rank in the front line)."""
        slots["serving_employee"][rows] = serving
        slots["serving_rank"][rows] = np.searchsorted(self.frontline_team, serving)

    def _profile_time_dtype(self) -> type[np.signedinteger]:
        """Recording periods fit in int16 up to period 32,767 (every default run): half the
        memory of int32 on the largest per-customer array; :meth:`_widen_profile_time` moves to
        int32 if a run goes on beyond."""
        current = self.state.slots.get("profile_time") if hasattr(self, "state") else None
        if current is not None:
            return current.dtype.type
        return np.int16 if self.scenario_config.periods <= np.iinfo(np.int16).max else np.int32

    def _widen_profile_time(self) -> None:
        """Recording periods to int32 once the period passes what int16 holds."""
        s = self.state
        if self.steps > np.iinfo(s.profile_time.dtype).max:
            s.slots["profile_time"] = s.slots["profile_time"].astype(np.int32)
            s.profile_time = s.slots["profile_time"][: len(s.status)]

    def _initial_fit(self, name: str) -> float:
        """The fit of a firm's initial offer: its own, else the market's."""
        fit = self.scenario_config.firm_spec(name).get("initial_offer_fit")
        return self.scenario_config.market.initial_offer_fit if fit is None else fit

    def _initial_split(self, n: int) -> list[int]:
        """Where the initial customers (in drawn order) are split between the firms: each
        firm's ``initial_share``, the rest shared equally by the firms that set none."""
        shares = [self.scenario_config.firm_spec(f).get("initial_share") for f in self.firm_names]
        unset = [i for i, x in enumerate(shares) if x is None]
        rest = max(0.0, 1.0 - sum(x for x in shares if x is not None))
        for i in unset:
            shares[i] = rest / len(unset)
        return [int(round(n * c)) for c in np.cumsum(shares)[:-1]]

    def _prior_knowledge(self) -> None:
        """A firm's prior customer knowledge (``prior_knowledge`` q, docs/ODD.md 7.6): the
        profile of each of its initial customers records each need correctly with probability
        q, and its code holds each segment need with probability q."""
        s = self.state
        for f, name in enumerate(self.firm_names):
            q = self.scenario_config.firm_spec(name).get("prior_knowledge") or 0.0
            if q <= 0:
                continue
            rng = self.streams.at("firm", 2, firm=f)
            cust = np.flatnonzero(s.firm_of == f)
            cells = np.flatnonzero(rng.random(len(cust) * s.needs.shape[1]) < q)
            rows, dims = cust[cells // s.needs.shape[1]], cells % s.needs.shape[1]
            self._record(rows, dims, s.needs[rows, dims])
            known = rng.random(s.truth.shape) < q
            s.codes[f][known] = s.truth[known]

    def _draw_margins(self, segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Per-customer margins: lognormal around the segment's mean margin (docs/ODD.md 7.4)."""
        spread = self.scenario_config.economics.margin_spread
        return self.segment_margin[segment] * economics.lognormal_margins(
            1.0, spread, len(segment), rng
        )

    def _arrivals_by(self, period: int) -> int:
        """Prospects who arrived in periods 1..``period``: ``floor(g N0 t)`` (deterministic)."""
        growth = self.scenario_config.market.market_growth
        return int(np.floor(growth * self.initial_customers * max(period, 0) + 1e-9))

    def _add_slots(self, extra: int) -> None:
        """``extra`` more customer slots, for arrivals beyond the scenario's horizon (the build
        preallocates every slot up to it): the arrays grow once, :meth:`_arrive` fills them."""
        if extra <= 0:
            return
        s = self.state
        first, n = len(s.slots["status"]), len(s.status)
        fresh = self._empty_slots(extra)
        for k in CUSTOMER_FIELDS:  # one field at a time: the old array is freed at once
            s.slots[k] = np.concatenate([s.slots[k], fresh.pop(k)])
            setattr(s, k, s.slots[k][:n])
        self._arrive(first, first + extra)

    def _arrive(self, first: int, last: int) -> None:
        """Draw the customers of slots ``first..last-1``, who join the market later, and their
        ties; the community graph grows to every slot.

        Slots are drawn from the ``arrivals`` stream keyed by their first index, so the same
        seed gives the same newcomers whatever else differs. Called at build time for the
        arrivals up to the scenario's horizon and again only if a run goes beyond it.
        """
        s, mk = self.state, self.scenario_config.market
        edges = self.ties.community_edges
        if last > first:
            rng = self.streams.at("arrivals", first)
            rows = slice(first, last)
            s.slots["segment"][rows] = rng.integers(mk.segments, size=last - first)
            self._draw_needs(s.slots, rows, s.truth, rng)
            degree = mk.community_degree if mk.community != "none" else 0
            serving, new_edges = newcomer_ties(first, last, self.frontline_team, degree, rng)
            self._serve_slots(s.slots, rows, serving)
            self._draw_understood(s.slots, rows, rng)
            self._draw_traits(s.slots, rows, rng)
            edges = np.concatenate([edges, new_edges])
            self._community_runs.append(len(new_edges))
        self.ties = replace(
            self.ties, serving_employee=s.slots["serving_employee"], community_edges=edges
        )
        runs = np.split(edges, np.cumsum(self._community_runs)[:-1])
        self.community = SlotGraph(adjacency_of_runs(runs, last))
        self._present_degree_cache: tuple[int, np.ndarray] | None = None
        self._network = None
        self._index_segments()

    def _index_segments(self) -> None:
        """Every customer slot of each segment (turbulence flips their needs together)."""
        segment = self.state.slots["segment"]
        n_seg = self.scenario_config.market.segments
        self.segment_members = [np.flatnonzero(segment == k) for k in range(n_seg)]

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

    # ------------------------------------------------------------------ mechanisms
    def _n_active(self) -> int:
        return int((self.state.status == ACTIVE).sum())

    def _match_profiles(self) -> None:
        """Count each customer's needs the offer meets, the profile records (right) and the
        customer understands (:func:`kernels.value_counts`); reused all period."""
        s = self.state
        if self.n_firms > 1:  # each customer's firm's offer (a prospect: the first firm's)
            n_seg, m = s.offers.shape[1:]
            offers = s.offers.reshape(-1, m)
            offered = np.maximum(s.firm_of, 0).astype(np.int64) * n_seg + s.segment
        else:
            offers, offered = s.offer, s.segment
        self._counts = kernels.value_counts(s.needs, s.profile, s.understood, offers, offered)
        self._profile_right_count = self._counts[kernels.RIGHT].astype(np.float32)

    def _perceived_value(self) -> np.ndarray:
        """Value of the delivered offer, counting what each customer understands (ODD 7.3).

        From this period's counts (:meth:`_match_profiles`, after the flows have changed
        profiles and understanding).
        """
        p = self._rate("personalisation")
        value, self._fit, self._used = kernels.perceived_value(
            self._counts,
            np.asarray(p, dtype=np.float64).reshape(-1),
            self.n_firms == 1,
            bool(np.any(p > 0)),
            self.state.needs.shape[1],
            self.scenario_config.market.usability_floor,
        )
        return value

    def _hazard(self) -> np.ndarray:
        mk = self.scenario_config.market
        propensity = self.state.churn_propensity if mk.loyalty_spread > 0 else None
        return market.churn_hazard(
            self.state.satisfaction, mk.churn_floor, mk.competitor_pull, mk.fixed_churn, propensity
        )

    def _open_market(self) -> None:
        """Stage 0: this period's new prospects arrive; lapsed customers may return to the pool."""
        s, mk, t = self.state, self.scenario_config.market, self.steps
        arriving = self._arrivals_by(t) - self._arrivals_by(t - 1)
        if arriving:
            n = len(s.status)
            free = len(s.slots["status"]) - n
            if arriving > free:  # a run beyond the scenario's horizon
                self._add_slots(max(arriving - free, self._arrivals_by(t) // 2, 16))
            s.resize(n + arriving)
            s.status[n:] = PROSPECT
            s.counters["arrivals"] += arriving
        if mk.winback_rate > 0:
            cutoff = t - mk.winback_cooloff
            if kernels.any_lapsed(s.status, s.lapsed_at, CHURNED, cutoff):
                draw = self.streams.at("winback", t).random(len(s.status))
                back = kernels.win_back(
                    s.status, s.lapsed_at, CHURNED, cutoff, draw, mk.winback_rate, PROSPECT
                )
                s.counters["returns"] += back

    def _turbulence(self) -> None:
        s = self.state
        rng = self.streams.at("turbulence", self.steps)
        flips = learning.drift(s.truth, self.scenario_config.market.turbulence, rng)
        needs = s.slots["needs"]  # customers yet to arrive follow their segment too
        for k, d in zip(*np.nonzero(flips), strict=True):
            needs[self.segment_members[k], d] *= -1

    def _reveal(
        self, who: np.ndarray, dims_each: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Needs that customers ``who`` reveal: (customer, dimension, value) per item.

        Each customer reveals ``dims_each`` distinct dimensions: a cyclic window from a random
        start. Need dimensions are exchangeable, so each one is revealed with the same chance.
        """
        m = self.state.needs.shape[1]
        dims_each = min(dims_each, m)
        if len(who) == 0 or dims_each == 0:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0, dtype=np.int8)
        start = rng.integers(m, size=len(who))
        cust, dims, value = kernels.reveal(who, start, dims_each, self.state.needs)
        return cust, dims, value

    def _absorb(
        self,
        employee: np.ndarray,
        cust: np.ndarray,
        dims: np.ndarray,
        value: np.ndarray,
        rng: np.random.Generator,
        flow: str | None = None,
        items: np.ndarray | None = None,
    ) -> int:
        """Employees learn revealed needs with probability ``absorption``; returns how many
        (and, with several firms, adds them to each firm's ``flow`` count when given).

        ``items``: the indices of the revealed items offered (all by default); ``employee``
        holds the hearer of every item (:func:`kernels.absorb`)."""
        s = self.state
        if items is None:
            items = np.arange(len(cust))
        draw = rng.random(len(items))
        rates = self._rates["absorption"]
        learnt = kernels.absorb(
            s.beliefs, employee, s.segment, cust, dims, value, items, draw, rates, s.employee_firm
        )
        if flow is not None:
            self._count_by_firm(flow, cust, learnt)
        return len(learnt)

    def _contact_probability(self, active: np.ndarray) -> np.ndarray | float:
        """Each active customer's chance of a service contact, steered by targeting (ODD 7.2).

        A share ``targeting`` of the contact budget follows the firm's priority (estimated value
        times estimated risk of leaving, both from what it observes); the rest is spread evenly.
        A probability cannot pass 1, so what the most valued customers cannot take goes to the
        others in proportion (``market.keep_budget``): the mean stays ``contact_rate``.
        """
        rate = self.scenario_config.market.contact_rate
        if self.n_firms == 1:
            if self.levers.targeting <= 0 or rate <= 0 or not active.any():
                return rate
            members = np.flatnonzero(active)  # the others' probability is 0: never contacted
            wanted = self._targeted(rate, self.levers.targeting, members, None)
            if wanted is None:
                return rate
            p = np.zeros(len(active))
            p[members] = wanted
            return p
        out = np.full(len(active), rate)
        rows = np.flatnonzero(active)
        firm = self.state.firm_of[rows]
        priors = self._heard_priors()
        for f in range(self.n_firms):  # each firm steers its own contact budget
            tau = float(self._rates["targeting"][f])
            members = rows[firm == f]
            if tau > 0 and rate > 0 and len(members):
                wanted = self._targeted(rate, tau, members, priors)
                if wanted is not None:
                    out[members] = wanted
        return out

    def _heard_priors(self) -> np.ndarray:
        """(F,) each firm's prior risk basis: the mean satisfaction reported by the customers
        whose records it holds (a firm hears only its own customers; 0.5 when none)."""
        s = self.state
        held = ~np.isnan(s.reported_satisfaction) & (s.profile_firm >= 0)
        firm = s.profile_firm[held]
        count = np.bincount(firm, minlength=self.n_firms)
        total = np.bincount(firm, s.reported_satisfaction[held], minlength=self.n_firms)
        return np.where(count > 0, total / np.maximum(count, 1), 0.5)

    def _targeted(
        self, rate: float, tau: float, members: np.ndarray, priors: np.ndarray | None
    ) -> np.ndarray | None:
        """Contact probabilities of one firm's active customers ``members`` (ODD 7.2); None:
        every one at ``rate`` (no customer has any priority)."""
        priority = self._priority(members, priors)
        mean = float(priority.mean())
        if mean <= 0:
            return None
        return market.water_fill(rate * ((1.0 - tau) + tau * priority / mean))

    def _priority(
        self, who: np.ndarray | None = None, priors: np.ndarray | None = None
    ) -> np.ndarray:
        """The firm's contact priority per customer (of ``who``, indices; all by default):
        estimated value x estimated risk.

        Estimated value: the revenue the firm books per period from the customer (its margin,
        ``state.margin``). Estimated risk: dissatisfaction,
        ``1 - satisfaction`` as last reported in feedback or a contact; a customer never heard
        counts at the mean of those heard (0.5 when none has been). ``priors``: with several
        firms, each firm's own mean (:meth:`_heard_priors`), for its customers.
        """
        s = self.state
        reported = s.reported_satisfaction
        if priors is None:
            told = kernels.heard(reported)
            prior: Any = float(told.mean()) if len(told) else 0.5
            if who is not None:  # in one pass: the same products
                return kernels.priority(reported, who, prior, s.margin)
        else:  # several firms: each customer's firm's prior
            prior = priors[np.maximum(s.firm_of if who is None else s.firm_of[who], 0)]
        heard = ~np.isnan(reported)
        booked = s.margin
        if who is not None:
            reported, heard, booked = reported[who], heard[who], booked[who]
        return booked * (1.0 - np.where(heard, reported, prior))

    def _knowledge_about_customers(self, active: np.ndarray) -> np.ndarray:
        """Flow 3: contacts reveal needs to the serving employee and to the CRM profile."""
        s, mk = self.state, self.scenario_config.market
        rng = self.streams.at("about", self.steps)
        draw = rng.random(len(active))
        p = np.asarray(self._contact_probability(active), dtype=np.float64).reshape(-1)
        contacted = kernels.active_below(active, draw, p)
        # a contact is a touch point: the employee notes how satisfied the customer is
        s.reported_satisfaction[contacted] = s.satisfaction[contacted]
        cust, dims, value = self._reveal(contacted, mk.dims_per_contact, rng)
        f = self.flow_counts
        f.update(about_contacts=len(contacted), about_captures=0, about_wrong_captures=0)
        if len(cust):
            serving = s.serving_employee[cust]
            self._absorb(serving, cust, dims, value, rng)
            captured = kernels.captures(
                serving,
                rng.random(len(cust)),
                self._rates["capture"],
                self._unshared,
                self._takes_part,
                s.employee_firm,
            )
            if len(captured):
                into, dim, recorded, wrong = kernels.captured_entries(
                    captured,
                    cust,
                    dims,
                    value,
                    serving,
                    rng.random(len(captured)),
                    self._rates["capture_fidelity"],
                    s.employee_firm,
                )
                self._record(into, dim, recorded)
                f.update(about_captures=len(captured), about_wrong_captures=int(wrong.sum()))
                self._count_by_firm("about_captures", into)
                self._count_by_firm("about_wrong_captures", into, wrong)
        self._count_by_firm("about_contacts", contacted)
        return contacted

    def _record(self, cust: np.ndarray, dims: np.ndarray, recorded: np.ndarray) -> None:
        """Write entries into CRM profiles and keep the per-segment pooled totals in step.

        Cells are distinct within a period (one contact per customer, distinct dimensions).
        """
        s = self.state
        self._widen_profile_time()
        kernels.record(
            s.profile,
            s.profile_time,
            s.profile_known,
            s.profile_time_sum,
            s.profile_sums,
            s.profile_counts,
            s.segment,
            s.profile_firm,
            cust,
            dims,
            recorded,
            self.steps,
        )

    def _knowledge_from_customers(self, active: np.ndarray) -> int:
        """Flow 2: willing customers share needs; the front line or the channel relays them.

        Items go through the direct (co-creation) channel, run by the ``channel_department``,
        with probability ``direct_channel``, otherwise to the serving frontline employee. Either
        way they cross to the product department with probability ``relay_to_product``
        (inter-functional cooperation), unless the channel is the product department's own.
        """
        s, mk = self.state, self.scenario_config.market
        rng = self.streams.at("from", self.steps)
        willing = self._rate("feedback_willingness") * s.satisfaction
        sharers = kernels.active_below(active, rng.random(len(active)), willing)
        s.reported_satisfaction[sharers] = s.satisfaction[sharers]
        cust, dims, value = self._reveal(sharers, mk.dims_per_feedback, rng)
        f = self.flow_counts
        f.update(
            from_items=len(cust), from_direct=0, from_to_product=0, from_relayed=0, from_absorbed=0
        )
        if len(cust) == 0:
            return 0
        if self.n_firms > 1:
            firm = np.maximum(s.firm_of[cust], 0).astype(np.int64)
        else:  # only its length is used (the rates are one number)
            firm = np.zeros(len(cust), dtype=np.int64)
        direct = rng.random(len(cust)) < self._rate("direct_channel", firm)
        crosses = rng.random(len(cust)) < self._rate("relay_to_product", firm)
        frontline = ~direct
        serving = s.serving_employee[cust]
        absorbed = self._absorb(
            serving, cust, dims, value, rng, "from_absorbed", np.flatnonzero(frontline)
        )
        own_channel = self._own_channel[firm] if self.n_firms > 1 else self._own_channel[0]
        channel = direct & ~own_channel
        if channel.any() and len(self.channel_team):
            hearer = self._pick("channel", firm, rng)
            absorbed += self._absorb(
                hearer, cust, dims, value, rng, "from_absorbed", np.flatnonzero(channel)
            )
        relayed = crosses & frontline
        to_product = relayed | (direct & (crosses | own_channel))
        if to_product.any() and len(self.product_team):
            receiver = self._pick("product", firm, rng)
            absorbed += self._absorb(
                receiver, cust, dims, value, rng, "from_absorbed", np.flatnonzero(to_product)
            )
        else:
            to_product[:] = False
        f.update(
            from_direct=int(direct.sum()),
            from_to_product=int(to_product.sum()),
            from_relayed=int(relayed.sum()),
            from_absorbed=absorbed,
        )
        self._count_by_firm("from_items", cust)
        self._count_by_firm("from_direct", cust, direct)
        self._count_by_firm("from_to_product", cust, to_product)
        self._count_by_firm("from_relayed", cust, relayed)
        return len(cust)

    def _organisational_learning(self, active: np.ndarray) -> None:
        """Peers, code learning, analytical CRM, socialisation, turnover (docs/ODD.md 7.2).

        Appraisal (who is better) comes from what the firm observes by default; only the
        departments that share the code this period contribute to it and read from it. Each
        firm learns only from its own customers, employees and repository (ODD 7.6).
        """
        if self.n_firms == 1:
            self._firm_learns(0, active, np.arange(0))
            return
        rows = np.flatnonzero(active)
        firm = self.state.firm_of[rows]
        order = np.argsort(firm, kind="stable")
        bounds = np.searchsorted(firm[order], np.arange(self.n_firms + 1))
        for f in range(self.n_firms):
            self._firm_learns(f, active, rows[order[bounds[f] : bounds[f + 1]]])

    def _firm_learns(self, f: int, active: np.ndarray, rows: np.ndarray) -> None:
        """One firm's organisational learning, from its active customers (``active`` for a
        single firm, else the customers ``rows``)."""
        s, t = self.state, self.steps
        lv, firm = self.firm_levers[f], self.firm_scenarios[f].firm
        block = self.firm_blocks[f]
        beliefs, code = s.beliefs[block], s.codes[f]  # views: learning writes through

        def stream(stage: str, period: int) -> np.random.Generator:
            return self.streams.at(stage, period, firm=f)

        takes_part = self._takes_part[block]
        observed = None
        if firm.appraisal == "outcomes":
            if self.n_firms == 1:
                seen = (s.satisfaction, active, s.serving_employee, s.segment)
            else:  # the firm's own customers only
                mine = np.ones(len(rows), dtype=bool)
                serving = s.serving_employee[rows] - block.start
                seen = (s.satisfaction[rows], mine, serving, s.segment[rows])
            observed = learning.observed_performance(
                *seen,
                beliefs.shape[0],
                beliefs.shape[1],
                firm.appraisal_noise * (1.0 - lv.discernment),
                stream("appraisal", t),
            )
            standing = observed
        else:
            standing = learning.accuracy(beliefs, s.truth)  # March: reads the ground truth
        learning.learn_from_peers(
            beliefs,
            standing,
            self.firm_employee_ties[f],
            lv.peer_learning_rate,
            lv.cross_tie_use,
            stream("peers", t),
        )
        # code learning and socialisation are simultaneous (March 1991): employees socialise
        # into the code as it stood before this period's code learning
        code_before = code.copy()
        learning.learn_code(
            code,
            beliefs,
            s.truth,
            lv.code_learning_rate,
            lv.discernment,
            stream("code", t),
            appraisal=firm.appraisal,
            vote=firm.code_vote,
            observed=observed,
            takes_part=takes_part,
        )
        if lv.analytic_reach > 0:
            # the CRM keeps every profile it recorded, former customers' included
            learning.learn_code_from_profiles(
                code,
                s.profile_sums[f],
                s.profile_counts[f],
                lv.analytic_reach,
                stream("analytics", t),
            )
        learning.socialise(
            beliefs,
            code_before,
            lv.socialisation_rate,
            stream("socialise", t),
            firm.socialisation == "gradual",
            takes_part,
        )
        learning.turnover(beliefs, firm.employee_turnover, stream("turnover", t))

    def _adapt_offer(self) -> None:
        """Each firm's product department moves its offer toward its own and the code's view."""
        s = self.state
        for f, lv in enumerate(self.firm_levers):
            rate = lv.offer_adaptation
            if rate <= 0:
                continue
            product = np.asarray(self.firm_teams["product"][f], dtype=np.int64)
            offer = s.offers[f]
            draw = self.streams.at("offer", self.steps, firm=f).random(offer.shape)
            kernels.adapt_offer(offer, s.beliefs, product, s.codes[f], draw, rate)

    def _knowledge_for_customers(self, active: np.ndarray, contacted: np.ndarray) -> None:
        """Flow 1: what customers understand of the offer, per need dimension (docs/ODD.md 7.2).

        Active customers forget, learn from the broadcast (random dimensions: breadth), from
        tailored messages when contacted (the dimensions the firm believes they need:
        precision) and from a community neighbour.
        """
        s, mk = self.state, self.scenario_config.market
        rng = self.streams.at("for", self.steps)
        understood = s.understood
        m = understood.shape[1]
        flat = understood.reshape(-1)
        forget = bernoulli_positions(flat.size, mk.offer_knowledge_decay, rng)
        flat[kernels.cells_of(forget, active, max(m, 1))] = False
        broadcast = self._rates["offer_communication"] * (1.0 - mk.tailoring)
        broadcast = broadcast * mk.broadcast_efficiency
        lessons = bernoulli_positions(flat.size, float(broadcast.max()), rng)
        lessons = kernels.cells_of(lessons, active, max(m, 1))  # the active customers' cells
        learner = lessons // max(m, 1)
        kept = self._thin(learner, broadcast, rng) if self.n_firms > 1 else None
        if kept is not None:
            lessons, learner = lessons[kept], learner[kept]
        flat[lessons] = True
        f = self.flow_counts
        f.update(
            for_broadcast_lessons=len(lessons),
            # positions are sorted, so are their customers: count where the customer changes
            for_broadcast_reached=int(len(lessons) and 1 + np.count_nonzero(np.diff(learner))),
            for_tailored_lessons=0,
            for_tailored_right=0,
        )
        self._count_by_firm("for_broadcast_lessons", learner)
        if self.n_firms > 1 and len(learner):  # each customer the broadcast taught, once
            self._count_by_firm("for_broadcast_reached", learner[np.diff(learner, prepend=-1) != 0])
        tailored = self._rates["tailored_messaging"] * mk.tailoring
        if len(contacted) and tailored.max() > 0:
            sent, cust, dims = self._tailored_lessons(contacted, tailored, rng)
            flat[cust * m + dims] = True
            f.update(for_tailored_lessons=len(sent), for_tailored_right=len(cust))
            self._count_by_firm("for_tailored_lessons", sent)
            self._count_by_firm("for_tailored_right", cust)
        if self._rates["community_learning"].max() > 0 and self.community.nnz:
            self._community_lessons(active, self._rate("community_learning"), rng)
        self._match_profiles()  # for this period's perceived value
        understood_count = self._counts[kernels.UNDERSTOOD]
        s.offer_knowledge[:] = understood_count.astype(np.float64) / max(m, 1)

    def _thin(
        self, cust: np.ndarray, rates: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray | None:
        """Which of the cells drawn at the largest firm rate to keep, at each customer's firm's
        own rate: a cell of customer ``cust[j]`` with probability ``rates[firm] / max(rates)``.
        None (keep them all) when the firms' rates are equal, and with one firm."""
        top = float(rates.max())
        if self.n_firms == 1 or top <= 0 or np.all(rates == top):
            return None
        return rng.random(len(cust)) * top < rates[np.maximum(self.state.firm_of[cust], 0)]

    def _tailored_lessons(
        self, contacted: np.ndarray, rate: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Tailored messages to the contacted (each firm's ``rate`` to its customers): (the
        customers of the lessons sent, customers and dimensions of the lessons on a true need).

        The firm believes customer ``i`` needs ``profile[i, d]`` where its CRM profile records
        ``d``, else what the serving employee believes of the segment. Each believed need is
        explained with probability ``rate``; the lesson is of use only when the belief is right
        (a wrong belief explains the part of the offer for a need the customer does not have).
        """
        s = self.state
        m = s.needs.shape[1]
        # the explained (customer, dimension) cells, drawn sparsely; then what the firm believes
        explained = bernoulli_positions(len(contacted) * m, float(rate.max()), rng)
        if self.n_firms > 1:  # each firm's own rate
            kept = self._thin(contacted[explained // m], rate, rng)
            if kept is not None:
                explained = explained[kept]
        return kernels.tailored(
            explained, contacted, s.profile, s.beliefs, s.needs, s.serving_employee, s.segment
        )

    def _present_degree(self, n: int) -> np.ndarray:
        """Each customer's community ties to the first ``n`` slots (those who have arrived).

        A row's neighbours are sorted by slot and later slots arrive later, so the present
        neighbours are the first ones of the row: a random one of them is a random present
        neighbour, whatever the horizon for which later slots were drawn. Kept for every slot
        and brought up to date as the market grows: the arrivals ``n0..n-1`` add one tie to each
        of their neighbours (the matrix is symmetric), instead of recounting every row.
        """
        cached = getattr(self, "_present_degree_cache", None)
        c = self.community.matrix
        if cached is not None and cached[0] <= n:
            have, degree = cached
            if have < n:
                arrived = c.indices[c.indptr[have] : c.indptr[n]]
                degree += np.bincount(arrived, minlength=len(degree))
                self._present_degree_cache = (n, degree)
            return degree[:n]
        if not c.has_sorted_indices:
            c.sort_indices()
        present = np.concatenate([[0], np.cumsum(c.indices < n)])
        degree = present[c.indptr[1:]] - present[c.indptr[:-1]]
        self._present_degree_cache = (n, degree)
        return degree[:n]

    def _community_lessons(
        self, active: np.ndarray, rate: float | np.ndarray, rng: np.random.Generator
    ) -> None:
        """Each active customer talks, with probability ``rate`` (its firm's), to one random
        neighbour about one random part of the offer; if the neighbour is active, a customer of
        the same firm, and understands it, so does the customer afterwards."""
        s, c = self.state, self.community.matrix  # ties over every slot, arrivals' included
        rates = np.asarray(rate, dtype=np.float64).reshape(-1)
        draw = rng.random(len(active))
        talkers, degree = kernels.talkers(draw, rates, active, self._present_degree(len(active)))
        slot_draw = rng.random(len(talkers))
        topic = rng.integers(s.understood.shape[1], size=len(talkers))
        kernels.community_lessons(
            talkers,
            degree,
            slot_draw,
            topic,
            c.indptr,
            c.indices,
            active,
            s.understood,
            s.firm_of,
            self.n_firms > 1,
        )

    def _customers_decide(self, active: np.ndarray) -> tuple[int, int]:
        """Value, satisfaction, churn, margins and adoption. Returns (acquisitions, churned)."""
        s, mk, ec = self.state, self.scenario_config.market, self.scenario_config.economics
        t = self.steps
        s.value[:] = self._perceived_value()
        updated = market.satisfaction_update(
            s.satisfaction,
            s.value,
            mk.competitor_value,
            mk.satisfaction_sensitivity,
            mk.satisfaction_memory,
        )
        propensity = s.churn_propensity if mk.loyalty_spread > 0 else np.empty(0)
        leaving = kernels.churn(
            s.satisfaction,
            updated,
            active,
            propensity,
            mk.churn_floor,
            mk.competitor_pull,
            np.nan if mk.fixed_churn is None else mk.fixed_churn,
            self.streams.at("churn", t).random(len(active)),
            s.hazard,
        )
        if self.n_firms > 1:
            return competition.settle(self, active, leaving)
        leavers = np.flatnonzero(leaving)
        s.status[leavers] = CHURNED
        s.firm_of[leavers] = -1
        s.churned_at[leavers[s.churned_at[leavers] < 0]] = t
        s.lapsed_at[leavers] = t
        discount = economics.discount_factor(t, ec.discount_rate)
        staying = kernels.stay_and_pay(active, leaving, s.margin, s.realised_pv0, discount)
        prospects = np.flatnonzero(s.status == PROSPECT)
        acquired = 0
        if len(prospects) and (mk.base_acquisition > 0 or mk.word_of_mouth > 0):
            promoters = staying & (s.satisfaction >= mk.promoter_threshold)
            detractors = staying & (s.satisfaction <= mk.detractor_threshold)
            p = market.adoption_probability(
                self.community,
                promoters,
                detractors,
                mk.base_acquisition,
                mk.word_of_mouth,
                prospects,
            )
            draw = self.streams.at("acquisition", t).random(len(s.status))  # one per customer
            new = prospects[draw[prospects] < p]
            acquired = len(new)
            if acquired:
                s.firm_of[new] = 0
                s.profile_firm[new] = 0
                self._welcome(new)
        return acquired, len(leavers)

    def _welcome(self, new: np.ndarray) -> None:
        """Prospects ``new`` become customers: their first acquisition date, and the momentary
        satisfaction of the value ``state.value[new]`` their firm gives them.

        A prospect's understanding was frozen while a prospect (a won-back customer keeps what
        it understood), and ``state.value[new]`` was computed with it.
        """
        s, t = self.state, self.steps
        s.status[new] = ACTIVE
        first = new[s.acquired_at[new] < 0]  # won-back customers keep their first date
        s.counters["reacquisitions"] += len(new) - len(first)
        s.acquired_at[first] = t
        rate = self.scenario_config.economics.discount_rate
        s.acquisition_discount[first] = economics.discount_factor(t, rate)
        self._start_satisfaction(new)

    def _start_satisfaction(self, new: np.ndarray) -> None:
        """A new customer's satisfaction: the momentary satisfaction of its value."""
        s, mk = self.state, self.scenario_config.market
        s.satisfaction[new] = market.satisfaction_update(
            np.zeros(len(new)),
            s.value[new],
            mk.competitor_value,
            mk.satisfaction_sensitivity,
            0.0,
        )

    def _draw_sharing(self) -> None:
        """Which departments of each firm take part in its shared code and customer database
        this period; ``_takes_part`` says it per employee."""
        parts = []
        for f, fs in enumerate(self.firm_scenarios):
            n_dep = len(fs.firm.departments)
            draw = self.streams.at("sharing", self.steps, firm=f).random(n_dep)
            sharing = draw < self.firm_levers[f].repository_sharing
            parts.append(sharing[self.state.employee_department[self.firm_blocks[f]]])
            if f == 0:
                self._sharing = sharing
        self._takes_part = parts[0] if self.n_firms == 1 else np.concatenate(parts)

    # ------------------------------------------------------------------ schedule
    def _count_by_firm(self, name: str, cust: np.ndarray, where: np.ndarray | None = None) -> None:
        """Add this period's events of customers ``cust`` (``cust[where]``, an index or a mask,
        when given: nothing is gathered for a single firm) to each firm's flow ``name``."""
        if self.n_firms > 1:
            firm = self.state.firm_of[cust if where is None else cust[where]]
            add = np.bincount(firm, minlength=self.n_firms)
            self.firm_flows[name] = self.firm_flows.get(name, 0) + add

    def step(self) -> None:
        """One period: the eight stages of the schedule in order."""
        s = self.state
        self._pending_outcomes = None  # the last period's, never read: not needed any more
        if self.investment is not None:  # an investment plan: this period's levels and spend
            self.set_competence(self.firm_names[0], **self.investment.levels(self.steps))
            self.cost_per_period = self.investment.spend(self.steps)
        self.flow_counts = {}
        self._draw_sharing()
        self._open_market()
        self._turbulence()
        active = s.status == ACTIVE
        active_before = int(active.sum())
        if self.n_firms > 1:
            self.firm_flows = {}
            self._firm_before = {k: v.copy() for k, v in self.firm_counters.items()}
            self._firm_active_before = np.bincount(s.firm_of[active], minlength=self.n_firms)
        contacted = self._knowledge_about_customers(active)
        items = self._knowledge_from_customers(active)
        self._organisational_learning(active)
        self._adapt_offer()
        self._knowledge_for_customers(active, contacted)
        acquired, churned = self._customers_decide(active)
        ec, c = self.scenario_config.economics, s.counters
        discount = economics.discount_factor(self.steps, ec.discount_rate)
        c["acquisitions"] += acquired
        c["churned"] += churned
        c["knowledge_items"] += items
        c["customer_periods"] += active_before
        c["contacts"] += len(contacted)
        c["cost_pv0"] += self.cost_per_period * discount
        c["contact_pv0"] += ec.contact_cost * len(contacted) * discount
        c["acquisition_pv0"] += ec.acquisition_cost * acquired * discount
        for name in FLOW_COUNTS:
            c[name] += self.flow_counts.get(name, 0)
        if self.n_firms > 1:
            firm_outcomes.count_period(self, discount)
        # outcomes are computed when read (the DataCollector reads them every period)
        self._pending_outcomes = (acquired, churned, active_before, items)
        if active_before:
            self.retention_history.append(1.0 - churned / active_before)  # retention_rate
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
        s, ec = self.state, self.scenario_config.economics
        acquired = s.acquired_at >= 0
        clv = economics.customer_lifetime_values(
            s.realised_pv0,
            s.acquisition_discount,
            s.status == ACTIVE,
            1.0 - s.hazard,
            self.steps,
            s.margin,
            ec.discount_rate,
            residual=ec.horizon_value == "residual",
        )
        return np.where(acquired, clv, np.nan)

    def valuation(self) -> dict[str, float]:
        """Customer equity and every cost in period-0 money, under the horizon convention.

        ``"horizon"``: margins and costs of periods 1..T. ``"residual"`` adds, for customers
        active at T, their residual margins, the cost of serving them (contacts at the run's
        rate per customer-period) and of sustaining the competence at its horizon cost per
        active customer, each over the customer's expected remaining periods (docs/ODD.md 7.5).
        """
        s = self.state
        return self.value_of(
            float(s.realised_pv0.sum()), s.status == ACTIVE, s.counters, self.cost_per_period
        )

    def value_of(
        self,
        realised: float,
        customers: np.ndarray,
        c: Any,
        cost_per_period: float,
    ) -> dict[str, float]:
        """:meth:`valuation` of the market or of one firm: ``realised`` margins in period-0
        money, its active ``customers`` (a mask), its counters ``c`` (contacts,
        customer_periods, cost_pv0, acquisition_pv0, contact_pv0) and its cost per period."""
        s, ec = self.state, self.scenario_config.economics
        i = ec.discount_rate
        equity = realised
        sustaining = serving_after = 0.0
        if ec.horizon_value == "residual":
            active = customers.astype(np.float64)
            n_active = float(active.sum())
            retention = 1.0 - s.hazard
            at_horizon = economics.discount_factor(self.steps, i)
            residual = economics.weighted_sum(
                np.asarray(economics.residual_value(s.margin, retention, i)), active
            )
            remaining = economics.weighted_sum(
                np.asarray(economics.expected_remaining_periods(retention, i)), active
            )
            rate = (
                c["contacts"] / c["customer_periods"]
                if c["customer_periods"]
                else self.scenario_config.market.contact_rate
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

    def cohort_clv(self) -> pd.DataFrame:
        """CLV per cohort: the initial base, then each year's first acquisitions (ODD 7.4)."""
        return cohort_table(self)

    @property
    def outcomes(self) -> dict[str, float]:
        """This period's outcomes (docs/ODD.md section 6), by name.

        Computed when first read after a step, from the state at the end of that step: a run
        whose outcomes nobody reads each period (no DataCollector) computes only the last ones.
        """
        pending, self._pending_outcomes = self._pending_outcomes, None
        if pending is not None:
            self._update_outcomes(*pending)
        return self._outcomes

    @outcomes.setter
    def outcomes(self, value: dict[str, float]) -> None:
        """Set this period's outcomes (what :meth:`_update_outcomes` computes)."""
        self._outcomes = value

    def _update_outcomes(
        self, acquisitions: int, churned: int, active_before: int, items: int = 0
    ) -> None:
        """This period's outcomes (docs/ODD.md section 6), from dot products with the masks."""
        s = self.state
        active = (s.status == ACTIVE).astype(np.float64)
        n_active = int(active.sum())
        nan = float("nan")

        def active_mean(values: np.ndarray) -> float:
            return economics.weighted_sum(values, active) / n_active if n_active else nan

        clv = self.customer_lifetime_values()
        n_acquired = int((s.acquired_at >= 0).sum())
        money = self.valuation()
        m = s.needs.shape[1]
        f = self.flow_counts

        def per_customer(name: str) -> float:
            return f.get(name, 0) / active_before if active_before else 0.0

        known_entries = float(np.einsum("i,i->", s.profile_known, active))
        fitting = active_mean(self._fit)
        self.outcomes = {
            "retention_rate": 1.0 - churned / active_before if active_before else nan,
            "active_customers": n_active,
            "prospects": int((s.status == PROSPECT).sum()),
            "acquisitions": acquisitions,
            "churned": churned,
            "mean_satisfaction": active_mean(s.satisfaction),
            "mean_perceived_value": active_mean(s.value),
            "offer_fit": float((s.offer == s.truth).mean()),
            "repository_accuracy": active_mean(self._profile_right_count) / m if m else nan,
            "code_accuracy": float((s.code == s.truth).mean()),
            "employee_accuracy": (
                float(np.count_nonzero(s.beliefs == s.truth) / s.beliefs.size)
                if s.beliefs.size
                else nan
            ),
            "offer_knowledge": active_mean(s.offer_knowledge),
            "knowledge_from_customers": items / active_before if active_before else 0.0,
            "for_broadcast_reach": per_customer("for_broadcast_reached"),
            "for_broadcast_lessons": per_customer("for_broadcast_lessons"),
            "for_tailored_lessons": per_customer("for_tailored_lessons"),
            "for_tailored_precision": _share(
                f.get("for_tailored_right", 0), f.get("for_tailored_lessons", 0)
            ),
            "for_understood_fitting": active_mean(self._used) / fitting if fitting else nan,
            "from_absorbed": per_customer("from_absorbed"),
            "from_to_product": per_customer("from_to_product"),
            "from_direct": per_customer("from_direct"),
            "from_relayed": per_customer("from_relayed"),
            "about_contacts": per_customer("about_contacts"),
            "about_captures": per_customer("about_captures"),
            "about_wrong_captures": _share(
                f.get("about_wrong_captures", 0), f.get("about_captures", 0)
            ),
            "about_profile_staleness": (
                self.steps - float(np.einsum("i,i->", s.profile_time_sum, active)) / known_entries
                if known_entries
                else nan
            ),
            "clv": float(np.nansum(clv)) / n_acquired if n_acquired else nan,
            "customer_equity": money["customer_equity"],
            "investment_cost": self.cost_per_period if self.steps else 0.0,
            "net_value": money["net_value"],
        }
        self.outcomes |= self._firm_outcomes()
        if self.n_firms > 1:
            self.outcomes |= firm_outcomes.period_outcomes(self)

    def _firm_outcomes(self) -> dict[str, float]:
        """Inside the firm: accuracy per department and of the front line and product team,
        and the diversity of beliefs (mean Gini-Simpson index over segment needs)."""
        s = self.state
        nan = float("nan")
        n_emp = s.beliefs.shape[0]
        # means of 0/1 values are their exact integer counts over the number of values
        right = None
        if s.beliefs.size:
            matches = (s.beliefs == s.truth).reshape(n_emp, -1)
            right = matches.sum(axis=1, dtype=np.int64) / matches.shape[1]
        out: dict[str, float] = {}
        for name, members in (
            ("frontline_accuracy", self.frontline_team),
            ("product_accuracy", self.product_team),
        ):
            out[name] = float(right[members].mean()) if right is not None and len(members) else nan
        if s.beliefs.size:
            minus, plus = ((s.beliefs == v).sum(axis=0, dtype=np.int64) for v in (-1, 1))
            shares = [minus / n_emp, (n_emp - minus - plus) / n_emp, plus / n_emp]
            out["belief_diversity"] = float((1.0 - sum(p * p for p in shares)).mean())
        else:
            out["belief_diversity"] = nan
        return out

    def department_accuracy(self) -> dict[str, float]:
        """Accuracy of each department's beliefs about segment needs, by department name."""
        return {d.name: d.knowledge_accuracy for d in self.departments}

    def summary(self) -> dict[str, Any]:
        """One row of scalar outcomes: the input of every sweep (docs/ODD.md section 6), with the
        ``seed`` that repeats the run."""
        row = summarise(self)
        if self.n_firms > 1:
            row |= firm_outcomes.summary(self)
        return row | {"seed": self.seed}

    def timeseries(self) -> pd.DataFrame:
        """The outcomes of every period collected so far, indexed by period."""
        df = self.datacollector.get_model_vars_dataframe()
        df.index.name = "period"
        return df


def cells(array: np.ndarray) -> np.ndarray:
    """A C-contiguous state array as one flat view: ``cells(a)[i * m + d]`` is ``a[i, d]``
    (one flat index is about half the cost of a fancy index per axis)."""
    if not array.flags.c_contiguous:
        raise ValueError("state arrays are C-contiguous: a flat view would be a copy")
    return array.reshape(-1)


def _teams(firm: Any, department: np.ndarray, offset: int) -> dict[str, Any]:
    """A firm's product, frontline and channel teams (global employee indices)."""
    names = firm.departments
    frontline = [names.index(d) for d in firm.frontline_departments]
    product, channel = names.index(firm.product_department), names.index(firm.channel_department)
    return {
        "product": np.flatnonzero(department == product) + offset,
        "frontline": np.flatnonzero(np.isin(department, frontline)) + offset,
        "channel": np.flatnonzero(department == channel) + offset,
        "own": channel == product,
    }


def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


def _reporter(name: str) -> Callable[[CKMModel], float]:
    return lambda model: model.outcomes[name]
