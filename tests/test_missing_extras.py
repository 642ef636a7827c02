"""A missing optional dependency is one line naming the extra that installs it, with an exit code
of its own (issue 25, defect 1): each case runs ``ckm-sim`` in a fresh interpreter where the
module is blocked (``sys.modules[name] = None``, as if it were not installed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ckm_sim.errors import EXIT_CODES, MissingExtraError

ROOT = Path(__file__).resolve().parents[1]
RETENTION = str(ROOT / "data" / "retention_sample.csv")


def _cli_without(modules: list[str], argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    sys.modules[name] = None\n"
        "from ckm_sim.cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=120
    )


CASES = [
    (["optuna"], ["optimize", "baseline", "--budget", "2500", "--quiet"], "optimize"),
    (
        ["optuna"],
        ["calibrate", "baseline", "--retention", RETENTION, "--trials", "2", "--quiet"],
        "optimize",
    ),
    (["distributed"], ["compare", "baseline", "it_only", "--scheduler", "tcp://x:1"], "dask"),
    (["distributed"], ["sweep", "quickstart", "--dask-local", "--quiet"], "dask"),
    (["solara"], ["dashboard", "--port", "59999"], "viz"),
]


@pytest.mark.parametrize(("blocked", "argv", "extra"), CASES, ids=[c[1][0] for c in CASES])
def test_a_missing_extra_is_one_line_naming_it(
    tmp_path: Path, blocked: list[str], argv: list[str], extra: str
) -> None:
    if argv[0] in {"compare", "sweep", "optimize", "calibrate"}:
        argv = [*argv, "--out", str(tmp_path / "out")]
    done = _cli_without(blocked, argv, tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("ckm-sim: error: "), lines[0]
    assert f'pip install "ckm-sim[{extra}]"' in lines[0]
    assert blocked[0] in lines[0]
    assert done.returncode == MissingExtraError.exit_code
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_the_exit_code_is_its_own_and_documented() -> None:
    code = MissingExtraError.exit_code
    assert code in EXIT_CODES and "extra" in EXIT_CODES[code]
    others = [c for c in EXIT_CODES if c != code]
    assert code not in others
    table = (ROOT / "docs" / "sweeps.md").read_text()
    assert f"| {code} | " in table
    row = next(line for line in table.splitlines() if line.startswith(f"| {code} | "))
    assert "extra" in row
