"""Issue 10, point 4: every design point is checked against the scenario schema before the
first run, and a sweep whose runs all fail says why on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest
from experiment_helpers import GRID, write_experiment
from test_cli import assert_one_error_line, run_cli

from ckm_sim.experiments import execute

NORMAL = """
[factors.it_systems]
distribution = "normal"
mean = 0.5
sd = 1.0
[design]
method = "latin_hypercube"
samples = 30
"""


def _sweep_argv(tmp_path: Path, path: Path) -> list[str]:
    return ["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]


def _sweep(tmp_path: Path, path: Path) -> tuple[int, str, str]:
    return run_cli(_sweep_argv(tmp_path, path))


def test_a_normal_factor_without_range_is_checked_before_any_run(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, NORMAL, replications=1)
    code, _, stderr = _sweep(tmp_path, path)
    assert_one_error_line(code, stderr, str(path), "it_systems")
    assert code == 2 and "design point" in stderr
    assert not (tmp_path / "out" / "tiny" / "runs").exists()


@pytest.mark.parametrize(
    ("rows", "key"),
    [
        ("it_systems,customers\n0.5,100\n1.5,100\n", "it_systems"),
        ("it_systems,customers\n0.5,100\n0.7,-5\n", "customers"),
        ("it_systems,customers\n0.5,100\n0.7,many\n", "customers"),
        ("it_systems,community\n0.5,none\n0.7,ring\n", "community"),
        ("it_systems,customers\n0.5,100\n,100\n", "it_systems"),  # empty: NaN
    ],
)
def test_csv_design_values_are_checked_before_any_run(tmp_path: Path, rows: str, key: str) -> None:
    (tmp_path / "points.csv").write_text(rows)
    body = '[design]\nmethod = "csv"\npoints = "points.csv"\n'
    path = tmp_path / "c.toml"
    path.write_text('name = "c"\nreplications = 1\nperiods = 2\n' + body)
    code, _, stderr = _sweep(tmp_path, path)
    assert_one_error_line(code, stderr, str(path), key)
    assert not (tmp_path / "out" / "c" / "runs").exists()


def test_when_every_run_fails_stderr_says_why(tmp_path: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the model broke")

    monkeypatch.setattr(execute, "run_scenario", broken)
    path = write_experiment(tmp_path, GRID, replications=2, periods=2)
    code, _, stderr = run_cli([*_sweep_argv(tmp_path, path), "--no-report"])
    assert code == 1
    assert "every run" in stderr and "8 of 8" in stderr and "the model broke" in stderr
    assert "Traceback" not in stderr
