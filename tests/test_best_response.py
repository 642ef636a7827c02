"""Iterated best responses: they settle at the closed-form equilibrium of a concave game (exact
and through the noisy optimiser), and matching pennies is reported as a cycle."""

from __future__ import annotations

import numpy as np
import pytest
from best_response_games import LinearGame, MatchingPennies
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import Estimate
from ckm_sim.whatif.rivals.rounds import (
    Response,
    change_of,
    iterate_best_responses,
    optimiser_response,
)

GAME = LinearGame(
    w={"a": [1.0, 2.0, 3.0], "b": [3.0, 1.5, 1.5]},
    k={"a": 4.0, "b": -1.0},  # a follows b's money, b avoids a's
    budgets={"a": 100.0, "b": 60.0},
)
EVEN = {"a": np.full(3, 100.0 / 3), "b": np.full(3, 20.0)}


def exact(game):
    return lambda firm, splits, incumbent: Response(game.best_response(firm, splits))


def test_the_closed_form_equilibrium_is_a_fixed_point_of_the_best_responses():
    eq = GAME.equilibrium()
    for firm in ("a", "b"):
        assert np.allclose(GAME.best_response(firm, eq), eq[firm])
        assert eq[firm].sum() == pytest.approx(GAME.budgets[firm])
        # and each best response does beat a nearby split of the same budget (concavity)
        other = eq[firm] + np.array([1.0, -1.0, 0.0])
        assert GAME.payoff(firm, eq[firm], eq, 0) > GAME.payoff(firm, other, eq, 0)


def test_exact_best_responses_settle_near_the_equilibrium():
    tol = 0.01
    result = iterate_best_responses(["a", "b"], EVEN, GAME.budgets, exact(GAME), 30, tol)
    assert result.status == "settled"
    assert result.rounds_played >= 2  # the even split is not the equilibrium
    eq = GAME.equilibrium()
    # the map contracts (R_a R_b = 0.4 x -0.143): a split that moves by <= tol of the budget in
    # a round is within tol / (1 - |R_a R_b|) of the fixed point
    for firm in ("a", "b"):
        assert change_of(result.final[firm], eq[firm], GAME.budgets[firm]) < tol / (1 - 0.06)
    table = result.table(["x", "y", "z"])
    assert list(table["round"]) == [r for r in range(1, result.rounds_played + 1) for _ in "ab"]
    assert table["holds"].iloc[-2:].all() and not table["holds"].iloc[:2].all()
    assert "settle in round" in result.sentence()


def test_too_few_rounds_are_unsettled():
    result = iterate_best_responses(["a", "b"], EVEN, GAME.budgets, exact(GAME), 1, 0.01)
    assert result.status == "unsettled" and result.rounds_played == 1
    assert "neither settle nor cycle within 1 rounds" in result.sentence()


def test_matching_pennies_cycles_every_two_rounds():
    game = MatchingPennies()
    start = {"match": np.array([50.0, 50.0]), "avoid": np.array([70.0, 30.0])}
    budgets = {"match": 100.0, "avoid": 100.0}
    result = iterate_best_responses(["match", "avoid"], start, budgets, exact(game), 10)
    assert result.status == "cycle"
    assert result.cycle_length == 2 and result.rounds_played == 3
    assert np.allclose(result.splits_after(3)["match"], result.splits_after(1)["match"])
    assert not np.allclose(result.splits_after(2)["match"], result.splits_after(1)["match"])
    assert "cycle" in result.sentence() and "loop of 2 rounds" in result.sentence()


def test_a_move_that_does_not_pay_outside_its_ci_holds():
    # every answer jumps across the simplex, but the paired gain's CI straddles zero: flat
    flat = Estimate(0.1, -1.0, 1.2, 1.0, 8)
    pays = Estimate(2.0, 1.0, 3.0, 1.0, 8)

    def jumping(gain):
        def respond(firm, splits, incumbent):
            return Response(incumbent[::-1].copy(), gain)

        return respond

    start = {"a": np.array([90.0, 10.0]), "b": np.array([20.0, 80.0])}
    budgets = {"a": 100.0, "b": 100.0}
    settled = iterate_best_responses(["a", "b"], start, budgets, jumping(flat), 5)
    assert settled.status == "settled" and settled.rounds_played == 1
    assert "flat optimum" in settled.moves[0].why
    # the same jumps, paying every time, recur after two rounds: a cycle
    cycling = iterate_best_responses(["a", "b"], start, budgets, jumping(pays), 5)
    assert cycling.status == "cycle" and cycling.cycle_length == 2


@pytest.mark.parametrize(
    ("firms", "rounds", "match"),
    [(["a"], 3, "two firms"), (["a", "a"], 3, "twice"), (["a", "b"], 0, "at least 1")],
)
def test_bad_arguments(firms, rounds, match):
    with pytest.raises(ValueError, match=match):
        iterate_best_responses(firms, EVEN, GAME.budgets, exact(GAME), rounds)


@settings(max_examples=25, deadline=None)
@given(
    ka=st.floats(-0.9, 6.0),
    kb=st.floats(-0.9, 6.0),
    wa=st.lists(st.floats(1.0, 5.0), min_size=2, max_size=4),
)
def test_any_contracting_linear_game_settles_at_its_equilibrium(ka, kb, wa):
    n = len(wa)
    game = LinearGame(
        {"a": wa, "b": [1.0 + 0.5 * d for d in range(n)]},
        {"a": ka, "b": kb},
        {"a": 10.0, "b": 20.0},
    )
    start = {"a": np.full(n, 10.0 / n), "b": np.full(n, 20.0 / n)}
    tol = 0.005
    result = iterate_best_responses(["a", "b"], start, game.budgets, exact(game), 200, tol)
    assert result.status == "settled"
    eq = game.equilibrium()
    wsum = {"a": sum(wa), "b": sum(1.0 + 0.5 * d for d in range(n))}
    rho = abs(ka / (wsum["a"] + ka) * kb / (wsum["b"] + kb))
    for firm in ("a", "b"):
        assert change_of(result.final[firm], eq[firm], game.budgets[firm]) <= tol / (1 - rho) + 1e-9


def test_noisy_best_responses_through_the_optimiser_settle_at_the_equilibrium():
    # common noise (sd 2) is larger than a firm's whole gain over its even split (about 0.7):
    # only the paired evaluations let the optimiser see its best response
    def objective(firm, splits):
        frozen = {f: np.asarray(s).copy() for f, s in splits.items()}
        return lambda spend, seed: GAME.payoff(firm, spend, frozen, seed, 2.0, 0.01)

    respond = optimiser_response(
        objective,
        GAME.budgets,
        RunPlan(2, base_seed=5),
        dimensions=("x", "y", "z"),
        trials=24,
        eval_replications=4,
        polish_steps=6,
    )
    result = iterate_best_responses(["a", "b"], EVEN, GAME.budgets, respond, 6, 0.08)
    assert result.status == "settled", result.table()
    eq = GAME.equilibrium()
    for firm in ("a", "b"):
        assert change_of(result.final[firm], eq[firm], GAME.budgets[firm]) < 0.08
    assert all(m.gain is not None and m.gain.n == 4 for m in result.moves)


def test_noisy_matching_pennies_through_the_optimiser_is_a_cycle():
    game = MatchingPennies()

    def objective(firm, splits):
        frozen = {f: np.asarray(s).copy() for f, s in splits.items()}
        return lambda spend, seed: game.payoff(firm, spend, frozen, seed, 2.0, 0.01)

    budgets = {"match": 100.0, "avoid": 100.0}
    respond = optimiser_response(
        objective,
        budgets,
        RunPlan(2, base_seed=9),
        dimensions=("x", "y"),
        trials=16,
        eval_replications=4,
        polish_steps=6,
    )
    start = {"match": np.array([50.0, 50.0]), "avoid": np.array([70.0, 30.0])}
    result = iterate_best_responses(["match", "avoid"], start, budgets, respond, 6, 0.10)
    assert result.status == "cycle", result.table()
    assert result.cycle_length == 2
