"""The figures: the headline strip (large, above the fold) and the panel of every current
outcome grouped by knowledge flow. Every number has its unit and a one-line meaning.

Both are plain HTML built here (no Markdown renderer, which would load math fonts from the
internet), with ``data-figure`` attributes that the browser tests read.
"""

from __future__ import annotations

from html import escape

import solara

from ckm_sim.dashboard.model import DIMENSION_LABELS, MARKET_SLIDERS, model_seed
from ckm_sim.dashboard.notes import DIMENSION_NOTES, FLOWS, MARKET_NOTES, format_value, measure

#: The large figures at the top of the page, in this order.
HEADLINE: tuple[str, ...] = (
    "retention_rate",
    "mean_satisfaction",
    "clv",
    "active_customers",
    "net_value",
)


def settings_line(model) -> str:
    """The run's settings in one line: the five levels, the market and the seed."""
    sc = model.scenario_config
    levels = " · ".join(
        f"{label.split()[0]} {getattr(sc.competence, dim):.2f}"
        for dim, label in DIMENSION_LABELS.items()
    )
    return (
        f"{levels} · {sc.market.customers:,} customers and {sc.market.prospects:,} prospects, "
        f"{sc.firm.employees} employees, {sc.market.segments} segments, "
        f"turbulence {sc.market.turbulence:g} per month, margin {sc.economics.margin:g} per "
        f"customer per month, seed {model_seed(model)}"
    )


def period_html(model) -> str:
    """The period and the preset, with what a period is (the clock in the control bar)."""
    return (
        f'<span class="ckm-clock" data-figure="period">Period {model.steps} · '
        f"{escape(model.scenario_config.name)}</span>"
        '<span class="ckm-note"> (one period is a month)</span>'
    )


def figure_row(name: str, value: float) -> str:
    """One figure: label and meaning, value and unit."""
    m = measure(name)
    return (
        f"<tr><td>{escape(m.label)}<div class='ckm-meaning'>{escape(m.meaning)}</div></td>"
        f'<td class="v" data-figure="{name}">{format_value(name, value)}</td>'
        f"<td class='u'>{escape(m.unit)}</td></tr>"
    )


def headline_html(model) -> str:
    """The large figures: retention, satisfaction, CLV, customers, net value."""
    out = model.outcomes
    tiles = []
    for name in HEADLINE:
        m = measure(name)
        tiles.append(
            f"<div class='ckm-tile'><div class='ckm-tile-label'>{escape(m.label)}</div>"
            f"<div class='ckm-big' data-headline='{name}'>{format_value(name, out[name])}</div>"
            f"<div class='ckm-meaning'><span class='ckm-unit'>{escape(m.unit)}</span>"
            f"{' · ' if m.unit else ''}{escape(m.meaning)}</div></div>"
        )
    return f"<div class='ckm-headline'>{''.join(tiles)}</div>"


def figures_html(model) -> str:
    """The panel: period and settings, then per flow a note and its current figures."""
    out = model.outcomes
    parts = [
        '<div class="ckm-panel">',
        f"<h4>Period {model.steps} · {escape(model.scenario_config.name)}</h4>",
        f'<p data-figure="settings">{escape(settings_line(model))}</p>',
    ]
    for flow in FLOWS:
        parts += [f"<h4>{escape(flow.title)}</h4>", f"<p>{escape(flow.note)}</p>", "<table>"]
        parts += [figure_row(f, out[f]) for f in flow.figures]
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
        f"<li><b>{escape(MARKET_SLIDERS[k].label)}</b>: {escape(note)}</li>"
        for k, note in MARKET_NOTES.items()
    ]
    return (
        f'<div class="ckm-panel"><h4>The five dimensions of CKM competence (0 none, 1 full)</h4>'
        f"<ul>{''.join(items)}</ul><h4>The market</h4><ul>{''.join(market)}</ul>"
        "<p>Sliders take effect when you press <b>Reset</b>; a preset loads its own values "
        "and starts a fresh run.</p></div>"
    )


@solara.component
def Clock(model, tick: int = 0):
    """The period and the preset running, refreshed as ``tick`` moves."""
    solara.HTML(tag="span", unsafe_innerHTML=period_html(model))


@solara.component
def Headline(model, tick: int = 0):
    """The large figures, refreshed as ``tick`` moves."""
    solara.HTML(tag="div", unsafe_innerHTML=headline_html(model))


@solara.component
def FiguresPanel(model, tick: int = 0):
    """Current figures (refreshed as ``tick`` moves), with the notes on flows and dimensions."""
    with solara.Card("Current figures", margin=0, classes=["ckm-figures"]):
        solara.HTML(tag="div", unsafe_innerHTML=figures_html(model))
        with solara.Details("What each slider changes", expand=False):
            solara.HTML(tag="div", unsafe_innerHTML=dimensions_html(model))
