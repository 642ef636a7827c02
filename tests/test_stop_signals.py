"""Issue 27, point 6: every command that starts workers stops on SIGTERM, SIGHUP and SIGINT the
same way, sent to its whole process group as a terminal or ``kill -TERM -PGID`` does: exit code
130, one line on stderr, no leaked-semaphore warning, no resource-tracker traceback, no process
left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from experiment_helpers import GRID, write_experiment
from test_orphans import REPO, _alive, _wait_for, descendants

from ckm_sim.experiments.store import ResultsStore

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="walks /proc")


def _as_from_a_terminal() -> None:
    """In the child before it starts: the stop signals at their defaults, as a shell leaves
    them. An ignored signal stays ignored across ``exec`` (Python then installs no
    KeyboardInterrupt for SIGINT), and the test process may have inherited one ignored."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _stop_group(command: list[str], signum: int, ready=lambda: True) -> tuple[int, str]:
    """Start ``command`` in a session of its own, wait until its pool (forkserver, resource
    tracker, two workers) is up, send ``signum`` to the whole group; its exit code and stderr."""
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_from_a_terminal,
    )
    try:
        _wait_for(lambda: ready() and len(descendants(proc.pid)) >= 4)
        family = descendants(proc.pid)
        os.killpg(proc.pid, signum)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    deadline = time.monotonic() + 5
    while _alive(family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(family), "a helper or worker outlived the command"
    return proc.returncode, stderr


def _one_clean_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for noise in ("Traceback", "KeyError", "leaked", "resource_tracker", "Warning"):
        assert noise not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_compare_with_workers_stops_on_every_signal(tmp_path: Path, name: str) -> None:
    command = [sys.executable, "-m", "ckm_sim.cli", "compare", "baseline", "it_only"]
    command += ["-r", "400", "--periods", "60", "-j", "2", "--out", str(tmp_path), "--quiet"]
    code, stderr = _stop_group(command, getattr(signal, name))
    assert code == 130, stderr
    assert "interrupted" in _one_clean_line(stderr)
    assert not (tmp_path / "compare").exists()


@pytest.mark.parametrize("name", ["SIGHUP", "SIGTERM"])
def test_a_signal_to_a_sweeps_group_is_one_line(tmp_path: Path, name: str) -> None:
    path = write_experiment(tmp_path, GRID, replications=100, periods=20)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ckm_sim.cli", "sweep", str(path), "--out", str(out)]
    command += ["--workers", "2", "--quiet", "--no-report", "--flush-every", "0.2"]
    store = ResultsStore(out / "tiny")
    code, stderr = _stop_group(command, getattr(signal, name), lambda: len(store.parts()) >= 1)
    assert code == 130, stderr
    line = _one_clean_line(stderr)
    assert "interrupted" in line and "--resume" in line


def test_the_stop_handlers_are_the_previous_ones_afterwards() -> None:
    from ckm_sim.lifeline import stop_signals

    before = signal.getsignal(signal.SIGTERM)
    with stop_signals():
        assert signal.getsignal(signal.SIGTERM) is not before
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
    assert signal.getsignal(signal.SIGTERM) is before
