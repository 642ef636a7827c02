"""Issue 10, point 2: no traceback for deeply nested TOML, non-finite retention data, a
read-only or full disk; each failure is one line with its own exit code (``--help`` lists them)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from experiment_helpers import GRID, write_experiment
from test_cli import assert_one_error_line, run_cli

from ckm_sim import io as ckm_io
from ckm_sim.cli import main
from ckm_sim.errors import EXIT_CODES, CKMError, LockedError, OutputError, TooLargeError

DEEP_ARRAY = "a = " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_INLINE = "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n"
DEEP_DOTTED = "[fixed]\n" + ".".join(["x"] * 3000) + " = 1\n"


def test_exit_codes_are_distinct_and_listed_in_help(capsys) -> None:
    codes = [CKMError.exit_code, OutputError.exit_code, LockedError.exit_code]
    codes.append(TooLargeError.exit_code)
    assert len(set(codes)) == len(codes) and 1 not in codes and 0 not in codes
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "exit codes" in text
    for code in EXIT_CODES:
        assert f"  {code} " in text


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_INLINE])
def test_deep_nesting_in_a_scenario_is_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "d.toml"
    path.write_text(text)
    code, _, stderr = run_cli(["validate", str(path)])
    assert_one_error_line(code, stderr, str(path), None)
    assert code == 2 and "nested" in stderr


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_INLINE, DEEP_DOTTED])
def test_deep_nesting_in_an_experiment_is_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "d.toml"
    path.write_text('name = "d"\n[design]\nmethod = "sobol"\n' + text)
    code, _, stderr = run_cli(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    assert_one_error_line(code, stderr, str(path), None)
    assert code == 2 and "nested" in stderr


@pytest.mark.parametrize("value", ["inf", "1e400", "-inf", "nan", "-1e999"])
def test_non_finite_retention_values_are_one_line(tmp_path: Path, value: str) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text(f"period,active\n0,{value}\n1,90\n")
    code, _, stderr = run_cli(["calibrate", "baseline", "--retention", str(csv), "--quiet"])
    assert_one_error_line(code, stderr, str(csv), "line 2")
    assert code == 2 and "must be finite numbers" in stderr


def _tiny_sweep(tmp_path: Path, out: Path) -> list[str]:
    path = write_experiment(tmp_path, GRID, replications=1, periods=2)
    return ["sweep", str(path), "--out", str(out), "--quiet", "--workers", "1"]


def test_sweep_into_an_unwritable_out_is_one_line_exit_3(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, stderr = run_cli(_tiny_sweep(tmp_path, blocker / "out"))
    assert_one_error_line(code, stderr, "", None)
    assert code == OutputError.exit_code and "Not a directory" in stderr


def _disk_full_under(monkeypatch, root: Path) -> None:
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(dst).startswith(str(root)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(ckm_io.os, "replace", replace)


def test_full_disk_during_a_sweep_is_one_line_exit_3(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    _disk_full_under(monkeypatch, out)
    code, _, stderr = run_cli(_tiny_sweep(tmp_path, out))
    assert_one_error_line(code, stderr, "", None)
    assert code == OutputError.exit_code and "No space left" in stderr


def test_analyze_on_an_unwritable_folder_is_one_line_exit_3(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    argv = _tiny_sweep(tmp_path, out)
    assert run_cli([*argv, "--no-report"])[0] == 0
    _disk_full_under(monkeypatch, out / "tiny" / "figures")
    _disk_full_under(monkeypatch, out / "tiny")
    code, _, stderr = run_cli(["analyze", str(out / "tiny")])
    assert_one_error_line(code, stderr, str(out / "tiny"), None)
    assert code == OutputError.exit_code


def test_run_into_a_full_disk_is_exit_3(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    _disk_full_under(monkeypatch, out)
    code, _, stderr = run_cli(["run", "baseline", "--periods", "1", "--out", str(out), "--quiet"])
    assert_one_error_line(code, stderr, str(out), None)
    assert code == OutputError.exit_code
