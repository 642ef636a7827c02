"""``ckm-sim compare``: paired differences between scenarios, in numbers, sentences and figures.

Every scenario runs the same replications (common random numbers). The first scenario is the
reference; each other one is compared with it (or every pair, on request). For each pair and
metric the report gives the mean paired difference with its 95% confidence interval and one
plain sentence: "customer_centric raises net value by X EUR (95% CI a to b EUR) over it_only".
Beside each difference in net value it says what would flip it: the cost multiplier at which
the alternative stops paying and, against the first scenario, the month it starts to pay
(:mod:`~ckm_sim.whatif.shared.breakeven`, :mod:`~ckm_sim.whatif.shared.payback`), for the
market and, in a market of firms, for each firm on its own net value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ckm_sim.errors import CKMError, output_error
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import Estimate, mean_ci, paired_difference, pairing_efficiency
from ckm_sim.firmkeys import common_firms, words
from ckm_sim.io import write_json, write_parquet, write_text, write_with
from ckm_sim.model.outcomes import conventions_note
from ckm_sim.model.scenario import Scenario
from ckm_sim.reports import markdown as md
from ckm_sim.reports import numbers as num
from ckm_sim.reports.html_summary import write_summary
from ckm_sim.whatif.compare.firms import (
    FIRM_METRICS,
    FIRM_PATHS,
    firm_metrics,
    firm_sentences,
    firm_series,
)
from ckm_sim.whatif.shared.breakeven import BreakEven, break_evens, verdicts
from ckm_sim.whatif.shared.figures import PATHS, plot_bands
from ckm_sim.whatif.shared.paired import METRICS, PairedRuns, band, paired_series, run_paired
from ckm_sim.whatif.shared.payback import Payback, payback_lines, paybacks
from ckm_sim.whatif.shared.summary import compare_summary
from ckm_sim.whatif.shared.terms import (
    annual_retention,
    currency_of,
    extra_spend,
    money_words,
    period_word,
    terms_lines,
)


@dataclass
class Comparison:
    """The runs of a comparison and its table of paired differences."""

    runs: PairedRuns
    differences: pd.DataFrame  # treatment, reference, metric, mean, low, high, sd, n, ...
    sentences: list[str]
    scenarios: list[Scenario] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # the question's answer (spend questions)
    payback: list[Payback] = field(default_factory=list)  # each scenario against the first
    breakeven: list[BreakEven] = field(default_factory=list)  # every pair, market and firms
    assumption: str = ""  # how added spend becomes competence (compare --add), in a sentence
    robust: str = ""  # what the CIs cover and the robust command for the same question

    @property
    def currency(self) -> str:
        """The currency every amount of money is in (the first scenario's)."""
        return currency_of(self.scenarios)

    def verdicts(self) -> list[str]:
        """What would flip each difference in net value, and when it pays, in sentences."""
        word = period_word(self.scenarios[0]) if self.scenarios else "period"
        return verdicts(self.breakeven, self.payback, word, self.currency)


def pairs_of(names: Sequence[str], all_pairs: bool = False) -> list[tuple[str, str]]:
    """(treatment, reference) pairs: each scenario against the first, or every pair."""
    if all_pairs:
        return [(names[j], names[i]) for i in range(len(names)) for j in range(i + 1, len(names))]
    return [(name, names[0]) for name in names[1:]]


def label(metric: str) -> str:
    """A metric in words: the market's (``net value``) or a firm's (``leader's net value``)."""
    return METRICS.get(metric) or words(metric)


def sentence(
    treatment: str,
    reference: str,
    metric: str,
    est: Estimate,
    level: float,
    currency: str | None = None,
) -> str:
    """One plain sentence for one paired difference (money in whole units of ``currency``)."""
    what = label(metric)
    # a share moves in percentage points, already said; a relative change of it reads "+0.0%"
    shown = level == level and not num.is_share(metric)  # NaN-safe
    relative = f" ({level:+.1%})" if shown else ""
    if est.n < 2:
        return (
            f"{treatment} changes {what} by {num.amount(metric, est.mean, currency)} over "
            f"{reference} (one replication: no confidence interval)."
        )
    if not est.excludes_zero:
        return (
            f"{treatment} changes {what} by {num.amount(metric, est.mean, currency)} "
            f"({num.interval(metric, est.low, est.high, currency)}) relative to "
            f"{reference}: not distinguishable from no change with {est.n} replications."
        )
    if est.mean > 0:
        return (
            f"{treatment} raises {what} by {num.amount(metric, est.mean, currency)} "
            f"({num.interval(metric, est.low, est.high, currency)}) over "
            f"{reference}{relative}."
        )
    return (
        f"{treatment} lowers {what} by {num.amount(metric, -est.mean, currency)} "
        f"({num.interval(metric, -est.high, -est.low, currency)}) relative to "
        f"{reference}{relative}."
    )


def difference_table(
    runs: PairedRuns,
    pairs: Sequence[tuple[str, str]],
    metrics: Sequence[str] = tuple(METRICS),
    currency: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Paired differences of every pair and metric, and their sentences (money in whole units
    of ``currency``)."""
    rows, sentences = [], []
    for treatment, reference in pairs:
        for metric in metrics:
            a, b = runs.values(treatment, metric), runs.values(reference, metric)
            est = paired_difference(a, b)
            base = float(b.mean()) if len(b) else float("nan")
            relative = est.mean / abs(base) if base else float("nan")
            rows.append(
                {"treatment": treatment, "reference": reference, "metric": metric}
                | est.as_dict()
                | {
                    "reference_mean": base,
                    "relative": relative,
                    "pairing_efficiency": pairing_efficiency(a, b),
                }
            )
            sentences.append(sentence(treatment, reference, metric, est, relative, currency))
    return pd.DataFrame(rows), sentences


def compare(
    scenarios: Sequence[Scenario],
    plan: RunPlan,
    all_pairs: bool = False,
    progress: bool = False,
) -> Comparison:
    """Run the scenarios with common random numbers and compare them pairwise.

    The plan's missing base seed and periods are the first scenario's.
    """
    if len(scenarios) < 2:
        raise CKMError("compare needs at least two scenarios")
    if plan.replications < 2:
        raise CKMError("compare needs at least 2 replications for a confidence interval")
    runs = run_paired(scenarios, plan, progress=progress)
    pairs = pairs_of(runs.names, all_pairs)
    currency = currency_of(scenarios)
    differences, sentences = difference_table(runs, pairs, currency=currency)
    per_firm = firm_metrics(scenarios)
    firms = list(common_firms(scenarios)) if per_firm else []
    if per_firm:  # every scenario has the same firms: each firm's differences too
        of_firms, _ = difference_table(runs, pairs, per_firm, currency)
        differences = pd.concat([differences, of_firms], ignore_index=True)
        sentences += firm_sentences(of_firms, firms, currency)
    found = []
    if runs.timeseries is not None:  # each firm's own payback too (docs/whatif.md)
        found = [p for firm in [None, *firms] for p in paybacks(runs, firm=firm)]
    by_name = dict(zip(runs.names, scenarios, strict=True))
    extra = {
        (t, r, firm): extra_spend(by_name[t], by_name[r], runs.periods, firm)
        for t, r in pairs
        for firm in [None, *firms]
    }
    return Comparison(
        runs,
        differences,
        sentences,
        list(scenarios),
        payback=found,
        breakeven=break_evens(runs, pairs, firms, extra),
    )


def firm_rows(c: Comparison) -> list[dict]:
    """Each scenario's firms: mean and CI of every per-firm metric (none with one firm)."""
    rows = []
    for firm in common_firms(c.scenarios):
        for scenario in c.runs.names:
            row: dict = {"scenario": scenario, "firm": firm}
            for metric in FIRM_METRICS:
                est = mean_ci(c.runs.values(scenario, f"{firm}.{metric}"))
                row[metric] = num.outcome_ci(metric, est.mean, est.low, est.high)
            rows.append(row)
    return rows


def _report_text(c: Comparison, name: str) -> str:
    runs = c.runs
    per_year = c.scenarios[0].economics.periods_per_year if c.scenarios else 12
    terms = terms_lines(c.scenarios, runs.names, runs.periods) if c.scenarios else []
    answers = ["## The answer", "", *[f"- {s}" for s in c.answers], ""] if c.answers else []
    word = period_word(c.scenarios[0]) if c.scenarios else "period"
    cur = c.currency
    money = money_words(c.scenarios[0]) if c.scenarios else cur

    def unit(metric: str, header: str) -> str:
        return f"{header} ({money})" if num.is_money(metric) else header

    assumed = [f"**Added spend.** {c.assumption}", ""] if c.assumption else []
    covered = ["## What the CIs cover", "", c.robust, ""] if c.robust else []
    flip = (
        [
            "## What would flip it: break-even cost and payback",
            "",
            "Beside each difference in net value: the multiplier on what the extra competence "
            "costs at which the difference changes sign (gross benefit difference / "
            "competence cost difference, both discounted; delta-method 95% CI over the paired "
            "replications), and, against the first scenario, the payback month at today's "
            'cost (docs/whatif.md, "Break-even").'
            + (
                " In a market of firms, each firm on its own net value and costs."
                if any(b.firm for b in c.breakeven)
                else ""
            ),
            "",
            *[f"- {s}" for s in c.verdicts()],
            "",
        ]
        if c.breakeven
        else []
    )
    payback = (
        [
            "## When it pays back",
            "",
            "The first period from which the cumulative paired difference in net value (each "
            f"scenario minus {c.payback[0].reference}; in a market of firms also each firm's own) "
            "stays positive to the horizon; the 95% CI inverts the pointwise 95% band of that "
            "difference (docs/whatif.md).",
            "",
            *[f"- {s}" for s in payback_lines(c.payback, word, cur)],
            "",
        ]
        if c.payback
        else []
    )
    summary_rows = []
    for scenario in runs.names:
        row: dict = {"scenario": scenario}
        for metric in METRICS:
            est = mean_ci(runs.values(scenario, metric))
            row[metric] = num.outcome_ci(metric, est.mean, est.low, est.high)
        retention = runs.values(scenario, "mean_retention_rate").mean()
        row["retention per year"] = f"{annual_retention(retention, per_year):.1%}"
        summary_rows.append(row)
    firms = firm_rows(c)
    each_firm = (
        [
            "## Each firm",
            "",
            md.table(
                firms,
                {"scenario": "scenario", "firm": "firm"}
                | {m: unit(m, words(m)) for m in FIRM_METRICS},
            ),
            "Mean over replications with 95% bands, per scenario and firm:",
            "",
            "![each firm](firms.png)",
            "",
        ]
        if firms
        else []
    )
    diff_rows = [
        {
            "pair": f"{r.treatment} - {r.reference}",
            "metric": unit(r.metric, label(r.metric)).replace(f" ({money})", f" ({cur})"),
            "difference": num.whole(r.mean) if num.is_money(r.metric) else r.mean,
            "95% CI": (
                f"{num.whole(r.low)} to {num.whole(r.high)}"
                if num.is_money(r.metric)
                else f"{num.number(r.low)} to {num.number(r.high)}"
            ),
            "relative": f"{r.relative:+.1%}",
            "pairing gain": r.pairing_efficiency,
        }
        for r in c.differences.itertuples()
    ]
    return "\n".join(
        [
            f"# Comparison: {name}",
            "",
            f"{len(runs.names)} scenarios, {runs.replications} replications each, "
            f"{runs.periods} periods; replication r uses the same seed in every scenario "
            f"(common random numbers, base seed {runs.base_seed}).",
            "",
            conventions_note(
                "residual" if v else "horizon" for v in runs.summaries["residual_value_counted"]
            ),
            "",
            *terms,
            "",
            *answers,
            *assumed,
            *covered,
            *flip,
            *payback,
            "## In plain words",
            "",
            *[f"- {s}" for s in c.sentences],
            "",
            "## Paired differences",
            "",
            "Mean over replications of (treatment - reference), with a 95% t confidence "
            "interval. *Pairing gain*: how many times smaller the variance of the difference is "
            "thanks to common random numbers.",
            "",
            md.table(
                diff_rows,
                {k: k for k in diff_rows[0]} if diff_rows else None,
            ),
            "## Each scenario",
            "",
            md.table(
                summary_rows,
                {"scenario": "scenario"}
                | {m: unit(m, METRICS[m]) for m in METRICS}
                | {"retention per year": f"retention per year (mean rate ^ {per_year})"},
            ),
            *each_firm,
            "## Time paths",
            "",
            "Mean over replications with 95% bands:",
            "",
            "![time paths](paths.png)",
            "",
            f"Differences from {c.differences['reference'].iloc[0]} (paired, 95% bands):",
            "",
            "![differences](differences.png)",
            "",
            "Files: `summaries.parquet` (one row per run), `timeseries.parquet` (with each "
            "firm's series in a multi-firm market), "
            "`differences.csv`, `comparison.json`.",
            "",
        ]
    )


def write_report(c: Comparison, out: Path, name: str) -> Path:
    """Write the report, figures and tables of a comparison under ``out``; return the report."""
    runs = c.runs
    try:
        write_parquet(out / "summaries.parquet", runs.summaries)
        write_with(out / "differences.csv", lambda tmp: c.differences.to_csv(tmp, index=False))
        write_json(
            out / "comparison.json",
            {
                "scenarios": runs.names,
                "replications": runs.replications,
                "periods": runs.periods,
                "base_seed": runs.base_seed,
                "sentences": c.sentences,
                "answers": c.answers,
                "payback": [p.as_dict() for p in c.payback],
                "breakeven": [b.as_dict() for b in c.breakeven],
                "verdicts": c.verdicts(),
                "added_spend": c.assumption,
                "seed_noise_only": c.robust,
                "currency": c.currency,
                "differences": c.differences.to_dict(orient="records"),
            },
        )
        if runs.timeseries is not None:
            write_parquet(out / "timeseries.parquet", runs.timeseries)
            paths = band(runs.timeseries, ["scenario", "period"], list(PATHS))
            order = list(dict.fromkeys(runs.timeseries["scenario"]))  # one colour each, everywhere
            plot_bands(
                paths, out / "paths.png", title=f"{name}: mean with 95% band", colour_order=order
            )
            firms = firm_series(runs.timeseries, common_firms(c.scenarios))
            if len(firms):
                paths = band(firms, ["group", "period"], [m for m in FIRM_PATHS if m in firms])
                title = f"{name}: each firm, mean with 95% band"
                plot_bands(paths, out / "firms.png", FIRM_PATHS, hue="group", title=title)
            reference = c.differences["reference"].iloc[0]
            diffs = paired_series(runs, reference, list(PATHS))
            plot_bands(
                band(diffs, ["scenario", "period"], list(PATHS)),
                out / "differences.png",
                title=f"difference from {reference} (paired, 95% band)",
                zero_line=True,
                colour_order=order,
            )
        report = write_text(out / "report.md", _report_text(c, name))
        page = compare_summary(
            runs.names,
            c.sentences,
            c.answers,
            runs.replications,
            runs.periods,
            name,
            out,
            verdicts=c.verdicts(),
            assumption=c.assumption,
            robust=c.robust,
        )
        write_summary(page, out)
        return report
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {out}") from None
