"""Figure ``cost_stories``: docs/whatif.md's "Which conclusions survive the cost level". The
shipped single-firm scenarios' net value leads over ``baseline`` (120 months), and the classroom
lesson's experiment 1 (``customer_centric`` against ``it_only``, at the lesson's 60 months),
when every dimension's cost is multiplied by 0.5, 0.75, 1, 1.5 and 2
(:func:`ckm_sim.model.costs.scaled`, a one-factor sweep; 8 paired replications, base seed 2026,
horizon convention, 95% t intervals).

A conclusion *holds* when its lead has the same sign, outside its CI, at every multiplier; it
*flips* when the sign changes, and where is the break-even multiplier of
:mod:`ckm_sim.whatif.shared.breakeven` (with its CI) from the runs at today's costs. Costs do not
feed back on what customers do, so each seed's lead is linear in the multiplier; the script
checks that on every run (and that retention does not move) before it writes a word.
"""

from __future__ import annotations

import textwrap

import numpy as np

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import Estimate, paired_difference
from ckm_sim.model import costs
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.shared.breakeven import break_even, competence_cost, times
from ckm_sim.whatif.shared.paired import PairedRuns, run_paired

DOC = "docs/whatif.md"
FACTORS = (0.5, 0.75, 1.0, 1.5, 2.0)
REPLICATIONS, SEED = 8, 2026
#: (treatment, reference, periods, what it is).
STORIES: tuple[tuple[str, str, int, str], ...] = (
    ("customer_centric", "baseline", 120, "more competence everywhere"),
    ("co_creation", "baseline", 120, "co-creation with customers"),
    ("it_only", "baseline", 120, "the failing CRM project"),
    ("siloed_firm", "baseline", 120, "the siloed firm"),
    ("customer_centric", "it_only", 60, "the lesson's experiment 1"),
)


def runs_at(factor: float, periods: int) -> PairedRuns:
    """Every scenario of the stories of ``periods`` months, costs scaled by ``factor``."""
    names = list(dict.fromkeys(n for t, r, p, _ in STORIES if p == periods for n in (r, t)))
    scenarios = [load_scenario(n) for n in names]
    scenarios = [s.with_overrides(**costs.scaled(s, factor)) for s in scenarios]
    plan = RunPlan(REPLICATIONS, base_seed=SEED, periods=periods, workers=2)
    return run_paired(scenarios, plan, timeseries=False)


def lead(runs: PairedRuns, treatment: str, reference: str, metric: str = "net_value") -> np.ndarray:
    """Per seed, the treatment's ``metric`` minus the reference's."""
    return runs.values(treatment, metric) - runs.values(reference, metric)


def k(x: float) -> str:
    """``+48.0k``, ``−34.4k``: thousands, a sign always, a true minus."""
    return f"{x / 1000:+.1f}k".replace("-", "\u2212")


def cell(e: Estimate) -> str:
    """``+48.0k (37.0k to 58.9k)``."""
    return f"{k(e.mean)} ({k(e.low).lstrip('+')} to {k(e.high).lstrip('+')})"


def sign(e: Estimate) -> int:
    """+1 / -1 when the CI excludes 0 on that side, 0 when it cannot be told from 0."""
    return 1 if e.low > 0 else -1 if e.high < 0 else 0


def story_words(story: tuple[str, str, int, str], by_factor: dict[float, Estimate], flip) -> str:
    """Whether the story's conclusion holds over the range, or where it flips."""
    treatment, reference, _, what = story
    signs = [sign(by_factor[f]) for f in FACTORS]
    who = f"`{treatment}` against `{reference}` ({what})"
    if len(set(signs)) == 1 and signs[0] != 0:
        verb = "gains" if signs[0] > 0 else "loses"
        return f"{who} {verb} at every multiplier"
    where = ""
    if flip.multiplier is not None and flip.low is not None and flip.high is not None:
        where = (
            f": its lead changes sign at {times(flip.multiplier)} times today's costs (95% CI "
            f"{times(flip.low)} to {times(flip.high)})"
        )
    shown = ", ".join(
        f"{'ahead' if s > 0 else 'behind' if s < 0 else 'not told apart'} at {f:g}"
        for f, s in zip(FACTORS, signs, strict=True)
    )
    return f"{who} flips ({shown}){where}"


def block() -> str:
    """The table of leads per multiplier and the sentence of what holds and what flips."""
    periods = sorted({p for *_, p, _ in STORIES})
    runs = {(f, p): runs_at(f, p) for f in FACTORS for p in periods}
    rows, holds, flips = [], [], []
    for story in STORIES:
        treatment, reference, p, what = story
        today = runs[(1.0, p)]
        base_lead = lead(today, treatment, reference)
        extra = competence_cost(today, treatment) - competence_cost(today, reference)
        by_factor = {}
        for f in FACTORS:
            r = runs[(f, p)]
            assert np.allclose(lead(r, treatment, reference), base_lead - (f - 1) * extra), story
            assert np.array_equal(
                lead(r, treatment, reference, "mean_retention_rate"),
                lead(today, treatment, reference, "mean_retention_rate"),
            ), story
            by_factor[f] = paired_difference(
                r.values(treatment, "net_value"), r.values(reference, "net_value")
            )
        flip = break_even(
            treatment,
            reference,
            (today.values(treatment, "net_value"), today.values(reference, "net_value")),
            (competence_cost(today, treatment), competence_cost(today, reference)),
        )
        rows.append(
            f"| `{treatment}` − `{reference}` ({what}, {p} months) | "
            + " | ".join(cell(by_factor[f]) for f in FACTORS)
            + " |"
        )
        words = story_words(story, by_factor, flip)
        (holds if " flips (" not in words else flips).append(words)
    head = " | ".join(f"× {f:g}" for f in FACTORS)
    lines = [
        f"Net value leads at every dimension's cost times 0.5 to 2 ({REPLICATIONS} paired "
        f"replications, base seed {SEED}, horizon convention, 95% t intervals; × 1: the "
        "default costs of docs/ODD.md 7.5):",
        "",
        f"| comparison | {head} |",
        "|---|" + "---|" * len(FACTORS),
        *rows,
        "",
    ]
    text = (
        f"Over costs from {FACTORS[0]:g} to {FACTORS[-1]:g} times the defaults, "
        + (
            "these conclusions hold: " + "; ".join(holds) + ". "
            if holds
            else "no conclusion holds. "
        )
        + ("These flip: " + "; ".join(flips) + ". " if flips else "None flips. ")
        + "What each firm's competence does for its customers (retention, checked per seed) does "
        "not move with the cost level at all: only whether it pays does."
    )
    lines += textwrap.wrap(text, 100, break_on_hyphens=False, break_long_words=False)
    lines[0:1] = textwrap.wrap(lines[0], 100, break_on_hyphens=False)
    return "\n".join(lines)


if __name__ == "__main__":
    print(block())
