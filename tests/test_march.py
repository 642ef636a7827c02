"""Docking with March (1991): his rules, and the qualitative findings his paper shows.

The findings are tested on the real model with the customer side frozen (``march1991``), with
common random numbers (one seed: the same realities and initial beliefs at every design point)
and margins of three standard errors of the paired differences. Expected values come from
March's paper, never from a run of this code. See docs/validation.md.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ckm_sim import learning, march
from ckm_sim.model import CKMModel
from ckm_sim.scenario import load_scenario

Z = 3.0  # margin in standard errors
REPS = 300  # replications per design point (closed system: one model, one segment each)


def paired_margin(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean of the paired difference a - b and its standard error."""
    d = a - b
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d)))


# ---------------------------------------------------------------------------- the rules
def test_scenario_is_marchs_closed_model() -> None:
    sc = load_scenario("march1991")
    assert sc.market.customers == sc.market.prospects == 0
    assert sc.market.need_dimensions == 30 and sc.firm.employees == 50
    assert sc.market.segments == 1 and sc.market.turbulence == 0
    assert sc.firm.employee_turnover == 0
    lv = sc.levers
    assert lv.discernment == 1 and lv.peer_learning_rate == 0 and lv.analytic_reach == 0


def test_code_learning_k_counts_every_member_who_differs_from_the_code() -> None:
    # March's footnote 1: k = members of the superior group who differ from the code minus those
    # who do not. Reality (-1, 1, 1, 1); code (1, 0, 0, 0) knows nothing; five members all know
    # dims 1-3, so all are superior. On dim 0 they hold -1, -1, 0, 0, +1: majority -1, four
    # differ from the code's +1 and one agrees, so k = 3 (not 2 - 1 = 1).
    n, p = 20_000, 0.3
    truth = np.tile(np.array([[-1, 1, 1, 1]], np.int8), (n, 1))
    one = np.array([[-1, 1, 1, 1], [-1, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1], [1, 1, 1, 1]])
    beliefs = np.repeat(one.astype(np.int8)[:, None, :], n, axis=1)
    code = np.tile(np.array([[1, 0, 0, 0]], np.int8), (n, 1))
    learning.learn_code(code, beliefs, truth, p, 1.0, np.random.default_rng(5))
    expected = 1 - (1 - p) ** 3
    changed = int((code[:, 0] == -1).sum())
    assert set(np.unique(code[:, 0])) <= {-1, 1}
    assert abs(changed / n - expected) < 4 * math.sqrt(expected * (1 - expected) / n)


def test_socialisation_and_code_learning_are_simultaneous() -> None:
    # "At the same time": employees learn the code as it stood at the start of the period. The
    # code starts empty, so with p1 = p2 = 1 the first period changes the code but no belief.
    model = CKMModel(
        "march1991", rng=3, collect=False, socialisation_rate=1.0, code_learning_rate=1
    )
    before = model.state.beliefs.copy()
    model.step()
    assert model.state.code.any()
    np.testing.assert_array_equal(model.state.beliefs, before)
    # next period everyone takes, with p1 = 1, every view the code held at the period's start
    start = model.state.code.copy()
    model.step()
    has_view = np.broadcast_to(start != 0, before.shape)
    taught = np.broadcast_to(start, before.shape)
    np.testing.assert_array_equal(model.state.beliefs[has_view], taught[has_view])


def test_equilibrium_is_absorbing() -> None:
    eq_model = CKMModel("march1991", rng=11, collect=False, segments=20, socialisation_rate=0.5)
    while not march.absorbed(eq_model).all():
        eq_model.step()
        assert eq_model.steps < 2000
    code, beliefs = eq_model.state.code.copy(), eq_model.state.beliefs.copy()
    eq_model.run(50)
    np.testing.assert_array_equal(eq_model.state.code, code)
    np.testing.assert_array_equal(eq_model.state.beliefs, beliefs)


# ---------------------------------------------------------------------------- Figure 1
@pytest.fixture(scope="module")
def figure1() -> dict[tuple[float, float], np.ndarray]:
    grid = {}
    for p1 in (0.1, 0.9):
        for p2 in (0.1, 0.9):
            eq = march.equilibrium(p1, p2, replications=REPS, seed=1991)
            assert eq.reached.all()
            grid[p1, p2] = eq.knowledge
    return grid


def test_slow_socialisation_fast_code_learning_is_best(figure1) -> None:
    best = figure1[0.1, 0.9]
    for cell, knowledge in figure1.items():
        if cell != (0.1, 0.9):
            diff, se = paired_margin(best, knowledge)
            assert diff > Z * se, cell


def test_faster_socialisation_lowers_equilibrium_knowledge(figure1) -> None:
    for p2 in (0.1, 0.9):
        diff, se = paired_margin(figure1[0.1, p2], figure1[0.9, p2])
        assert diff > Z * se, p2


def test_fast_code_learning_pays_most_under_slow_socialisation(figure1) -> None:
    slow, se = paired_margin(figure1[0.1, 0.9], figure1[0.1, 0.1])
    assert slow > Z * se
    # the advantage of fast code learning shrinks (March: reverses) when socialisation is fast
    interaction = (figure1[0.1, 0.9] - figure1[0.1, 0.1]) - (figure1[0.9, 0.9] - figure1[0.9, 0.1])
    diff, se = paired_margin(interaction, np.zeros_like(interaction))
    assert diff > Z * se


def test_code_knowledge_does_not_fall_in_a_closed_system() -> None:
    model = CKMModel("march1991", rng=7, collect=False, segments=REPS, socialisation_rate=0.5)
    path = [march.code_knowledge(model)]
    for _ in range(8):
        model.run(5)
        path.append(march.code_knowledge(model))
    for before, after in zip(path, path[1:], strict=False):
        diff, se = paired_margin(after, before)
        assert diff > -Z * max(se, 1e-12)
    assert path[-1].mean() > path[0].mean()


# ---------------------------------------------------------------------------- open system
def test_turbulence_erodes_knowledge_that_turnover_renews() -> None:
    # March: in a turbulent world (p4 = 0.02) knowledge built by mutual learning decays when no
    # one new arrives; moderate turnover keeps it up (p1 = p2 = 0.5).
    reps = 30
    closed = march.knowledge_path(0.5, 0.5, 0.0, 0.02, replications=reps, periods=100, every=20)
    renewed = march.knowledge_path(0.5, 0.5, 0.1, 0.02, replications=reps, periods=100, every=20)
    decay, se = paired_margin(closed[:, 1], closed[:, -1])  # t = 20 vs t = 100
    assert decay > Z * se
    gain, se = paired_margin(renewed[:, -1], closed[:, -1])
    assert gain > Z * se
