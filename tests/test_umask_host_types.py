"""Issue 10, point 7: results files follow the umask, an invalid dashboard address is named as
such, and a number written as a string in a scenario file is refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from test_cli import assert_one_error_line, run_cli

from ckm_sim.io import write_json, write_text, write_with
from ckm_sim.model.scenario import ScenarioError, validate_scenario


@pytest.fixture
def umask():
    def set_mask(mask: int) -> None:
        os.umask(mask)

    previous = os.umask(0o022)
    yield set_mask
    os.umask(previous)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_written_files_follow_the_umask(tmp_path: Path, umask, mask: int) -> None:
    umask(mask)
    paths = [
        write_text(tmp_path / "a.txt", "x"),
        write_json(tmp_path / "b.json", {"a": 1}),
        write_with(tmp_path / "c.bin", lambda tmp: tmp.write_bytes(b"1")),
    ]
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path


def test_sweep_results_are_group_readable_with_umask_022(tmp_path: Path, umask) -> None:
    from experiment_helpers import GRID, write_experiment

    umask(0o022)
    path = write_experiment(tmp_path, GRID, replications=1, periods=2)
    argv = ["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]
    assert run_cli([*argv, "--no-report"])[0] == 0
    files = [p for p in (tmp_path / "out" / "tiny").rglob("*") if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in files)


@pytest.mark.parametrize("host", ["999.1.1.1", "1.2.3", "::zz", "not a host"])
def test_dashboard_says_an_invalid_address_is_invalid(capsys, host: str) -> None:
    pytest.importorskip("solara")
    from ckm_sim.commands import dashboard

    assert dashboard.main(["--host", host, "--port", "8765"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not a valid" in err and "in use" not in err


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"periods": "120"}, "periods"),
        ({"seed": "7"}, "seed"),
        ({"market": {"customers": "100"}}, "customers"),
        ({"market": {"fixed_churn": "0.1"}}, "fixed_churn"),
        ({"competence": {"it_systems": "0.5"}}, "it_systems"),
    ],
)
def test_numbers_given_as_strings_are_refused(data: dict, key: str) -> None:
    with pytest.raises(ScenarioError, match=key):
        validate_scenario(data)


def test_string_periods_in_a_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('periods = "120"\n')
    code, _, stderr = run_cli(["validate", str(path)])
    assert_one_error_line(code, stderr, str(path), "periods")


def test_strings_for_text_fields_still_pass() -> None:
    scenario = validate_scenario({"name": "x", "market": {"community": "none"}})
    assert scenario.market.community == "none"
