"""Figures of single runs, drawn with seaborn on a headless matplotlib backend.

Every figure ckm-sim writes (runs, sweeps, what-if reports) is saved by :func:`save_figure`, and
every module that draws imports ``plt`` and ``sns`` from here (so the backend is set once).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ckm_sim.io import write_with  # noqa: E402
from ckm_sim.model.outcomes import (  # noqa: E402
    firm_outcome,
    in_view,
    labels,
    split_firm_outcome,
)

#: The main time series of a run, in the order they are drawn (the registry's "run" view).
MAIN_SERIES: dict[str, str] = labels(in_view("run"), titles=True)
#: How matplotlib's warning starts when a tight layout cannot be applied.
TIGHT_FAILED = "Tight layout not applied"


def plot_timeseries(frame: pd.DataFrame, path: str | Path, title: str = "") -> Path:
    """A grid of the main outcome series of one run (or of several, by a ``label`` column).

    A run of several firms draws, in each panel that has a ``<firm>.<outcome>`` series, each
    firm's line beside the market's."""
    sns.set_theme(style="whitegrid", context="notebook")
    data = frame.reset_index()
    firms = list(dict.fromkeys(f for f, _ in map(split_firm_outcome, data.columns) if f))
    fig, axes = plt.subplots(3, 3, figsize=(13, 9), sharex=True)
    legend_drawn = False
    for ax, (column, label) in zip(axes.flat, MAIN_SERIES.items(), strict=True):
        plot_data = data if column != "retention_rate" else data[data["period"] > 0]
        hue = "label" if "label" in data.columns else None
        own = [f for f in firms if firm_outcome(f, column) in plot_data.columns]
        if own and hue is None:
            parts = [plot_data[["period", column]].assign(firm="market")]
            parts += [
                plot_data[["period", firm_outcome(f, column)]]
                .rename(columns={firm_outcome(f, column): column})
                .assign(firm=f)
                for f in own
            ]
            plot_data, hue = pd.concat(parts, ignore_index=True), "firm"
        legend = hue is not None and not legend_drawn  # one legend, in the first panel with lines
        legend_drawn = legend_drawn or legend
        sns.lineplot(data=plot_data, x="period", y=column, hue=hue, ax=ax, legend=legend)
        ax.set_title(label)
        ax.set_ylabel("")
    fig.suptitle(title)
    return save_figure(fig, path)


def save_figure(fig: Figure, path: str | Path, dpi: int = 110) -> Path:
    """Lay out ``fig``, write it as PNG to ``path`` atomically (ckm_sim.io), and close it.

    When the margins cannot hold everything (a legend of many plans), matplotlib's tight layout
    gives up with a warning; the figure is then saved with a canvas grown to fit instead, and
    no warning is printed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.tight_layout()
    tight = True
    for w in caught:
        if str(w.message).startswith(TIGHT_FAILED):
            tight = False
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    bbox = None if tight else "tight"
    write_with(path, lambda tmp: fig.savefig(tmp, dpi=dpi, format="png", bbox_inches=bbox))
    plt.close(fig)
    return Path(path)
