"""Designs give the documented sample sizes, stay in their ranges and are reproducible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from experiment_helpers import write_experiment
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim.experiments.designs import build_design
from ckm_sim.experiments.spec import Factor, load_experiment

FIVE = [
    "inter_functional_cooperation",
    "organisational_systems",
    "customer_cooperation",
    "it_systems",
    "learning_culture",
]


def _ranges(names: list[str]) -> str:
    return "".join(f"[factors.{n}]\nrange = [0.1, 0.9]\n" for n in names)


def _design(tmp_path: Path, body: str):
    exp = load_experiment(write_experiment(tmp_path, body))
    base = exp.base_scenario()
    return exp, build_design(exp, base)


@pytest.mark.parametrize("d", [2, 3, 5])
@pytest.mark.parametrize("n", [8, 16])
def test_sobol_saltelli_sizes(tmp_path: Path, d: int, n: int) -> None:
    names = FIVE[:d]
    _, second = _design(tmp_path, _ranges(names) + f"[design]\nmethod='sobol'\nsamples={n}\n")
    assert second.size == n * (2 * d + 2)
    _, first = _design(
        tmp_path,
        _ranges(names) + f"[design]\nmethod='sobol'\nsamples={n}\nsecond_order=false\n",
    )
    assert first.size == n * (d + 2)


def test_morris_size_and_grid(tmp_path: Path) -> None:
    _, design = _design(tmp_path, _ranges(FIVE[:3]) + "[design]\nmethod='morris'\nsamples=6\n")
    assert design.size == 6 * (3 + 1)
    unit = design.unit()
    # each trajectory moves one factor at a time, on the 4-level grid {0, 1/3, 2/3, 1}
    steps = np.diff(unit.reshape(6, 4, 3), axis=1)
    assert np.all((np.abs(steps) > 1e-12).sum(axis=2) == 1)
    assert np.allclose(unit * 3, np.round(unit * 3))


def test_latin_hypercube_strata(tmp_path: Path) -> None:
    _, design = _design(
        tmp_path, _ranges(FIVE[:4]) + "[design]\nmethod='latin_hypercube'\nsamples=20\n"
    )
    assert design.size == 20
    strata = np.floor(design.unit() * 20).astype(int)
    for column in strata.T:  # one point per stratum of every factor
        assert sorted(column) == list(range(20))
    values = design.points[FIVE[:4]].to_numpy()
    assert values.min() >= 0.1 and values.max() <= 0.9


def test_full_factorial_and_one_at_a_time_sizes(tmp_path: Path) -> None:
    body = (
        "[factors.it_systems]\nlevels=[0.0, 0.5, 1.0]\n"
        "[factors.learning_culture]\nrange=[0.0, 1.0]\nsteps=4\n"
        "[factors.community]\nlevels=['small_world', 'none']\n"
    )
    _, grid = _design(tmp_path, body + "[design]\nmethod='full_factorial'\n")
    assert grid.size == 3 * 4 * 2
    assert len(grid.points[["it_systems", "learning_culture", "community"]].drop_duplicates()) == 24
    _, oat = _design(tmp_path, body + "[design]\nmethod='one_at_a_time'\n")
    # centre = base levels (0.5, 0.5, small_world); 0.5 is a level of it_systems, not of the
    # 4-step learning_culture grid: 1 + (3 - 1) + 4 + (2 - 1)
    assert oat.size == 1 + 2 + 4 + 1
    assert oat.reference == 0
    centre = oat.params(0)
    assert centre == {"it_systems": 0.5, "learning_culture": 0.5, "community": "small_world"}
    for p in range(1, oat.size):
        moved = [k for k, v in oat.params(p).items() if v != centre[k]]
        assert moved == [oat.points.loc[p, "varied"]]


def test_reference_is_matched_or_appended(tmp_path: Path) -> None:
    grid = "[factors.it_systems]\nlevels=[0.0, 0.5]\n[factors.learning_culture]\nlevels=[0.5, 1]\n"
    _, matched = _design(tmp_path, grid + "[design]\nmethod='full_factorial'\nreference='base'\n")
    assert matched.size == 4
    assert matched.params(matched.reference) == {"it_systems": 0.5, "learning_culture": 0.5}
    _, appended = _design(
        tmp_path,
        _ranges(FIVE[:2]) + "[design]\nmethod='sobol'\nsamples=8\nreference='base'\n",
    )
    assert appended.size == 8 * 6 + 1
    assert appended.reference == appended.size - 1
    assert len(appended.analysed()) == 8 * 6  # the extra point stays out of SALib's input


def test_integer_factors_are_whole(tmp_path: Path) -> None:
    _, design = _design(
        tmp_path,
        "[factors.intra_department_ties]\nrange=[1, 6]\n"
        "[design]\nmethod='latin_hypercube'\nsamples=9\n",
    )
    assert design.points["intra_department_ties"].dtype.kind == "i"
    assert design.points["intra_department_ties"].between(1, 6).all()


def test_designs_are_reproducible_and_seeded(tmp_path: Path) -> None:
    body = _ranges(FIVE[:3]) + "[design]\nmethod='latin_hypercube'\nsamples=10\nseed=%d\n"
    _, a = _design(tmp_path, body % 1)
    _, b = _design(tmp_path, body % 1)
    _, c = _design(tmp_path, body % 2)
    assert a.points.equals(b.points)
    assert not a.points.equals(c.points)


def test_csv_points(tmp_path: Path) -> None:
    (tmp_path / "pts.csv").write_text("it_systems,customers\n0.1,100\n0.9,200\n")
    _, design = _design(tmp_path, "[design]\nmethod='csv'\npoints='pts.csv'\n")
    assert design.size == 2 and design.factors == ["it_systems", "customers"]


@settings(max_examples=60, deadline=None)
@given(
    u=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20),
    low=st.floats(0.01, 5.0),
    width=st.floats(0.01, 5.0),
    kind=st.sampled_from(["uniform", "triangular", "loguniform", "normal"]),
)
def test_distributions_stay_in_range_and_are_monotone(u, low, width, kind) -> None:
    high = low + width
    extra = {"mode": low + width / 3} if kind == "triangular" else {}
    if kind == "normal":
        extra = {"mean": low + width / 2, "sd": width}
    factor = Factor(range=(low, high), distribution=kind, **extra)
    values = np.array(factor.from_unit(np.sort(np.array(u))))
    assert np.all(values >= low - 1e-9) and np.all(values <= high + 1e-9)
    assert np.all(np.diff(values) >= -1e-9)
