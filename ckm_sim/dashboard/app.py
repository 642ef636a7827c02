"""The classroom dashboard page: Mesa's SolaraViz controls with ckm-sim's views.

Run it with ``ckm-sim dashboard`` (or ``solara run ckm_sim.dashboard.app``). The sidebar holds the
preset selector and Mesa's controls (Reset, Play, Step; the sliders of the five dimensions, the
market and the seed); the main area holds the live views and the side-by-side comparison. Each
browser session gets its own model.
"""

from __future__ import annotations

import solara
import solara.lab
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from ckm_sim.dashboard.charts import TimeSeriesCharts
from ckm_sim.dashboard.compare import SideBySide
from ckm_sim.dashboard.figures import FiguresPanel
from ckm_sim.dashboard.model import DEFAULT_PRESET, build_model, model_params
from ckm_sim.dashboard.network_view import NetworkView
from ckm_sim.model.scenario import list_scenarios, load_scenario

TITLE = "CKM competence, retention and customer lifetime value"


@solara.component
def LiveViews(model):
    """Network and figures side by side, the charts below; all redrawn when the model steps."""
    tick = update_counter.get()
    with solara.Columns([3, 2]):
        NetworkView(model, tick)
        FiguresPanel(model, tick)
    TimeSeriesCharts(model, tick)


@solara.component
def PresetSelector(preset: str, on_preset):
    """Pick a shipped scenario: it loads its values into every slider and a fresh model."""
    with solara.Card("Preset scenario", margin=0):
        solara.Select("Preset", value=preset, values=list_scenarios(), on_value=on_preset)
        solara.Text(load_scenario(preset).description, style={"font-size": "0.85em"})


@solara.component
def Page():
    """The whole dashboard; a preset change rebuilds the model and the sliders."""
    preset, set_preset = solara.use_state(DEFAULT_PRESET)
    model = solara.use_memo(lambda: solara.reactive(build_model(DEFAULT_PRESET)), [])

    def load_preset(name: str) -> None:
        model.value = build_model(name)
        set_preset(name)

    solara.Title("ckm-sim classroom")
    with solara.Column(gap="0px"):  # the sidebar and app-bar placeholders take no room
        with solara.Sidebar():
            PresetSelector(preset, load_preset)
        # keyed on the preset: Mesa's parameter panel starts afresh from the preset's values
        SolaraViz(model, components=[], model_params=model_params(preset), name=TITLE).key(
            f"viz-{preset}"
        )
        with solara.lab.Tabs(lazy=True):
            with solara.lab.Tab("Live model"):
                LiveViews(model.value)
            with solara.lab.Tab("Side by side"):
                SideBySide(model.value)
