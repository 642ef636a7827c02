"""The report of ``ckm-sim calibrate``: fitted values, fit quality, the observed-vs-simulated
figure and the trials, under one folder, every file written atomically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ckm_sim.errors import output_error
from ckm_sim.io import write_json, write_text, write_with
from ckm_sim.model.scenario import Scenario
from ckm_sim.reports import markdown as md
from ckm_sim.reports import numbers as num
from ckm_sim.reports.html_summary import write_summary
from ckm_sim.whatif.calibrate.fit import Calibration
from ckm_sim.whatif.calibrate.scenario_file import scenario_toml
from ckm_sim.whatif.shared.figures import plot_survival
from ckm_sim.whatif.shared.summary import calibrate_summary
from ckm_sim.whatif.shared.terms import horizon_words, period_word

#: Warn when the 5th best trial's RMSE exceeds the best's by this factor.
FIT_RATIO_WARNING = 1.5


def findings(c: Calibration, scenario: Scenario) -> list[str]:
    """The plain-language results."""
    flat = scenario.flat()
    values = ", ".join(
        f"{p} = {num.number(v)} (was {num.number(flat[p])})" for p, v in c.fitted.items()
    )
    ratio = c.rmse / c.noise_rmse if c.noise_rmse > 0 else float("inf")
    quality = (
        "about as close as the model's own replication noise allows"
        if ratio <= 1.5
        else "clearly worse than the model's replication noise: the fitted parameters alone "
        "cannot reproduce the curve's shape (try fitting others, or wider --bounds)"
    )
    out = [
        f"Fitted {values}.",
        f"RMSE of the survival share {c.rmse:.4f} (largest gap {c.max_error:.4f}) over "
        f"{fitted_rows(c)} fitted observed periods after period 0, against "
        f"{c.noise_rmse:.4f} for one replication around the simulated mean: {quality}.",
    ]
    if c.fit_periods is not None:
        held = int((c.observed["period"] > c.fit_periods).sum())
        out.append(
            f"Fitted on the periods up to {c.fit_periods}; projected the {held} later observed "
            f"periods: holdout RMSE {c.holdout_rmse:.4f} (largest gap {c.holdout_max_error:.4f})."
        )
    if len(c.fitted) > 1:
        spread = "; ".join(
            f"{p} {num.number(lo)} to {num.number(hi)}" for p, (lo, hi) in c.top_spread().items()
        )
        out.append(
            f"The 5 best trials span {spread}: wide ranges mean the data pin down a combination "
            "of these parameters rather than each one."
        )
    ratio = c.fit_ratio()
    if ratio == ratio and ratio > FIT_RATIO_WARNING:
        out.append(
            f"Warning: the 5 best trials are far apart in fit (the 5th best's RMSE is "
            f"{ratio:.1f} times the best's): the search has not settled on a region; raise "
            "--trials."
        )
    if c.project > 0:
        last = c.simulated.iloc[-1]
        out.append(
            f"Projected {c.project} periods beyond the data: at period {int(last.period)} the "
            f"mean survival is {last['mean']:.3f} (95% CI {last.low:.3f} to {last.high:.3f}); "
            f"one firm's curve would fall between {last.single_low:.3f} and "
            f"{last.single_high:.3f} (2.5% to 97.5% of single runs)."
        )
    out.append(
        "The fitted scenario is in `fitted_scenario.toml` (use it with any command: "
        "`ckm-sim run <out>/fitted_scenario.toml`; its money is in "
        f"{scenario.economics.currency})."
    )
    return out


def money_terms(scenario: Scenario) -> str:
    """What the fitted scenario's money is in: its currency and margin, in whole units (the fit
    changes neither)."""
    e = scenario.economics
    word = period_word(scenario)
    return (
        f"Money in the fitted scenario is in {e.currency}: a customer's mean margin is "
        f"{num.money(e.margin, e.currency)} a {word} and an acquisition costs "
        f"{num.money(e.acquisition_cost, e.currency)}, as in {scenario.name}."
    )


def fitted_rows(c: Calibration) -> int:
    """Observed rows after period 0 the loss used."""
    after = c.observed[c.observed["period"] > 0]
    if c.fit_periods is None:
        return len(after)
    return int((after["period"] <= c.fit_periods).sum())


def _text(c: Calibration, scenario: Scenario, source: str, lines: list[str]) -> str:
    rows = [
        {
            "parameter": p,
            "fitted": v,
            "scenario value": scenario.flat()[p],
            "search box": f"{num.number(c.bounds[p][0])} to {num.number(c.bounds[p][1])}",
        }
        for p, v in c.fitted.items()
    ]
    merged = c.observed.merge(c.simulated, on="period")
    curve = [
        {
            "period": int(r.period),
            "observed": f"{r.survival:.4f}",
            "simulated": f"{r.mean:.4f}",
            "95% band": f"{r.low:.4f} to {r.high:.4f}",
            "used": "fit" if c.fit_periods is None or r.period <= c.fit_periods else "holdout",
        }
        for r in merged.itertuples()
    ]
    return "\n".join(
        [
            f"# Calibration: {scenario.name} to {source}",
            "",
            f"**Terms.** One model period per unit of the file's `period`; the scenario says a "
            f"period is a {period_word(scenario)} ({scenario.economics.periods_per_year} a year), "
            f"so the runs cover {horizon_words(scenario, int(c.observed['period'].max()))}. "
            "Survival is the share of the period-0 customers still active; net value plays no "
            f"part in the fit. {money_terms(scenario)}",
            "",
            "## Findings",
            "",
            *[f"- {s}" for s in lines],
            "",
            md.table(rows),
            "![observed vs simulated](survival.png)",
            "",
            "## Method",
            "",
            "- Survival: share of the period-0 customers still active at the end of each period.",
            f"- Loss: RMSE between observed shares and the mean of {c.replications} simulated "
            "curves at the observed periods; every trial uses the same seeds (common random "
            "numbers).",
            f"- Optuna TPE sampler (multivariate, seed {c.base_seed}), {c.trials} trials; best "
            f"search loss {c.search_rmse:.4f}.",
            f"- Fit quality and the band are from {c.eval_replications} fresh replications at the "
            "fitted values.",
            "",
            "## Curve",
            "",
            md.table(curve),
            "Files: `survival.csv` (observed and simulated, projection included; `low`/`high` "
            "the mean's 95% CI, `single_low`/`single_high` the band of single runs), "
            "`fitted_scenario.toml`, `trials.csv`, `calibration.json`.",
            "",
        ]
    )


def survival_table(c: Calibration) -> pd.DataFrame:
    """The simulated curve (mean, 95% band) beside the observed one, one row per period
    (``survival.csv``)."""
    return c.simulated.merge(c.observed, on="period", how="left")


def write_report(
    c: Calibration, scenario: Scenario, source: str, out: Path
) -> tuple[Path, list[str]]:
    """Write the report and its files under ``out``; return the report path and the findings."""
    lines = findings(c, scenario)
    curve = survival_table(c)
    trials = pd.DataFrame(c.history)
    try:
        write_with(out / "survival.csv", lambda tmp: curve.to_csv(tmp, index=False))
        write_with(out / "trials.csv", lambda tmp: trials.to_csv(tmp, index=False))
        write_json(
            out / "calibration.json",
            {
                "scenario": scenario.name,
                "retention_file": source,
                "fitted": c.fitted,
                "bounds": c.bounds,
                "rmse": c.rmse,
                "max_error": c.max_error,
                "noise_rmse": c.noise_rmse,
                "search_rmse": c.search_rmse,
                "fit_periods": c.fit_periods,
                "project": c.project,
                "fit_ratio_top5": c.fit_ratio(),
                "holdout_rmse": None if c.fit_periods is None else c.holdout_rmse,
                "holdout_max_error": None if c.fit_periods is None else c.holdout_max_error,
                "trials": c.trials,
                "replications": c.replications,
                "eval_replications": c.eval_replications,
                "base_seed": c.base_seed,
                "findings": lines,
            },
        )
        fitted = scenario.with_overrides(name=f"{scenario.name}_fitted", **c.fitted)
        write_text(
            out / "fitted_scenario.toml",
            scenario_toml(
                fitted,
                f"{scenario.name} with the values ckm-sim calibrate fitted to {source}:\n"
                + ", ".join(f"{p} = {v!r}" for p, v in c.fitted.items()),
            ),
        )
        plot_survival(
            c.observed,
            c.simulated,
            out / "survival.png",
            title=f"{scenario.name}: " + ", ".join(f"{p}={v:.4g}" for p, v in c.fitted.items()),
        )
        report = write_text(out / "report.md", _text(c, scenario, source, lines))
        write_summary(calibrate_summary(c, scenario, source, lines, out), out)
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {out}") from None
    return report, lines
