"""Whether the optimiser's answer holds: the restarts agree, the marginal values are consistent
with the split, and the budget admits an interior optimum.

Four checks, all on the fresh evaluation seeds (paired):

- **Restarts agree.** What the independent searches' best splits *buy* lies within
  ``tolerance`` of each other on every dimension: levels (capped at 1), not shares of
  the budget, since spend beyond a dimension's full cost buys nothing and two splits that differ
  only in such excess are the same answer. If they differ by more but none is worse than the
  winner outside its paired CI, the optimum is flat there (or flatter than the evaluation
  replications resolve), and the verdict says so in those words.
- **Marginal values are consistent with the split.** At an interior optimum of a budget split
  every funded dimension has the same marginal value (Lagrange). The move the marginal values
  suggest, one step of spend from the funded dimension with the lowest marginal value to the one
  with the highest, is evaluated on the same seeds: if it raises net value outside its CI, the
  split is not the optimum and the search has not converged. (Testing the move itself, not the
  difference of two forward differences, avoids the bias of a finite step on a concave curve.)
- **An unspent budget has no paying dimension.** When the answer leaves at least a step of the
  budget unspent (the budget is a ceiling), a marginal value above zero outside its CI means
  the search stopped short: more spend pays and there is room for it.
- **An interior optimum exists.** When every marginal value is positive the budget is too small
  (each dimension repays more spend); when every one is negative it is too large, or, with
  part of it unspent, the rest is better not spent.

A pooled answer's levels on resamples of the seeds (their 95% intervals) say how settled it is:
a reason gives the widest interval, and a warning names the levels whose interval is wider than
twice the tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ckm_sim.experiments.stats import Estimate
from ckm_sim.reports import numbers as num
from ckm_sim.whatif.shared.defaults import LEVEL_TOLERANCE


@dataclass
class Verdict:
    """The convergence verdict: converged or not, why, and warnings about the budget."""

    converged: bool
    level_spread: float  # largest max - min of a level (capped at 1) over the restarts
    spread_dimension: str | None  # the dimension of that largest spread (None: one search)
    tolerance: float  # in ``unit``s
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unit: str = "level"  # what the spread and the tolerance measure: "level", or "share" of the
    # budget for an objective with no cost curve

    def as_dict(self) -> dict:
        """The verdict as a JSON-ready dict."""
        return {
            "converged": self.converged,
            "level_spread": self.level_spread,
            "spread_dimension": self.spread_dimension,
            "tolerance": self.tolerance,
            "tolerance_unit": self.unit,
            "reasons": self.reasons,
            "warnings": self.warnings,
        }


def level_spread(levels: Sequence[np.ndarray]) -> tuple[float, int | None]:
    """The largest difference between what any two answers buy, as levels capped at 1 (the
    largest max - min over answers of any dimension), and that dimension (None when there are
    fewer than two answers)."""
    if len(levels) < 2:
        return 0.0, None
    bought = np.minimum(np.array(levels, dtype=np.float64), 1.0)
    gaps = bought.max(axis=0) - bought.min(axis=0)
    d = int(np.argmax(gaps))
    return float(gaps[d]), d


def scaled(est: Estimate, factor: float) -> Estimate:
    """An estimate times ``factor`` (bounds kept in order)."""
    lo, hi = sorted((est.low * factor, est.high * factor))
    return Estimate(est.mean * factor, lo, hi, est.sd * abs(factor), est.n)


def transfer_pair(
    best: np.ndarray, step: float, marginal: Sequence[float], saturated: np.ndarray
) -> tuple[int, int] | None:
    """``(to, from)``: the open dimension with the highest marginal value and the funded one
    (holding at least ``step``) with the lowest, or None when there is no such pair."""
    open_ = [d for d in range(len(best)) if not saturated[d]]
    if not open_:
        return None
    to = max(open_, key=lambda d: marginal[d])
    funded = [e for e in range(len(best)) if e != to and best[e] >= step]
    if not funded:
        return None
    return to, min(funded, key=lambda e: marginal[e])


def agreement(
    levels: Sequence[np.ndarray],
    versus_winner: Sequence[Estimate],
    dimensions: Sequence[str],
    tolerance: float = LEVEL_TOLERANCE,
    who: str = "searches",
    winner_is_mean: bool = False,
    pooled: str = "their mean",
    currency: str = "",
) -> tuple[str, str]:
    """Do several answers (the ``who``: searches, search seeds; the winner among them) agree?

    ``"agree"`` when the levels they buy are within ``tolerance`` of each other on every
    dimension (:func:`level_spread`); otherwise
    ``"flat"`` when none is worse than the winner outside its paired 95% CI (``versus_winner``:
    answer minus winner in net value), ``"disagree"`` when one is. ``winner_is_mean``: the
    winner is the mean of the answers, chosen because none of them beats it outside the CI;
    answers worse than it then show that one search does not settle the split, not that their
    mean is wrong (``"mean"``). With the reason in words, naming the dimension of the largest
    spread."""
    spread, d = level_spread(levels)
    where = "-" if d is None else dimensions[d]
    if spread <= tolerance:
        return "agree", (
            f"the {len(levels)} {who} agree: the levels they buy differ by at most {spread:.2f} "
            f"(on {where}; tolerance {tolerance:.2f} of a level)"
        )
    worse = [e for e in versus_winner if e.n >= 2 and e.high < 0]
    if worse and winner_is_mean:
        return "mean", (
            f"the {len(levels)} {who}' answers differ by up to {spread:.2f} of a level (on "
            f"{where}; tolerance {tolerance:.2f}) and {len(worse)} of them "
            f"{'is' if len(worse) == 1 else 'are'} worse than {pooled} outside the CI "
            f"({_shortfall(versus_winner, currency)}): one search does not settle the split; "
            f"{pooled}, "
            "the answer, is not beaten by any of them"
        )
    if not worse:
        return "flat", (
            f"the {who}' answers differ by up to {spread:.2f} of a level (on {where}; "
            f"tolerance {tolerance:.2f}), but none is worse than the winner outside its 95% CI "
            f"({_shortfall(versus_winner, currency)}): the optimum is flat there, or flatter "
            "than these "
            "evaluation replications resolve"
        )
    return "disagree", (
        f"the {who} disagree: the levels they buy differ by up to {spread:.2f} (on {where}; "
        f"tolerance {tolerance:.2f}) and {len(worse)} of their answers "
        f"{'is' if len(worse) == 1 else 'are'} worse than the winner outside the CI "
        f"({_shortfall(versus_winner, currency)})"
    )


def verdict(
    levels: Sequence[np.ndarray],
    versus_winner: Sequence[Estimate],
    marginal: Sequence[Estimate],
    saturated: np.ndarray,
    move: tuple[str, str, Estimate] | None,
    step: float,
    dimensions: Sequence[str],
    per: float = 1000.0,
    tolerance: float = LEVEL_TOLERANCE,
    winner_is_mean: bool = False,
    pooled: str = "their mean",
    unit: str = "level",
    budget: float | None = None,
    spent: float | None = None,
    interval: np.ndarray | None = None,
    currency: str = "",
) -> Verdict:
    """Put the checks together. ``levels[k]`` is what candidate k (the winner among them) buys
    (levels; capped at 1 here); ``versus_winner[k]`` is candidate k minus the winner
    in net value, paired on the evaluation seeds; ``marginal`` per unit of spend; ``move`` the
    suggested transfer ``(to, from, NV(moved) - NV(winner))``; ``per`` the unit the report
    uses; ``winner_is_mean`` and ``pooled`` (what the pooled answer is called) as in
    :func:`agreement`; ``unit`` what ``levels`` are ("share":
    shares of the budget, for an objective with no cost curve). ``budget`` and ``spent`` (what
    the winner's levels cost): when at least ``step`` of the budget is left unspent, a marginal
    value above zero outside its CI means the search stopped short (the budget has room for it),
    and the warning of all-negative marginal values says the rest is better not spent.
    ``interval`` (2 x n levels: 2.5% and 97.5% over resamples of the seeds, for a pooled
    answer) says how settled the answer is, with a warning when a level's interval reaches
    further than ``tolerance`` from the answer's level. Money reads in whole units of
    ``currency`` (none named when empty: an objective with no scenario)."""

    def cash(x: float) -> str:
        return num.money(x, currency) if currency else num.whole(x)

    spread, d = level_spread(levels)
    reasons, warnings = [], []
    converged = True
    if len(levels) > 1:
        kind, reason = agreement(
            levels,
            versus_winner,
            dimensions,
            tolerance,
            winner_is_mean=winner_is_mean,
            pooled=pooled,
            currency=currency,
        )
        converged = kind != "disagree"
        reasons.append(
            reason
            if kind != "disagree"
            else reason + " (raise --trials, --restarts or --replications)"
        )
    if move is not None and move[2].n >= 2 and move[2].low > 0:
        to, frm, est = move
        g = scaled(est, per / step)
        converged = False
        reasons.append(
            f"moving {cash(step)} a period from {frm} to {to} raises net value, by "
            f"{cash(g.mean)} per {cash(per)} moved (95% CI {num.whole(g.low)} to "
            f"{cash(g.high)}): the "
            "marginal values contradict the split"
        )
    elif move is not None:
        reasons.append(
            f"moving {cash(step)} a period from {move[1]} (lowest marginal value) to {move[0]} "
            "(highest) does not raise net value outside its CI"
        )
    if interval is not None:
        reasons.append(_settled(interval, dimensions))
        loose = [
            f"{dimensions[d]} ({interval[0][d]:.2f} to {interval[1][d]:.2f})"
            for d in range(len(dimensions))
            if interval[1][d] - interval[0][d] > 2 * tolerance
        ]
        if loose:
            warnings.append(
                f"the answer's level of {', '.join(loose)} is not settled: its 95% interval "
                f"over resampled seeds is wider than +/-{tolerance:.2f}; raise --trials or "
                "--replications"
            )
    free = [m for m, s in zip(marginal, saturated, strict=True) if not s]
    room = budget is not None and spent is not None and budget - spent >= step
    if room:
        assert budget is not None and spent is not None
        reasons.append(
            f"the answer spends {cash(spent)} a period of the budget of {cash(budget)}: the budget "
            "does not bind"
        )
        paying = [
            dimensions[d]
            for d, (m, s) in enumerate(zip(marginal, saturated, strict=True))
            if not s and m.n >= 2 and m.low > 0
        ]
        if paying:
            converged = False
            reasons.append(
                f"spending {cash(step)} a period more on {', '.join(paying)} raises net value "
                "outside its CI and the budget has room: the search stopped short"
            )
    if free and all(m.low > 0 for m in free):
        warnings.append(
            "every marginal value is positive: the budget is too small for an interior optimum "
            "(each dimension repays more spend); a larger budget pays"
        )
    if free and all(m.high < 0 for m in free):
        warnings.append(
            "every marginal value is negative: no dimension repays more spend"
            + (
                f"; the answer leaves {cash(budget - spent)} a period of the budget unspent"
                if room
                else ": the budget is too large; a smaller budget pays"
            )
        )
    where = None if d is None else dimensions[d]
    return Verdict(converged, spread, where, tolerance, reasons, warnings, unit)


def _settled(interval: np.ndarray, dimensions: Sequence[str]) -> str:
    """The widest of the answer's level intervals over resampled seeds, in words."""
    width = np.asarray(interval[1]) - np.asarray(interval[0])
    d = int(np.argmax(width))
    return (
        f"resampling the seeds, the answer's levels stay within 95% intervals at most "
        f"{width[d]:.2f} wide (on {dimensions[d]}: {interval[0][d]:.2f} to {interval[1][d]:.2f})"
    )


def _shortfall(versus_winner: Sequence[Estimate], currency: str = "") -> str:
    """The worst candidate's shortfall against the winner, with its CI and replications (money
    in whole units of ``currency``)."""
    rivals = [e for e in versus_winner if e.n >= 2 and not (e.mean == 0 and e.sd == 0)]
    if not rivals:
        return "every search found the winner's split"
    e = min(rivals, key=lambda x: x.mean)
    unit = f" {currency}" if currency else ""
    return (
        f"the worst by {num.whole(-e.mean)}{unit} of net value, 95% CI {num.whole(-e.high)} to "
        f"{num.whole(-e.low)}{unit}, "
        f"{e.n} paired replications"
    )
