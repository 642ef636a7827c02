"""Plain names: the names that become folder names under ``--out`` (scenarios, experiments,
reports). A plain name is one path component that cannot climb out of its folder or hide.

Names are compared and written in Unicode NFC (a letter and a separate combining accent become
the one precomposed letter), and their length is bounded in characters and in UTF-8 bytes (file
systems count bytes: 255 per name). :func:`short_name` derives a plain name from any text (a
default report name made of other names), shortened with a digest when it is too long.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

#: Letters, digits, ``_``, ``-``, ``.``, ``+`` and spaces; starting with a letter, digit or ``_``
#: (so never ``.``, ``..``, a hidden file or an option); no path separator, at most 100 characters.
PLAIN_NAME = re.compile(r"[^\W][\w.+ -]{0,99}")
MAX_NAME = 100
#: Most UTF-8 bytes of a plain name: file systems allow 255 per name, and the results folder's
#: lock (``.<name>.lock``) and temporary files add a few.
MAX_NAME_BYTES = 200
_NOT_PLAIN = re.compile(r"[^\w.+ -]")


def nfc(name: str) -> str:
    """``name`` in Unicode normal form C (precomposed letters), the form names are kept in."""
    return unicodedata.normalize("NFC", name)


def plain_name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain name, or None if it is (judged in its NFC form)."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty name"
    name = nfc(name)
    if len(name) > MAX_NAME:
        return f"must be at most {MAX_NAME} characters long"
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        return f"must be at most {MAX_NAME_BYTES} bytes long in UTF-8"
    if "/" in name or "\\" in name:
        return "must be a plain name, without '/' or '\\'"
    if not PLAIN_NAME.fullmatch(name) or name != name.strip():
        return (
            "must be a plain name (letters, digits, '_', '-', '.', '+', spaces; starting "
            "with a letter, digit or '_')"
        )
    return None


def check_plain_name(name: str) -> str:
    """``name`` in NFC if it is a plain name, else ValueError (pydantic: a field error)."""
    problem = plain_name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    return nfc(name)


def short_name(text: str, limit: int = MAX_NAME) -> str:
    """A plain name made from ``text`` (a default name such as ``a_vs_b``): characters a plain
    name cannot hold become ``_``; a name over ``limit`` characters or :data:`MAX_NAME_BYTES`
    bytes keeps its start and ends with ``-`` and 8 hex digits of its digest, so two long names
    stay apart."""
    name = _NOT_PLAIN.sub("_", nfc(text)).strip() or "_"
    if not PLAIN_NAME.fullmatch(name[0]):
        name = "_" + name
    if plain_name_problem(name) is None and len(name) <= limit:
        return name
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    keep = name[: max(1, min(limit, MAX_NAME) - 9)]
    while len(keep.encode("utf-8")) > MAX_NAME_BYTES - 9:
        keep = keep[:-1]
    return f"{keep.rstrip()}-{digest}"


#: A pydantic field type for plain names (kept in NFC).
PlainName = Annotated[str, AfterValidator(check_plain_name)]
