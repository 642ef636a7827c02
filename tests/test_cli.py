"""The ``ckm-sim`` command line: malformed scenario files and the happy path.

Hypothesis writes malformed scenario files (wrong types, out-of-range values, unknown keys at the
top level and in sections, broken TOML syntax, non-UTF-8 bytes, deeply nested arrays, tables and
dotted keys, non-finite numbers) and runs them through the real
entry point, ``ckm_sim.cli.main``: each must give exactly one line on stderr naming the file (and
the key, where there is one) and a non-zero exit, never a traceback. One test also calls the
installed ``ckm-sim`` console script in a subprocess.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
import subprocess
import sys
import tempfile
import types
import typing
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckm_sim.cli import main
from ckm_sim.model.outcomes import OUTCOMES, SUMMARY
from ckm_sim.model.scenario import SCENARIO_DIR, SECTIONS, Scenario

BASELINE_TEXT = (SCENARIO_DIR / "baseline.toml").read_text(encoding="utf-8")

# ---------------------------------------------------------------------------------- TOML writer


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes, but no surrogate pairs and DEL escaped)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
    return key if bare else toml_string(key)


def toml_document(top: dict, sections: dict[str, dict]) -> str:
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in top.items()]
    for name, table in sections.items():
        lines.append(f"[{toml_key(name)}]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- field facts


def _kind_and_bounds(annotation, metadata) -> tuple[str, float | None, float | None, bool]:
    """(kind, lower, upper, lower_is_strict) of a scenario field."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = next(a for a in typing.get_args(annotation) if a is not type(None))
        base, *extra = typing.get_args(inner)
        metadata = [m for e in extra for m in getattr(e, "metadata", [e])]
        annotation = base
    lo = hi = None
    strict = False
    for m in metadata:
        if hasattr(m, "ge"):
            lo = m.ge
        if hasattr(m, "gt"):
            lo, strict = m.gt, True
        if hasattr(m, "le"):
            hi = m.le
    if annotation is int:
        return "int", lo, hi, strict
    if annotation is float:
        return "float", lo, hi, strict
    if annotation is str:
        return "str", None, None, False
    if typing.get_origin(annotation) is list:
        return "list", None, None, False
    if typing.get_origin(annotation) is typing.Literal:
        return "literal", None, None, False
    raise AssertionError(annotation)


#: (section or None for the top level, key) -> (kind, lower, upper, lower_is_strict)
FIELD_FACTS = {
    (section, name): _kind_and_bounds(info.annotation, info.metadata)
    for section, cls in SECTIONS.items()
    for name, info in cls.model_fields.items()
}
FIELD_FACTS[(None, "periods")] = _kind_and_bounds(
    Scenario.model_fields["periods"].annotation, Scenario.model_fields["periods"].metadata
)
FIELD_FACTS[(None, "name")] = ("str", None, None, False)
FIELD_FACTS[(None, "description")] = ("str", None, None, False)
KNOWN = {k for _, k in FIELD_FACTS} | set(SECTIONS) | set(Scenario.model_fields)


def _not_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text.strip().lower() not in {"inf", "-inf", "+inf", "nan", "infinity"}
    return False


words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
non_numeric_text = words.filter(_not_a_number)
arrays = st.lists(st.integers(-5, 5), min_size=1, max_size=3)
tables = st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3), min_size=1)
dates = st.dates(date(1990, 1, 1), date(2100, 1, 1))


def wrong_type_value(kind: str) -> st.SearchStrategy:
    if kind in ("int", "float"):
        options = [non_numeric_text, arrays, tables, dates]
        if kind == "int":
            options.append(st.floats(0.1, 0.9).map(lambda f: 2 + f))  # fractional
        return st.one_of(options)
    if kind in ("str", "literal"):
        return st.one_of(st.integers(), st.floats(allow_nan=False), arrays, tables, dates)
    return st.one_of(non_numeric_text, st.integers(), tables, st.just([1, 2]))  # lists of str


def out_of_range_value(kind: str, lo, hi, strict: bool) -> st.SearchStrategy:
    if kind == "literal":
        return words.filter(lambda w: w not in ("small_world", "scale_free", "none"))
    options = []
    if kind == "int":
        if lo is not None:
            options.append(st.integers(lo - 10**6, lo - 1))
        if hi is not None:
            options.append(st.integers(hi + 1, hi + 10**6))
    else:
        options.append(st.just(math.nan))
        if lo is not None:
            below = st.floats(lo - 1e6, lo, exclude_max=not strict)
            options.append(below if strict else below.filter(lambda x: x < lo))
        if hi is not None:
            options.append(st.floats(hi, hi + 1e6, exclude_min=True))
        if hi is None:
            options.append(st.just(math.inf))  # money must be finite
    return st.one_of(options)


fields_with_range = sorted(
    (k for k, (kind, lo, hi, _) in FIELD_FACTS.items() if lo is not None or hi is not None),
    key=str,
) + sorted((k for k, f in FIELD_FACTS.items() if f[0] == "literal"), key=str)


@st.composite
def wrong_type_files(draw):
    section, key = draw(st.sampled_from(sorted(FIELD_FACTS, key=str)))
    value = draw(wrong_type_value(FIELD_FACTS[(section, key)][0]))
    return _place(section, key, value), key


@st.composite
def out_of_range_files(draw):
    section, key = draw(st.sampled_from(fields_with_range))
    value = draw(out_of_range_value(*FIELD_FACTS[(section, key)]))
    return _place(section, key, value), key


@st.composite
def unknown_key_files(draw):
    key = draw(
        st.one_of(
            st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True),
            words.filter(lambda w: w.strip() != "" and "\n" not in w),
        ).filter(lambda k: k not in KNOWN)
    )
    section = draw(st.sampled_from([None, *SECTIONS]))
    return _place(section, key, draw(st.integers(0, 3))), key


def _place(section: str | None, key: str, value) -> bytes:
    top = {"description": "generated"} if key != "description" else {}
    sections = {"competence": {"it_systems": 0.6}}
    if section is None:
        top[key] = value
    else:
        sections.setdefault(section, {})[key] = value
    return toml_document(top, sections).encode("utf-8")


BREAKERS = [
    "key = ",
    "[market",
    "= 3",
    'name = "unterminated',
    "x = [1, 2",
    "x = 1 2",
    "it systems = 0.5",
    "[competence]",  # a table defined twice
    "margin = 0.5.5",
    "x = {a = 1",
    "\x01 = 1",
]


@st.composite
def broken_syntax_files(draw):
    lines = BASELINE_TEXT.splitlines()
    at = draw(st.integers(0, len(lines)))
    breaker = draw(st.sampled_from(BREAKERS))
    return "\n".join([*lines[:at], breaker, *lines[at:]]).encode("utf-8"), None


@st.composite
def non_utf8_files(draw):
    data = BASELINE_TEXT.encode("utf-8")
    at = draw(st.integers(0, len(data)))
    bad = draw(st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3\x28", b"\x80abc", b"\xed\xa0\x80"]))
    return data[:at] + bad + data[at:], None


def _nested(kind: str, depth: int) -> str:
    """A TOML value nested ``depth`` levels deep, written without recursion."""
    if kind == "array":
        return "[" * depth + "1" + "]" * depth
    return "{a = " * depth + "1" + "}" * depth


@st.composite
def nested_files(draw):
    """A field (known or not, top level or in a section) given a deeply nested array or inline
    table, or a dotted key thousands of parts long: never a traceback (RecursionError)."""
    depth = draw(st.one_of(st.integers(1, 25), st.integers(25, 5000)))
    section, key = draw(st.sampled_from(sorted(FIELD_FACTS, key=str)))
    form = draw(st.sampled_from(["array", "table", "dotted"]))
    if form == "dotted":
        depth = max(depth, 2)  # "key = 1" alone may be valid
        line = ".".join([key] * depth) + " = 1"
    else:
        line = f"{key} = {_nested(form, depth)}"
    head = f"[{section}]\n" if section is not None else ""
    text = head + line + "\n"
    # tables and arrays around the innermost value: the document, the section, the nesting
    containers = 1 + (section is not None) + (depth - 1 if form == "dotted" else depth)
    return text.encode("utf-8"), key if containers <= 20 else "nested"


NON_FINITE = ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "1e400", "-1e400"]
numeric_fields = sorted((k for k, f in FIELD_FACTS.items() if f[0] in ("int", "float")), key=str)


@st.composite
def non_finite_files(draw):
    """A number field given NaN, an infinity or a float too large for a double (1e400)."""
    section, key = draw(st.sampled_from(numeric_fields))
    value = draw(st.sampled_from(NON_FINITE))
    head = f"[{section}]\n" if section is not None else ""
    return (head + f"{key} = {value}\n").encode("utf-8"), key


malformed_files = st.one_of(
    wrong_type_files(),
    out_of_range_files(),
    unknown_key_files(),
    broken_syntax_files(),
    non_utf8_files(),
    nested_files(),
    non_finite_files(),
)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_one_error_line(code: int, stderr: str, path: str, key: str | None) -> None:
    assert code != 0
    assert "Traceback" not in stderr
    lines = stderr.strip("\n").split("\n")
    assert len(lines) == 1, stderr
    line = lines[0]
    assert line.startswith("ckm-sim: error: "), line
    assert path in line, (path, line)
    if key is not None:
        assert key in line, (key, line)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(malformed_files, st.sampled_from(["validate", "run"]))
def test_malformed_scenario_file_gives_one_error_line(case, command):
    content, key = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bad.toml"
        path.write_bytes(content)
        argv = [command, str(path)]
        if command == "run":
            argv += ["--out", str(Path(tmp) / "out"), "--quiet", "--periods", "1"]
        code, stdout, stderr = run_cli(argv)
        assert_one_error_line(code, stderr, str(path), key)
        assert stdout == ""
        assert not (Path(tmp) / "out").exists()  # nothing written for a bad scenario


@st.composite
def too_large_files(draw):
    """Sizes each within its own bounds whose product is too large for the memory limit."""
    market = {
        "customers": draw(st.integers(200_000, 5_000_000)),
        "prospects": draw(st.integers(0, 5_000_000)),
        "need_dimensions": draw(st.integers(50, 1000)),
    }
    firm = {}
    if draw(st.booleans()):  # or: employees x segments x need dimensions
        market = {"customers": 100, "segments": draw(st.integers(200, 1000))}
        market["need_dimensions"] = draw(st.integers(200, 1000))
        firm = {"employees": draw(st.integers(5_000, 100_000))}
    return toml_document({"periods": 1}, {"market": market, "firm": firm}).encode("utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(too_large_files())
def test_sizes_in_bounds_whose_product_is_too_large_are_refused(content):
    """Each value passes validation; together they are refused before anything is allocated."""
    from ckm_sim.errors import TooLargeError

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.toml"
        path.write_bytes(content)
        code, stdout, stderr = run_cli(["validate", str(path)])
        assert code == 0, stderr  # every value is within its bounds
        out = Path(tmp) / "out"
        argv = ["run", str(path), "--out", str(out), "--quiet", "--max-memory", "64M"]
        code, stdout, stderr = run_cli(argv)
        assert_one_error_line(code, stderr, "big", "--max-memory")
        assert code == TooLargeError.exit_code and "64.0 MiB" in stderr
        assert not out.exists()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[competence]\nit_systems = 0.5\nit_systems = 0.6\n", None),  # duplicate key
        ("competence = 3\n", "competence"),
        ("[firm]\nemployees = 3\n", "employees"),  # fewer than the five departments
        ('[firm]\nproduct_department = "legal"\n', "product_department"),
        ('[firm]\ndepartments = ["a", "a"]\n', "departments"),
        ("periods = -1\n", "periods"),
        ("seed = -5\n", "seed"),
        ("[levers]\ncapture = 2.0\n", "capture"),
        ("[market]\nfixed_churn = -0.1\n", "fixed_churn"),
        ("[economics]\nmargin = inf\n", "margin"),
        ("[economics]\ndiscount_rate = 0.0\n", "discount_rate"),
        ("[competence]\nit_systems = 1.5\nlearning_culture = -1\n", "it_systems"),
    ],
)
def test_specific_bad_files(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    code, stdout, stderr = run_cli(["validate", str(path)])
    assert_one_error_line(code, stderr, str(path), key)


def test_missing_file_and_directory(tmp_path):
    missing = tmp_path / "missing.toml"
    assert_one_error_line(*run_cli(["validate", str(missing)])[::2], str(missing), None)
    assert_one_error_line(*run_cli(["run", str(missing)])[::2], str(missing), None)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert_one_error_line(*run_cli(["validate", str(folder)])[::2], str(folder), None)


def test_validate_all_shipped_scenarios():
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    code, stdout, stderr = run_cli(["validate", *names])
    assert code == 0 and stderr == ""
    assert stdout.count("OK ") == len(names)


def test_help_lists_examples(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "examples" in text and "run" in text and "validate" in text
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "--periods" in capsys.readouterr().out


TINY = """name = "tiny"
periods = 4
seed = 9
[firm]
employees = 10
[market]
customers = 80
prospects = 40
need_dimensions = 8
"""


def test_run_writes_parquet_json_and_png(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY)
    out = tmp_path / "results"
    code, stdout, stderr = run_cli(["run", str(path), "--periods", "6", "--out", str(out)])
    assert code == 0, stderr
    folder = out / "tiny"
    series = pd.read_parquet(folder / "timeseries.parquet")
    assert len(series) == 7  # period 0 (initial state) and 6 steps
    assert set(OUTCOMES) <= set(series.columns)
    written = json.loads((folder / "summary.json").read_text())
    assert written["summary"]["periods"] == 6 and written["summary"]["seed"] == 9
    assert set(SUMMARY) <= set(written["summary"])
    assert written["scenario"]["market"]["customers"] == 80
    assert (folder / "timeseries.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "results written" in stdout
    assert "Net value convention: horizon" in stdout
    assert written["cohorts"][0]["cohort"] == "initial"
    assert not list(folder.glob(".*.tmp"))  # atomic writes leave no temporary files


def console_script() -> str:
    script = Path(sys.executable).with_name("ckm-sim")
    return str(script) if script.exists() else shutil.which("ckm-sim") or "ckm-sim"


def test_console_script_in_a_subprocess(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[market]\ncustomers = -3\n")
    result = subprocess.run(
        [console_script(), "validate", "baseline", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "OK baseline" in result.stdout
    assert_one_error_line(result.returncode, result.stderr, str(bad), "customers")


def test_command_line_starts_without_heavy_imports():
    """`ckm-sim --help` and `validate` must not import the model, plotting or solvers."""
    code = (
        "import sys, ckm_sim.cli as c; c.build_parser(); "
        "heavy = ['mesa', 'seaborn', 'matplotlib', 'scipy', 'solara', 'dask', 'optuna', "
        "'ckm_sim.model.model']; print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
