"""A Morris or Sobol figure is readable on a slide (issue 25, defect 7): at most two panels to a
row, factors named on the axis, never as overlapping labels on the points."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from ckm_sim.experiments.report import sensitivity_figure

FACTORS = [
    "inter_functional_cooperation",
    "organisational_systems",
    "customer_cooperation",
    "it_systems",
    "learning_culture",
]


def _analysis(columns: dict[str, str]) -> SimpleNamespace:
    rng = np.random.default_rng(1)
    rows = []
    for outcome in ("mean_retention_rate", "clv", "net_value", "customer_equity"):
        for factor in FACTORS:
            values = {c: rng.random() for c in columns}
            rows.append({"outcome": outcome, "factor": factor, **values})
    return SimpleNamespace(sensitivity=pd.DataFrame(rows), exp=SimpleNamespace(name="screen"))


@pytest.mark.parametrize(
    "columns",
    [
        {"mu_star": "", "mu_star_conf": "", "sigma": ""},
        {"S1": "", "S1_conf": "", "ST": "", "ST_conf": ""},
    ],
    ids=["morris", "sobol"],
)
def test_four_outcomes_make_a_slide_not_a_strip(tmp_path, columns) -> None:
    path = sensitivity_figure(_analysis(columns), tmp_path / "s.png")
    height, width = mpimg.imread(path).shape[:2]
    assert width <= 1400 and height >= 0.5 * width, (width, height)  # was 1920 x 360
