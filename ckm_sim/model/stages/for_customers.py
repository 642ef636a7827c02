"""Stage 7, flow 1: knowledge FOR customers (the firm explains its offer; docs/ODD.md 7.2).

Per need dimension, what each active customer understands of the offer: customers forget, learn
from the broadcast (random dimensions: breadth), from tailored messages when contacted in flow
ABOUT (the dimensions the firm believes they need: precision) and from a community neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import choice, draws, kernels, thinning
from ckm_sim.model.stages.base import Period, Record, Tally

if TYPE_CHECKING:
    from ckm_sim.model.world import World


@dataclass
class ForRecord(Record):
    """The contacted customers who were sent tailored messages this period (none without
    tailoring), each on its service tie."""

    tailored_to: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def knowledge_for_customers(world: World, period: Period) -> ForRecord:
    """Active customers forget, learn from the broadcast, tailored messages and neighbours."""
    s, mk, active = world.state, world.scenario_config.market, period.active
    contacted = period.record("about").contacted
    t, key = period.t, world.streams.key
    # several firms' rates are thinned with this generator's numbers (a single firm draws none)
    rng = world.streams.at("for", t) if world.n_firms > 1 else None
    tally = Tally(world.n_firms)
    record = ForRecord(tally=tally)
    understood = s.understood
    m = understood.shape[1]
    flat = understood.reshape(-1)
    draws.write_bernoulli(
        key("for", t, "forget"), mk.offer_knowledge_decay, flat, active, max(m, 1), False
    )
    broadcast = world.rates["offer_communication"] * (1.0 - mk.tailoring)
    broadcast = broadcast * mk.broadcast_efficiency
    lessons, reached = _broadcast(
        world, flat, active, broadcast, key("for", t, "broadcast"), rng, tally
    )
    tally.counts.update(
        for_broadcast_lessons=lessons,
        for_broadcast_reached=reached,
        for_tailored_lessons=0,
        for_tailored_right=0,
    )
    tailored = world.rates["tailored_messaging"] * mk.tailoring
    if tailored.max() > 0:
        record.tailored_to = contacted
    if len(contacted) and tailored.max() > 0:
        sent, cust, dims = _tailored_lessons(
            world, contacted, tailored, key("for", t, "tailored"), rng
        )
        flat[cust * m + dims] = True
        tally.counts.update(for_tailored_lessons=len(sent), for_tailored_right=len(cust))
        tally.by_customers("for_tailored_lessons", s.firm_of, sent)
        tally.by_customers("for_tailored_right", s.firm_of, cust)
    if world.rates["community_learning"].max() > 0 and world.community.nnz:
        _community_lessons(world, active, world.rate("community_learning"), t)
    world.match_profiles()  # for this period's perceived value
    understood_count = world.counts[kernels.UNDERSTOOD]
    s.offer_knowledge[:] = understood_count.astype(np.float64) / max(m, 1)
    return record


def _broadcast(
    world: World,
    flat: np.ndarray,
    active: np.ndarray,
    rates: np.ndarray,
    key: np.uint64,
    rng: np.random.Generator | None,
    tally: Tally,
) -> tuple[int, int]:
    """The broadcast's lessons: cells drawn at the largest firm rate among the active
    customers' cells, each firm's kept at its own rate (:func:`_thin`), set understood;
    returns (lessons, customers taught) and adds both to each firm's count in ``tally``."""
    m = max(world.state.understood.shape[1], 1)
    if world.n_firms == 1:  # one rate: draw and write in one pass
        return draws.write_bernoulli(key, float(rates.max()), flat, active, m, True)
    s = world.state
    top = float(rates.max())
    thin = _thinning(world, rates, rng)
    if len(flat) == 0 or top <= 0:  # nothing drawn
        kept = taught = 0
        by_firm = taught_by_firm = np.zeros(world.n_firms, dtype=np.int64)
    elif top < 1:  # drawn, thinned and taught in one pass
        kept, by_firm, taught_by_firm, taught = thinning.broadcast(
            key, top, flat, active, m, rng, rates, s.firm_of, world.n_firms, thin
        )
    else:  # every cell drawn
        lessons = kernels.cells_of(np.arange(flat.size, dtype=np.int64), active, m)
        u = rng.random(len(lessons)) if thin and rng is not None else None
        if u is None:
            kept = len(lessons)
            by_firm, taught_by_firm, taught = choice.teach(
                lessons, m, flat, s.firm_of, world.n_firms
            )
        else:
            kept, by_firm, taught_by_firm, taught = choice.thin_and_teach(
                lessons, m, u, top, rates, s.firm_of, flat, world.n_firms
            )
    for name, add in (
        ("for_broadcast_lessons", by_firm),
        ("for_broadcast_reached", taught_by_firm),
    ):
        tally.by_firm[name] = tally.by_firm.get(name, 0) + add
    return int(kept), int(taught)


def _thinning(world: World, rates: np.ndarray, rng: np.random.Generator | None) -> bool:
    """Whether cells drawn at the largest firm rate are thinned to each customer's firm's own
    rate (:mod:`~ckm_sim.model.thinning`: a cell is kept with probability
    ``rates[firm] / max(rates)``, one number of ``rng`` per cell). Not when the firms' rates are
    equal (all kept, nothing drawn), nor with one firm."""
    top = float(rates.max())
    return not (rng is None or world.n_firms == 1 or top <= 0 or np.all(rates == top))


def _tailored_lessons(
    world: World,
    contacted: np.ndarray,
    rate: np.ndarray,
    key: np.uint64,
    rng: np.random.Generator | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tailored messages to the contacted (each firm's ``rate`` to its customers): (the
    customers of the lessons sent, customers and dimensions of the lessons on a true need).

    The firm believes customer ``i`` needs ``profile[i, d]`` where its CRM profile records
    ``d``, else what the serving employee believes of the segment. Each believed need is
    explained with probability ``rate``; the lesson is of use only when the belief is right
    (a wrong belief explains the part of the offer for a need the customer does not have).
    """
    s = world.state
    m = s.needs.shape[1]
    # the explained (customer, dimension) cells, drawn sparsely; then what the firm believes
    top, n = float(rate.max()), len(contacted) * m
    if world.n_firms > 1 and 0 < top < 1 and n > 0 and _thinning(world, rate, rng):
        # each firm's own rate: drawn and thinned in one pass
        explained = thinning.thinned_positions(key, n, top, contacted, m, rng, rate, s.firm_of)
    else:
        explained = draws.bernoulli_positions(key, n, top)
        if world.n_firms > 1 and rng is not None and _thinning(world, rate, rng):  # top 1
            u = rng.random(len(explained))
            explained = choice.thinned(explained, contacted, m, u, top, rate, s.firm_of)
    return kernels.tailored(
        explained,
        contacted,
        s.profile,
        s.profile_time,
        world.oldest_record(),
        s.beliefs,
        s.needs,
        s.serving_employee,
        s.segment,
    )


def _community_lessons(
    world: World,
    active: np.ndarray,
    rate: float | np.ndarray,
    t: int,
) -> None:
    """Each active customer talks, with probability ``rate`` (its firm's), to one random
    neighbour about one random part of the offer; if the neighbour is active, a customer of
    the same firm, and understands it, so does the customer afterwards."""
    s, c = world.state, world.community.matrix  # ties over every slot, arrivals' included
    rates = np.asarray(rate, dtype=np.float64).reshape(-1)
    key = world.streams.key
    present = world.present_degree(len(active))
    talkers, degree = kernels.talkers(key("for", t, "community"), rates, active, present)
    kernels.community_lessons(
        talkers,
        degree,
        key("for", t, "community_neighbour"),
        key("for", t, "community_topic"),
        c.indptr,
        c.indices,
        active,
        s.understood,
        s.firm_of,
        world.n_firms > 1,
    )
