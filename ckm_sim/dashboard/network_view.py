"""The network view: the firm's departments in the middle, customers around them, and the ties
that carried knowledge this period coloured by flow (ABOUT, FROM, FOR), fading afterwards.

At thousands of customers the view draws a fixed random sample of them (``MAX_CUSTOMERS``), so
the browser stays responsive. Where each node sits is computed once per model and cached; a step
only recolours nodes and ties. The layout is structured rather than force-directed: departments
sit in the middle (the firm, one labelled cluster each), customers around them in one sector per
segment (the market), and the ties between drawn nodes come from ``model.ties``. Drawing never
touches the model's random generator, so watching a run does not change it. The graph does not
zoom or pan: the mouse wheel scrolls the page.

With several firms (docs/ODD.md 7.6) each firm's departments form a group of their own around
the firm's name (in the firm's chart colour), and each customer's service tie goes to its own
firm's serving employee; the customers around them are the one market all firms share.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import scipy.sparse as sp
import solara

from ckm_sim.dashboard.charts import firm_colour
from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.dashboard.flows import (
    FLOW_COLOURS,
    FLOW_CURVENESS,
    FLOW_MEANINGS,
    FLOWS,
)
from ckm_sim.model.market import ACTIVE, CHURNED, PROSPECT

MAX_CUSTOMERS = 300
EMPLOYEE_COLOUR = "#37474f"
#: Satisfaction colour scale: 0 red, 0.5 yellow, 1 green.
SATISFACTION_STOPS = np.array([[215, 48, 39], [254, 224, 139], [26, 152, 80]], dtype=float)
#: Churned customers: dark grey, faded; prospects: a light hollow ring (not the same grey).
CHURNED_COLOUR, PROSPECT_COLOUR = "#546e7a", "#90a4ae"
TIE_COLOUR = "#b0bec5"
#: Kinds of drawn ties.
EMPLOYEE_TIE, SERVICE_TIE, COMMUNITY_TIE = 0, 1, 2
#: Legend entries of the nodes (ECharts categories, in this order).
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("employee", EMPLOYEE_COLOUR, "rect"),
    ("customer: red unhappy → green happy", "#1a9850", "circle"),
    ("churned", CHURNED_COLOUR, "circle"),
    ("prospect", PROSPECT_COLOUR, "emptyCircle"),
)

_LAYOUTS: weakref.WeakKeyDictionary[Any, dict[int, NetworkLayout]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class NetworkLayout:
    """Where the drawn nodes sit (employees first, then the drawn customers) and their ties."""

    n_employees: int
    customers: np.ndarray  # (c,) customer indices (0..N-1) that are drawn
    xy: np.ndarray  # (E + c, 2) positions
    edges: np.ndarray  # (k, 2) ties between drawn nodes, as indices into xy
    kinds: np.ndarray  # (k,) EMPLOYEE_TIE, SERVICE_TIE or COMMUNITY_TIE
    centres: np.ndarray  # (D, 2) centre of each department's cluster (every firm's, in order)
    labels: tuple[str, ...] = ()  # (D,) the department of each cluster
    owners: tuple[int, ...] = ()  # (D,) the firm of each cluster
    firms: tuple[str, ...] = ()  # several firms: their names (one label each), else empty
    firm_centres: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # (F, 2)

    def customer_of(self, node: np.ndarray) -> np.ndarray:
        """Customer indices (0..N-1) of drawn customer nodes (indices into xy)."""
        return self.customers[node - self.n_employees]


def satisfaction_colours(satisfaction: np.ndarray) -> list[str]:
    """Hex colours of satisfaction levels in [0, 1] (red, yellow, green)."""
    s = np.clip(np.nan_to_num(np.asarray(satisfaction, dtype=float), nan=0.0), 0.0, 1.0) * 2.0
    low = np.minimum(s.astype(int), 1)
    frac = (s - low)[:, None]
    rgb = SATISFACTION_STOPS[low] * (1.0 - frac) + SATISFACTION_STOPS[low + 1] * frac
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in np.rint(rgb).astype(int)]


def employee_edges(model) -> np.ndarray:
    """(k, 2) ties between employees, every firm's, in the model's employee numbering."""
    own = model.ties.employee_edges.reshape(-1, 2)
    if model.n_firms < 2:
        return own
    parts = [own]
    for block, ties in zip(model.firm_blocks[1:], model.firm_employee_ties[1:], strict=True):
        a, b = sp.triu(ties, k=1).nonzero()
        parts.append(np.column_stack([a, b]) + block.start)
    return np.concatenate(parts).astype(np.int64)


def _drawn_ties(model, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ties among the employees and the drawn customers, as xy indices, with their kinds."""
    t = model.ties
    n_emp = len(model.state.employee_department)  # every firm's employees
    where = np.full(t.n_customers, -1, dtype=np.int64)
    where[drawn] = n_emp + np.arange(len(drawn))
    service = np.column_stack([t.serving_employee[drawn], where[drawn]])
    ends = where[t.community_edges] if len(t.community_edges) else np.empty((0, 2), np.int64)
    community = ends[(ends >= 0).all(axis=1)]
    parts = (employee_edges(model), service.reshape(-1, 2), community.reshape(-1, 2))
    kinds = np.concatenate([np.full(len(p), k) for k, p in enumerate(parts)])
    return np.concatenate(parts).astype(np.int64), kinds.astype(np.int8)


def _firm_groups(model) -> tuple[np.ndarray, float, float]:
    """Where each firm's departments gather: (F, 2) centres, the departments' distance from
    them and the scale of a department's ring (one firm: the middle, as always)."""
    n = model.n_firms
    if n < 2:
        return np.zeros((1, 2)), 0.32, 1.0
    angle = 2 * np.pi * np.arange(n) / n + np.pi / 2
    return 0.4 * np.column_stack([np.cos(angle), np.sin(angle)]), 0.2, 0.45


def compute_layout(model, max_customers: int = MAX_CUSTOMERS, seed: int = 0) -> NetworkLayout:
    """Sample customers and place every drawn node (no use of the model's own generator)."""
    s = model.state
    n_emp, n_cust = len(s.employee_department), len(s.status)
    rng = np.random.default_rng(seed)
    drawn = np.sort(rng.choice(n_cust, size=min(n_cust, max_customers), replace=False))
    xy = np.zeros((n_emp + len(drawn), 2))
    groups, reach, scale = _firm_groups(model)
    centres, labels, owners = [], [], []
    for f, fs in enumerate(model.firm_scenarios):
        departments = fs.firm.departments
        n_dep = len(departments)
        mine = s.employee_firm == f
        for d, department in enumerate(departments):
            members = np.flatnonzero(mine & (s.employee_department == d))
            angle = 2 * np.pi * d / n_dep + np.pi / 2
            centre = groups[f] + reach * np.array([np.cos(angle), np.sin(angle)])
            ring = 2 * np.pi * np.arange(len(members)) / max(len(members), 1)
            spread = scale * (0.06 + 0.004 * len(members))
            xy[members] = centre + spread * np.column_stack([np.cos(ring), np.sin(ring)])
            centres.append(centre)
            labels.append(department)
            owners.append(f)
    if len(drawn):
        n_seg = int(s.segment.max()) + 1
        seg = s.segment[drawn]
        angle = 2 * np.pi * (seg + 0.08 + 0.84 * rng.random(len(drawn))) / n_seg
        radius = 0.72 + 0.28 * np.sqrt(rng.random(len(drawn)))
        xy[n_emp:] = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    edges, kinds = _drawn_ties(model, drawn)
    firms = tuple(model.firm_names) if model.n_firms > 1 else ()
    return NetworkLayout(
        n_emp,
        drawn,
        xy,
        edges,
        kinds,
        np.array(centres),
        tuple(labels),
        tuple(owners),
        firms,
        groups,
    )


def network_layout(model, max_customers: int = MAX_CUSTOMERS) -> NetworkLayout:
    """The model's cached layout (computed on first use, once per model and sample size)."""
    cached = _LAYOUTS.setdefault(model, {})
    if max_customers not in cached:
        cached[max_customers] = compute_layout(model, max_customers)
    return cached[max_customers]


def _employee_name(model, e: int) -> str:
    """An employee node's tooltip: department (and firm, with several) and number."""
    s = model.state
    f = int(s.employee_firm[e])
    department = model.firm_scenarios[f].firm.departments[int(s.employee_department[e])]
    firm = f"{model.firm_names[f]} " if model.n_firms > 1 else ""
    return f"{firm}{department} employee {e}"


def _label(
    name: str, x: float, y: float, size: int, colour: str, bold: bool = False, text: str = ""
) -> dict:
    """A text node (no symbol, no tooltip) showing ``text`` (default: its ``name``, which must be
    unique among the graph's nodes): a department's or a firm's name."""
    label = {
        "show": True,
        "formatter": text or name,
        "fontSize": size,
        "color": colour,
        "backgroundColor": "rgba(255,255,255,0.85)",
        "padding": [1, 3],
    }
    if bold:
        label["fontWeight"] = "bold"
    return {
        "name": name,
        "x": x,
        "y": y,
        "symbolSize": 0,
        "category": 0,
        "label": label,
        "tooltip": {"show": False},
    }


def _nodes(model, layout: NetworkLayout, xy: np.ndarray) -> list[dict[str, Any]]:
    s = model.state
    nodes: list[dict[str, Any]] = [
        {
            "name": _employee_name(model, e),
            "x": float(xy[e, 0]),
            "y": float(xy[e, 1]),
            "symbolSize": 9,
            "category": 0,
        }
        for e in range(layout.n_employees)
    ]
    status = s.status[layout.customers]
    satisfaction = s.satisfaction[layout.customers]
    colours = satisfaction_colours(satisfaction)
    for k, c in enumerate(layout.customers):
        i = layout.n_employees + k
        node: dict[str, Any] = {"name": f"customer {int(c)}", "x": float(xy[i, 0])}
        node["y"] = float(xy[i, 1])
        if status[k] == ACTIVE:
            node.update(
                symbolSize=7,
                category=1,
                value=round(float(satisfaction[k]), 2),
                itemStyle={"color": colours[k]},
            )
        elif status[k] == CHURNED:
            node.update(symbolSize=5, category=2, itemStyle={"opacity": 0.35})
        else:
            node.update(symbolSize=5, category=3)
        nodes.append(node)
    centres = np.round(layout.centres * 100.0, 2)
    for d, name in enumerate(layout.labels):  # one label per department, at its centre
        # several firms: the node's name says whose department it is (ECharts needs unique names)
        unique = f"{layout.firms[layout.owners[d]]} {name}" if layout.firms else name
        x, y = float(centres[d, 0]), float(centres[d, 1])
        nodes.append(_label(unique, x, y, 14, "#263238", text=name))
    firms = np.round(layout.firm_centres * 100.0, 2)
    nodes += [  # several firms: each firm's name amid its departments, in its chart colour
        _label(name, float(firms[f, 0]), float(firms[f, 1]), 16, firm_colour(f), bold=True)
        for f, name in enumerate(layout.firms)
    ]
    return nodes


def flow_links(model, layout: NetworkLayout) -> list[dict[str, Any]]:
    """The coloured ties: each service tie once per flow it carried lately, community ties
    where a customer lately learned a part of the offer its neighbour knows (fading)."""
    period, links = model.steps, []
    service = np.flatnonzero(layout.kinds == SERVICE_TIE)
    customers = layout.customer_of(layout.edges[service, 1])
    for flow in FLOWS:
        opacity = model.flows.opacity(flow, customers, period)
        for e, alpha in zip(service[opacity > 0], opacity[opacity > 0], strict=True):
            links.append(_link(layout.edges[e], flow, float(alpha)))
    community = np.flatnonzero(layout.kinds == COMMUNITY_TIE)
    if len(community):
        pairs = layout.customer_of(layout.edges[community])
        active = model.state.status == ACTIVE
        opacity = model.peers.opacity(model.state.understood, active, pairs, period)
        for e, alpha in zip(community[opacity > 0], opacity[opacity > 0], strict=True):
            links.append(_link(layout.edges[e], "for", float(alpha), curveness=0.0))
    return links


def _link(edge: np.ndarray, flow: str, opacity: float, curveness: float | None = None) -> dict:
    bend = FLOW_CURVENESS[flow] if curveness is None else curveness
    style = {"color": FLOW_COLOURS[flow], "opacity": round(opacity, 2), "width": 1.8}
    return {
        "source": int(edge[0]),
        "target": int(edge[1]),
        "flow": flow,
        "lineStyle": style | {"curveness": bend},
    }


def network_option(model, layout: NetworkLayout) -> dict[str, Any]:
    """An ECharts graph option: the cached positions, coloured by the model's current state."""
    xy = np.round(layout.xy * 100.0, 2)
    categories = [
        {"name": name, "symbol": symbol, "itemStyle": {"color": colour}}
        for name, colour, symbol in CATEGORIES
    ]
    faint = [{"source": int(a), "target": int(b)} for a, b in layout.edges]
    return {
        "animation": False,
        "tooltip": {"formatter": "{b} {c}"},
        "legend": {
            "top": 0,
            "data": [c["name"] for c in categories],
            "textStyle": {"fontSize": 14},
        },
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": False,
                "top": 56,
                "bottom": 8,
                "categories": categories,
                "data": _nodes(model, layout, xy),
                "links": faint + flow_links(model, layout),
                "lineStyle": {"color": TIE_COLOUR, "opacity": 0.15, "width": 0.5},
                "emphasis": {"focus": "adjacency"},
            }
        ],
    }


def sample_note(model, layout: NetworkLayout) -> str:
    """What the drawing shows of the market: customers and prospects counted apart."""
    status = model.state.status
    shown = status[layout.customers]
    counts = [
        (int((shown == code).sum()), int((status == code).sum()), name)
        for code, name in ((ACTIVE, "customers"), (CHURNED, "churned"), (PROSPECT, "prospects"))
    ]
    if len(layout.customers) == len(status):
        return "Everyone in the market is drawn."
    drawn = ", ".join(f"{a:,} of {b:,} {name}" for a, b, name in counts if b)
    return f"Drawn (a fixed sample): {drawn}."


def legend_html() -> str:
    """The flows' colours and meanings, above the network."""
    items = "".join(
        f"<span class='ckm-flow'><i style='background:{FLOW_COLOURS[f]}'></i>"
        f"{escape(FLOW_MEANINGS[f])}</span>"
        for f in FLOWS
    )
    return f"<div class='ckm-flows' data-figure='flow-legend'>{items}</div>"


@solara.component
def NetworkView(
    model, tick: int = 0, max_customers: int = MAX_CUSTOMERS, height: int = 520, title: str = ""
):
    """The network of one model, recoloured whenever ``tick`` moves."""
    layout = network_layout(model, max_customers)
    with solara.Card(title or "Who talks to whom; what knowledge flowed", margin=0):
        # the flows' legend above the drawing: on a 1024 x 768 screen it shows on load
        solara.HTML(tag="div", unsafe_innerHTML=legend_html())
        with solara.Div(classes=["ckm-network"]):
            LiveEcharts(lambda: network_option(model, layout), [model, layout, tick], height)
        solara.Text(
            "Coloured ties carried knowledge this period and fade over the next two; ties "
            f"inside the firm stay faint (not traced). {sample_note(model, layout)}",
            classes=["ckm-note"],
        )
