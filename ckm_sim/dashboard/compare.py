"""Side by side: two presets on the same seed and the same market, stepped with the live model.

The pair follows the live model's clock: the page's :class:`~ckm_sim.dashboard.runner.Runner`
steps it with the live model, so Play, Step and "Run to" drive all three (drawing never steps a
model). Both runs take the live model's seed and market (customers, employees, segments,
turbulence, margin) and differ only in the five dimensions of their presets, so what differs on
screen is what competence does.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import solara

from ckm_sim.dashboard.charts import PANELS, model_timeseries, timeseries_option
from ckm_sim.dashboard.echarts import LiveEcharts
from ckm_sim.dashboard.model import DashboardModel, model_seed
from ckm_sim.dashboard.network_view import NetworkView
from ckm_sim.dashboard.notes import currency_of, format_difference, format_value, measure
from ckm_sim.dashboard.scroll import ScrollHere
from ckm_sim.model.model import CKMModel
from ckm_sim.model.outcomes import in_view
from ckm_sim.model.scenario import list_scenarios

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
    """HTML table of the current figures of both runs and their difference (right - left)."""
    a, b = pair.left, pair.right
    name_a, name_b = a.scenario_config.name, b.scenario_config.name
    head = (
        f"<tr><th></th><th>{escape(name_a)}</th><th>{escape(name_b)}</th>"
        "<th>difference</th><th>unit</th></tr>"
    )
    rows = []
    for f in COMPARED:
        m = measure(f, currency_of(a))
        rows.append(
            f"<tr data-row='{f}'><td>{escape(m.label)}"
            f"<div class='ckm-meaning'>{escape(m.meaning)}</div></td>"
            f"<td class='v'>{format_value(f, a.outcomes[f])}</td>"
            f"<td class='v'>{format_value(f, b.outcomes[f])}</td>"
            f"<td class='v'>{format_difference(f, a.outcomes[f], b.outcomes[f])}</td>"
            f"<td class='u'>{escape(m.unit)}</td></tr>"
        )
    return (
        f"<div class='ckm-panel'><h4 data-figure='compare-period'>Period {a.steps}</h4>"
        f"<table>{head}{''.join(rows)}</table></div>"
    )


@solara.component
def SideBySide(runner, tick: int = 0, refresh=None):
    """Two presets chosen by the class, run in step with the live model."""
    presets = list_scenarios()
    pair = runner.pair
    left, right = runner.pair_presets
    model = runner.model
    with solara.Card(
        f"Same seed ({model_seed(model)}), same market, two kinds of competence",
        margin=0,
        classes=["ckm-compare"],
    ):
        with solara.Row():

            def choose(new_left: str, new_right: str) -> None:
                runner.choose_pair(new_left, new_right)
                if refresh is not None:
                    refresh()

            solara.Select("Left", value=left, values=presets, on_value=lambda v: choose(v, right))
            solara.Select("Right", value=right, values=presets, on_value=lambda v: choose(left, v))
        solara.Text(
            "Both follow the page's clock: Step, Play and Run to drive them with the live model.",
            classes=["ckm-note"],
        )
        if pair.left.n_firms > 1 or pair.right.n_firms > 1:
            solara.Text(
                "A preset with several firms is compared by its whole market's figures; the "
                "Live model tab shows each of its firms.",
                classes=["ckm-note"],
            )
        ScrollHere()  # the table in view when the tab is chosen (a 1024 x 768 projector)
        solara.HTML(tag="div", unsafe_innerHTML=comparison_table(pair))
        with solara.Columns([1, 1]):
            NetworkView(pair.left, tick, height=380, title=left)
            NetworkView(pair.right, tick, height=380, title=right)
        names = (left, right) if left != right else (f"{left} (left)", f"{right} (right)")

        def option():
            runs = map(model_timeseries, (pair.left, pair.right))
            runs_by_name = dict(zip(names, runs, strict=True))
            return timeseries_option(runs_by_name, PANELS, currency=currency_of(pair.left))

        LiveEcharts(option, [pair, pair.left.steps, tick], 760)
