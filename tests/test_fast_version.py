"""``ckm-sim --version`` answers without importing the scientific stack (issue 25, defect 9)."""

from __future__ import annotations

import subprocess
import sys

from ckm_sim import __version__

HEAVY = ("numpy", "pandas", "pydantic", "rich", "mesa", "numba", "scipy")


def test_version_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from ckm_sim.cli import main\n"
        "try:\n"
        "    code = main(['--version'])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        f"print(code, sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    lines = done.stdout.strip().splitlines()
    assert lines[0] == f"ckm-sim {__version__}"
    assert lines[1] == "0 []", done.stdout
