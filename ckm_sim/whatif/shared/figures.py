"""Figures of the what-if reports (seaborn style, headless), saved by reports.plots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ckm_sim.model.outcomes import in_view, labels
from ckm_sim.reports.plots import plt, save_figure, sns

#: The time paths a comparison draws, with their titles (the registry's "paths" view).
PATHS: dict[str, str] = labels(in_view("paths"), titles=True)


def plot_bands(
    bands: pd.DataFrame,
    path: str | Path,
    titles: Mapping[str, str] = PATHS,
    hue: str = "scenario",
    title: str = "",
    zero_line: bool = False,
    colour_order: Sequence[str] | None = None,
) -> Path:
    """One panel per metric: the mean path of each ``hue`` group with its 95% band.

    ``bands`` is long: columns ``hue``, ``period``, ``metric``, ``mean``, ``low``, ``high``.
    ``colour_order``: every group of the report in order, so that a group has the same colour
    in each of its figures (default: the groups of this one).
    """
    sns.set_theme(style="whitegrid", context="notebook")
    metrics = [m for m in titles if m in set(bands["metric"])]
    cols = 3 if len(metrics) > 4 else max(len(metrics), 1)
    rows = int(np.ceil(len(metrics) / cols)) or 1
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols, 3.3 * rows), squeeze=False)
    groups = list(dict.fromkeys(bands[hue]))
    palette = group_colours([*(colour_order or []), *groups])
    for ax, metric in zip(axes.flat, metrics, strict=False):
        data = bands[bands["metric"] == metric]
        if metric == "retention_rate":
            data = data[data["period"] > 0]
        for group in groups:
            d = data[data[hue] == group]
            ax.plot(d["period"], d["mean"], color=palette[group], label=str(group), lw=1.6)
            ax.fill_between(d["period"], d["low"], d["high"], color=palette[group], alpha=0.25)
        if zero_line:
            ax.axhline(0.0, color="black", lw=0.8, ls="--")
        ax.set_title(titles[metric])
        ax.set_xlabel("period")
    for ax in axes.flat[len(metrics) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize="small")
    fig.suptitle(title)
    return save_figure(fig, path)


def group_colours(groups: Sequence[str]) -> dict[str, tuple[float, float, float]]:
    """One colour per group, by its first place in ``groups`` (the same group, the same colour
    in every figure that passes the same order)."""
    unique = list(dict.fromkeys(groups))
    return dict(zip(unique, sns.color_palette(n_colors=len(unique)), strict=True))


def plot_allocation(
    table: pd.DataFrame, path: str | Path, title: str = "", dimension: str = "dimension"
) -> Path:
    """Left: best and even allocation per dimension; right: marginal value with its 95% CI.

    ``table`` has columns ``dimension``, ``best``, ``even``, ``marginal``, ``marginal_low``,
    ``marginal_high``.
    """
    sns.set_theme(style="whitegrid", context="notebook")
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    long = table.melt(id_vars=[dimension], value_vars=["best", "even"], var_name="allocation")
    sns.barplot(data=long, y=dimension, x="value", hue="allocation", ax=left, orient="h")
    left.set_title("Spend per period")
    left.set_xlabel("budget units per period")
    left.set_ylabel("")
    y = np.arange(len(table))
    err = np.vstack(
        [table["marginal"] - table["marginal_low"], table["marginal_high"] - table["marginal"]]
    )
    colours = ["tab:green" if v > 0 else "tab:red" for v in table["marginal"]]
    right.barh(y, table["marginal"], xerr=err, color=colours, alpha=0.8, capsize=4)
    right.set_yticks(y, table[dimension])
    right.invert_yaxis()
    right.axvline(0.0, color="black", lw=0.8)
    right.set_title("Marginal net value of 1,000 more per period")
    right.set_xlabel("net value per 1,000 more spend per period")
    fig.suptitle(title)
    return save_figure(fig, path)


def plot_history(values: Sequence[float], path: str | Path, title: str = "") -> Path:
    """The optimiser's trials: each trial's objective and the best so far."""
    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = np.arange(len(values))
    ax.plot(x, values, "o", ms=4, alpha=0.6, label="trial")
    ax.plot(x, np.maximum.accumulate(np.asarray(values, dtype=float)), lw=2, label="best so far")
    ax.set_xlabel("trial")
    ax.set_ylabel("mean net value (common seeds)")
    ax.legend()
    ax.set_title(title)
    return save_figure(fig, path)


def plot_survival(
    observed: pd.DataFrame, simulated: pd.DataFrame, path: str | Path, title: str = ""
) -> Path:
    """Observed cohort survival (points) against the simulated one (line and 95% band).

    ``observed`` has ``period`` and ``survival``; ``simulated`` has ``period``, ``mean``, ``low``,
    ``high``.
    """
    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(7, 4.2))
    if "single_low" in simulated:
        ax.fill_between(
            simulated["period"],
            simulated["single_low"],
            simulated["single_high"],
            alpha=0.15,
            label="single runs (2.5-97.5%)",
        )
    ax.fill_between(
        simulated["period"], simulated["low"], simulated["high"], alpha=0.3, label="mean, 95% CI"
    )
    ax.plot(simulated["period"], simulated["mean"], lw=2, label="simulated (fitted)")
    ax.plot(observed["period"], observed["survival"], "o", color="black", ms=4, label="observed")
    ax.set_xlabel("period")
    ax.set_ylabel("share of the initial cohort still active")
    ax.legend()
    ax.set_title(title)
    return save_figure(fig, path)
