"""docs/figures/cost_stories.py's sentence (issue 22, "the stories re-examined"): a conclusion
holds when its lead keeps one sign outside its CI at every cost multiplier, and flips otherwise,
at the break-even multiplier. Checked on constructed leads, not on the script's own runs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ckm_sim.experiments.stats import Estimate
from ckm_sim.whatif.shared.breakeven import BreakEven

FIGURES = Path(__file__).resolve().parents[1] / "docs" / "figures"


def _script():
    sys.path.insert(0, str(FIGURES))
    spec = importlib.util.spec_from_file_location(
        "figure_cost_stories", FIGURES / "cost_stories.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flip(m: float | None) -> BreakEven:
    return BreakEven(
        "t",
        "r",
        None,
        0.0,
        1.0,
        m or 0.0,
        m,
        None if m is None else m - 0.1,
        None if m is None else m + 0.1,
        8,
    )


def test_a_lead_of_one_sign_everywhere_holds() -> None:
    script = _script()
    story = ("t", "r", 120, "a story")
    losing = {f: Estimate(-10.0, -12.0, -8.0, 1.0, 8) for f in script.FACTORS}
    assert script.story_words(story, losing, _flip(None)) == (
        "`t` against `r` (a story) loses at every multiplier"
    )


def test_a_lead_that_changes_sign_flips_and_says_where() -> None:
    script = _script()
    story = ("t", "r", 60, "a story")
    leads = dict(zip(script.FACTORS, (30.0, 10.0, 0.5, -20.0, -40.0), strict=True))
    by_factor = {f: Estimate(x, x - 2.0, x + 2.0, 1.0, 8) for f, x in leads.items()}
    words = script.story_words(story, by_factor, _flip(1.3))
    assert words.startswith("`t` against `r` (a story) flips (ahead at 0.5, ahead at 0.75, ")
    assert "not told apart at 1" in words and "behind at 2)" in words
    assert words.endswith("changes sign at 1.3 times today's costs (95% CI 1.2 to 1.4)")


def test_a_lead_never_told_from_zero_does_not_hold() -> None:
    script = _script()
    flat = {f: Estimate(1.0, -5.0, 7.0, 1.0, 8) for f in script.FACTORS}
    assert " flips (" in script.story_words(("t", "r", 120, "x"), flat, _flip(None))
