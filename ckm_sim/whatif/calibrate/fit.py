"""``ckm-sim calibrate``: fit chosen parameters so the simulated cohort survival curve matches
an observed one.

The loss is the root mean squared error (RMSE) between the observed survival shares and the mean
simulated curve at the observed periods. Every trial is simulated on the same replication seeds
(common random numbers), so trials differ by their parameters, not by their luck; Optuna's TPE
sampler (seeded, a fixed batch of trials at a time: results do not depend on the number of
workers) searches the box of allowed values. The fitted values are then re-simulated on fresh
seeds to report the fit quality, the replication noise and the 95% band of the plot.

With ``fit_periods`` only the observed periods up to it enter the loss; the later ones are a
holdout: the fitted model projects them and the report gives the projection's errors
(:func:`fit_window`, :func:`holdout_errors`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import t_quantile
from ckm_sim.model.scenario import FIELD_SECTION, Scenario, field_bounds
from ckm_sim.whatif.calibrate.refine import refine as refine_fit
from ckm_sim.whatif.calibrate.survival import SurvivalCurve
from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS, REFINE_ROUNDS
from ckm_sim.whatif.shared.search import evaluation_seeds, make_study, replicate, search

#: Default search boxes narrower than the allowed range, for rates whose plausible values are
#: small (a monthly churn rate of 0.5 is allowed but no firm's); --bounds overrides them.
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "churn_floor": (0.0, 0.1),
    "competitor_pull": (0.0, 0.3),
    "fixed_churn": (0.0, 0.3),
    "turbulence": (0.0, 0.1),
    "employee_turnover": (0.0, 0.1),
    "base_acquisition": (0.0, 0.1),
    "word_of_mouth": (0.0, 0.2),
    "offer_knowledge_decay": (0.0, 0.2),
    "loyalty_spread": (0.0, 3.0),
}

#: Replication indices of the refining rounds' seeds start here (disjoint from the search's and
#: the evaluation's, :data:`ckm_sim.whatif.shared.search.EVALUATION_OFFSET`).
REFINE_OFFSET = 2_000_000

#: Sections whose parameters never change who churns (money only).
NO_EFFECT_SECTIONS: tuple[str, ...] = ("costs", "economics")


def _float_fields() -> list[str]:
    return [name for name in FIELD_SECTION if _constraints(name) is not None]


def _constraints(name: str) -> tuple[float | None, float | None] | None:
    """(lower, upper) bounds of a continuous parameter that can change who churns, or None."""
    if FIELD_SECTION.get(name) in NO_EFFECT_SECTIONS:
        return None
    return field_bounds(name)


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
    fit_periods: int | None = None  # observed periods up to this one were fitted; None: all
    holdout_rmse: float = math.nan  # projection vs observed after fit_periods
    holdout_max_error: float = math.nan
    project: int = 0  # periods simulated beyond the last observed one

    def fit_ratio(self, k: int = 5) -> float:
        """RMSE of the ``k``-th best trial over the best's: far above 1, the search has not
        settled (the best may be a lucky corner of the box)."""
        rmses = sorted(h["rmse"] for h in self.history if math.isfinite(h["rmse"]))[:k]
        if len(rmses) < 2 or rmses[0] <= 0:
            return math.nan
        return rmses[-1] / rmses[0]

    def top_spread(self, k: int = 5) -> dict[str, tuple[float, float]]:
        """Range of each parameter over the ``k`` best trials: a hint of how well it is pinned."""
        best = sorted(self.history, key=lambda h: h["rmse"])[:k]
        return {p: (min(h[p] for h in best), max(h[p] for h in best)) for p in self.fitted}


def _after_zero(observed: pd.DataFrame) -> pd.DataFrame:
    """The observed rows after period 0 (period 0 is the cohort itself: it always fits)."""
    return observed[observed["period"] > 0]


def _rmse_at(simulated: np.ndarray, observed: pd.DataFrame) -> float:
    """RMSE of ``simulated`` (the curve at the observed periods) against ``observed``."""
    return float(np.sqrt(np.mean((simulated - observed["survival"].to_numpy()) ** 2)))


def fit_window(observed: pd.DataFrame, fit_periods: int | None) -> pd.DataFrame:
    """The observed rows the loss uses: periods up to ``fit_periods`` (all when None)."""
    if fit_periods is None:
        return observed
    fitting = observed[observed["period"] <= fit_periods]
    if (fitting["period"] > 0).sum() < 1:
        raise CKMError(f"--fit-periods {fit_periods} leaves no observed period after 0 to fit")
    if len(fitting) == len(observed):
        raise CKMError(
            f"--fit-periods {fit_periods} leaves no observed period to project "
            f"(the last is {int(observed['period'].max())})"
        )
    return fitting


def holdout_errors(
    curve: np.ndarray, observed: pd.DataFrame, fit_periods: int | None
) -> tuple[float, float]:
    """(RMSE, largest gap) of ``curve`` against the observed periods after ``fit_periods``."""
    if fit_periods is None:
        return math.nan, math.nan
    held = observed[observed["period"] > fit_periods]
    gaps = curve[held["period"].to_numpy()] - held["survival"].to_numpy()
    return float(np.sqrt(np.mean(gaps**2))), float(np.max(np.abs(gaps)))


def calibrate(
    scenario: Scenario,
    observed: pd.DataFrame,
    plan: RunPlan,
    parameters: Sequence[str] = DEFAULT_PARAMETERS,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    trials: int = 30,
    eval_replications: int = 8,
    batch: int = 4,
    progress: bool = False,
    fit_periods: int | None = None,
    project: int = 0,
    refine: int = REFINE_ROUNDS,
) -> Calibration:
    """Fit ``parameters`` of ``scenario`` to the ``observed`` survival curve (to its periods up
    to ``fit_periods`` if given, projecting the rest).

    ``plan`` gives the replications (common seeds) per trial, the base seed and the workers;
    the periods are the observed curve's, plus ``project`` periods beyond the last one.
    RMSEs leave period 0 out (the cohort itself, which always fits). The best trial is then
    refined by ``refine`` rounds of a response-surface search on the same seeds (:mod:`refine`).
    """
    if project < 0:
        raise CKMError(f"--project must be 0 or more periods, got {project}")
    if refine < 0:
        raise CKMError(f"--refine must be 0 or more rounds, got {refine}")
    box = parameter_bounds(parameters, bounds)
    fitting = fit_window(observed, fit_periods)
    if scenario.market.customers < 1:
        raise CKMError("the scenario has no initial customers (market.customers = 0)")
    periods = int(observed["period"].max()) + project
    curve = SurvivalCurve(periods)
    study = make_study("minimize", plan.seed, trials)

    def propose(trial) -> dict[str, float]:
        return {p: trial.suggest_float(p, *box[p]) for p in box}

    observed_fit = _after_zero(fitting)
    at = observed_fit["period"].to_numpy()
    tried: list[tuple[dict[str, float], np.ndarray]] = []

    with plan.evaluator() as evaluator:

        def simulate(points: list[dict[str, float]], round_: int = -1) -> list[np.ndarray]:
            """Mean curves at the fitted periods: the search's seeds, or a refining round's."""
            offset = 0 if round_ < 0 else REFINE_OFFSET + round_ * plan.replications
            jobs = [(scenario, values) for values in points]
            curves = replicate(evaluator, curve, jobs, plan.seeds(offset=offset), desc="trials")
            return [np.mean(c, axis=0)[at] for c in curves]

        def score(points: list[dict[str, float]]) -> list[float]:
            means = simulate(points)
            tried.extend(zip(points, means, strict=True))
            return [_rmse_at(m, observed_fit) for m in means]

        done = search(study, trials, batch, propose, score, progress, "calibration trials")
        refined = refine_fit(simulate, tried, observed_fit["survival"].to_numpy(), box, refine)
        fitted = refined.point
        fresh = evaluation_seeds(plan, eval_replications)
        (final,) = replicate(
            evaluator, curve, [(scenario, fitted)], fresh, progress, desc="evaluation"
        )
    final = np.array(final)
    history = [{"trial": t.trial.number, "rmse": t.value} | t.point for t in done] + [
        {"trial": len(done) + i, "rmse": loss} | point
        for i, (point, loss) in enumerate(refined.history)
    ]
    mean = final.mean(axis=0)
    n = len(final)
    half = t_quantile(n) * final.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else 0.0 * mean
    simulated = pd.DataFrame(
        {
            "period": np.arange(periods + 1),
            "mean": mean,
            "low": mean - half,
            "high": mean + half,
            # where one firm's curve would fall: 2.5% and 97.5% of the single runs
            "single_low": np.quantile(final, 0.025, axis=0),
            "single_high": np.quantile(final, 0.975, axis=0),
        }
    )
    errors = mean[at] - observed_fit["survival"].to_numpy()
    holdout_rmse, holdout_max = holdout_errors(mean, observed, fit_periods)
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
        replications=plan.replications,
        eval_replications=eval_replications,
        base_seed=plan.seed,
        search_rmse=refined.loss,
        history=history,
        fit_periods=fit_periods,
        holdout_rmse=holdout_rmse,
        holdout_max_error=holdout_max,
        project=project,
    )
