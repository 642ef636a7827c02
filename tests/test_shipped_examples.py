"""The example files the README uses (``data/retention_sample.csv``, ``data/retention_sbg.csv``,
``data/plans_early_vs_spread.toml``) ship in the package and are found from any folder, as an
installed wheel's user runs them (issue 25, defect 8)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ckm_sim.model.scenario import load_scenario
from ckm_sim.tomlfiles import shipped_folder
from ckm_sim.whatif.calibrate.survival import read_retention
from ckm_sim.whatif.optimize.plans import load_plans

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("retention_sample.csv", "retention_sbg.csv", "plans_early_vs_spread.toml")


def test_the_examples_are_package_data() -> None:
    folder = shipped_folder("examples")
    for name in EXAMPLES:
        assert (folder / name).is_file(), name
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"]["ckm_sim"]
    assert "data/examples/*.csv" in patterns and "data/examples/*.toml" in patterns


def test_the_readmes_paths_work_from_any_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no data/ here, as after pip install ckm-sim
    assert len(read_retention("data/retention_sample.csv")) > 3
    assert len(load_plans(load_scenario("baseline"), "data/plans_early_vs_spread.toml")) == 2


def test_a_file_of_ones_own_comes_first(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "retention_sample.csv").write_text("period,active\n0,10\n1,9\n2,8\n")
    assert len(read_retention("data/retention_sample.csv")) == 3


@pytest.mark.parametrize("name", ["data/no_such.csv", "elsewhere/retention_sample.csv"])
def test_other_missing_files_stay_missing(tmp_path, monkeypatch, name) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception, match="no such retention file"):
        read_retention(name)
