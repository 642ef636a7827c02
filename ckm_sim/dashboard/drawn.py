"""A tiny widget through which the browser says it has drawn a redraw: the play loop's pacing.

The server sets ``tick`` when it redraws; the browser copies it into ``drawn`` after it has
applied the redraw and painted a frame. The play loop waits for that echo before the next
period, so it never runs ahead of what the class sees, and a click on Pause (which the browser
sends before the echo) is handled before the next period starts.
"""

from __future__ import annotations

import threading

import ipyvue
import traitlets

TEMPLATE = """<template><span style="display: none"></span></template>
<script>
module.exports = {
  watch: {
    tick(value) {
      requestAnimationFrame(() => setTimeout(() => { this.drawn = value; }, 0));
    }
  }
}
</script>"""


class DrawnEcho(ipyvue.VueTemplate):
    """``tick`` in, ``drawn`` out once the browser has painted."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)
    drawn = traitlets.Int(0).tag(sync=True)


class DrawnWaiter:
    """What the browser has drawn so far, and a wait for a given tick."""

    def __init__(self) -> None:
        self._drawn = -1
        self._changed = threading.Condition()

    def note(self, drawn: int) -> None:
        """The browser has drawn up to tick ``drawn``."""
        with self._changed:
            self._drawn = max(self._drawn, int(drawn))
            self._changed.notify_all()

    def wait(self, tick: int, timeout: float) -> bool:
        """Block until the browser has drawn ``tick`` (True) or ``timeout`` seconds (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._drawn >= tick, timeout=timeout)
