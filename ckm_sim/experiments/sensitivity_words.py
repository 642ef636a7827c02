"""Sentences that read the sensitivity tables for the report: what Sobol's S1 and ST mean,
when an index cannot be read (a CI wider than the index, a negative index), and what the
standardized regression coefficients and their R^2 say."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ckm_sim.experiments.regression import ADEQUATE_R2
from ckm_sim.reports.numbers import number

SOBOL_MEANING = (
    "**S1** (first order) is the share of an outcome's variance across the design that a factor "
    "causes alone; **ST** (total) the share it has any part in, alone or through interactions "
    "with other factors, so ST - S1 measures its interactions and a factor with ST near 0 can be "
    "fixed anywhere in its range."
)

SRC_MEANING = (
    "A standardized regression coefficient (**SRC**) is the change in an outcome's point mean, "
    "in standard deviations, for one standard deviation of the factor, the others held (least "
    "squares over the design points; 95% CI by bootstrap over the points). With uncorrelated "
    "factors, SRC squared is the share of the variance the factor explains linearly, and these "
    f"shares add up to **R2**. R2 of {ADEQUATE_R2} or more: the linear reading is adequate and "
    "the SRCs rank the factors; below, the outcome responds nonlinearly or through interactions "
    "and the SRCs understate what matters."
)


def sobol_warnings(table: pd.DataFrame) -> list[str]:
    """One line per Sobol index that cannot be read as it stands: a 95% CI half-width wider
    than the index (not told apart from 0), or a negative index (estimation error around 0)."""
    lines = []
    for row in table.itertuples(index=False):
        for index in ("S1", "ST"):
            value, conf = float(getattr(row, index)), float(getattr(row, f"{index}_conf"))
            where = f"{row.outcome}, {row.factor}: {index} = {number(value)}"
            if value < 0:
                lines.append(
                    f"{where} is negative: an estimation error around 0 (read it as 0); more "
                    "samples (sweep --resume --samples N) narrow it"
                )
            elif np.isfinite(conf) and conf > abs(value):
                lines.append(
                    f"{where} has a CI half-width of {number(conf)}, wider than the index: it "
                    "cannot be told from 0; more samples (sweep --resume --samples N) narrow it"
                )
    return lines


def src_sentences(table: pd.DataFrame) -> list[str]:
    """Per outcome: R2, whether a linear reading is adequate, and the factor with the largest
    SRC (with its CI)."""
    lines = []
    for outcome, g in table.groupby("outcome", sort=False):
        r2 = float(g["R2"].iloc[0])
        ranked = g.dropna(subset=["SRC"])
        if ranked.empty or not np.isfinite(r2):
            lines.append(f"{outcome}: no regression (the points do not vary)")
            continue
        top = ranked.loc[ranked["SRC"].abs().idxmax()]
        lead = (
            f"largest SRC: {top['factor']} ({top['SRC']:+.2f} [{top['low']:+.2f}, "
            f"{top['high']:+.2f}])"
        )
        if r2 >= ADEQUATE_R2:
            lines.append(
                f"{outcome}: R2 = {r2:.2f}, a linear reading explains most of the variance "
                f"across points; {lead}"
            )
        else:
            lines.append(
                f"{outcome}: R2 = {r2:.2f}, below {ADEQUATE_R2}: a linear reading misses much of "
                f"the variance (nonlinear responses or interactions); {lead}, read with care"
            )
    return lines
