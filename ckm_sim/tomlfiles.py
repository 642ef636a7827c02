"""Finding, reading and validating TOML input files (scenarios, experiments) with one-line
errors: the one home of what scenario and experiment files share.

The shipped files are package data (``ckm_sim/data/<kind>/*.toml``), found through
:mod:`importlib.resources`, so an installed wheel has them as much as a source checkout; the
repository's top-level ``scenarios/`` and ``experiments/`` are links to those folders.

Files are read with a size cap (:data:`ckm_sim.limits.MAX_FILE_BYTES`, a bounded read), and
tables and arrays nested deeper than :data:`MAX_NESTING` levels are refused (Python's TOML
parser recurses and would raise RecursionError).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ckm_sim.errors import CKMError
from ckm_sim.limits import read_capped

#: Deepest nesting of tables and arrays a scenario or experiment file may have (the shipped ones
#: use 3; Python's TOML parser recurses and would fail with a RecursionError around 1000).
MAX_NESTING = 20


def shipped_folder(folder: str) -> Path:
    """The folder of shipped files ``ckm_sim/data/<folder>`` (``scenarios``, ``experiments``)."""
    return Path(str(resources.files("ckm_sim").joinpath("data", folder)))


def example_file(path: str | Path) -> Path:
    """``path`` itself if it exists; else, for ``data/<name>`` (the README's example files), the
    copy shipped in ``ckm_sim/data/examples`` (an installed wheel has no ``data/`` folder)."""
    path = Path(path)
    if path.exists() or path.parent != Path("data"):
        return path
    shipped = shipped_folder("examples") / path.name
    return shipped if shipped.is_file() else path


def list_shipped(folder: Path, kind: str, error: type[CKMError]) -> list[str]:
    """Names of the shipped ``kind`` files in ``folder``; none at all is an incomplete install."""
    names = sorted(p.stem for p in folder.glob("*.toml"))
    if not names:
        raise error(f"no shipped {kind}s in {folder}: the ckm-sim installation is incomplete")
    return names


def find_shipped(name_or_path: str | Path, folder: Path, kind: str, error: type[CKMError]) -> Path:
    """A file by path, or by bare name (with or without ``.toml``) in the shipped ``folder``.

    A folder of that name (``results/quickstart`` seen from ``results/``) does not hide a shipped
    file; without one, the error says it is a folder. Any other existing path is returned as
    it is (a FIFO or device is refused when it is read)."""
    path = Path(name_or_path)
    if path.exists() and not path.is_dir():
        return path
    for candidate in (folder / path, folder / f"{path}.toml"):
        if candidate.is_file():
            return candidate
    shipped = ", ".join(list_shipped(folder, kind, error))
    what = f"is a folder, not a {kind} file" if path.is_dir() else f"no such {kind} file"
    raise error(f"{name_or_path}: {what} (shipped {kind}s: {shipped})")


def validate_one_line[M: BaseModel](
    model: type[M],
    data: Any,
    source: str,
    describe: Callable[[dict[str, Any]], str],
    error: type[CKMError],
) -> M:
    """``model.model_validate(data)``; a failure becomes ``error`` with one line: the first
    problem (worded by ``describe``) and how many more there are. A TypeError from a validator
    (a value of a shape it cannot take, e.g. a number where a table belongs) is one line too."""
    try:
        return model.model_validate(data)
    except TypeError as exc:  # a validator met a value of a shape it does not take
        raise error(f"{source}: a value has the wrong type ({exc})".replace("\n", " ")) from None
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        message = f"{source}: {describe(dict(errors[0]))}{more}".replace("\n", " ")
        raise error(message) from None


def read_text(path: Path, error: type[CKMError]) -> str:
    """The text of an input file (at most 10 MB, read with a bounded read); an unreadable one is
    ``error`` with one line naming it, a larger one TooLargeError."""
    try:
        return read_capped(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read file ({exc.__class__.__name__})") from None


def read_toml(path: Path, error: type[CKMError]) -> dict[str, Any]:
    """The parsed content of a TOML file; an unreadable or malformed file is ``error`` with
    one line naming the file."""
    return parse_toml(read_text(path, error), str(path), error)


def nesting_depth(data: Any) -> int:
    """How deeply tables and arrays nest in ``data`` (a scalar: 0), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_toml(text: str, source: str, error: type[CKMError]) -> dict[str, Any]:
    """Parse TOML ``text``; malformed or too deeply nested TOML is ``error`` with one line
    naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source}: malformed TOML: {exc}".replace("\n", " ")) from None
    except RecursionError:
        data = None
    if data is None or nesting_depth(data) > MAX_NESTING:
        raise error(f"{source}: tables or arrays nested more than {MAX_NESTING} levels deep")
    return data


#: How pydantic's bound errors read in a message.
BOUNDS: dict[str, str] = {
    "greater_than_equal": ">=",
    "less_than_equal": "<=",
    "greater_than": ">",
    "less_than": "<",
}


def describe_error(
    err: dict[str, Any], allowed_here: Callable[[tuple[Any, ...]], Sequence[str]]
) -> str:
    """One pydantic validation error as one plain line naming the key (``allowed_here(loc)``
    lists the keys allowed where an unknown key was found)."""
    loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = allowed_here(tuple(err["loc"]))
        return f"unknown key '{loc}'; allowed here: {', '.join(allowed)}"
    if kind == "literal_error":
        return f"'{loc}' = {err.get('input')!r} is not allowed: {err['msg'].lower()}"
    if kind in BOUNDS:
        limit = next(iter((err.get("ctx") or {}).values()), "?")
        return f"'{loc}' = {err.get('input')!r} is out of range: must be {BOUNDS[kind]} {limit}"
    if kind == "missing":
        return f"'{loc}' is required"
    msg = err["msg"].removeprefix("Value error, ")
    if isinstance(err.get("input"), dict):  # a whole section: the message names the key
        return f"'{loc}': {msg}"
    return f"'{loc}': {msg} (got {err.get('input')!r})"
