"""When an investment starts to pay: the payback period of a paired comparison, with its CI.

``net_value`` in period ``t`` is customer equity minus every discounted cost *to date*
(docs/ODD.md 6), so the paired difference ``D(t) = NV_treatment(t) - NV_reference(t)`` is the
cumulative gain of the treatment by period ``t``. An investment typically costs first and pays
later: ``D`` falls, then rises and crosses zero. The **payback period** is the first period from
which the mean of ``D`` over replications is positive to the horizon (the last crossing, so an
early blip above zero is not a payback). Its 95% CI inverts the pointwise 95% band of ``D``: the
earliest period from which the band's upper bound stays positive, and the earliest from which
its lower bound does; a bound that never settles above zero is "not within the horizon".

In a market of firms the same is measured on each firm's own net value (``<firm>.net_value``):
whether the money one firm spends pays back *for that firm*, which the market's total can hide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ckm_sim.firmkeys import outcome_key
from ckm_sim.whatif.shared.paired import PairedRuns, band, paired_series


@dataclass(frozen=True)
class Payback:
    """The payback period of ``treatment`` against ``reference`` (None: not within the horizon)."""

    treatment: str
    reference: str
    period: int | None  # first period from which the mean difference stays positive
    earliest: int | None  # ... from which the upper 95% bound stays positive
    latest: int | None  # ... from which the lower 95% bound stays positive
    horizon: int
    final_mean: float  # the difference at the horizon, with its 95% CI
    final_low: float
    final_high: float
    firm: str | None = None  # whose net value: a firm's, or the market's (None)

    def as_dict(self) -> dict[str, object]:
        """The fields as a dict (for JSON)."""
        return asdict(self)

    def sentence(self, word: str, currency: str | None = None) -> str:
        """``plan early pays back against baseline from month 34 (95% CI 29 to 41) ...``
        (``... for laggard ...`` on a firm's own net value); money in whole ``currency``."""
        unit = f" {currency}" if currency else ""
        value = "net value" if self.firm is None else f"{self.firm}'s net value"
        whose = "" if self.firm is None else f" for {self.firm}"
        final = (
            f"{value} at the horizon {self.final_mean:+,.0f}{unit} "
            f"(95% CI {self.final_low:,.0f} to {self.final_high:,.0f}{unit})"
        )
        if self.period is None:
            return (
                f"{self.treatment} does not pay back against {self.reference}{whose} within the "
                f"horizon ({self.horizon} {word}s): the cumulative difference in {value} is not "
                f"positive at the end; {final}."
            )
        latest = "not within the horizon" if self.latest is None else f"{self.latest}"
        earliest = "?" if self.earliest is None else f"{self.earliest}"
        above = f"{self.reference}'s" if self.firm is None else f"what it is in {self.reference}"
        return (
            f"{self.treatment} pays back against {self.reference}{whose} from {word} "
            f"{self.period} (95% CI {earliest} to {latest}): from then on its cumulative "
            f"{value} stays above {above}; {final}."
        )


def settles_positive(values: np.ndarray, periods: np.ndarray) -> int | None:
    """The first period from which every value is positive to the end (None if the last is not)."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) == 0 or not values[-1] > 0:
        return None
    not_positive = np.flatnonzero(~(values > 0))
    first = not_positive[-1] + 1 if len(not_positive) else 0
    return int(periods[first])


def payback_from_differences(
    diffs: pd.DataFrame,
    treatment: str,
    reference: str,
    metric: str = "net_value",
    firm: str | None = None,
) -> Payback:
    """The payback period from per-replication differences (columns ``period`` and ``metric``,
    one row per replication and period; ``firm``: whose net value ``metric`` is)."""
    bands = band(diffs, ["period"], [metric]).sort_values("period")
    periods = bands["period"].to_numpy()
    last = bands.iloc[-1]
    return Payback(
        treatment=treatment,
        reference=reference,
        period=settles_positive(bands["mean"].to_numpy(), periods),
        earliest=settles_positive(bands["high"].to_numpy(), periods),
        latest=settles_positive(bands["low"].to_numpy(), periods),
        horizon=int(periods[-1]),
        final_mean=float(last["mean"]),
        final_low=float(last["low"]),
        final_high=float(last["high"]),
        firm=firm,
    )


def paybacks(
    runs: PairedRuns, reference: str | None = None, firm: str | None = None
) -> list[Payback]:
    """The payback period of every scenario against the reference (the first by default),
    from the paired runs' time series of net value (``firm``'s own, or the market's)."""
    reference = runs.names[0] if reference is None else reference
    metric = outcome_key(firm, "net_value")
    diffs = paired_series(runs, reference, [metric])
    out = []
    for name in runs.names:
        if name == reference:
            continue
        mine = diffs[diffs["scenario"] == name]
        out.append(payback_from_differences(mine, name, reference, metric, firm))
    return out


def payback_lines(found: Sequence[Payback], word: str, currency: str | None = None) -> list[str]:
    """One sentence per payback."""
    return [p.sentence(word, currency) for p in found]
