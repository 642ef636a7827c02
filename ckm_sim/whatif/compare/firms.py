"""``ckm-sim compare`` across firms: each firm's paired differences, and one sentence per pair
and metric that says what happens to every firm.

When every compared scenario has the same two or more firms, the comparison adds, for each
firm, the outcomes of :data:`FIRM_METRICS` (``leader.net_value``, ...) to the market's, on the
same common seeds, and sums each up firm by firm:

> it_leader against duopoly: leader's net value rises by 12,000 EUR (95% CI 8,000 to 16,000
> EUR); laggard's net value falls by 5,000 EUR (95% CI 2,000 to 8,000 EUR).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ckm_sim.experiments.stats import Estimate
from ckm_sim.firmkeys import common_firms, outcome_key, words
from ckm_sim.model.scenario import Scenario
from ckm_sim.reports import numbers as num

#: The per-firm time paths a comparison of multi-firm scenarios draws (``firms.png``).
FIRM_PATHS: dict[str, str] = {
    "market_share": "Market share",
    "retention_rate": "Retention rate (per period)",
    "clv": "Mean CLV",
    "net_value": "Net value",
}

#: The per-firm summary outcomes a comparison of multi-firm scenarios tests.
FIRM_METRICS: tuple[str, ...] = (
    "final_market_share",
    "mean_retention_rate",
    "clv",
    "customer_equity",
    "net_value",
)


def firm_metrics(scenarios: Sequence[Scenario]) -> list[str]:
    """``<firm>.<metric>`` for every firm all ``scenarios`` share (none with one firm)."""
    return [outcome_key(f, m) for f in common_firms(scenarios) for m in FIRM_METRICS]


def firm_clause(firm: str, metric: str, est: Estimate, currency: str | None = None) -> str:
    """``leader's net value rises by X EUR (95% CI a to b EUR)`` (or falls, or cannot be
    told; money in whole units of ``currency``)."""
    key = outcome_key(firm, metric)
    what = words(key)
    if est.n < 2 or not est.excludes_zero:
        change = num.amount(key, est.mean, currency)
        return (
            f"{what} does not change distinguishably "
            f"({change}, {num.interval(key, est.low, est.high, currency)})"
        )
    if est.mean > 0:
        change = num.amount(key, est.mean, currency)
        return f"{what} rises by {change} ({num.interval(key, est.low, est.high, currency)})"
    change = num.amount(key, -est.mean, currency)
    return f"{what} falls by {change} ({num.interval(key, -est.high, -est.low, currency)})"


def firm_sentences(
    differences: pd.DataFrame, firms: Sequence[str], currency: str | None = None
) -> list[str]:
    """One sentence per pair and metric of :data:`FIRM_METRICS`, a clause per firm (money in
    whole units of ``currency``)."""
    out = []
    pairs = differences[["treatment", "reference"]].drop_duplicates().itertuples(index=False)
    for treatment, reference in pairs:
        of_pair = differences[
            (differences["treatment"] == treatment) & (differences["reference"] == reference)
        ].set_index("metric")
        for metric in FIRM_METRICS:
            clauses = []
            for firm in firms:
                key = outcome_key(firm, metric)
                if key not in of_pair.index:
                    continue
                r = of_pair.loc[key]
                est = Estimate(r["mean"], r["low"], r["high"], r["sd"], int(r["n"]))
                clauses.append(firm_clause(firm, metric, est, currency))
            if clauses:
                out.append(f"{treatment} against {reference}: " + "; ".join(clauses) + ".")
    return out


def firm_series(timeseries: pd.DataFrame, firms: Sequence[str]) -> pd.DataFrame:
    """The per-firm paths of :data:`FIRM_PATHS`, long by firm: columns ``group`` (scenario and
    firm), ``replication``, ``period`` and one column per path (ready for ``band``)."""
    parts = []
    for firm in firms:
        keys = {outcome_key(firm, m): m for m in FIRM_PATHS}
        present = [k for k in keys if k in timeseries.columns]
        if not present:
            continue
        part = timeseries[["scenario", "replication", "period", *present]].rename(columns=keys)
        part.insert(0, "group", part.pop("scenario") + " · " + firm)
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
