"""Issue 27: the hostile-input corpus of the newer surfaces (firms, plans, ``--add``,
calibrate's CSV and options, special files). Each input must end in one line on stderr with
the documented exit code (docs/sweeps.md), before any run and without writing anything; and
the bounds of issue 27 point 4 (``calibrate --project``, ``optimize --plans``) and the trust
note of point 8 (``--scheduler``) are checked here too."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import pytest
from test_cli import assert_one_error_line

from ckm_sim.cli import main

BASE = 'name = "f"\nperiods = 2\n[firm]\nemployees = 10\n[market]\ncustomers = 60\nprospects = 20\n'
FIRMS = {  # [[firms]] bodies that must be refused (the second firm is always "b")
    "overrides_number": 'name = "a"\noverrides = 5',
    "overrides_array": 'name = "a"\noverrides = [1, 2]',
    "overrides_string": 'name = "a"\noverrides = "it_systems"',
    "name_number": "name = 5",
    "name_dotted": 'name = "a.b"',
    "no_name": "it_systems = 0.5",
    "unknown_field": 'name = "a"\ncolour = "red"',
    "market_field": 'name = "a"\ncustomers = 10',
    "share_text": 'name = "a"\ninitial_share = "half"',
    "share_above_one": 'name = "a"\ninitial_share = 1.5',
    "share_bool": 'name = "a"\ninitial_share = true',
    "level_above_one": 'name = "a"\nit_systems = 2.0',
    "level_nan": 'name = "a"\nit_systems = nan',
    "section_number": 'name = "a"\ncompetence = 5',
}
PLANS = {  # plans files that must be refused -> exit code
    "empty": ("", 2),
    "not_a_table": ("early = 5\n", 2),
    "bad_name": ('["../x"]\nlag = 1\n', 2),
    "unknown_key": ("[early]\ncolour = 1\n", 2),
    "negative_spend": ("[early]\n[[early.phases]]\nstart = 1\nit_systems = -5\n", 2),
    "phase_number": ("[early]\nphases = 5\n", 2),
    "nan_spend": ("[early]\n[[early.phases]]\nstart = 1\nit_systems = nan\n", 2),
    "too_many": ("".join(f"[p{i}]\n" for i in range(31)), 5),
    "far_too_many": ("".join(f"[p{i}]\n" for i in range(20_000)), 5),
    "deep": ("[early]\nx = " + "[" * 100 + "]" * 100 + "\n", 2),
}
ADDS = [
    "it_systems",
    "it_systems=",
    "=5",
    "it_systems=abc",
    "it_systems=nan",
    "it_systems=inf",
    "it_systems=-5",
    "it_systems=1e400",
    "colour=5",
    "it_systems=5,it_systems=6",
    "it_systems=1e12",
    ",",
    "it_systems=5;rm -rf /",
]
CSVS = {
    "empty": "",
    "header_only": "period,active\n",
    "one_row": "period,active\n0,100\n",
    "no_columns": "a,b\n1,2\n3,4\n",
    "text": "period,active\n0,many\n1,90\n",
    "negative_period": "period,active\n-1,100\n1,90\n",
    "fractional_period": "period,active\n0,100\n1.5,90\n",
    "decreasing_period": "period,active\n0,100\n2,90\n1,80\n",
    "negative_active": "period,active\n0,100\n1,-5\n",
    "huge_period": "period,active\n0,100\n100001,90\n",
    "nan": "period,active\n0,100\n1,nan\n",
    "binary": "\x00\x01\x02\n\x03",
    "quote": 'period,active\n"0,100\n1,90\n',
    "shares_above_one": "period,active\n1,1.5\n2,0.9\n",
}


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, err.getvalue()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("case", list(FIRMS))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_malformed_firms_are_one_line(tmp_path: Path, case: str, command: str) -> None:
    path = tmp_path / "f.toml"
    path.write_text(BASE + f'[[firms]]\n{FIRMS[case]}\n[[firms]]\nname = "b"\n')
    argv = [command, str(path)] + (["--out", str(tmp_path / "o"), "--quiet"] * (command == "run"))
    code, stderr = _run(argv)
    assert_one_error_line(code, stderr, str(path), None)
    assert code == 2
    assert not _files(tmp_path / "o")


def test_firm_overrides_as_pairs_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    body = '[[firms]]\nname = "a"\noverrides = [["it_systems", 0.9]]\n[[firms]]\nname = "b"\n'
    path.write_text(BASE + body)
    code, stderr = _run(["validate", str(path)])
    assert_one_error_line(code, stderr, str(path), "overrides")


@pytest.mark.parametrize("case", list(PLANS))
def test_malformed_plans_are_one_line(tmp_path: Path, case: str) -> None:
    text, expected = PLANS[case]
    path = tmp_path / "plans.toml"
    path.write_text(text)
    argv = ["optimize", "baseline", "--plans", str(path), "--out", str(tmp_path / "o")]
    code, stderr = _run([*argv, "--quiet"])
    assert_one_error_line(code, stderr, str(path), None)
    assert code == expected
    assert not _files(tmp_path / "o")


@pytest.mark.parametrize("text", ADDS)
def test_malformed_add_is_one_line(tmp_path: Path, text: str) -> None:
    out = tmp_path / "o"
    code, stderr = _run(["compare", "baseline", "--add", text, "--out", str(out), "--quiet"])
    assert code == 2 and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) in (1, 2)  # argparse: usage and one error line
    assert "error:" in stderr.strip().splitlines()[-1]
    assert not _files(out)


@pytest.mark.parametrize("case", list(CSVS))
def test_malformed_retention_csv_is_one_line(tmp_path: Path, case: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(CSVS[case])
    out = tmp_path / "o"
    code, stderr = _run(["calibrate", "baseline", "--retention", str(path), "--out", str(out)])
    assert_one_error_line(code, stderr, str(path), None)
    assert code == 2
    assert not _files(out)


# ------------------------------------------------------------------------- point 4: bounds
@pytest.mark.parametrize("project", ["1000000000", "100001", "-1", "x"])
def test_calibrate_project_is_bounded_like_periods(tmp_path: Path, project: str) -> None:
    argv = ["calibrate", "baseline", "--retention", "data/retention_sample.csv"]
    code, stderr = _run([*argv, "--project", project, "--out", str(tmp_path)])
    assert code == 2 and "--project" in stderr and "Traceback" not in stderr


def test_calibrate_project_beyond_the_last_period_is_bounded(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text("period,active\n0,100\n99999,90\n")
    argv = ["calibrate", "baseline", "--retention", str(csv), "--project", "100000"]
    code, stderr = _run([*argv, "--out", str(tmp_path / "o")])
    assert_one_error_line(code, stderr, "--project", "100,000")
    assert not _files(tmp_path / "o")


# ------------------------------------------------------------------------ point 8: trust
@pytest.mark.parametrize("command", ["sweep", "compare", "optimize", "calibrate"])
def test_scheduler_help_says_what_it_trusts(capsys, command: str) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "pickle" in text and "trust" in text and "tls://" in text


def test_the_guide_shows_dask_tls() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "sweeps.md").read_text()
    assert "### Trust and TLS" in text
    for needle in ("--tls-ca-file", "DASK_DISTRIBUTED__COMM__TLS__CA_FILE", "--scheduler tls://"):
        assert needle in text


# ---------------------------------------------------------- point 7: no layout warnings
def test_a_figure_with_a_legend_of_many_plans_saves_without_warnings(tmp_path: Path) -> None:
    from ckm_sim.reports.plots import plt, save_figure

    fig, ax = plt.subplots()
    for i in range(80):
        ax.plot([0, 1], [i, i], label=f"plan_{i:03d}_with_a_long_name")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_figure(fig, tmp_path / "many.png")
    assert [str(w.message) for w in caught] == []
    assert (tmp_path / "many.png").stat().st_size > 0
