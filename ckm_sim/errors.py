"""The one exception family users see: each carries a one-line message for the command line
and the exit code ``ckm-sim`` ends with (``exit_code``; the table is :data:`EXIT_CODES`)."""

from __future__ import annotations


class CKMError(Exception):
    """An error the user can fix (bad input, missing file); shown as one line, no traceback."""

    #: Exit code of ``ckm-sim`` when this error ends a command.
    exit_code: int = 2


class OutputError(CKMError):
    """Results cannot be written or read back (read-only folder, full disk, I/O error)."""

    exit_code = 3


class LockedError(CKMError):
    """Another process is using the results folder (its lock file names the process)."""

    exit_code = 4


class TooLargeError(CKMError):
    """A model, design or file would exceed the memory or size limit (estimate and limit given)."""

    exit_code = 5


class MissingExtraError(CKMError):
    """An optional dependency is not installed; the message names the extra that installs it."""

    exit_code = 6


#: The optional extra of pyproject.toml that installs each optional module (a top-level name
#: covers its submodules).
EXTRAS: dict[str, str] = {
    "optuna": "optimize",
    "distributed": "dask",
    "dask": "dask",
    "solara": "viz",
    "mesa.visualization": "viz",
    "solara_assets": "viz",
    "ipyvue": "viz",
    "ipyvuetify": "viz",
    "ema_workbench": "discovery",
    "sklearn": "discovery",
}


def install_hint(extra: str) -> str:
    """How to install ``extra``: ``pip install "ckm-sim[extra]"`` (and from a clone)."""
    return f'pip install "ckm-sim[{extra}]" (in a clone: pip install -e ".[{extra}]")'


def missing_extra(module: str, what: str = "this command") -> MissingExtraError:
    """The one-line error for ``module`` (an optional dependency) missing when ``what`` needs it."""
    name = module if module in EXTRAS else module.split(".")[0]
    extra = EXTRAS.get(name, "all")
    return MissingExtraError(f"{what} needs {name}, which is not installed: {install_hint(extra)}")


def require(module: str, what: str = "this command") -> None:
    """Raise :func:`missing_extra` unless ``module`` (an optional dependency) can be imported;
    checked before anything runs or is written."""
    import importlib.util

    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a blocked or broken parent package
        found = False
    if not found:
        raise missing_extra(module, what)


def missing_extra_for(exc: BaseException, what: str = "this command") -> MissingExtraError | None:
    """The one-line error when ``exc`` is an optional dependency that failed to import (the
    modules of :data:`EXTRAS`); None for any other error, which stays a bug to report."""
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    if exc.name.split(".")[0] not in EXTRAS:
        return None
    return missing_extra(exc.name, what)


#: Exit codes of ``ckm-sim`` (shown by ``ckm-sim --help`` and documented in docs/sweeps.md).
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "sweep finished, but some runs failed (they are recorded in the results)",
    CKMError.exit_code: "bad input (file, option or value); nothing was run",
    OutputError.exit_code: "cannot write or read results (read-only folder, full disk, ...)",
    LockedError.exit_code: "the results folder is in use by another ckm-sim process",
    TooLargeError.exit_code: "too large: memory estimate or file size over the limit",
    MissingExtraError.exit_code: "an optional dependency is missing; the line names the extra "
    'to install (pip install "ckm-sim[optimize]")',
    130: "interrupted (Ctrl-C, SIGTERM or SIGHUP); finished runs are saved",
}


def output_error(exc: OSError, doing: str = "cannot write results") -> OutputError:
    """An :class:`OutputError` for ``exc``, one line: what failed, why, and the file."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return OutputError(f"{doing}: {reason}{where}".replace("\n", " "))
