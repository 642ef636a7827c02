"""The defaults and worked numbers docs/ODD.md types are the code's (issue 21, defect 8): a
parameter quoted as "`name` (value" is the scenario's default, a lever's "(default at 0.5)" is
what ``derive_levers`` gives at 0.5 on every dimension, and the worked examples (broadcast
rate, growth a year, the cost derivation, the margin share of the top 20%, a record's chance
to be right) follow from the defaults. Measured results are not here: they are figures a script
writes (tests/test_docs_figures.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scipy import stats

from ckm_sim.model import costs
from ckm_sim.model.levers import derive_levers
from ckm_sim.model.scenario import FIELD_SECTION, Scenario

ODD = (Path(__file__).resolve().parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")
PROSE = " ".join(
    re.sub(r"<!-- figure:(\w+) -->.*?<!-- /figure:\1 -->", "", ODD, flags=re.S).split()
)
DEFAULT = Scenario()
#: "`name` (value" or "`x = name` (value": a parameter and the default the ODD gives it.
QUOTED = re.compile(r"`(?:\w+ = )?(\w+)` \((\d[\d,]*(?:\.\d+)?)([,;:) ])")
#: "`margin` (7.4)": a reference to a section of the ODD, not a value.
SECTION = re.compile(r"[1-7]\.\d")


def _default(field: str) -> float:
    section = getattr(DEFAULT, FIELD_SECTION[field])
    return float(getattr(section, field))


def _quoted() -> list[tuple[str, str]]:
    """Every quoted default of a parameter that has one (a lever's pin has none: the lever
    table gives its value)."""
    return [
        (f, v)
        for f, v, after in QUOTED.findall(PROSE)
        if f in FIELD_SECTION
        and getattr(getattr(DEFAULT, FIELD_SECTION[f]), f) is not None
        and not (after == ")" and SECTION.fullmatch(v))
    ]


def test_the_odd_quotes_defaults() -> None:
    fields = {f for f, _ in _quoted()}
    assert {"initial_offer_fit", "turbulence", "switching_cost", "burn_in"} <= fields, fields


@pytest.mark.parametrize(("field", "value"), _quoted())
def test_a_quoted_default_is_the_scenarios(field: str, value: str) -> None:
    assert float(value.replace(",", "")) == pytest.approx(_default(field)), field


def _lever_rows() -> list[tuple[str, str]]:
    """(lever, its value at 0.5) from ODD 7.1's table: the last number in parentheses."""
    section = ODD.split("### 7.1 ", 1)[1].split("### 7.2 ", 1)[0]
    rows = []
    for lever, equation in re.findall(r"^\| `(\w+)`[^|]*\| ([^|]+) \|", section, re.M):
        rows.append((lever, re.findall(r"\((\d+(?:\.\d+)?)\)", equation)[-1]))
    return rows


def test_the_lever_table_is_found() -> None:
    assert len(_lever_rows()) == len(type(derive_levers(DEFAULT)).__dataclass_fields__)


@pytest.mark.parametrize(("lever", "value"), _lever_rows())
def test_a_levers_value_at_the_baseline_is_derive_levers(lever: str, value: str) -> None:
    got = getattr(derive_levers(DEFAULT), lever)
    decimals = len(value.split(".")[1]) if "." in value else 0
    assert round(got, decimals) == pytest.approx(float(value)), (lever, got)


def test_the_worked_rates_follow_from_the_defaults() -> None:
    lv, tailoring = derive_levers(DEFAULT), _default("tailoring")
    efficiency = _default("broadcast_efficiency")
    broadcast = lv.offer_communication * (1 - tailoring) * efficiency
    text = (
        f"`b = offer_communication (1 − tailoring) broadcast_efficiency` "
        f"({lv.offer_communication:g} × {1 - tailoring:g} × {efficiency:g} ≈ {broadcast:.3f})"
    )
    assert text in PROSE
    assert f"`tailored_messaging · tailoring` ({lv.tailored_messaging * tailoring:g})" in PROSE
    growth = _default("market_growth")
    assert f"{growth:g} per period, about {12 * growth:.1%} of the initial market a year" in PROSE


def test_a_records_chance_to_be_right_and_the_top_margin_share() -> None:
    # the standard offer is right with probability f (1 − h) + (1 − f) h (ODD 7.3, f = 0.9)
    h = _default("need_heterogeneity")
    assert f"with `f` near 0.9 that is about {0.9 * (1 - h) + 0.1 * h:.2f}" in PROSE
    # a profile entry a dozen periods old, at the defaults (ODD 7.3)
    phi, rho = derive_levers(DEFAULT).capture_fidelity, _default("turbulence")
    keep = (1 - 2 * rho) ** 12
    right = phi * (1 + keep) / 2 + (1 - phi) * (1 - keep) / 2
    assert f"periods old is right with probability about {right:.2f}" in PROSE
    # lognormal margins: the top 20% hold 1 − Φ(z_0.8 − σ) of the margin (ODD 7.4)
    sigma = _default("margin_spread")
    top = 1 - stats.norm.cdf(stats.norm.ppf(0.8) - sigma)
    assert f"the top 20% of customers hold about {top:.0%} of the margin" in PROSE


def test_the_cost_derivation_is_the_default_costs() -> None:
    """ODD 7.5's derivation: what the default firm pays at level 1, the shares that scale with
    staff and customers, and the worked example for IT at level 0.5."""
    dims = list(type(DEFAULT.competence).model_fields)
    staff, customers = DEFAULT.firm.employees, DEFAULT.market.customers
    # the parts' rates (cost_parts gives amounts: a rate times staff or customers)
    parts = {
        d: {
            "fixed": p["fixed"],
            "per_employee": p["per_employee"] / staff,
            "per_customer": p["per_customer"] / customers,
        }
        for d, p in ((d, costs.cost_parts(DEFAULT, d)) for d in dims)
    }
    units = {d: costs.unit_cost(DEFAULT, d) for d in dims}
    (unit,) = set(units.values())  # every dimension costs the same at level 1
    total = sum(units.values())
    per_employee = sum(p["per_employee"] for p in parts.values())
    per_customer = sum(p["per_customer"] for p in parts.values())
    fixed = sum(p["fixed"] for p in parts.values())
    assert (
        f"The model's default firm, {staff} staff and {customers:,} customers, pays {unit:,.0f} "
        "a month for each dimension at level 1"
    ) in PROSE
    assert (
        f"{per_employee * staff / total:.0%} of it scales with staff ({per_employee:g} per "
        f"employee a month over the five dimensions), {per_customer * customers / total:.0%} "
        f"with customers ({per_customer:g} per customer), {fixed / total:.0%} is fixed"
    ) in PROSE
    margin = _default("margin")
    assert f"({per_customer / margin:.1%} of it at level 1 on every dimension)" in PROSE
    it = parts["it_systems"]
    assert (
        f"`({it['fixed']:g} + {it['per_employee']:g} E + {it['per_customer']:g} N) × 0.5²`" in PROSE
    )

    def it_half(e: int, n: int) -> float:
        return (it["fixed"] + it["per_employee"] * e + it["per_customer"] * n) * 0.25

    small, large = it_half(staff, customers), it_half(200, 20_000)
    assert f"{small:,.0f} for the default firm ({staff} staff, {customers:,}" in PROSE
    assert (
        f"{large:,.0f} for a firm of 200 staff and 20,000 customers, {large / small:.1f} times "
        "as much for 10 times the customers"
    ) in PROSE
