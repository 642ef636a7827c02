"""A normal (non-editable) install works: the wheel ships the scenarios, experiments and py.typed,
and its command line runs from a folder outside the repository, without the source tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from ckm_sim import __version__

REPO = Path(__file__).resolve().parent.parent
SHIPPED_SCENARIOS = sorted(p.stem for p in (REPO / "scenarios").glob("*.toml"))
SHIPPED_EXPERIMENTS = sorted(p.stem for p in (REPO / "experiments").glob("*.toml"))

pytestmark = pytest.mark.slow


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A wheel built from a copy of the package, installed with --no-deps into a fresh venv
    whose only link to the dev environment is a .pth line to its site-packages (the
    dependencies); a working folder outside the repository."""
    root = tmp_path_factory.mktemp("install")
    # inside a git repository of its own: the wheel must still not claim that repository's commit
    git = ["git", "-C", root, "-c", "user.name=t", "-c", "user.email=t@t"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    _run([*git, "init", "-q"], root, env)
    _run([*git, "commit", "-q", "--allow-empty", "-m", "not ckm-sim"], root, env)
    source = root / "source"  # a copy, so the build writes nothing into the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "ckm_sim", source / "ckm_sim", ignore=shutil.ignore_patterns("__py*"))
    dist = root / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run([*pip, "wheel", "--no-deps", "-w", dist, source], root, env)
    (wheel,) = dist.glob("ckm_sim-*.whl")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], root, env)
    python = venv / "bin" / "python"
    _run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], root, env)
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root, env
        ).stdout.strip()
    )
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_dev_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")
    work = root / "work"
    work.mkdir()
    env["MPLBACKEND"] = "Agg"
    return {"wheel": wheel, "venv": venv, "python": python, "work": work, "env": env}


def test_the_wheel_ships_the_data_and_the_type_marker(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert "ckm_sim/py.typed" in names
    assert "ckm_sim/__main__.py" in names
    for stem in SHIPPED_SCENARIOS:
        assert f"ckm_sim/data/scenarios/{stem}.toml" in names
    for stem in SHIPPED_EXPERIMENTS:
        assert f"ckm_sim/data/experiments/{stem}.toml" in names
    assert SHIPPED_SCENARIOS and SHIPPED_EXPERIMENTS
    for example in ("retention_sample.csv", "retention_sbg.csv", "plans_early_vs_spread.toml"):
        assert f"ckm_sim/data/examples/{example}" in names  # the README's data/ files


def test_the_installed_package_is_the_wheel_not_the_source_tree(installed):
    code = "import ckm_sim, json, sys; print(json.dumps([ckm_sim.__file__, sys.path]))"
    out = _run([installed["python"], "-c", code], installed["work"], installed["env"]).stdout
    location, path = json.loads(out)
    assert Path(location).is_relative_to(installed["venv"])
    assert str(REPO) not in {p.rstrip("/") for p in path}  # only the deps' site-packages


def test_installed_command_line_lists_and_runs_the_shipped_scenarios(installed):
    ckm_sim = installed["venv"] / "bin" / "ckm-sim"
    work, env = installed["work"], installed["env"]
    listed = _run([ckm_sim, "scenarios"], work, env).stdout.split()
    assert set(SHIPPED_SCENARIOS) <= set(listed)
    _run([ckm_sim, "run", "baseline", "--periods", "6", "--out", "out", "--quiet"], work, env)
    summary = json.loads((work / "out" / "baseline" / "summary.json").read_text())
    assert summary["summary"]["periods"] == 6 and summary["summary"]["seed"] == 42
    version = _run([installed["python"], "-m", "ckm_sim", "--version"], work, env).stdout
    assert version.strip() == f"ckm-sim {__version__}"


def test_installed_sweep_runs_a_shipped_experiment(installed):
    python, work, env = installed["python"], installed["work"], installed["env"]
    find = (
        "from ckm_sim.experiments.spec import resolve_experiment_path as r; print(r('quickstart'))"
    )
    shipped = Path(_run([python, "-c", find], work, env).stdout.strip())
    assert shipped.is_relative_to(installed["venv"])
    text = shipped.read_text(encoding="utf-8")  # the shipped experiment, made small
    text = text.replace("replications = 10", "replications = 2").replace(
        "periods = 120", "periods = 3"
    )
    text += "\n[fixed]\ncustomers = 40\nprospects = 20\nemployees = 10\n"
    (work / "quickstart.toml").write_text(text, encoding="utf-8")
    sweep = [installed["venv"] / "bin" / "ckm-sim", "sweep", "quickstart.toml", "--workers", "1"]
    _run([*sweep, "--out", "out", "--quiet"], work, env)
    manifest = json.loads((work / "out" / "quickstart" / "manifest.json").read_text())
    assert manifest["ckm_sim_version"] == __version__
    assert manifest["git"] is None  # an installed wheel is no source checkout, not even in a repo
    assert (work / "out" / "quickstart" / "report.md").exists()


def test_type_checkers_see_the_installed_public_api(installed):
    # py.typed makes mypy read the installed package; the TYPE_CHECKING imports of the lazy
    # exports make CKMModel a class rather than Any
    work = installed["work"]
    (work / "snippet.py").write_text(
        "from ckm_sim import CKMModel, run_scenario\n"
        "model = CKMModel('baseline', rng=1)\n"
        "reveal_type(model)\n"
        "reveal_type(model.network)\n"
        "reveal_type(model.timeseries())\n"
        "reveal_type(run_scenario('baseline').summary)\n"
    )
    mypy = [sys.executable, "-m", "mypy", "--python-executable", installed["python"]]
    args = [*mypy, "--strict", "--cache-dir", work / ".mypy_cache", "snippet.py"]
    out = _run(args, work, installed["env"]).stdout
    assert 'Revealed type is "ckm_sim.model.model.CKMModel"' in out
    assert 'Revealed type is "networkx.classes.graph.Graph[int' in out
    assert 'Revealed type is "pandas.core.frame.DataFrame"' in out
    assert 'Revealed type is "dict[str, Any]"' in out
