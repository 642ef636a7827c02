"""Figure ``march_open_system``: docs/validation.md 5's tables, March's (1991) open system under
both rule sets: code knowledge over time with turbulence and turnover, and knowledge at t = 200
against turnover without turbulence. Runs :func:`ckm_sim.experiments.march.knowledge_path` (the
``march1991`` scenario, one model per replication; ``benchmarks/march_docking.py --open-only``
prints the same tables) with the 80 runs per row the page has always used, the rows spread over
2 worker processes: about 2-3 minutes on 2 cores."""

from __future__ import annotations

import multiprocessing
import textwrap
from concurrent.futures import ProcessPoolExecutor
from itertools import product

import numpy as np

from ckm_sim.experiments import march
from ckm_sim.experiments.evaluator import START_METHOD

DOC = "docs/validation.md"
SEED = 1991
REPLICATIONS = 80
WORKERS = 2
PERIODS, EVERY = 200, 20
P1, P2, P4 = 0.5, 0.5, 0.02
#: Turnover of the turbulent table, and of the table without turbulence.
TURBULENT_P3 = (0.0, 0.02, 0.1)
TURNOVER_P3 = (0.0, 0.02, 0.05, 0.1, 0.2)
TURNOVER_P1 = (0.1, 0.9)
RULE_SETS = ("program", "paper")


def fill(text: str) -> str:
    return textwrap.fill(text, 100, break_on_hyphens=False)


def paths() -> tuple[dict, dict]:
    """(turbulent paths by (rules, p3), knowledge at t = PERIODS by (rules, p1, p3))."""
    turbulent = {
        (rules, p3): (P1, P2, p3, P4, REPLICATIONS, SEED, PERIODS, EVERY, rules)
        for rules, p3 in product(RULE_SETS, TURBULENT_P3)
    }
    turnover = {
        (rules, p1, p3): (p1, P2, p3, 0.0, REPLICATIONS, SEED, PERIODS, PERIODS, rules)
        for rules, p1, p3 in product(RULE_SETS, TURNOVER_P1, TURNOVER_P3)
    }
    context = multiprocessing.get_context(START_METHOD)
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        jobs = {key: pool.submit(march.knowledge_path, *args) for key, args in turbulent.items()}
        more = {key: pool.submit(march.knowledge_path, *args) for key, args in turnover.items()}
        return (
            {key: job.result().mean(axis=0) for key, job in jobs.items()},
            {key: job.result()[:, -1] for key, job in more.items()},
        )


def block() -> str:
    """Both tables and the sentences that read them."""
    turbulent, final = paths()
    times = range(0, PERIODS + 1, EVERY)
    lines = [
        f"Turbulence p4 = {P4}, p1 = p2 = {P1}, mean code knowledge of {REPLICATIONS} runs:",
        "",
        "| rules | p3 | " + " | ".join(("t = 0", *map(str, times[1:]))) + " |",
        "|---|---|" + "---|" * len(times),
    ]
    for (rules, p3), path in turbulent.items():
        lines.append(f"| {rules} | {p3:g} | " + " | ".join(f"{x:.3f}" for x in path) + " |")
    lines += [
        "",
        f"Turnover without turbulence, p2 = {P2}, code knowledge at t = {PERIODS} "
        f"({REPLICATIONS} runs, ± s.e.):",
        "",
        "| rules | p1 | p3 = " + " | ".join(f"{p3:g}" for p3 in TURNOVER_P3) + " |",
        "|---|---|" + "---|" * len(TURNOVER_P3),
    ]
    for rules, p1 in product(RULE_SETS, TURNOVER_P1):
        cells = [final[rules, p1, p3] for p3 in TURNOVER_P3]
        shown = " | ".join(f"{k.mean():.3f} ± {k.std(ddof=1) / np.sqrt(len(k)):.3f}" for k in cells)
        lines.append(f"| {rules} | {p1} | {shown} |")
    lines += ["", fill(reading(turbulent, final))]
    return "\n".join(lines)


def highest(final: dict, rules: str, p1: float) -> str:
    """The turnover(s) at which knowledge at the end is highest (ties as shown: to 3 decimals)."""
    means = {p3: round(float(final[rules, p1, p3].mean()), 3) for p3 in TURNOVER_P3}
    top = [f"{p3:g}" for p3, m in means.items() if m == max(means.values())]
    return f"at p3 = {' and '.join(top)} with p1 = {p1}"


def reading(turbulent: dict, final: dict) -> str:
    """What the tables show, rule set by rule set: in turbulence the closed organisation's peak
    and end against the open ones' end; without it, the turnover at which knowledge peaks."""
    parts = []
    for rules in RULE_SETS:
        closed = turbulent[rules, 0.0]
        ends = [f"{turbulent[rules, p3][-1]:.3f} with p3 = {p3:g}" for p3 in TURBULENT_P3]
        ends[0] += f" (after a peak of {closed.max():.3f})"
        parts.append(
            f"Under the {rules} rules, in turbulence knowledge at t = {PERIODS} is "
            f"{', '.join(ends[:-1])} and {ends[-1]}; without turbulence it is highest "
            f"{' and '.join(highest(final, rules, p1) for p1 in TURNOVER_P1)}."
        )
    return " ".join(parts)
