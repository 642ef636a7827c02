"""What ``robust`` is asked, from the command line or from Python (:mod:`ckm_sim.api`): the
alternatives (scenarios, or one scenario and compare-style spend alternatives ``--add
DIM=AMOUNT``), the study's default name, and the whole study: worlds, checks, runs, answer and
report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ckm_sim.errors import CKMError
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import Scenario
from ckm_sim.whatif.compare.question import comparison_name, spend_alternatives, with_alternatives
from ckm_sim.whatif.robust.assumptions import Assumptions
from ckm_sim.whatif.robust.report import Robustness, analyse, write_report
from ckm_sim.whatif.robust.runs import Alternative, run_study
from ckm_sim.whatif.robust.worlds import InWorld, check_alternatives, sample_worlds
from ckm_sim.whatif.shared.memory_check import check_runs_memory
from ckm_sim.whatif.shared.paired import unique_names
from ckm_sim.whatif.shared.terms import currency_of, period_word


def alternatives_of(
    scenarios: Sequence[Scenario], add: Sequence[str] = (), instant: bool = False
) -> list[Alternative]:
    """The alternatives: the scenarios as given, or the one scenario and each ``--add`` spend
    on it (rebuilt in every world on that world's costs, :class:`InWorld`); one-line errors."""
    if not add and len(scenarios) < 2:
        raise CKMError("robust needs at least two alternatives: two scenarios, or one and --add")
    increments = spend_alternatives(scenarios, add, instant=instant)
    names = unique_names(with_alternatives(scenarios, increments, instant=instant))
    if not increments:
        return [Alternative(n, sc, InWorld()) for n, sc in zip(names, scenarios, strict=True)]
    base = scenarios[0]
    return [
        Alternative(names[0], base, InWorld()),
        *(
            Alternative(name, base, InWorld(tuple(inc), instant))
            for name, inc in zip(names[1:], increments, strict=True)
        ),
    ]


def study_name(alternatives: Sequence[Alternative]) -> str:
    """The default name: the alternatives' names joined by ``_vs_`` (a plain name)."""
    return comparison_name([a.base.with_overrides(name=a.name) for a in alternatives])


def robustness(
    alternatives: Sequence[Alternative],
    assumptions: Assumptions,
    worlds: int,
    plan: RunPlan,
    out: Path,
    name: str,
    progress: bool = False,
    max_memory: int | None = None,
    world_seed: int | None = None,
) -> tuple[Robustness, Path]:
    """Run the study into ``out`` (or continue it) and write its report; returns the answer and
    the report's path. ``plan`` resolved (base seed and periods set); ``world_seed`` None: the
    uncertainty file's seed. Ctrl-C saves the finished runs and raises KeyboardInterrupt."""
    assert plan.periods is not None
    bases = [a.base for a in alternatives]
    for base in bases:
        assumptions.check_against(base)
    table = sample_worlds(assumptions, worlds, world_seed)
    made = check_alternatives(
        bases, [a.make for a in alternatives], table, [a.name for a in alternatives]
    )
    check_runs_memory(made, plan.workers, plan.scheduler, max_memory)
    runs = run_study(out, alternatives, assumptions, table, plan, progress=progress)
    if runs.interrupted:
        raise KeyboardInterrupt(f"the finished runs are saved in {out}; run again to continue")
    result = analyse(runs, assumptions, currency_of(bases), period_word(bases[0]))
    return result, write_report(result, out, name)
