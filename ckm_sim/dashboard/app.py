"""The classroom dashboard page.

Run it with ``ckm-sim dashboard`` (or ``solara run ckm_sim.dashboard.app``). At the top, a
control bar that stays in view (preset, Reset, Play/Pause, Step, Run to period N, speed) and
the headline figures; below, the settings (a slider with its value per dimension and market
parameter, the seed) beside the tabs *Live model* and *Side by side*. Each browser session gets
its own :class:`~ckm_sim.dashboard.runner.Runner` (model, pair and clock). The controls are
ckm-sim's own rather than Mesa SolaraViz's, so that Reset always builds the model the controls
show and a pause takes effect within one period.
"""

from __future__ import annotations

import solara
import solara.lab

from ckm_sim.dashboard.charts import TimeSeriesCharts
from ckm_sim.dashboard.compare import SideBySide
from ckm_sim.dashboard.controls import CLOCK, ControlBar, SettingsPanel, use_play_loop
from ckm_sim.dashboard.drawn import DrawnEcho, DrawnWaiter
from ckm_sim.dashboard.figures import Clock, FiguresPanel, Headline
from ckm_sim.dashboard.model import DEFAULT_PRESET
from ckm_sim.dashboard.network_view import NetworkView
from ckm_sim.dashboard.runner import Runner
from ckm_sim.dashboard.style import CSS

TITLE = "CKM competence, retention and customer lifetime value"


@solara.component
def LiveViews(model, tick: int):
    """Network and figures side by side, the charts below (with several firms the figures,
    which start with the firms' table, take the whole width under the network)."""
    several = ["ckm-several"] if model.n_firms > 1 else []  # the firms' table: full width
    with solara.Div(classes=["ckm-live", *several]):  # side by side, stacked when narrow
        with solara.Div(classes=["ckm-live-network"]):
            NetworkView(model, tick)
        with solara.Div(classes=["ckm-live-figures"]):
            FiguresPanel(model, tick)
    TimeSeriesCharts(model, tick)


@solara.component
def Page():
    """The whole dashboard; every view redraws when the clock or the settings move."""
    runner = solara.use_memo(lambda: Runner(DEFAULT_PRESET), [])
    tick = CLOCK.value
    playing, set_playing = solara.use_state(False)

    drawn = solara.use_memo(DrawnWaiter, [])

    def refresh() -> int:
        CLOCK.value += 1
        return CLOCK.value

    use_play_loop(runner, playing, set_playing, refresh, drawn)
    solara.Title("ckm-sim classroom")
    solara.Style(CSS)
    with solara.Div(classes=["ckm-page"]):
        with solara.Div(classes=["ckm-top"]):  # stays at the top of the window
            ControlBar(
                runner, runner.settings["preset"], playing, set_playing, refresh, runner.running
            )
            Clock(runner.model, tick)
        Headline(runner.model, tick)
        with solara.Div(classes=["ckm-body"]):
            with solara.Div(classes=["ckm-side"]):
                SettingsPanel(runner, refresh, runner.settings, runner.model)
            with solara.Div(classes=["ckm-main"]), solara.lab.Tabs(lazy=True):
                with solara.lab.Tab("Live model"):
                    LiveViews(runner.model, tick)
                with solara.lab.Tab("Side by side"):
                    SideBySide(runner, tick, refresh)
        DrawnEcho.element(tick=tick, on_drawn=drawn.note)
