"""The team's Submit button: it sends the round its page shows, and presses only once.

A plain button sends a bare click, which the server files for whatever round is open when the
click arrives: a double-click by the last team (the first click runs the round) submitted the
split for the next round too, and a click as the teacher ended the round was filed for the next
one. This button (a Vue template) sends the round number its page showed, so the engine can
refuse a split for a round that has closed (:class:`~ckm_sim.game.engine.RoundClosed`); it
disables itself in the browser from the press until the server answers (``stamp`` or the round
changes), and stays disabled for 0.8 s after the round changes, so the second click of a
double-click never reaches the next round. The button carries the round it sends
(``data-round``), so a script can tell when a new round's news has reached it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipyvuetify as v
import solara
import traitlets

TEMPLATE = """
<template>
  <v-btn color="primary" class="ckm-submit" :disabled="disabled || busy || cooling"
         :data-round="round_number" @click="press">
    {{ label }}
  </v-btn>
</template>
<script>
module.exports = {
  data() { return { busy: false, cooling: false }; },
  watch: {
    stamp() { this.busy = false; },
    round_number() {
      this.busy = false;
      this.cooling = true;
      setTimeout(() => { this.cooling = false; }, 800);
    },
  },
  methods: {
    press() {
      if (this.busy || this.cooling || this.disabled) { return; }
      this.busy = true;
      this.submit(this.round_number);
    },
  },
};
</script>
"""


class SubmitWidget(v.VuetifyTemplate):
    """The button's widget: its label, the round its page shows, whether it is disabled."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    label = traitlets.Unicode("Submit split").tag(sync=True)
    round_number = traitlets.Int(0).tag(sync=True)
    stamp = traitlets.Int(0).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handler: Callable[[int], None] | None = None

    def vue_submit(self, round_number: Any) -> None:
        """A press in the browser, with the round its page showed."""
        if self.handler is not None and isinstance(round_number, int):
            self.handler(round_number)


@solara.component
def SubmitButton(round_number: int, stamp: int, disabled: bool, on_submit: Callable[[int], None]):
    """Submit, sending ``round_number``; ``stamp`` changes whenever the server has answered."""
    element = SubmitWidget.element(
        label="Submit split", round_number=round_number, stamp=stamp, disabled=disabled
    )

    def attach() -> None:
        solara.get_widget(element).handler = on_submit  # type: ignore[attr-defined]

    solara.use_effect(attach)  # every render: the handler sees this render's draft
    return element
