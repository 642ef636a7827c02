"""Time-series charts: small multiples of the outcomes, drawn by ECharts in the browser.

The server only sends numbers (an ECharts option: a few kilobytes per step), so a step and a
redraw stay cheap at classroom sizes; the browser draws. One run colours each measure; several
runs (the side-by-side view) colour each run and dash the second and third measure of a panel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import solara

from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.dashboard.notes import LABELS
from ckm_sim.model.outcomes import panels

#: The panels: title and the outcomes drawn in it (from the outcome registry).
PANELS: tuple[tuple[str, tuple[str, ...]], ...] = panels()

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
DASHES = ("solid", "dashed", "dotted")
COLUMNS = 4


def _points(index: Sequence[int], values: Sequence[float]) -> list[list[float | None]]:
    """[[period, value], ...] with NaN as a gap (JSON has no NaN)."""
    return [
        [int(t), None if v is None or math.isnan(v) else round(float(v), 6)]
        for t, v in zip(index, values, strict=True)
    ]


def timeseries_option(
    runs: Mapping[str, pd.DataFrame],
    panels: Sequence[tuple[str, Sequence[str]]] = PANELS,
    columns: int = COLUMNS,
) -> dict[str, Any]:
    """An ECharts option with one small chart per panel and one line per (run, measure)."""
    rows = math.ceil(len(panels) / columns)
    several = len(runs) > 1
    option: dict[str, Any] = {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll", "textStyle": {"fontSize": 11}},
        "title": [],
        "grid": [],
        "xAxis": [],
        "yAxis": [],
        "series": [],
    }
    width, height = 100.0 / columns, 92.0 / rows
    legend: list[str] = []
    for p, (title, measures) in enumerate(panels):
        row, col = divmod(p, columns)
        left, top = col * width, 8.0 + row * height
        option["title"].append(
            {
                "text": title,
                "left": f"{left + width / 2:.1f}%",
                "top": f"{top:.1f}%",
                "textAlign": "center",
                "textStyle": {"fontSize": 12, "fontWeight": "normal"},
            }
        )
        option["grid"].append(
            {
                "left": f"{left + 4.5:.1f}%",
                "width": f"{width - 6.5:.1f}%",
                "top": f"{top + 5:.1f}%",
                "height": f"{height - 11:.1f}%",
            }
        )
        option["xAxis"].append({"gridIndex": p, "type": "value", "minInterval": 1, "scale": False})
        option["yAxis"].append({"gridIndex": p, "type": "value", "scale": True, "splitNumber": 3})
        for r, (run, df) in enumerate(runs.items()):
            for m, measure in enumerate(measures):
                label = LABELS.get(measure, measure)
                if several:  # one legend entry per run; extra measures of a panel dashed
                    name = run if m == 0 else f"{run}: {label}"
                    color, dash = PALETTE[r % len(PALETTE)], DASHES[m % len(DASHES)]
                else:
                    name, color, dash = label, PALETTE[m % len(PALETTE)], "solid"
                if (several or len(measures) > 1) and name not in legend:
                    legend.append(name)
                option["series"].append(
                    {
                        "name": name,
                        "type": "line",
                        "xAxisIndex": p,
                        "yAxisIndex": p,
                        "showSymbol": False,
                        "connectNulls": False,
                        "color": color,
                        "lineStyle": {"width": 2, "type": dash},
                        "data": _points(df.index, df[measure].to_numpy(dtype=float)),
                    }
                )
    option["legend"]["data"] = legend
    return option


def model_timeseries(model) -> pd.DataFrame:
    """The model's collected outcomes, one row per period (period 0 is the initial state)."""
    df = model.datacollector.get_model_vars_dataframe()
    return df.reset_index(drop=True)


@solara.component
def TimeSeriesCharts(model, tick: int = 0, height: int = 460):
    """The live charts of one model; redrawn whenever ``tick`` (Mesa's update counter) moves."""
    with solara.Card("Outcomes over time", margin=0, classes=["ckm-charts"]):
        LiveEcharts(lambda: timeseries_option({"": model_timeseries(model)}), [model, tick], height)
