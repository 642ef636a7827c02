"""Issue 10, point 3: sizes that pass validation but would exhaust memory or hang are refused
up front, in one line stating the estimate and the limit; file reads and options are bounded."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from test_cli import assert_one_error_line, run_cli

from ckm_sim.errors import TooLargeError
from ckm_sim.limits import MAX_FILE_BYTES, parse_memory, read_capped
from ckm_sim.memory import scenario_bytes
from ckm_sim.model.model import CKMModel
from ckm_sim.model.scenario import load_scenario

HUGE = "[market]\ncustomers = 5000000\nprospects = 5000000\nneed_dimensions = 1000\n"


@pytest.mark.parametrize(
    "sizes",
    [
        {"customers": 4000, "prospects": 2000, "need_dimensions": 200},
        {"customers": 20000, "prospects": 0, "need_dimensions": 30, "community_degree": 30},
        {"customers": 500, "prospects": 0, "employees": 3000, "segments": 50},
    ],
)
def test_model_estimate_is_within_a_factor_of_two_of_the_measured_peak(sizes) -> None:
    scenario = load_scenario("baseline").with_overrides(**sizes)
    tracemalloc.start()
    try:
        CKMModel(scenario, rng=1, collect=False).run(2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    ratio = scenario_bytes(scenario.flat()) / peak
    assert 0.5 <= ratio <= 2.0, ratio


def test_a_huge_model_is_refused_before_allocating(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(HUGE)
    start = time.perf_counter()
    code, _, stderr = run_cli(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    assert time.perf_counter() - start < 10
    assert_one_error_line(code, stderr, "huge", "--max-memory")
    assert code == TooLargeError.exit_code and "GiB" in stderr
    assert not (tmp_path / "out").exists()


def test_max_memory_option_lowers_the_limit(tmp_path: Path) -> None:
    argv = ["run", "baseline", "--periods", "1", "--quiet", "--out", str(tmp_path / "out")]
    code, _, stderr = run_cli([*argv, "--max-memory", "1M"])
    assert code == TooLargeError.exit_code and "1.0 MiB" in stderr
    assert run_cli([*argv, "--max-memory", "4G"])[0] == 0


@pytest.mark.parametrize("command", ["compare", "optimize", "calibrate"])
def test_whatif_commands_check_memory(tmp_path: Path, command: str) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(HUGE)
    argv = {
        "compare": ["compare", str(path), "baseline"],
        "optimize": ["optimize", str(path), "--budget", "100"],
        "calibrate": ["calibrate", str(path), "--retention", "data/retention_sample.csv"],
    }[command]
    code, _, stderr = run_cli([*argv, "--out", str(tmp_path / "out"), "--quiet"])
    assert code == TooLargeError.exit_code, stderr
    assert stderr.count("\n") == 1 and "--max-memory" in stderr


FACTORIAL = (
    "".join(
        f"[factors.{name}]\nrange = [0.0, 1.0]\nsteps = 10000\n"
        for name in ("it_systems", "learning_culture", "customer_cooperation", "turbulence")
    )
    + '[design]\nmethod = "full_factorial"\n'
)
SOBOL = (
    "[factors.it_systems]\nrange = [0.0, 1.0]\n[factors.learning_culture]\nrange = [0.0, 1.0]\n"
    '[design]\nmethod = "sobol"\nsamples = 10000000\n'
)
BIG_POINTS = (  # customers x need dimensions: each in bounds, their product too large
    "[factors.customers]\nlevels = [100, 5000000]\n[factors.need_dimensions]\n"
    'levels = [10, 1000]\n[design]\nmethod = "full_factorial"\n'
)


@pytest.mark.parametrize("body", [FACTORIAL, SOBOL, BIG_POINTS])
def test_huge_designs_are_refused_before_they_are_built(tmp_path: Path, body: str) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text('name = "tiny"\nscenario = "baseline"\n' + body)
    tracemalloc.start()
    try:
        start = time.perf_counter()
        code, _, stderr = run_cli(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"])
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_one_error_line(code, stderr, str(path), "--max-memory")
    assert code == TooLargeError.exit_code
    assert seconds < 20 and peak < 200 * 2**20  # refused before anything large was made
    assert not (tmp_path / "out" / "tiny").exists()


def test_reads_are_capped_and_dev_zero_is_refused_fast(tmp_path: Path) -> None:
    start = time.perf_counter()
    code, _, stderr = run_cli(["validate", "/dev/zero"])
    assert time.perf_counter() - start < 5
    assert_one_error_line(code, stderr, "/dev/zero", "not a regular file")
    assert code == 2  # issue 27: anything but a regular file is bad input
    big = tmp_path / "big.csv"
    big.write_bytes(b"period,active\n" + b"0,1\n" * (MAX_FILE_BYTES // 4))
    with pytest.raises(TooLargeError):
        read_capped(big)
    code, _, stderr = run_cli(["calibrate", "baseline", "--retention", str(big), "--quiet"])
    assert code == TooLargeError.exit_code and str(big) in stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "baseline", "--periods", "1000000000000"],
        ["run", "baseline", "--periods", "100001"],
        ["compare", "baseline", "it_only", "--periods", "100001"],
        ["compare", "baseline", "it_only", "--replications", "1000000000"],
        ["optimize", "baseline", "--budget", "10", "--trials", "1000000000"],
        ["sweep", "quickstart", "--workers", "100000"],
    ],
)
def test_options_have_the_files_bounds(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(argv)
    assert exit_info.value.code == 2


def test_calibrate_periods_are_capped(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text("period,active\n0,100\n1000000000,90\n")
    start = time.perf_counter()
    code, _, stderr = run_cli(["calibrate", "baseline", "--retention", str(csv), "--quiet"])
    assert time.perf_counter() - start < 10
    assert_one_error_line(code, stderr, str(csv), "period")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("8G", 8 * 2**30), ("512M", 512 * 2**20), ("2.5GiB", int(2.5 * 2**30)), ("1024", 1024)],
)
def test_parse_memory(text: str, expected: int) -> None:
    assert parse_memory(text) == expected


@pytest.mark.parametrize("text", ["", "x", "-1G", "0", "150%", "0%", "8Q", "nan%"])
def test_parse_memory_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_memory(text)


def test_model_estimate_is_in_step_with_the_resident_memory_of_a_large_model() -> None:
    # the growth of the resident set over building and running a 300,000-customer model (a
    # fresh process, so the peak is this model's) stays close to the estimate
    import json
    import subprocess
    import sys

    # VmHWM, the peak resident set of this process's memory (ru_maxrss would carry the
    # parent's over exec)
    code = (
        "import json, re\n"
        "from ckm_sim import CKMModel\n"
        "from ckm_sim.memory import scenario_bytes\n"
        "def hwm():\n"
        "    text = open('/proc/self/status').read()\n"
        "    return int(re.search(r'VmHWM:\\s+(\\d+) kB', text).group(1)) * 1024\n"
        "base = hwm()\n"
        "m = CKMModel(rng=1, collect=False, customers=300_000, prospects=0, employees=200)\n"
        "m.run(2)\n"
        "print(json.dumps([scenario_bytes(dict(m.scenario_config.flat())), hwm() - base]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    estimate, grown = json.loads(out.stdout.strip().splitlines()[-1])
    assert 0.75 <= estimate / grown <= 1.25, (estimate, grown)
