"""Several firms in one market (issue 11): schema, conservation and the validity checks.

The statistical checks are paired or two-sample comparisons over seeds, with tolerances from the
standard error (docs/validation.md, "Competition"); the figures they report are measured there.
"""

from __future__ import annotations

import numpy as np
import pytest
from competition_helpers import NO_LEARNING, SMALL, market
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckm_sim import CKMModel
from ckm_sim.model import choice, decisions, kernels
from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT, VACANT
from ckm_sim.model.outcomes import (
    FIRM_SERIES,
    FIRM_SUMMARY,
    SUMMARY,
    firm_outcome,
    split_firm_outcome,
)
from ckm_sim.model.scenario import Scenario, ScenarioError, load_scenario, validate_scenario
from ckm_sim.model.stages import competition

SEEDS = range(8)


def _summaries(scenario: Scenario, seeds=SEEDS) -> list[dict]:
    return [CKMModel(scenario, rng=seed, collect=False).run().summary() for seed in seeds]


def _column(rows: list[dict], key: str) -> np.ndarray:
    return np.array([row[key] for row in rows], dtype=np.float64)


def _se(values: np.ndarray) -> float:
    return float(values.std(ddof=1) / np.sqrt(len(values)))


# ---------------------------------------------------------------------- schema
def test_firms_are_read_with_their_own_fields() -> None:
    sc = validate_scenario(
        {
            "firms": [
                {"name": "leader", "it_systems": 0.9, "competence": {"learning_culture": 0.8}},
                {"name": "rival", "initial_share": 0.3, "employees": 12},
            ]
        }
    )
    assert sc.firm_names() == ("leader", "rival")
    assert sc.for_firm("leader").competence.it_systems == 0.9
    assert sc.for_firm("leader").competence.learning_culture == 0.8
    assert sc.for_firm("rival").competence.it_systems == 0.5  # the top-level default
    assert sc.for_firm("rival").firm.employees == 12
    moved = sc.with_overrides(**{"firms.rival.it_systems": 0.8})
    assert moved.for_firm("rival").competence.it_systems == 0.8
    assert moved.for_firm("leader").competence.it_systems == 0.9
    assert Scenario().firm_names() == ("firm",)
    single = Scenario().with_overrides(**{"firms.firm.it_systems": 0.7})
    assert single.competence.it_systems == 0.7


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"firms.nobody.it_systems": 0.5}, "unknown firm 'nobody'"),
        ({"firms.rival.colour": 1}, "unknown firm field 'colour'"),
        ({"firms.rival.it_systems": 2.0}, "out of range"),
        ({"firms.rival": 1}, "firms.<firm>.<field>"),
    ],
)
def test_bad_firm_overrides_are_one_line_errors(overrides, words) -> None:
    sc = market({"name": "leader"}, {"name": "rival"})
    with pytest.raises(ScenarioError, match=words) as info:
        sc.with_overrides(**overrides)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("firms", "words"),
    [
        ([{"name": "a"}, {"name": "a"}], "used twice"),
        ([{"name": "a.b"}], "plain name"),
        ([{"name": "a", "colour": 1}], "unknown field 'colour'"),
        ([{"name": "a", "initial_share": 0.7}, {"name": "b", "initial_share": 0.7}], "add up"),
        ([{"name": "a", "prior_knowledge": 1.5}], r"in \[0, 1\]"),
        ([{"it_systems": 0.5}], "plain name"),
    ],
)
def test_bad_firm_tables_are_one_line_errors(firms, words) -> None:
    with pytest.raises(ScenarioError, match=words) as info:
        validate_scenario({"firms": firms})
    assert "\n" not in str(info.value)


def test_outcome_keys_round_trip() -> None:
    assert firm_outcome("leader", "clv") == "leader.clv"
    assert split_firm_outcome("leader.clv") == ("leader", "clv")
    assert split_firm_outcome("clv") == (None, "clv")


# ---------------------------------------------------------------------- outcomes
def test_outcomes_per_firm_in_series_and_summary() -> None:
    model = CKMModel(market({"name": "a"}, {"name": "b"}, periods=5), rng=1).run()
    row = model.summary()
    for firm in ("a", "b"):
        assert {firm_outcome(firm, k) for k in FIRM_SUMMARY} <= set(row)
        assert {firm_outcome(firm, k) for k in FIRM_SERIES} <= set(model.outcomes)
    assert set(SUMMARY) <= set(row)  # the market's columns, unprefixed
    series = model.timeseries()
    assert "a.market_share" in series.columns and len(series) == 6
    np.testing.assert_allclose(series["a.market_share"] + series["b.market_share"], 1.0)
    assert (
        row["a.final_active_customers"] + row["b.final_active_customers"]
        == (row["final_active_customers"])
    )


def test_single_firm_tables_keep_their_columns() -> None:
    row = CKMModel(Scenario().with_overrides(**SMALL | {"periods": 3}), rng=1).run().summary()
    assert not [k for k in row if "." in k]


def test_a_one_firm_list_runs_as_the_single_firm() -> None:
    plain = CKMModel(Scenario().with_overrides(**SMALL | {"periods": 10}), rng=4).run().summary()
    listed = CKMModel(market({"name": "firm"}, periods=10), rng=4).run().summary()
    assert listed == plain


def test_set_competence_is_building_at_that_level() -> None:
    """Changing a firm's competence before the first period gives the run built at that level
    (IT does not change the ties drawn at build time), when the run has no burn-in (with one,
    the burn-in ran at the level the model was built with)."""
    scenario = market({"name": "a"}, {"name": "b"}, periods=15, burn_in=0)
    changed = CKMModel(scenario, rng=2)
    changed.set_competence("a", it_systems=0.9)
    built = CKMModel(scenario.with_overrides(**{"firms.a.it_systems": 0.9}), rng=2)
    assert changed.run().summary() == built.run().summary()
    assert changed.firm_levers[0].capture > changed.firm_levers[1].capture
    with pytest.raises(ScenarioError, match="unknown firm"):
        changed.set_competence("c", it_systems=0.9)


# ---------------------------------------------------------------------- conservation
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_firms=st.integers(2, 3),
    seed=st.integers(0, 10_000),
    winback=st.sampled_from([0.0, 0.3]),
    growth=st.sampled_from([0.0, 0.02]),
    sensitivity=st.sampled_from([0.0, 10.0, 40.0]),
)
def test_every_customer_is_in_exactly_one_place(n_firms, seed, winback, growth, sensitivity):
    """Every period each customer is a prospect, an active customer of exactly one firm, or
    out of the market; each firm's base moves by exactly its recorded flows."""
    firms = [{"name": f"f{i}", "learning_culture": 0.2 + 0.3 * i} for i in range(n_firms)]
    scenario = market(
        *firms,
        customers=150,
        prospects=80,
        employees=10,
        need_dimensions=8,
        winback_rate=winback,
        winback_cooloff=1,
        market_growth=growth,
        choice_sensitivity=sensitivity,
        periods=12,
    )
    model = CKMModel(scenario, rng=seed, collect=False)
    s = model.state
    before = np.bincount(s.firm_of[s.status == ACTIVE], minlength=n_firms)
    for _ in range(12):
        model.step()
        status, firm = s.status, s.firm_of
        assert np.isin(status, [PROSPECT, ACTIVE, CHURNED, VACANT]).all()
        assert ((firm >= 0) == (status == ACTIVE)).all()
        assert (firm < n_firms).all()
        now = np.bincount(firm[status == ACTIVE], minlength=n_firms)
        flows = {
            k: np.array([model.outcomes[firm_outcome(f["name"], k)] for f in firms])
            for k in (
                "acquisitions_from_prospects",
                "acquisitions_from_rivals",
                "losses_to_rivals",
                "losses_out_of_market",
            )
        }
        moved = (
            flows["acquisitions_from_prospects"]
            + flows["acquisitions_from_rivals"]
            - flows["losses_to_rivals"]
            - flows["losses_out_of_market"]
        )
        np.testing.assert_array_equal(now, before + moved)
        assert flows["acquisitions_from_rivals"].sum() == flows["losses_to_rivals"].sum()
        total = int(status.size - (status == VACANT).sum())
        assert (status == ACTIVE).sum() + (status == PROSPECT).sum() + (
            status == CHURNED
        ).sum() == total
        before = now


# ---------------------------------------------------------------------- validity
def test_two_identical_firms_split_the_market_evenly() -> None:
    """Symmetry: two firms alike in everything hold half the market each, within 3 SE."""
    rows = _summaries(market({"name": "a"}, {"name": "b"}))
    share = _column(rows, "a.final_market_share")
    assert abs(share.mean() - 0.5) < 3 * _se(share) + 1e-9
    assert 0 < _se(share) < 0.05  # the seeds differ, and the estimate is precise


def test_a_firm_that_raises_its_competence_gains_share_from_its_rival() -> None:
    """Share shift (the paper's claim, relative): paired seeds, one firm raises learning
    culture and IT from 0.5 to 0.9; its share rises and its rival's base shrinks."""
    base = _summaries(market({"name": "a"}, {"name": "b"}))
    raised = _summaries(
        market({"name": "a", "learning_culture": 0.9, "it_systems": 0.9}, {"name": "b"})
    )
    gain = _column(raised, "a.final_market_share") - _column(base, "a.final_market_share")
    rival = _column(raised, "b.final_active_customers") - _column(base, "b.final_active_customers")
    assert gain.mean() > 3 * _se(gain)
    assert rival.mean() < -3 * _se(rival)


#: The firm's own knowledge, which a rival that never learns leaves as it is alone.
RECOVERED = ("offer_fit", "code_accuracy", "employee_accuracy")
#: What a rival heard of weighs on (docs/ODD.md 7.6): customers measure the firm against it.
WEIGHED = ("mean_retention_rate", "mean_satisfaction")
#: Seeds of the recovery test: at 8 the rival's weight on retention is about 2 SE (20 other
#: seeds measured 3.0 SE for retention and 4.5 SE for satisfaction), too close to test its sign.
RECOVERY_SEEDS = range(20)


def _one_firm_and_against_a_rival_that_never_learns() -> tuple[list[dict], list[dict]]:
    """The one-firm runs and the runs of a firm against a rival that never learns, each holding
    the one-firm market's customers and prospects. Both start from the initial draws: a burn-in
    freezes the market's shares (docs/ODD.md 5), so the rival that never learns would still
    hold half the market at period 1 and lose it afterwards."""
    alone = _summaries(Scenario().with_overrides(burn_in=0, **SMALL), RECOVERY_SEEDS)
    duopoly = market(
        {"name": "a", "initial_share": 0.5},
        {"name": "rival", "initial_share": 0.5, **NO_LEARNING},
        customers=2 * SMALL["customers"],
        prospects=2 * SMALL["prospects"],
        burn_in=0,
    )
    return alone, _summaries(duopoly, RECOVERY_SEEDS)


def test_a_rival_that_never_learns_recovers_the_one_firm_result() -> None:
    """One-firm recovery (docs/ODD.md 7.6, docs/validation.md 11): against a rival that never
    learns, the firm's offer fit and what its code and employees know are the one-firm run's
    within 3 SE of the difference; its retention and satisfaction are lower (a customer who hears
    of the rival measures the firm against it), by more than nothing on average."""
    alone, against = _one_firm_and_against_a_rival_that_never_learns()
    for key in RECOVERED:
        one, two = _column(alone, key), _column(against, f"a.{key}")
        se = float(np.hypot(_se(one), _se(two)))
        assert abs(two.mean() - one.mean()) < 3 * se + 1e-9, key
    for key in WEIGHED:
        assert _column(against, f"a.{key}").mean() < _column(alone, key).mean(), key
    # and the rival that never learns does not: its code stays as it started (empty)
    assert _column(against, "rival.code_accuracy").max() == 0.0


# ---------------------------------------------------------------------- shipped scenarios
@pytest.mark.parametrize("name", ["duopoly", "it_arms_race", "market_entry"])
def test_shipped_competition_scenarios_run(name) -> None:
    scenario = load_scenario(name).with_overrides(customers=300, prospects=150, periods=6)
    assert len(scenario.firm_names()) >= 2
    row = CKMModel(scenario, rng=1, collect=False).run().summary()
    shares = [row[firm_outcome(f, "final_market_share")] for f in scenario.firm_names()]
    assert abs(sum(shares) - 1.0) < 1e-9


def test_market_entry_starts_with_the_incumbent_holding_every_customer() -> None:
    scenario = load_scenario("market_entry").with_overrides(customers=300, prospects=150)
    model = CKMModel(scenario, rng=1, collect=False)
    assert model.outcomes["incumbent.market_share"] == 1.0
    assert model.outcomes["incumbent.repository_accuracy"] > 0.3  # prior knowledge
    assert np.isnan(model.outcomes["entrant.repository_accuracy"])  # no customers yet
    assert model.outcomes["entrant.offer_fit"] > model.outcomes["incumbent.offer_fit"] - 0.3


def test_a_customer_who_joins_starts_from_the_value_the_model_gives_it() -> None:
    # ODD 7.6: a joiner's satisfaction restarts "from its value with the new firm", the value
    # of 7.3, which counts only the profile entries in date (record_shelf_life); a customer won
    # back by the firm holding its profile brings entries older than that
    model = CKMModel(load_scenario("duopoly").with_overrides(**SMALL), rng=3, collect=False)
    model.run(40)
    s = model.state
    stale = (s.profile != 0) & (s.profile_time < model.oldest_record())
    rows = np.flatnonzero((s.status == ACTIVE) & stale.any(axis=1))
    assert len(rows) > 20, len(rows)  # the check needs customers with stale entries
    model.match_profiles()
    want = model.perceived_value()[rows]
    np.testing.assert_array_equal(competition.values_of(model, rows), want)


def test_a_firm_surveys_only_its_own_customers() -> None:
    # ODD 7.6: each firm appraises its employees from its own customers. The survey is one pass
    # over every customer; each firm's block of employees must hold the means of its own
    # active customers alone, as a survey of those customers finds them
    model = CKMModel(load_scenario("duopoly").with_overrides(**SMALL), rng=3, collect=False)
    model.run(20)
    s = model.state
    active = s.status == ACTIVE
    n_employees, n_segments = s.beliefs.shape[:2]
    served = kernels.served_means(
        s.satisfaction, active, s.serving_employee, s.segment, n_employees, n_segments
    )
    for f, block in enumerate(model.firm_blocks):
        mine = active & (s.firm_of == f)
        assert mine.sum() > 50
        own = kernels.served_means(
            s.satisfaction,
            mine,
            s.serving_employee - block.start,
            s.segment,
            block.stop - block.start,
            n_segments,
        )
        np.testing.assert_array_equal(served[block], own)


def test_word_of_mouth_by_firm_is_the_community_product() -> None:
    """The gathered word of mouth per firm equals the sparse product it replaces."""
    from ckm_sim.model import choice

    scenario = market({"name": "a"}, {"name": "b"}, {"name": "c"}, market_growth=0.02)
    model = CKMModel(scenario, rng=3, collect=False).run(10)
    s, n_firms = model.state, 3
    active = s.status == ACTIVE
    promoters, detractors = active & (s.satisfaction > 0.7), active & (s.satisfaction < 0.3)
    rows = np.flatnonzero(~active)
    got = choice.community_by_firm(
        model.community, rows, s.firm_of, active, promoters, detractors, s.value, n_firms
    )
    x = np.zeros((len(s.status), 3 * n_firms))
    who = np.flatnonzero(active)
    firm = s.firm_of[who]
    x[who, firm] = promoters[who].astype(float) - detractors[who]
    x[who, n_firms + firm] = s.value[who]
    x[who, 2 * n_firms + firm] = 1.0
    want = (model.community @ x)[rows]
    assert len(rows) > 50 and want[:, 2 * n_firms :].sum() > 0
    for k, part in enumerate(got):
        np.testing.assert_allclose(part, want[:, k * n_firms : (k + 1) * n_firms], atol=1e-12)


@pytest.mark.parametrize("word_of_mouth", [0.0, 0.02, 0.3])
@pytest.mark.parametrize("base", [0.0, 0.005, 0.2])
def test_adopters_are_those_below_their_chance(word_of_mouth, base) -> None:
    """The prospects whose ties are walked (those below their highest possible chance) adopt
    as every prospect's chance from the full word of mouth would have them adopt."""
    from ckm_sim.model import choice, draws

    scenario = market({"name": "a"}, {"name": "b"}, {"name": "c"}, market_growth=0.02)
    model = CKMModel(scenario, rng=3, collect=False).run(10)
    mk = model.scenario_config.market
    mk.word_of_mouth, mk.base_acquisition = word_of_mouth, base
    s = model.state
    staying = s.status == ACTIVE
    promoters, detractors = staying & (s.satisfaction >= 0.6), staying & (s.satisfaction <= 0.4)
    prospects = np.flatnonzero(s.status == PROSPECT)
    net, _, _ = choice.community_by_firm(
        model.community, prospects, s.firm_of, staying, promoters, detractors, s.value, 3
    )
    p = choice.adoption_probability(net, base, word_of_mouth)
    want = prospects[draws.below(model.streams.key("acquisition", model.steps), prospects, p)]
    got = competition._adopters(model, prospects, staying, promoters, detractors)
    np.testing.assert_array_equal(got, want)
    assert len(prospects) > 100
    assert len(want) > 0 or max(base, word_of_mouth) < 0.2  # the larger chances: some adopt


def test_each_firms_flows_add_up_to_the_markets() -> None:
    """Every knowledge-flow event is counted for exactly one firm, its customer's."""
    firms = ({"name": "a", "learning_culture": 0.9}, {"name": "b", "it_systems": 0.2})
    model = CKMModel(market(*firms, periods=8), rng=5, collect=False)
    names = (
        "about_contacts",
        "about_captures",
        "about_wrong_captures",
        "from_items",
        "from_direct",
        "from_to_product",
        "from_relayed",
        "from_absorbed",
        "for_broadcast_lessons",
        "for_broadcast_reached",
        "for_tailored_lessons",
        "for_tailored_right",
    )
    seen = dict.fromkeys(names, 0)
    for _ in range(8):
        model.step()
        for name in names:
            counts = model.period.counts()
            per_firm = model.period.firm_counts().get(name, np.zeros(2))
            assert per_firm.sum() == counts[name], name
            seen[name] += counts[name]
    assert all(seen[n] > 0 for n in names)


MONEY = ("customer_equity", "investment_cost", "sustaining_cost", "acquisition_spend")


@settings(max_examples=8, deadline=None)
@given(
    n_firms=st.integers(2, 3),
    seed=st.integers(0, 10_000),
    convention=st.sampled_from(["horizon", "residual"]),
    growth=st.sampled_from([0.0, 0.02]),
    winback=st.sampled_from([0.0, 0.3]),
)
def test_the_markets_money_is_its_firms_money(n_firms, seed, convention, growth, winback):
    """Issue 21, defect 7: under either horizon convention the market's equity, each cost and
    net value are the sums of its firms' (the residual convention allocated the market's costs
    beyond the horizon at average rates, so they did not add up)."""
    firms = [
        {"name": f"f{i}", "learning_culture": 0.2 + 0.3 * i, "it_systems": 0.8 - 0.3 * i}
        for i in range(n_firms)
    ]
    scenario = market(*firms, horizon_value=convention, market_growth=growth, winback_rate=winback)
    row = CKMModel(scenario, rng=seed, collect=False).run().summary()
    for key in (*MONEY, "serving_cost", "net_value"):
        firms_sum = sum(row[f"f{i}.{key}"] for i in range(n_firms))
        assert row[key] == pytest.approx(firms_sum, rel=1e-9, abs=1e-6), key


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 60),
    m=st.integers(0, 8),
    cost=st.floats(0.0, 3.0),
    weighted=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_staying_factors_are_the_numpy_passes(n, m, cost, weighted, seed) -> None:
    rng = np.random.default_rng(seed)
    known = rng.integers(0, m + 1, size=n).astype(np.float64)
    understood = rng.random(n)
    understood[rng.random(n) < 0.1] = np.nan
    theta = rng.gamma(2.0, 0.5, size=n) if weighted else np.empty(0)
    built = (known + understood * m) / (2.0 * max(m, 1))  # competition's numpy code
    want = np.maximum(0.0, 1.0 - cost * built)
    if weighted:
        want = want * theta
    got = choice.staying_factors(known, understood, m, cost, theta)
    np.testing.assert_array_equal(got, want)
    assert got.tobytes() == want.tobytes()


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 80),
    firms=st.integers(1, 4),
    k=st.integers(0, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_count_by_firm_each_is_one_bincount_per_mask(n, firms, k, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(0, firms, size=n).astype(np.int16)
    cust = rng.integers(0, n, size=int(rng.integers(0, 2 * n)))
    masks = rng.random((k, len(cust))) < 0.5
    got = choice.count_by_firm_each(firm_of, cust, masks, firms)
    # from_customers' tallies before: a bincount of the gathered firms, all and per mask
    want = [np.bincount(firm_of[cust], minlength=firms)]
    want += [np.bincount(firm_of[cust[mask]], minlength=firms) for mask in masks]
    np.testing.assert_array_equal(got, np.array(want).reshape(1 + k, firms))
    if len(cust):  # a customer of no firm, refused as bincount refuses -1
        with pytest.raises(ValueError):
            choice.count_by_firm_each(np.full(n, -1, dtype=np.int16), cust, masks, firms)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 80), firms=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_heard_means_are_the_masked_firm_means(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    profile_firm = rng.integers(-1, firms, size=n).astype(np.int16)
    reported = rng.random(n)
    reported[rng.random(n) < 0.4] = np.nan
    held = ~np.isnan(reported) & (profile_firm >= 0)  # targeting.heard_priors' numpy code
    want = choice.firm_means(profile_firm, held, reported, firms, 0.5)
    got = choice.heard_means(profile_firm, reported, firms, 0.5)
    assert got.tobytes() == want.tobytes()
    firm = profile_firm[held].astype(np.int64)  # and firm_means' bincounts
    count = np.bincount(firm, minlength=firms)
    total = np.bincount(firm, reported[held], minlength=firms)
    np.testing.assert_array_equal(got, np.where(count > 0, total / np.maximum(count, 1), 0.5))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 80), firms=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_active_below_rated_is_active_below_of_the_rates_times_scale(n, firms, seed) -> None:
    rng = np.random.default_rng(seed)
    firm_of = rng.integers(-1, firms, size=n).astype(np.int16)
    active = rng.random(n) < 0.7
    rates, scale = rng.random(firms), rng.random(n)
    key = np.uint64(rng.integers(2**63))
    willing = choice.firm_rates(rates, firm_of) * scale  # from_customers' code before
    want = decisions.active_below(active, key, willing)
    got = decisions.active_below_rated(active, key, rates, firm_of, scale)
    np.testing.assert_array_equal(got, want)
