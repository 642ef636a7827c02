"""Unit tests of each mechanism, with expected values worked out by hand or from first principles.

Covers ckm_sim.model.learning (March 1991's socialisation and code learning, peers, turnover, drift,
analytical CRM), ckm_sim.model.market (offer fit, value, satisfaction, churn, adoption, community),
ckm_sim.model.economics, ckm_sim.model.network and ckm_sim.model.levers.
Frequencies of random mechanisms are
checked against their stated probability within 5 binomial standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.model import economics, learning, market, network
from ckm_sim.model.levers import LeverRates, cross_department_ties, derive_levers, investment_cost
from ckm_sim.model.scenario import DIMENSIONS, Scenario

Z = 5.0  # tolerance in binomial standard errors for frequencies of random mechanisms


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def assert_frequency(hits: int, n: int, p: float) -> None:
    """``hits`` out of ``n`` trials is consistent with probability ``p`` (within Z SE)."""
    se = math.sqrt(p * (1 - p) / n)
    assert abs(hits / n - p) <= Z * se + 1e-12, (hits / n, p, se)


def i8(values) -> np.ndarray:
    return np.array(values, dtype=np.int8)


# ---------------------------------------------------------------------------------- learning
class TestAccuracy:
    def test_share_of_matching_dimensions(self):
        truth = i8([1, -1, 1, -1])
        assert learning.accuracy(i8([1, -1, 0, 1]), truth) == pytest.approx(0.5)
        beliefs = i8([[[1, -1, 1, -1]], [[0, 0, 0, 0]]])  # (E=2, K=1, m=4)
        np.testing.assert_allclose(learning.accuracy(beliefs, truth[None, :]), [[1.0], [0.0]])

    def test_random_beliefs_uniform_on_three_values(self):
        b = learning.random_beliefs((100, 10, 30), rng())
        assert b.dtype == np.int8
        assert set(np.unique(b)) == {-1, 0, 1}
        for v in (-1, 0, 1):
            assert_frequency(int((b == v).sum()), b.size, 1 / 3)


class TestSocialise:
    def test_rate_one_adopts_every_view_of_the_code(self):
        code = i8([[1, 0, -1, 1]])
        beliefs = i8([[[-1, 1, 0, 1]], [[0, -1, -1, -1]]])
        learning.socialise(beliefs, code, 1.0, rng())
        # where the code has no view (dimension 1) beliefs stay as they were
        np.testing.assert_array_equal(beliefs, i8([[[1, 1, -1, 1]], [[1, -1, -1, 1]]]))

    def test_rate_zero_changes_nothing(self):
        code = i8([[1, 1, -1]])
        beliefs = i8([[[-1, 0, 1]]])
        before = beliefs.copy()
        learning.socialise(beliefs, code, 0.0, rng())
        np.testing.assert_array_equal(beliefs, before)

    def test_adoption_frequency_equals_rate(self):
        code = np.ones((1, 50), dtype=np.int8)
        beliefs = np.full((2000, 1, 50), -1, dtype=np.int8)
        learning.socialise(beliefs, code, 0.3, rng(1))
        assert set(np.unique(beliefs)) <= {-1, 1}
        assert_frequency(int((beliefs == 1).sum()), beliefs.size, 0.3)


class TestLearnCode:
    # truth all +1, code empty. Employee 0 knows 3 of 4 (acc .75), employee 1 two (acc .5),
    # employee 2 none (acc 0, not better than the code's 0). Superior group {0, 1}; k = members
    # differing from the code minus members agreeing with it (March 1991, footnote 1):
    # dim 0 and 1: both hold +1, none holds the code's 0 -> majority +1, k = 2;
    # dim 2: majority +1 (employee 0), employee 1 agrees with the code's 0 -> k = 0, no change;
    # dim 3: majority -1 (employee 1), employee 0 agrees with the code's 0 -> k = 0, no change.
    TRUTH = i8([[1, 1, 1, 1]])
    BELIEFS = i8([[[1, 1, 1, 0]], [[1, 1, 0, -1]], [[-1, -1, -1, -1]]])

    def test_hand_worked_example(self):
        code = np.zeros((1, 4), dtype=np.int8)
        learning.learn_code(code, self.BELIEFS.copy(), self.TRUTH, 1.0, 1.0, rng())
        np.testing.assert_array_equal(code, i8([[1, 1, 0, 0]]))

    def test_rate_zero_changes_nothing(self):
        code = np.zeros((1, 4), dtype=np.int8)
        learning.learn_code(code, self.BELIEFS.copy(), self.TRUTH, 0.0, 1.0, rng())
        assert not code.any()

    def test_beliefs_are_not_changed(self):
        beliefs = self.BELIEFS.copy()
        learning.learn_code(np.zeros((1, 4), np.int8), beliefs, self.TRUTH, 0.7, 0.5, rng())
        np.testing.assert_array_equal(beliefs, self.BELIEFS)

    def test_adoption_probability_is_one_minus_one_minus_rate_to_the_k(self):
        # 20,000 identical segments: dims 0 and 1 change with prob 1 - (1 - p)^2 each
        n, p = 20_000, 0.3
        truth = np.repeat(self.TRUTH, n, axis=0)
        beliefs = np.repeat(self.BELIEFS, n, axis=1)
        code = np.zeros((n, 4), dtype=np.int8)
        learning.learn_code(code, beliefs, truth, p, 1.0, rng(2))
        expected = 1 - (1 - p) ** 2
        for d in (0, 1):
            assert set(np.unique(code[:, d])) <= {0, 1}
            assert_frequency(int((code[:, d] == 1).sum()), n, expected)
        assert not code[:, 2:].any()

    def test_no_discernment_judges_membership_by_coin_toss(self):
        # each employee is in the group with prob 1/2. On dim 0 (no one holds the code's 0):
        # P+ ~ Bin(2, 1/2) from employees 0, 1; P- ~ Bern(1/2) from employee 2. With rate 1 the
        # code becomes +1 iff P+ > P- (prob 1/2*3/4 + 1/2*1/4 = 1/2) and -1 iff P- > P+
        # (prob 1/2 * 1/4 = 1/8).
        n = 20_000
        truth = np.repeat(self.TRUTH, n, axis=0)
        beliefs = np.repeat(self.BELIEFS, n, axis=1)
        code = np.zeros((n, 4), dtype=np.int8)
        learning.learn_code(code, beliefs, truth, 1.0, 0.0, rng(3))
        assert_frequency(int((code[:, 0] == 1).sum()), n, 0.5)
        assert_frequency(int((code[:, 0] == -1).sum()), n, 0.125)

    def test_code_already_right_keeps_it(self):
        code = self.TRUTH.copy()  # accuracy 1: no employee is superior
        learning.learn_code(code, self.BELIEFS.copy(), self.TRUTH, 1.0, 1.0, rng())
        np.testing.assert_array_equal(code, self.TRUTH)


class TestLearnFromPeers:
    @staticmethod
    def ties(edges, n, cross=None):
        edges = np.array(edges, dtype=np.int64).reshape(-1, 2)
        weights = 1.0 + np.asarray(cross if cross is not None else [0] * len(edges), float)
        return network.adjacency(edges, n, weights)

    def test_learner_adopts_better_peers_views_where_it_has_one(self):
        truth = i8([[1, 1, 1, 1]])
        beliefs = i8([[[0, -1, 1, 0]], [[1, 1, 0, 1]]])  # acc .25 and .75
        learning.learn_from_peers(
            beliefs, learning.accuracy(beliefs, truth), self.ties([[0, 1]], 2), 1.0, 0.0, rng()
        )
        # employee 0 takes every view of employee 1 except dim 2 (1 has no view there);
        # employee 1 consults a worse colleague and keeps its beliefs
        np.testing.assert_array_equal(beliefs, i8([[[1, 1, 1, 1]], [[1, 1, 0, 1]]]))

    def test_learning_is_per_segment(self):
        truth = i8([[1, 1], [1, 1]])
        # employee 1 better on segment 0, worse on segment 1
        beliefs = i8([[[-1, -1], [1, 1]], [[1, 1], [-1, -1]]])
        learning.learn_from_peers(
            beliefs, learning.accuracy(beliefs, truth), self.ties([[0, 1]], 2), 1.0, 1.0, rng()
        )
        np.testing.assert_array_equal(beliefs, np.ones((2, 2, 2), dtype=np.int8))

    @pytest.mark.parametrize(("use", "learns"), [(0.0, False), (1.0, True)])
    def test_cross_department_tie_carries_knowledge_only_when_used(self, use, learns):
        truth = i8([[1, 1, 1]])
        beliefs = i8([[[-1, -1, -1]], [[1, 1, 1]]])
        ties = self.ties([[0, 1]], 2, cross=[1])
        learning.learn_from_peers(beliefs, learning.accuracy(beliefs, truth), ties, 1.0, use, rng())
        assert (beliefs[0] == 1).all() == learns
        assert (beliefs[1] == 1).all()

    def test_untied_employee_and_zero_rate_learn_nothing(self):
        truth = i8([[1, 1, 1]])
        beliefs = i8([[[-1, -1, -1]], [[1, 1, 1]], [[0, 0, 0]]])
        before = beliefs.copy()
        ties = self.ties([[0, 1]], 3)
        learning.learn_from_peers(beliefs, learning.accuracy(beliefs, truth), ties, 0.0, 1.0, rng())
        np.testing.assert_array_equal(beliefs, before)
        learning.learn_from_peers(beliefs, learning.accuracy(beliefs, truth), ties, 1.0, 1.0, rng())
        np.testing.assert_array_equal(beliefs[2], before[2])

    def test_adoption_frequency_equals_rate_and_peer_is_a_random_neighbour(self):
        # learner 0 tied to a perfect peer 1 and to an ignorant peer 2 (all zeros: nothing to
        # teach); it consults one of them with prob 1/2 and then adopts each view with prob p
        n_seg, m, p = 400, 50, 0.4
        truth = np.ones((n_seg, m), dtype=np.int8)
        beliefs = np.full((3, n_seg, m), -1, dtype=np.int8)
        beliefs[1] = 1
        beliefs[2] = 0
        hits = 0
        trials = 200
        for seed in range(trials):
            b = beliefs.copy()
            learning.learn_from_peers(
                b, learning.accuracy(b, truth), self.ties([[0, 1], [0, 2]], 3), p, 1.0, rng(seed)
            )
            hits += int((b[0] == 1).any())
        assert_frequency(hits, trials, 0.5)
        b = beliefs.copy()
        learning.learn_from_peers(
            b, learning.accuracy(b, truth), self.ties([[0, 1]], 3), p, 1.0, rng(9)
        )
        assert_frequency(int((b[0] == 1).sum()), n_seg * m, p)


class TestTurnover:
    def test_rate_zero_keeps_everyone(self):
        beliefs = np.ones((10, 2, 5), dtype=np.int8)
        assert len(learning.turnover(beliefs, 0.0, rng())) == 0
        assert (beliefs == 1).all()

    def test_leavers_get_random_beliefs_stayers_keep_theirs(self):
        beliefs = np.full((4000, 1, 30), 1, dtype=np.int8)
        leavers = learning.turnover(beliefs, 0.1, rng(4))
        assert_frequency(len(leavers), 4000, 0.1)
        stay = np.setdiff1d(np.arange(4000), leavers)
        assert (beliefs[stay] == 1).all()
        new = beliefs[leavers]
        for v in (-1, 0, 1):
            assert_frequency(int((new == v).sum()), new.size, 1 / 3)

    def test_rate_one_replaces_everyone(self):
        beliefs = np.full((50, 1, 30), 1, dtype=np.int8)
        np.testing.assert_array_equal(learning.turnover(beliefs, 1.0, rng()), np.arange(50))


class TestDrift:
    def test_flips_follow_the_mask_and_rate(self):
        truth = rng(5).choice(i8([-1, 1]), size=(200, 100))
        before = truth.copy()
        flips = learning.drift(truth, 0.05, rng(6))
        np.testing.assert_array_equal(flips, truth != before)
        np.testing.assert_array_equal(truth[flips], -before[flips])
        assert_frequency(int(flips.sum()), truth.size, 0.05)

    @pytest.mark.parametrize(("rate", "flipped"), [(0.0, False), (1.0, True)])
    def test_extremes(self, rate, flipped):
        truth = i8([[1, -1, 1]])
        flips = learning.drift(truth, rate, rng())
        assert flips.all() == flipped and flips.any() == flipped
        np.testing.assert_array_equal(truth, i8([[-1, 1, -1]]) if flipped else i8([[1, -1, 1]]))


class TestLearnCodeFromProfiles:
    def test_clear_majorities_only(self):
        # leans: 3/5 = .6 -> +1; 1/5 = .2 (exactly 60 % agree: not more) -> keep;
        # -4/4 -> -1; no entries -> keep; -2/3 -> -1
        code = i8([[0, -1, 1, 1, 0]])
        sums = np.array([[3, 1, -4, 0, -2]])
        counts = np.array([[5, 5, 4, 0, 3]])
        learning.learn_code_from_profiles(code, sums, counts, 1.0, rng())
        np.testing.assert_array_equal(code, i8([[1, -1, -1, 1, -1]]))

    def test_reach_zero_and_reach_frequency(self):
        code = np.zeros((1, 3), dtype=np.int8)
        learning.learn_code_from_profiles(
            code, np.array([[5, 5, 5]]), np.array([[5, 5, 5]]), 0.0, rng()
        )
        assert not code.any()
        n = 20_000
        code = np.zeros((n, 1), dtype=np.int8)
        sums, counts = np.full((n, 1), 4), np.full((n, 1), 4)
        learning.learn_code_from_profiles(code, sums, counts, 0.25, rng(7))
        assert_frequency(int(code.sum()), n, 0.25)


# ---------------------------------------------------------------------------------- market
class TestRowCount:
    @given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2**32 - 1))
    @settings(max_examples=30, deadline=None)
    def test_counts_true_entries_per_row(self, n, m, seed):
        mask = rng(seed).random((n, m)) < 0.5
        np.testing.assert_array_equal(market.row_count(mask), mask.sum(axis=1))


class TestOfferFit:
    # m = 4. The standard offer meets needs 0 and 1. The profile knows dim 0 (right) and dim 2
    # (right; the standard offer misses it). Tailored deliveries on known dims are right on
    # both; standard deliveries elsewhere are right on dim 1 only.
    STANDARD = np.array([[True, True, False, False]])
    PROFILE = i8([[1, 0, -1, 0]])
    PROFILE_RIGHT = np.array([[True, False, True, False]])

    @pytest.mark.parametrize(("p", "fit"), [(0.0, 2 / 4), (0.5, 2.5 / 4), (1.0, 3 / 4)])
    def test_hand_worked(self, p, fit):
        got = market.offer_fit(self.STANDARD, self.PROFILE, self.PROFILE_RIGHT, p)
        np.testing.assert_allclose(got, [fit])

    def test_wrong_profile_entry_hurts_personalised_delivery(self):
        # the profile records need 0 wrongly: tailoring there misses what the standard offer met
        got = market.offer_fit(self.STANDARD, i8([[-1, 0, 0, 0]]), np.zeros((1, 4), bool), 1.0)
        np.testing.assert_allclose(got, [1 / 4])

    @given(st.integers(1, 30), st.integers(1, 12), st.floats(0, 1), st.integers(0, 2**32 - 1))
    @settings(max_examples=40, deadline=None)
    def test_equals_expected_share_of_needs_met(self, n, m, p, seed):
        g = rng(seed)
        needs = g.choice(i8([-1, 1]), size=(n, m))
        offer = g.choice(i8([-1, 1]), size=(n, m))
        profile = g.integers(-1, 2, size=(n, m)).astype(np.int8)
        # from first principles: on a known dimension deliver the profile's view with prob p
        # and the standard offer otherwise; on an unknown one always the standard offer
        known = profile != 0
        expected = np.where(
            known, p * (profile == needs) + (1 - p) * (offer == needs), offer == needs
        ).mean(axis=1)
        got = market.offer_fit(offer == needs, profile, profile == needs, p)
        np.testing.assert_allclose(got, expected, atol=1e-6)


class TestPerceivedValue:
    def test_hand_worked(self):
        # fit .8 with .4, 0 and .8 of the needs both met and understood; floor .5
        v = market.perceived_value(np.array([0.8, 0.8, 0.8]), np.array([0.4, 0.0, 0.8]), 0.5)
        np.testing.assert_allclose(v, [0.6, 0.4, 0.8])

    def test_understanding_raises_value(self):
        used = np.linspace(0, 0.6, 11)
        v = market.perceived_value(np.full(11, 0.6), used, 0.3)
        assert (np.diff(v) > 0).all() and v[0] == pytest.approx(0.18) and v[-1] == 0.6


class TestUnderstoodFit:
    # m = 4: the standard offer meets needs 0 and 1; the profile knows dim 0 (right) and dim 2
    # (right, the standard offer misses it). The customer understands dims 1 and 2 only.
    STANDARD = np.array([[True, True, False, False]])
    KNOWN = np.array([[True, False, True, False]])
    RIGHT = np.array([[True, False, True, False]])
    UNDERSTOOD = np.array([[False, True, True, False]])

    @pytest.mark.parametrize(("p", "used"), [(0.0, 1 / 4), (0.5, 1.5 / 4), (1.0, 2 / 4)])
    def test_hand_worked(self, p, used):
        # dim 1: standard delivery fits and is understood (1); dim 2: fits only when tailored
        # (p) and is understood; dim 0 fits but is not understood: it counts only in offer_fit
        got = market.understood_fit(self.STANDARD, self.KNOWN, self.RIGHT, self.UNDERSTOOD, p)
        np.testing.assert_allclose(got, [used])

    def test_value_counts_only_understood_fitting_dimensions(self):
        # understanding only the dimensions the offer misses is worth nothing above the floor
        misses = ~self.STANDARD
        used = market.understood_fit(self.STANDARD, np.zeros((1, 4), bool), self.RIGHT, misses, 0)
        fit = market.offer_fit(self.STANDARD, np.zeros((1, 4), np.int8), self.RIGHT, 0.0)
        assert used[0] == 0.0
        np.testing.assert_allclose(market.perceived_value(fit, used, 0.5), [0.5 * 2 / 4])

    @given(st.integers(1, 30), st.integers(1, 12), st.floats(0, 1), st.integers(0, 2**32 - 1))
    @settings(max_examples=40, deadline=None)
    def test_equals_expected_share_met_and_understood(self, n, m, p, seed):
        g = rng(seed)
        needs = g.choice(i8([-1, 1]), size=(n, m))
        offer = g.choice(i8([-1, 1]), size=(n, m))
        profile = g.integers(-1, 2, size=(n, m)).astype(np.int8)
        understood = g.random((n, m)) < 0.5
        known = profile != 0
        delivered = np.where(
            known, p * (profile == needs) + (1 - p) * (offer == needs), offer == needs
        )
        expected = (delivered * understood).mean(axis=1)
        got = market.understood_fit(offer == needs, known, profile == needs, understood, p)
        np.testing.assert_allclose(got, expected, atol=1e-6)


class TestSatisfaction:
    def test_value_equal_to_expectation_gives_one_half(self):
        s = market.satisfaction_update(np.array([0.9]), np.array([0.45]), 0.45, 10.0, 0.0)
        np.testing.assert_allclose(s, [0.5])

    def test_hand_worked_smoothing(self):
        # logistic(b (v - e)) = 0.75 when b (v - e) = ln 3; S = 0.5 * 0.2 + 0.5 * 0.75
        b, e = 10.0, 0.4
        v = e + math.log(3) / b
        s = market.satisfaction_update(np.array([0.2]), np.array([v]), e, b, 0.5)
        np.testing.assert_allclose(s, [0.475])

    def test_memory_one_keeps_and_zero_sensitivity_is_indifferent(self):
        s0 = np.array([0.1, 0.7])
        np.testing.assert_allclose(
            market.satisfaction_update(s0, np.array([0.0, 1.0]), 0.5, 10, 1.0), s0
        )
        np.testing.assert_allclose(
            market.satisfaction_update(s0, np.array([0.0, 1.0]), 0.5, 0.0, 0.0), [0.5, 0.5]
        )

    def test_increasing_in_value(self):
        v = np.linspace(0, 1, 21)
        s = market.satisfaction_update(np.zeros(21), v, 0.45, 10.0, 0.3)
        assert (np.diff(s) > 0).all() and s.min() >= 0 and s.max() <= 1


class TestChurnHazard:
    def test_floor_plus_pull_times_dissatisfaction(self):
        h = market.churn_hazard(np.array([1.0, 0.5, 0.0]), 0.002, 0.04, None)
        np.testing.assert_allclose(h, [0.002, 0.022, 0.042])

    def test_fixed_rate_ignores_satisfaction(self):
        h = market.churn_hazard(np.array([1.0, 0.5, 0.0]), 0.002, 0.04, 0.07)
        np.testing.assert_allclose(h, [0.07, 0.07, 0.07])

    def test_clipped_to_a_probability(self):
        h = market.churn_hazard(np.array([0.0, 1.0]), 0.9, 0.5, None)
        np.testing.assert_allclose(h, [1.0, 0.9])


class TestAdoption:
    # community: 0-1, 0-2, 0-3, 3-4; promoters 1, 2; detractor 3.
    # prospect 0 hears P = 2, D = 1: net 1 -> 1 - (1 - b)(1 - w);
    # prospect 4 hears D = 1 only: net max(-1, 0) = 0 -> b.
    EDGES = np.array([[0, 1], [0, 2], [0, 3], [3, 4]])
    PROMOTERS = np.array([False, True, True, False, False])
    DETRACTORS = np.array([False, False, False, True, False])

    def test_hand_worked(self):
        community = network.adjacency(self.EDGES, 5)
        p = market.adoption_probability(
            community,
            self.PROMOTERS,
            self.DETRACTORS,
            base=0.1,
            word_of_mouth=0.2,
            prospects=np.array([0, 4]),
        )
        np.testing.assert_allclose(p, [1 - 0.9 * 0.8, 0.1])

    def test_two_net_promoters_compound(self):
        community = network.adjacency(self.EDGES, 5)
        p = market.adoption_probability(
            community,
            self.PROMOTERS,
            np.zeros(5, bool),
            base=0.1,
            word_of_mouth=0.2,
            prospects=np.array([0]),
        )
        np.testing.assert_allclose(p, [1 - 0.9 * 0.8**2])

    def test_without_word_of_mouth_or_community_only_base(self):
        for community, w in (
            (network.adjacency(self.EDGES, 5), 0.0),
            (network.adjacency(np.empty((0, 2), np.int64), 5), 0.3),
        ):
            p = market.adoption_probability(
                community,
                self.PROMOTERS,
                self.DETRACTORS,
                base=0.05,
                word_of_mouth=w,
                prospects=np.array([0, 3, 4]),
            )
            np.testing.assert_allclose(p, [0.05, 0.05, 0.05])


class TestCommunityMean:
    def test_mean_over_neighbours_in_the_group(self):
        community = network.adjacency(np.array([[0, 1], [0, 2], [1, 2]]), 4)
        values = np.array([0.1, 0.5, 0.9, 0.3])
        who = np.array([True, True, False, True])
        got = market.community_mean(community, values, who)
        np.testing.assert_allclose(got[:3], [0.5, 0.1, 0.3])
        assert math.isnan(got[3])  # isolated


# ---------------------------------------------------------------------------------- economics
class TestEconomics:
    def test_closed_form_hand_value(self):
        assert economics.closed_form_clv(10.0, 0.9, 0.01) == pytest.approx(9.0 / 0.11)
        assert economics.closed_form_clv(10.0, 0.0, 0.01) == 0.0

    @given(st.floats(0.0, 0.99), st.floats(0.001, 0.5), st.floats(0.1, 100))
    @settings(max_examples=50, deadline=None)
    def test_closed_form_is_the_discounted_survival_series(self, r, i, m):
        # sum_{t>=1} m r^t / (1+i)^t, truncated where the tail is below 1e-12 of the total
        t = np.arange(1, 20_000)
        series = float(np.sum(m * (r / (1 + i)) ** t))
        assert economics.closed_form_clv(m, r, i) == pytest.approx(series, rel=1e-9, abs=1e-12)
        assert economics.residual_value(m, r, i) == pytest.approx(series, rel=1e-9, abs=1e-12)

    def test_discount_factor(self):
        assert economics.discount_factor(0, 0.05) == 1.0
        assert economics.discount_factor(12, 0.01) == pytest.approx(1.01**-12)

    def test_lifetime_value_of_a_late_acquired_customer(self):
        # acquired at 2, earned m at the end of periods 3 and 4, active at 4 with r = .9;
        # CLV in money of period 2 = m/1.01 + m/1.01^2 + (m r / (1.01 - r)) / 1.01^2
        m, i, r = 10.0, 0.01, 0.9
        realised = np.array([m * 1.01**-3 + m * 1.01**-4, m * 1.01**-1])
        acq = np.array([1.01**-2, 1.0])
        clv = economics.customer_lifetime_values(
            realised, acq, np.array([True, False]), np.array([r, 0.5]), 4, m, i, residual=True
        )
        expected_active = m / 1.01 + m / 1.01**2 + m * r / (1.01 - r) / 1.01**2
        np.testing.assert_allclose(clv, [expected_active, m / 1.01])


# ---------------------------------------------------------------------------------- network
def edge_set(edges: np.ndarray) -> set[tuple[int, int]]:
    return {(int(min(a, b)), int(max(a, b))) for a, b in edges}


def degrees(edges: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(edges.ravel(), minlength=n)


class TestNetwork:
    def test_ring_lattice_hand_worked(self):
        edges = network.ring_lattice(np.arange(6), 4)
        expected = {(i, (i + 1) % 6) for i in range(6)} | {(i, (i + 2) % 6) for i in range(6)}
        assert edge_set(edges) == edge_set(np.array(list(expected)))
        assert len(edges) == 12
        assert (degrees(edges, 6) == 4).all()

    def test_ring_lattice_uses_member_labels_and_handles_tiny_groups(self):
        edges = network.ring_lattice(np.array([10, 20, 30]), 2)
        assert edge_set(edges) == {(10, 20), (20, 30), (10, 30)}
        assert len(network.ring_lattice(np.array([5]), 4)) == 0
        assert len(network.ring_lattice(np.arange(8), 0)) == 0

    @given(st.integers(10, 300), st.sampled_from([2, 4, 6, 8]), st.integers(0, 2**32 - 1))
    @settings(max_examples=25, deadline=None)
    def test_small_world_without_rewiring_is_a_regular_ring(self, n, k, seed):
        edges = network.small_world(n, k, 0.0, rng(seed))
        assert len(edges) == n * k // 2
        assert (degrees(edges, n) == k).all()
        assert len(edge_set(edges)) == len(edges)

    @given(st.integers(10, 300), st.sampled_from([2, 4, 6]), st.floats(0, 1), st.integers(0, 99))
    @settings(max_examples=25, deadline=None)
    def test_small_world_is_simple_and_seeded(self, n, k, p, seed):
        edges = network.small_world(n, k, p, rng(seed))
        assert (edges[:, 0] < edges[:, 1]).all()  # no self-loops, sorted rows
        assert len(edge_set(edges)) == len(edges) <= n * k // 2
        assert edges.min() >= 0 and edges.max() < n
        np.testing.assert_array_equal(edges, network.small_world(n, k, p, rng(seed)))

    @pytest.mark.parametrize(("n", "k"), [(50, 2), (200, 6), (300, 4)])
    def test_scale_free_edge_count_and_hubs(self, n, k):
        # Barabasi-Albert with m = k / 2: a star of m + 1 nodes (m edges), then each of the
        # remaining n - m - 1 nodes brings m edges: (n - m) m edges in all, all connected
        m = k // 2
        edges = network.scale_free(n, k, rng(1))
        assert len(edges) == (n - m) * m
        assert len(edge_set(edges)) == len(edges)
        assert degrees(edges, n).min() >= m
        assert degrees(edges, n).max() > 3 * k  # preferential attachment grows hubs

    @given(
        st.integers(5, 60),
        st.integers(2, 5),
        st.integers(0, 4),
        st.integers(0, 4),
        st.sampled_from(["small_world", "scale_free", "none"]),
        st.integers(0, 99),
    )
    @settings(max_examples=30, deadline=None)
    def test_draw_ties(self, n_emp, n_dep, intra, cross, community, seed):
        n_emp = max(n_emp, n_dep)
        frontline = np.array([0, n_dep - 1])
        ties = network.draw_ties(
            n_employees=n_emp,
            n_departments=n_dep,
            frontline=frontline,
            n_customers=80,
            intra_ties=intra,
            cross_ties=cross,
            community=community,
            community_degree=4,
            rewiring=0.1,
            rng=rng(seed),
        )
        dep = ties.employee_department
        # departments: contiguous blocks of (almost) equal size
        assert (np.diff(dep) >= 0).all() and set(dep) == set(range(n_dep))
        sizes = np.bincount(dep)
        assert sizes.max() - sizes.min() <= 1
        e = ties.employee_edges
        assert (e[:, 0] < e[:, 1]).all() and len(edge_set(e)) == len(e)
        np.testing.assert_array_equal(ties.employee_edge_cross, dep[e[:, 0]] != dep[e[:, 1]])
        if cross == 0:
            assert not ties.employee_edge_cross.any()
        else:
            # every employee asked for `cross` partners in other departments (some may coincide)
            assert ties.employee_edge_cross.sum() >= min(cross, n_emp - sizes.max())
        # inside a department of s members: a ring with 2 min(intra // 2, (s - 1) // 2) ties
        # each (s > 2); a pair is tied iff intra >= 2; a lone member has none
        intra_deg = degrees(e[~ties.employee_edge_cross], n_emp)
        for d, size in enumerate(sizes):
            if size > 2:
                expected = 2 * min(intra // 2, (size - 1) // 2)
            else:
                expected = int(size == 2 and intra >= 2)
            assert (intra_deg[dep == d] == expected).all(), (d, size, intra)
        assert np.isin(dep[ties.serving_employee], frontline).all()
        assert ties.n_customers == 80 and ties.n_employees == n_emp
        if community == "none":
            assert len(ties.community_edges) == 0
        else:
            c = ties.community_edges
            assert (c[:, 0] < c[:, 1]).all() and c.max() < 80

    def test_adjacency_is_symmetric(self):
        a = network.adjacency(np.array([[0, 1], [1, 2]]), 4, np.array([1.0, 2.0]))
        dense = a.toarray()
        np.testing.assert_array_equal(dense, dense.T)
        assert dense[1, 2] == 2.0 and dense[0, 1] == 1.0 and dense[3].sum() == 0


# ---------------------------------------------------------------------------------- levers
unit = st.floats(0.0, 1.0)
competences = st.tuples(unit, unit, unit, unit, unit)


def scenario_with(levels, **pins) -> Scenario:
    sc = Scenario().with_overrides(**dict(zip(DIMENSIONS, levels, strict=True)))
    return sc.with_overrides(**pins) if pins else sc


class TestLevers:
    @given(competences, st.sampled_from(DIMENSIONS), st.floats(0.0, 1.0))
    @settings(max_examples=60, deadline=None)
    def test_monotone_in_each_dimension(self, levels, dim, step):
        low = scenario_with(levels)
        i = DIMENSIONS.index(dim)
        higher = list(levels)
        higher[i] = levels[i] + (1 - levels[i]) * step
        high = scenario_with(higher)
        lo, hi = derive_levers(low).as_dict(), derive_levers(high).as_dict()
        for name in lo:
            assert hi[name] >= lo[name] - 1e-12, (dim, name)
            assert 0.0 <= lo[name] <= 1.0
        assert investment_cost(high) >= investment_cost(low)
        assert cross_department_ties(high) >= cross_department_ties(low)

    @pytest.mark.parametrize("dim", DIMENSIONS)
    def test_every_dimension_moves_some_lever(self, dim):
        lo = derive_levers(scenario_with([0.5] * 5, **{dim: 0.2})).as_dict()
        hi = derive_levers(scenario_with([0.5] * 5, **{dim: 0.8})).as_dict()
        assert any(hi[k] > lo[k] for k in lo), dim

    def test_all_zero_competence_shuts_every_flow(self):
        lv = derive_levers(scenario_with([0.0] * 5))
        for name in (
            "socialisation_rate",
            "code_learning_rate",
            "peer_learning_rate",
            "cross_tie_use",
            "capture",
            "personalisation",
            "analytic_reach",
            "offer_adaptation",
            "feedback_willingness",
            "direct_channel",
            "relay_to_product",
            "community_learning",
            "offer_communication",
            "tailored_messaging",
            "repository_sharing",
            "targeting",
        ):
            assert getattr(lv, name) == 0.0, name

    @given(competences, st.sampled_from(list(LeverRates.__dataclass_fields__)), unit)
    @settings(max_examples=40, deadline=None)
    def test_pins_override_only_their_lever(self, levels, lever, value):
        free = derive_levers(scenario_with(levels)).as_dict()
        pinned = derive_levers(scenario_with(levels, **{lever: value})).as_dict()
        assert pinned[lever] == value
        assert {k: v for k, v in pinned.items() if k != lever} == {
            k: v for k, v in free.items() if k != lever
        }

    def test_investment_cost_hand_worked(self):
        assert investment_cost(scenario_with([0.5] * 5)) == pytest.approx(5 * 2000 * 0.25)
        assert investment_cost(scenario_with([0.0] * 5)) == 0.0
        sc = scenario_with([1.0, 0, 0, 0, 0.5], cost_it_systems=9999.0, cost_exponent=3.0)
        assert investment_cost(sc) == pytest.approx(2000 + 2000 * 0.125)

    @given(st.sampled_from(DIMENSIONS), unit, unit, st.floats(1.0, 5.0))
    @settings(max_examples=60, deadline=None)
    def test_investment_cost_convex_in_each_dimension(self, dim, a, b, exponent):
        def cost(x: float) -> float:
            return investment_cost(scenario_with([0.3] * 5, **{dim: x, "cost_exponent": exponent}))

        mid = cost((a + b) / 2)
        assert mid <= (cost(a) + cost(b)) / 2 + 1e-9
