"""One process per results folder: an exclusive lock held for a whole sweep (and while
``analyze`` writes its report).

The lock is ``fcntl.flock`` on ``.<folder>.lock``, a hidden file beside the results folder (so
the folder holds only results, and a fresh folder stays empty until the sweep writes). The
kernel releases a flock when its holder exits in any way, ``kill -9`` included, so a stale lock
cannot exist: the next process simply takes it. The file is opened without following a
symbolic link (a link planted in its place is refused, its target untouched). It records who
holds the lock (pid, host, start time), only to name the holder in the error a second process
gets. Within one
process the lock is re-entrant: a sweep that analyses its own results does not lock itself out.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ckm_sim.errors import LockedError, OutputError, output_error

_held: dict[str, tuple[int, int]] = {}  # lock file -> (descriptor, depth) in this process
_guard = threading.Lock()


def lock_path(root: str | Path) -> Path:
    """The lock file of results folder ``root``: ``.<name>.lock`` beside it."""
    root = Path(os.path.abspath(root))
    return root.with_name(f".{root.name}.lock")


def holder(path: str | Path) -> dict[str, object]:
    """What the lock file says about its holder (empty if unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(info: dict[str, object]) -> str:
    if not info:
        return "another process"
    return (
        f"process {info.get('pid', '?')} on {info.get('host', '?')} "
        f"(started {info.get('started', '?')}, {info.get('command', 'ckm-sim')})"
    )


@contextmanager
def folder_lock(root: str | Path, command: str = "sweep") -> Iterator[Path]:
    """Hold the exclusive lock of results folder ``root``; a one-line LockedError if another
    process holds it. Yields the lock file's path."""
    path = lock_path(root)
    key = str(path)
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
            reentered = True
        else:
            reentered = False
    if not reentered:
        fd = _acquire(path, root, command)
        with _guard:
            _held[key] = (fd, 1)
    try:
        yield path
    finally:
        with _guard:
            fd, depth = _held[key]
            if depth > 1:
                _held[key] = (fd, depth - 1)
            else:
                del _held[key]
                os.close(fd)  # releases the flock (the file stays: unlinking it would race)


def _acquire(path: Path, root: str | Path, command: str) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # never through a symlink: a planted link would have the lock overwrite its target
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                f"the lock of {root}, {path}, is a symbolic link; ckm-sim does not write through "
                "links under --out (remove it)"
            ) from None
        raise output_error(exc, f"cannot create the lock of {root}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockedError(
            f"{root} is in use by {_describe(holder(path))}; wait for it to finish, or use "
            "--out for another folder"
        ) from None
    except OSError as exc:
        os.close(fd)
        raise output_error(exc, f"cannot lock {root}") from None
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": f"ckm-sim {command}",
    }
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
    except OSError as exc:
        os.close(fd)
        raise output_error(exc, f"cannot write the lock of {root}") from None
    return fd
