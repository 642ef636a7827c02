"""The package as a library: its public names are visible to type checkers, it carries the
py.typed marker and runs as ``python -m ckm_sim``."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from importlib import resources
from pathlib import Path

import ckm_sim

INIT = Path(ckm_sim.__file__)


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module
                found |= {alias.name: imp.module for alias in imp.names}
    return found


def test_lazy_exports_are_imported_for_type_checkers():
    # without these imports `from ckm_sim import CKMModel` is Any to mypy and pyright
    assert _type_checking_imports() == ckm_sim._EXPORTS
    assert sorted(ckm_sim.__all__) == sorted([*ckm_sim._EXPORTS, "__version__"])
    for name, module in ckm_sim._EXPORTS.items():
        assert getattr(ckm_sim, name) is getattr(importlib.import_module(module), name)


def test_the_package_carries_the_py_typed_marker():
    assert resources.files("ckm_sim").joinpath("py.typed").is_file()


def test_python_dash_m_runs_the_command_line():
    run = [sys.executable, "-m", "ckm_sim"]
    version = subprocess.run([*run, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.strip() == f"ckm-sim {ckm_sim.__version__}"
    listed = subprocess.run([*run, "scenarios"], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and "baseline" in listed.stdout
    bad = subprocess.run([*run, "run", "no_such_scenario"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("ckm-sim: error: no_such_scenario")
