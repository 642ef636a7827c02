"""Issue 10, point 6: no process outlives a sweep (or a what-if command) killed with kill -9,
and SIGHUP (the terminal closed) stops a sweep like SIGTERM: runs saved, folder resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from experiment_helpers import GRID, write_experiment

from ckm_sim.experiments.store import ResultsStore
from ckm_sim.lifeline import is_alive, start_time

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="walks /proc")


def descendants(pid: int) -> list[tuple[int, str | None]]:
    """Every process below ``pid`` (pid and start time), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append((child, start_time(child)))
            stack.append(child)
    return found


def _alive(processes: list[tuple[int, str | None]]) -> list[int]:
    alive = []
    for pid, started in processes:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                zombie = stat.read().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            continue
        if not zombie and is_alive(pid, started):
            alive.append(pid)
    return alive


def _wait_for(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _kill9_leaves_no_descendant(command: list[str], ready, expected_children: int) -> None:
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: ready() and len(descendants(proc.pid)) >= expected_children)
        family = descendants(proc.pid)
    finally:
        proc.kill()  # kill -9 of the main process only, its children are left to themselves
        proc.wait()
    deadline = time.monotonic() + 5
    while _alive(family) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = _alive(family)
    for pid in survivors:  # clean up before failing
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"{len(survivors)} of {len(family)} descendants survived kill -9"


def test_kill9_of_a_sweep_leaves_no_process_behind(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, GRID, replications=100, periods=20)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ckm_sim.cli", "sweep", str(path), "--out", str(out)]
    command += ["--workers", "2", "--quiet", "--no-report", "--flush-every", "0.2"]
    store = ResultsStore(out / "tiny")
    # forkserver, resource tracker and two workers
    _kill9_leaves_no_descendant(command, lambda: len(store.parts()) >= 1, 4)


def test_kill9_of_a_comparison_leaves_no_process_behind(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ckm_sim.cli", "compare", "baseline", "it_only"]
    command += ["-r", "400", "--periods", "60", "-j", "2", "--out", str(tmp_path), "--quiet"]
    _kill9_leaves_no_descendant(command, lambda: True, 2)


def test_sighup_stops_a_sweep_like_sigterm(tmp_path: Path) -> None:
    # 100 runs: the signal comes once the first runs are saved, with most of the sweep (several
    # seconds of runs) still to do; the resume runs the rest (400 runs made the resume 20 s)
    path = write_experiment(tmp_path, GRID, replications=25, periods=20)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ckm_sim.cli", "sweep", str(path), "--out", str(out)]
    command += ["--workers", "2", "--quiet", "--no-report", "--flush-every", "0.2"]
    store = ResultsStore(out / "tiny")
    proc = subprocess.Popen(
        command, cwd=REPO, start_new_session=True, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(lambda: len(store.parts()) >= 1 and len(descendants(proc.pid)) >= 4)
        family = descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGHUP)  # what closing the terminal sends
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "--resume" in stderr
    manifest = json.loads((out / "tiny" / "manifest.json").read_text())
    saved = manifest["done_runs"]
    assert manifest["status"] == "interrupted" and 0 < saved < 100
    deadline = time.monotonic() + 5  # as the kill -9 tests: gone within seconds, not left
    while _alive(family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(family)
    resumed = subprocess.run([*command, "--resume"], cwd=REPO, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    raw = pd.concat([pd.read_parquet(p) for p in store.parts()], ignore_index=True)
    counts = raw.groupby(["point", "replication"]).size()
    assert len(counts) == 100 and (counts == 1).all()
