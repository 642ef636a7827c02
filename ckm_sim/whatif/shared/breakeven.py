"""Break-even, not a sign: at what cost of competence an alternative stops paying.

A difference in net value between two scenarios (a treatment against a reference, for the
market or for one firm) splits into what the competence costs and everything else:

    dNV = dG - dC,   dC = difference in discounted competence cost (investment + sustaining),
                     dG = dNV + dC, the gross benefit (margins, less acquisition and serving).

If the extra competence cost ``m`` times what it costs today (every dimension's cost scaled by
``m``; the gross benefit does not depend on it), the treatment's difference would be
``dG - m dC``, which changes sign at the **break-even multiplier**

    m* = dG / dC.

When the treatment costs more (``dC > 0``) it pays while ``m < m*`` (never if ``dG <= 0``);
when it costs less it comes out ahead while ``m > m*`` (always if ``dG >= 0``); when both cost
the same the cost level does not move the difference at all.

``m*`` is a ratio of two paired means over replications (replication ``r`` on the same seed in
both), estimated as ``mean(dG) / mean(dC)`` with the delta method's 95% CI:
``m* +- t se``, ``se = sd(dG_r - m* dC_r) / (sqrt(n) |mean(dC)|)`` (Student t with n - 1 degrees
of freedom). Under the horizon convention ``dC`` is the same on every seed (competence costs
what the scenario says), so the interval is the gross benefit's own, divided by ``dC``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from ckm_sim.experiments.stats import t_quantile
from ckm_sim.firmkeys import outcome_key
from ckm_sim.whatif.shared.paired import PairedRuns
from ckm_sim.whatif.shared.payback import Payback

#: A cost difference this small against the costs themselves is "the same cost".
SAME_COST = 1e-9


@dataclass(frozen=True)
class BreakEven:
    """The break-even cost multiplier of ``treatment`` against ``reference`` (for ``firm``, or
    the market when None), with the means it is made of."""

    treatment: str
    reference: str
    firm: str | None
    net_difference: float  # mean dNV
    cost_difference: float  # mean dC (discounted competence cost)
    gross_difference: float  # mean dG = dNV + dC
    multiplier: float | None  # m* = dG / dC (None: the same cost)
    low: float | None  # its 95% CI (None with fewer than 2 replications or the same cost)
    high: float | None
    n: int
    extra_per_period: float | None = None  # today's extra competence spend a period, undiscounted

    def as_dict(self) -> dict[str, object]:
        """The fields as a dict (for JSON)."""
        return asdict(self)

    @property
    def kind(self) -> str:
        """``costs more``, ``costs less`` or ``same cost``."""
        if self.multiplier is None:
            return "same cost"
        return "costs more" if self.cost_difference > 0 else "costs less"


def ratio_ci(gross: np.ndarray, cost: np.ndarray) -> tuple[float, float | None, float | None]:
    """``mean(gross) / mean(cost)`` and its delta-method 95% CI (None bounds with fewer than two
    pairs). ``cost``'s mean must not be 0."""
    g, c = np.asarray(gross, dtype=np.float64), np.asarray(cost, dtype=np.float64)
    ratio = float(g.mean() / c.mean())
    n = len(g)
    if n < 2:
        return ratio, None, None
    residual = g - ratio * c
    se = float(residual.std(ddof=1)) / (math.sqrt(n) * abs(float(c.mean())))
    half = t_quantile(n) * se
    return ratio, ratio - half, ratio + half


def break_even(
    treatment: str,
    reference: str,
    net: tuple[np.ndarray, np.ndarray],
    cost: tuple[np.ndarray, np.ndarray],
    firm: str | None = None,
    extra_per_period: float | None = None,
) -> BreakEven:
    """The break-even multiplier from paired per-replication net values and competence costs
    (``(treatment's, reference's)``, ordered by replication)."""
    d_net = np.asarray(net[0], dtype=np.float64) - np.asarray(net[1], dtype=np.float64)
    d_cost = np.asarray(cost[0], dtype=np.float64) - np.asarray(cost[1], dtype=np.float64)
    gross = d_net + d_cost
    scale = float(np.abs(cost[0]).mean() + np.abs(cost[1]).mean())
    same = abs(float(d_cost.mean())) <= SAME_COST * max(scale, 1.0)
    multiplier: float | None = None
    low = high = None
    if not same:
        multiplier, low, high = ratio_ci(gross, d_cost)
    return BreakEven(
        treatment=treatment,
        reference=reference,
        firm=firm,
        net_difference=float(d_net.mean()),
        cost_difference=float(d_cost.mean()),
        gross_difference=float(gross.mean()),
        multiplier=multiplier,
        low=low,
        high=high,
        n=len(d_net),
        extra_per_period=extra_per_period,
    )


def competence_cost(runs: PairedRuns, name: str, firm: str | None = None) -> np.ndarray:
    """Discounted competence cost per replication: investment plus (residual convention)
    sustaining beyond the horizon, the market's or one firm's."""
    total = runs.values(name, outcome_key(firm, "investment_cost"))
    sustaining = outcome_key(firm, "sustaining_cost")
    if sustaining in runs.summaries.columns:
        total = total + np.nan_to_num(runs.values(name, sustaining))
    return total


def break_evens(
    runs: PairedRuns,
    pairs: Sequence[tuple[str, str]],
    firms: Sequence[str] = (),
    extra: dict[tuple[str, str, str | None], float] | None = None,
) -> list[BreakEven]:
    """The break-even of every pair on the market's net value and, in a market of firms, on
    each firm's own; ``extra`` gives today's extra spend a period per (treatment, reference,
    firm), for the sentences."""
    extra = extra or {}
    out = []
    for treatment, reference in pairs:
        for firm in [None, *firms]:
            net = (
                runs.values(treatment, outcome_key(firm, "net_value")),
                runs.values(reference, outcome_key(firm, "net_value")),
            )
            cost = (
                competence_cost(runs, treatment, firm),
                competence_cost(runs, reference, firm),
            )
            per_period = extra.get((treatment, reference, firm))
            out.append(break_even(treatment, reference, net, cost, firm, per_period))
    return out


def times(x: float) -> str:
    """A multiplier as people read it: ``2.3``, ``0.45``, ``15``."""
    if not math.isfinite(x):
        return "-"
    return f"{x:.2g}" if abs(x) < 10 else f"{x:,.0f}"


def multiplier_words(b: BreakEven, currency: str, word: str) -> str:
    """The break-even clause: ``pays against baseline if its extra competence spend cost under
    2.3 times today's (95% CI 1.9 to 2.8; today 1,500 EUR a month more, so under 3,450 EUR)``."""
    whose = "" if b.firm is None else f" for {b.firm}"
    spend = "its extra competence spend" if b.firm is None else f"{b.firm}'s extra competence spend"
    money = f"{b.gross_difference:+,.0f} {currency}"
    if b.multiplier is None:
        return (
            f"{b.treatment} and {b.reference} spend the same on competence{whose}, so the cost "
            f"level does not move their difference ({b.net_difference:+,.0f} {currency})"
        )
    ci = "" if b.low is None or b.high is None else f"95% CI {times(b.low)} to {times(b.high)}"
    today = ""
    if b.extra_per_period is not None and b.extra_per_period != 0 and b.multiplier > 0:
        more = "more" if b.extra_per_period > 0 else "less"
        bound = "under" if b.cost_difference > 0 else "over"
        flipped = abs(b.extra_per_period) * b.multiplier
        today = (
            f"; today {abs(b.extra_per_period):,.0f} {currency} a {word} {more} on average: "
            f"{bound} {flipped:,.0f} {currency} a {word}"
        )
    detail = f" ({ci}{today})" if ci else (f" ({today[2:]})" if today else "")
    if b.kind == "costs more":
        if b.multiplier <= 0:
            return (
                f"{b.treatment} does not pay against {b.reference}{whose} at any cost: before "
                f"what its competence costs it brings {money} (discounted to {word} 0)"
            )
        return (
            f"{b.treatment} pays against {b.reference}{whose} if {spend} costs under "
            f"{times(b.multiplier)} times today's{detail}"
        )
    if b.multiplier <= 0:
        return (
            f"{b.treatment} comes out ahead of {b.reference}{whose} at any cost: it spends less "
            f"on competence and brings {money} before what competence costs"
        )
    return (
        f"{b.treatment} comes out ahead of {b.reference}{whose} only if competence costs over "
        f"{times(b.multiplier)} times today's{detail}: it spends less on competence but "
        f"brings {money} before what competence costs"
    )


def payback_words(p: Payback, word: str) -> str:
    """``at today's cost it pays back in month 31 (95% CI 27 to 36)``, or that it does not
    within the horizon."""
    if p.period is None:
        return f"at today's cost it does not pay back within the horizon ({p.horizon} {word}s)"
    earliest = "?" if p.earliest is None else str(p.earliest)
    latest = "not within the horizon" if p.latest is None else str(p.latest)
    return f"at today's cost it pays back in {word} {p.period} (95% CI {earliest} to {latest})"


def verdicts(
    found: Sequence[BreakEven], paybacks: Sequence[Payback], word: str, currency: str
) -> list[str]:
    """One sentence a manager reads per break-even: what it would take to flip, and, where the
    payback of the same pair (and firm) was measured, the month it starts to pay."""
    when = {(p.treatment, p.reference, p.firm): p for p in paybacks}
    lines = []
    for b in found:
        text = multiplier_words(b, currency, word)
        p = when.get((b.treatment, b.reference, b.firm))
        if p is not None and b.kind != "same cost":
            text += f"; {payback_words(p, word)}"
        lines.append(text + ".")
    return lines
