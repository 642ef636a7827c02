"""Claims a model makes, tested across plausible worlds: in what share of worlds each holds.

A :class:`Claim` is "``winner`` beats every one of ``losers`` on ``outcome``":
``customer_centric`` keeps customers longer than ``baseline`` (one loser), or raising learning
culture gains more CLV than raising any other dimension (four losers). Its **margin** in a world
is the winner's mean outcome there minus the best loser's (positive: the claim holds), from the
world means of the runs (:func:`~ckm_sim.whatif.robust.scores.world_means`: replication ``r``
runs on the same seed in every world and alternative, so the margin is paired). The **share**
of worlds in which a claim holds gets a 95% Wilson interval
(:func:`~ckm_sim.whatif.robust.scores.wilson`), which treats the worlds as independent draws
from the assumptions' ranges: right for a Latin hypercube
(:func:`~ckm_sim.whatif.robust.worlds.sample_worlds`), not for Morris trajectories, whose worlds
come in chains (:mod:`ckm_sim.whatif.robust.hinges` uses those for the margins' sensitivity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ckm_sim.whatif.robust.scores import wilson, world_means


@dataclass(frozen=True)
class Claim:
    """``winner`` beats every one of ``losers`` on ``outcome`` (named ``name`` in reports)."""

    name: str
    winner: str
    losers: tuple[str, ...]
    outcome: str

    @property
    def alternatives(self) -> list[str]:
        """The alternatives the claim compares, the winner first."""
        return [self.winner, *self.losers]

    def margin(self, values: pd.DataFrame) -> pd.Series:
        """Per world (rows of ``values``, one column per alternative): the winner's value minus
        the best loser's."""
        best_loser = values[list(self.losers)].max(axis=1)
        return (values[self.winner] - best_loser).rename(self.name)


def margins(runs: pd.DataFrame, claims: Sequence[Claim]) -> pd.DataFrame:
    """Each claim's margin (columns, in order) in every world (rows) where every run of the
    alternatives it compares succeeded; ``runs`` as
    :func:`~ckm_sim.whatif.robust.runs.results_table` gives them."""
    columns = []
    for claim in claims:
        values = world_means(runs, claim.alternatives, claim.outcome)
        columns.append(claim.margin(values))
    return pd.concat(columns, axis=1, join="inner")


def shares(table: pd.DataFrame) -> pd.DataFrame:
    """One row per claim (a column of ``table``, margins per world): ``worlds``, ``holds`` (the
    worlds with a positive margin), ``share`` and its 95% Wilson interval ``low``/``high``."""
    rows = []
    for name in table.columns:
        margin = table[name].dropna()
        n, holds = len(margin), int((margin > 0).sum())
        low, high = wilson(holds, n)
        rows.append(
            {
                "claim": name,
                "worlds": n,
                "holds": holds,
                "share": holds / n if n else float("nan"),
                "low": low,
                "high": high,
            }
        )
    return pd.DataFrame(rows, columns=["claim", "worlds", "holds", "share", "low", "high"])
