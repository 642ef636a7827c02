"""The figures panel: the current outcomes grouped by knowledge flow, each with a plain note,
and the five dimensions with what their sliders change.

The panel is plain HTML built here (no Markdown renderer, which would load math fonts from the
internet), with ``data-figure`` attributes that the browser test reads.
"""

from __future__ import annotations

from html import escape

import solara

from ckm_sim.dashboard.model import DIMENSION_LABELS, MARKET_SLIDERS, model_seed
from ckm_sim.dashboard.notes import (
    DIMENSION_NOTES,
    FLOWS,
    LABELS,
    MARKET_NOTES,
)
from ckm_sim.reports.numbers import figure as figure_value

STYLE = """<style>
.ckm-panel table {border-collapse: collapse; margin: 2px 0 10px 0; font-size: 0.9em;}
.ckm-panel td, .ckm-panel th {padding: 1px 12px 1px 0;}
.ckm-panel td.v {text-align: right; font-variant-numeric: tabular-nums; font-weight: 600;}
.ckm-panel h4 {margin: 10px 0 2px 0; font-size: 1em;}
.ckm-panel p {margin: 0 0 4px 0; font-size: 0.88em; color: #444;}
.ckm-panel li {font-size: 0.88em; margin-bottom: 4px;}
</style>"""


def settings_line(model) -> str:
    """The run's settings in one line: the five levels, the market and the seed."""
    sc = model.scenario_config
    levels = " · ".join(
        f"{label.split()[0]} {getattr(sc.competence, dim):.2f}"
        for dim, label in DIMENSION_LABELS.items()
    )
    return (
        f"{levels} · {sc.market.customers} customers, {sc.firm.employees} employees, "
        f"{sc.market.segments} segments, turbulence {sc.market.turbulence:g}, "
        f"margin {sc.economics.margin:g}, seed {model_seed(model)}"
    )


def figures_html(model) -> str:
    """The panel: period and settings, then per flow a note and its current figures."""
    out = model.outcomes
    parts = [
        STYLE,
        '<div class="ckm-panel">',
        f'<h4 data-figure="period">Period {model.steps} · '
        f"{escape(model.scenario_config.name)}</h4>",
        f'<p data-figure="settings">{escape(settings_line(model))}</p>',
    ]
    for flow in FLOWS:
        parts += [f"<h4>{escape(flow.title)}</h4>", f"<p>{escape(flow.note)}</p>", "<table>"]
        parts += [
            f'<tr><td>{escape(LABELS[f])}</td><td class="v" data-figure="{f}">'
            f"{figure_value(f, out[f])}</td></tr>"
            for f in flow.figures
        ]
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)


def dimensions_html(model) -> str:
    """The five dimensions at the model's levels, what each slider changes, and the market."""
    c = model.scenario_config.competence
    items = [
        f"<li><b>{escape(label)}: {getattr(c, dim):.2f}.</b> {escape(DIMENSION_NOTES[dim])}</li>"
        for dim, label in DIMENSION_LABELS.items()
    ]
    market = [
        f"<li><b>{escape(MARKET_SLIDERS[k][0])}</b>: {escape(note)}</li>"
        for k, note in MARKET_NOTES.items()
    ]
    return (
        f'{STYLE}<div class="ckm-panel"><h4>The five dimensions of CKM competence</h4>'
        f"<ul>{''.join(items)}</ul><h4>The market</h4><ul>{''.join(market)}</ul>"
        "<p>Sliders take effect when you press <b>Reset</b>; a preset loads its own values "
        "and starts a fresh run.</p></div>"
    )


@solara.component
def FiguresPanel(model, tick: int = 0):
    """Current figures (refreshed as ``tick`` moves), with the notes on flows and dimensions."""
    with solara.Card("Current figures", margin=0, classes=["ckm-figures"]):
        solara.HTML(tag="div", unsafe_innerHTML=figures_html(model))
        with solara.Details("What each slider changes", expand=False):
            solara.HTML(tag="div", unsafe_innerHTML=dimensions_html(model))
