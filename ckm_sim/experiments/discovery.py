"""Scenario discovery: where in the factor space is an outcome high (or low)?

The points of a sampled design (Latin hypercube, Sobol, Morris, CSV) are split into "of interest"
(the point mean of the outcome at or above its :data:`QUANTILE` quantile: the top 20%; or, for
``low``, at or below the bottom 20%) and the rest. Two maintained implementations then describe
the region of interest in terms of the factors:

- **PRIM** (Friedman & Fisher 1999), EMA Workbench's :class:`ema_workbench.analysis.prim.Prim`:
  it peels the factor box down to where the points of interest are dense. Each box on its
  peeling trajectory has a *coverage* (share of all points of interest inside it) and a *density*
  (share of the points inside it that are of interest). The box reported is the densest with
  coverage >= :data:`MIN_COVERAGE` (ties: the larger coverage), with its limits on the factors it
  restricts;
- a **classification tree** (CART, scikit-learn's :class:`~sklearn.tree.DecisionTreeClassifier`,
  depth :data:`TREE_DEPTH`, leaves of at least 5% of the points, fixed seed): each leaf is a box
  too, with its rule, size and share of points of interest.

Both are optional dependencies: ``pip install 'ckm-sim[discovery]'``. Without them
:func:`discover` raises :class:`DiscoveryUnavailable` and the sweep report says how to add them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError, install_hint

#: The points of interest: the top (or bottom) 20% of point means.
QUANTILE = 0.8
#: The reported PRIM box is the densest with at least this coverage.
MIN_COVERAGE = 0.8
#: Depth of the classification tree.
TREE_DEPTH = 3
#: Fewer design points than this and discovery is not attempted.
MIN_POINTS = 20


class DiscoveryUnavailable(CKMError):
    """EMA Workbench or scikit-learn is not installed."""


@dataclass
class Discovery:
    """The region where one outcome is high (or low): PRIM's box and the tree's leaves."""

    outcome: str
    direction: Literal["high", "low"]
    threshold: float  # the point mean that makes a point "of interest"
    points: int
    of_interest: int
    box: pd.DataFrame  # factor, low, high (restricted factors only)
    coverage: float
    density: float
    mass: float  # share of all points inside the box
    trajectory: pd.DataFrame  # coverage, density, mass, res_dim per peeling step
    chosen: int  # index of the reported box on the trajectory
    leaves: pd.DataFrame  # rule, points, share_of_interest, coverage (one row per leaf)
    tree: Any = field(repr=False, default=None)  # the fitted sklearn tree (for the figure)

    def box_text(self) -> str:
        """The box as one line: ``it_systems in [0.62, 1]; learning_culture in [0.4, 1]``."""
        if self.box.empty:
            return "(no factor restricted)"
        return "; ".join(
            f"{r.factor} in [{r.low:.3g}, {r.high:.3g}]" for r in self.box.itertuples()
        )


def prim_module(needs: str) -> Any:
    """EMA Workbench's ``prim`` module; when it is missing, :class:`DiscoveryUnavailable` says
    what ``needs`` it (``"scenario discovery needs EMA Workbench: "``) and how to install it."""
    try:
        with warnings.catch_warnings():  # EMA Workbench warns about optional parallel backends
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        raise DiscoveryUnavailable(needs + install_hint("discovery")) from None
    return prim


def _libraries() -> tuple[Any, Any]:
    needs = "scenario discovery needs EMA Workbench and scikit-learn: "
    prim = prim_module(needs)
    try:
        from sklearn import tree
    except ImportError:
        raise DiscoveryUnavailable(needs + install_hint("discovery")) from None
    return prim, tree


def of_interest(y: np.ndarray, direction: str = "high") -> tuple[np.ndarray, float]:
    """Which points are of interest, and the threshold (the 80% or 20% quantile)."""
    if direction == "high":
        threshold = float(np.quantile(y, QUANTILE))
        return y >= threshold, threshold
    threshold = float(np.quantile(y, 1.0 - QUANTILE))
    return y <= threshold, threshold


def choose_box(trajectory: pd.DataFrame, min_coverage: float = MIN_COVERAGE) -> int:
    """The densest box with coverage >= ``min_coverage`` (ties: the larger coverage)."""
    ok = trajectory[trajectory["coverage"] >= min_coverage]
    if ok.empty:
        ok = trajectory.iloc[:1]
    best = ok.sort_values(["density", "coverage"], ascending=False, kind="stable")
    return int(best.index[0])


def _box_table(limits: pd.DataFrame, full: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for factor in limits.columns:
        low, high = float(limits.loc[0, factor]), float(limits.loc[1, factor])
        if low > float(full.loc[0, factor]) or high < float(full.loc[1, factor]):
            rows.append({"factor": factor, "low": low, "high": high})
    return pd.DataFrame(rows, columns=["factor", "low", "high"])


def _rule(path: dict[str, tuple[float, float]]) -> str:
    parts = []
    for name, (low, high) in path.items():
        if np.isfinite(low):
            parts.append(f"{name} > {low:.3g}")
        if np.isfinite(high):
            parts.append(f"{name} <= {high:.3g}")
    return " and ".join(parts) or "(all points)"


def _leaves(fitted: Any, x: pd.DataFrame, hit: np.ndarray) -> pd.DataFrame:
    """One row per leaf of the fitted tree: its rule, size, share and coverage of interest."""
    t = fitted.tree_
    names = list(x.columns)
    # per node: the tightest (low, high] interval of each factor on the path to it
    paths: dict[int, dict[str, tuple[float, float]]] = {0: {}}
    stack = [0]
    while stack:
        node = stack.pop()
        left, right = t.children_left[node], t.children_right[node]
        if left == right:  # a leaf
            continue
        name, cut = names[t.feature[node]], float(t.threshold[node])
        low, high = paths[node].get(name, (-np.inf, np.inf))
        paths[left] = paths[node] | {name: (low, min(high, cut))}
        paths[right] = paths[node] | {name: (max(low, cut), high)}
        stack += [right, left]
    rules = {node: _rule(path) for node, path in paths.items()}
    leaf_of = fitted.apply(x)
    total = max(int(hit.sum()), 1)
    rows = []
    for leaf in sorted(set(leaf_of)):
        inside = leaf_of == leaf
        rows.append(
            {
                "rule": rules[leaf],
                "points": int(inside.sum()),
                "share_of_interest": float(hit[inside].mean()),
                "coverage": float(hit[inside].sum() / total),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values("share_of_interest", ascending=False, kind="stable").reset_index(
        drop=True
    )


def discover(
    x: pd.DataFrame, y: Sequence[float] | np.ndarray, outcome: str, direction: str = "high"
) -> Discovery:
    """PRIM's box and the tree's leaves for the points where ``y`` is high (or ``low``).

    ``x`` holds one numeric column per factor and one row per design point; ``y`` the point
    means of ``outcome`` (NaN points are left out).
    """
    if direction not in ("high", "low"):
        raise ValueError(f"direction must be 'high' or 'low', got {direction!r}")
    prim, tree = _libraries()
    values = np.asarray(y, dtype=np.float64)
    keep = ~np.isnan(values)
    x = x.loc[keep].reset_index(drop=True).astype(np.float64)
    values = values[keep]
    if len(values) < MIN_POINTS:
        raise CKMError(f"scenario discovery needs at least {MIN_POINTS} points, got {len(values)}")
    hit, threshold = of_interest(values, direction)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = prim.Prim(x, hit).find_box()
    trajectory = found.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].copy()
    chosen = choose_box(trajectory)
    step = trajectory.loc[chosen]
    fitted = tree.DecisionTreeClassifier(
        max_depth=TREE_DEPTH, min_samples_leaf=max(5, len(x) // 20), random_state=0
    ).fit(x, hit)
    return Discovery(
        outcome=outcome,
        direction=direction,  # type: ignore[arg-type]
        threshold=threshold,
        points=len(x),
        of_interest=int(hit.sum()),
        box=_box_table(found.box_lims[chosen], found.box_lims[0]),
        coverage=float(step["coverage"]),
        density=float(step["density"]),
        mass=float(step["mass"]),
        trajectory=trajectory,
        chosen=chosen,
        leaves=_leaves(fitted, x, hit),
        tree=fitted,
    )


def discovery_table(found: Sequence[Discovery]) -> pd.DataFrame:
    """One row per outcome: the threshold, the PRIM box, its coverage, density and mass."""
    return pd.DataFrame(
        [
            {
                "outcome": d.outcome,
                "region": f"{d.direction} (>= {d.threshold:.4g})"
                if d.direction == "high"
                else f"low (<= {d.threshold:.4g})",
                "points_of_interest": f"{d.of_interest} of {d.points}",
                "prim_box": d.box_text(),
                "coverage": d.coverage,
                "density": d.density,
                "mass": d.mass,
                "best_tree_leaf": d.leaves["rule"].iloc[0] if len(d.leaves) else "",
                "leaf_share_of_interest": float(d.leaves["share_of_interest"].iloc[0])
                if len(d.leaves)
                else float("nan"),
            }
            for d in found
        ]
    )
