"""Finding and validating TOML input files (scenarios, experiments) with one-line errors.

The shipped files are package data (``ckm_sim/data/<kind>/*.toml``), found through
:mod:`importlib.resources`, so an installed wheel has them as much as a source checkout; the
repository's top-level ``scenarios/`` and ``experiments/`` are links to those folders.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ckm_sim.errors import CKMError


def shipped_folder(folder: str) -> Path:
    """The folder of shipped files ``ckm_sim/data/<folder>`` (``scenarios``, ``experiments``)."""
    return Path(str(resources.files("ckm_sim").joinpath("data", folder)))


def list_shipped(folder: Path, kind: str, error: type[CKMError]) -> list[str]:
    """Names of the shipped ``kind`` files in ``folder``; none at all is an incomplete install."""
    names = sorted(p.stem for p in folder.glob("*.toml"))
    if not names:
        raise error(f"no shipped {kind}s in {folder}: the ckm-sim installation is incomplete")
    return names


def find_shipped(name_or_path: str | Path, folder: Path, kind: str, error: type[CKMError]) -> Path:
    """A file by path, or by bare name (with or without ``.toml``) in the shipped ``folder``."""
    path = Path(name_or_path)
    if path.exists():
        return path
    for candidate in (folder / path, folder / f"{path}.toml"):
        if candidate.exists():
            return candidate
    shipped = ", ".join(list_shipped(folder, kind, error))
    raise error(f"{name_or_path}: no such {kind} file (shipped {kind}s: {shipped})")


def validate_one_line[M: BaseModel](
    model: type[M],
    data: Any,
    source: str,
    describe: Callable[[dict[str, Any]], str],
    error: type[CKMError],
) -> M:
    """``model.model_validate(data)``; a failure becomes ``error`` with one line: the first
    problem (worded by ``describe``) and how many more there are."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        message = f"{source}: {describe(dict(errors[0]))}{more}".replace("\n", " ")
        raise error(message) from None
