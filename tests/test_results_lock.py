"""Issue 10, point 5: one process per results folder. A second sweep (or analyze) gets a
one-line error naming the process that holds the folder; a holder killed with kill -9 leaves no
stale lock; nothing is lost or duplicated."""

from __future__ import annotations

import contextlib
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
from test_cli import assert_one_error_line, run_cli

from ckm_sim.errors import LockedError
from ckm_sim.experiments.lock import folder_lock, holder, lock_path
from ckm_sim.experiments.store import ResultsStore

REPO = Path(__file__).resolve().parent.parent
HOLD = (
    "import sys, time; from ckm_sim.experiments.lock import folder_lock\n"
    "with folder_lock(sys.argv[1], 'test'):\n"
    "    print('held', flush=True); time.sleep(60)\n"
)


def _holding(root: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _sweep_command(path: Path, out: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "ckm_sim.cli", "sweep", str(path), "--out", str(out)]
    return command + ["--workers", "1", "--quiet", "--no-report", "--flush-every", "0.2", *extra]


def _counts(root: Path) -> pd.Series:
    store = ResultsStore(root)
    raw = pd.concat([pd.read_parquet(p) for p in store.parts()], ignore_index=True)
    return raw.groupby(["point", "replication"]).size()


def test_lock_is_reentrant_in_one_process_and_records_its_holder(tmp_path: Path) -> None:
    root = tmp_path / "out" / "x"
    with folder_lock(root, "sweep") as path, folder_lock(root, "analyze"):
        info = holder(path)
        assert info["pid"] == os.getpid() and info["command"] == "ckm-sim sweep"
    assert path == lock_path(root) and not root.exists()  # the folder itself stays untouched
    with folder_lock(root):  # released: can be taken again
        pass


def test_another_process_holding_the_folder_is_named(tmp_path: Path) -> None:
    root = tmp_path / "out" / "x"
    proc = _holding(root)
    try:
        with pytest.raises(LockedError, match=f"process {proc.pid} "), folder_lock(root):
            pass
        code, _, stderr = run_cli(["analyze", str(root)])
        assert_one_error_line(code, stderr, str(root), str(proc.pid))
        assert code == LockedError.exit_code
    finally:
        proc.kill()
        proc.wait()
    with folder_lock(root):  # the holder died by SIGKILL: its lock is gone with it
        pass


def test_two_sweeps_into_one_folder_then_resume(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, GRID, replications=15, periods=60)
    out = tmp_path / "out"
    first = subprocess.Popen(_sweep_command(path, out), cwd=REPO, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not lock_path(out / "tiny").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        while not holder(lock_path(out / "tiny")) and time.monotonic() < deadline:
            time.sleep(0.02)
        while not ResultsStore(out / "tiny").parts() and time.monotonic() < deadline:
            time.sleep(0.02)
        # held mid-way, its lock taken and its first runs saved: stopped (SIGSTOP), so the two
        # commands below meet a sweep still under way however long they take to start (before,
        # a sweep four times as long had to outlast them)
        os.killpg(first.pid, signal.SIGSTOP)
        second = subprocess.run(
            _sweep_command(path, out), cwd=REPO, capture_output=True, text=True, timeout=120
        )
        resumer = subprocess.run(
            _sweep_command(path, out, "--resume"),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert first.poll() is None, "the first sweep should still be running"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(first.pid, signal.SIGKILL)  # mid-way, like a machine loss
        first.wait()
    for other in (second, resumer):
        assert other.returncode == LockedError.exit_code, other.stderr
        assert_one_error_line(other.returncode, other.stderr, str(out / "tiny"), str(first.pid))
    assert 0 < len(_counts(out / "tiny")) < 4 * 15  # killed mid-way, some runs saved
    info = json.loads(lock_path(out / "tiny").read_text())
    assert info["pid"] == first.pid  # the file still names the dead holder ...
    done = subprocess.run(  # ... but the kernel released its lock: the resume takes it
        _sweep_command(path, out, "--resume"), cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    counts = _counts(out / "tiny")
    assert len(counts) == 4 * 15 and (counts == 1).all()
