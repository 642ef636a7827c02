"""Figure ``march_figure1``: docs/validation.md 4's tables, March's (1991) Figure 1 docked:
equilibrium code knowledge and score under the program's conventions (with the reconstruction's
published output) and under the paper's rules, the paired reversal test at p1 = 0.9, and which
of the three conventions does what. Runs :func:`ckm_sim.experiments.march.equilibrium` (the
``march1991`` scenario; ``benchmarks/march_docking.py --figure1-only`` prints the same first two
tables) with the replications the page has always used: 80 per design point, 300 for the paired
reversal, 200 for the conventions. About a minute on one core (the closed system's
replications run vectorised as the segments of one model)."""

from __future__ import annotations

import textwrap
from itertools import product

import blocks  # docs/figures/blocks.py: on the path when make.py runs a figure
import numpy as np

from ckm_sim.experiments import march

DOC = "docs/validation.md"
SEED = 1991
REPLICATIONS = 80
#: Replications of the paired reversal test at p1 = 0.9 (as tests/test_march.py).
PAIRED = 300
#: Replications of the table of conventions.
CONVENTIONS = 200
OPTIONS = {
    "appraisal": ("knowledge", "performance"),
    "socialisation": ("direct", "gradual"),
    "code_vote": ("dissent", "margin"),
}


def fill(text: str) -> str:
    return textwrap.fill(text, 100, break_on_hyphens=False)


def signed(x: float, digits: int = 3) -> str:
    return f"{x:+.{digits}f}".replace("-", "\u2212")


def cell(mean: float, se: float, bold: bool = False) -> str:
    text = f"{mean:.3f} ± {se:.3f}"
    return f"**{text}**" if bold else text


def grid(rule_set: str, bench) -> dict[tuple[float, float], march.Equilibrium]:
    """Equilibria of every design point of Figure 1 under ``rule_set``."""
    out = {}
    for p1, p2 in product(bench.P1, bench.P2):
        eq = march.equilibrium(p1, p2, REPLICATIONS, SEED, rule_set=rule_set)
        if not eq.reached.all():
            raise SystemExit(f"{rule_set} p1={p1} p2={p2}: a replication hit the cap")
        out[p1, p2] = eq
    return out


def table(eqs: dict, bench, reconstruction: bool) -> list[str]:
    """Figure 1's table, the best point in bold."""
    best = max(eqs, key=lambda k: eqs[k].mean)
    p2s = " | ".join(f"p2 = {p2}" for p2 in bench.P2[1:])
    head = f"| p1 | knowledge p2 = {bench.P2[0]} | {p2s} | score p2 = {bench.P2[0]} | {p2s} |"
    rule = "|---" * (1 + 2 * len(bench.P2))
    if reconstruction:
        head += f" reconstruction p2 = {bench.P2[0]} | " + " | ".join(
            f"{p2}" for p2 in bench.P2[1:]
        )
        head += " |"
        rule += "|---" * len(bench.P2)
    lines = [head, rule + "|"]
    for i, p1 in enumerate(bench.P1):
        row = [cell(eqs[p1, p2].mean, eqs[p1, p2].se, (p1, p2) == best) for p2 in bench.P2]
        row += [
            cell(eqs[p1, p2].score_mean, eqs[p1, p2].score_se, (p1, p2) == best) for p2 in bench.P2
        ]
        if reconstruction:
            row += [f"{x:.3f}" for x in bench.RECONSTRUCTION[i]]
        lines.append(f"| {p1} | " + " | ".join(row) + " |")
    return lines


def agreement(eqs: dict, bench) -> str:
    """How close the program's scores are to the reconstruction's, and where the curves cross."""
    gaps = {}
    for (i, p1), (j, p2) in product(enumerate(bench.P1), enumerate(bench.P2)):
        eq = eqs[p1, p2]
        gap = eq.score_mean - bench.RECONSTRUCTION[i][j]
        gaps[p1, p2] = (abs(gap), abs(gap) / eq.score_se)
    worst_se = max(z for _, z in gaps.values())
    within_one = sum(z <= 1 for _, z in gaps.values())
    (p1, p2), (gap, z) = max(gaps.items(), key=lambda kv: kv[1][0])
    slow, fast = bench.P2[0], bench.P2[1:]
    lead = [p for p in bench.P1 if all(eqs[p, slow].mean > eqs[p, q].mean for q in fast)]
    scores = [eqs[p, slow].score_mean for p in bench.P1]
    if lead and lead == [p for p in bench.P1 if p >= lead[0]]:
        reversal = (
            f"from p1 = {lead[0]} on, slow code learning (p2 = {slow}) ends with the most "
            "knowledge: the reversal"
        )
    elif lead:
        reversal = (
            f"slow code learning (p2 = {slow}) ends with the most knowledge at p1 = "
            f"{', '.join(map(str, lead))}"
        )
    else:
        reversal = f"slow code learning (p2 = {slow}) never ends with the most knowledge"
    return (
        f"All {len(gaps)} cells lie within {worst_se:.2f} standard errors of the "
        f"reconstruction's output ({within_one} within one; the largest gap, {gap:.3f}, is "
        f"{z:.1f} s.e. at p1 = {p1}, p2 = {p2}). On the score scale the p2 = {slow} curve stays "
        f"between {min(scores):.3f} and {max(scores):.3f} while the p2 = "
        f"{' and '.join(map(str, fast))} curves fall from "
        f"{' and '.join(f'{eqs[bench.P1[0], q].score_mean:.3f}' for q in fast)} to "
        f"{' and '.join(f'{eqs[bench.P1[-1], q].score_mean:.3f}' for q in fast)}; {reversal}."
    )


def paired(rule_set: str, p1: float = 0.9) -> str:
    """The paired difference p2 = 0.1 - 0.9 in knowledge at ``p1`` with :data:`PAIRED`
    replications (the same seed: the same realities and initial beliefs)."""
    slow = march.equilibrium(p1, 0.1, PAIRED, SEED, rule_set=rule_set)
    fast = march.equilibrium(p1, 0.9, PAIRED, SEED, rule_set=rule_set)
    d = slow.knowledge - fast.knowledge
    se = d.std(ddof=1) / np.sqrt(len(d))
    return (
        f"With {PAIRED} replications (as the tests) the paired difference p2 = 0.1 − 0.9 at "
        f"p1 = {p1} is {signed(d.mean())} ± {se:.3f} in knowledge "
        f"({abs(d.mean()) / se:.0f} standard errors)."
    )


def conventions() -> list[str]:
    """Every combination of the three options at the corners p1 = 0.1, 0.9 x p2 = 0.1, 0.9."""
    lines = [
        fill(
            f"**Which convention does what.** Equilibrium knowledge (share), {CONVENTIONS} "
            f"replications, seed {SEED}, each combination of the three options; d = paired "
            "difference p2 = 0.9 − 0.1 ± s.e.:"
        ),
        "",
        "| appraisal | socialisation | code_vote | p1 = 0.1: p2 = 0.1 / 0.9, d "
        "| p1 = 0.9: p2 = 0.1 / 0.9, d |",
        "|---|---|---|---|---|",
    ]
    means: dict[tuple[str, ...], dict[float, tuple[float, float]]] = {}
    d_at: dict[tuple[str, ...], tuple[float, float]] = {}
    for combo in product(*OPTIONS.values()):
        options = dict(zip(OPTIONS, combo, strict=True))
        cells, means[combo] = [], {}
        for p1 in (0.1, 0.9):
            slow, fast = (
                march.equilibrium(p1, p2, CONVENTIONS, SEED, **options) for p2 in (0.1, 0.9)
            )
            d = fast.knowledge - slow.knowledge
            se = d.std(ddof=1) / np.sqrt(len(d))
            means[combo][p1] = (slow.mean, fast.mean)
            d_at[combo + (str(p1),)] = (float(d.mean()), float(se))
            cells.append(f"{slow.mean:.3f} / {fast.mean:.3f}, {signed(d.mean())} ± {se:.3f}")
        name = list(combo)
        if combo == tuple(march.RULES["paper"].values()):
            name[-1] += " (paper)"
        if combo == tuple(march.RULES["program"].values()):
            name[-1] += " (program)"
        lines.append(f"| {' | '.join(name)} | {' | '.join(cells)} |")
    lift = [
        means["performance", *rest][p1][k] - means["knowledge", *rest][p1][k]
        for rest in product(*list(OPTIONS.values())[1:])
        for p1 in (0.1, 0.9)
        for k in (0, 1)
    ]
    reversed_ = [
        " / ".join(combo[:3])
        for combo, (d, se) in d_at.items()
        if combo[3] == "0.9" and d < -2 * se
    ]
    lines += [
        "",
        fill(
            "Performance appraisal in place of knowledge appraisal, the other two options "
            f"the same, changes knowledge by {signed(min(lift), 2)} to {signed(max(lift), 2)} "
            "over the eight cells. Fast code learning ends with less knowledge than slow at "
            f"p1 = 0.9 (d below −2 s.e.) with {'; '.join(reversed_) or 'no combination'}."
        ),
    ]
    return lines


def block() -> str:
    """Program and paper tables, the agreement and reversal sentences, the conventions."""
    bench = blocks.benchmark("march_docking")
    program, paper = grid("program", bench), grid("paper", bench)
    slowest = max(int(eq.periods.max()) for eqs in (program, paper) for eq in eqs.values())
    lines = [
        fill(
            f"{REPLICATIONS} replications, seed {SEED}, mean ± standard error "
            "(`benchmarks/march_docking.py --figure1-only`); every replication reached "
            f"equilibrium, the slowest after {slowest} periods."
        ),
        "",
        "**Program conventions** (`march1991.toml`), with the reconstruction's published output",
        "(Workiewicz 2019, `Output/March_1991_p1_0.1-0.9_p2_0.1-0.9_p3_0_p4_0_t_limit_100_"
        "i_10000.csv`,",
        "10,000 runs per point, score scale):",
        "",
        *table(program, bench, reconstruction=True),
        "",
        fill(f"{agreement(program, bench)} {paired('program')}"),
        "",
        '**Paper rules** (the model\'s defaults; `rule_set="paper"`):',
        "",
        *table(paper, bench, reconstruction=False),
        "",
        fill(paired("paper")),
        "",
        *conventions(),
    ]
    return "\n".join(lines)
