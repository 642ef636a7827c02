"""The report of ``ckm-sim optimize``: sentences, a table, figures and the trials, under one
folder, every file written atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ckm_sim.errors import output_error
from ckm_sim.io import write_json, write_text, write_with
from ckm_sim.model.outcomes import horizon_note
from ckm_sim.model.scenario import Scenario
from ckm_sim.reports import markdown as md
from ckm_sim.reports import numbers as num
from ckm_sim.whatif.allocation import current_spend, levels_for_spend
from ckm_sim.whatif.figures import plot_allocation, plot_history
from ckm_sim.whatif.optimize import Optimum


def allocation_table(opt: Optimum, scenario: Scenario) -> pd.DataFrame:
    """One row per dimension: best and even spend and level, marginal value with its CI."""
    best_levels = levels_for_spend(scenario, opt.best)
    even_levels = levels_for_spend(scenario, opt.even)
    return pd.DataFrame(
        {
            "dimension": list(opt.dimensions),
            "best": opt.best,
            "share": opt.best / opt.budget,
            "best_level": best_levels,
            "even": opt.even,
            "even_level": even_levels,
            "marginal": [m.mean for m in opt.marginal],
            "marginal_low": [m.low for m in opt.marginal],
            "marginal_high": [m.high for m in opt.marginal],
            "saturated": best_levels >= 1.0,
        }
    )


def sentences(opt: Optimum, table: pd.DataFrame) -> list[str]:
    """The plain-language findings."""
    parts = ", ".join(
        f"{r.dimension} {num.number(r.best)} ({r.share:.0%}, level {r.best_level:.2f})"
        for r in table.sort_values("best", ascending=False).itertuples()
    )
    g = opt.gain
    if g.excludes_zero:
        verdict = "raises" if g.mean > 0 else "lowers"
        versus = (
            f"The best allocation {verdict} net value by {num.number(abs(g.mean))} "
            f"(95% CI {num.number(min(abs(g.low), abs(g.high)))} to "
            f"{num.number(max(abs(g.low), abs(g.high)))}) over an even split."
        )
    else:
        versus = (
            f"Against an even split it changes net value by {num.number(g.mean)} "
            f"(95% CI {num.number(g.low)} to {num.number(g.high)}): not distinguishable from "
            f"the even split with {g.n} replications."
        )
    b, e = opt.best_value, opt.even_value
    out = [
        f"Best split of a budget of {num.number(opt.budget)} per period: {parts}.",
        f"Its expected net value is {num.ci(b.mean, b.low, b.high)} on {b.n} fresh "
        f"replications; the even split's is {num.ci(e.mean, e.low, e.high)}.",
        versus,
    ]
    ranked = table.sort_values("marginal", ascending=False)
    top = ranked.iloc[0]
    where = (
        f"The next unit of budget goes to {top.dimension}: one more unit per period there "
        f"changes net value by {num.number(top.marginal)} (95% CI {num.number(top.marginal_low)} "
        f"to {num.number(top.marginal_high)})"
    )
    if top.marginal_low > 0:
        where += ", more than it costs."
    elif top.marginal_high < 0:
        where += "; no dimension repays a larger budget: spending more lowers net value."
    else:
        where += "; the gain is not distinguishable from zero at this number of replications."
    out.append(where)
    return out


def _text(opt: Optimum, scenario: Scenario, table: pd.DataFrame, lines: list[str]) -> str:
    rows = [
        {
            "dimension": r.dimension,
            "best spend": r.best,
            "share": f"{r.share:.0%}",
            "level": f"{r.best_level:.3f}" + (" (full)" if r.saturated else ""),
            "even spend": r.even,
            "even level": f"{r.even_level:.3f}",
            "marginal net value per unit": num.ci(r.marginal, r.marginal_low, r.marginal_high),
        }
        for r in table.itertuples()
    ]
    now = current_spend(scenario)
    return "\n".join(
        [
            f"# Budget allocation: {scenario.name}",
            "",
            f"Budget {num.number(opt.budget)} per period across the {len(opt.dimensions)} "
            f"dimensions (the scenario's own levels cost {num.number(float(now.sum()))} per "
            "period). Spending s on a dimension buys the level whose cost is s under the "
            f"scenario's costs (cost_d * level ** {scenario.costs.cost_exponent}), capped at "
            "level 1; spend beyond that is not spent.",
            "",
            horizon_note(scenario.economics.horizon_value),
            "",
            "## Findings",
            "",
            *[f"- {s}" for s in lines],
            "",
            "## Allocation and marginal values",
            "",
            md.table(rows),
            f"Marginal value: paired forward difference (NV(best + {num.number(opt.step)} on the "
            f"dimension) - NV(best)) / {num.number(opt.step)}, on the {opt.eval_replications} "
            "evaluation replications. A positive value means one more unit of per-period budget "
            "there pays for itself (net value already subtracts the investment).",
            "",
            "![allocation](allocation.png)",
            "",
            "## Method",
            "",
            f"- Optuna TPE sampler (multivariate, seed {opt.base_seed}), {opt.trials} trials, the "
            "even split first; each trial's objective is the mean net value over "
            f"{opt.replications} replications on the same seeds for every trial (common random "
            "numbers).",
            f"- The best trial and the even split are re-evaluated on {opt.eval_replications} "
            "fresh replications (seeds disjoint from the search's), so the reported value is not "
            "inflated by the search picking a lucky trial.",
            "",
            "![trials](history.png)",
            "",
            "Files: `trials.csv` (every trial), `optimum.json`.",
            "",
        ]
    )


def write_report(opt: Optimum, scenario: Scenario, out: Path) -> tuple[Path, list[str]]:
    """Write the report and its files under ``out``; return the report path and the findings."""
    table = allocation_table(opt, scenario)
    lines = sentences(opt, table)
    history = pd.DataFrame(opt.history)
    try:
        write_with(out / "trials.csv", lambda tmp: history.to_csv(tmp, index=False))
        write_json(
            out / "optimum.json",
            {
                "scenario": scenario.name,
                "budget": opt.budget,
                "allocation": table.to_dict(orient="records"),
                "best_value": opt.best_value.as_dict(),
                "even_value": opt.even_value.as_dict(),
                "gain_over_even": opt.gain.as_dict(),
                "step": opt.step,
                "trials": opt.trials,
                "replications": opt.replications,
                "eval_replications": opt.eval_replications,
                "base_seed": opt.base_seed,
                "findings": lines,
            },
        )
        plot_allocation(table, out / "allocation.png", title=f"{scenario.name}: budget allocation")
        plot_history(
            np.asarray(history["value"], dtype=float),
            out / "history.png",
            title="Optuna trials (mean net value on the search seeds)",
        )
        report = write_text(out / "report.md", _text(opt, scenario, table, lines))
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {out}") from None
    return report, lines
