"""Who is in the market: the customer slots, what each customer is drawn with, and arrivals.

:class:`Population` is the part of :class:`~ckm_sim.model.world.World` that fills customer slots
(docs/ODD.md sections 2 and 5): every slot up to the scenario's horizon is preallocated at build
time and filled in place (needs, what the customer understands of the offer, margin, loyalty,
serving employee), arrivals widen the views without copying, and a run beyond the horizon adds
slots. Each period's arrivals draw from a stream keyed by their first slot, so the same seed
meets the same newcomers whatever else differs, the scenario's horizon included.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ckm_sim.model import economics, market
from ckm_sim.model.market import VACANT
from ckm_sim.model.network import (
    SlotGraph,
    Ties,
    adjacency_of_runs,
    newcomer_edges,
    newcomer_pairs,
)
from ckm_sim.model.scenario import Scenario
from ckm_sim.model.state import CUSTOMER_FIELDS, ModelState
from ckm_sim.model.streams import RandomStreams, uniform_below, uniform_blocks


class Population:
    """Customer slots, their draws and arrivals (mixed into :class:`World`)."""

    steps: int
    scenario_config: Scenario
    streams: RandomStreams
    state: ModelState
    ties: Ties
    community: SlotGraph
    n_firms: int
    frontline_team: np.ndarray
    segment_margin: np.ndarray
    #: Every customer slot, by segment (``segment_members[segment_bounds[k]:segment_bounds[k+1]]``
    #: are segment ``k``'s): turbulence flips their needs together.
    segment_members: np.ndarray
    segment_bounds: np.ndarray
    initial_customers: int
    _community_runs: list[int]
    _network: Any

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

    def _draw_margins(self, segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Per-customer margins: lognormal around the segment's mean margin (docs/ODD.md 7.4)."""
        spread = self.scenario_config.economics.margin_spread
        return self.segment_margin[segment] * economics.lognormal_margins(
            1.0, spread, len(segment), rng
        )

    def arrivals_by(self, period: int) -> int:
        """Prospects who arrived in periods 1..``period``: ``floor(g N0 t)`` (deterministic)."""
        growth = self.scenario_config.market.market_growth
        return int(np.floor(growth * self.initial_customers * max(period, 0) + 1e-9))

    def add_slots(self, extra: int) -> None:
        """At least ``extra`` more customer slots, for arrivals beyond the scenario's horizon
        (the build preallocates every slot up to it): the arrays grow once, up to the end of a
        period's arrivals (:meth:`_arrival_blocks`), and :meth:`_arrive` fills them."""
        if extra <= 0:
            return
        s = self.state
        first, n = len(s.slots["status"]), len(s.status)
        extra = self._arrival_blocks(first, first + extra)[-1][1] - first
        fresh = self._empty_slots(extra)
        for k in CUSTOMER_FIELDS:  # one field at a time: the old array is freed at once
            s.slots[k] = np.concatenate([s.slots[k], fresh.pop(k)])
            setattr(s, k, s.slots[k][:n])
        self._arrive(first, first + extra)

    def _arrival_blocks(self, first: int, last: int) -> list[tuple[int, int]]:
        """``(begin, end)``: the slots ``begin..end-1`` of each period's arrivals (periods with
        any), from slot ``first`` (where a period's arrivals begin) to the period whose arrivals
        take slot ``last - 1``. Period ``t``'s arrivals are slots
        ``N0 + floor(g N0 (t-1)) .. N0 + floor(g N0 t) - 1`` (:meth:`arrivals_by`)."""
        n0 = self.initial_customers
        blocks: list[tuple[int, int]] = []
        if self.scenario_config.market.market_growth <= 0 or n0 <= 0:
            return blocks
        begin, t = n0, 1
        while begin < last:
            end = n0 + self.arrivals_by(t)
            if end > begin:
                if end > first:
                    blocks.append((begin, end))
                begin = end
            t += 1
        if blocks and blocks[0][0] != first:
            raise ValueError(f"slot {first} is not where a period's arrivals begin")
        return blocks

    def _arrive(self, first: int, last: int) -> None:
        """Draw the customers of slots ``first..last-1``, who join the market later, and their
        ties; the community graph grows to every slot.

        Each period's arrivals (:meth:`_arrival_blocks`) are drawn from the ``arrivals`` stream
        keyed by their first slot, so a newcomer is the same whatever else differs: the
        scenario's horizon (how many slots are drawn at once), the run's length, the levers.
        Called at build time for the arrivals up to the scenario's horizon and again only if a
        run goes beyond it (``first`` and ``last`` are where periods' arrivals begin).
        """
        s, mk = self.state, self.scenario_config.market
        edges = self.ties.community_edges
        if last > first:
            degree = mk.community_degree if mk.community != "none" else 0
            partners, slots = [], []
            for begin, end in self._arrival_blocks(first, last):
                rng = self.streams.at("arrivals", begin)
                rows = slice(begin, end)
                s.slots["segment"][rows] = rng.integers(mk.segments, size=end - begin)
                self._draw_needs(s.slots, rows, s.truth, rng)
                serving, partner, slot = newcomer_pairs(
                    begin, end, self.frontline_team, degree, rng
                )
                self._serve_slots(s.slots, rows, serving)
                self._draw_understood(s.slots, rows, rng)
                self._draw_traits(s.slots, rows, rng)
                partners.append(partner)
                slots.append(slot)
            new_edges = newcomer_edges(partners, slots, last)  # one sorted run: every period's
            del partners, slots
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
        self.segment_members = np.argsort(segment, kind="stable")
        self.segment_bounds = np.searchsorted(segment[self.segment_members], np.arange(n_seg + 1))

    def present_degree(self, n: int) -> np.ndarray:
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
