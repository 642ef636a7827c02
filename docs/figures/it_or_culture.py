"""Figure ``it_or_culture``: docs/whatif.md's answer to "should we put X more a month into IT
systems or into learning culture?" on the baseline with the economics of issue 22 (costs built
from the firm's staff and customers, competence built over time).

It runs ``ckm-sim compare baseline --add it_systems=X --add learning_culture=X`` through the
command's own functions (the built-up default), with its answers, break-even and payback
sentences; then the same spend as investment plans through ``optimize --plans``' loader (a plans
file with one one-step plan per alternative) and checks that every replication's net value is
the same as ``--add``'s before it says they agree; and, for contrast, the instant purchase
(``--instant``). ``X`` is 1,500 (the issue's question) or, if the baseline's cost curve cannot
take that much on both dimensions, the largest hundred it can.
"""

from __future__ import annotations

import math
import tempfile
import textwrap
from pathlib import Path

import numpy as np

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import load_scenario
from ckm_sim.reports import numbers as num
from ckm_sim.whatif.compare.differences import compare
from ckm_sim.whatif.compare.question import run_comparison, with_alternatives
from ckm_sim.whatif.optimize.plans import load_plans
from ckm_sim.whatif.shared.buildup import plan_table
from ckm_sim.whatif.shared.spend import Increment, answer, max_extra_spend

DOC = "docs/whatif.md"
DIMENSIONS = ("it_systems", "learning_culture")
WANTED = 1_500.0
PLAN = RunPlan(replications=20, base_seed=42, periods=120, workers=2)


def amount(base) -> float:
    """1,500, or the largest hundred both dimensions' cost curves can still take."""
    room = min(max_extra_spend(base, d) for d in DIMENSIONS)
    return WANTED if room >= WANTED else math.floor(room / 100.0) * 100.0


def room_words(base, x: float) -> str:
    """How ``x`` sits on the cost curves: all they can take at the scenario's levels, or less."""
    levels = " and ".join(f"{d} {getattr(base.competence, d):g}" for d in DIMENSIONS)
    room = min(max_extra_spend(base, d) for d in DIMENSIONS)
    cur = base.economics.currency
    if math.isclose(x, room, rel_tol=1e-9):
        return f"{num.money(x, cur)} a month is all that each dimension can take from {levels}"
    return f"each dimension can take up to {num.money(room, cur)} a month more from {levels}"


def plans_file(base, x: float, folder: Path) -> Path:
    """A plans file with the one-step plan of each alternative, as a user would write it."""
    lines = []
    for d in DIMENSIONS:
        (phase,) = plan_table(base, [Increment(d, x)])["phases"]
        lines += [f"[{d}_plan]", f"[[{d}_plan.phases]]"]
        lines += [f"{k} = {v!r}" for k, v in phase.items()]
        lines.append("")
    path = folder / "it_or_culture_plans.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def wrap(text: str, first: str = "", then: str = "") -> list[str]:
    """A sentence wrapped at 100 columns, its first line and the others prefixed."""
    return textwrap.wrap(
        text,
        100,
        initial_indent=first,
        subsequent_indent=then,
        break_on_hyphens=False,
        break_long_words=False,
    )


def quoted(lines: list[str]) -> list[str]:
    """Sentences as a quoted list."""
    return [line for s in lines for line in wrap(s, "> - ", ">   ")]


def block() -> str:
    """The answer built over time, its break-even and payback, the plans' agreement and the
    instant purchase's answer."""
    base = load_scenario("baseline")
    x = amount(base)
    cur = base.economics.currency
    alternatives = [(Increment(d, x),) for d in DIMENSIONS]
    built = run_comparison(
        with_alternatives([base], alternatives), PLAN, alternatives, progress=False
    )
    names = built.runs.names
    with tempfile.TemporaryDirectory() as tmp:
        candidates = load_plans(base, plans_file(base, x, Path(tmp)))
    as_plans = compare([base, *candidates], PLAN, all_pairs=True)
    for name, plan_name in zip(names[1:], as_plans.runs.names[1:], strict=True):
        same = np.array_equal(
            built.runs.values(name, "net_value"), as_plans.runs.values(plan_name, "net_value")
        )
        assert same, f"--add {name} and its one-step plan {plan_name} differ"
    plan_answers = answer(
        as_plans.differences,
        base.name,
        [(n, f"plan {n}") for n in as_plans.runs.names[1:]],
        cur,
    )
    instant = run_comparison(
        with_alternatives([base], alternatives, instant=True),
        PLAN,
        alternatives,
        progress=False,
        instant=True,
    )
    what = f"{num.whole(x)} {cur}"
    lines = wrap(
        f"`ckm-sim compare baseline --add it_systems={x:g} --add learning_culture={x:g} -r "
        f"{PLAN.replications}` (baseline: {base.firm.employees} staff, "
        f"{base.market.customers:,} customers, {PLAN.periods} months, base seed {PLAN.base_seed}, "
        f"horizon convention; {room_words(base, x)}), competence built over time (the "
        "default):"
    )
    lines += ["", *quoted([*built.answers, *built.verdicts()]), ""]
    lines += wrap(built.assumption or "")
    lines += [""]
    lines += wrap(
        "The same spend as investment plans (`optimize --plans` with a one-step plan per "
        f"alternative, `start = 1` and the dimension's spend at its current cost plus {what}, "
        "the default lags and depreciation) gives the same net value on every one of the "
        f"{PLAN.replications} seeds (checked when this block is written), so the same answer:"
    )
    lines += ["", *quoted(plan_answers[-1:]), ""]
    lines += wrap(
        "Bought at once instead (`--instant`, the behaviour before issue 22), the answer would be:"
    )
    lines += ["", *quoted(instant.answers), ""]
    return "\n".join(lines).rstrip()


if __name__ == "__main__":
    print(block())
