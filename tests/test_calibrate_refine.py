"""The response-surface refinement of a calibration (ckm_sim/whatif/calibrate/refine.py), on
synthetic curves whose best fit is known."""

from __future__ import annotations

import numpy as np
import pytest

from ckm_sim.whatif.calibrate.refine import _features, refine, surface_minimum

PERIODS = np.arange(1, 8)
BOX = {"level": (0.0, 0.1), "spread": (0.0, 3.0)}
TRUTH = {"level": 0.03, "spread": 1.2}


def curve(point: dict[str, float]) -> np.ndarray:
    """A gamma-mixed geometric survival curve: level and spread as calibrate fits them."""
    s2 = max(point["spread"], 1e-6) ** 2
    return (1.0 + point["level"] * s2 * 12 * PERIODS) ** (-1.0 / s2)


def noisy(sd: float, seed: int):
    rng = np.random.default_rng(seed)

    def simulate(points: list[dict[str, float]], round_: int = -1) -> list[np.ndarray]:
        return [curve(p) + rng.normal(0.0, sd, len(PERIODS)) for p in points]

    return simulate


def random_trials(simulate, n: int, seed: int) -> list[tuple[dict[str, float], np.ndarray]]:
    rng = np.random.default_rng(seed)
    points = [{k: float(rng.uniform(*BOX[k])) for k in BOX} for _ in range(n)]
    return list(zip(points, simulate(points), strict=True))


def test_features_are_the_constant_the_linear_and_the_quadratic_terms():
    u = np.array([[2.0, 3.0]])
    assert _features(u, quadratic=False).tolist() == [[1.0, 2.0, 3.0]]
    assert _features(u, quadratic=True).tolist() == [[1.0, 2.0, 3.0, 4.0, 6.0, 9.0]]


def test_a_linear_response_is_matched_on_its_level_line():
    # one period whose simulated value is u1 - u2: the observed -0.4 is matched on that line
    u = np.random.default_rng(0).uniform(0, 1, (40, 2))
    values = (u @ np.array([1.0, -1.0]))[:, None]
    found = surface_minimum(u, values, np.array([-0.4]), np.array([0.5, 0.5]))
    assert found[0] - found[1] == pytest.approx(-0.4, abs=1e-4)


def test_without_noise_refinement_finds_the_truth():
    simulate = noisy(0.0, 1)
    out = refine(simulate, random_trials(simulate, 30, 2), curve(TRUTH), BOX, rounds=6)
    assert out.point["level"] == pytest.approx(TRUTH["level"], abs=0.001)
    assert out.point["spread"] == pytest.approx(TRUTH["spread"], abs=0.03)
    assert len(out.history) == 6 * 5  # 2 d + 1 points a round


@pytest.mark.parametrize("seed", range(5))
def test_with_noise_refinement_beats_the_luckiest_trial(seed):
    # noise of 4 per 1,000 a point, as 4 replications of a 2,000-customer cohort; the spread
    # decides the tail, so it is what must be pinned; the bound is 0.1 (a tenth of the valley
    # the trials span), and the best random trial alone misses by more on most seeds
    simulate = noisy(0.004, seed)
    tried = random_trials(simulate, 30, 100 + seed)
    out = refine(simulate, tried, curve(TRUTH), BOX, rounds=6)
    assert out.point["spread"] == pytest.approx(TRUTH["spread"], abs=0.1)
    assert out.point["level"] == pytest.approx(TRUTH["level"], abs=0.004)
    assert np.isfinite(out.loss)


def test_zero_rounds_return_the_best_trial():
    simulate = noisy(0.0, 3)
    tried = random_trials(simulate, 10, 4)
    losses = [np.sqrt(np.mean((c - curve(TRUTH)) ** 2)) for _, c in tried]
    out = refine(simulate, tried, curve(TRUTH), BOX, rounds=0)
    assert out.point == tried[int(np.argmin(losses))][0]
    assert out.loss == pytest.approx(min(losses))
    assert out.history == []


def test_points_stay_in_the_box():
    # the truth sits on the box's edge: every scored point must stay inside
    simulate = noisy(0.0, 5)
    edge = {"level": 0.1, "spread": 1.0}
    out = refine(simulate, random_trials(simulate, 20, 6), curve(edge), BOX, rounds=4)
    for point, _ in out.history:
        for k, (low, high) in BOX.items():
            assert low <= point[k] <= high
    assert out.point["level"] == pytest.approx(0.1, abs=0.002)


def lucky(seed: int, per_round: bool):
    """Common random numbers: a seed set's luck is one deviation of the whole curve, shared by
    every point simulated on it; ``per_round`` gives each refining round a seed set of its own."""
    rng = np.random.default_rng(seed)
    luck = {r: rng.normal(0.0, 0.004, len(PERIODS)) for r in range(-1, 6)}

    def simulate(points: list[dict[str, float]], round_: int = -1) -> list[np.ndarray]:
        shared = luck[round_ if per_round else -1]
        return [curve(p) + shared + rng.normal(0.0, 0.001, len(PERIODS)) for p in points]

    return simulate


def test_seeds_of_its_own_each_round_average_the_search_seeds_luck_away():
    # on the search's seeds alone the refinement converges to the best fit for their luck; with
    # a seed set a round the luck of 7 sets is averaged: over 8 worlds the spread's error falls
    errors = {True: [], False: []}
    for seed in range(8):
        for per_round in (True, False):
            simulate = lucky(seed, per_round)
            tried = random_trials(simulate, 30, 200 + seed)
            out = refine(simulate, tried, curve(TRUTH), BOX, rounds=6)
            errors[per_round].append(abs(out.point["spread"] - TRUTH["spread"]))
    assert np.mean(errors[True]) < 0.7 * np.mean(errors[False])
