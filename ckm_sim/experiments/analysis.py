"""What a sweep found: means with 95% CIs, paired differences, sensitivity indices, adequacy.

All estimates are over replications of a design point (failed runs left out):

- per point: mean, standard deviation, Student-t 95% confidence interval;
- paired differences against the reference point: replication ``r`` of both points ran on the
  same seed, so the difference is estimated from per-replication differences (its CI is reported
  beside the unpaired one it replaces);
- for a two-factor grid, the simple effects of the first factor (highest minus lowest level) at
  each level of the second: does the first factor pay off when the second is low?
- Sobol first-order and total indices (with bootstrap CIs, and second-order ones) or Morris
  mu*, mu and sigma, through SALib, on the replication means of the sampled points;
- replication adequacy: each point's CI half-width relative to its mean, against the target
  ``outcomes.precision``, and how many replications would reach it;
- standardized regression coefficients with bootstrap CIs and R^2 for designs that spread
  points (Latin hypercube, Sobol, Morris, CSV points; :mod:`~ckm_sim.experiments.regression`);
- scenario discovery for sampled designs (Latin hypercube, Sobol, Morris, CSV points): the
  region of the factor space where each outcome's point mean is in its top 20%, as a PRIM box
  and a classification tree (:mod:`~ckm_sim.experiments.discovery`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ckm_sim.errors import CKMError
from ckm_sim.experiments.designs import DesignTable
from ckm_sim.experiments.discovery import (
    MIN_POINTS,
    Discovery,
    DiscoveryUnavailable,
    discover,
)
from ckm_sim.experiments.regression import src_table
from ckm_sim.experiments.spec import Experiment, parse_experiment
from ckm_sim.experiments.stats import LEVEL, ci_columns, replications_for
from ckm_sim.experiments.store import ResultsStore
from ckm_sim.model.outcomes import RENAMED, split_firm_outcome

#: Columns of the runs table that are not outcomes.
NOT_OUTCOMES = frozenset(("run_id", "point", "replication", "seed", "status", "error", "worker"))


def outcome_matrix(
    runs: pd.DataFrame, outcome: str, points: int, replications: int | None = None
) -> np.ndarray:
    """Outcome values as a (points x replications) matrix; failed or missing runs are NaN."""
    reps = replications
    if reps is None:
        reps = int(runs["replication"].max()) + 1 if len(runs) else 0
    out = np.full((points, reps), np.nan)
    ok = runs[runs["status"] == "ok"] if "status" in runs.columns else runs
    out[ok["point"].to_numpy(), ok["replication"].to_numpy()] = ok[outcome].to_numpy(np.float64)
    return out


def point_stats(
    runs: pd.DataFrame, design: pd.DataFrame, outcomes: list[str], level: float = LEVEL
) -> pd.DataFrame:
    """Long table: one row per point and outcome with n, mean, sd, CI and relative half-width."""
    parts = []
    for outcome in outcomes:
        cols = ci_columns(outcome_matrix(runs, outcome, len(design)), level)
        frame = pd.DataFrame({"point": design["point"].to_numpy(), "outcome": outcome} | cols)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def paired_differences(
    runs: pd.DataFrame, design: pd.DataFrame, reference: int, outcomes: list[str]
) -> pd.DataFrame:
    """Each point minus the reference, replication by replication, with paired and unpaired CIs."""
    parts = []
    for outcome in outcomes:
        m = outcome_matrix(runs, outcome, len(design))
        diff = m - m[reference]
        cols = ci_columns(diff)
        var = np.nanvar(m, axis=1, ddof=1) / np.sum(~np.isnan(m), axis=1)
        with np.errstate(invalid="ignore"):
            unpaired = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(cols["n"] - 1, 1)) * np.sqrt(
                var + var[reference]
            )
        frame = pd.DataFrame(
            {
                "point": design["point"].to_numpy(),
                "outcome": outcome,
                "n": cols["n"],
                "difference": cols["mean"],
                "low": cols["low"],
                "high": cols["high"],
                "half_width": cols["half_width"],
                "unpaired_half_width": unpaired,
            }
        )
        parts.append(frame[frame["point"] != reference])
    return pd.concat(parts, ignore_index=True)


def simple_effects(
    runs: pd.DataFrame, design: pd.DataFrame, factors: list[str], outcomes: list[str]
) -> pd.DataFrame:
    """Two-factor grid: effect of factors[0] (high minus low level) at each level of factors[1]."""
    a, b = factors[:2]
    low, high = design[a].min(), design[a].max()
    parts = []
    for outcome in outcomes:
        m = outcome_matrix(runs, outcome, len(design))
        for level in sorted(design[b].unique()):
            at = design[design[b] == level]
            p_low = at.loc[at[a] == low, "point"]
            p_high = at.loc[at[a] == high, "point"]
            if p_low.empty or p_high.empty:
                continue
            diff = m[int(p_high.iloc[0])] - m[int(p_low.iloc[0])]
            cols = ci_columns(diff[None, :])
            parts.append(
                {
                    "outcome": outcome,
                    b: level,
                    "effect_of": f"{a}: {low} -> {high}",
                    "n": int(cols["n"][0]),
                    "effect": float(cols["mean"][0]),
                    "low": float(cols["low"][0]),
                    "high": float(cols["high"][0]),
                }
            )
    return pd.DataFrame(parts)


def sobol_indices(
    y: np.ndarray, factors: list[str], second_order: bool, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Sobol S1 and ST (with 95% bootstrap CIs) and, if sampled, S2, from Saltelli-ordered ``y``."""
    from SALib.analyze import sobol

    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sobol.analyze(
            problem, np.asarray(y, dtype=np.float64), calc_second_order=second_order, seed=seed
        )
    first = pd.DataFrame(
        {
            "factor": factors,
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )
    pairs = None
    if second_order:
        rows = []
        for i in range(len(factors)):
            for j in range(i + 1, len(factors)):
                rows.append(
                    {
                        "factor_1": factors[i],
                        "factor_2": factors[j],
                        "S2": res["S2"][i, j],
                        "S2_conf": res["S2_conf"][i, j],
                    }
                )
        pairs = pd.DataFrame(rows)
    return first, pairs


def morris_indices(
    unit: np.ndarray, y: np.ndarray, factors: list[str], levels: int, seed: int = 0
) -> pd.DataFrame:
    """Morris elementary effects per factor: mu*, its 95% CI, mu and sigma (unit-range scale)."""
    from SALib.analyze import morris

    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = morris.analyze(
            problem, unit, np.asarray(y, dtype=np.float64), num_levels=levels, seed=seed
        )
    return pd.DataFrame(
        {
            "factor": factors,
            "mu_star": res["mu_star"],
            "mu_star_conf": res["mu_star_conf"],
            "mu": res["mu"],
            "sigma": res["sigma"],
        }
    )


def adequacy(points: pd.DataFrame, precision: float) -> pd.DataFrame:
    """Per outcome: do the replications pin each point's mean down to ``precision`` (relative)?"""
    rows = []
    for outcome, g in points.groupby("outcome", sort=False):
        rel = g["rel_half_width"].to_numpy(dtype=np.float64)
        n = int(g["n"].min()) if len(g) else 0
        finite = rel[np.isfinite(rel)]
        worst = float(finite.max()) if len(finite) else math.nan
        needed = math.nan
        if n > 1 and np.isfinite(worst):
            needed = max(n, replications_for(n, worst, precision))
        rows.append(
            {
                "outcome": outcome,
                "replications": n,
                "median_rel_half_width": float(np.median(finite)) if len(finite) else math.nan,
                "max_rel_half_width": worst,
                "points_within_target": float(np.mean(rel <= precision)) if len(rel) else 0.0,
                "target": precision,
                "adequate": bool(len(finite) == len(rel) and worst <= precision),
                "replications_needed": needed,
            }
        )
    return pd.DataFrame(rows)


@dataclass
class Analysis:
    """Everything the report shows, as tables."""

    root: Path
    exp: Experiment
    manifest: dict[str, Any]
    design: DesignTable
    outcomes: list[str]
    runs_total: int
    runs_done: int
    runs_failed: int
    points: pd.DataFrame
    adequacy: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    differences: pd.DataFrame | None = None
    simple_effects: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    second_order: pd.DataFrame | None = None
    discovery: list[Discovery] | None = None
    regression: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def wide_points(self) -> pd.DataFrame:
        """One row per point: factor values, then mean and CI of each outcome."""
        frame = self.design.points[["point", *self.design.factors]].copy()
        for outcome in self.outcomes:
            g = self.points[self.points["outcome"] == outcome].set_index("point")
            frame[f"{outcome}_mean"] = g["mean"].reindex(frame["point"]).to_numpy()
            frame[f"{outcome}_low"] = g["low"].reindex(frame["point"]).to_numpy()
            frame[f"{outcome}_high"] = g["high"].reindex(frame["point"]).to_numpy()
        frame["n"] = (
            self.points.groupby("point")["n"].min().reindex(frame["point"]).to_numpy()
            if len(self.points)
            else 0
        )
        return frame


def chosen_outcomes(store: ResultsStore, given: Sequence[str]) -> list[str]:
    """``given`` outcomes (``analyze --outcome``) if the runs table has each, else a one-line
    CKMError listing the per-firm columns it has."""
    columns = store.columns()
    firm_cols = [c for c in columns if split_firm_outcome(c)[0] is not None]
    for name in given:
        if columns and name not in columns or name in NOT_OUTCOMES:
            hint = (
                f"; per-firm outcomes here: {', '.join(firm_cols[:12])}, ..." if firm_cols else ""
            )
            raise CKMError(f"--outcome: '{name}' is not a summary column of {store.root}{hint}")
    return list(dict.fromkeys(given))


def analyse(root: str | Path, outcomes: Sequence[str] | None = None) -> Analysis:
    """Read a results folder and compute every table its design supports, for the experiment's
    report outcomes or ``outcomes`` (any summary column, a firm's too: ``leader.net_value``)."""
    store = ResultsStore(root)
    manifest = store.read_manifest()
    exp = parse_experiment(_renamed(manifest["spec"]), source=f"{store.manifest_path} (spec)")
    frame = store.read_design()
    factors = list(manifest["factors"])
    design = DesignTable(exp.design.method, factors, frame)
    outcomes = chosen_outcomes(store, outcomes) if outcomes else list(exp.outcomes.report)
    runs = store.read_runs(["point", "replication", "status", "error", *outcomes])
    failed = runs[runs["status"] != "ok"]
    result = Analysis(
        root=Path(root),
        exp=exp,
        manifest=manifest,
        design=design,
        outcomes=outcomes,
        runs_total=design.size * exp.replications,
        runs_done=len(runs),
        runs_failed=len(failed),
        points=point_stats(runs, frame, outcomes),
        adequacy=pd.DataFrame(),
        errors=[
            f"run {r}: {e}" for r, e in zip(failed["run_id"][:5], failed["error"][:5], strict=True)
        ],
    )
    result.adequacy = adequacy(result.points, exp.outcomes.precision)
    if len(runs) == 0:
        result.notes.append("no runs finished yet")
        return result
    ref = design.reference
    if ref is not None and design.size > 1:
        result.differences = paired_differences(runs, frame, ref, outcomes)
    if exp.design.method == "full_factorial" and len(factors) == 2:
        result.simple_effects = simple_effects(runs, frame, factors, outcomes)
    if exp.design.method in ("sobol", "morris"):
        _sensitivity(result, runs)
    if exp.design.method in DISCOVERY_METHODS:
        _regression(result)
        _discovery(result)
    return result


def _renamed(spec: dict[str, Any]) -> dict[str, Any]:
    """A stored spec with outcome names renamed since (``retention_rate`` -> the run mean's
    ``mean_retention_rate``), so older results folders still analyse."""
    outcomes = dict(spec.get("outcomes") or {})
    if "report" in outcomes:
        outcomes["report"] = [RENAMED.get(name, name) for name in outcomes["report"]]
    return spec | {"outcomes": outcomes} if outcomes else spec


def _sensitivity(result: Analysis, runs: pd.DataFrame) -> None:
    design, exp = result.design, result.exp
    analysed = design.analysed()["point"].to_numpy()
    parts, pairs = [], []
    for outcome in result.outcomes:
        means = result.points[result.points["outcome"] == outcome].set_index("point")["mean"]
        y = means.reindex(analysed).to_numpy(dtype=np.float64)
        if np.isnan(y).any():
            result.notes.append(
                f"{outcome}: {int(np.isnan(y).sum())} point(s) have no finished run; "
                "sensitivity indices need every point (resume the sweep)"
            )
            continue
        if exp.design.method == "sobol":
            first, second = sobol_indices(
                y, design.factors, exp.design.second_order, exp.design_seed
            )
            if second is not None:
                pairs.append(second.assign(outcome=outcome))
        else:
            first = morris_indices(
                design.unit(), y, design.factors, exp.design.levels, exp.design_seed
            )
        parts.append(first.assign(outcome=outcome))
    if parts:
        result.sensitivity = pd.concat(parts, ignore_index=True)
    if pairs:
        result.second_order = pd.concat(pairs, ignore_index=True)


#: Designs whose points spread over the factor space, so that regions can be found in it.
DISCOVERY_METHODS = ("latin_hypercube", "sobol", "morris", "csv")


def _regression(result: Analysis) -> None:
    """Standardized regression coefficients of each reported outcome's point means on the
    numeric factors that vary (at least three more points than factors)."""
    points = result.design.points
    factors = [f for f in result.design.factors if pd.api.types.is_numeric_dtype(points[f])]
    factors = [f for f in factors if points[f].nunique() > 1]
    parts = []
    for outcome in result.outcomes:
        means = result.points[result.points["outcome"] == outcome].set_index("point")["mean"]
        y = means.reindex(points["point"]).to_numpy(dtype=np.float64)
        keep = np.isfinite(y)
        if not factors or keep.sum() < len(factors) + 3 or np.std(y[keep]) == 0:
            continue
        x = points.loc[keep, factors].astype(np.float64)
        table = src_table(x, y[keep], seed=result.exp.design_seed)
        parts.append(table.assign(outcome=outcome))
    if parts:
        result.regression = pd.concat(parts, ignore_index=True)


def _discovery(result: Analysis) -> None:
    """PRIM box and tree of the high region of each reported outcome (numeric factors only)."""
    points = result.design.points
    factors = [f for f in result.design.factors if pd.api.types.is_numeric_dtype(points[f])]
    factors = [f for f in factors if points[f].nunique() > 1]
    if not factors or result.design.size < MIN_POINTS:
        return
    found = []
    for outcome in result.outcomes:
        means = result.points[result.points["outcome"] == outcome].set_index("point")["mean"]
        y = means.reindex(points["point"]).to_numpy(dtype=np.float64)
        try:
            found.append(discover(points[factors], y, outcome, "high"))
        except DiscoveryUnavailable as exc:
            result.notes.append(str(exc))
            return
        except CKMError as exc:
            result.notes.append(f"{outcome}: {exc}")
    result.discovery = found or None
