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
each becomes a scenario that ``compare`` runs against the base on common seeds. In a market of
firms an increment names its firm (``laggard.it_systems=500``) and buys on that firm's own cost
curve. :func:`with_spend` buys the level at once (``compare --instant``);
:mod:`ckm_sim.whatif.shared.buildup` builds it over time as the equivalent investment plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ckm_sim.errors import CKMError
from ckm_sim.model.costs import cost_source, unit_cost
from ckm_sim.model.investment import bought_level
from ckm_sim.model.investment import holding_spend as cost_of_level
from ckm_sim.model.scenario import DIMENSIONS, Scenario, firm_key
from ckm_sim.names import short_name
from ckm_sim.reports import numbers as num


class SpendError(CKMError):
    """An increment of spend that is malformed or buys more than a level of 1."""


@dataclass(frozen=True)
class Increment:
    """Extra spend per period on one dimension (of one firm in a market of firms)."""

    dimension: str
    amount: float
    firm: str | None = None

    def label(self) -> str:
        """``it_systems+1500`` (``laggard.it_systems+1500`` for a firm's)."""
        return f"{self.key()}+{self.amount:g}"

    def key(self) -> str:
        """``it_systems``, or ``laggard.it_systems`` for a firm's."""
        return self.dimension if self.firm is None else f"{self.firm}.{self.dimension}"


def parse_alternative(text: str) -> tuple[Increment, ...]:
    """``[FIRM.]DIM=AMOUNT[,[FIRM.]DIM=AMOUNT...]`` as increments (one-line errors for bad
    input; whether the firm exists is :func:`check_firm`'s question)."""
    increments: list[Increment] = []
    for part in text.split(","):
        key, sep, value = part.strip().partition("=")
        firm_part, dot, dim = key.strip().rpartition(".")
        firm = firm_part.strip() if dot else None
        dim = dim.strip()
        if not sep:
            raise SpendError(
                f"--add wants DIMENSION=AMOUNT (FIRM.DIMENSION=AMOUNT in a market of firms), "
                f"got {part.strip()!r}"
            )
        if dim not in DIMENSIONS:
            raise SpendError(
                f"--add: unknown dimension {dim!r}; choose from {', '.join(DIMENSIONS)}"
            )
        if dot and not firm:
            raise SpendError(f"--add {key.strip()!r}: a firm's spend is FIRM.DIMENSION=AMOUNT")
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
        if any(i.key() == key.strip() for i in increments):
            raise SpendError(f"--add {text!r} names {key.strip()} twice")
        increments.append(Increment(dim, amount, firm))
    return tuple(increments)


def check_firm(scenario: Scenario, increment: Increment) -> None:
    """Refuse, in one line that lists what exists, an increment without a firm in a market of
    firms, with a firm in a one-firm scenario, or naming a firm the scenario does not have."""
    firms = scenario.firm_names()
    d, firm = increment.dimension, increment.firm
    if len(firms) > 1 and firm is None:
        raise SpendError(
            f"--add: {scenario.name} has several firms ({', '.join(firms)}); name the firm "
            f"that spends: --add FIRM.DIMENSION=AMOUNT, e.g. --add {firms[-1]}.{d}="
            f"{increment.amount:g}"
        )
    if len(firms) < 2 and firm is not None:
        raise SpendError(
            f"--add {increment.key()}: {scenario.name} has one firm; write --add {d}=AMOUNT"
        )
    if firm is not None and firm not in firms:
        raise SpendError(
            f"--add {increment.key()}: {scenario.name} has no firm {firm!r}; its firms are "
            f"{', '.join(firms)} and the dimensions {', '.join(DIMENSIONS)}"
        )


def own_scenario(scenario: Scenario, increment: Increment) -> Scenario:
    """The scenario the spending firm works under (its own levels and cost curve)."""
    return scenario if increment.firm is None else scenario.for_firm(increment.firm)


def max_extra_spend(scenario: Scenario, dimension: str) -> float:
    """The most ``dimension`` can take on top of its current level (the cost of level 1 minus
    the cost of the current level)."""
    k = scenario.costs.cost_exponent
    unit = unit_cost(scenario, dimension)
    return unit - cost_of_level(getattr(scenario.competence, dimension), unit, k)


def spend_after(scenario: Scenario, increment: Increment) -> float:
    """What the dimension costs per period with the increment: the cost of its current level
    plus the increment (on the spending firm's cost curve)."""
    own = own_scenario(scenario, increment)
    d, k = increment.dimension, own.costs.cost_exponent
    unit = unit_cost(own, d)
    return cost_of_level(getattr(own.competence, d), unit, k) + increment.amount


def level_after(scenario: Scenario, increment: Increment) -> float:
    """The level ``increment`` buys on top of the scenario's (the firm's, for a firm's);
    refuses a level above 1, an unknown firm and a dimension a plan already spends on."""
    check_firm(scenario, increment)
    own = own_scenario(scenario, increment)
    d, k, what = increment.dimension, own.costs.cost_exponent, increment.key()
    unit = unit_cost(own, d)
    if unit <= 0:
        raise SpendError(
            f"--add {what}: {cost_source(own, d)} is 0 in {scenario.name}, so spend buys nothing"
        )
    if scenario.plan is not None and d in scenario.plan.planned():
        raise SpendError(
            f"--add {d}: {scenario.name}'s investment plan sets the spend on {d}; "
            "compare plans instead (ckm-sim optimize --plans)"
        )
    most = max_extra_spend(own, d)
    if increment.amount > most * (1 + 1e-12):
        raise SpendError(
            f"--add {what}={increment.amount:g} would push {d} above level 1 in "
            f"{scenario.name}: the most it can take is {most:,.0f} per period"
        )
    return bought_level(spend_after(scenario, increment), unit, k)


def with_spend(scenario: Scenario, increments: Sequence[Increment]) -> Scenario:
    """The scenario with each increment's dimension raised at once to the level it buys (the
    firm's, for a firm's increment), named after the increments (``it_systems+1500``)."""
    levels = {
        i.dimension if i.firm is None else firm_key(i.firm, i.dimension): level_after(scenario, i)
        for i in increments
    }
    return scenario.with_overrides(name=alternative_name(increments), **levels)


def alternative_name(increments: Sequence[Increment]) -> str:
    """``it_systems+1500_learning_culture+500``: an alternative's scenario name (shortened with
    a digest when it is longer than a name may be, e.g. spend on all five dimensions)."""
    return short_name("_".join(i.label() for i in increments))


def describe(scenario: Scenario, increments: Sequence[Increment]) -> str:
    """``it_systems +1,500 per period (level 0.5 -> 1)``, for every increment."""
    parts = []
    for i in increments:
        before = getattr(own_scenario(scenario, i).competence, i.dimension)
        parts.append(
            f"{i.key()} +{num.number(i.amount)} per period "
            f"(level {before:.3g} -> {level_after(scenario, i):.3g})"
        )
    return "; ".join(parts)


def words(increments: Sequence[Increment], word: str, currency: str | None = None) -> str:
    """``adding 1,500 EUR a month on it_systems + 500 EUR a month on learning_culture`` (a
    firm's: ``on laggard's it_systems``)."""
    unit = f" {currency}" if currency else ""

    def where(i: Increment) -> str:
        return i.dimension if i.firm is None else f"{i.firm}'s {i.dimension}"

    return "adding " + " + ".join(
        f"{i.amount:,.0f}{unit} a {word} on {where(i)}" for i in increments
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def answer(
    differences,
    base: str,
    alternatives: Sequence[tuple[str, str]],
    currency: str | None = None,
    firms: Mapping[str, str] | None = None,
) -> list[str]:
    """Plain sentences on net value: each alternative against the base, then which alternative
    is better (by how much, with the 95% CI), or that they cannot be told apart.

    ``differences`` is :attr:`~ckm_sim.whatif.compare.differences.Comparison.differences` of a
    comparison of every pair; ``alternatives`` are (name, description) pairs, the description in
    words that begin a sentence (``adding 1,500 a month on it_systems``, ``plan early``).
    ``firms`` names the firm whose spend an alternative is, in a market of firms: that firm's
    own net value answers for it (the market's when two alternatives of different firms meet).
    Money is in whole units of ``currency``.
    """
    firms = firms or {}
    unit = f" {currency}" if currency else ""

    def row(treatment: str, reference: str, metric: str):
        nv = differences[differences["metric"] == metric]
        hit = nv[(nv["treatment"] == treatment) & (nv["reference"] == reference)]
        if len(hit):
            return hit.iloc[0], 1.0
        hit = nv[(nv["treatment"] == reference) & (nv["reference"] == treatment)]
        return hit.iloc[0], -1.0

    def whose(*names: str) -> tuple[str, str]:
        owners = {firms.get(n) for n in names}
        firm = owners.pop() if len(owners) == 1 else None
        if firm is None:
            return "net_value", "net value"
        return f"{firm}.net_value", f"{firm}'s net value"

    lines = []
    for name, what in alternatives:
        metric, value = whose(name)
        r, s = row(name, base, metric)
        mean, lo, hi = sorted_ci(s * r["mean"], s * r["low"], s * r["high"])
        if lo > 0 or hi < 0:
            verdict = "pays for itself" if mean > 0 else "does not pay for itself"
        else:
            verdict = f"cannot be told from no change at {int(r['n'])} replications"
        lines.append(
            f"{_capital(what)}: {value} changes by {mean:+,.0f}{unit} "
            f"(95% CI {lo:,.0f} to {hi:,.0f}{unit}) over {base}; it {verdict}."
        )
    for i, (a, what_a) in enumerate(alternatives):
        for b, what_b in alternatives[i + 1 :]:
            metric, value = whose(a, b)
            r, s = row(a, b, metric)
            mean, lo, hi = sorted_ci(s * r["mean"], s * r["low"], s * r["high"])
            n = int(r["n"])
            if lo > 0 or hi < 0:
                win, lose = (what_a, what_b) if mean > 0 else (what_b, what_a)
                lines.append(
                    f"{_capital(win)} beats {lose} "
                    f"by {abs(mean):,.0f}{unit} in {value} "
                    f"(95% CI {min(abs(lo), abs(hi)):,.0f} to {max(abs(lo), abs(hi)):,.0f}{unit}, "
                    f"{n} paired replications)."
                )
            else:
                lines.append(
                    f"{_capital(what_a)} and {what_b} "
                    f"cannot be told apart at {n} replications: {value} differs by "
                    f"{mean:+,.0f}{unit} (95% CI {lo:,.0f} to {hi:,.0f}{unit}); more "
                    "replications (-r) may separate them."
                )
    return lines


def sorted_ci(mean: float, a: float, b: float) -> tuple[float, float, float]:
    """``(mean, low, high)`` with the bounds in order (after a change of sign)."""
    return mean, min(a, b), max(a, b)
