"""The lesson's numbers (docs/classroom.md), computed from the dashboard's own defaults and seed.

Every figure the lesson quotes sits between markers, ``<!--n:KEY-->text<!--/n-->``, where KEY is
``RUN.OUTCOME`` (the run's figure at :data:`PERIOD`, as the dashboard shows it) or
``RUN-OTHER.OUTCOME`` (the difference RUN minus OTHER, as the side-by-side table shows it). The
runs are the ones the lesson's steps produce on screen: the side-by-side pair on the default
live model's seed and market, or the live model from a preset and the sliders named. ``python
docs/make_classroom_figures.py`` rewrites the marked texts; the tests fail when one is stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ckm_sim.dashboard.compare import build_pair
from ckm_sim.dashboard.model import DEFAULT_PRESET, DashboardModel, build_model
from ckm_sim.dashboard.notes import format_difference, format_value

#: The period the lesson tells the class to watch to (five years).
PERIOD = 60
MARKER = re.compile(r"<!--n:(?P<key>[\w.\-]+)-->(?P<text>.*?)<!--/n-->")


def _side_by_side(left: str, right: str, side: int) -> Callable[[], DashboardModel]:
    def make() -> DashboardModel:
        pair = build_pair(build_model(DEFAULT_PRESET), left, right)
        return (pair.left, pair.right)[side]

    return make


def _live(preset: str, **sliders: Any) -> Callable[[], DashboardModel]:
    return lambda: build_model(preset, **sliders)


#: The runs of the lesson: name -> how the class gets it on screen.
RUNS: dict[str, Callable[[], DashboardModel]] = {
    # experiment 1: tab Side by side, it_only vs customer_centric
    "it_only": _side_by_side("it_only", "customer_centric", 0),
    "customer_centric": _side_by_side("it_only", "customer_centric", 1),
    # experiment 1, discussion: tab Live model, preset it_only, learning culture 0.85, Reset
    "it_only_culture": _live("it_only", learning_culture=0.85),
    # experiment 2: Side by side, baseline vs co_creation; then co_creation with silos
    "baseline": _side_by_side("baseline", "co_creation", 0),
    "co_creation": _side_by_side("baseline", "co_creation", 1),
    "co_creation_silos": _live("co_creation", inter_functional_cooperation=0.1),
    # experiment 3: Live model, baseline, then turbulence 0.05; customer_centric likewise
    "live_baseline": _live("baseline"),
    "turbulent_baseline": _live("baseline", turbulence=0.05),
    "turbulent_customer_centric": _live("customer_centric", turbulence=0.05),
}


@cache
def outcomes(run: str) -> dict[str, float]:
    """The run's outcomes at :data:`PERIOD`."""
    model = RUNS[run]()
    model.run(PERIOD)
    return dict(model.outcomes)


def figure(key: str) -> str:
    """The text a marker KEY stands for, formatted as the dashboard shows it."""
    runs, _, name = key.rpartition(".")
    if "-" in runs:
        run, other = runs.split("-", 1)
        return format_difference(name, outcomes(other)[name], outcomes(run)[name])
    return format_value(name, outcomes(runs)[name])


def render(text: str) -> str:
    """``text`` with every marked figure recomputed."""
    return MARKER.sub(lambda m: f"<!--n:{m['key']}-->{figure(m['key'])}<!--/n-->", text)


def stale(text: str) -> list[tuple[str, str, str]]:
    """Marked figures whose text differs from what the dashboard computes: (key, doc, now)."""
    return [
        (m["key"], m["text"], figure(m["key"]))
        for m in MARKER.finditer(text)
        if m["text"] != figure(m["key"])
    ]
