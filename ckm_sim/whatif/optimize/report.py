"""The report of ``ckm-sim optimize``: sentences, a table, figures and the trials, under one
folder, every file written atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ckm_sim.errors import output_error
from ckm_sim.experiments.stats import Estimate
from ckm_sim.io import write_json, write_text, write_with
from ckm_sim.model.outcomes import horizon_note
from ckm_sim.model.scenario import Scenario
from ckm_sim.reports import markdown as md
from ckm_sim.reports import numbers as num
from ckm_sim.reports.html_summary import write_summary
from ckm_sim.whatif.optimize.budget import Optimum
from ckm_sim.whatif.optimize.convergence import Verdict
from ckm_sim.whatif.shared.allocation import current_spend, levels_for_spend, spend_for_levels
from ckm_sim.whatif.shared.figures import plot_allocation, plot_history
from ckm_sim.whatif.shared.seed_noise import note, optimize_argv
from ckm_sim.whatif.shared.summary import optimize_summary
from ckm_sim.whatif.shared.terms import period_word, terms_lines

#: Marginal values are reported per this much extra spend per period.
PER = 1000.0


def allocation_table(opt: Optimum, scenario: Scenario) -> pd.DataFrame:
    """One row per dimension: best and even spend and level, marginal value (net value per
    :data:`PER` of extra spend per period) with its CI."""
    best_levels = levels_for_spend(scenario, opt.best, opt.firm)
    even_levels = levels_for_spend(scenario, opt.even, opt.firm)
    return pd.DataFrame(
        {
            "dimension": list(opt.dimensions),
            "best": opt.best,
            "share": opt.best / opt.budget,
            "best_level": best_levels,
            "even": opt.even,
            "even_level": even_levels,
            "marginal": [PER * m.mean for m in opt.marginal],
            "marginal_low": [PER * m.low for m in opt.marginal],
            "marginal_high": [PER * m.high for m in opt.marginal],
            "saturated": best_levels >= 1.0,
        }
        | _intervals(opt)
    )


def _intervals(opt: Optimum) -> dict[str, np.ndarray]:
    """The answer's level intervals over resampled seeds, when the answer is the pooled fit's
    (the only one they describe)."""
    pooled = opt.centroid is not None and np.array_equal(opt.best, opt.centroid)
    if opt.level_interval is None or not pooled:
        return {}
    return {"level_low": opt.level_interval[0], "level_high": opt.level_interval[1]}


def sentences(
    opt: Optimum, table: pd.DataFrame, word: str = "period", currency: str = "EUR"
) -> list[str]:
    """The plain-language findings (``word``: what a period is; money in whole units of
    ``currency``)."""

    def cash(x: float) -> str:
        return num.money(x, currency)

    parts = ", ".join(
        f"{r.dimension} {cash(r.best)} ({r.share:.0%}, level {r.best_level:.2f})"
        for r in table.sort_values("best", ascending=False).itertuples()
    )
    g = opt.gain
    if g.excludes_zero:
        verdict = "raises" if g.mean > 0 else "lowers"
        versus = (
            f"The best allocation {verdict} net value by {cash(abs(g.mean))} "
            f"(95% CI {num.whole(min(abs(g.low), abs(g.high)))} to "
            f"{cash(max(abs(g.low), abs(g.high)))}) over an even split."
        )
    else:
        versus = (
            f"Against an even split it changes net value by {cash(g.mean)} "
            f"(95% CI {num.whole(g.low)} to {cash(g.high)}): not distinguishable from "
            f"the even split with {g.n} replications."
        )
    b, e = opt.best_value, opt.even_value
    whose = "" if opt.firm is None else f" for {opt.firm} (its best response; rivals fixed)"
    out = [
        f"Best split of a budget of {cash(opt.budget)} a {word}{whose}: {parts}.",
        f"Its expected net value is {_ci(b, currency)} on {b.n} fresh "
        f"replications; the even split's is {_ci(e, currency)} (discounted to {word} 0).",
        versus,
    ]
    if opt.flip is not None:
        out += opt.flip.lines()
    if opt.versus_incumbent is not None:
        g = opt.versus_incumbent
        out.append(
            f"Against {opt.firm or 'the firm'}'s current levels (which cost "
            f"{cash(float(np.sum(opt.incumbent)))} a {word}) it changes net value by "
            f"{_ci(g, currency)}."
        )
    out.append(next_unit_sentence(table, word, currency))
    v = opt.verdict
    if v is not None:
        out.append(verdict_sentence(v))
        out += [f"Warning: {w}." for w in v.warnings]
    return out


def _ci(e: Estimate, currency: str) -> str:
    """``1,234 EUR (95% CI 1,000 to 1,468 EUR)``: an estimate of money, in whole units."""
    return f"{num.money(e.mean, currency)} ({num.interval('net_value', e.low, e.high, currency)})"


def _restarts_rows(opt: Optimum, scenario: Scenario) -> list[dict]:
    """One row per search: the levels its best split buys, what that costs, and its net value
    against the winner's (paired on the evaluation seeds)."""
    points: list[tuple[int | str, np.ndarray, Estimate]] = [
        (k + 1, c, e)
        for k, (c, e) in enumerate(zip(opt.candidates, opt.versus_winner, strict=True))
    ]
    if opt.centroid is not None and opt.centroid_versus_winner is not None:
        points.append((_pooled_name(opt), opt.centroid, opt.centroid_versus_winner))
    rows = []
    currency = scenario.economics.currency
    for label, c, est in points:
        bought = levels_for_spend(scenario, c, opt.firm)
        levels = ", ".join(f"{d} {x:.2f}" for d, x in zip(opt.dimensions, bought, strict=True))
        spent = float(spend_for_levels(scenario, bought, opt.firm).sum())
        same = np.array_equal(c, opt.best)
        rows.append(
            {
                "search": label,
                "levels bought": levels,
                f"spent ({currency})": num.whole(spent),
                f"net value minus the winner's ({currency})": "winner"
                if same
                else num.outcome_ci("net_value", est.mean, est.low, est.high),
            }
        )
    return rows


def _text(
    opt: Optimum,
    scenario: Scenario,
    table: pd.DataFrame,
    lines: list[str],
    periods: int,
    robust: str = "",
) -> str:
    word = period_word(scenario)
    cur = scenario.economics.currency

    def cash(x: float) -> str:
        return num.money(x, cur)

    rows = [
        {
            "dimension": r.dimension,
            f"best spend ({cur})": num.whole(r.best),
            "share": f"{r.share:.0%}",
            "level": f"{r.best_level:.3f}"
            + (f" ({r.level_low:.2f} to {r.level_high:.2f})" if "level_low" in table else "")
            + (" (full)" if r.saturated else ""),
            f"even spend ({cur})": num.whole(r.even),
            "even level": f"{r.even_level:.3f}",
            f"net value per {cash(PER)} more a {word} ({cur})": num.outcome_ci(
                "net_value", r.marginal, r.marginal_low, r.marginal_high
            ),
        }
        for r in table.itertuples()
    ]
    now = current_spend(scenario, opt.firm)
    spent = float(spend_for_levels(scenario, table["best_level"], opt.firm).sum())
    even_spent = float(spend_for_levels(scenario, table["even_level"], opt.firm).sum())
    whose = "" if opt.firm is None else f", {opt.firm}'s budget (best response)"
    return "\n".join(
        [
            f"# Budget allocation: {scenario.name}{whose}",
            "",
            f"Budget {cash(opt.budget)} per {word} across the {len(opt.dimensions)} "
            f"dimensions (the scenario's own levels cost {cash(float(now.sum()))} per "
            f"{word}). Money is in {cur}, in whole units. Spending s on a dimension buys the "
            "level whose cost is s under the "
            f"scenario's costs (cost_d * level ** {scenario.costs.cost_exponent}), capped at "
            "level 1; spend beyond that is not spent.",
            "",
            horizon_note(scenario.economics.horizon_value),
            "",
            *terms_lines([scenario], [scenario.name], periods)[:1],
            "",
            f"Spend per {word}: the best split's levels cost {cash(spent)} of the budget "
            f"of {cash(opt.budget)}"
            + (
                ""
                if spent >= opt.budget - 0.5
                else " (the rest is better not spent: the search spends a budget only where it "
                "pays)"
                if opt.method == "surface"
                else " (the rest buys nothing and is not spent)"
            )
            + f", the even split's {cash(even_spent)} (the scenario's own levels cost "
            f"{cash(float(now.sum()))}).",
            "",
            "## Findings",
            "",
            *[f"- {s}" for s in lines],
            "",
            "## Allocation and marginal values",
            "",
            md.table(rows),
            f"Marginal value: paired forward difference (NV(best + {cash(opt.step)} on the "
            f"dimension) - NV(best)) / {num.whole(opt.step)} x {PER:,.0f}, on the "
            f"{opt.eval_replications} evaluation replications: the change of net value per "
            f"{PER:,.0f} more a {word}. A positive value means more budget there pays for itself "
            "(net value already subtracts the investment).",
            *(
                [
                    "",
                    "Level intervals (in brackets): the answer's level again on "
                    "resamples of the searches' seeds (each seed with all its runs), 2.5% to "
                    "97.5%: where the answer would fall with other markets of the same kind.",
                ]
                if "level_low" in table
                else []
            ),
            "",
            "## Does the answer hold?",
            "",
            *([robust, ""] if robust else []),
            f"{opt.restarts} independent searches (sampler seeds {opt.base_seed} to "
            f"{opt.base_seed + opt.restarts - 1}, "
            + ("each on its own trial seeds" if opt.distinct_seeds else "the same trial seeds")
            + "); each one's best split"
            + (f" and {_pooled_name(opt)}" if opt.centroid is not None else "")
            + f" re-evaluated on the {opt.eval_replications} fresh replications, paired with the "
            "winner"
            + (
                f" ({_pooled_name(opt)} unless a search's split beats it outside the 95% CI)"
                if opt.centroid is not None
                else ""
            )
            + ". They agree when the levels they buy (capped at 1: spend beyond a dimension's "
            f"full cost buys nothing and is not spent) are within {_tolerance(opt)} of each "
            "other; if not, but none is worse than the winner outside its 95% CI, the optimum is "
            "flat there (or flatter than these replications resolve).",
            "",
            md.table(_restarts_rows(opt, scenario)),
            "",
            "![allocation](allocation.png)",
            "",
            "## Method",
            "",
            *_method_lines(opt),
            "",
            "![trials](history.png)",
            "",
            "Files: `trials.csv` (every trial), `optimum.json`.",
            "",
        ]
    )


def robust_argv(
    opt: Optimum,
    scenario: Scenario,
    given: Scenario | str | Path | None = None,
    periods: int | None = None,
    seed: int | None = None,
) -> list[str]:
    """The ``ckm-sim robust`` arguments that test this answer across plausible worlds: the
    even and the best split, each as the spend that buys its levels (capped at 1) at once on
    the scenario (``given``: as the user named it) with every level 0
    (:func:`~ckm_sim.whatif.shared.seed_noise.optimize_argv`)."""
    table = allocation_table(opt, scenario)
    splits = [
        spend_for_levels(scenario, table[column].to_numpy(dtype=np.float64), opt.firm)
        for column in ("even_level", "best_level")
    ]
    return optimize_argv(scenario if given is None else given, splits, opt.firm, periods, seed)


def robust_note(
    opt: Optimum,
    scenario: Scenario,
    given: Scenario | str | Path | None = None,
    periods: int | None = None,
    seed: int | None = None,
) -> str:
    """What the CIs cover and the robust command line (:func:`robust_argv`), in a sentence;
    where a split buys a full level, that robust refuses worlds where competence is cheaper."""
    text = note(robust_argv(opt, scenario, given, periods, seed))
    table = allocation_table(opt, scenario)
    if bool((table[["best_level", "even_level"]] >= 1.0 - 1e-9).to_numpy().any()):
        text += (
            " A split buys a full level here, which the same money overshoots where competence "
            "is cheaper: robust refuses such worlds, so give it an assumptions file with "
            "cost_multiplier from 1 up (--assumptions)."
        )
    return text


def write_report(
    opt: Optimum,
    scenario: Scenario,
    out: Path,
    periods: int | None = None,
    robust: str = "",
) -> tuple[Path, list[str]]:
    """Write the report and its files under ``out``; return the report path and the findings
    (then ``robust``, what the CIs cover: :func:`robust_note`)."""
    periods = scenario.periods if periods is None else periods
    table = allocation_table(opt, scenario)
    lines = sentences(opt, table, period_word(scenario), scenario.economics.currency)
    history = pd.DataFrame(opt.history)
    try:
        write_with(out / "trials.csv", lambda tmp: history.to_csv(tmp, index=False))
        write_json(
            out / "optimum.json",
            {
                "scenario": scenario.name,
                "firm": opt.firm,
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
                "restarts": opt.restarts,
                "candidates": [c.tolist() for c in opt.candidates],
                "distinct_seeds": opt.distinct_seeds,
                "method": opt.method,
                "spent": opt.spent,
                "level_interval": None
                if opt.level_interval is None
                else opt.level_interval.tolist(),
                "centroid": None if opt.centroid is None else opt.centroid.tolist(),
                "versus_winner": [e.as_dict() for e in opt.versus_winner],
                "verdict": opt.verdict.as_dict() if opt.verdict else None,
                "versus_current": None
                if opt.versus_incumbent is None
                else opt.versus_incumbent.as_dict(),
                "marginal_per": PER,
                "currency": scenario.economics.currency,
                "breakeven": None if opt.flip is None else opt.flip.as_dict(),
                "findings": lines,
                "seed_noise_only": robust,
            },
        )
        plot_allocation(table, out / "allocation.png", title=f"{scenario.name}: budget allocation")
        plot_history(
            np.asarray(history["value"], dtype=float),
            out / "history.png",
            title=("design points" if opt.method == "surface" else "Optuna trials")
            + " (mean net value on the search seeds)",
        )
        report = write_text(out / "report.md", _text(opt, scenario, table, lines, periods, robust))
        word = period_word(scenario)
        write_summary(optimize_summary(opt, scenario, lines, word, out, robust), out)
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {out}") from None
    return report, [*lines, *([robust] if robust else [])]


def next_unit_sentence(table: pd.DataFrame, word: str, currency: str = "EUR") -> str:
    """Where the next unit of budget goes: the best marginal value among the dimensions not yet
    at their full level (spend on a full one buys nothing, so it is never the answer); money in
    whole units of ``currency``."""
    open_ = table[~table["saturated"]]
    if open_.empty:
        return "Every dimension is at its full level: a larger budget buys no more competence."
    top = open_.sort_values("marginal", ascending=False).iloc[0]
    change = (
        f"{num.money(PER, currency)} more a {word} there changes net value by "
        f"{num.money(top.marginal, currency)} "
        f"({num.interval('net_value', top.marginal_low, top.marginal_high, currency)})"
    )
    if top.marginal_high < 0:
        return (
            "No dimension repays a larger budget: spending more lowers net value even on the "
            f"best one, {top.dimension} ({change})."
        )
    where = f"The next unit of budget goes to {top.dimension}: {change}"
    if top.marginal_low > 0:
        return where + ", more than it costs."
    return where + "; the gain is not distinguishable from zero at this number of replications."


def verdict_sentence(v: Verdict) -> str:
    """The convergence verdict in one sentence: a flat optimum (the searches differ beyond the
    tolerance, none is beaten) is said so, not as plain convergence."""
    if v.converged and v.level_spread > v.tolerance:
        head = "Converged on a flat optimum (the searches differ, none beats the answer)"
    else:
        head = "Converged" if v.converged else "Not converged"
    return f"{head}: {'; '.join(v.reasons)}." if v.reasons else f"{head}."


def _pooled_name(opt: Optimum) -> str:
    """What the searches' pooled answer is called."""
    return "the fit on all their runs" if opt.method == "surface" else "their mean"


def _method_lines(opt: Optimum) -> list[str]:
    """How the answer was searched, a bullet per step."""
    seeds = "the search" if opt.distinct_seeds else "every search"
    fresh = (
        f"- Each search's answer and the even split are re-evaluated on {opt.eval_replications} "
        "fresh replications (seeds disjoint from the searches'), so the reported value is not "
        "inflated by the search picking a lucky point."
    )
    if opt.method == "surface":
        return [
            f"- Response surface: {opt.restarts} searches of {opt.trials} points each, a Latin "
            "hypercube of levels from 0 to the highest level the budget buys (the even split "
            "first); a point whose levels cost more than the budget is shrunk in proportion "
            "until it fits, so the budget is a ceiling, not a sum to spend. Each point's value "
            f"is the mean net value over {opt.replications} replications on the same seeds for "
            f"every point of {seeds} (common random numbers).",
            "- A full quadratic in the levels is fitted to each search's points, and one to all "
            "of them (an intercept per search); the answer is the fit's highest point within "
            "the budget (SLSQP). A fit averages the noise of every run, where the best of a few "
            "noisy trials lands where its seeds' luck puts it.",
            fresh,
        ]
    return [
        f"- Optuna TPE sampler (multivariate), {opt.restarts} searches of {opt.trials} trials, "
        "each with the even split first; each trial's objective is the mean net value over "
        f"{opt.replications} replications on the same seeds for every trial of {seeds} (common "
        "random numbers).",
        fresh,
        f"- Each search ends with up to {opt.polish_steps} transfer moves on its own seeds (from "
        "the dimension with the lowest marginal value to the one with the highest, kept if it "
        "pays).",
    ]


def _tolerance(opt: Optimum) -> str:
    """The verdict's tolerance in words."""
    return "the tolerance" if opt.verdict is None else f"{opt.verdict.tolerance:.2f} of a level"
