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
exit by themselves.

Stopping: Ctrl-C, SIGTERM and SIGHUP (the terminal closed) stop every command the same way. In
the main process :func:`stop_signals` turns them into KeyboardInterrupt, so the command lets
the runs in progress finish, saves what it can, stops the pool and exits with 130 and one line.
The helpers must not die first, or the pool breaks and the resource tracker, restarted, prints
tracebacks: the forkserver and the resource tracker are started with the three signals ignored
(:func:`start_helpers`; an ignored signal stays ignored in a child), and each worker moves to a
process group of its own and ignores SIGINT and SIGHUP, so a signal sent to the command's
process group (a terminal's Ctrl-C, ``kill -TERM -PGID``) reaches only the main process.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: How often a worker's watchdog checks that the main process is alive.
WATCH_SECONDS = 0.2
_PR_SET_PDEATHSIG = 1
#: The signals that stop a command (Ctrl-C, ``kill``, the terminal closed).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def start_time(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot, from /proc), or None."""
    fields = _stat(pid)
    return fields[19] if fields is not None and len(fields) > 19 else None


def parent_token() -> tuple[int, str | None]:
    """What a worker needs to recognise this process: its pid and start time."""
    return os.getpid(), start_time(os.getpid())


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def is_alive(pid: int, started: str | None) -> bool:
    """Whether process ``pid`` (started at ``started``, if known) still runs: a zombie (killed,
    not yet reaped by its parent) does not."""
    if started is not None and os.path.isdir("/proc"):
        fields = _stat(pid)
        if fields is None or len(fields) <= 19 or fields[0] in ("Z", "X", "x"):
            return False
        return fields[19] == started  # or the pid now names another process
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
    """Pool initializer: a process group of its own (signals to the command's group reach only
    the main process), ignore Ctrl-C and SIGHUP, SIGTERM as usual (the pool may terminate a
    worker), and die with the main process ``pid``."""
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):  # a session leader keeps its group
            os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # inherited ignored from the forkserver
    die_with_parent()
    watch_parent(pid, started)  # also catches a main process that died before prctl


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextmanager
def stop_signals() -> Iterator[None]:
    """While inside: SIGTERM and SIGHUP raise KeyboardInterrupt, as Ctrl-C does (main thread
    only; elsewhere nothing changes). The previous handlers come back on exit."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in STOP_SIGNALS:
            if signum != signal.SIGINT:
                previous[signum] = signal.signal(signum, _interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def deferred_stop() -> Iterator[None]:
    """While inside (main thread only): a stop signal is held, not raised, and raised as
    KeyboardInterrupt on leaving, at a safe point. For code that must not be cut in the middle,
    such as handing tasks to a process pool (a KeyboardInterrupt inside ``submit`` can leave the
    pool's locks taken, and its shutdown then hangs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, frame: Any) -> None:
        held.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if held:
        raise KeyboardInterrupt


def start_helpers(start: Callable[[], None]) -> None:
    """Call ``start()`` (which starts the forkserver and the resource tracker) with
    :data:`STOP_SIGNALS` ignored, so the helpers inherit them ignored (a handler would not
    survive their ``exec``) and outlive a signal to the process group until the main process
    has stopped its pool. It takes milliseconds; a stop signal within them is lost."""
    if threading.current_thread() is not threading.main_thread():
        start()
        return
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in STOP_SIGNALS}
    try:
        start()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
