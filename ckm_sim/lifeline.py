"""Worker processes that never outlive the ckm-sim process that started them.

A pool's worker blocks reading its task queue, and every worker holds that queue's write end
too, so when the main process is killed (``kill -9``, a lost terminal) nothing ever wakes it:
the workers, the forkserver they were forked from and the resource tracker would live on. Each
worker therefore starts (in the pool's initializer, :func:`worker_init`):

- ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux: the kernel kills it when its parent dies (the
  main process for "spawn" pools; the forkserver for "forkserver" pools);
- a watchdog thread that checks every :data:`WATCH_SECONDS` that the *main* process (pid and
  start time, so a reused pid does not count) is still there, and ends the worker if not; this
  covers forkserver pools and systems without prctl.

Once the workers are gone, the forkserver and the resource tracker see their pipes close and
exit by themselves. Workers ignore SIGINT and SIGHUP: Ctrl-C or a closed terminal reaches the
main process, which lets the runs in progress finish, saves them and stops the pool.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

#: How often a worker's watchdog checks that the main process is alive.
WATCH_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def start_time(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot, from /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19] if len(fields) > 19 else None


def parent_token() -> tuple[int, str | None]:
    """What a worker needs to recognise this process: its pid and start time."""
    return os.getpid(), start_time(os.getpid())


def is_alive(pid: int, started: str | None) -> bool:
    """Whether process ``pid`` (started at ``started``, if known) still runs."""
    if started is not None and os.path.isdir("/proc"):
        return start_time(pid) == started  # gone, or the pid now names another process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def die_with_parent() -> bool:
    """Ask the kernel (Linux) to SIGKILL this process when its parent dies; True if done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(pid: int, started: str | None, seconds: float) -> None:
    while is_alive(pid, started):
        time.sleep(seconds)
    os._exit(1)  # the main process is gone: nobody will ever read this worker's results


def watch_parent(pid: int, started: str | None, seconds: float = WATCH_SECONDS) -> None:
    """Start a daemon thread that ends this process once process ``pid`` is gone."""
    thread = threading.Thread(
        target=_watch, args=(pid, started, seconds), name="ckm-sim-lifeline", daemon=True
    )
    thread.start()


def worker_init(pid: int, started: str | None) -> None:
    """Pool initializer: ignore Ctrl-C and SIGHUP, and die with the main process ``pid``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    die_with_parent()
    watch_parent(pid, started)  # also catches a main process that died before prctl
