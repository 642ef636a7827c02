"""The world the stages work on: the firms, their employees and the market's customers.

:class:`World` holds what every stage of a period reads and writes (docs/ODD.md sections 2 and
5): the :class:`~ckm_sim.model.state.ModelState` arrays, each firm's lever rates and teams, the
ties, the random streams; and it builds them from a scenario (employees, offers, prior
knowledge; the customer slots and arrivals are :class:`~ckm_sim.model.population.Population`'s,
which it extends). Its public methods are the few operations several stages share: a firm's
rate of a lever, a team member drawn, a customer served, CRM entries recorded, what each
customer draws from the offer. ``CKMModel`` is a World with Mesa's face
(:mod:`ckm_sim.model.model`); the stages (:mod:`ckm_sim.model.stages`) take a World, so they
never import the model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ckm_sim.model import choice, economics, kernels, learning, market
from ckm_sim.model.investment import Trajectory
from ckm_sim.model.levers import LeverRates, cross_department_ties, derive_levers, investment_cost
from ckm_sim.model.market import ACTIVE, PROSPECT
from ckm_sim.model.network import (
    SlotGraph,
    Ties,
    adjacency,
    draw_ties,
    employee_ties,
)
from ckm_sim.model.outcomes import FIRM_COUNTERS, FLOW_COUNTS
from ckm_sim.model.population import Population
from ckm_sim.model.scenario import Scenario
from ckm_sim.model.state import CUSTOMER_FIELDS, ModelState
from ckm_sim.model.streams import RandomStreams


class World(Population):
    """The firms and the market of one run, as arrays (built by :meth:`build_world`).

    ``steps`` is the period under way (Mesa's counter, from ``CKMModel``); :attr:`now` is the
    period whose records the stages write (a negative one during the burn-in).
    """

    steps: int
    #: the burn-in period under way (docs/ODD.md 5), negative; None once the run has started
    burn_in_period: int | None = None
    rng: np.random.Generator
    scenario_config: Scenario
    streams: RandomStreams
    state: ModelState
    ties: Ties
    community: SlotGraph
    #: per employee: whether its department takes part in the shared repository this period
    takes_part: np.ndarray

    def build_world(self, scenario: Scenario) -> None:
        """Build every firm and customer of ``scenario`` (docs/ODD.md section 5)."""
        self.scenario_config = scenario
        self.streams = RandomStreams(self.rng)
        #: The firms' names, in order (``("firm",)`` for a single-firm scenario).
        self.firm_names: tuple[str, ...] = scenario.firm_names()
        self.n_firms = len(self.firm_names)
        #: The scenario each firm works under (the top-level sections with its own fields).
        self.firm_scenarios: list[Scenario] = [scenario.for_firm(n) for n in self.firm_names]
        self.derive_firm_rates()
        #: Levels and spend by period under the scenario's investment plan (docs/ODD.md 7.7);
        #: None: the competence is fixed for the run.
        self.investment = Trajectory(scenario) if scenario.plan is not None else None
        self._network: Any = None
        self._build()

    def derive_firm_rates(self) -> None:
        """Each firm's levers and cost per period, and the per-firm rate arrays (ODD 7.6)."""
        #: Each firm's mechanism rates; ``levers`` is the first firm's.
        self.firm_levers: list[LeverRates] = [derive_levers(fs) for fs in self.firm_scenarios]
        self.firm_costs = np.array([investment_cost(fs) for fs in self.firm_scenarios])
        self.levers: LeverRates = self.firm_levers[0]
        self.cost_per_period: float = (
            float(self.firm_costs.sum()) if self.n_firms > 1 else float(self.firm_costs[0])
        )
        self.rates = {
            name: np.array([lv.as_dict()[name] for lv in self.firm_levers])
            for name in self.levers.as_dict()
        }
        self.unshared = np.array([fs.firm.unshared_capture for fs in self.firm_scenarios])

    def rate(self, name: str, firm: np.ndarray | None = None) -> Any:
        """Lever ``name``: the number of a single firm, else each customer's firm's rate (or
        the rate of the firms ``firm``, one per element)."""
        if self.n_firms == 1:
            return getattr(self.levers, name)
        if firm is None:
            return choice.firm_rates(self.rates[name], self.state.firm_of)
        return self.rates[name][firm]

    def serve(self, cust: np.ndarray, firm: np.ndarray) -> None:
        """Customers ``cust`` joining ``firm`` get its serving employee of their rank."""
        pool, starts, sizes, _ = self.team_pools["frontline"]  # every firm's, laid out once
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
        self.sharing = np.ones(len(departments), dtype=bool)
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
        #: each team as (every firm's members in one array, each firm's first index in it, its
        #: size, whether the first firm's team has any member): what compiled kernels pick from
        self.team_pools = {name: _pool(teams) for name, teams in self.firm_teams.items()}
        self.own_channel = np.array(
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

        truth = rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_seg, m))
        fits = [self._initial_fit(name) for name in self.firm_names]
        right = rng.random((n_seg, m)) < fits[0]
        offers = [np.where(right, truth, -truth).astype(np.int8)]
        for f, fit in enumerate(fits[1:], start=1):  # after the employees' beliefs
            right = self.streams.at("firm", 1, firm=f).random((n_seg, m)) < fit
            offers.append(np.where(right, truth, -truth).astype(np.int8))
        # every slot up to the horizon at once, filled in place: no copy when arrivals join
        extra = max(self.arrivals_by(sc.periods), 0)
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
            self.serve(won, firm_of[won].astype(np.int64))
            self.firm_counters = {name: np.zeros(n_firms) for name in FIRM_COUNTERS}
            s.firm_discount[won, firm_of[won]] = 1.0
            self.firm_counters["won"] += np.bincount(firm_of[won], minlength=n_firms)
            self.firm_history: dict[str, list[np.ndarray]] = {"retention": [], "share": []}
        self._prior_knowledge()
        del status, firm_of  # views of the state's slots
        self._community_runs = [len(t.community_edges)]  # the initial market's, then arrivals'
        self._arrive(n_cust, n_cust + extra)  # and indexes the segments' slots
        self.match_profiles()
        s.value[:] = self.perceived_value()
        s.satisfaction[:] = market.satisfaction_update(
            np.zeros(n_cust), s.value, mk.competitor_value, mk.satisfaction_sensitivity, 0.0
        )
        s.hazard[:] = self.churn_hazard()
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
            self.record_profiles(rows, dims, s.needs[rows, dims])
            known = rng.random(s.truth.shape) < q
            s.codes[f][known] = s.truth[known]

    def match_profiles(self) -> None:
        """Count each customer's needs the offer meets, the profile records (right) and the
        customer understands (:func:`kernels.value_counts`); reused all period."""
        self.counts = self._counts(None)
        self.profile_right_count = self.counts[kernels.RECORDED_RIGHT].astype(np.float32)

    def _counts(self, rows: np.ndarray | None) -> np.ndarray:
        """:func:`kernels.value_counts` of every customer (``rows`` None) or of the customers
        ``rows`` (read in place), each against its firm's offer (a prospect: the first firm's)."""
        s = self.state
        firm_of, segment = (
            (s.firm_of, s.segment) if rows is None else (s.firm_of[rows], s.segment[rows])
        )
        if self.n_firms > 1:
            n_seg, m = s.offers.shape[1:]
            offers = s.offers.reshape(-1, m)
            offered = choice.offer_rows(firm_of, segment, n_seg)
        else:
            offers, offered = s.offer, segment
        oldest = self.oldest_record()
        if rows is None:
            return kernels.value_counts(
                s.needs, s.profile, s.profile_time, oldest, s.understood, offers, offered
            )
        return kernels.value_counts_of(
            np.asarray(rows, dtype=np.int64),
            s.needs,
            s.profile,
            s.profile_time,
            oldest,
            s.understood,
            offers,
            offered,
        )

    def value_of(self, rows: np.ndarray) -> np.ndarray:
        """The perceived value of customers ``rows`` now, as :meth:`perceived_value` computes
        it (records in date, ODD 7.3), from their state as it stands (a customer who has just
        joined a firm, before the period's counts are made again)."""
        firm = np.maximum(self.state.firm_of[rows], 0) if self.n_firms > 1 else None
        p = self.rate("personalisation", firm)  # the rows' own, not every slot's gathered
        value, _, _ = self._value(self._counts(rows), p)
        return value

    def oldest_record(self) -> int:
        """The first period whose CRM records the firm still acts on (personalisation,
        tailored messages): ``[firm] record_shelf_life`` periods up to now (docs/ODD.md 7.2)."""
        return self.now - self.scenario_config.firm.record_shelf_life + 1

    def perceived_value(self) -> np.ndarray:
        """Value of the delivered offer, counting what each customer understands (ODD 7.3).

        From this period's counts (:meth:`_match_profiles`, after the flows have changed
        profiles and understanding).
        """
        value, self.fit, self.used = self._value(self.counts, self.rate("personalisation"))
        return value

    def _value(self, counts: np.ndarray, p: float | np.ndarray) -> tuple[np.ndarray, ...]:
        """(value, fit, used) from value counts and personalisation (one number, or one per
        customer of ``counts``): :func:`kernels.perceived_value`."""
        return kernels.perceived_value(
            counts,
            np.asarray(p, dtype=np.float64).reshape(-1),
            self.n_firms == 1,
            bool(np.any(p > 0)),
            self.state.needs.shape[1],
            self.scenario_config.market.usability_floor,
        )

    def churn_hazard(self, propensity: np.ndarray | None = None) -> np.ndarray:
        """Every customer's churn hazard from its satisfaction now (docs/ODD.md 7.3), each
        bracket times ``propensity`` (by default the loyalty trait ``theta``)."""
        mk = self.scenario_config.market
        if propensity is None and mk.loyalty_spread > 0:
            propensity = self.state.churn_propensity
        return market.churn_hazard(
            self.state.satisfaction, mk.churn_floor, mk.competitor_pull, mk.fixed_churn, propensity
        )

    @property
    def now(self) -> int:
        """The period under way: Mesa's step count, or a burn-in period (negative)."""
        return self.steps if self.burn_in_period is None else self.burn_in_period

    def record_profiles(self, cust: np.ndarray, dims: np.ndarray, recorded: np.ndarray) -> None:
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
            self.now,
        )

    def welcome(self, new: np.ndarray) -> None:
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
        self.start_satisfaction(new)

    def start_satisfaction(self, new: np.ndarray) -> None:
        """A new customer's satisfaction: the momentary satisfaction of its value."""
        s, mk = self.state, self.scenario_config.market
        s.satisfaction[new] = market.satisfaction_update(
            np.zeros(len(new)),
            s.value[new],
            mk.competitor_value,
            mk.satisfaction_sensitivity,
            0.0,
        )


def _pool(teams: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """One team of every firm as (members in one array, each firm's start, size, whether the
    first firm's team has any member), laid out once for the kernels that pick a member."""
    sizes = np.array([len(t) for t in teams], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    pool = np.concatenate(teams).astype(np.int64)
    return pool, starts, sizes, bool(len(teams[0]))


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
