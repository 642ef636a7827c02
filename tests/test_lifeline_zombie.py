"""A killed command that its parent has not reaped yet is a zombie: dead. Workers watching it
must end at once (issue 27, point 7: helpers alive after kill -9)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from ckm_sim.lifeline import is_alive, start_time


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_a_zombie_is_not_alive() -> None:
    # the child lives until its stdin closes (not for a fixed 0.2 s, which a loaded machine
    # could spend between starting it and checking it is alive)
    code = "import sys; sys.stdin.read()"
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    started = start_time(child.pid)
    assert started is not None and is_alive(child.pid, started)
    assert child.stdin is not None
    child.stdin.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # exited, not reaped: a zombie
        with open(f"/proc/{child.pid}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                break
        time.sleep(0.02)
    try:
        assert not is_alive(child.pid, started)
    finally:
        child.wait()
    assert not is_alive(child.pid, started)  # reaped: gone


def test_the_forkserver_hook_does_nothing_outside_the_forkserver() -> None:
    # imported in an ordinary process, the hook must not turn its exit status into 0
    code = (
        "import ckm_sim.experiments.forkserver_exit as f\n"
        "assert not f.preloaded_by_forkserver()\n"
        "raise SystemExit(3)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 3
