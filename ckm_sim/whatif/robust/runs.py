"""The runs of a robustness study: every alternative in every world on the same seeds.

Each alternative is one sweep (:func:`ckm_sim.experiments.runner.run_sweep`, into
``<study>/alternatives/<i>/``): its design points are the worlds, its replications the study's,
and replication ``r`` of every world runs on ``replication_seed(base_seed, r)`` in every
alternative (common random numbers), so a difference between two alternatives in one world is
paired. The sweeps bring their progress bar, process pool or Dask, streaming to disk, lock and
resume: a study stopped by Ctrl-C or ``kill -9`` (or whose runs parts were removed) continues
with the same command and runs only what is missing. Each run's scenario is made in its worker
by the alternative's :class:`~ckm_sim.whatif.robust.worlds.InWorld`.

``study.json`` records what the study is (alternatives, worlds' file and seed, replications,
periods); a folder holding another study is refused. :func:`results_table` gathers every run
into one table, one row per world x alternative x replication.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ckm_sim.errors import CKMError
from ckm_sim.experiments.designs import DesignTable
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.lock import folder_lock
from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import Design, Experiment, Outcomes
from ckm_sim.experiments.store import ResultsStore
from ckm_sim.io import write_json, write_text
from ckm_sim.model.scenario import Scenario
from ckm_sim.whatif.robust.assumptions import Assumptions
from ckm_sim.whatif.robust.worlds import WORLD, InWorld

STUDY = "study.json"
WORLDS = "worlds.csv"
ALTERNATIVES = "alternatives"
#: Outcomes kept per run in the results table (every summary outcome is in the store).
KEPT = ("net_value", "customer_equity", "investment_cost", "mean_retention_rate", "clv")


@dataclass(frozen=True)
class Alternative:
    """One alternative: its name, the scenario it starts from, how it runs in a world."""

    name: str
    base: Scenario
    make: InWorld


@dataclass
class StudyRuns:
    """What ran: the alternatives, the worlds, the plan, and every run (``runs``: one row per
    world x alternative x replication, the worlds' parameters and :data:`KEPT` outcomes)."""

    root: Path
    alternatives: list[str]
    worlds: pd.DataFrame
    runs: pd.DataFrame
    replications: int
    periods: int
    base_seed: int
    failed: int
    interrupted: bool = False


def study_key(
    alternatives: Sequence[Alternative],
    assumptions: Assumptions,
    worlds: pd.DataFrame,
    plan: RunPlan,
) -> str:
    """Hash of what decides the study's runs (a resumed study must match it)."""
    digest = hashlib.sha256()
    for alt in alternatives:
        digest.update(alt.name.encode())
        digest.update(json.dumps(alt.base.model_dump(mode="json"), sort_keys=True).encode())
        digest.update(repr(alt.make).encode())
    digest.update(json.dumps(assumptions.model_dump(mode="json"), sort_keys=True).encode())
    digest.update(pd.util.hash_pandas_object(worlds, index=False).values.tobytes())
    digest.update(f"{plan.replications}/{plan.seed}/{plan.periods}".encode())
    return digest.hexdigest()


def _prepare(
    root: Path,
    alternatives: Sequence[Alternative],
    assumptions: Assumptions,
    worlds: pd.DataFrame,
    plan: RunPlan,
) -> None:
    """Write (or check) ``study.json`` and ``worlds.csv``; refuse a folder of another study."""
    key = study_key(alternatives, assumptions, worlds, plan)
    path = root / STUDY
    if path.exists():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CKMError(f"{path}: unreadable ({exc})") from None
        if stored.get("key") != key:
            raise CKMError(
                f"{root} holds a robustness study of other alternatives, assumptions, worlds, "
                "replications or periods; use --name or --out for a new folder, or remove it"
            )
        return
    if root.exists() and any(p.name != ".lock" for p in root.iterdir()):
        raise CKMError(f"{root} exists and is not a robustness study's folder; use --name or --out")
    write_text(root / WORLDS, worlds.to_csv(index=False))
    write_json(
        path,
        {
            "key": key,
            "alternatives": [a.name for a in alternatives],
            "assumptions_file": assumptions.source,
            "assumptions_toml": assumptions.text,
            "assumptions": assumptions.model_dump(mode="json"),
            "worlds": len(worlds),
            "world_seed": int(worlds.attrs.get("seed", assumptions.seed)),
            "replications": plan.replications,
            "base_seed": plan.seed,
            "periods": plan.periods,
            "seeds": "replication r of every world and alternative: "
            "replication_seed(base_seed, r) from ckm_sim.model.runs",
        },
    )


def _experiment(index: int, plan: RunPlan, base: Scenario) -> Experiment:
    """The sweep of alternative ``index``: the worlds as csv design points, the plan's seeds."""
    return Experiment(
        name=f"{index}",
        description=f"robustness study: {base.name} in every world",
        scenario=base.name,
        periods=plan.periods,
        replications=plan.replications,
        base_seed=plan.seed,
        design=Design(method="csv", points=WORLDS),
        outcomes=Outcomes(report=list(KEPT[:1])),
    )


def run_study(
    root: Path,
    alternatives: Sequence[Alternative],
    assumptions: Assumptions,
    worlds: pd.DataFrame,
    plan: RunPlan,
    progress: bool = True,
) -> StudyRuns:
    """Run (or continue) every alternative in every world into ``root``; see the module."""
    assert plan.periods is not None
    names = [c for c in worlds.columns if c != WORLD]
    points = worlds[names].reset_index(drop=True)
    design = DesignTable("csv", names, points.assign(reference=False, sampled=True))
    failed = 0
    with folder_lock(root, "robust"):
        _prepare(root, alternatives, assumptions, worlds, plan)
        for i, alt in enumerate(alternatives):
            base = alt.base.with_overrides(periods=plan.periods)
            result = run_sweep(
                _experiment(i, plan, base),
                out=root / ALTERNATIVES,
                workers=plan.workers,
                scheduler=plan.scheduler,
                dask_local=plan.dask_local,
                resume=True,
                progress=progress,
                inputs=(base, design),
                scenario_of=alt.make,
            )
            failed += result.failed
            if result.interrupted:
                return _gathered(root, alternatives, worlds, plan, failed, interrupted=True)
        return _gathered(root, alternatives, worlds, plan, failed)


def _gathered(
    root: Path,
    alternatives: Sequence[Alternative],
    worlds: pd.DataFrame,
    plan: RunPlan,
    failed: int,
    interrupted: bool = False,
) -> StudyRuns:
    assert plan.periods is not None
    return StudyRuns(
        root,
        [a.name for a in alternatives],
        worlds,
        results_table(root, [a.name for a in alternatives], worlds),
        plan.replications,
        plan.periods,
        plan.seed,
        failed,
        interrupted,
    )


def results_table(root: Path, names: Sequence[str], worlds: pd.DataFrame) -> pd.DataFrame:
    """Every stored run: ``world, alternative, replication, seed``, the world's parameters,
    :data:`KEPT` outcomes and ``status``, sorted by world, alternative and replication."""
    frames = []
    for i, name in enumerate(names):
        store = ResultsStore(root / ALTERNATIVES / f"{i}")
        runs = store.read_runs(["point", "replication", "seed", *KEPT, "status"])
        if runs.empty:
            continue
        runs = runs.drop(columns="run_id").rename(columns={"point": WORLD})
        runs.insert(1, "alternative", name)
        runs["order"] = i
        frames.append(runs)
    columns: list[Any] = [WORLD, "alternative", "replication", "seed"]
    if not frames:
        return pd.DataFrame(columns=[*columns, *KEPT, "status"])
    table = pd.concat(frames, ignore_index=True)
    table = table.merge(worlds, on=WORLD, how="left")
    table = table.sort_values([WORLD, "order", "replication"], kind="stable")
    params = [c for c in worlds.columns if c != WORLD]
    return table[[*columns, *params, *KEPT, "status"]].reset_index(drop=True)
