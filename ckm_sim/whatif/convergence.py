"""Whether the optimiser's answer holds: the restarts agree, the marginal values are consistent
with the split, and the budget admits an interior optimum.

Three checks, all on the fresh evaluation seeds (paired):

- **Restarts agree.** The best splits of the independent searches lie within ``tolerance`` of
  the winner's shares on every dimension, or their net values cannot be told from the winner's
  (a flat optimum: several splits are equally good).
- **Marginal values are consistent with the split.** At an interior optimum of a budget split
  every funded dimension has the same marginal value (Lagrange). The move the marginal values
  suggest, one step of spend from the funded dimension with the lowest marginal value to the one
  with the highest, is evaluated on the same seeds: if it raises net value outside its CI, the
  split is not the optimum and the search has not converged. (Testing the move itself, not the
  difference of two forward differences, avoids the bias of a finite step on a concave curve.)
- **An interior optimum exists.** When every marginal value is positive the budget is too small
  (each dimension repays more spend); when every one is negative it is too large.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ckm_sim.experiments.stats import Estimate

#: Default tolerance on shares: the restarts agree when each share is within this of the winner's.
SHARE_TOLERANCE = 0.10


@dataclass
class Verdict:
    """The convergence verdict: converged or not, why, and warnings about the budget."""

    converged: bool
    share_spread: float  # largest |share - winner's share| over restarts and dimensions
    tolerance: float
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The verdict as a JSON-ready dict."""
        return {
            "converged": self.converged,
            "share_spread": self.share_spread,
            "tolerance": self.tolerance,
            "reasons": self.reasons,
            "warnings": self.warnings,
        }


def share_spread(candidates: Sequence[np.ndarray], winner: np.ndarray) -> float:
    """The largest difference in shares between any candidate and the winner."""
    w = winner / winner.sum()
    return max((float(np.abs(c / c.sum() - w).max()) for c in candidates), default=0.0)


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


def verdict(
    candidates: Sequence[np.ndarray],
    versus_winner: Sequence[Estimate],
    winner: np.ndarray,
    marginal: Sequence[Estimate],
    saturated: np.ndarray,
    move: tuple[str, str, Estimate] | None,
    step: float,
    per: float = 1000.0,
    tolerance: float = SHARE_TOLERANCE,
) -> Verdict:
    """Put the checks together. ``versus_winner[k]`` is candidate k minus the winner, paired on
    the evaluation seeds; ``marginal`` per unit of spend; ``move`` the suggested transfer
    ``(to, from, NV(moved) - NV(winner))``; ``per`` the unit the report uses."""
    spread = share_spread(candidates, winner)
    worse = [k for k, est in enumerate(versus_winner) if est.n >= 2 and est.high < 0]
    reasons, warnings = [], []
    converged = True
    if len(candidates) > 1:
        if spread <= tolerance:
            reasons.append(
                f"the {len(candidates)} independent searches agree: every share within "
                f"{spread:.0%} of the winner's (tolerance {tolerance:.0%})"
            )
        elif not worse:
            reasons.append(
                f"the searches' best splits differ by up to {spread:.0%} of the budget on a "
                "dimension, but none is distinguishable from the winner in net value: the "
                "optimum is flat there"
            )
        else:
            converged = False
            reasons.append(
                f"the searches disagree: shares differ by up to {spread:.0%} and "
                f"{len(worse)} of their best splits are worse than the winner, outside the CI "
                "(raise --trials or --restarts)"
            )
    if move is not None and move[2].n >= 2 and move[2].low > 0:
        to, frm, est = move
        g = scaled(est, per / step)
        converged = False
        reasons.append(
            f"moving {step:,.6g} a period from {frm} to {to} raises net value, by "
            f"{g.mean:,.0f} per {per:,.0f} moved (95% CI {g.low:,.0f} to {g.high:,.0f}): the "
            "marginal values contradict the split"
        )
    elif move is not None:
        reasons.append(
            f"moving {step:,.6g} a period from {move[1]} (lowest marginal value) to {move[0]} "
            "(highest) does not raise net value outside its CI"
        )
    free = [m for m, s in zip(marginal, saturated, strict=True) if not s]
    if free and all(m.low > 0 for m in free):
        warnings.append(
            "every marginal value is positive: the budget is too small for an interior optimum "
            "(each dimension repays more spend); a larger budget pays"
        )
    if free and all(m.high < 0 for m in free):
        warnings.append(
            "every marginal value is negative: the budget is too large (no dimension repays "
            "its last unit); a smaller budget pays"
        )
    return Verdict(converged, spread, tolerance, reasons, warnings)
