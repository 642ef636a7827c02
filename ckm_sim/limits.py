"""Limits that keep bad or careless input from exhausting the machine: a size cap on the files
ckm-sim reads (regular files only, so a FIFO or a device never blocks or floods a read), and a
memory limit (``--max-memory``) that models and designs are checked against *before* anything
is allocated (the estimates are in :mod:`ckm_sim.memory`)."""

from __future__ import annotations

import argparse
import os
import re
import stat
from pathlib import Path

from ckm_sim.errors import CKMError, TooLargeError

#: Largest input file (scenario, experiment, design or retention CSV) ckm-sim reads.
MAX_FILE_BYTES = 10 * 1024 * 1024

#: Share of the machine's memory the default ``--max-memory`` allows.
DEFAULT_MEMORY_SHARE = 0.5


class NotRegularFileError(CKMError):
    """An input path that is not a regular file (a folder, device, FIFO or socket)."""


_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def read_capped(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, read with a bounded read: a larger file raises
    :class:`TooLargeError` after reading ``limit + 1`` bytes at most. Anything but a regular file
    (a folder, a device such as ``/dev/zero``, a FIFO with or without a writer) is refused at
    once with :class:`NotRegularFileError`: it is opened without blocking and checked first."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise NotRegularFileError(f"{path}: not a regular file ({kind})")
    os.set_blocking(fd, True)
    with open(fd, "rb", closefd=True) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(f"{path}: file is larger than the limit of {human_bytes(limit)}")
    return data


def human_bytes(n: float) -> str:
    """``1536`` -> ``1.5 KiB``: a byte count for messages."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def machine_memory() -> int:
    """Physical memory of this machine, or the cgroup's limit (a container) when lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            total = int(text)
    return total


def default_max_memory() -> int:
    """The default ``--max-memory``: :data:`DEFAULT_MEMORY_SHARE` of the machine's memory."""
    return int(DEFAULT_MEMORY_SHARE * machine_memory())


def parse_memory(text: str) -> int:
    """``"8G"``, ``"512M"``, ``"2.5GiB"``, ``"40%"`` (of the machine's memory) -> bytes."""
    value = text.strip().lower()
    if value.endswith("%"):
        try:
            share = float(value[:-1])
        except ValueError:
            share = float("nan")
        if not 0 < share <= 100:
            raise ValueError(f"a share of memory is in (0%, 100%], got {text!r}")
        return int(share / 100 * machine_memory())
    match = re.fullmatch(r"([0-9]*\.?[0-9]+)\s*([kmgt]?)(i?b)?", value)
    if match is None or (match.group(3) and not match.group(2) and match.group(3) != "b"):
        raise ValueError(f"expected a size such as 8G, 512M or 40%, got {text!r}")
    amount = float(match.group(1)) * _UNITS[match.group(2)]
    if not amount >= 1:
        raise ValueError(f"must be positive, got {text!r}")
    return int(amount)


def memory_option(text: str) -> int:
    """argparse type of ``--max-memory``."""
    try:
        return parse_memory(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_max_memory(parser: argparse.ArgumentParser) -> None:
    """The ``--max-memory`` option (default: half of this machine's memory)."""
    parser.add_argument(
        "--max-memory",
        type=memory_option,
        default=None,
        metavar="SIZE",
        help=(
            "refuse work whose memory estimate exceeds SIZE (e.g. 8G, 512M, 40%%; default "
            f"{100 * DEFAULT_MEMORY_SHARE:.0f}%% of this machine's memory, "
            f"{human_bytes(default_max_memory())})"
        ),
    )


def check_memory(estimate: float, limit: int | None, what: str) -> None:
    """Raise :class:`TooLargeError` when ``estimate`` bytes exceed ``limit`` (None: default)."""
    limit = default_max_memory() if limit is None else limit
    if estimate > limit:
        raise TooLargeError(
            f"{what} needs about {human_bytes(estimate)} of memory, over the limit of "
            f"{human_bytes(limit)} (--max-memory); make it smaller or raise the limit"
        )
