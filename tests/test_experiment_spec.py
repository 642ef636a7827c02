"""Experiment files: shipped ones validate; bad ones give one clear line, never a traceback."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from experiment_helpers import GRID, write_experiment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckm_sim.cli import main
from ckm_sim.experiments.designs import build_design
from ckm_sim.experiments.spec import EXPERIMENT_DIR, ExperimentError, load_experiment

# assumptions.toml is the robustness command's uncertainty file, not an experiment
EXPERIMENTS = sorted(p for p in EXPERIMENT_DIR.glob("*.toml") if p.stem != "assumptions")


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_shipped_experiments_validate_and_build(path: Path) -> None:
    exp = load_experiment(path)
    base = exp.base_scenario()
    exp.check_against(base)
    design = build_design(exp, base)
    assert design.size >= 2
    assert exp.name == path.stem


def test_shipped_names_resolve() -> None:
    assert load_experiment("quickstart").name == "quickstart"


BAD = [
    (
        "[factors.it_systems]\nlevels = [0.0, 1.5]\n[design]\nmethod = 'full_factorial'\n",
        "factors.it_systems",
        "1.5",
    ),
    (
        "[factors.it_sistems]\nlevels = [0.0]\n[design]\nmethod = 'full_factorial'\n",
        "factors.it_sistems",
        "unknown parameter",
    ),
    (
        "[factors.it_systems]\nlevels = [0.0]\n[design]\nmethod = 'sobol'\n",
        "design.samples",
        "sobol",
    ),
    (
        "[factors.it_systems]\nrange = [0.0, 1.0]\n[design]\nmethod = 'full_factorial'\n",
        "factors.it_systems",
        "steps",
    ),
    (
        "[factors.it_systems]\nrange = [1.0, 0.0]\n[design]\nmethod = 'latin_hypercube'\n",
        "factors.it_systems",
        "low < high",
    ),
    (
        "[factors.it_systems]\nlevels = [0.0]\n[design]\nmethod = 'grid'\n",
        "design.method",
        "full_factorial",
    ),
    (
        "[factors.it_systems]\nlevels = [0.0]\ncolour = 1\n[design]\nmethod = 'full_factorial'\n",
        "factors.it_systems.colour",
        "levels",
    ),
    (
        "[factors.it_systems]\nlevels = [0.0]\n[design]\nmethod = 'full_factorial'\n"
        "[outcomes]\nreport = ['happiness']\n",
        "outcomes.report",
        "happiness",
    ),
    (
        "[factors.departments]\nlevels = [1]\n[design]\nmethod = 'full_factorial'\n",
        "factors.departments",
        "scalar",
    ),
    ("[factors.it_systems]\nlevels = [0.0]\n", "design", "required"),
    ("[factors.it_systems\nlevels = [0.0]\n", "malformed TOML", ""),
]


@pytest.mark.parametrize(("body", "key", "hint"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_experiments_give_one_line(tmp_path: Path, body: str, key: str, hint: str) -> None:
    path = write_experiment(tmp_path, body)
    with pytest.raises(ExperimentError) as err:
        exp = load_experiment(path)
        exp.check_against(exp.base_scenario())
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message and key in message and hint in message


def test_cli_reports_bad_file_in_one_line(tmp_path: Path, capsys) -> None:
    path = write_experiment(
        tmp_path, "[factors.it_systems]\nlevels = [2]\n[design]\nmethod = 'full_factorial'\n"
    )
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ckm-sim: error:") and "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_missing_experiment_lists_shipped(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="quickstart"):
        load_experiment(tmp_path / "nope.toml")


def test_spec_hash_ignores_comments(tmp_path: Path) -> None:
    a = load_experiment(write_experiment(tmp_path, GRID, name="a"))
    b_path = write_experiment(tmp_path, "# a comment\n" + GRID, name="a2")
    b = load_experiment(b_path)
    assert (
        a.model_copy(update={"name": "x"}).spec_hash()
        == b.model_copy(update={"name": "x"}).spec_hash()
    )


# ------------------------------------------------------------ hypothesis: hostile experiments
NON_FINITE = ["nan", "inf", "-inf", "1e400"]
FLOAT_FACTORS = ["it_systems", "learning_culture", "turbulence", "competitor_value"]


@st.composite
def hostile_experiments(draw) -> tuple[str, int]:
    """Experiment bodies that must be refused: non-finite factor values, deep nesting, or grid
    and sample sizes each within bounds whose product is too large. -> (body, exit code)."""
    kind = draw(st.sampled_from(["non_finite", "nested", "product"]))
    name = draw(st.sampled_from(FLOAT_FACTORS))
    if kind == "non_finite":
        value = draw(st.sampled_from(NON_FINITE))
        spot = draw(
            st.sampled_from(
                [
                    f"levels = [0.5, {value}]",
                    f"range = [0.0, {value}]",
                    f"range = [{value}, 1.0]",
                    f'distribution = "normal"\nmean = {value}\nsd = 0.1',
                    f'distribution = "normal"\nmean = 0.5\nsd = {value}',
                ]
            )
        )
        sampled = "range" in spot or "mean" in spot
        method = (
            'method = "latin_hypercube"\nsamples = 4' if sampled else 'method = "full_factorial"'
        )
        return f"[factors.{name}]\n{spot}\n[design]\n{method}\n", 2
    if kind == "nested":
        depth = draw(st.integers(25, 4000))
        return f"[fixed]\nx = {'[' * depth}1{']' * depth}\n[design]\nmethod = 'sobol'\n", 2
    steps = [draw(st.integers(50, 10_000)) for _ in range(4)]
    if draw(st.booleans()):
        body = "".join(
            f"[factors.{f}]\nrange = [0.0, 1.0]\nsteps = {s}\n"
            for f, s in zip(FLOAT_FACTORS, steps, strict=True)
        )
        return body + '[design]\nmethod = "full_factorial"\n', 5
    samples = draw(st.integers(2_000_000, 10_000_000))
    body = "".join(f"[factors.{f}]\nrange = [0.0, 1.0]\n" for f in FLOAT_FACTORS)
    return body + f'[design]\nmethod = "sobol"\nsamples = {samples}\n', 5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_experiments())
def test_hostile_experiments_are_one_line_before_any_run(case) -> None:
    body, expected = case
    with tempfile.TemporaryDirectory() as tmp:
        path = write_experiment(Path(tmp), body)
        out = Path(tmp) / "out"
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["sweep", str(path), "--out", str(out), "--quiet", "--max-memory", "2G"])
        lines = err.getvalue().strip().split("\n")
        assert code == expected, err.getvalue()
        assert len(lines) == 1 and lines[0].startswith("ckm-sim: error:") and str(path) in lines[0]
        assert not (out / "tiny" / "runs").exists()
