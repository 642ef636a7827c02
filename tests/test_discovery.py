"""Scenario discovery (PRIM through EMA Workbench, a CART tree through scikit-learn) finds a
region that is known, and the sweep report shows it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from experiment_helpers import sampled, write_experiment

pytest.importorskip("ema_workbench")
pytest.importorskip("sklearn")

from ckm_sim.experiments.analysis import analyse  # noqa: E402
from ckm_sim.experiments.discovery import choose_box, discover, of_interest  # noqa: E402
from ckm_sim.experiments.report import write_report  # noqa: E402
from ckm_sim.experiments.runner import run_sweep  # noqa: E402
from ckm_sim.experiments.spec import load_experiment  # noqa: E402


def _synthetic(n: int = 400, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Uniform points; y is high exactly where a > 0.6 and b < 0.5 (a fifth of the space), so
    the top 20% of y is that region; c does not matter."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({name: rng.uniform(0.0, 1.0, n) for name in ("a", "b", "c")})
    inside = (x["a"] > 0.6) & (x["b"] < 0.5)
    return x, np.where(inside, 10.0, 0.0) + rng.normal(0.0, 0.5, n)


def test_prim_box_and_tree_find_the_known_high_region():
    x, y = _synthetic()
    found = discover(x, y, "y")
    box = found.box.set_index("factor")
    # the box's edges are where the region's are, to within the spacing of 400 uniform points
    # along the other factor's slice (about 1/(0.2*400) per unit: a few hundredths)
    assert box.loc["a", "low"] == pytest.approx(0.6, abs=0.05)
    assert box.loc["b", "high"] == pytest.approx(0.5, abs=0.05)
    if "c" in box.index:  # c is irrelevant: at most a sliver peeled off
        assert box.loc["c", "high"] - box.loc["c", "low"] > 0.85
    assert found.coverage >= 0.8 and found.density >= 0.85
    assert 0.15 <= found.mass <= 0.25
    # the tree's best leaf lies inside the region and is nearly all points of interest
    best = found.leaves.iloc[0]
    assert "a >" in best["rule"] and "b <=" in best["rule"] and "c" not in best["rule"]
    assert best["share_of_interest"] > 0.9
    assert found.leaves["points"].sum() == len(x)
    assert found.leaves["coverage"].sum() == pytest.approx(1.0)


def test_a_low_region_is_found_the_same_way():
    x, y = _synthetic(seed=2)
    found = discover(x, -y, "y", "low")
    box = found.box.set_index("factor")
    assert box.loc["a", "low"] == pytest.approx(0.6, abs=0.05)
    assert box.loc["b", "high"] == pytest.approx(0.5, abs=0.05)


def test_points_of_interest_and_the_chosen_box():
    hit, threshold = of_interest(np.arange(10.0))
    assert threshold == pytest.approx(7.2) and list(np.flatnonzero(hit)) == [8, 9]
    trajectory = pd.DataFrame({"coverage": [1.0, 0.9, 0.85, 0.5], "density": [0.2, 0.6, 0.6, 1]})
    assert choose_box(trajectory) == 1  # densest with coverage >= 0.8; tie: more coverage


def test_a_sampled_sweep_report_shows_discovery(tmp_path):
    body = sampled(24, report="net_value")
    path = write_experiment(tmp_path, body, replications=1, periods=4)
    result = run_sweep(load_experiment(path), tmp_path / "out", workers=1, progress=False)
    analysis = analyse(result.root)
    assert analysis.discovery is not None and analysis.discovery[0].outcome == "net_value"
    report = write_report(analysis).read_text()
    assert "## Scenario discovery" in report and "figures/discovery.png" in report
    assert (result.root / "figures" / "discovery.png").stat().st_size > 0
    table = pd.read_csv(result.root / "discovery.csv")
    assert list(table["outcome"]) == ["net_value"]
    assert table["coverage"].between(0, 1).all()
