"""The page's controls: the control bar (preset, Reset, Play/Pause, Step, Run to period N,
speed) and the settings panel (a slider with its value for each dimension and market parameter,
the seed as a number). With several firms the five dimension sliders act on one firm at a time
(a firm selector, the first firm by default); the other firms' levels are shown as text.

The play loop runs in a thread: it advances the :class:`~ckm_sim.dashboard.runner.Runner` one
period, redraws, waits the speed's interval and checks the pause flag again, so a pause takes
effect within one period. The sliders edit the runner's settings; Reset builds the model from
them, and until then the panel names the controls that differ from the running model.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import solara
import solara.lab

from ckm_sim.dashboard.drawn import DrawnWaiter
from ckm_sim.dashboard.model import (
    DIMENSION_LABELS,
    MARKET_SLIDERS,
    SEED_RANGE,
    firm_levels,
    setting_firms,
    slider_label,
    slider_spec,
)
from ckm_sim.dashboard.notes import currency_of
from ckm_sim.dashboard.runner import SPEEDS, Runner
from ckm_sim.model.scenario import firm_key, list_scenarios, load_scenario

#: The redraw counter: one per browser session (solara scopes a reactive variable to its
#: session), so a play loop's update from its thread redraws that session's page.
CLOCK = solara.reactive(0)
#: "Run to period N": the period the box starts with (five years).
DEFAULT_TARGET = 60


#: The longest wait for the browser's echo of a redraw (a hidden tab paints no frames).
ECHO_TIMEOUT = 2.0


def use_play_loop(
    runner: Runner, playing: bool, set_playing, refresh: Callable[[], int], drawn: DrawnWaiter
):
    """While ``playing``: advance a period, redraw, wait until the browser has drawn it and
    the speed's interval has passed; stop when the runner says so (pause, or the target)."""

    def loop() -> None:
        while runner.advance():
            started = time.monotonic()
            drawn.wait(refresh(), ECHO_TIMEOUT)
            time.sleep(max(0.01, runner.interval - (time.monotonic() - started)))
        set_playing(False)

    # a task thread runs in the session's context, so its redraws reach the browser
    solara.lab.use_task(loop, dependencies=[playing], prefer_threaded=True)


@solara.component
def ControlBar(
    runner: Runner,
    preset: str,
    playing: bool,
    set_playing,
    refresh: Callable[[], None],
    running: bool = True,
):
    """Preset, Reset, Play/Pause, Step, Run to period N and speed, in one bar (redrawn when
    they change, not every period)."""
    target, set_target = solara.use_state(DEFAULT_TARGET)
    message, set_message = solara.use_state("")
    loads, set_loads = solara.use_state(0)

    def load(preset: str | None) -> None:
        if not preset:
            return
        set_playing(False)
        runner.load_preset(preset)
        set_message("")
        set_loads(loads + 1)  # a fresh selector: choosing the same preset again reloads it
        refresh()

    def reset() -> None:
        set_playing(False)
        runner.reset()
        set_message("")
        refresh()

    def play_pause() -> None:
        if playing:
            runner.pause()
            set_playing(False)
        else:
            runner.play()
            set_playing(True)

    def step() -> None:
        runner.step()
        refresh()

    def run_to() -> None:
        if runner.play(int(target)):
            set_message("")
            set_playing(True)
        else:
            set_message(f"Already at period {runner.period}: press Reset to start again.")

    with solara.Div():
        with solara.Div(classes=["ckm-bar"]):
            solara.Select("Preset", value=None, values=list_scenarios(), on_value=load).key(
                f"preset-{loads}"
            )
            solara.Button("Reset", color="primary", on_click=reset, classes=["ckm-reset"])
            solara.Button(
                "❚❚ Pause" if playing else "▶ Play",
                color="primary",
                on_click=play_pause,
                disabled=not (running or playing),
                classes=["ckm-play"],
            )
            solara.Button("Step", color="primary", on_click=step, disabled=playing or not running)
            with solara.Div(classes=["ckm-runto"]):
                solara.InputInt(
                    "Run to period",
                    value=target,
                    on_value=lambda v: set_target(min(max(int(v or 0), 0), runner.horizon)),
                    dense=True,
                    hide_details=True,
                    classes=["ckm-target"],
                )
                solara.Button(
                    f"Run to {target}",
                    color="primary",
                    on_click=run_to,
                    disabled=playing or not running,
                )
            solara.Select(
                "Speed",
                value=runner.speed,
                values=list(SPEEDS),
                on_value=lambda v: setattr(runner, "speed", v),
                classes=["ckm-speed"],
            )
        if not running:
            message = f"The run reached its horizon (period {runner.period}): Reset starts again."
        if message:
            solara.Text(message, classes=["ckm-message"])
        solara.Text(load_scenario(preset).description, classes=["ckm-note"])


def levels_line(firm: str, levels: dict[str, float]) -> str:
    """A firm's five levels in one line (``leader: Inter-functional 0.80 · ...``)."""
    shown = " · ".join(f"{DIMENSION_LABELS[d].split()[0]} {v:.2f}" for d, v in levels.items())
    return f"{firm}: {shown}"


def _slider(
    name: str, value, change: Callable[[str, object], None], currency: str | None = None
) -> None:
    """One slider with its label and value readout, money in ``currency`` (``data-slider``
    names its setting)."""
    spec = slider_spec(name)
    with solara.Div(classes=["ckm-slider"], attributes={"data-slider": name}):
        with solara.Div(classes=["ckm-slider-head"]):
            solara.Text(spec.label)
            solara.Text(spec.format(value, currency), classes=["ckm-slider-value"])
        solara.v.Slider(
            v_model=value,
            min=spec.low,
            max=max(spec.high, value),
            step=spec.step,
            hide_details=True,
            on_v_model=lambda v: change(name, int(v) if spec.is_int else float(v)),
        )


@solara.component
def SettingsPanel(runner: Runner, refresh: Callable[[], None], settings: dict, model):
    """A slider per dimension and market parameter with its value; the seed as a number.

    With several firms, a firm selector: the dimension sliders set the chosen firm's levels
    (``firms.<name>.<dimension>``) and the others' levels are listed below them.
    ``settings`` and ``model`` are the runner's: the panel redraws when either changes (a
    control moved, Reset, a preset), not every period."""
    values = settings
    firms = setting_firms(values)
    chosen, choose = solara.use_state(firms[0] if firms else "")
    if firms and chosen not in firms:  # another preset: its first firm
        chosen = firms[0]

    def change(name: str, value) -> None:
        runner.set_value(name, value)
        refresh()

    with solara.Card("Settings", margin=0, classes=["ckm-settings"]):
        if len(firms) > 1:
            solara.Select(
                "Firm the sliders set",
                value=chosen,
                values=list(firms),
                on_value=choose,
                classes=["ckm-firm"],
            )
        for dim in DIMENSION_LABELS:
            name = firm_key(chosen, dim) if firms else dim
            _slider(name, values[name], change)
        others = [f for f in firms if f != chosen]
        if others:  # read-only: a firm's own sliders show when it is chosen above
            with solara.Div(classes=["ckm-others"]):
                solara.Text("The other firms' levels:", classes=["ckm-note"])
                for f in others:
                    solara.Text(levels_line(f, firm_levels(values, f)), classes=["ckm-note"])
        for name in MARKET_SLIDERS:
            _slider(name, values[name], change, currency_of(model))
        solara.InputInt(
            "Seed (same seed, same random world)",
            value=int(values["seed"]),
            on_value=lambda v: change("seed", min(max(int(v or 0), SEED_RANGE[0]), SEED_RANGE[1])),
            classes=["ckm-seed"],
        )
        pending = runner.pending()
        if pending:
            names = ", ".join(slider_label(n) for n in pending)
            solara.Text(f"Press Reset to run with the new {names}.", classes=["ckm-pending"])
        else:
            solara.Text("The model running is the one these settings show.", classes=["ckm-note"])
