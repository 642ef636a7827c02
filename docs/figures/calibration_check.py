"""Figure ``calibration_check``: docs/validation.md 8's tables, ``ckm-sim calibrate`` fitted on
the first periods of a shifted-beta-geometric (sBG) cohort and projecting the rest.

Two checks, both through :func:`ckm_sim.whatif.calibrate.fit.calibrate`:

- the yearly check of ``tests/test_whatif_calibrate.py`` (``data/retention_sbg.csv``: Fader &
  Hardie's "high end" cohort, a period a year, 12 periods; the test's small market of 5,000
  customers with ``fixed_churn``, 2 replications a trial, 40 trials, fitted on periods 1-7,
  figures from 4 fresh replications), with customers who differ in loyalty and without;
- issue 21's monthly check, ``benchmarks/calibrate_sbg_projection.py`` (two sBG cohorts of
  1,000, years 0-7 fitted with calibrate's default fit parameters on the baseline, years 8-12
  projected, the bound 10 survivors per 1,000), with the benchmark's defaults.

About 1 minute for the yearly check and 4-6 minutes for the monthly one on 2 cores."""

from __future__ import annotations

import textwrap

import blocks  # docs/figures/blocks.py: on the path when make.py runs a figure

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import Scenario, load_scenario
from ckm_sim.whatif.calibrate.fit import Calibration, calibrate
from ckm_sim.whatif.calibrate.sbg import sbg_cohort
from ckm_sim.whatif.shared.defaults import DEFAULT_PARAMETERS

DOC = "docs/validation.md"
WORKERS = 2
#: Fader & Hardie (2007), "high end" customers; 12 yearly periods, the first 7 fitted.
SBG, PERIODS, FIT_PERIODS = (0.668, 3.806), 12, 7
#: The market of tests/test_whatif_calibrate.py's sBG check (its ``SMALL`` with 5,000 customers).
MARKET = dict(customers=5000, prospects=200, employees=30, need_dimensions=20, loyalty_spread=0.0)
#: The test's search: trials, fresh replications for the figures, replications a trial, box.
YEARLY = dict(trials=40, eval_replications=4, fit_periods=FIT_PERIODS)
YEARLY_REPLICATIONS = 2
BOX = {"fixed_churn": (0.1, 0.2), "loyalty_spread": (0.5, 1.5)}
#: The monthly check's trials and replications a trial (the benchmark's defaults).
MONTHLY_TRIALS, MONTHLY_REPLICATIONS, MONTHLY_SEED = 30, 4, 2026


def fill(text: str) -> str:
    return textwrap.fill(text, 100, break_on_hyphens=False)


def yearly() -> tuple[Calibration, Calibration]:
    """The test's check: (loyalty differs, everyone alike)."""
    observed = sbg_cohort(*SBG, PERIODS)
    scenario = Scenario().with_overrides(**MARKET)
    plan = RunPlan(YEARLY_REPLICATIONS, base_seed=0, workers=WORKERS)
    mixed = calibrate(
        scenario, observed, plan, ["fixed_churn", "loyalty_spread"], bounds=BOX, **YEARLY
    )
    flat = calibrate(scenario, observed, plan, ["fixed_churn"], **YEARLY)
    return mixed, flat


def fitted(c: Calibration) -> str:
    return ", ".join(f"`{k}` {v:.3f}" for k, v in c.fitted.items())


def yearly_lines() -> list[str]:
    mixed, flat = yearly()
    observed = mixed.observed
    sbg = observed["survival"].to_numpy()
    lines = [
        fill(
            f"Yearly check (`tests/test_whatif_calibrate.py`, `data/retention_sbg.csv`): "
            f"alpha = {SBG[0]}, beta = {SBG[1]}, {PERIODS} periods of a year; 5,000 customers, "
            f"{YEARLY_REPLICATIONS} replications a trial, {YEARLY['trials']} trials, fitted on "
            f"periods 1-{FIT_PERIODS}; figures from {YEARLY['eval_replications']} fresh "
            "replications:"
        ),
        "",
        f"| model fitted | fit RMSE (largest gap), 1-{FIT_PERIODS} "
        f"| holdout RMSE (largest gap), {FIT_PERIODS + 1}-{PERIODS} | replication noise |",
        "|---|---|---|---|",
    ]
    for c, label in ((mixed, ""), (flat, ", everyone equally loyal")):
        lines.append(
            f"| {fitted(c)}{label} | {c.rmse:.4f} ({c.max_error:.4f}) "
            f"| {c.holdout_rmse:.4f} ({c.holdout_max_error:.4f}) | {c.noise_rmse:.4f} |"
        )
    periods = observed["period"].to_numpy()
    lines += [
        "",
        "| period | " + " | ".join(map(str, periods)) + " |",
        "|---|" + "---|" * len(periods),
        "| sBG | " + " | ".join(share(x) for x in sbg) + " |",
    ]
    for c, label in ((mixed, "model, loyalty differs"), (flat, "model, everyone alike")):
        curve = c.simulated["mean"].to_numpy()[periods]
        lines.append(f"| {label} | " + " | ".join(share(x) for x in curve) + " |")
    last = flat.simulated["mean"].to_numpy()[PERIODS] - sbg[-1]
    lines += [
        "",
        fill(
            f"With customers who differ in loyalty the model projects the {PERIODS - FIT_PERIODS} "
            f"unseen periods within {mixed.holdout_max_error:.3f}; a geometric model (everyone "
            f"equally loyal) cannot bend and is {abs(last):.2f} "
            f"{'short' if last < 0 else 'over'} by period {PERIODS}."
        ),
    ]
    return lines


def share(x: float) -> str:
    """``1``, ``.851``."""
    return "1" if x == 1 else f"{x:.3f}".lstrip("0")


def monthly_lines() -> list[str]:
    bench = blocks.benchmark("calibrate_sbg_projection")
    scenario = load_scenario("baseline")
    rows = []
    for alpha, beta in bench.COHORTS:
        plan = RunPlan(MONTHLY_REPLICATIONS, MONTHLY_SEED, workers=WORKERS)
        c = calibrate(
            scenario,
            bench.sbg_cohort(alpha, beta),
            plan,
            parameters=list(DEFAULT_PARAMETERS),
            trials=MONTHLY_TRIALS,
            fit_periods=12 * bench.FITTED_YEARS,
        )
        size = bench.SIZE
        gap = size * c.holdout_max_error
        rows.append(
            f"| {alpha} | {beta} | {fitted(c)} | {size * c.rmse:.1f} | {gap:.1f} "
            f"| {'yes' if gap <= 10 else 'no'} |"
        )
    return [
        fill(
            "Monthly check (issue 21, `benchmarks/calibrate_sbg_projection.py`): sBG cohorts of "
            f"{bench.SIZE:,}, survivors at the end of each year in monthly periods, years "
            f"0-{bench.FITTED_YEARS} fitted on the baseline with calibrate's default fit "
            f"parameters ({', '.join(f'`{p}`' for p in DEFAULT_PARAMETERS)}), "
            f"{MONTHLY_TRIALS} trials, {MONTHLY_REPLICATIONS} replications a trial, years "
            f"{bench.FITTED_YEARS + 1}-{bench.YEARS} projected; errors in survivors per "
            f"{bench.SIZE:,}, the issue's bound 10:"
        ),
        "",
        f"| alpha | beta | fitted | fit RMSE, years 1-{bench.FITTED_YEARS} "
        f"| largest gap, years {bench.FITTED_YEARS + 1}-{bench.YEARS} | within the bound |",
        "|---|---|---|---|---|---|",
        *rows,
    ]


def block() -> str:
    """The yearly check's tables and sentence, then the monthly check's table."""
    return "\n".join([*yearly_lines(), "", *monthly_lines()])
