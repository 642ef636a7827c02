"""Writing files so that nothing is ever left half-written: write to a temporary file, then rename.

Every file ckm-sim writes goes through here (JSON, text, Parquet, figures). Files get the mode
the umask allows (``0o666 & ~umask``, as ``open`` would give), not the private 0600 of a
temporary file, so others in a research group can read results. :func:`inside` builds every
output folder from plain names and refuses one that would leave the chosen ``--out`` folder, by
its name or through a symbolic link: no link below ``--out`` is followed (``--out`` itself may
be one), and no file is written into a linked folder (:func:`atomic_path`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError, OutputError
from ckm_sim.names import nfc, plain_name_problem

#: Longest output folder path (bytes): Linux allows 4096 for a path, and the files written in
#: the folder add their own names.
MAX_PATH_BYTES = 3800


def inside(root: str | Path, *names: str) -> Path:
    """``root / name / ...`` where every name is a plain name (kept in NFC); refuses a path
    leaving ``root``, one too long for the file system, and a symbolic link below ``root``.

    Call it before the work: it checks the whole path, so a bad name costs nothing. ``root``
    itself may be a symlink (``--out`` pointing elsewhere is the user's choice); a link in its
    place of a folder below it is refused (OutputError), since it could send results anywhere.
    """
    names = tuple(nfc(name) for name in names)
    base = os.path.normpath(os.path.abspath(root))
    target = os.path.normpath(os.path.join(base, *names))
    for name in names:
        problem = plain_name_problem(name)
        if problem is not None:
            raise CKMError(f"output name {name!r} {problem}")
    if os.path.commonpath([base, target]) != base or target == base:
        raise CKMError(f"output {os.path.join(*names)!r} would be written outside {root}")
    if len(os.fsencode(target)) > MAX_PATH_BYTES:
        raise CKMError(
            f"output folder {target!r} is longer than {MAX_PATH_BYTES} bytes; use a shorter --out"
        )
    path = Path(root)
    for name in names:
        path = path / name
        refuse_link(path)
    return path


def refuse_link(path: str | Path) -> None:
    """OutputError (one line) when ``path`` is a symbolic link: results never follow one."""
    if os.path.islink(path):
        raise OutputError(
            f"{path} is a symbolic link; ckm-sim does not write through links under --out "
            "(remove it, or point --out at the real folder)"
        )


def current_umask() -> int:
    """The process's umask (read from /proc where possible: setting it to read it races)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    The rename replaces a symlink at ``path`` (it never writes through it); a ``path`` whose
    folder is a symlink is refused (OutputError)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_link(path.parent)  # a linked folder would take the file elsewhere
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | Path, data: Any) -> Path:
    """Write ``data`` as indented JSON to ``path`` atomically; return the path."""
    return write_text(path, json.dumps(data, indent=2, default=_jsonable, allow_nan=True) + "\n")


def write_parquet(path: str | Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` (with its index) to ``path`` as parquet, atomically; return the path."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=True)
    return Path(path)


def write_with(path: str | Path, writer: Callable[[Path], None]) -> Path:
    """Atomically write ``path`` with ``writer(tmp_path)`` (e.g. a figure's ``savefig``)."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)
