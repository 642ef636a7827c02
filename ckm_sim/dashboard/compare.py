"""Side by side: two presets on the same seed and the same market, stepped with the live model.

The pair follows the live model's clock: whenever the live model has run more periods, both
runs catch up, so Play and Step drive all three. Both runs take the live model's seed and market
(customers, employees, segments, turbulence, margin) and differ only in the five dimensions of
their presets, so what differs on screen is what competence does.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import solara
from mesa.visualization.utils import update_counter

from ckm_sim.dashboard.charts import PANELS, model_timeseries, timeseries_option
from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.dashboard.figures import STYLE
from ckm_sim.dashboard.model import DashboardModel, model_seed
from ckm_sim.dashboard.network_view import NetworkView
from ckm_sim.dashboard.notes import LABELS
from ckm_sim.model.model import CKMModel
from ckm_sim.model.outcomes import in_view
from ckm_sim.model.scenario import list_scenarios
from ckm_sim.reports.numbers import figure as figure_value

DEFAULT_PAIR = ("it_only", "customer_centric")
#: Figures of the side-by-side table (the outcome registry's "compared" view).
COMPARED: tuple[str, ...] = tuple(in_view("compared"))


@dataclass
class Pair:
    """Two runs that differ only in their presets' competence."""

    left: CKMModel
    right: CKMModel

    def catch_up(self, steps: int) -> None:
        """Step both runs until they have run ``steps`` periods."""
        while self.left.steps < steps:
            self.left.step()
        while self.right.steps < steps:
            self.right.step()


def market_of(model: CKMModel) -> dict[str, float]:
    """The live model's market settings that the pair shares."""
    sc = model.scenario_config
    return {
        "customers": sc.market.customers,
        "prospects": sc.market.prospects,
        "employees": sc.firm.employees,
        "segments": sc.market.segments,
        "turbulence": sc.market.turbulence,
        "margin": sc.economics.margin,
    }


def build_pair(model: CKMModel, left: str, right: str) -> Pair:
    """The two runs, on the live model's seed and market."""
    seed, market = model_seed(model), market_of(model)
    return Pair(
        DashboardModel(preset=left, seed=seed, **market),
        DashboardModel(preset=right, seed=seed, **market),
    )


def comparison_table(pair: Pair) -> str:
    """HTML table of the current figures of both runs and their difference."""
    a, b = pair.left, pair.right
    name_a, name_b = a.scenario_config.name, b.scenario_config.name
    head = (
        f"<tr><th></th><th>{escape(name_a)}</th><th>{escape(name_b)}</th><th>difference</th></tr>"
    )
    rows = [
        f"<tr><td>{escape(LABELS[f])}</td><td class='v'>{figure_value(f, a.outcomes[f])}</td>"
        f"<td class='v'>{figure_value(f, b.outcomes[f])}</td>"
        f"<td class='v'>{figure_value(f, b.outcomes[f] - a.outcomes[f])}</td></tr>"
        for f in COMPARED
    ]
    return (
        f"{STYLE}<div class='ckm-panel'><h4 data-figure='compare-period'>Period {a.steps}</h4>"
        f"<table>{head}{''.join(rows)}</table></div>"
    )


@solara.component
def SideBySide(model):
    """Two presets chosen by the class, run in step with the live model."""
    tick = update_counter.get()
    presets = list_scenarios()
    left, set_left = solara.use_state(DEFAULT_PAIR[0])
    right, set_right = solara.use_state(DEFAULT_PAIR[1])
    pair = solara.use_memo(lambda: build_pair(model, left, right), [model, left, right])
    pair.catch_up(model.steps)
    with solara.Card(
        f"Same seed ({model_seed(model)}), same market, two kinds of competence",
        margin=0,
        classes=["ckm-compare"],
    ):
        with solara.Row():
            solara.Select("Left", value=left, values=presets, on_value=set_left)
            solara.Select("Right", value=right, values=presets, on_value=set_right)
        solara.Text(
            "Both follow the live model's clock: press Step or Play in the sidebar.",
            style={"font-size": "0.85em", "color": "#555"},
        )
        with solara.Columns([1, 1]):
            NetworkView(pair.left, tick, height=320, title=left)
            NetworkView(pair.right, tick, height=320, title=right)
        names = (left, right) if left != right else (f"{left} (left)", f"{right} (right)")

        def option():
            runs = map(model_timeseries, (pair.left, pair.right))
            return timeseries_option(dict(zip(names, runs, strict=True)), PANELS)

        LiveEcharts(option, [pair, pair.left.steps], 460)
        solara.HTML(tag="div", unsafe_innerHTML=comparison_table(pair))
