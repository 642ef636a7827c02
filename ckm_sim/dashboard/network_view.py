"""The network view: employees by department, customers by satisfaction, churned faded.

At thousands of customers the view draws a fixed random sample of them (``MAX_CUSTOMERS``), so
the browser stays responsive. Where each node sits is computed once per model and cached; a step
only recolours the nodes. The layout is structured rather than force-directed: departments sit in
the middle (the firm), customers around them in one sector per segment (the market), and the
ties between the drawn nodes come from ``model.network``. Drawing never touches the model's
random generator, so watching a run does not change it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import solara

from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.model.market import ACTIVE, CHURNED

MAX_CUSTOMERS = 300
DEPARTMENT_COLOURS = ("#1f77b4", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f")
#: Satisfaction colour scale: 0 red, 0.5 yellow, 1 green.
SATISFACTION_STOPS = np.array([[215, 48, 39], [254, 224, 139], [26, 152, 80]], dtype=float)
CHURNED_COLOUR, PROSPECT_COLOUR = "#9e9e9e", "#cfd8dc"

_LAYOUTS: weakref.WeakKeyDictionary[Any, dict[int, NetworkLayout]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class NetworkLayout:
    """Where the drawn nodes sit: employees first, then the drawn customers."""

    n_employees: int
    customers: np.ndarray  # (c,) customer indices (0..N-1) that are drawn
    xy: np.ndarray  # (E + c, 2) positions
    edges: np.ndarray  # (k, 2) ties between drawn nodes, as indices into xy


def satisfaction_colours(satisfaction: np.ndarray) -> list[str]:
    """Hex colours of satisfaction levels in [0, 1] (red, yellow, green)."""
    s = np.clip(np.nan_to_num(np.asarray(satisfaction, dtype=float), nan=0.0), 0.0, 1.0) * 2.0
    low = np.minimum(s.astype(int), 1)
    frac = (s - low)[:, None]
    rgb = SATISFACTION_STOPS[low] * (1.0 - frac) + SATISFACTION_STOPS[low + 1] * frac
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in np.rint(rgb).astype(int)]


def compute_layout(model, max_customers: int = MAX_CUSTOMERS, seed: int = 0) -> NetworkLayout:
    """Sample customers and place every drawn node (no use of the model's own generator)."""
    s = model.state
    n_emp, n_cust = len(s.employee_department), len(s.status)
    rng = np.random.default_rng(seed)
    drawn = np.sort(rng.choice(n_cust, size=min(n_cust, max_customers), replace=False))
    xy = np.zeros((n_emp + len(drawn), 2))
    departments = s.employee_department
    n_dep = int(departments.max()) + 1 if n_emp else 1
    for d in range(n_dep):
        members = np.flatnonzero(departments == d)
        centre = 2 * np.pi * d / n_dep + np.pi / 2
        ring = 2 * np.pi * np.arange(len(members)) / max(len(members), 1)
        spread = 0.06 + 0.004 * len(members)
        xy[members] = np.column_stack(
            [
                0.32 * np.cos(centre) + spread * np.cos(ring),
                0.32 * np.sin(centre) + spread * np.sin(ring),
            ]
        )
    if len(drawn):
        n_seg = int(s.segment.max()) + 1
        seg = s.segment[drawn]
        angle = 2 * np.pi * (seg + 0.08 + 0.84 * rng.random(len(drawn))) / n_seg
        radius = 0.72 + 0.28 * np.sqrt(rng.random(len(drawn)))
        xy[n_emp:] = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    position = {i: i for i in range(n_emp)}
    position.update({n_emp + int(c): n_emp + k for k, c in enumerate(drawn)})
    sub = model.network.subgraph(position)
    edges = np.array([(position[a], position[b]) for a, b in sub.edges()], dtype=np.int64)
    return NetworkLayout(n_emp, drawn, xy, edges.reshape(-1, 2))


def network_layout(model, max_customers: int = MAX_CUSTOMERS) -> NetworkLayout:
    """The model's cached layout (computed on first use, once per model and sample size)."""
    cached = _LAYOUTS.setdefault(model, {})
    if max_customers not in cached:
        cached[max_customers] = compute_layout(model, max_customers)
    return cached[max_customers]


def network_option(model, layout: NetworkLayout) -> dict[str, Any]:
    """An ECharts graph option: the cached positions, coloured by the model's current state."""
    s = model.state
    departments = list(model.scenario_config.firm.departments)
    n_dep = len(departments)
    categories = [
        {"name": d, "itemStyle": {"color": DEPARTMENT_COLOURS[i % len(DEPARTMENT_COLOURS)]}}
        for i, d in enumerate(departments)
    ]
    categories += [
        {"name": "customer (red→green: satisfaction)", "itemStyle": {"color": "#1a9850"}},
        {"name": "churned", "itemStyle": {"color": CHURNED_COLOUR}},
        {"name": "prospect", "itemStyle": {"color": PROSPECT_COLOUR}},
    ]
    xy = np.round(layout.xy * 100.0, 2)
    nodes: list[dict[str, Any]] = []
    for e in range(layout.n_employees):
        d = int(s.employee_department[e])
        nodes.append(
            {
                "name": f"{departments[d]} employee {e}",
                "x": float(xy[e, 0]),
                "y": float(xy[e, 1]),
                "symbolSize": 9,
                "category": d,
            }
        )
    status = s.status[layout.customers]
    satisfaction = s.satisfaction[layout.customers]
    colours = satisfaction_colours(satisfaction)
    for k, c in enumerate(layout.customers):
        i = layout.n_employees + k
        node: dict[str, Any] = {"name": f"customer {int(c)}", "x": float(xy[i, 0])}
        node["y"] = float(xy[i, 1])
        if status[k] == ACTIVE:
            node.update(
                symbolSize=6,
                category=n_dep,
                value=round(float(satisfaction[k]), 2),
                itemStyle={"color": colours[k]},
            )
        elif status[k] == CHURNED:
            node.update(symbolSize=5, category=n_dep + 1, itemStyle={"opacity": 0.25})
        else:
            node.update(symbolSize=4, category=n_dep + 2, itemStyle={"opacity": 0.6})
        nodes.append(node)
    links = [{"source": int(a), "target": int(b)} for a, b in layout.edges]
    return {
        "animation": False,
        "tooltip": {"formatter": "{b} {c}"},
        "legend": {
            "top": 0,
            "data": [c["name"] for c in categories],
            "textStyle": {"fontSize": 11},
        },
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": True,
                "top": 40,
                "categories": categories,
                "data": nodes,
                "links": links,
                "lineStyle": {"color": "#90a4ae", "opacity": 0.25, "width": 0.6},
                "emphasis": {"focus": "adjacency"},
            }
        ],
    }


@solara.component
def NetworkView(
    model, tick: int = 0, max_customers: int = MAX_CUSTOMERS, height: int = 600, title: str = ""
):
    """The network of one model, recoloured whenever ``tick`` (Mesa's update counter) moves."""
    layout = network_layout(model, max_customers)
    n_cust = len(model.state.status)
    with solara.Card(title or "Who talks to whom", margin=0, classes=["ckm-network"]):
        LiveEcharts(lambda: network_option(model, layout), [model, layout, tick], height)
        shown = len(layout.customers)
        sample = f"{shown} of {n_cust} customers drawn" if shown < n_cust else "every customer"
        solara.Text(
            f"Firm in the middle, one sector of customers per segment; {sample}. "
            "Churned customers are faded.",
            style={"font-size": "0.8em", "color": "#555"},
        )
