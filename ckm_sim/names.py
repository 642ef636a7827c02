"""Plain names: the names that become folder names under ``--out`` (scenarios, experiments,
reports). A plain name is one path component that cannot climb out of its folder or hide."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

#: Letters, digits, ``_``, ``-``, ``.``, ``+`` and spaces; starting with a letter, digit or ``_``
#: (so never ``.``, ``..``, a hidden file or an option); no path separator, at most 100 characters.
PLAIN_NAME = re.compile(r"[^\W][\w.+ -]{0,99}")
MAX_NAME = 100


def plain_name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain name, or None if it is."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty name"
    if len(name) > MAX_NAME:
        return f"must be at most {MAX_NAME} characters long"
    if "/" in name or "\\" in name:
        return "must be a plain name, without '/' or '\\'"
    if not PLAIN_NAME.fullmatch(name) or name != name.strip():
        return (
            "must be a plain name (letters, digits, '_', '-', '.', '+', spaces; starting "
            "with a letter, digit or '_')"
        )
    return None


def check_plain_name(name: str) -> str:
    """``name`` if it is a plain name, else ValueError (pydantic turns it into a field error)."""
    problem = plain_name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    return name


#: A pydantic field type for plain names.
PlainName = Annotated[str, AfterValidator(check_plain_name)]
