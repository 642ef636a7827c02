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
from ckm_sim.model.outcomes import in_view, labels  # noqa: E402

#: The main time series of a run, in the order they are drawn (the registry's "run" view).
MAIN_SERIES: dict[str, str] = labels(in_view("run"), titles=True)
#: How matplotlib's warning starts when a tight layout cannot be applied.
TIGHT_FAILED = "Tight layout not applied"


def plot_timeseries(frame: pd.DataFrame, path: str | Path, title: str = "") -> Path:
    """A grid of the main outcome series of one run (or of several, by a ``label`` column)."""
    sns.set_theme(style="whitegrid", context="notebook")
    data = frame.reset_index()
    hue = "label" if "label" in data.columns else None
    fig, axes = plt.subplots(3, 3, figsize=(13, 9), sharex=True)
    for ax, (column, label) in zip(axes.flat, MAIN_SERIES.items(), strict=True):
        plot_data = data if column != "retention_rate" else data[data["period"] > 0]
        sns.lineplot(data=plot_data, x="period", y=column, hue=hue, ax=ax, legend=ax is axes[0, 0])
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
