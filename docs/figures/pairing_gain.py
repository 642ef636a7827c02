"""Figure ``pairing_gain``: how much common random numbers shrink the variance of a paired
difference (issue 26: "paired comparisons keep their variance reduction, measured"), with
``benchmarks/crn_variance.py``'s design: R seeds a side paired, R independent pairs unpaired,
the variance ratio with a 95% F interval. Beside it, the same design measured on commit
5a291ea, the last model whose stages drew from realigned Philox generators (uniforms by
position in a stage's stream, not by customer). About 2-3 minutes on 2 cores."""

from __future__ import annotations

import textwrap

import blocks  # docs/figures/blocks.py: on the path when make.py runs a figure

from ckm_sim.model.scenario import load_scenario

DOC = "docs/performance.md"
REPLICATIONS, BASE_SEED = 30, 2026
#: (label, side B as overrides of ``baseline``, or a scenario name)
COMPARISONS = (
    ("`baseline` vs `it_systems` 0.5 → 0.7", {"it_systems": 0.7}),
    ("`baseline` vs `customer_centric`", "customer_centric"),
)
#: The ratios (and F intervals) measured with this design on commit 5a291ea (helper's run of
#: benchmarks/crn_variance.py on 2026-12-06), by comparison and outcome.
BEFORE = {
    (0, "clv"): "0.030 (0.014-0.063)",
    (0, "mean_retention_rate"): "0.157 (0.075-0.33)",
    (1, "clv"): "0.071 (0.034-0.149)",
    (1, "mean_retention_rate"): "0.566 (0.27-1.19)",
}


def block() -> str:
    """The table: paired / unpaired variance now and on 5a291ea, and the gain."""
    bench = blocks.benchmark("crn_variance")
    a = load_scenario("baseline")
    lines = [
        textwrap.fill(
            f"`baseline`'s size, {a.periods} months, {REPLICATIONS} seeds a side paired and "
            f"{REPLICATIONS} independent pairs (base seed {BASE_SEED}; "
            "`benchmarks/crn_variance.py`); the ratio is the paired difference's variance over the "
            "unpaired one's (1: pairing removes nothing), with a 95% F interval; the gain is its "
            "inverse, how many times fewer seeds a paired comparison needs for the same precision.",
            100,
            break_on_hyphens=False,
        ),
        "",
        "| comparison | outcome | ratio now | gain now | ratio on 5a291ea |",
        "|---|---|---|---|---|",
    ]
    for i, (label, b) in enumerate(COMPARISONS):
        side_b = load_scenario(b) if isinstance(b, str) else a.with_overrides(**b)
        found = bench.differences(a, side_b, REPLICATIONS, BASE_SEED)
        for key, name in bench.OUTCOMES.items():
            v = bench.variance_ratio(found[key])
            lines.append(
                f"| {label} | {name} | {v.ratio:.3f} ({v.f_low:.3f}-{v.f_high:.3f}) "
                f"| {1 / v.ratio:.0f}× | {BEFORE[(i, key)]} |"
            )
    return "\n".join(lines)
