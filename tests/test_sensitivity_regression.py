"""Sensitivity from any design (issue 25): standardized regression coefficients with CIs and
R^2 (checked on linear functions with known coefficients), in the report of a Latin-hypercube
sweep; Sobol reports explain S1 and ST and warn about indices that cannot be read."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from experiment_helpers import sampled, write_experiment

from ckm_sim.cli import main
from ckm_sim.experiments.regression import src_table
from ckm_sim.experiments.sensitivity_words import sobol_warnings, src_sentences


def _uniform(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(0, 1, (n, 3)), columns=["a", "b", "c"])


def test_src_of_a_linear_function_are_its_known_coefficients() -> None:
    # y = 3a - 2b + 0c + noise, a, b, c ~ U(0, 1): var(x) = 1/12, so in the population
    # var(y) = (9 + 4) / 12 + sd^2, SRC_j = b_j sqrt(1/12) / sd(y), R2 = (13/12) / var(y)
    x, noise = _uniform(4000), 0.3
    y = 3 * x["a"] - 2 * x["b"] + np.random.default_rng(2).normal(0, noise, len(x))
    var_y = 13 / 12 + noise**2
    truth = {"a": 3 / math.sqrt(12 * var_y), "b": -2 / math.sqrt(12 * var_y), "c": 0.0}
    table = src_table(x, y.to_numpy(), boot=200).set_index("factor")
    for factor, value in truth.items():
        assert table.loc[factor, "SRC"] == pytest.approx(value, abs=0.02)
        assert table.loc[factor, "low"] <= value <= table.loc[factor, "high"]
    assert table["R2"].iloc[0] == pytest.approx((13 / 12) / var_y, abs=0.02)
    # c does nothing: its CI straddles 0; a's lies far above it, b's below
    assert table.loc["c", "low"] < 0 < table.loc["c", "high"]
    assert table.loc["a", "low"] > 0.5 and table.loc["b", "high"] < -0.3


def test_an_exact_linear_function_has_r2_one_and_a_nonlinear_one_a_low_r2() -> None:
    x = _uniform(500)
    y = 5 * x["a"] + x["b"] + 7
    exact = src_table(x, y.to_numpy(), boot=50)
    assert exact["R2"].iloc[0] == pytest.approx(1.0)
    # exact fit: the coefficient 5 scaled by this sample's standard deviations
    assert exact.set_index("factor").loc["a", "SRC"] == pytest.approx(5 * x["a"].std() / y.std())
    assert exact.set_index("factor").loc["c", "SRC"] == pytest.approx(0.0, abs=1e-9)
    bumpy = src_table(x, np.sin(2 * np.pi * x["a"].to_numpy()) ** 2, boot=50)
    assert bumpy["R2"].iloc[0] < 0.1
    lines = src_sentences(bumpy.assign(outcome="y"))
    assert "misses much of the variance" in lines[0]
    assert "explains most" in src_sentences(exact.assign(outcome="y"))[0]


def test_sobol_warnings_name_negative_indices_and_cis_wider_than_the_index() -> None:
    table = pd.DataFrame(
        {
            "factor": ["a", "b", "c"],
            "S1": [0.5, -0.02, 0.03],
            "S1_conf": [0.05, 0.04, 0.10],
            "ST": [0.6, 0.01, 0.2],
            "ST_conf": [0.05, 0.02, 0.05],
            "outcome": "clv",
        }
    )
    lines = sobol_warnings(table)
    assert any("clv, b: S1" in line and "negative" in line for line in lines)
    assert any("clv, b: ST" in line and "wider than the index" in line for line in lines)
    assert any("clv, c: S1" in line and "wider than the index" in line for line in lines)
    assert not any(", a:" in line for line in lines) and len(lines) == 3


LHS = sampled(12, report="clv")


def test_a_latin_hypercube_report_has_srcs_with_cis_and_r2(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, LHS, replications=1)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    root = out / "tiny"
    table = pd.read_csv(root / "regression.csv")
    assert set(table["factor"]) == {"it_systems", "learning_culture"}
    assert (table["low"] <= table["SRC"]).all() and (table["SRC"] <= table["high"]).all()
    assert table["R2"].between(0, 1).all()
    report = (root / "report.md").read_text()
    assert "## Standardized regression coefficients" in report and "R2 = " in report


def test_a_sobol_report_explains_s1_and_st(tmp_path: Path) -> None:
    body = sampled(4, "sobol", report="clv", second_order=False)
    path = write_experiment(tmp_path, body, replications=1)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    report = (out / "tiny" / "report.md").read_text()
    assert "**S1** (first order) is the share" in report and "**ST** (total)" in report
    sensitivity = pd.read_csv(out / "tiny" / "sensitivity.csv")
    expected = sum(
        (r.S1 < 0)
        + (r.S1 >= 0 and r.S1_conf > abs(r.S1))
        + (r.ST < 0)
        + (r.ST >= 0 and r.ST_conf > abs(r.ST))
        for r in sensitivity.itertuples()
    )
    assert report.count("> caution:") == expected
