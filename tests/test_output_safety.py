"""Issue 27, points 1, 2, 5 and 7: no symlink is followed out of ``--out``, every output path is
derived and checked (in bytes, in NFC) before the first run, a folder in the current directory
does not hide a shipped name, and special files are refused at once."""

from __future__ import annotations

import os
import threading
import unicodedata
from pathlib import Path

import pytest
from experiment_helpers import GRID, write_experiment
from test_cli import assert_one_error_line, run_cli
from whatif_helpers import tiny_scenario

from ckm_sim import names
from ckm_sim.cli import main
from ckm_sim.errors import OutputError
from ckm_sim.model.scenario import ScenarioError, validate_scenario
from ckm_sim.names import plain_name_problem

CJK = "中" * 100  # 100 characters, 300 bytes


class Ran(Exception):
    """Raised by a stand-in for the runs: the command got as far as running."""


def _no_runs(monkeypatch) -> None:
    """Any run ends the command with :class:`Ran` (a traceback, not one line)."""

    def ran(*args, **kwargs):
        raise Ran

    monkeypatch.setattr("ckm_sim.whatif.compare.differences.compare", ran)
    monkeypatch.setattr("ckm_sim.whatif.calibrate.fit.calibrate", ran)
    monkeypatch.setattr("ckm_sim.whatif.optimize.budget.optimise_budget", ran)
    monkeypatch.setattr("ckm_sim.model.model.CKMModel.run", ran)


# ------------------------------------------------------------------ point 1: symlinks under --out
def test_a_symlinked_lock_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, GRID, name="la", replications=1, periods=1)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / ".la.lock").symlink_to(victim)
    code, _, stderr = run_cli(["sweep", str(path), "--out", str(out), "--quiet", "--workers", "1"])
    assert_one_error_line(code, stderr, ".la.lock", "symbolic link")
    assert code == OutputError.exit_code
    assert victim.read_text() == "precious\n"
    assert not (out / "la").exists()


@pytest.mark.parametrize("command", ["run", "compare", "calibrate", "optimize", "sweep"])
def test_a_symlinked_results_folder_is_refused_before_any_run(
    tmp_path: Path, monkeypatch, command: str
) -> None:
    _no_runs(monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    sc = tiny_scenario(tmp_path)
    (tmp_path / "exp").mkdir()
    exp = write_experiment(tmp_path / "exp", GRID, replications=1, periods=1)
    argv, folder = {
        "run": (["run", str(sc)], out / "tiny"),
        "compare": (["compare", str(sc), "baseline"], out / "compare" / "tiny_vs_baseline"),
        "calibrate": (
            ["calibrate", str(sc), "--retention", "data/retention_sample.csv"],
            out / "calibrate" / "tiny_retention_sample",
        ),
        "optimize": (["optimize", str(sc), "--budget", "100"], out / "optimize" / "tiny_budget100"),
        "sweep": (["sweep", str(exp), "--workers", "1"], out / "tiny"),
    }[command]
    folder.parent.mkdir(parents=True)
    folder.symlink_to(elsewhere, target_is_directory=True)
    code, _, stderr = run_cli([*argv, "--out", str(out), "--quiet"])
    assert_one_error_line(code, stderr, str(folder), "symbolic link")
    assert code == OutputError.exit_code
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_subfolder_of_the_results_is_not_written_through(tmp_path: Path) -> None:
    from ckm_sim.io import write_text

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "figures").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="symbolic link"):
        write_text(tmp_path / "out" / "figures" / "a.txt", "x")
    assert list(elsewhere.iterdir()) == []


# ----------------------------------------------------- point 2: output paths before the first run
def test_a_name_is_bounded_in_bytes_not_only_characters(capsys) -> None:
    assert "bytes" in str(plain_name_problem(CJK))
    with pytest.raises(ScenarioError, match="bytes"):
        validate_scenario({"name": CJK})
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "baseline", "it_only", "--name", CJK])
    assert exit_info.value.code == 2 and "bytes" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text",
    ["cohort (2024)", "x" * 300, CJK + CJK, "a/b\\c", ".hidden", " spaced ", "", "é" * 150],
)
def test_short_names_are_plain_and_distinct(text: str) -> None:
    name = names.short_name(text)
    assert plain_name_problem(name) is None, (text, name)
    assert len(name.encode()) <= names.MAX_NAME_BYTES
    if len(text) > 100:
        assert names.short_name(text + "!") != name


def test_calibrate_derives_a_plain_default_name_from_any_file_name(tmp_path: Path) -> None:
    sc = tiny_scenario(tmp_path)
    csv = tmp_path / "cohort (2024).csv"
    csv.write_text("period,active\n0,300\n1,290\n2,281\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["calibrate", str(sc), "--retention", str(csv), "--fit", "competitor_pull"]
    argv += ["--trials", "2", "-r", "1", "--eval-replications", "2", "--out", str(out), "--quiet"]
    argv += ["--workers", "1"]
    code, _, stderr = run_cli(argv)
    assert code == 0, stderr
    assert (out / "calibrate" / "tiny_cohort _2024_" / "report.md").is_file()


def test_compare_with_long_add_names_gets_a_short_default_name(tmp_path: Path) -> None:
    sc = tiny_scenario(tmp_path)
    out = tmp_path / "out"
    argv = [
        "compare",
        str(sc),
        "--add",
        "inter_functional_cooperation=30,organisational_systems=30",
    ]
    argv += ["--add", "customer_cooperation=30,learning_culture=30", "-r", "2", "--periods", "2"]
    argv += ["--workers", "1"]
    code, _, stderr = run_cli([*argv, "--out", str(out), "--quiet"])
    assert code == 0, stderr
    (folder,) = (out / "compare").iterdir()
    assert len(folder.name) <= 100 and (folder / "report.md").is_file()


def test_optimize_plans_of_a_long_scenario_name_gets_a_short_default_name(tmp_path: Path) -> None:
    long = "s" * 96
    sc = tiny_scenario(tmp_path, long)
    plans = tmp_path / "plans.toml"
    plans.write_text("[early]\n[[early.phases]]\nstart = 1\nit_systems = 1000\n")
    out = tmp_path / "out"
    argv = [
        "optimize",
        str(sc),
        "--plans",
        str(plans),
        "-r",
        "2",
        "--periods",
        "2",
        "--workers",
        "1",
    ]
    code, _, stderr = run_cli([*argv, "--out", str(out), "--quiet"])
    assert code == 0, stderr
    (folder,) = (out / "optimize").iterdir()
    assert folder.name.startswith(long[:90]) and len(folder.name) <= 100


def test_an_output_path_too_long_for_the_file_system_is_refused_before_any_run(
    tmp_path: Path, monkeypatch
) -> None:
    _no_runs(monkeypatch)
    out = tmp_path.joinpath(*["d" * 200] * 20)  # over 4,000 bytes
    code, _, stderr = run_cli(["compare", "baseline", "it_only", "--out", str(out), "--quiet"])
    assert_one_error_line(code, stderr, "longer than", None)
    assert code == 2


# ------------------------------------------------------- point 7: names in NFC, special files
def test_a_decomposed_name_is_the_precomposed_one() -> None:
    decomposed = unicodedata.normalize("NFD", "Kundenbindung_é")
    assert decomposed != "Kundenbindung_é"
    assert validate_scenario({"name": decomposed}).name == "Kundenbindung_é"
    assert plain_name_problem(decomposed) is None


def _special(kind: str, tmp_path: Path) -> Path:
    if kind == "folder":
        (tmp_path / "dir.toml").mkdir()
        return tmp_path / "dir.toml"
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo.toml")
        return tmp_path / "fifo.toml"
    return Path("/dev/zero")


SPECIAL = ["folder", "fifo", "/dev/zero"]


def _bounded(argv: list[str]) -> tuple[int, str, str]:
    """``run_cli(argv)``; a FIFO with no writer must not block (a writer is opened after 20 s
    so that a blocking read ends and the test fails instead of hanging)."""
    done = threading.Event()
    fifos = [a for a in argv if a.endswith("fifo.toml") or a.endswith("fifo.csv")]

    def unblock() -> None:
        if not done.wait(20):
            for fifo in fifos:
                with open(fifo, "w") as handle:
                    handle.write("x")

    threading.Thread(target=unblock, daemon=True).start()
    try:
        return run_cli(argv)
    finally:
        done.set()


@pytest.mark.parametrize("kind", SPECIAL)
def test_validate_refuses_a_special_file_without_blocking(tmp_path: Path, kind: str) -> None:
    path = _special(kind, tmp_path)
    code, _, stderr = _bounded(["validate", str(path)])
    assert_one_error_line(code, stderr, str(path), "folder" if kind == "folder" else None)
    assert "not a regular file" in stderr or "is a folder" in stderr
    assert code == 2


@pytest.mark.parametrize("kind", SPECIAL)
def test_calibrate_refuses_a_special_retention_file(tmp_path: Path, kind: str) -> None:
    path = _special(kind, tmp_path)
    if kind == "fifo":
        os.rename(path, tmp_path / "fifo.csv")
        path = tmp_path / "fifo.csv"
    argv = ["calibrate", "baseline", "--retention", str(path), "--out", str(tmp_path / "o")]
    code, _, stderr = _bounded(argv)
    assert_one_error_line(code, stderr, str(path), "not a regular file")
    assert code == 2


# ------------------------------------------------ point 5: a folder does not hide a shipped name
def test_a_folder_named_like_a_shipped_experiment_does_not_hide_it(
    tmp_path: Path, monkeypatch
) -> None:
    from ckm_sim.experiments.spec import load_experiment
    from ckm_sim.model.scenario import load_scenario

    monkeypatch.chdir(tmp_path)
    (tmp_path / "quickstart").mkdir()
    (tmp_path / "baseline").mkdir()
    assert load_experiment("quickstart").name == "quickstart"
    assert load_scenario("baseline").name == "baseline"


def test_a_folder_that_is_no_shipped_name_says_it_is_a_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    code, _, stderr = run_cli(["validate", "mine"])
    assert_one_error_line(code, stderr, "mine", "folder")
    assert "shipped" in stderr
