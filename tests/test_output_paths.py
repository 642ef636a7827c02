"""Issue 10, point 1: names that become folders are plain names, and every writer stays inside
the ``--out`` folder it was given (scenario names, experiment names, report names)."""

from __future__ import annotations

from pathlib import Path

import pytest
from experiment_helpers import GRID, write_experiment
from test_cli import TINY, assert_one_error_line, run_cli

from ckm_sim.errors import CKMError
from ckm_sim.io import inside
from ckm_sim.model.scenario import ScenarioError, validate_scenario

ESCAPES = ["../../x", "/abs/path", "..", ".", "a/b", "a\\b", ".hidden", "", "x" * 101, " x"]


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ESCAPES)
def test_scenario_names_must_be_plain(name: str) -> None:
    with pytest.raises(ScenarioError, match="'name'"):
        validate_scenario({"name": name})


@pytest.mark.parametrize("name", ["baseline", "my firm", "it_only-2", "v1.2", "Kundenbindung_ä"])
def test_plain_names_are_accepted(name: str) -> None:
    assert validate_scenario({"name": name}).name == name


def test_run_with_a_climbing_name_writes_nothing_outside_out(tmp_path: Path) -> None:
    work = tmp_path / "a"
    work.mkdir()
    for name in ("../../x", str(tmp_path / "abs")):
        path = work / "n.toml"
        path.write_text(f'name = "{name}"\nperiods = 1\n' + TINY.split("\n", 3)[3])
        code, _, stderr = run_cli(["run", str(path), "--out", str(work / "out"), "--quiet"])
        assert_one_error_line(code, stderr, str(path), "name")
    assert _files(tmp_path) == {work / "n.toml"}


def test_experiment_name_dot_dot_is_refused(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, GRID, name="..")
    out = tmp_path / "deep" / "out"
    code, _, stderr = run_cli(["sweep", str(path), "--out", str(out), "--quiet"])
    assert_one_error_line(code, stderr, str(path), "name")
    assert not (tmp_path / "deep").exists()


@pytest.mark.parametrize("command", ["compare", "optimize", "calibrate"])
def test_report_names_are_plain(tmp_path: Path, command: str) -> None:
    argv = {
        "compare": ["compare", "baseline", "it_only"],
        "optimize": ["optimize", "baseline", "--budget", "100"],
        "calibrate": ["calibrate", "baseline", "--retention", "data/retention_sample.csv"],
    }[command]
    with pytest.raises(SystemExit) as exit_info:
        run_cli([*argv, "--name", "../..", "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    assert not (tmp_path / "out").exists()


def test_inside_refuses_every_escape(tmp_path: Path) -> None:
    root = tmp_path / "out"
    assert inside(root, "compare", "a_vs_b") == root / "compare" / "a_vs_b"
    for name in ESCAPES:
        with pytest.raises(CKMError):
            inside(root, "compare", name)


def test_compare_default_name_from_climbing_scenario_names_is_refused(tmp_path: Path) -> None:
    work = tmp_path / "a"
    work.mkdir()
    paths = []
    for i, name in enumerate(["../../x", "y"]):
        paths.append(work / f"s{i}.toml")
        paths[-1].write_text(f'name = "{name}"\n' + TINY.split("\n", 1)[1])
    argv = ["compare", *map(str, paths), "-r", "2", "--periods", "1", "--quiet"]
    code, _, stderr = run_cli([*argv, "--out", str(work / "out")])
    assert_one_error_line(code, stderr, str(paths[0]), "name")
    assert _files(tmp_path) == set(paths)
