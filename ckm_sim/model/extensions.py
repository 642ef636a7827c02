"""A modeller's own Python: extension files that register outcomes (docs/extending.md).

An extension is a Python file that calls :func:`ckm_sim.model.outcomes.register` at import;
an experiment lists its files under ``extensions``, and every process that runs the sweep's
runs (this one, a local pool, a Dask worker) loads them once before its first run, so the
outcome is a column of the sweep's results and can be named in its report. Stages are replaced
per model (``CKMModel(stages=...)``), never by loading a file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path

from ckm_sim.errors import CKMError

_LOADED: set[str] = set()


def resolve_extensions(names: Iterable[str], root: Path) -> tuple[str, ...]:
    """Absolute paths of extension files ``names`` (relative ones against ``root``)."""
    return tuple(str((root / name).resolve()) for name in names)


def load_extensions(paths: Iterable[str]) -> None:
    """Import each extension file once per process; a file that is missing or fails to import
    is a one-line :class:`~ckm_sim.errors.CKMError`."""
    for path in paths:
        if path in _LOADED:
            continue
        file = Path(path)
        if not file.is_file() or file.suffix != ".py":
            raise CKMError(f"extension '{path}': not a Python file (.py)")
        name = "ckm_sim_extension_" + hashlib.sha256(path.encode()).hexdigest()[:12]
        spec = importlib.util.spec_from_file_location(name, file)
        if spec is None or spec.loader is None:
            raise CKMError(f"extension '{path}': cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # the modeller's code: any error, reported in one line
            del sys.modules[name]
            raise CKMError(f"extension '{path}': {type(exc).__name__}: {exc}") from None
        _LOADED.add(path)
