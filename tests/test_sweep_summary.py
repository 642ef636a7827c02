"""Per-firm sweep summaries are readable (issue 25, defect 3): at 80 and 200 columns no name or
value is cut (no ellipsis, no line wider than the terminal), each design point shows its
factors with their values, and every outcome's mean and CI half-width appear whole."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from ckm_sim.cli import main
from ckm_sim.experiments.analysis import Analysis, analyse
from ckm_sim.experiments.terminal import print_summary
from ckm_sim.reports.numbers import half_width, number

FACTORS = ("it_systems", "learning_culture", "customer_cooperation", "organisational_systems")
OUTCOMES = ("laggard.net_value", "leader.final_market_share", "laggard.mean_retention_rate")


@pytest.fixture(scope="module")
def per_firm(tmp_path_factory) -> Analysis:
    folder = tmp_path_factory.mktemp("per_firm")
    factors = "".join(f'[factors."firms.laggard.{f}"]\nlevels = [0.2, 0.8]\n' for f in FACTORS)
    path = folder / "per_firm.toml"
    path.write_text(
        'name = "per_firm"\nscenario = "duopoly"\nperiods = 2\nreplications = 2\n'
        "[fixed]\ncustomers = 60\nprospects = 20\nemployees = 8\n"
        + factors
        + '[design]\nmethod = "full_factorial"\n[outcomes]\nreport = '
        + repr(list(OUTCOMES)).replace("'", '"')
        + "\n",
        encoding="utf-8",
    )
    argv = ["sweep", str(path), "--out", str(folder / "out"), "--quiet", "--workers", "1"]
    assert main([*argv, "--no-report"]) == 0
    return analyse(folder / "out" / "per_firm")


def _printed(a: Analysis, width: int) -> str:
    out = io.StringIO()
    print_summary(a, console=Console(file=out, width=width, color_system=None))
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 200])
def test_a_per_firm_summary_cuts_nothing(per_firm: Analysis, width: int) -> None:
    text = _printed(per_firm, width)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    wide = per_firm.wide_points()
    tables = 1 + text.count("(continued)")  # outcomes that do not fit: more tables
    assert tables == (2 if width == 80 else 1)
    for factor in FACTORS:  # each point shows each factor with its value, in every table
        shown = re.findall(rf"\b{factor} = (0\.2|0\.8)\b", text)
        assert len(shown) == tables * len(wide), (factor, len(shown))
    assert "firms.laggard." in text  # the shortened factor names are explained
    for outcome in OUTCOMES:
        firm, name = outcome.split(".")
        assert firm in text and name in text, outcome
        for _, row in wide.iterrows():
            half = (row[f"{outcome}_high"] - row[f"{outcome}_low"]) / 2
            assert f"{number(row[f'{outcome}_mean'])} ± {half_width(half)}" in text


def test_the_summary_is_not_padded_with_empty_lines(per_firm: Analysis) -> None:
    text = _printed(per_firm, 200)
    empty_design_lines = [line for line in text.splitlines() if re.match(r"│\s+│\s+firms", line)]
    assert not empty_design_lines
    assert len(text.splitlines()) < 8 * per_firm.design.size
