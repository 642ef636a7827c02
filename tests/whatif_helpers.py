"""Shared bits of the what-if tests: a tiny scenario file and an objective with a known optimum."""

from __future__ import annotations

from pathlib import Path

import numpy as np

TINY = """
name = "{name}"
periods = 12
seed = 5

[competence]
inter_functional_cooperation = {level}
organisational_systems = {level}
customer_cooperation = {level}
it_systems = {level}
learning_culture = {level}

[costs]  # the old flat form: 2,000 per dimension at level 1 whatever the size (round numbers)
cost_inter_functional_cooperation = 2000.0
cost_organisational_systems = 2000.0
cost_customer_cooperation = 2000.0
cost_it_systems = 2000.0
cost_learning_culture = 2000.0

[firm]
employees = 20

[market]
customers = 300
prospects = 100
segments = 2
need_dimensions = 10
"""


def tiny_scenario(folder: Path, name: str = "tiny", level: float = 0.5) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(TINY.format(name=name, level=level), encoding="utf-8")
    return path


def compare_argv(low: Path, high: Path, out: Path, replications: int = 3) -> list[str]:
    """``ckm-sim compare`` of two scenario files into ``out``, quietly, in this process."""
    files = ["compare", str(low), str(high)]
    return files + ["-r", str(replications), "--out", str(out), "--quiet", "--workers", "1"]


class SquareRootValue:
    """``sum_d a_d sqrt(s_d)`` plus noise shared by every allocation on the same seed (common
    random numbers) and, optionally, a little noise of its own.

    On the simplex ``sum s_d = B`` the maximum is at ``s_d = B a_d^2 / sum a^2`` (Lagrange:
    ``a_d / (2 sqrt(s_d)) = lambda`` for every d), worth ``sqrt(B sum a^2)``, and the marginal
    value of every dimension there is ``lambda = sqrt(sum a^2 / B) / 2``.
    """

    def __init__(self, weights, common_sd: float = 5.0, own_sd: float = 0.0) -> None:
        self.a = np.asarray(weights, dtype=float)
        self.common_sd, self.own_sd = common_sd, own_sd

    def true_value(self, spend) -> float:
        return float(self.a @ np.sqrt(np.asarray(spend, dtype=float)))

    def optimum(self, budget: float) -> np.ndarray:
        return budget * self.a**2 / (self.a**2).sum()

    def marginal(self, budget: float) -> float:
        return float(np.sqrt((self.a**2).sum() / budget) / 2.0)

    def __call__(self, spend, seed: int) -> float:
        common = np.random.default_rng(seed).normal(0.0, self.common_sd)
        key = np.frombuffer(np.asarray(spend, dtype=np.float64).tobytes(), dtype=np.uint32)
        own = np.random.default_rng([seed, *key.tolist()]).normal(0.0, self.own_sd)
        return self.true_value(spend) + common + own


def calibrate_argv(folder: Path) -> list[str]:
    """``ckm-sim calibrate`` of the tiny scenario to a short cohort written in ``folder``, the
    churn pull fitted, in this process (add the search's size and ``--out``)."""
    csv = folder / "cohort.csv"
    csv.write_text("period,active\n0,300\n1,290\n2,281\n4,265\n6,250\n", encoding="utf-8")
    sc = tiny_scenario(folder)
    fitted = ["--fit", "competitor_pull", "--workers", "1"]
    return ["calibrate", str(sc), "--retention", str(csv), *fitted]
