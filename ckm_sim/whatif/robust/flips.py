"""When the answer flips: scenario discovery (PRIM) on the worlds' parameters.

The *answer* is the alternative best in most worlds. For every other alternative that is best
in at least :data:`MIN_WINS` worlds, EMA Workbench's PRIM
(:class:`ema_workbench.analysis.prim.Prim`,
Friedman & Fisher 1999) peels the box of the worlds' parameters down to where that alternative
wins; the box reported is the densest with coverage of at least :data:`MIN_COVERAGE` of the
worlds it wins (:func:`ckm_sim.experiments.discovery.choose_box`), less the restrictions that
add at most :data:`PRUNE_DENSITY` to its density (:func:`pruned`). Its limits on the parameters
it restricts are the conditions, said in words by :meth:`Flip.sentence`: "baseline wins when
cost_multiplier is above 1.3 and strength_offer_adaptation is below 0.6: there it is best in 91%
of worlds, and those hold 83% of the worlds it wins".

:func:`importance` orders the parameters by how much they move the answer (those PRIM restricts
first, then by the rank correlation of each parameter with the answer's lead), for the figure.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ckm_sim.experiments.discovery import choose_box, prim_module

#: The reported box covers at least this share of the worlds where the alternative wins.
MIN_COVERAGE = 0.7
#: An alternative best in fewer worlds than this gets no box (too few to describe).
MIN_WINS = 5
#: Fewer worlds than this and scenario discovery is not attempted.
MIN_WORLDS = 20
#: A restriction is dropped from the box when the box loses at most this much density without
#: it: conditions a manager can read, not every parameter PRIM happened to peel.
PRUNE_DENSITY = 0.05


@dataclass
class Flip:
    """Where ``alternative`` beats ``answer``: PRIM's box (parameter, low, high; restricted
    parameters only, ``lower``/``upper`` whether that end is restricted) and its quality."""

    alternative: str
    answer: str
    wins: int
    worlds: int
    box: pd.DataFrame
    coverage: float
    density: float
    mass: float

    def conditions(self) -> str:
        """``cost_multiplier is above 1.3 and strength_offer_adaptation is below 0.6``."""
        parts = []
        for r in self.box.itertuples():
            if r.lower and r.upper:
                parts.append(f"{r.parameter} is between {r.low:.3g} and {r.high:.3g}")
            elif r.lower:
                parts.append(f"{r.parameter} is above {r.low:.3g}")
            else:
                parts.append(f"{r.parameter} is below {r.high:.3g}")
        return " and ".join(parts)

    def sentence(self) -> str:
        """The flip in words, with the box's density and coverage."""
        share = self.wins / self.worlds
        where = self.conditions()
        if not where:
            return (
                f"{self.alternative} is best in {self.wins} of {self.worlds} worlds "
                f"({share:.0%}), with no simple condition on the assumptions that picks them out"
            )
        return (
            f"{self.alternative} beats {self.answer} (best in {self.wins} of {self.worlds} worlds, "
            f"{share:.0%}) when {where}: there it is best in {self.density:.0%} of worlds, and "
            f"those hold {self.coverage:.0%} of the worlds it wins"
        )


def _box(limits: pd.DataFrame, full: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name in limits.columns:
        low, high = float(limits.loc[0, name]), float(limits.loc[1, name])
        lower, upper = low > float(full.loc[0, name]), high < float(full.loc[1, name])
        if lower or upper:
            rows.append(
                {"parameter": name, "low": low, "high": high, "lower": lower, "upper": upper}
            )
    return pd.DataFrame(rows, columns=["parameter", "low", "high", "lower", "upper"])


def _inside(x: pd.DataFrame, box: pd.DataFrame) -> np.ndarray:
    mask = np.ones(len(x), dtype=bool)
    for r in box.itertuples():
        values = x[r.parameter].to_numpy(dtype=np.float64)
        mask &= (values >= r.low) & (values <= r.high)
    return mask


def _quality(x: pd.DataFrame, hit: np.ndarray, box: pd.DataFrame) -> dict[str, float]:
    inside = _inside(x, box)
    n_in, wins = int(inside.sum()), int(hit.sum())
    return {
        "coverage": float(hit[inside].sum() / wins) if wins else 0.0,
        "density": float(hit[inside].mean()) if n_in else 0.0,
        "mass": n_in / len(x),
    }


def pruned(x: pd.DataFrame, hit: np.ndarray, box: pd.DataFrame) -> pd.DataFrame:
    """``box`` without the restrictions that add little: one at a time, the restriction whose
    removal costs the least density is dropped while that loss is at most
    :data:`PRUNE_DENSITY` (a box that loses nothing by a condition should not state it)."""
    while len(box) > 1:
        density = _quality(x, hit, box)["density"]
        losses = [density - _quality(x, hit, box.drop(i))["density"] for i in box.index]
        cheapest = int(np.argmin(losses))
        if losses[cheapest] > PRUNE_DENSITY:
            break
        box = box.drop(box.index[cheapest])
    return box.reset_index(drop=True)


def find_box(
    x: pd.DataFrame, hit: np.ndarray, min_coverage: float = MIN_COVERAGE
) -> dict[str, Any]:
    """PRIM's box for the worlds ``hit`` among ``x`` (pruned, :func:`pruned`): its table,
    coverage, density and mass."""
    prim = prim_module("finding when the answer flips needs EMA Workbench: ")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = prim.Prim(x.astype(np.float64), np.asarray(hit, dtype=bool)).find_box()
    trajectory = found.peeling_trajectory[["coverage", "density", "mass"]]
    chosen = choose_box(trajectory, min_coverage)
    hit = np.asarray(hit, dtype=bool)
    box = pruned(x, hit, _box(found.box_lims[chosen], found.box_lims[0]))
    return {"box": box, **_quality(x, hit, box)}


def flips(x: pd.DataFrame, best: pd.Series) -> list[Flip]:
    """For each alternative other than the answer (the most frequent of ``best``, the winner
    per world) that wins at least :data:`MIN_WINS` of at least :data:`MIN_WORLDS` worlds, where
    it wins; ``x``: the worlds' parameters, one row per world, aligned with ``best``."""
    if len(best) < MIN_WORLDS or best.nunique() < 2:
        return []
    counts = best.value_counts(sort=False)
    answer = str(counts.idxmax())
    out = []
    for name, wins in counts.items():
        if name == answer or wins < MIN_WINS:
            continue
        hit = (best == name).to_numpy()
        found = find_box(x.reset_index(drop=True), hit)
        out.append(Flip(str(name), answer, int(wins), len(best), **found))
    return sorted(out, key=lambda f: -f.wins)


def importance(x: pd.DataFrame, lead: pd.Series, found: list[Flip]) -> list[str]:
    """The parameters in order of how much they move the answer: those the boxes restrict
    (in order), then by the absolute Spearman correlation with ``lead`` (the answer's margin
    over the best other alternative, per world)."""
    first = list(dict.fromkeys(p for f in found for p in f.box["parameter"]))

    def strength(name: str) -> float:
        values = x[name].to_numpy(dtype=np.float64)
        if np.ptp(values) == 0 or np.ptp(lead.to_numpy()) == 0:
            return 0.0
        rho = stats.spearmanr(values, lead.to_numpy()).statistic
        return 0.0 if np.isnan(rho) else abs(float(rho))

    rest = sorted((c for c in x.columns if c not in first), key=strength, reverse=True)
    return [*first, *rest]
