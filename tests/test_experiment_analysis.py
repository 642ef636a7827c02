"""Analysis on inputs with known answers: CI coverage, paired differences, Sobol on Ishigami,
Morris on a linear function, the replication-adequacy readout."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from experiment_helpers import write_experiment

from ckm_sim.experiments.analysis import (
    adequacy,
    morris_indices,
    paired_differences,
    point_stats,
    simple_effects,
    sobol_indices,
)
from ckm_sim.experiments.designs import build_design
from ckm_sim.experiments.spec import load_experiment


def _runs(values: np.ndarray) -> pd.DataFrame:
    """A runs table from a (points x replications) matrix of outcome ``y``."""
    p, r = np.meshgrid(np.arange(values.shape[0]), np.arange(values.shape[1]), indexing="ij")
    return pd.DataFrame(
        {"point": p.ravel(), "replication": r.ravel(), "status": "ok", "y": values.ravel()}
    )


def _design(points: int) -> pd.DataFrame:
    return pd.DataFrame({"point": np.arange(points)})


def _coverage_bound(n: int) -> float:
    return 3.0 * math.sqrt(0.95 * 0.05 / n)


@pytest.mark.parametrize("reps", [3, 10])
def test_ci_coverage_on_normal_data(reps: int) -> None:
    rng = np.random.default_rng(12)
    points = 4000
    mu = rng.uniform(-5, 5, points)
    sd = rng.uniform(0.5, 3.0, points)
    values = mu[:, None] + sd[:, None] * rng.standard_normal((points, reps))
    stats = point_stats(_runs(values), _design(points), ["y"])
    covered = (stats["low"] <= mu) & (mu <= stats["high"])
    assert abs(covered.mean() - 0.95) < _coverage_bound(points)
    assert np.allclose(stats["mean"], values.mean(axis=1))


def test_failed_runs_are_left_out() -> None:
    values = np.array([[1.0, 2.0, 3.0, 100.0]])
    runs = _runs(values)
    runs.loc[3, "status"] = "failed"
    stats = point_stats(runs, _design(1), ["y"])
    assert stats.loc[0, "n"] == 3 and stats.loc[0, "mean"] == pytest.approx(2.0)


def test_paired_differences_cover_and_beat_unpaired() -> None:
    rng = np.random.default_rng(3)
    points, reps = 2000, 10
    shift = rng.uniform(-1, 1, points)
    shift[0] = 0.0  # the reference
    common = 5.0 * rng.standard_normal(reps)  # what common random numbers share
    values = 50 + shift[:, None] + common[None, :] + 0.3 * rng.standard_normal((points, reps))
    diff = paired_differences(_runs(values), _design(points), 0, ["y"])
    truth = shift[diff["point"]]
    covered = (diff["low"] <= truth) & (truth <= diff["high"])
    # the CIs share the reference's noise, so coverage is only roughly independent across points
    assert abs(covered.mean() - 0.95) < 0.04
    assert (diff["half_width"] < diff["unpaired_half_width"] / 5).all()


def test_simple_effects_of_a_two_factor_grid() -> None:
    design = pd.DataFrame({"point": range(4), "a": [0, 0, 1, 1], "b": [0, 1, 0, 1]})
    rng = np.random.default_rng(5)
    effect = {0: 0.0, 1: 5.0}  # a pays off only when b is high
    base = rng.standard_normal(30)
    values = np.array([base + effect[b] * a for a, b in zip(design.a, design.b, strict=True)])
    table = simple_effects(_runs(values), design, ["a", "b"], ["y"])
    assert table.set_index("b")["effect"].to_dict() == pytest.approx({0: 0.0, 1: 5.0})


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Analytic first-order and total Sobol indices of the Ishigami function."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def test_sobol_indices_of_ishigami(tmp_path: Path) -> None:
    names = ["margin", "satisfaction_sensitivity", "competitor_pull"]  # stand-in names
    body = "".join(
        f"[factors.{n}]\nrange = [-3.141592653589793, 3.141592653589793]\n" for n in names
    )
    exp = load_experiment(
        write_experiment(tmp_path, body + "[design]\nmethod='sobol'\nsamples=1024\nseed=4\n")
    )
    design = build_design(exp, exp.base_scenario())
    assert design.size == 1024 * 8
    x = design.analysed()[names].to_numpy(dtype=np.float64)
    first, second = sobol_indices(ishigami(x), names, True, seed=1)
    s1, st = ishigami_indices()
    # N = 1024: the estimates are within 0.03 of the analytic values, inside their 95% CIs
    assert np.abs(first["S1"] - s1).max() < 0.03
    assert np.abs(first["ST"] - st).max() < 0.03
    assert np.all(np.abs(first["S1"] - s1) < first["S1_conf"])
    assert np.all(np.abs(first["ST"] - st) < first["ST_conf"])
    s13 = second.set_index(["factor_1", "factor_2"]).loc[(names[0], names[2]), "S2"]
    assert s13 == pytest.approx(st[2], abs=0.06)  # all of x3's effect is its interaction with x1


def test_morris_on_a_linear_function(tmp_path: Path) -> None:
    names = ["margin", "satisfaction_sensitivity", "competitor_pull"]
    ranges = {
        "margin": (0.0, 2.0),
        "satisfaction_sensitivity": (0.0, 1.0),
        "competitor_pull": (0.0, 1.0),
    }
    body = "".join(f"[factors.{n}]\nrange = [{lo}, {hi}]\n" for n, (lo, hi) in ranges.items())
    exp = load_experiment(
        write_experiment(tmp_path, body + "[design]\nmethod='morris'\nsamples=10\n")
    )
    design = build_design(exp, exp.base_scenario())
    x = design.analysed()[names].to_numpy(dtype=np.float64)
    y = 3.0 * x[:, 0] + 1.0 * x[:, 1]
    table = morris_indices(design.unit(), y, names, exp.design.levels).set_index("factor")
    # effects are per unit of each factor's whole range: 3 * 2, 1 * 1, 0
    assert table["mu_star"].to_numpy() == pytest.approx([6.0, 1.0, 0.0], abs=1e-9)
    assert table["sigma"].to_numpy() == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)


def test_adequacy_readout() -> None:
    rng = np.random.default_rng(8)
    z = rng.standard_normal((50, 10))
    z = (z - z.mean(axis=1, keepdims=True)) / z.std(axis=1, ddof=1, keepdims=True)
    values = 100 + 10 * z  # every point: mean 100, sd 10, n 10
    stats = point_stats(_runs(values), _design(50), ["y"])
    t = 2.2621571627409915  # Student t, 0.975 quantile, 9 degrees of freedom
    rel = t * 10 / math.sqrt(10) / 100
    loose = adequacy(stats, 0.10).iloc[0]
    tight = adequacy(stats, 0.05).iloc[0]
    assert loose["adequate"] and not tight["adequate"]
    assert tight["max_rel_half_width"] == pytest.approx(rel)
    # the fewest replications whose own t half-width of sd / mean = 0.1 is within 5%: 18
    # (t(17) = 2.110, 2.110 * 0.1 / sqrt(18) = 0.0497; at 17, 0.0515), not the 21 of the
    # square law that keeps t(9)
    assert tight["replications_needed"] == 18
