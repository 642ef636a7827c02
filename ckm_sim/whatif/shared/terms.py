"""The terms of a what-if report, in words a manager reads: what a period is, the horizon, what
net value and customer equity count, what each alternative spends, retention per year.

Every what-if report opens with :func:`terms_lines`; the figures follow the scenario's
``[economics] periods_per_year`` (12 by default: a period is a month), ``horizon_value`` and
``currency`` (every amount of money is in whole units of it).
"""

from __future__ import annotations

from collections.abc import Sequence

from ckm_sim.model.investment import Trajectory
from ckm_sim.model.levers import investment_cost
from ckm_sim.model.scenario import Scenario


def period_word(scenario: Scenario) -> str:
    """``month`` when a year has 12 periods, ``year`` when 1, else ``1/P of a year``."""
    per_year = scenario.economics.periods_per_year
    return {12: "month", 1: "year", 4: "quarter", 52: "week"}.get(per_year, f"1/{per_year} year")


def annual_retention(per_period: float, periods_per_year: int) -> float:
    """The share of customers kept over a year at a constant per-period retention rate:
    ``r ** periods_per_year``."""
    return per_period**periods_per_year


def horizon_words(scenario: Scenario, periods: int) -> str:
    """``60 months (5 years)``."""
    word = period_word(scenario)
    years = periods / scenario.economics.periods_per_year
    plural = "" if periods == 1 or word.startswith("1/") else "s"
    return f"{periods} {word}{plural} ({years:g} year{'' if years == 1 else 's'})"


def currency_of(scenarios: Sequence[Scenario]) -> str:
    """The currency of a set of scenarios' money: the first's ``[economics] currency``."""
    return scenarios[0].economics.currency if scenarios else "EUR"


def money_words(scenario: Scenario) -> str:
    """``EUR, discounted to month 0``: the unit of every net value and customer equity."""
    return f"{scenario.economics.currency}, discounted to {period_word(scenario)} 0"


def counting_words(horizon_value: str, money: str = "period-0 money") -> str:
    """What net value and customer equity count under the horizon convention, in ``money``
    (``EUR, discounted to month 0``)."""
    if horizon_value == "residual":
        return (
            "Customer equity is the discounted margins of periods 1..T plus, for every customer "
            "active at the horizon, its expected later margins; net value subtracts the "
            "investment, acquisition and serving costs of periods 1..T and the cost of "
            "serving those customers and sustaining the competence afterwards (residual "
            f"convention, docs/ODD.md 7.5). All in {money}."
        )
    return (
        "Customer equity is the discounted margins earned in periods 1..T; net value subtracts "
        "the investment, acquisition and serving costs of the same periods; nothing after the "
        f"horizon counts (horizon convention, docs/ODD.md 7.5). All in {money}."
    )


def terms_lines(scenarios: Sequence[Scenario], names: Sequence[str], periods: int) -> list[str]:
    """Report lines: the period, the horizon, what the money counts, each alternative's spend."""
    first = scenarios[0]
    word = period_word(first)
    lines = [
        f"**Terms.** A period is a {word} ({first.economics.periods_per_year} a year); the "
        f"horizon is {horizon_words(first, periods)}, discounted at "
        f"{first.economics.discount_rate:g} per {word}. "
        f"{counting_words(first.economics.horizon_value, money_words(first))}",
        "",
        f"Competence spend per {word}, in {first.economics.currency}: "
        + "; ".join(
            f"{name} {spend_words(sc, periods, word)}"
            for name, sc in zip(names, scenarios, strict=True)
        )
        + ".",
    ]
    return lines


def _spend(scenario: Scenario) -> str:
    """The competence spend per period in whole units: the firm's, or each firm's
    (``leader 6,400, laggard 900``)."""
    firms = scenario.firm_names()
    if len(firms) < 2:
        return f"{float(investment_cost(scenario)):,.0f}"
    return ", ".join(
        f"{firm} {float(investment_cost(scenario.for_firm(firm))):,.0f}" for firm in firms
    )


def mean_spend(scenario: Scenario, periods: int, firm: str | None = None) -> float:
    """What the firm (``firm``, in a market of firms) spends on competence per period on
    average over ``periods``, undiscounted: its fixed cost, or its plan's mean."""
    if firm is not None and len(scenario.firm_names()) > 1:
        return float(investment_cost(scenario.for_firm(firm)))
    if scenario.plan is None:
        return float(investment_cost(scenario))
    return Trajectory(scenario).total_spend(periods) / periods if periods else 0.0


def extra_spend(
    treatment: Scenario, reference: Scenario, periods: int, firm: str | None = None
) -> float:
    """How much more ``treatment`` spends on competence per period than ``reference``, on
    average and undiscounted (the market's in a market of firms, or ``firm``'s)."""
    if firm is None and len(treatment.firm_names()) > 1:
        return sum(extra_spend(treatment, reference, periods, f) for f in treatment.firm_names())
    return mean_spend(treatment, periods, firm) - mean_spend(reference, periods, firm)


def spend_words(scenario: Scenario, periods: int, word: str) -> str:
    """``4,000`` for fixed competence (each firm's in a market of firms); under an investment
    plan its mean per period and total (``4,300 on average under its plan, 516,000 over 120
    months``)."""
    if scenario.plan is None:
        return _spend(scenario)
    total = Trajectory(scenario).total_spend(periods)
    mean = total / periods if periods else 0.0
    return f"{mean:,.0f} on average under its plan, {total:,.0f} over {periods} {word}s"
