"""The figures: the headline strip (large, above the fold) and the panel of every current
outcome grouped by knowledge flow. Every number has its unit and a one-line meaning.

With several firms the panel starts with the firms' table (each firm's current figures, in its
chart colour) and what the firms compete for. Both are plain HTML built here (no Markdown
renderer, which would load math fonts from the internet), with ``data-figure`` attributes that
the browser tests read.
"""

from __future__ import annotations

from html import escape

import solara

from ckm_sim.dashboard.charts import firm_colour
from ckm_sim.dashboard.model import DIMENSION_LABELS, MARKET_SLIDERS, model_seed
from ckm_sim.dashboard.notes import (
    COMPETITION_NOTE,
    DIMENSION_NOTES,
    FLOWS,
    MARKET_NOTES,
    currency_of,
    format_value,
    measure,
)
from ckm_sim.model.outcomes import firm_outcome

#: The large figures at the top of the page, in this order.
HEADLINE: tuple[str, ...] = (
    "retention_rate",
    "mean_satisfaction",
    "clv",
    "active_customers",
    "net_value",
)
#: The rows of the firms' table (several firms), each a ``<firm>.<name>`` outcome.
FIRM_TABLE: tuple[str, ...] = (
    "market_share",
    "active_customers",
    "retention_rate",
    "mean_satisfaction",
    "clv",
    "customer_equity",
    "net_value",
)


def competences(model) -> dict[str, object]:
    """The competence each firm works at, by firm name (the single firm's: ``firm``)."""
    return {
        name: fs.competence for name, fs in zip(model.firm_names, model.firm_scenarios, strict=True)
    }


def levels_text(competence) -> str:
    """Five levels in a line: ``Inter-functional 0.50 · ... · Learning 0.50``."""
    return " · ".join(
        f"{label.split()[0]} {getattr(competence, dim):.2f}"
        for dim, label in DIMENSION_LABELS.items()
    )


def settings_line(model) -> str:
    """The run's settings in one line: the five levels (each firm's, with several), the market
    and the seed."""
    sc = model.scenario_config
    firms = competences(model)
    if model.n_firms > 1:
        levels = "; ".join(f"{name}: {levels_text(c)}" for name, c in firms.items()) + ";"
    else:
        levels = levels_text(sc.competence) + " ·"
    return (
        f"{levels} {sc.market.customers:,} customers and {sc.market.prospects:,} prospects, "
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


def figure_row(name: str, value: float, currency: str | None = None) -> str:
    """One figure: label and meaning, value and unit (money's in ``currency``)."""
    m = measure(name, currency)
    return (
        f"<tr><td>{escape(m.label)}<div class='ckm-meaning'>{escape(m.meaning)}</div></td>"
        f'<td class="v" data-figure="{name}">{format_value(name, value)}</td>'
        f"<td class='u'>{escape(m.unit)}</td></tr>"
    )


def headline_html(model) -> str:
    """The large figures: retention, satisfaction, CLV, customers, net value (with several
    firms, the whole market's, and the labels say so)."""
    out = model.outcomes
    whose = " (all firms)" if model.n_firms > 1 else ""
    tiles = []
    for name in HEADLINE:
        m = measure(name, currency_of(model))
        tiles.append(
            f"<div class='ckm-tile'><div class='ckm-tile-label'>{escape(m.label + whose)}</div>"
            f"<div class='ckm-big' data-headline='{name}'>{format_value(name, out[name])}</div>"
            f"<div class='ckm-meaning'><span class='ckm-unit'>{escape(m.unit)}</span>"
            f"{' · ' if m.unit else ''}{escape(m.meaning)}</div></div>"
        )
    return f"<div class='ckm-headline'>{''.join(tiles)}</div>"


def firms_html(model) -> str:
    """The firms' current figures side by side (one column per firm, in its chart colour) and
    what they compete for; empty for a single firm."""
    if model.n_firms < 2:
        return ""
    out = model.outcomes
    head = "".join(
        f"<th style='color:{firm_colour(f)}' data-firm='{escape(name)}'>{escape(name)}</th>"
        for f, name in enumerate(model.firm_names)
    )
    rows = []
    for name in FIRM_TABLE:
        m = measure(name, currency_of(model))
        cells = "".join(
            f'<td class="v" data-figure="{escape(firm_outcome(firm, name))}">'
            f"{format_value(name, out[firm_outcome(firm, name)])}</td>"
            for firm in model.firm_names
        )
        rows.append(
            f"<tr><td>{escape(m.label)}<div class='ckm-meaning'>{escape(m.meaning)}</div></td>"
            f"{cells}<td class='u'>{escape(m.unit)}</td></tr>"
        )
    return (
        f"<h4>The firms ({model.n_firms}): what each has now</h4>"
        f"<p data-figure='competition'>{escape(COMPETITION_NOTE)}</p>"
        f"<table data-figure='firms'><tr><th></th>{head}<th></th></tr>{''.join(rows)}</table>"
        "<p>The figures below are the whole market's.</p>"
    )


def figures_html(model) -> str:
    """The panel: period and settings, the firms (several only), then per flow a note and its
    current figures."""
    out = model.outcomes
    parts = [
        '<div class="ckm-panel">',
        f"<h4>Period {model.steps} · {escape(model.scenario_config.name)}</h4>",
        f'<p data-figure="settings">{escape(settings_line(model))}</p>',
        firms_html(model),
    ]
    for flow in FLOWS:
        parts += [f"<h4>{escape(flow.title)}</h4>", f"<p>{escape(flow.note)}</p>", "<table>"]
        parts += [figure_row(f, out[f], currency_of(model)) for f in flow.figures]
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)


def market_label(name: str, currency: str) -> str:
    """A market slider's label, with its unit when it is money (``Margin per customer (EUR per
    month)``)."""
    spec = MARKET_SLIDERS[name]
    return f"{spec.label} ({spec.unit_in(currency)})" if spec.money else spec.label


def dimensions_html(model) -> str:
    """The five dimensions at the model's levels (each firm's, with several), what each slider
    changes, and the market."""
    firms = competences(model)
    items = []
    for dim, label in DIMENSION_LABELS.items():
        levels = ", ".join(
            f"{name} {getattr(c, dim):.2f}" if model.n_firms > 1 else f"{getattr(c, dim):.2f}"
            for name, c in firms.items()
        )
        items.append(
            f"<li><b>{escape(label)}: {escape(levels)}.</b> {escape(DIMENSION_NOTES[dim])}</li>"
        )
    cur = currency_of(model)
    market = [
        f"<li><b>{escape(market_label(k, cur))}</b>: {escape(note)}</li>"
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
