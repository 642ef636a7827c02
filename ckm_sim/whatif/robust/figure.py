"""The slide of a robustness study (``robustness.png``): who wins how often, and where.

Left, each alternative's share of worlds in which it is best, with its 95% Wilson interval.
Right, every world placed by the two parameters that move the answer most
(:func:`~ckm_sim.whatif.robust.flips.importance`), coloured by the alternative best there, with
the PRIM box of the largest flip drawn where it restricts those two parameters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from ckm_sim.reports.plots import plt, save_figure
from ckm_sim.whatif.robust.flips import Flip
from ckm_sim.whatif.shared.figures import group_colours


def _box_edges(flip: Flip, name: str, values: np.ndarray) -> tuple[float, float]:
    rows = flip.box[flip.box["parameter"] == name]
    if rows.empty:
        return float(values.min()), float(values.max())
    return float(rows["low"].iloc[0]), float(rows["high"].iloc[0])


def plot_robustness(
    table: pd.DataFrame,
    x: pd.DataFrame,
    best: pd.Series,
    order: list[str],
    found: list[Flip],
    path: Path,
    title: str,
) -> Path:
    """Write the slide to ``path``: ``table`` is :func:`~ckm_sim.whatif.robust.scores.scores`,
    ``x`` the worlds' parameters, ``best`` the winner per world, ``order`` the parameters by
    importance, ``found`` the flips."""
    names = list(table["alternative"])
    colours = group_colours(names)
    two = len(order) >= 1
    fig, axes = plt.subplots(1, 2 if two else 1, figsize=(12, 4.8) if two else (6.5, 4.8))
    bars = axes[0] if two else axes
    share = table["share_best"].to_numpy() * 100
    err = np.clip(
        np.vstack(
            [
                share - table["best_low"].to_numpy() * 100,
                table["best_high"].to_numpy() * 100 - share,
            ]
        ),
        0.0,
        None,
    )
    y = np.arange(len(names))[::-1]
    bars.barh(y, share, xerr=err, color=[colours[n] for n in names], capsize=4)
    bars.set_yticks(y, names)
    bars.set_xlim(0, 100)
    bars.set_xlabel("share of worlds in which it is best (%), 95% CI")
    bars.set_title(f"Best in net value across {int(table['worlds'].iloc[0])} worlds")
    if two:
        ax = axes[1]
        px = order[0]
        py = order[1] if len(order) > 1 else None
        xv = x[px].to_numpy(dtype=np.float64)
        yv = x[py].to_numpy(dtype=np.float64) if py else np.zeros(len(x))
        for name in names:
            mask = (best == name).to_numpy()
            if mask.any():
                ax.scatter(xv[mask], yv[mask], s=18, color=colours[name], label=name, alpha=0.85)
        if found:
            flip = found[0]
            x0, x1 = _box_edges(flip, px, xv)
            y0, y1 = _box_edges(flip, py, yv) if py else (float(yv.min()), float(yv.max()))
            ax.add_patch(
                Rectangle(
                    (x0, y0),
                    x1 - x0,
                    y1 - y0,
                    fill=False,
                    ls="--",
                    lw=1.5,
                    ec="black",
                    label=f"where {flip.alternative} wins (PRIM)",
                )
            )
        ax.set_xlabel(px)
        ax.set_ylabel(py or "")
        ax.set_title("Best alternative in each world")
        ax.legend(fontsize=8, loc="best")
    fig.suptitle(title)
    return save_figure(fig, path)
