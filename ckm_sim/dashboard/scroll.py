"""A marker that scrolls the page (its scrolling box) to itself when it appears, just below the
sticky control bar.

The *Side by side* tab draws its table below the headline tiles and the card's selectors: on a
1024 x 768 projector only three of its rows showed. The tab's content mounts when the tab is
chosen (lazy tabs), so a marker above the table brings the table into view at that moment.
"""

from __future__ import annotations

import ipyvuetify as v
import solara
import traitlets

TEMPLATE = """
<template><div class="ckm-scroll-here"></div></template>
<script>
module.exports = {
  mounted() {
    const scrolls = (e) => e.scrollHeight > e.clientHeight
      && /(auto|scroll)/.test(getComputedStyle(e).overflowY);
    const go = () => {
      let box = this.$el.parentElement;
      while (box && !scrolls(box)) { box = box.parentElement; }
      box = box || document.scrollingElement;
      const bar = document.querySelector('.ckm-top');
      const below = bar ? bar.getBoundingClientRect().height : 0;
      const from = box === document.scrollingElement ? 0 : box.getBoundingClientRect().top;
      const y = this.$el.getBoundingClientRect().top - from + box.scrollTop - below - 4;
      box.scrollTo({top: Math.max(0, y)});
    };
    requestAnimationFrame(() => requestAnimationFrame(go));
  },
};
</script>
"""


class ScrollWidget(v.VuetifyTemplate):
    """The marker's widget (no state: it acts once, when it appears)."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)


@solara.component
def ScrollHere():
    """Scroll the page so that what follows this marker starts just below the control bar."""
    return ScrollWidget.element()
