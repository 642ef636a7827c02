"""``ckm-sim calibrate``: fit chosen parameters so the simulated cohort survival curve matches
an observed one.

The loss is the root mean squared error (RMSE) between the observed survival shares and the mean
simulated curve at the observed periods. Every trial is simulated on the same replication seeds
(common random numbers), so trials differ by their parameters, not by their luck; Optuna's TPE
sampler (seeded, a fixed batch of trials at a time: results do not depend on the number of
workers) searches the box of allowed values. The fitted values are then re-simulated on fresh
seeds to report the fit quality, the replication noise and the 95% band of the plot.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import annotated_types
import numpy as np
import pandas as pd
from tqdm import tqdm

from ckm_sim.errors import CKMError
from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import FIELD_SECTION, SECTIONS, Scenario
from ckm_sim.whatif.args import DEFAULT_PARAMETERS
from ckm_sim.whatif.optimize import EVALUATION_OFFSET, make_study
from ckm_sim.whatif.parallel import make_pool, run_jobs
from ckm_sim.whatif.stats import t_quantile
from ckm_sim.whatif.survival import simulate_with

#: What ``ckm-sim calibrate`` fits unless told otherwise: the churn hazard's two rates.


#: Default search boxes narrower than the allowed range, for rates whose plausible values are
#: small (a monthly churn rate of 0.5 is allowed but no firm's); --bounds overrides them.
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "churn_floor": (0.0, 0.05),
    "competitor_pull": (0.0, 0.3),
    "fixed_churn": (0.0, 0.3),
    "turbulence": (0.0, 0.1),
    "employee_turnover": (0.0, 0.1),
    "base_acquisition": (0.0, 0.1),
    "word_of_mouth": (0.0, 0.2),
    "offer_knowledge_decay": (0.0, 0.2),
}

#: Sections whose parameters never change who churns (money only).
NO_EFFECT_SECTIONS: tuple[str, ...] = ("costs", "economics")


def _float_fields() -> list[str]:
    return [name for name in FIELD_SECTION if _constraints(name) is not None]


def _constraints(name: str) -> tuple[float | None, float | None] | None:
    """(lower, upper) bounds of a continuous parameter, or None if it is not continuous."""
    section = FIELD_SECTION.get(name)
    if section is None or section in NO_EFFECT_SECTIONS:
        return None
    info = SECTIONS[section].model_fields[name]
    annotation, metadata = info.annotation, list(info.metadata)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        annotation = inner
        for item in extra:
            metadata.extend(getattr(item, "metadata", []) or [item])
    if annotation is not float:
        return None
    low = high = None
    for m in metadata:
        if isinstance(m, annotated_types.Ge | annotated_types.Gt):
            low = float(getattr(m, "ge", getattr(m, "gt", 0.0)))
        if isinstance(m, annotated_types.Le | annotated_types.Lt):
            high = float(getattr(m, "le", getattr(m, "lt", 0.0)))
    return low, high


def parameter_bounds(
    names: Sequence[str], overrides: Mapping[str, tuple[float, float]] | None = None
) -> dict[str, tuple[float, float]]:
    """The search box of each parameter: its allowed range, or the user's narrower one."""
    overrides = dict(overrides or {})
    if not names:
        raise CKMError("give at least one parameter to calibrate")
    stray = [k for k in overrides if k not in names]
    if stray:
        raise CKMError(f"--bounds given for '{stray[0]}', which is not being calibrated")
    out: dict[str, tuple[float, float]] = {}
    for name in names:
        limits = _constraints(name)
        if limits is None:
            if name not in FIELD_SECTION:
                why = "unknown parameter"
            elif FIELD_SECTION[name] in NO_EFFECT_SECTIONS:
                why = "it does not affect the survival curve"
            else:
                why = "not a continuous parameter"
            raise CKMError(
                f"cannot calibrate '{name}': {why}; continuous parameters: "
                + ", ".join(_float_fields())
            )
        if name in out:
            raise CKMError(f"parameter '{name}' given twice")
        low, high = overrides.get(name, PLAUSIBLE.get(name, limits))
        if low is None or high is None:
            raise CKMError(f"'{name}' has no upper bound: give --bounds {name}=LOW:HIGH")
        allowed_low, allowed_high = limits
        if not low < high:
            raise CKMError(f"bounds of '{name}' must satisfy LOW < HIGH, got {low}:{high}")
        if (allowed_low is not None and low < allowed_low) or (
            allowed_high is not None and high > allowed_high
        ):
            raise CKMError(
                f"bounds of '{name}' must lie within its allowed range "
                f"[{allowed_low}, {allowed_high}], got {low}:{high}"
            )
        out[name] = (float(low), float(high))
    return out


@dataclass
class Calibration:
    """Fitted values, fit quality and the curves to plot."""

    fitted: dict[str, float]
    bounds: dict[str, tuple[float, float]]
    rmse: float  # observed vs mean simulated, fresh seeds
    max_error: float
    noise_rmse: float  # one replication vs the mean: the fit can't be better than this
    observed: pd.DataFrame  # period, active, survival
    simulated: pd.DataFrame  # period, mean, low, high (every period up to the last observed)
    trials: int
    replications: int
    eval_replications: int
    base_seed: int
    search_rmse: float
    history: list[dict] = field(default_factory=list)

    def top_spread(self, k: int = 5) -> dict[str, tuple[float, float]]:
        """Range of each parameter over the ``k`` best trials: a hint of how well it is pinned."""
        best = sorted(self.history, key=lambda h: h["rmse"])[:k]
        return {p: (min(h[p] for h in best), max(h[p] for h in best)) for p in self.fitted}


def _rmse(curve: np.ndarray, observed: pd.DataFrame) -> float:
    diff = curve[observed["period"].to_numpy()] - observed["survival"].to_numpy()
    return float(np.sqrt(np.mean(diff**2)))


def calibrate(
    scenario: Scenario,
    observed: pd.DataFrame,
    parameters: Sequence[str] = DEFAULT_PARAMETERS,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    trials: int = 30,
    replications: int = 4,
    eval_replications: int = 8,
    base_seed: int = 0,
    batch: int = 4,
    workers: int = 1,
    progress: bool = False,
) -> Calibration:
    """Fit ``parameters`` of ``scenario`` to the ``observed`` survival curve."""
    box = parameter_bounds(parameters, bounds)
    if scenario.market.customers < 1:
        raise CKMError("the scenario has no initial customers (market.customers = 0)")
    periods = int(observed["period"].max())
    seeds = [replication_seed(base_seed, r) for r in range(replications)]
    study = make_study("minimize", base_seed, trials)
    history: list[dict] = []
    pool = make_pool(workers)
    bar = tqdm(total=trials, desc="calibration trials", unit="trial", disable=not progress)
    try:
        while len(history) < trials:
            asked = [study.ask() for _ in range(min(batch, trials - len(history)))]
            points = [{p: t.suggest_float(p, *box[p]) for p in box} for t in asked]
            jobs = [(scenario, values, seed, periods) for values in points for seed in seeds]
            curves = run_jobs(simulate_with, jobs, workers=workers, pool=pool)
            for j, trial in enumerate(asked):
                mean = np.mean(curves[j * len(seeds) : (j + 1) * len(seeds)], axis=0)
                loss = _rmse(mean, observed)
                study.tell(trial, loss if math.isfinite(loss) else None)
                history.append({"trial": trial.number, "rmse": loss} | points[j])
            bar.update(len(asked))
        bar.close()
        fitted = dict(study.best_params)
        fresh = [
            replication_seed(base_seed, EVALUATION_OFFSET + r) for r in range(eval_replications)
        ]
        jobs = [(scenario, fitted, seed, periods) for seed in fresh]
        final = np.array(
            run_jobs(
                simulate_with,
                jobs,
                workers=workers,
                pool=pool,
                progress=progress,
                desc="evaluation",
            )
        )
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown()
    mean = final.mean(axis=0)
    n = len(final)
    half = t_quantile(n) * final.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else 0.0 * mean
    simulated = pd.DataFrame(
        {"period": np.arange(periods + 1), "mean": mean, "low": mean - half, "high": mean + half}
    )
    at = observed["period"].to_numpy()
    errors = mean[at] - observed["survival"].to_numpy()
    noise = float(np.mean([np.sqrt(np.mean((c[at] - mean[at]) ** 2)) for c in final]))
    return Calibration(
        fitted=fitted,
        bounds=box,
        rmse=float(np.sqrt(np.mean(errors**2))),
        max_error=float(np.max(np.abs(errors))),
        noise_rmse=noise,
        observed=observed,
        simulated=simulated,
        trials=trials,
        replications=replications,
        eval_replications=eval_replications,
        base_seed=base_seed,
        search_rmse=float(study.best_value),
        history=history,
    )
