"""Terminal tables never cut a number (issue 25, defect 2): at 80 and 200 columns every value
appears whole, and no cell is shortened with an ellipsis."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from ckm_sim import CKMModel
from ckm_sim.model.outcomes import SUMMARY
from ckm_sim.reports.numbers import number
from ckm_sim.reports.tables import FIRM_TABLE_COLUMNS, print_firms, print_summary


@pytest.fixture(scope="module")
def entry() -> CKMModel:
    return CKMModel("market_entry", rng=1, collect=False).run(24)


def _console(width: int) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=width, color_system=None), out


@pytest.mark.parametrize("width", [80, 200])
def test_no_table_cuts_a_number(entry, width) -> None:
    row = entry.summary()
    console, out = _console(width)
    print_summary(row, SUMMARY, console=console)
    print_firms(row, entry.firm_names, console=console)
    text = out.getvalue()
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    values = [number(row[k]) for k in SUMMARY if k in row]
    values += [number(row[f"{f}.{c}"]) for f in entry.firm_names for c in FIRM_TABLE_COLUMNS]
    missing = [v for v in values if v not in text]
    assert not missing, missing


def test_many_firms_print_as_several_tables_that_fit() -> None:
    firms = tuple(f"firm_{i}" for i in range(9))
    fake = {f"{f}.{c}": 1_234_567.0 + i for i, f in enumerate(firms) for c in FIRM_TABLE_COLUMNS}
    console, out = _console(80)
    print_firms(fake, firms, console=console)
    text = out.getvalue()
    assert text.count("per firm") == 3 and "…" not in text
    assert all(f"1,234,5{67 + i}" in text for i in range(9))
    assert max(len(line) for line in text.splitlines()) <= 80


def test_money_reads_in_the_scenarios_currency_in_whole_units(entry) -> None:
    """Issue 22: given the currency, money cells read ``1,234 CHF``, with no decimals, in the
    summary and (the row named with the currency) per firm; other outcomes are unchanged."""
    row = dict(entry.summary()) | {"clv": 292.46, "net_value": -104_211.6}
    console, out = _console(200)
    print_summary(row, SUMMARY, console=console, currency="CHF")
    print_firms(row, entry.firm_names, console=console, currency="CHF")
    text = out.getvalue()
    assert "292 CHF" in text and "292.5" not in text
    assert "-104,212 CHF" in text
    assert number(row["mean_retention_rate"]) in text
    assert "net value (CHF)" in text and "customer equity (CHF)" in text
    firm_value = row[f"{entry.firm_names[0]}.clv"]
    assert f"{round(firm_value):,}" in text
    assert "CHF" not in " ".join(line for line in text.splitlines() if "retention" in line)
