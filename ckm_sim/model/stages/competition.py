"""Several firms in one market: where leavers go, which firm prospects choose, switching.

The customer side of competition (docs/ODD.md 7.6), for a model with more than one firm:
after the churn draw, each customer who ends its relationship either switches to a rival or
leaves the market, and each prospect who adopts chooses a firm; customers who change firm lose
what belonged to the old one (their CRM profile, what they understood of its offer, what it
heard of their satisfaction). Every step is vectorised over customers, with the firms as a
short second axis; :func:`settle` is the settle stage (:mod:`~ckm_sim.model.stages.settle`)
of a market with several firms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ckm_sim.model import choice, draws, economics
from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT

if TYPE_CHECKING:
    from ckm_sim.model.world import World


#: Reach of a firm's broadcast at which its reputation is fully known: the broadcast lever of
#: a firm at full learning culture and IT (``offer_communication = 0.15 (LC + IT)``, ODD 7.1).
FULL_REACH = 0.3

_SILENT = np.empty(0, dtype=np.bool_)  # no promoters given: the walks sum values and counts only


def values_of(model: World, rows: np.ndarray) -> np.ndarray:
    """Perceived value of customers ``rows`` with their current firm (ODD 7.3): as the period's
    value counts it, on the profile entries in date (:meth:`World.value_of`)."""
    return model.value_of(rows)


def reputations(model: World, active: np.ndarray) -> np.ndarray:
    """(F,) each firm's reputation: the mean perceived value of its active customers (the
    market's reference value for a firm without customers)."""
    s, reference = model.state, model.scenario_config.market.competitor_value
    return choice.firm_means(s.firm_of, active, s.value, model.n_firms, reference)


def built_up(model: World, rows: np.ndarray | slice) -> np.ndarray:
    """``b_i`` of customers ``rows``: what each has built up with its firm, in [0, 1] (its
    known profile entries and understood dimensions, over ``2 m``), lost whichever way it
    leaves (docs/ODD.md 7.6)."""
    s = model.state
    m = s.needs.shape[1]
    return (s.profile_known[rows] + s.offer_knowledge[rows] * m) / (2.0 * max(m, 1))


def staying_factors(model: World, theta: np.ndarray | None = None) -> np.ndarray:
    """(N,) ``max(0, 1 - s b_i)``: how much of the churn hazard each customer's switching cost
    leaves (``s = switching_cost``, ``b_i`` :func:`built_up`; docs/ODD.md 7.6), times
    ``theta`` (one per customer) when given: one compiled pass
    (:func:`choice.staying_factors`)."""
    s = model.state
    return choice.staying_factors(
        s.profile_known,
        s.offer_knowledge,
        s.needs.shape[1],
        model.scenario_config.market.switching_cost,
        np.empty(0) if theta is None else theta,
    )


def expected_values(
    model: World, value_sum: np.ndarray, count: np.ndarray, reputation: np.ndarray
) -> np.ndarray:
    """(n, F) the value customers expect from each firm, from what they hear of it
    (``value_sum``, ``count``: :func:`choice.community_by_firm`), its ``reputation`` and how far
    its broadcast reaches (:func:`choice.expected_values`; docs/ODD.md 7.6)."""
    mk = model.scenario_config.market
    return choice.expected_values(
        value_sum, count, reputation, reach(model), mk.competitor_value, mk.reputation_weight
    )


def reach(model: World) -> np.ndarray:
    """(F,) how far each firm's broadcast carries its reputation, in [0, 1] (ODD 7.6)."""
    return np.minimum(model.rates["offer_communication"] / FULL_REACH, 1.0)


def expectations(model: World, active: np.ndarray) -> np.ndarray:
    """(N,) what each active customer measures its firm's value against: the best of the
    market's reference value ``c`` and the value it expects from each rival of its firm,
    ``max(c, max_{g != f} x_ig)`` (word of mouth and reputation, :func:`choice.expected_values`;
    docs/ODD.md 7.6); ``c`` for everyone else."""
    s, mk = model.state, model.scenario_config.market
    reference = mk.competitor_value
    reputation = reputations(model, active)
    prior = choice.weighted_prior(reputation, reach(model), reference, mk.reputation_weight)
    c = model.community.matrix
    return choice.best_rivals(  # not its own firm; c for the inactive
        c.indptr, c.indices, s.firm_of, active, s.value, prior, mk.reputation_weight, reference
    )


def settle(model: World, active: np.ndarray, leaving: np.ndarray) -> tuple[int, int]:
    """Leavers switch or leave, stayers pay, prospects adopt and choose a firm. Returns the
    market's (acquisitions from prospects, customers out of the market)."""
    s, mk, ec, t = (
        model.state,
        model.scenario_config.market,
        model.scenario_config.economics,
        model.steps,
    )
    n_firms, fc = model.n_firms, model.firm_counters
    discount = economics.discount_factor(t, ec.discount_rate)
    staying, equity, at_won = choice.pay_by_firm(
        active, leaving, s.margin, s.realised_pv0, discount, s.firm_of, s.firm_discount, n_firms
    )
    fc["equity_pv0"] += equity
    fc["clv_sum"] += at_won
    promoters = staying & (s.satisfaction >= mk.promoter_threshold)
    detractors = staying & (s.satisfaction <= mk.detractor_threshold)
    leavers = np.flatnonzero(leaving)
    prospects = np.flatnonzero(s.status == PROSPECT)
    reputation = reputations(model, staying)
    rng = model.streams.at("choice", t)

    def expected(customers: np.ndarray) -> np.ndarray:
        """What ``customers`` expect of each firm, from what they hear of the stayers (whom
        :func:`_join` leaves as they were: these walks read no one else's firm or value)."""
        _, value_sum, count = choice.community_by_firm(
            model.community, customers, s.firm_of, staying, _SILENT, _SILENT, s.value, n_firms
        )
        return expected_values(model, value_sum, count, reputation)

    # leavers: a known rival or the outside option (the market's reference value); what a
    # leaver built up is lost either way, so its switching cost acted on the hazard only
    old = s.firm_of[leavers].astype(np.int64)
    utility = mk.choice_sensitivity * np.column_stack(
        [
            np.full(len(leavers), mk.competitor_value),
            expected(leavers),
        ]
    )
    utility[np.arange(len(leavers)), old + 1] = -np.inf  # not back to the firm it leaves
    picked = choice.choose(utility, rng) - 1
    switch = picked >= 0
    out = leavers[~switch]
    s.status[out] = CHURNED
    s.churned_at[out[s.churned_at[out] < 0]] = t
    s.lapsed_at[out] = t
    fc["out_of_market"] += np.bincount(old[~switch], minlength=n_firms)
    fc["to_rivals"] += np.bincount(old[switch], minlength=n_firms)
    s.firm_of[out] = -1
    movers, target = leavers[switch], picked[switch]
    _join(model, movers, target, discount)
    fc["from_rivals"] += np.bincount(target, minlength=n_firms)
    # prospects: adopt as a single firm's would, with every firm's word of mouth; then choose
    acquired = 0
    if len(prospects) and (mk.base_acquisition > 0 or mk.word_of_mouth > 0):
        new = _adopters(model, prospects, staying, promoters, detractors)
        acquired = len(new)
        if acquired:
            firm = choice.choose(mk.choice_sensitivity * expected(new), rng)
            _join(model, new, firm, discount)
            model.welcome(new)
            fc["from_prospects"] += np.bincount(firm, minlength=n_firms)
    return acquired, len(out)


#: Added to a prospect's highest possible chance of adopting before its number is compared
#: with it: far above the rounding of the chance's arithmetic (below 1e-15), far below any gap
#: between chances of different numbers of promoters.
_CEILING_MARGIN = 1e-12


def _adopters(
    model: World,
    prospects: np.ndarray,
    staying: np.ndarray,
    promoters: np.ndarray,
    detractors: np.ndarray,
) -> np.ndarray:
    """The prospects who adopt this period: each whose number (its slot's, the same whoever
    else is a prospect) is below its chance of adopting, :func:`choice.adoption_probability`
    of every firm's word of mouth among its neighbours. The chance grows with the positive word
    of mouth, which is at most the prospect's number of ties: only the prospects whose number
    is below the chance at that many promoters (most are not) have their ties walked."""
    s, mk, t = model.state, model.scenario_config.market, model.steps
    key = model.streams.key("acquisition", t)
    indptr = model.community.matrix.indptr
    ties = indptr[prospects + 1] - indptr[prospects]
    most = np.arange(ties.max() + 1 if len(ties) else 1, dtype=np.float64)  # promoters at most
    ceiling = choice.adoption_by_voice(most, mk.base_acquisition, mk.word_of_mouth)
    maybe = prospects[draws.below(key, prospects, ceiling[ties] + _CEILING_MARGIN)]
    voice = choice.voice_of_firms(
        model.community, maybe, s.firm_of, staying, promoters, detractors, model.n_firms
    )
    p = choice.adoption_by_voice(voice, mk.base_acquisition, mk.word_of_mouth)
    return maybe[draws.below(key, maybe, p)]


def _join(model: World, cust: np.ndarray, firm: np.ndarray, discount: float) -> None:
    """Customers ``cust`` become customers of ``firm`` (one per element).

    A customer joining a firm other than the one holding its profile starts afresh there: an
    empty CRM profile, what it understands of the new offer drawn as a newcomer's (each
    dimension with probability ``initial_offer_knowledge``), nothing reported; the old firm
    keeps its pooled segment records. Its satisfaction restarts from its value at the new firm.
    """
    if len(cust) == 0:
        return
    s, mk = model.state, model.scenario_config.market
    firm = firm.astype(np.int64)
    fresh = cust[s.profile_firm[cust] != firm]
    if len(fresh):
        rng = model.streams.at("switching", model.steps)
        drawn = rng.random((len(fresh), s.needs.shape[1])) < mk.initial_offer_knowledge
        choice.start_afresh(
            fresh,
            drawn,
            s.profile,
            s.profile_time,
            s.profile_known,
            s.profile_time_sum,
            s.reported_satisfaction,
            s.understood,
            s.offer_knowledge,
        )
    s.firm_of[cust] = firm
    s.profile_firm[cust] = firm
    model.serve(cust, firm)
    first = s.firm_discount[cust, firm] == 0  # a customer this firm never had before
    s.firm_discount[cust[first], firm[first]] = discount
    model.firm_counters["won"] += np.bincount(firm[first], minlength=model.n_firms)
    s.status[cust] = ACTIVE
    s.value[cust] = values_of(model, cust)
    model.start_satisfaction(cust)
    cost = model.scenario_config.economics.acquisition_cost * discount
    model.firm_counters["acquisition_pv0"] += cost * np.bincount(firm, minlength=model.n_firms)
