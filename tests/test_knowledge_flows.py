"""Issue 9: knowledge FOR customers with content, appraisal from what a firm can see, cooperation
between departments in the shared repository and the route to product, targeting, flow outcomes.

Expected values are worked out by hand; frequencies are checked within 5 binomial standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ckm_sim import CKMModel
from ckm_sim.model import draws, learning, market
from ckm_sim.model.draws import bernoulli_positions, write_bernoulli
from ckm_sim.model.market import ACTIVE, PROSPECT
from ckm_sim.model.scenario import DIMENSIONS, Firm
from ckm_sim.model.stages.targeting import contact_probability, contacts

Z = 5.0
#: every flow of knowledge FOR customers off, so a test can switch on one at a time
QUIET_FOR = dict(
    offer_communication=0.0,
    tailored_messaging=0.0,
    community_learning=0.0,
    offer_knowledge_decay=0.0,
)
SMALL = dict(customers=300, prospects=100, employees=20, need_dimensions=12)


def assert_frequency(hits: int, n: int, p: float) -> None:
    se = math.sqrt(p * (1 - p) / n)
    assert abs(hits / n - p) <= Z * se + 1e-12, (hits / n, p, se)


# ------------------------------------------------------------------ sampling
class TestBernoulliPositions:
    @given(st.integers(0, 5000), st.floats(0.0, 1.0), st.integers(0, 2**64 - 1))
    @settings(max_examples=50, deadline=None)
    def test_sorted_distinct_in_range(self, n, p, key):
        pos = bernoulli_positions(np.uint64(key), n, p)
        assert pos.dtype == np.int64
        assert (np.diff(pos) > 0).all()
        assert len(pos) == 0 or (pos.min() >= 0 and pos.max() < n)
        if p >= 1:
            assert len(pos) == n

    @pytest.mark.parametrize("p", [0.001, 0.02, 0.3, 0.9])
    def test_each_position_with_probability_p(self, p):
        n, reps = 2000, 200
        hits = np.zeros(n)
        for key in range(reps):
            hits[bernoulli_positions(np.uint64(key), n, p)] += 1
        assert_frequency(int(hits.sum()), n * reps, p)
        # the first and the last position are as likely as any (no edge effect)
        for edge in (hits[:100].sum(), hits[-100:].sum()):
            assert_frequency(int(edge), 100 * reps, p)

    def test_gaps_are_geometric(self):
        # the gaps between successes (the first one's from -1) follow Geometric(p): a
        # chi-square test of their frequencies, pooled above 8
        p, n = 0.2, 200_000
        gaps = np.diff(bernoulli_positions(np.uint64(7), n, p), prepend=-1)
        k = np.arange(1, 9)
        expected = np.append((1 - p) ** (k - 1) * p, (1 - p) ** 8) * len(gaps)
        observed = np.append([np.count_nonzero(gaps == g) for g in k], np.count_nonzero(gaps > 8))
        assert stats.chisquare(observed, expected).pvalue > 1e-4

    def test_a_key_repeats_its_positions(self):
        a = bernoulli_positions(np.uint64(3), 10_000, 0.05)
        np.testing.assert_array_equal(a, bernoulli_positions(np.uint64(3), 10_000, 0.05))
        assert not np.array_equal(a, bernoulli_positions(np.uint64(4), 10_000, 0.05))

    @given(
        st.integers(0, 60),
        st.integers(1, 7),
        st.floats(0.0, 1.0),
        st.integers(0, 2**64 - 1),
        st.booleans(),
        st.data(),
    )
    @settings(max_examples=80, deadline=None)
    def test_writing_in_one_pass_is_drawing_then_writing(self, rows, m, p, key, value, data):
        # write_bernoulli sets the active customers' cells among bernoulli_positions, as the
        # positions filtered by customer and written would, and counts cells and customers
        active = np.array(data.draw(st.lists(st.booleans(), min_size=rows, max_size=rows)), bool)
        start = np.array(data.draw(st.lists(st.booleans(), min_size=rows * m, max_size=rows * m)))
        cells = bernoulli_positions(np.uint64(key), rows * m, p)
        cells = cells[active[cells // m]] if len(cells) else cells
        want = start.astype(bool).copy()
        want[cells] = value
        got = start.astype(bool).copy()
        written, customers = write_bernoulli(np.uint64(key), p, got, active, m, value)
        np.testing.assert_array_equal(got, want)
        assert (written, customers) == (len(cells), len(np.unique(cells // m)))

    @pytest.mark.parametrize("p", [0.01, 0.3, 0.97])
    def test_writing_in_blocks_is_drawing_then_writing(self, p):
        # thousands of positions: the walk's blocks of positions meet and the last is partial
        rng = np.random.default_rng(11)
        rows, m = 3_000, 7
        active = rng.random(rows) < 0.7
        start = rng.random(rows * m) < 0.5
        cells = bernoulli_positions(np.uint64(5), rows * m, p)
        cells = cells[active[cells // m]]
        assert len(cells) > 30
        want = start.copy()
        want[cells] = False
        got = start.copy()
        written, customers = write_bernoulli(np.uint64(5), p, got, active, m, False)
        np.testing.assert_array_equal(got, want)
        assert (written, customers) == (len(cells), len(np.unique(cells // m)))


# ------------------------------------------------------------------ flow FOR
def model_for(**params) -> CKMModel:
    """A model whose customers all stay and no prospect joins or arrives (churn, acquisition and
    market growth off), with contacts not steered by targeting, from the initial draws (no
    burn-in: the mechanisms are checked against a known start)."""
    base = dict(
        SMALL,
        burn_in=0,
        fixed_churn=0.0,
        base_acquisition=0.0,
        word_of_mouth=0.0,
        turbulence=0.0,
        market_growth=0.0,
        targeting=0.0,  # contacts unsteered: contact_rate 1 reaches every active customer
    )
    return CKMModel(rng=3, collect=False, **(base | QUIET_FOR | params))


def test_broadcast_teaches_random_dimensions_at_its_rate():
    # broadcast rate = offer_communication (1 - tailoring) broadcast_efficiency = .8 * .5 * .5
    model = model_for(offer_communication=0.8, tailoring=0.5, broadcast_efficiency=0.5)
    s = model.state
    before = s.understood.copy()
    model.step()
    active = s.status == ACTIVE
    fresh = ~before[active]
    learned = s.understood[active] & fresh
    assert_frequency(int(learned.sum()), int(fresh.sum()), 0.2)
    # every dimension equally (breadth): no dimension's share is far from the rate
    per_dim = learned.sum(axis=0) / fresh.sum(axis=0)
    assert np.abs(per_dim - 0.2).max() < 0.12
    prospects = s.status == PROSPECT
    np.testing.assert_array_equal(s.understood[prospects], before[prospects])


@pytest.mark.parametrize(("profile_sign", "learns"), [(1, True), (-1, False)])
def test_tailored_message_teaches_only_what_the_profile_gets_right(profile_sign, learns):
    # every customer contacted, every recorded need explained: a right profile teaches every
    # dimension, a wrong one (the opposite of each need) teaches nothing useful
    model = model_for(contact_rate=1.0, tailored_messaging=1.0, tailoring=1.0, capture=0.0)
    s = model.state
    s.profile[:] = profile_sign * s.needs
    s.understood[:] = False
    model.step()
    active = s.status == ACTIVE
    assert s.understood[active].all() == learns
    assert s.understood[active].any() == learns
    assert model.outcomes["for_tailored_precision"] == (1.0 if learns else 0.0)


def test_tailored_message_falls_back_on_the_serving_employees_belief():
    # no profile: the firm's belief about a customer is its serving employee's view of the
    # segment; employees who know every segment need teach each customer the dimensions on
    # which the customer is like its segment, and nothing where it differs
    model = model_for(
        contact_rate=1.0,
        tailored_messaging=1.0,
        tailoring=1.0,
        capture=0.0,
        absorption=0.0,  # beliefs stay as set: nothing else moves them this period
        peer_learning_rate=0.0,
        socialisation_rate=0.0,
        employee_turnover=0.0,
    )
    s = model.state
    s.beliefs[:] = s.truth
    s.understood[:] = False
    model.step()
    active = s.status == ACTIVE
    np.testing.assert_array_equal(s.understood[active], s.variation[active] == 1)


def test_forgetting_at_its_rate_and_only_by_active_customers():
    model = model_for(offer_knowledge_decay=0.25, prospects=300)
    s = model.state
    s.understood[:] = True
    model.step()
    active = s.status == ACTIVE
    assert_frequency(int((~s.understood[active]).sum()), int(active.sum()) * 12, 0.25)
    assert s.understood[s.status == PROSPECT].all()  # prospects do not forget (issue 9, 5)


def test_a_new_customer_starts_from_its_initial_understanding():
    # issue 9, defect 5: a prospect's offer knowledge used to decay while a prospect, so its
    # first satisfaction used the decayed value. Everything is forgotten each period here, and
    # every prospect joins in period 1.
    model = model_for(offer_knowledge_decay=1.0, base_acquisition=1.0, prospects=200)
    s = model.state
    mk = model.scenario_config.market
    prospects = np.flatnonzero(s.status == PROSPECT)
    initial = s.understood[prospects].copy()
    model.step()
    assert (s.status[prospects] == ACTIVE).all()
    np.testing.assert_array_equal(s.understood[prospects], initial)
    # by hand: no profile, so the delivered offer is the segment's standard offer
    right = s.offer[s.segment[prospects]] == s.needs[prospects]
    value = mk.usability_floor * right.mean(1) + (1 - mk.usability_floor) * (right & initial).mean(
        1
    )
    momentary = 1 / (1 + np.exp(-mk.satisfaction_sensitivity * (value - mk.competitor_value)))
    np.testing.assert_allclose(s.satisfaction[prospects], momentary)
    old = np.flatnonzero(s.status == ACTIVE)
    assert not s.understood[np.setdiff1d(old, prospects)].any()  # the others forgot everything


def test_community_talk_teaches_a_neighbours_understanding():
    model = model_for(community_learning=1.0)
    s = model.state
    s.understood[:] = False
    teacher = np.flatnonzero(s.status == ACTIVE)[::2]
    s.understood[teacher] = True
    model.step()
    learned = s.understood & ~np.isin(np.arange(len(s.status)), teacher)[:, None]
    assert learned.any()
    # one topic per conversation: nobody who was ignorant learns more than one dimension
    assert learned.sum(axis=1).max() == 1


# ------------------------------------------------------------------ personalisation, paired
PAIRS = 10
GOOD = dict(turbulence=0.0, capture=1.0, capture_fidelity=1.0)
BAD = dict(turbulence=0.1, capture_fidelity=0.5)
RUN = dict(customers=800, prospects=400, employees=20, burn_in=0)  # fresh profiles: none before


def personalisation_gain(profiles: dict) -> np.ndarray:
    """Paired CLV differences, personalisation 1 minus 0, over PAIRS seeds."""
    out = []
    for seed in range(PAIRS):
        clv = [
            CKMModel(rng=seed, collect=False, personalisation=p, **RUN, **profiles)
            .run(60)
            .summary()["clv"]
            for p in (0.0, 1.0)
        ]
        out.append(clv[1] - clv[0])
    return np.array(out)


@pytest.mark.slow
def test_personalisation_pays_with_fresh_accurate_profiles_and_not_with_stale_noisy_ones():
    critical = stats.t.ppf(0.99, PAIRS - 1)
    good, bad = personalisation_gain(GOOD), personalisation_gain(BAD)

    def t(d: np.ndarray) -> float:
        return float(d.mean() / (d.std(ddof=1) / np.sqrt(len(d))))

    assert t(good) > critical, good
    # a profile entry right only half the time is no better than a coin: no significant gain
    assert t(bad) < critical, bad
    assert t(good - bad) > critical


# ------------------------------------------------------------------ appraisal
class TestObservedPerformance:
    def test_hand_worked_means_per_employee_and_segment(self):
        sat = np.array([0.2, 0.4, 0.9, 0.5, 0.7])
        active = np.array([True, True, True, False, True])
        serving = np.array([0, 0, 1, 1, 1])
        segment = np.array([0, 0, 0, 1, 1])
        got = learning.observed_performance(
            sat, active, serving, segment, 3, 2, 0.0, np.random.default_rng()
        )
        expected = np.array([[0.3, np.nan], [0.9, 0.7], [np.nan, np.nan]])
        np.testing.assert_allclose(got, expected)

    def test_above_norm(self):
        observed = np.array([[0.3, np.nan], [0.9, 0.7], [np.nan, np.nan], [0.6, 0.5]])
        # segment 0: norm .6 -> only .9 is above; segment 1: norm .6 -> .7
        np.testing.assert_array_equal(
            learning.above_norm(observed), [[False, False], [True, True], [False, False]] + [[0, 0]]
        )

    @pytest.mark.parametrize("sd", [0.1, 0.05])
    def test_the_survey_error_sets_how_often_the_better_is_seen(self, sd):
        # two employees whose customers' mean satisfaction is .6 and .4; survey error s.d.
        # sd: the better one is judged above the norm iff obs0 > obs1, with probability
        # Phi(.2 / (sqrt 2 sd))
        n = 4000
        sat = np.tile([0.6, 0.4], n)
        serving = np.tile([0, 1], n)
        segment = np.repeat(np.arange(n), 2)
        obs = learning.observed_performance(
            sat, np.ones(2 * n, bool), serving, segment, 2, n, sd, np.random.default_rng(4)
        )
        hits = int(learning.above_norm(obs)[0].sum())
        assert_frequency(hits, n, float(stats.norm.cdf(0.2 / (math.sqrt(2) * sd))))


def test_outcome_appraisal_does_not_read_the_truth():
    rng = np.random.default_rng(0)
    beliefs = rng.integers(-1, 2, size=(30, 4, 10)).astype(np.int8)
    observed = rng.random((30, 4))
    codes = []
    for truth in (np.ones((4, 10), np.int8), -np.ones((4, 10), np.int8)):
        code = np.zeros((4, 10), np.int8)
        learning.learn_code(
            code,
            beliefs,
            truth,
            0.8,
            0.3,
            np.random.default_rng(1),
            appraisal="outcomes",
            observed=observed,
        )
        codes.append(code)
    np.testing.assert_array_equal(codes[0], codes[1])
    assert codes[0].any()


def test_outcome_appraisal_is_the_default_and_votes_with_the_observed_best():
    assert Firm().appraisal == "outcomes"
    # segment 0: employees 0 and 1 observed above the norm hold +1, the others -1
    beliefs = np.array([[[1]], [[1]], [[-1]], [[-1]], [[-1]]], np.int8)
    observed = np.array([[0.9], [0.8], [0.1], [0.2], [np.nan]])
    code = np.zeros((1, 1), np.int8)
    learning.learn_code(
        code, beliefs, -np.ones((1, 1), np.int8), 1.0, 1.0, np.random.default_rng(),
        appraisal="outcomes", observed=observed,
    )  # fmt: skip
    assert code[0, 0] == 1


def test_peers_learn_from_the_colleague_observed_better():
    from ckm_sim.model import network

    ties = network.adjacency(np.array([[0, 1], [2, 3]]), 4)
    beliefs = np.array([[[-1, -1]], [[1, 1]], [[-1, -1]], [[1, 1]]], np.int8)
    # 1 observed better than 0; 3 has no observable outcome (no customers): no evidence
    standing = np.array([[0.2], [0.7], [0.5], [np.nan]])
    learning.learn_from_peers(beliefs, standing, ties, 1.0, 1.0, np.random.default_rng())
    np.testing.assert_array_equal(beliefs[0], [[1, 1]])  # learned from the better one
    np.testing.assert_array_equal(beliefs[2], [[-1, -1]])  # an unobserved colleague teaches not
    np.testing.assert_array_equal(beliefs[3], [[-1, -1]])  # but learns from an observed one


# ------------------------------------------------------------------ inter-functional cooperation
def test_no_agreement_on_the_shared_database_no_code_and_partial_capture():
    params = dict.fromkeys(DIMENSIONS, 1.0) | dict(inter_functional_cooperation=0.0)
    model = CKMModel(rng=5, collect=False, **SMALL, **params, unshared_capture=0.0).run(10)
    assert not model.state.code.any()  # no department contributes to the code
    assert not model.state.profile.any()  # no capture reaches the shared profile
    half = CKMModel(rng=5, collect=False, **SMALL, **params, unshared_capture=0.5).run(1)
    full = CKMModel(rng=5, collect=False, **SMALL, **(params | {"repository_sharing": 1.0})).run(1)
    captured = [m.outcomes["about_captures"] for m in (half, full)]
    # the same contacts and draws: half of the captures get through (5 SE of a binomial)
    n = full.outcomes["about_captures"] * full.outcomes["active_customers"]
    assert abs(captured[0] / captured[1] - 0.5) <= Z * math.sqrt(0.25 / n)


@pytest.mark.parametrize(("channel", "reaches"), [("marketing", False), ("rnd", True)])
def test_the_direct_channel_crosses_to_product_only_through_cooperation(channel, reaches):
    model = CKMModel(
        rng=6,
        collect=False,
        **SMALL,
        feedback_willingness=1.0,
        direct_channel=1.0,
        relay_to_product=0.0,
        channel_department=channel,
    ).run(3)
    assert model.outcomes["from_direct"] > 0
    assert (model.outcomes["from_to_product"] > 0) == reaches


def test_cross_department_ties_per_employee_are_about_twice_those_each_draws():
    # issue 9, defect 5: ties are undirected, so an employee has the c ties it drew plus about
    # c drawn by others (docs/ODD.md 7.0)
    model = CKMModel(rng=1, collect=False, employees=400, customers=10, prospects=0)
    c = model.scenario_config.firm.max_cross_department_ties // 2  # IFC .5 of 4
    t = model.ties
    degree = np.bincount(t.employee_edges[t.employee_edge_cross].ravel(), minlength=400)
    assert 1.9 * c <= degree.mean() <= 2 * c


# ------------------------------------------------------------------ targeting
def test_targeting_steers_contacts_to_those_at_risk_keeping_the_budget():
    # margins equal (no spread), so the priority is the risk alone
    same = dict(SMALL, margin_spread=0.0)
    model = CKMModel(rng=2, collect=False, **same, targeting=1.0, contact_rate=0.2)
    s = model.state
    active = s.status == ACTIVE
    s.reported_satisfaction[:] = np.where(np.arange(len(active)) % 2 == 0, 0.3, 0.9)
    p = contact_probability(model, active)
    assert p[active].mean() == pytest.approx(0.2)
    even = np.arange(len(p)) % 2 == 0
    # risk 0.7 vs 0.1: contact probabilities in the ratio 7:1
    np.testing.assert_allclose(p[even & active].max() / p[~even & active].max(), 7.0)
    untargeted = CKMModel(rng=2, collect=False, **same, targeting=0.0, contact_rate=0.2)
    assert contact_probability(untargeted, active) == 0.2


@pytest.mark.parametrize("scenario", [None, "duopoly"])
@pytest.mark.parametrize("targeting", [0.0, 1.0])
def test_the_contacted_are_those_below_their_contact_probability(scenario, targeting):
    # contacts() draws a single firm's over its active customers only: the same customers as
    # every slot's uniform against contact_probability (0 for the inactive)
    kw = {} if scenario else dict(SMALL, targeting=targeting)
    model = CKMModel(scenario, rng=4, collect=False, **kw) if scenario else CKMModel(rng=4, **kw)
    model.run(3)
    active = model.state.status == ACTIVE
    key = np.uint64(12345)
    p = np.broadcast_to(np.asarray(contact_probability(model, active)), active.shape)
    want = np.flatnonzero(active & (draws.uniform(key, len(active)) < p))
    assert 0 < len(want) < active.sum()
    np.testing.assert_array_equal(contacts(model, active, key), want)


# ------------------------------------------------------------------ flow outcomes
@given(st.integers(0, 2**16), st.floats(0, 1), st.floats(0, 1))
@settings(max_examples=12, deadline=None)
def test_flow_outcomes_add_up(seed, cc, ifc):
    model = CKMModel(
        rng=seed,
        collect=False,
        **SMALL,
        customer_cooperation=cc,
        inter_functional_cooperation=ifc,
    )
    for _ in range(4):
        model.step()
        o = model.outcomes
        assert o["from_relayed"] <= o["from_to_product"] + 1e-12
        assert o["from_to_product"] <= o["knowledge_from_customers"] + 1e-12
        assert o["from_direct"] <= o["knowledge_from_customers"] + 1e-12
        assert o["about_captures"] <= 3 * o["about_contacts"] + 1e-12
        for name in ("for_broadcast_reach", "for_tailored_precision", "about_wrong_captures"):
            assert math.isnan(o[name]) or 0.0 <= o[name] <= 1.0, name
        assert o["for_broadcast_reach"] <= o["for_broadcast_lessons"] + 1e-12


def test_department_accuracy_by_hand():
    model = CKMModel(rng=3, collect=False, **SMALL)
    s = model.state
    got = model.department_accuracy()
    for i, name in enumerate(model.scenario_config.firm.departments):
        members = s.employee_department == i
        assert got[name] == pytest.approx(float((s.beliefs[members] == s.truth).mean()))
    front = np.isin(s.employee_department, [1, 2])  # sales, service
    assert model.outcomes["frontline_accuracy"] == pytest.approx(
        float((s.beliefs[front] == s.truth).mean())
    )


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(0.01, 1.0),
    weights=st.lists(st.floats(0.0, 50.0), min_size=1, max_size=40),
)
def test_keep_budget_caps_at_one_and_keeps_the_mean(rate, weights):
    # the contact budget of targeting: probabilities in [0, 1] whose mean is still the rate
    w = np.asarray(weights)
    if w.sum() <= 0:
        w = np.ones_like(w)
    wanted = rate * (w / w.mean())  # rate * w first would underflow for a subnormal weight
    active = np.ones(len(w), dtype=bool)
    p = market.keep_budget(wanted.copy(), active)
    assert (p >= 0).all() and (p <= 1.0 + 1e-12).all()
    assert p.mean() == pytest.approx(min(rate, 1.0), rel=1e-9, abs=1e-12)
    # a customer the firm values more is never contacted less
    order = np.argsort(wanted, kind="stable")
    assert (np.diff(p[order]) >= -1e-12).all()


def test_targeting_keeps_the_contact_budget_when_margins_differ():
    # widely spread margins push the most valued customers' wanted probability past 1; the
    # budget they cannot take goes to the others, so the mean contact rate is kept
    model = CKMModel(
        rng=5, collect=False, **SMALL, targeting=1.0, contact_rate=0.3, margin_spread=2.0
    )
    active = model.state.status == ACTIVE
    model.state.reported_satisfaction[:] = 0.5
    p = contact_probability(model, active)
    assert p.max() == 1.0  # some customers are capped
    assert p[active].mean() == pytest.approx(0.3, rel=1e-9)
