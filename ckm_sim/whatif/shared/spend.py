"""Spend questions: extra money per period on a dimension, turned into the level it buys.

"We can afford 1,500 a month more: IT or culture?" A scenario's competence level ``l_d`` costs
``cost_d * l_d ** cost_exponent`` per period (docs/ODD.md 7.5; :func:`ckm_sim.model.levers.
investment_cost`). Adding ``a`` per period to dimension ``d`` buys the level whose cost is the
current cost plus ``a``:

    level_d' = ((cost_d * l_d ** k + a) / cost_d) ** (1 / k)

the exact inverse of the cost curve (:func:`ckm_sim.model.investment.bought_level`, which
investment plans use too). A level cannot exceed 1, so the most a dimension can take
is ``cost_d * (1 - l_d ** k)``; more is refused with that maximum in the message.

An *alternative* is one or more increments spent together (``it_systems=750,learning_culture=750``);
each becomes a scenario that ``compare`` runs against the base on common seeds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ckm_sim.errors import CKMError
from ckm_sim.model.investment import bought_level
from ckm_sim.model.investment import holding_spend as cost_of_level
from ckm_sim.model.scenario import DIMENSIONS, Scenario
from ckm_sim.reports import numbers as num


class SpendError(CKMError):
    """An increment of spend that is malformed or buys more than a level of 1."""


@dataclass(frozen=True)
class Increment:
    """Extra spend per period on one dimension."""

    dimension: str
    amount: float

    def label(self) -> str:
        """``it_systems+1500``."""
        return f"{self.dimension}+{self.amount:g}"


def parse_alternative(text: str) -> tuple[Increment, ...]:
    """``DIM=AMOUNT[,DIM=AMOUNT...]`` as increments (one-line errors for bad input)."""
    increments = []
    for part in text.split(","):
        dim, sep, value = part.strip().partition("=")
        dim = dim.strip()
        if not sep:
            raise SpendError(f"--add wants DIMENSION=AMOUNT, got {part.strip()!r}")
        if dim not in DIMENSIONS:
            raise SpendError(
                f"--add: unknown dimension {dim!r}; choose from {', '.join(DIMENSIONS)}"
            )
        try:
            amount = float(value)
        except ValueError:
            raise SpendError(
                f"--add {dim}: amount must be a number, got {value.strip()!r}"
            ) from None
        if not (math.isfinite(amount) and amount > 0):
            raise SpendError(
                f"--add {dim}: amount must be a positive spend per period, got {value}"
            )
        if any(i.dimension == dim for i in increments):
            raise SpendError(f"--add {text!r} names {dim} twice")
        increments.append(Increment(dim, amount))
    return tuple(increments)


def max_extra_spend(scenario: Scenario, dimension: str) -> float:
    """The most ``dimension`` can take on top of its current level (the cost of level 1 minus
    the cost of the current level)."""
    k = scenario.costs.cost_exponent
    unit = getattr(scenario.costs, f"cost_{dimension}")
    return unit - cost_of_level(getattr(scenario.competence, dimension), unit, k)


def level_after(scenario: Scenario, increment: Increment) -> float:
    """The level ``increment`` buys on top of the scenario's; refuses a level above 1."""
    d, k = increment.dimension, scenario.costs.cost_exponent
    unit = getattr(scenario.costs, f"cost_{d}")
    if unit <= 0:
        raise SpendError(f"--add {d}: cost_{d} is 0 in {scenario.name}, so spend buys nothing")
    if scenario.plan is not None and d in scenario.plan.planned():
        raise SpendError(
            f"--add {d}: {scenario.name}'s investment plan sets the spend on {d}; "
            "compare plans instead (ckm-sim optimize --plans)"
        )
    most = max_extra_spend(scenario, d)
    if increment.amount > most * (1 + 1e-12):
        raise SpendError(
            f"--add {d}={increment.amount:g} would push {d} above level 1 in {scenario.name}: "
            f"the most it can take is {most:,.0f} per period"
        )
    return bought_level(
        cost_of_level(getattr(scenario.competence, d), unit, k) + increment.amount, unit, k
    )


def with_spend(scenario: Scenario, increments: Sequence[Increment]) -> Scenario:
    """The scenario with each increment's dimension raised to the level it buys, named after
    the increments (``it_systems+1500``)."""
    levels = {i.dimension: level_after(scenario, i) for i in increments}
    name = "_".join(i.label() for i in increments)
    return scenario.with_overrides(name=name, **levels)


def describe(scenario: Scenario, increments: Sequence[Increment]) -> str:
    """``it_systems +1,500 per period (level 0.5 -> 1)``, for every increment."""
    parts = []
    for i in increments:
        before = getattr(scenario.competence, i.dimension)
        parts.append(
            f"{i.dimension} +{num.number(i.amount)} per period "
            f"(level {before:.3g} -> {level_after(scenario, i):.3g})"
        )
    return "; ".join(parts)


def words(increments: Sequence[Increment], word: str) -> str:
    """``adding 1,500 a month on it_systems + 500 a month on learning_culture``."""
    return "adding " + " + ".join(f"{i.amount:,.6g} a {word} on {i.dimension}" for i in increments)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def answer(differences, base: str, alternatives: Sequence[tuple[str, str]]) -> list[str]:
    """Plain sentences on net value: each alternative against the base, then which alternative
    is better (by how much, with the 95% CI), or that they cannot be told apart.

    ``differences`` is :attr:`~ckm_sim.whatif.compare.differences.Comparison.differences` of a
    comparison of every pair; ``alternatives`` are (name, description) pairs, the description in
    words that begin a sentence (``adding 1,500 a month on it_systems``, ``plan early``).
    """
    nv = differences[differences["metric"] == "net_value"]

    def row(treatment: str, reference: str):
        hit = nv[(nv["treatment"] == treatment) & (nv["reference"] == reference)]
        if len(hit):
            return hit.iloc[0], 1.0
        hit = nv[(nv["treatment"] == reference) & (nv["reference"] == treatment)]
        return hit.iloc[0], -1.0

    lines = []
    for name, what in alternatives:
        r, s = row(name, base)
        mean, lo, hi = sorted_ci(s * r["mean"], s * r["low"], s * r["high"])
        if lo > 0 or hi < 0:
            verdict = "pays for itself" if mean > 0 else "does not pay for itself"
        else:
            verdict = f"cannot be told from no change at {int(r['n'])} replications"
        lines.append(
            f"{_capital(what)}: net value changes by {mean:+,.0f} "
            f"(95% CI {lo:,.0f} to {hi:,.0f}) over {base}; it {verdict}."
        )
    for i, (a, what_a) in enumerate(alternatives):
        for b, what_b in alternatives[i + 1 :]:
            r, s = row(a, b)
            mean, lo, hi = sorted_ci(s * r["mean"], s * r["low"], s * r["high"])
            n = int(r["n"])
            if lo > 0 or hi < 0:
                win, lose = (what_a, what_b) if mean > 0 else (what_b, what_a)
                lines.append(
                    f"{_capital(win)} beats {lose} "
                    f"by {abs(mean):,.0f} in net value "
                    f"(95% CI {min(abs(lo), abs(hi)):,.0f} to {max(abs(lo), abs(hi)):,.0f}, "
                    f"{n} paired replications)."
                )
            else:
                lines.append(
                    f"{_capital(what_a)} and {what_b} "
                    f"cannot be told apart at {n} replications: net value differs by {mean:+,.0f} "
                    f"(95% CI {lo:,.0f} to {hi:,.0f}); more replications (-r) may separate them."
                )
    return lines


def sorted_ci(mean: float, a: float, b: float) -> tuple[float, float, float]:
    """``(mean, low, high)`` with the bounds in order (after a change of sign)."""
    return mean, min(a, b), max(a, b)
