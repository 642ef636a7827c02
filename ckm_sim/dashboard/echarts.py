"""An ECharts figure whose option goes straight to its widget, not through reacton's props.

Reacton walks every prop of every element on each render, looking for nested elements; an
option with hundreds of nodes and points made that walk the biggest cost of a step. Here the
element is made without an option prop (reacton would set a prop again on every render, wiping
what the effect set), and an effect computes the option and sets it on the widget when the
dependencies (the model and Mesa's update counter) change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import solara
from solara.components.echarts import EchartsWidget


@solara.component
def LiveEcharts(
    make_option: Callable[[], dict[str, Any]], dependencies: Sequence[Any], height: int = 460
):
    """An ECharts figure of ``make_option()``, recomputed when ``dependencies`` change."""
    element = EchartsWidget.element(attributes={"style": f"height: {height}px;"})

    def push() -> None:
        solara.get_widget(element).option = make_option()

    solara.use_effect(push, list(dependencies))
    return element
