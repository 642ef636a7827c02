"""Finding and validating TOML input files (scenarios, experiments) with one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ckm_sim.errors import CKMError


def find_shipped(name_or_path: str | Path, folder: Path, kind: str, error: type[CKMError]) -> Path:
    """A file by path, or by bare name (with or without ``.toml``) in the shipped ``folder``."""
    path = Path(name_or_path)
    if path.exists():
        return path
    for candidate in (folder / path, folder / f"{path}.toml"):
        if candidate.exists():
            return candidate
    shipped = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
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
        message = f"{source}: {describe(errors[0])}{more}".replace("\n", " ")
        raise error(message) from None
