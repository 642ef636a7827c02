"""Figure ``rival_churn``: docs/ODD.md 7.6's measurements of rivals and switching costs in
``duopoly`` (issue 21, defects 1 and 2; the design of ``tests/test_rival_churn.py`` with more
seeds): what the laggard's competence 0.3 -> 0.9 and ``switching_cost`` 0 -> 1 do to the
leader's monthly churn and to each firm's customers at the horizon, paired seeds, 95% t
intervals. The sentence under the table is checked here: the script stops if a direction the
ODD's prose relies on no longer holds."""

from __future__ import annotations

import textwrap

import numpy as np
from blocks import show  # docs/figures/blocks.py: on the path when make.py runs a figure

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import Estimate, mean_ci, paired_difference
from ckm_sim.model.scenario import DIMENSIONS, load_scenario
from ckm_sim.whatif.shared.paired import PairedRuns, run_paired

DOC = "docs/ODD.md"
SIZE = {"customers": 600, "prospects": 300}
PLAN = RunPlan(replications=12, base_seed=2107, periods=60, workers=2)
#: (label, low arm, high arm): each row's two arms, as flat overrides of ``duopoly``.
CHANGES = (
    (
        "laggard's five dimensions 0.3 → 0.9",
        {f"firms.laggard.{d}": 0.3 for d in DIMENSIONS},
        {f"firms.laggard.{d}": 0.9 for d in DIMENSIONS},
    ),
    ("`switching_cost` 0 → 1", {"switching_cost": 0.0}, {"switching_cost": 1.0}),
)


def measure() -> PairedRuns:
    """The four arms on the same seeds."""
    base = load_scenario("duopoly").with_overrides(**SIZE)
    arms = []
    for i, (_, low, high) in enumerate(CHANGES):
        arms += [
            base.with_overrides(name=f"low{i}", **low),
            base.with_overrides(name=f"high{i}", **high),
        ]
    return run_paired(arms, PLAN, timeseries=False)


def churn(runs: PairedRuns, arm: str) -> np.ndarray:
    """The leader's mean monthly churn, per seed."""
    return 1.0 - runs.values(arm, "leader.mean_retention_rate")


def customers(runs: PairedRuns, arm: str, firm: str) -> np.ndarray:
    """A firm's (or, ``"market"``, both firms') active customers at the horizon, per seed."""
    if firm == "market":
        return customers(runs, arm, "leader") + customers(runs, arm, "laggard")
    return runs.values(arm, f"{firm}.final_active_customers")


def block() -> str:
    """The table and the checked sentence."""
    runs = measure()
    lines = [
        textwrap.fill(
            f"`duopoly` at {SIZE['customers']} customers and {SIZE['prospects']} prospects, "
            f"{PLAN.periods} months, {PLAN.replications} paired seeds (base seed "
            f"{PLAN.base_seed}), 95% t intervals; churn is the leader's mean monthly churn, its "
            "ratio the per-seed ratio after / before:",
            100,
            break_on_hyphens=False,
        ),
        "",
        "| change | leader's churn before → after | ratio | leader's customers at the horizon "
        "| laggard's | both firms' |",
        "|---|---|---|---|---|---|",
    ]
    effects: dict[int, dict[str, Estimate]] = {}
    for i, (label, _, _) in enumerate(CHANGES):
        low, high = f"low{i}", f"high{i}"
        ratio = mean_ci(churn(runs, high) / churn(runs, low))
        effects[i] = {"ratio": ratio}
        cells = []
        for firm in ("leader", "laggard", "market"):
            e = paired_difference(customers(runs, high, firm), customers(runs, low, firm))
            effects[i][firm] = e
            cells.append(show(e, 1))
        lines.append(
            f"| {label} | {churn(runs, low).mean():.4f} → {churn(runs, high).mean():.4f} "
            f"| ×{ratio.mean:.2f} ({ratio.low:.2f} to {ratio.high:.2f}) | {' | '.join(cells)} |"
        )
    lines += ["", checked_sentence(effects)]
    return "\n".join(lines)


def checked_sentence(effects: dict[int, dict[str, Estimate]]) -> str:
    """What the ODD's prose relies on, asserted before it is written."""
    rival, switching = effects[0], effects[1]
    # a better rival makes the leader's customers leave (issue 21's bound: +10% of itself)
    assert rival["ratio"].low > 1.1, rival["ratio"]
    # switching costs keep customers: the leader's churn falls, it and the market keep more
    assert switching["ratio"].high < 0.9, switching["ratio"]
    assert switching["leader"].low > 0 and switching["market"].low > 0, switching
    # ... and favour the larger base: the leader gains more than the laggard
    assert switching["leader"].mean > switching["laggard"].mean, switching
    laggard = (
        "about as many"
        if not switching["laggard"].excludes_zero
        else ("more" if switching["laggard"].mean > 0 else "fewer")
    )
    return textwrap.fill(
        "A better rival raises the leader's churn (the interval of the ratio lies above 1.1); "
        "switching costs lower it (below 0.9), the leader and the market end with more "
        f"customers, and the laggard with {laggard} (its interval "
        f"{'includes' if laggard == 'about as many' else 'excludes'} 0); the leader gains more "
        "than the laggard.",
        100,
        break_on_hyphens=False,
    )
