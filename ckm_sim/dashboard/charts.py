"""Time-series charts: small multiples of the outcomes, drawn by ECharts in the browser.

The server only sends numbers (an ECharts option: a few kilobytes per step), so a step and a
redraw stay cheap at classroom sizes; the browser draws. Each run has a colour (the side-by-side
view names them in the legend); within a panel the second and third measure are dashed and
dotted, and the panel's subtitle says which line is which. Titles carry the unit.

With several firms (docs/ODD.md 7.6) a second set of panels draws each firm's own series
(``<firm>.<outcome>``) side by side: one line per firm, named after it, in the firm's colour
(:func:`firm_colour`, the same in every chart and in the firms' table).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import solara

from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.dashboard.notes import currency_of, measure
from ckm_sim.model.outcomes import BY_NAME, FIRM_SERIES, firm_outcome, panels

#: The panels: title and the outcomes drawn in it, from the outcome registry (a second outcome
#: of a panel is dashed, a third dotted).
PANELS: tuple[tuple[str, tuple[str, ...]], ...] = panels()

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
DASHES = ("solid", "dashed", "dotted")
DASH_NAMES = ("solid", "dashed", "dotted")
COLUMNS = 2

#: The outcomes drawn per firm when the market has several (each one a ``<firm>.<name>`` series
#: of the outcome registry's FIRM_SERIES), one panel each.
FIRM_CHARTED: tuple[str, ...] = (
    "market_share",
    "retention_rate",
    "clv",
    "net_value",
    "customer_equity",
    "mean_satisfaction",
)
assert set(FIRM_CHARTED) <= set(FIRM_SERIES)


def _firm_panel(name: str) -> tuple[str, tuple[str, ...]]:
    """A per-firm panel: the title of the outcome's market chart (its label if it has none)."""
    outcome = BY_NAME.get(name)
    title = outcome.panel if outcome is not None and outcome.panel else measure(name).label
    return title, (name,)


#: The per-firm panels: title and the one outcome drawn in it.
FIRM_PANELS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(map(_firm_panel, FIRM_CHARTED))


def firm_colour(index: int) -> str:
    """The colour of the firm at ``index`` (the scenario's order) in every chart and table."""
    return PALETTE[index % len(PALETTE)]


#: Chart text sizes (px): at least 14 for anything a class reads off the projector.
LABEL_PX, TITLE_PX = 14, 16
#: Where a panel's title and chart sit in its slot (fractions of the slot's height): a title of
#: one line sits nearer its own chart than the chart above (issue 24, dashboard defect 4); a
#: title with a key (a second line) keeps the room the key needs.
ONE_LINE: tuple[float, float, float] = (0.12, 0.31, 0.97)
WITH_KEY: tuple[float, float, float] = (0.0, 0.30, 0.88)


def _points(index: Sequence[int], values: Sequence[float]) -> list[list[float | None]]:
    """[[period, value], ...] with NaN as a gap (JSON has no NaN)."""
    return [
        [int(t), None if v is None or math.isnan(v) else round(float(v), 6)]
        for t, v in zip(index, values, strict=True)
    ]


def panel_title(
    title: str, measures: Sequence[str], currency: str | None = None
) -> tuple[str, str]:
    """A panel's title with its unit (money's in ``currency``), and a key to its line styles
    when it draws several."""
    first = measure(measures[0], currency)
    unit = f"% {first.unit}" if first.kind == "share" else first.unit
    text = f"{title} ({unit})" if unit else title
    key = ""
    if len(measures) > 1:
        key = " · ".join(
            f"{DASH_NAMES[m % len(DASH_NAMES)]}: {measure(name).label}"
            for m, name in enumerate(measures)
        )
    return text, key


def timeseries_option(
    runs: Mapping[str, pd.DataFrame],
    panels: Sequence[tuple[str, Sequence[str]]] = PANELS,
    columns: int = COLUMNS,
    currency: str | None = None,
) -> dict[str, Any]:
    """An ECharts option with one small chart per panel and one line per (run, measure).

    Each run has a colour (named in the legend when there are several); the measures of a panel
    are solid, dashed and dotted, as its subtitle says. Shares are drawn in %, like the figures;
    money panels name ``currency`` in their title.
    """
    rows = math.ceil(len(panels) / columns)
    several = len(runs) > 1
    top0 = 6.0 if several else 1.0
    option: dict[str, Any] = {
        "animation": False,
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": LABEL_PX}},
        "legend": {"top": 0, "show": several, "textStyle": {"fontSize": LABEL_PX}},
        "title": [],
        "grid": [],
        "xAxis": [],
        "yAxis": [],
        "series": [],
    }
    width, height = 100.0 / columns, (100.0 - top0) / rows
    axis_labels = {"fontSize": LABEL_PX}
    for p, (title, measures) in enumerate(panels):
        row, col = divmod(p, columns)
        left, top = col * width, top0 + row * height
        text, key = panel_title(title, measures, currency)
        title_at, grid_from, grid_to = WITH_KEY if key else ONE_LINE
        option["title"].append(
            {
                "text": text,
                "subtext": key,
                "left": f"{left + width / 2:.1f}%",
                "top": f"{top + height * title_at:.1f}%",
                "textAlign": "center",
                "itemGap": 2,
                "textStyle": {"fontSize": TITLE_PX, "fontWeight": "normal"},
                "subtextStyle": {"fontSize": LABEL_PX, "color": "#444"},
            }
        )
        option["grid"].append(
            {
                "left": f"{left + 1.5:.1f}%",
                "width": f"{width - 4:.1f}%",
                "top": f"{top + height * grid_from:.1f}%",
                "height": f"{height * (grid_to - grid_from):.1f}%",
                "containLabel": True,
            }
        )
        option["xAxis"].append(
            {"gridIndex": p, "type": "value", "minInterval": 1, "axisLabel": axis_labels}
        )
        option["yAxis"].append(
            {
                "gridIndex": p,
                "type": "value",
                "scale": True,
                "splitNumber": 3,
                "axisLabel": axis_labels,
            }
        )
        for r, (run, df) in enumerate(runs.items()):
            colour = firm_colour(r)
            for m, name in enumerate(measures):
                scale = 100.0 if measure(name).kind == "share" else 1.0
                series_name = run if several else measure(name).label
                option["series"].append(
                    {
                        "name": series_name,
                        "type": "line",
                        "xAxisIndex": p,
                        "yAxisIndex": p,
                        "showSymbol": False,
                        "connectNulls": False,
                        "color": colour,
                        "lineStyle": {"width": 2.5, "type": DASHES[m % len(DASHES)]},
                        "data": _points(df.index, scale * df[name].to_numpy(dtype=float)),
                    }
                )
    if several:
        option["legend"]["data"] = list(runs)
    return option


def model_timeseries(model) -> pd.DataFrame:
    """The model's collected outcomes, one row per period (period 0 is the initial state).

    Read without a lock while the play loop may be collecting: every column is cut to the
    periods all columns have.
    """
    columns = dict(model.datacollector.model_vars)
    periods = min((len(v) for v in columns.values()), default=0)
    return pd.DataFrame({name: values[:periods] for name, values in columns.items()})


def firm_timeseries(model) -> dict[str, pd.DataFrame]:
    """Each firm's own series (``<firm>.<outcome>`` columns, the prefix dropped), by firm name in
    the scenario's order; empty for a single firm."""
    if model.n_firms < 2:
        return {}
    df = model_timeseries(model)
    return {
        firm: df[[c for c in (firm_outcome(firm, n) for n in FIRM_SERIES) if c in df]].rename(
            columns=lambda c, firm=firm: c.removeprefix(firm_outcome(firm, ""))
        )
        for firm in model.firm_names
    }


def firm_option(model) -> dict[str, Any]:
    """The per-firm panels of a market with several firms: one line per firm."""
    return timeseries_option(firm_timeseries(model), FIRM_PANELS, currency=currency_of(model))


@solara.component
def TimeSeriesCharts(model, tick: int = 0, height: int = 760):
    """The live charts of one model (with several firms, each firm's first); redrawn whenever
    ``tick`` moves."""
    title = "Outcomes over time (x axis: period = month)"
    if model.n_firms > 1:
        rows = math.ceil(len(FIRM_PANELS) / COLUMNS)
        card = solara.Card("Each firm over time (one line per firm; period = month)", margin=0)
        with card, solara.Div(classes=["ckm-charts", "ckm-firm-charts"]):
            LiveEcharts(lambda: firm_option(model), [model, tick], 60 + rows * 190)
        title = "The whole market over time (x axis: period = month)"
    with solara.Card(title, margin=0), solara.Div(classes=["ckm-charts"]):
        LiveEcharts(
            lambda: timeseries_option({"": model_timeseries(model)}, currency=currency_of(model)),
            [model, tick],
            height,
        )
