"""Targeting: where a firm's service contacts go, steered by what it observes (docs/ODD.md 7.2).

A share ``targeting`` of the contact budget follows the firm's priority, estimated value times
estimated risk of leaving, both from what it observes (margins booked, satisfaction reported);
the rest is spread evenly. Used by flow ABOUT (:mod:`ckm_sim.model.stages.about`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import choice, decisions, kernels, market

if TYPE_CHECKING:
    from ckm_sim.model.world import World


def contact_probability(world: World, active: np.ndarray) -> np.ndarray | float:
    """Each active customer's chance of a service contact, steered by targeting (ODD 7.2).

    A share ``targeting`` of the contact budget follows the firm's priority (estimated value
    times estimated risk of leaving, both from what it observes); the rest is spread evenly.
    A probability cannot pass 1, so what the most valued customers cannot take goes to the
    others in proportion (``market.keep_budget``): the mean stays ``contact_rate``.
    """
    rate = world.scenario_config.market.contact_rate
    if world.n_firms == 1:
        served, chances = _one_firm(world, active)
        if served is None:
            return rate
        p = np.zeros(len(active))  # the others' probability is 0: never contacted
        p[served] = chances
        return p
    out = np.full(len(active), rate)
    grouped, starts = choice.members_by_firm(active, world.state.firm_of, world.n_firms)
    priors = heard_priors(world)
    for f in range(world.n_firms):  # each firm steers its own contact budget
        tau = float(world.rates["targeting"][f])
        members = grouped[starts[f] : starts[f + 1]]
        if tau > 0 and rate > 0 and len(members):
            wanted = _targeted(world, rate, tau, members, priors[f : f + 1])
            if wanted is not None:
                out[members] = wanted
    return out


def contacts(world: World, active: np.ndarray, key: np.uint64) -> np.ndarray:
    """The active customers who have a service contact this period: those whose uniform under
    ``key`` is below their :func:`contact_probability` (a single firm's drawn over its active
    customers' probabilities only, the same customers)."""
    if world.n_firms == 1:
        members, wanted = _one_firm(world, active)
        if members is not None:
            return decisions.members_below(members, key, wanted)
    p = np.asarray(contact_probability(world, active), dtype=np.float64).reshape(-1)
    return decisions.active_below(active, key, p)


def _one_firm(world: World, active: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """A single firm's (active customers, their contact probabilities); (None, ...) when every
    one has ``contact_rate`` (no targeting, or no customer with any priority)."""
    rate = world.scenario_config.market.contact_rate
    none = (None, np.empty(0))
    if world.levers.targeting <= 0 or rate <= 0 or not active.any():
        return none
    members = np.flatnonzero(active)
    wanted = _targeted(world, rate, world.levers.targeting, members, None)
    return none if wanted is None else (members, wanted)


def heard_priors(world: World) -> np.ndarray:
    """(F,) each firm's prior risk basis: the mean satisfaction reported by the customers
    whose records it holds (a firm hears only its own customers; 0.5 when none)."""
    s = world.state
    return choice.heard_means(s.profile_firm, s.reported_satisfaction, world.n_firms, 0.5)


def _targeted(
    world: World, rate: float, tau: float, members: np.ndarray, prior: np.ndarray | None
) -> np.ndarray | None:
    """Contact probabilities of one firm's active customers ``members`` (ODD 7.2), ``prior``
    its prior risk basis with several firms (:func:`priority`); None: every one at ``rate``
    (no customer has any priority)."""
    wanted = priority(world, members, prior)
    mean = float(wanted.mean())
    if mean <= 0:
        return None
    return market.water_fill(decisions.shares(wanted, rate, tau, mean))


def priority(
    world: World, who: np.ndarray | None = None, prior: np.ndarray | None = None
) -> np.ndarray:
    """The firm's contact priority per customer (of ``who``, indices; all by default):
    estimated value x estimated risk.

    Estimated value: the revenue the firm books per period from the customer (its margin,
    ``state.margin``). Estimated risk: dissatisfaction,
    ``1 - satisfaction`` as last reported in feedback or a contact; a customer never heard
    counts at the mean of those heard (0.5 when none has been). ``prior``: with several
    firms, ``who`` are one firm's customers and this (length 1) is that firm's own mean
    (its entry of :func:`heard_priors`).
    """
    s = world.state
    reported = s.reported_satisfaction
    rows = np.arange(len(reported)) if who is None else np.asarray(who, dtype=np.int64)
    if prior is None:  # one firm: the mean of what it has heard
        told = kernels.heard(reported)
        prior = np.array([float(told.mean()) if len(told) else 0.5])
    return kernels.priority(reported, rows, prior, s.margin)
