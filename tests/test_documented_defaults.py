"""Help and docs agree (issue 25, defect 5): the defaults the README and docs/whatif.md give for
the what-if commands are the parsers' defaults, the files the docs list are the files the help
lists, and the help prints no ``%%`` nor example lines run together by a stray line continuation."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from ckm_sim.cli import COMMANDS, build_parser, main
from ckm_sim.commands import optimize
from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "docs/whatif.md"]
WHATIF = ("compare", "optimize", "calibrate")
COMMAND_IN_HEADING = re.compile(r"`(?:ckm-sim )?(compare|optimize|calibrate)\b")
OPTION_WITH_VALUE = re.compile(r"\[(--[\w-]+) ([^\[\]]+?)\]")
PROSE_DEFAULT = re.compile(r"`(--[\w-]+)`[^`.;]{0,40}?[(,] ?default (\d[\d,]*(?:\.\d+)?)")


def _subparsers() -> dict[str, object]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return dict(sub.choices)  # type: ignore[attr-defined]


PARSERS = _subparsers()


def effective_default(command: str, option: str, method: str = optimize.METHOD) -> object:
    """The value a command uses when ``option`` is not given (optimize picks --trials and
    --replications by method when the parser's default is None)."""
    (action,) = [a for a in PARSERS[command]._actions if option in a.option_strings]
    if action.default is None and command == "optimize":
        table = {"--trials": optimize.TRIALS, "--replications": optimize.SEARCH_REPLICATIONS}
        return table[option][method]
    return action.default


def _synopses(text: str) -> list[tuple[str, str]]:
    """(command, synopsis) for every ``ckm-sim COMMAND ...`` line of a code block, with its
    continuation lines (those that start with ``[``) joined."""
    found: list[tuple[str, str]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"\s*ckm-sim (compare|optimize|calibrate)\b", line)
        if not match or not line.startswith(("    ", "ckm-sim")):
            continue
        whole = line
        for more in lines[i + 1 :]:
            if not more.strip().startswith("["):
                break
            whole += " " + more.strip()
        found.append((match.group(1), whole))
    return found


def _documented_synopsis_defaults() -> list[tuple[str, str, str, str]]:
    rows = []
    for doc in DOCS:
        for command, synopsis in _synopses((ROOT / doc).read_text()):
            for option, value in OPTION_WITH_VALUE.findall(synopsis):
                rows.append((doc, command, option, value))
    return rows


@pytest.mark.parametrize(("doc", "command", "option", "value"), _documented_synopsis_defaults())
def test_a_synopsis_shows_the_parsers_default(doc, command, option, value) -> None:
    method = "tpe" if value.endswith(" (tpe)") else optimize.METHOD
    value = value.removesuffix(" (tpe)")
    if value.isupper() or value in {"N", "...", "B"} or "=" in value or "..." in value:
        return  # a placeholder, not a default
    default = effective_default(command, option, method)
    if "|" in value:  # choices: the default is listed first
        assert value.split("|")[0] == default, (doc, command, option, value, default)
    elif option == "--fit":
        assert value.split() == list(DEFAULT_PARAMETERS), (doc, value)
    else:
        assert float(value) == pytest.approx(float(default)), (doc, command, option, value)


def _prose_defaults() -> list[tuple[str, str, str, str, str]]:
    """(doc, command, method, option, value) for every "`--option` ... (default N" in a section
    about a what-if command; a paragraph about ``--method tpe`` gives tpe's defaults."""
    rows = []
    for doc in DOCS:
        command = None
        for block in re.split(r"\n(?=#)|\n\s*\n|\n(?=- )", (ROOT / doc).read_text()):
            if block.startswith("#"):
                heading = block.splitlines()[0]
                named = COMMAND_IN_HEADING.search(heading)
                if named:
                    command = named.group(1)
                elif heading.startswith(("# ", "## ")):
                    command = None
                continue
            if command is None:
                continue
            method = "tpe" if "`--method tpe`" in block else optimize.METHOD
            for option, value in PROSE_DEFAULT.findall(block.replace("\n", " ")):
                rows.append((doc, command, method, option, value))
    return rows


def test_prose_defaults_are_found() -> None:
    options = {(command, option) for _, command, _, option, _ in _prose_defaults()}
    assert ("optimize", "--trials") in options and ("optimize", "--replications") in options


@pytest.mark.parametrize(("doc", "command", "method", "option", "value"), _prose_defaults())
def test_prose_gives_the_parsers_default(doc, command, method, option, value) -> None:
    default = effective_default(command, option, method)
    assert float(value.replace(",", "")) == pytest.approx(float(default)), (
        doc,
        command,
        method,
        option,
        value,
        default,
    )


def _help(command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([command, "--help"])
    return out.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_help_prints_no_doubled_percent_and_no_run_together_examples(command) -> None:
    text = _help(command)
    assert "%%" not in text
    for line in text.splitlines():
        if not line.startswith("  ckm-sim "):
            continue
        # after a gap of two or more spaces comes a comment, never more options: a stray
        # line continuation ("\" at the end of a line in a plain string) runs lines together
        for comment in re.split(r"\S\s{2,}", line.rstrip(" \\"))[1:]:
            assert "--" not in comment, line


def _documented_files(command: str) -> set[str]:
    text = (ROOT / "docs/whatif.md").read_text()
    section = text.split(f"## `ckm-sim {command}`", 1)[1]
    section = re.split(r"\n## ", section, maxsplit=1)[0]
    files = section.split("Files:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"`([\w.]+\.(?:md|png|csv|json|toml|parquet))`", files))


@pytest.mark.parametrize("command", WHATIF)
def test_help_lists_every_file_the_docs_list(command) -> None:
    text = _help(command)
    documented = _documented_files(command)
    assert documented
    missing = sorted(name for name in documented if name not in text)
    assert not missing, (command, missing)


def test_step_help_says_what_the_step_is_a_tenth_of() -> None:
    text = " ".join(_help("optimize").split())
    assert "a tenth of what the answer spends" in text


@pytest.mark.parametrize("command", WHATIF)
def test_what_if_commands_use_as_many_workers_as_sweep(command) -> None:
    # issue 25: optimize and calibrate ran on one worker unless told otherwise
    assert effective_default(command, "--workers") == effective_default("sweep", "--workers")
    assert "default the number of CPUs" in " ".join(_help(command).split())


def test_docs_say_every_what_if_command_uses_every_cpu() -> None:
    text = " ".join((ROOT / "docs/whatif.md").read_text().split())
    assert "1 by default" not in text
    assert "default: every CPU, as `sweep`, for `compare`, `optimize` and `calibrate`" in text
