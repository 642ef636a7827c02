"""The commands README.md shows a user, read from the README, and the README's setup to run them
on (issue 25): `make run` installs ``.[all]``, the tests run with ``.[dev]``, so a command run by
a test must not see what only the ``dev`` extra installs.

- :func:`readme_commands` finds every command: each line of a shell code block (fenced ``sh``, or
  indented) that starts with a program a user runs (:data:`PROGRAMS`), with its continuation
  lines (``[--option ...]``) and without its ``# comment``; each ``$ command`` of a console
  block with the output lines shown under it; and each inline code span that starts with such a
  program and gives it something to do (``ckm-sim compare`` alone is a command's name).
- :func:`dev_only_distributions` is what ``dev`` adds to ``all``: the distributions (with their
  own dependencies) that ``.[dev]`` installs and ``.[all]`` does not, from pyproject.toml and
  the installed distributions' metadata; :func:`write_blocker` writes a ``sitecustomize`` that
  makes their modules fail to import, as if not installed.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: The programs a README command starts with.
PROGRAMS = ("ckm-sim", "make", "python", "pip", "dask")

FENCE = re.compile(r"^```(\w*)\s*$")
INLINE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Command:
    """One command the README shows: its text (whitespace collapsed, comment dropped), the line
    it starts on, and the output the README shows under it (a ``$`` line of a console block)."""

    text: str
    line: int
    output: tuple[str, ...] = field(default=(), compare=False)

    @property
    def program(self) -> str:
        return self.text.split()[0]


def _is_command(text: str) -> bool:
    return text.split(maxsplit=1)[0] in PROGRAMS if text.strip() else False


def _without_comment(line: str) -> str:
    return " ".join(re.split(r"\s#\s|\s#$", line, maxsplit=1)[0].split())


def _shell_lines(lines: list[tuple[int, str]]) -> list[Command]:
    """Commands of one code block: ``$`` lines with their output, or plain command lines with
    their ``[...]`` continuation lines."""
    found: list[Command] = []
    i = 0
    while i < len(lines):
        number, line = lines[i]
        i += 1
        stripped = line.strip()
        if stripped.startswith("$ "):
            output = []
            while i < len(lines) and not lines[i][1].strip().startswith("$ "):
                if lines[i][1].strip():
                    output.append(lines[i][1].strip())
                i += 1
            found.append(Command(_without_comment(stripped[2:]), number, tuple(output)))
            continue
        if not _is_command(stripped):
            continue
        text = _without_comment(stripped)
        while i < len(lines) and lines[i][1].strip().startswith("["):
            text += " " + _without_comment(lines[i][1].strip())
            i += 1
        found.append(Command(text, number))
    return found


def _blocks(text: str) -> tuple[list[tuple[str, list[tuple[int, str]]]], list[tuple[int, str]]]:
    """The code blocks of a Markdown text, as (language, numbered lines): fenced (language as
    given) and indented (language ``indented``); and the prose lines outside them."""
    blocks: list[tuple[str, list[tuple[int, str]]]] = []
    prose: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    previous_blank = True
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            language, body = fence.group(1), []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append((i + 1, lines[i]))
                i += 1
            blocks.append((language, body))
            i += 1
            previous_blank = False
            continue
        if previous_blank and line.startswith("    ") and line.strip():
            body = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                body.append((i + 1, lines[i]))
                i += 1
            blocks.append(("indented", body))
            previous_blank = True
            continue
        prose.append((i + 1, line))
        previous_blank = not line.strip()
        i += 1
    return blocks, prose


def readme_commands(text: str) -> list[Command]:
    """Every command ``text`` (a README) shows a user to run, in order; a command shown twice
    is listed once, where it is first shown."""
    blocks, prose = _blocks(text)
    found: list[Command] = []
    for language, body in blocks:
        if language in {"", "sh", "bash", "console", "shell", "indented"}:
            found += _shell_lines(body)
    # inline spans may run over a line break: join the prose, remembering where lines start
    joined, starts = "", []
    for number, line in prose:
        starts.append((len(joined), number))
        joined += line + "\n"
    for match in INLINE.finditer(joined):
        span = " ".join(match.group(1).split())
        words = span.split()
        if not _is_command(span) or len(words) < 2:
            continue
        if words[0] == "ckm-sim" and len(words) == 2 and not words[1].startswith("-"):
            continue  # a command's name: ``ckm-sim compare``
        if span.startswith("python -m ckm_sim") and len(words) == 3:
            continue  # another spelling of ``ckm-sim``
        number = max(n for offset, n in starts if offset <= match.start())
        found.append(Command(span, number))
    found.sort(key=lambda command: command.line)
    unique: dict[str, Command] = {}
    for command in found:
        unique.setdefault(command.text, command)
    return list(unique.values())


def make_recipe(makefile: str, target: str) -> list[str]:
    """The commands ``make TARGET`` runs (its recipe's lines, ``$(BIN)/`` dropped: the
    installed commands)."""
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n?)+)", makefile, re.MULTILINE)
    if match is None:
        raise KeyError(target)
    return [line.strip().replace("$(BIN)/", "") for line in match.group(1).splitlines()]


# -- the README's setup: what only the dev extra installs is not there ------------------------


def _closure(requirements: list[str], own: dict[str, list[str]]) -> set[str]:
    """The installed distributions ``requirements`` pull in, with their dependencies (markers
    evaluated, extras followed); ``own`` gives ckm-sim's extras (from pyproject.toml)."""
    seen: set[tuple[str, str]] = set()
    names: set[str] = set()
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        for wanted in [""] + sorted(requirement.extras):
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            if name == "ckm-sim":
                todo += [(Requirement(r), "") for r in own[wanted]]
                continue
            try:
                requires = metadata.distribution(name).requires or []
            except metadata.PackageNotFoundError:
                continue  # not installed here (a marker for another platform)
            names.add(name)
            todo += [(Requirement(r), wanted) for r in requires]
    return names


def dev_only_distributions(pyproject: Path) -> set[str]:
    """The distributions ``pip install -e ".[dev]"`` installs and ``".[all]"`` does not."""
    project = tomllib.loads(pyproject.read_text())["project"]
    own = {"": project["dependencies"], **project["optional-dependencies"]}
    return _closure(["ckm-sim[dev]"], own) - _closure(["ckm-sim[all]"], own)


def top_level_modules(distributions: set[str]) -> set[str]:
    """The importable top-level names the ``distributions`` provide."""
    modules = set()
    for module, owners in metadata.packages_distributions().items():
        if (
            module.isidentifier()
            and not module.startswith("__")
            and {canonicalize_name(o) for o in owners} & distributions
        ):
            modules.add(module)
    return modules


BLOCKER = '''"""The README's setup (written by tests/readme_commands.py): modules of distributions
only the dev extra installs are not installed."""

import sys

BLOCKED = frozenset({blocked!r})


class DevOnly:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(
                f"No module named {{name!r}} (only the dev extra installs it)", name=name
            )
        return None


sys.meta_path.insert(0, DevOnly())
'''


def write_blocker(folder: Path, modules: set[str]) -> Path:
    """Write ``folder/sitecustomize.py`` that blocks ``modules``; put ``folder`` first on
    PYTHONPATH to run on the README's setup."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(BLOCKER.format(blocked=sorted(modules)))
    return folder


def readme_python(text: str) -> str:
    """The README's Python example (its ``python`` code blocks, in order), as one script."""
    blocks, _ = _blocks(text)
    return "\n".join(
        "\n".join(line for _, line in body) for lang, body in blocks if lang == "python"
    )
