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


#: Exit codes of ``ckm-sim`` (shown by ``ckm-sim --help`` and documented in docs/sweeps.md).
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "sweep finished, but some runs failed (they are recorded in the results)",
    CKMError.exit_code: "bad input (file, option or value); nothing was run",
    OutputError.exit_code: "cannot write or read results (read-only folder, full disk, ...)",
    LockedError.exit_code: "the results folder is in use by another ckm-sim process",
    TooLargeError.exit_code: "too large: memory estimate or file size over the limit",
    130: "interrupted (Ctrl-C, SIGTERM or SIGHUP); finished runs are saved",
}


def output_error(exc: OSError, doing: str = "cannot write results") -> OutputError:
    """An :class:`OutputError` for ``exc``, one line: what failed, why, and the file."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return OutputError(f"{doing}: {reason}{where}".replace("\n", " "))
