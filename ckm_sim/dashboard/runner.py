"""The page's clock: the live model, the side-by-side pair, the settings, play, pause, run to N.

One :class:`Runner` per browser session. The live model and the pair are stepped together, one
period at a time, by whoever advances the clock (the Step button, or the play loop of
:mod:`ckm_sim.dashboard.controls`), never while drawing, so the screen shows every run at the
same period. Pause clears a flag that the play loop reads before every period: a pause takes
effect within one period, whichever tab is shown.
"""

from __future__ import annotations

import threading
from typing import Any

from ckm_sim.dashboard.compare import DEFAULT_PAIR, Pair, build_pair
from ckm_sim.dashboard.model import (
    DEFAULT_PRESET,
    DashboardModel,
    model_settings,
    preset_settings,
    slider_names,
)

#: Seconds between two periods at each play speed.
SPEEDS: dict[str, float] = {"slow": 1.0, "normal": 0.25, "fast": 0.02}
DEFAULT_SPEED = "normal"
#: The longest run the page offers ("Run to period N"): 20 years.
MAX_PERIOD = 240


class Runner:
    """The settings the controls show, the model built from them, and the clock."""

    def __init__(self, preset: str = DEFAULT_PRESET, pair: tuple[str, str] = DEFAULT_PAIR):
        self.lock = threading.RLock()
        self.playing = threading.Event()
        self.target: int | None = None
        self.speed = DEFAULT_SPEED
        self.pair_presets = pair
        self.settings: dict[str, Any] = preset_settings(preset)
        self.model: DashboardModel = DashboardModel(**self.settings)
        self.pair: Pair = build_pair(self.model, *pair)

    # ------------------------------------------------------------------ settings
    def load_preset(self, preset: str) -> None:
        """Load a preset's settings into the controls and start its run."""
        self.settings = preset_settings(preset)
        self.reset()

    def set_value(self, name: str, value: Any) -> None:
        """A control moved: the new value applies at the next Reset."""
        self.settings = {**self.settings, name: value}

    def pending(self) -> dict[str, tuple[Any, Any]]:
        """Controls that differ from the running model: name -> (shown, running)."""
        running = model_settings(self.model)
        names = [*slider_names(self.settings), "seed"]
        return {
            n: (self.settings[n], running.get(n))
            for n in names
            if not _same(self.settings[n], running.get(n))
        }

    def reset(self) -> None:
        """Stop, and build the live model and the pair from the settings the controls show."""
        self.pause()
        with self.lock:
            self.model = DashboardModel(**self.settings)
            self.pair = build_pair(self.model, *self.pair_presets)

    def choose_pair(self, left: str, right: str) -> None:
        """Compare two other presets, caught up with the live model's period."""
        with self.lock:
            self.pair_presets = (left, right)
            self.pair = build_pair(self.model, left, right)
            self.pair.catch_up(self.model.steps)

    # ------------------------------------------------------------------ clock
    @property
    def period(self) -> int:
        """The live model's period."""
        return int(self.model.steps)

    @property
    def running(self) -> bool:
        """False once the live model has reached its scenario's horizon (``periods``)."""
        return bool(self.model.running)

    @property
    def horizon(self) -> int:
        """The last period the live model runs to (its scenario's ``periods``)."""
        return int(min(self.model.scenario_config.periods, MAX_PERIOD))

    def step(self) -> None:
        """One period of the live model and the pair (none at the horizon)."""
        with self.lock:
            if not self.running:
                return
            self.model.step()
            self.pair.catch_up(self.model.steps)

    def play(self, target: int | None = None) -> bool:
        """Start playing (up to period ``target`` if given); False if already there."""
        if target is not None and target <= self.period:
            return False
        self.target = target
        self.playing.set()
        return True

    def pause(self) -> None:
        """Stop playing after the current period (the play loop reads the flag)."""
        self.playing.clear()
        self.target = None

    def advance(self) -> bool:
        """One period of the play loop; False (and paused) when paused, at the target or at
        the horizon."""
        if not self.playing.is_set():
            return False
        if not self.running or (self.target is not None and self.period >= self.target):
            self.pause()
            return False
        self.step()
        if self.target is not None and self.period >= self.target:
            self.pause()
        return True

    @property
    def interval(self) -> float:
        """Seconds between two periods at the chosen speed."""
        return SPEEDS[self.speed]


def _same(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return a == b
