"""The workflow from Python (a notebook): :func:`sweep`, :func:`compare`, :func:`optimize`,
:func:`calibrate` and :func:`robust`, with the command line's options as typed keyword arguments.

Each runs what its ``ckm-sim`` command runs (the same library functions, checks and defaults),
writes the same report under ``out`` and returns its results as pandas DataFrames beside the
result object the report is written from (docs/api.md). ``workers=None`` is every CPU, as on
the command line; results do not depend on it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS, LEVEL_TOLERANCE, REFINE_ROUNDS

if TYPE_CHECKING:
    import pandas as pd

    from ckm_sim.experiments.analysis import Analysis
    from ckm_sim.experiments.evaluator import RunPlan
    from ckm_sim.experiments.runner import SweepResult
    from ckm_sim.experiments.spec import Experiment
    from ckm_sim.model.scenario import Scenario
    from ckm_sim.whatif.calibrate.fit import Calibration
    from ckm_sim.whatif.compare.differences import Comparison
    from ckm_sim.whatif.optimize.budget import Optimum
    from ckm_sim.whatif.robust.report import Robustness


@dataclass
class Outcome[R]:
    """What a what-if command found: the result its report is written from, its main table,
    the findings the command prints, and the report it wrote."""

    result: R
    table: pd.DataFrame
    lines: list[str]
    report: Path


@dataclass
class SweepOutcome:
    """What a sweep did (:class:`~ckm_sim.experiments.runner.SweepResult`: folder, counts,
    errors), every run (one row each: seed, factors, outcomes, status), and with
    ``report=True`` the analysis the report shows and the report's path."""

    result: SweepResult
    runs: pd.DataFrame
    analysis: Analysis | None
    report: Path | None


def sweep(
    experiment: Experiment | str | Path,
    *,
    out: str | Path = "results",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    report: bool = True,
    overrides: Mapping[str, Any] | None = None,
    progress: bool = False,
    max_memory: int | None = None,
) -> SweepOutcome:
    """``ckm-sim sweep``: every design point x replication into ``<out>/<experiment>/``, then
    (``report``) the analysis and ``report.md``. ``overrides`` are ``--set`` values (added to
    the experiment's ``[fixed]``). Ctrl-C saves the finished runs and raises KeyboardInterrupt
    (continue with ``resume=True``)."""
    from ckm_sim.commands.settings import experiment_with
    from ckm_sim.errors import output_error, require
    from ckm_sim.experiments.analysis import analyse
    from ckm_sim.experiments.lock import folder_lock
    from ckm_sim.experiments.report import write_report
    from ckm_sim.experiments.runner import checked_inputs, run_sweep
    from ckm_sim.experiments.spec import Experiment, load_experiment
    from ckm_sim.experiments.store import ResultsStore
    from ckm_sim.io import inside

    if scheduler is not None:
        require("distributed", "scheduler=")
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    exp = experiment_with(exp, dict(overrides or {}))
    root = inside(out, exp.name)
    n = _workers(workers)
    inputs = checked_inputs(exp, 0 if scheduler is not None else n, max_memory)
    try:
        with folder_lock(root, "sweep"):  # the sweep and its report: one process at a time
            result = run_sweep(
                exp,
                out=out,
                workers=n,
                scheduler=scheduler,
                resume=resume,
                progress=progress,
                max_memory=max_memory,
                inputs=inputs,
            )
            if result.interrupted:
                raise KeyboardInterrupt(f"{result.done} of {result.total} runs saved in {root}")
            analysis = analyse(result.root) if report else None
            path = write_report(analysis) if analysis is not None else None
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {root}") from None
    return SweepOutcome(result, ResultsStore(result.root).read_runs(), analysis, path)


def compare(
    scenarios: Sequence[Scenario | str | Path],
    *,
    add: Sequence[str] = (),
    instant: bool = False,
    replications: int = 10,
    periods: int | None = None,
    seed: int | None = None,
    all_pairs: bool = False,
    overrides: Mapping[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path = "results",
    name: str | None = None,
    progress: bool = False,
    max_memory: int | None = None,
) -> Outcome[Comparison]:
    """``ckm-sim compare``: the scenarios on common seeds, the first the reference (or, with
    ``add=["it_systems=1500", ...]``, one scenario and its spend alternatives, built over time
    as the equivalent investment plan, or bought at once with ``instant=True``). ``table``: the
    paired differences with their 95% CIs; ``lines``: the answers or sentences the command
    prints; ``result.runs.summaries``: one row per scenario and replication."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.compare.differences import write_report
    from ckm_sim.whatif.compare.question import (
        comparison_name,
        run_comparison,
        spend_alternatives,
        with_alternatives,
    )
    from ckm_sim.whatif.shared.memory_check import check_runs_memory
    from ckm_sim.whatif.shared.seed_noise import compare_argv, note

    given = [_scenario(s).with_overrides(**dict(overrides or {})) for s in scenarios]
    alternatives = spend_alternatives(given, add, instant=instant)
    chosen = with_alternatives(given, alternatives, instant=instant)
    name = name or comparison_name(chosen)
    folder = inside(out, "compare", name)
    plan = _plan(replications, seed, periods, workers, scheduler, chosen[0])
    kept = len(chosen) * replications
    check_runs_memory(chosen, plan.workers, scheduler, max_memory, kept, plan.periods or 0)
    result = run_comparison(
        chosen, plan, alternatives, all_pairs=all_pairs, progress=progress, instant=instant
    )
    result.robust = note(compare_argv(scenarios, add, instant, overrides, periods, seed))
    report = write_report(result, folder, name)
    return Outcome(result, result.differences, result.answers or result.sentences, report)


def optimize(
    scenario: Scenario | str | Path,
    *,
    budget: float,
    firm: str | None = None,
    method: str = "surface",
    trials: int | None = None,
    restarts: int = 3,
    replications: int | None = None,
    eval_replications: int = 8,
    step: float | None = None,
    level_tolerance: float = LEVEL_TOLERANCE,
    polish: int = 4,
    centroid: bool = True,
    periods: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path = "results",
    name: str | None = None,
    progress: bool = False,
    max_memory: int | None = None,
) -> Outcome[Optimum]:
    """``ckm-sim optimize --budget``: the split of ``budget`` per period across the five
    dimensions with the highest expected net value (of ``firm``'s, the rivals fixed, in a
    multi-firm scenario). ``trials`` and ``replications`` None: the method's defaults.
    ``table``: one row per dimension (best and even spend and level, marginal value with its
    CI); ``lines``: the findings, ending with the verdict."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.optimize.report import allocation_table, robust_note, write_report
    from ckm_sim.whatif.optimize.settings import (
        SEARCH_REPLICATIONS,
        SearchSettings,
        best_split,
        budgets_for,
        check_split_scenario,
        split_name,
    )
    from ckm_sim.whatif.shared.memory_check import check_runs_memory

    settings = SearchSettings(
        method, trials, restarts, eval_replications, step, level_tolerance, polish, centroid
    ).checked()
    base = _scenario(scenario)
    firms = [firm] if firm is not None else []
    check_split_scenario(base, firms)
    budget = budgets_for([(None, budget)], firms or ["firm"])[firm or "firm"]
    name = name or split_name(base, budget, firm)
    folder = inside(out, "optimize", name)
    reps = SEARCH_REPLICATIONS[method] if replications is None else replications
    plan = _plan(reps, seed, periods, workers, scheduler, base)
    check_runs_memory([base], plan.workers, scheduler, max_memory)
    optimum = best_split(base, budget, plan, settings, firm=firm, progress=progress)
    robust = robust_note(optimum, base, scenario, periods, seed)
    report, lines = write_report(optimum, base, folder, plan.periods, robust)
    return Outcome(optimum, allocation_table(optimum, base), lines, report)


def calibrate(
    scenario: Scenario | str | Path,
    retention: str | Path,
    *,
    fit: Sequence[str] = DEFAULT_PARAMETERS,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    trials: int = 30,
    refine: int = REFINE_ROUNDS,
    fit_periods: int | None = None,
    project: int = 0,
    replications: int = 4,
    eval_replications: int = 8,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path = "results",
    name: str | None = None,
    progress: bool = False,
    max_memory: int | None = None,
) -> Outcome[Calibration]:
    """``ckm-sim calibrate``: fit ``fit`` so the simulated survival of the initial customers
    matches ``retention`` (a CSV of period,active). ``table``: the simulated curve (mean and
    95% band) beside the observed one, per period; ``lines``: the findings."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.calibrate.fit import calibrate as fit_curve
    from ckm_sim.whatif.calibrate.report import survival_table, write_report
    from ckm_sim.whatif.calibrate.request import (
        calibration_name,
        check_request,
        fit_parameters,
    )
    from ckm_sim.whatif.calibrate.survival import read_retention
    from ckm_sim.whatif.shared.memory_check import check_runs_memory

    observed = read_retention(retention)
    check_request(observed, project, eval_replications)
    base = _scenario(scenario)
    name = name or calibration_name(base, retention)
    folder = inside(out, "calibrate", name)
    plan = _plan(replications, seed, None, workers, scheduler, base)
    check_runs_memory([base], plan.workers, scheduler, max_memory)
    result = fit_curve(
        base,
        observed,
        plan,
        parameters=fit_parameters(fit),
        bounds=dict(bounds or {}),
        trials=trials,
        refine=refine,
        eval_replications=eval_replications,
        progress=progress,
        fit_periods=fit_periods,
        project=project,
    )
    report, lines = write_report(result, base, str(retention), folder)
    return Outcome(result, survival_table(result), lines, report)


def robust(
    scenarios: Sequence[Scenario | str | Path],
    *,
    assumptions: str | Path | None = None,
    worlds: int = 200,
    world_seed: int | None = None,
    add: Sequence[str] = (),
    instant: bool = False,
    replications: int = 2,
    periods: int | None = None,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path = "results",
    name: str | None = None,
    progress: bool = False,
    max_memory: int | None = None,
) -> Outcome[Robustness]:
    """``ckm-sim robust``: every alternative (the scenarios, or one scenario and its ``add``
    spend alternatives) in ``worlds`` plausible worlds drawn from the uncertainty file
    ``assumptions`` (None: the shipped default), ``replications`` on common seeds each.
    ``table``: one row per alternative (share of worlds best with its 95% CI, expected and
    worst regret, share of worlds beating the first); ``lines``: the findings, with when the
    answer flips; ``result.runs.runs``: one row per world, alternative and replication. A
    stopped study continues when called again with the same arguments."""
    from ckm_sim.io import inside
    from ckm_sim.whatif.robust.assumptions import load_assumptions
    from ckm_sim.whatif.robust.question import alternatives_of, robustness, study_name
    from ckm_sim.whatif.robust.worlds import check_worlds

    uncertain = load_assumptions(assumptions)
    check_worlds(worlds)
    given = [_scenario(s).with_overrides(**dict(overrides or {})) for s in scenarios]
    alternatives = alternatives_of(given, add, instant=instant)
    name = name or study_name(alternatives)
    folder = inside(out, "robust", name)
    plan = _plan(replications, seed, periods, workers, scheduler, given[0])
    result, report = robustness(
        alternatives,
        uncertain,
        worlds,
        plan,
        folder,
        name,
        progress=progress,
        max_memory=max_memory,
        world_seed=world_seed,
    )
    return Outcome(result, result.table, result.lines, report)


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    from ckm_sim.model.scenario import Scenario, load_scenario

    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def _workers(workers: int | None) -> int:
    """``None``: every CPU, the command line's default."""
    return workers if workers is not None else os.cpu_count() or 1


def _plan(
    replications: int,
    seed: int | None,
    periods: int | None,
    workers: int | None,
    scheduler: str | None,
    scenario: Scenario,
) -> RunPlan:
    """The run plan, resolved on ``scenario`` (a scheduler without Dask is refused first)."""
    from ckm_sim.errors import require
    from ckm_sim.experiments.evaluator import RunPlan

    if scheduler is not None:
        require("distributed", "scheduler=")
    plan = RunPlan(replications, seed, periods, _workers(workers), scheduler)
    return plan.resolved(scenario)
