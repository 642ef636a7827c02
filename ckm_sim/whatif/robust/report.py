"""The answer of a robustness study, and its report: ``report.md``, ``results.csv``,
``scores.csv``, ``flips.csv``, ``robustness.png`` and ``summary.html``.

:func:`analyse` turns the runs (:class:`~ckm_sim.whatif.robust.runs.StudyRuns`) into the
mean net value per world and alternative, the scores (:mod:`~ckm_sim.whatif.robust.scores`),
the flips (:mod:`~ckm_sim.whatif.robust.flips`) and the sentences the command prints;
:func:`write_report` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ckm_sim.io import write_text
from ckm_sim.reports import numbers as num
from ckm_sim.reports.html_summary import MODEL_CAVEAT, Summary, write_summary
from ckm_sim.whatif.robust.assumptions import Assumptions
from ckm_sim.whatif.robust.figure import plot_robustness
from ckm_sim.whatif.robust.flips import MIN_WORLDS, Flip, flips, importance
from ckm_sim.whatif.robust.runs import StudyRuns
from ckm_sim.whatif.robust.scores import scores, winners, world_means
from ckm_sim.whatif.robust.worlds import WORLD

#: The files a robustness study writes beside its runs (``ckm-sim robust --help`` lists them).
FILES = ("report.md", "results.csv", "scores.csv", "flips.csv", "robustness.png", "summary.html")


@dataclass
class Robustness:
    """A robustness study's answer: per-world means, winners, scores, flips and sentences."""

    runs: StudyRuns
    assumptions: Assumptions
    values: pd.DataFrame  # mean net value, one row per world, one column per alternative
    best: pd.Series  # the best alternative in each world
    table: pd.DataFrame  # scores, one row per alternative
    flips: list[Flip]
    order: list[str]  # the worlds' parameters, most important first
    currency: str
    word: str  # what a period is ("month")
    lines: list[str] = field(default_factory=list)

    @property
    def answer(self) -> str:
        """The alternative best in most worlds."""
        return str(self.table.sort_values("share_best", ascending=False, kind="stable").iloc[0, 0])


def _share(x: object, low: object, high: object) -> str:
    return f"{float(x):.0%} (95% CI {float(low):.0%} to {float(high):.0%})"  # type: ignore[arg-type]


def sentences(r: Robustness) -> list[str]:
    """The findings in words: the answer, each alternative's regret and satisficing, the flips."""
    t = r.table.set_index("alternative")
    n = len(r.values)
    first = r.runs.alternatives[0]
    best = r.answer
    row = t.loc[best]
    lines = [
        f"{best} is best in net value in {int(row.worlds_best)} of {n} worlds: "
        f"{_share(row.share_best, row.best_low, row.best_high)}."
    ]
    for name, s in t.iterrows():
        text = (
            f"{name}: best in {_share(s.share_best, s.best_low, s.best_high)} of worlds; "
            f"regret (net value short of the best alternative in a world) "
            f"{num.money(float(s.expected_regret), r.currency)} on average, "
            f"{num.money(float(s.worst_regret), r.currency)} at worst"
        )
        if name != first:
            text += (
                f"; beats {first} (pays back within the {r.runs.periods}-{r.word} horizon) in "
                f"{_share(s.beats_first, s.beats_low, s.beats_high)} of worlds"
            )
        lines.append(text + ".")
    if len(r.values) < MIN_WORLDS:
        lines.append(
            f"Too few worlds ({n}) to say when the answer flips: scenario discovery needs at "
            f"least {MIN_WORLDS} (add --worlds)."
        )
    elif not r.flips:
        others = n - int(row["worlds_best"])
        lines.append(
            f"The answer does not flip in these worlds: {best} is best in every one of them."
            if others == 0
            else f"No other alternative wins often enough ({others} of {n} worlds) to say when."
        )
    lines += [f.sentence() + "." for f in r.flips]
    return lines


def analyse(runs: StudyRuns, assumptions: Assumptions, currency: str, word: str) -> Robustness:
    """The scores, winners and flips of ``runs`` (net value at the horizon, per world)."""
    values = world_means(runs.runs, runs.alternatives)
    best = winners(values)
    table = scores(values)
    x = runs.worlds.set_index(WORLD).loc[values.index]
    found = flips(x, best)
    top = str(table.sort_values("share_best", ascending=False, kind="stable").iloc[0, 0])
    others = values.drop(columns=[top])
    lead = values[top] - (others.max(axis=1) if len(others.columns) else 0.0)
    order = importance(x, lead, found) if len(values) > 2 else list(x.columns)
    result = Robustness(runs, assumptions, values, best, table, found, order, currency, word)
    result.lines = sentences(result)
    return result


def _flips_table(found: list[Flip]) -> pd.DataFrame:
    rows = [
        {
            "alternative": f.alternative,
            "answer": f.answer,
            "worlds_won": f.wins,
            "worlds": f.worlds,
            "conditions": f.conditions(),
            "density": f.density,
            "coverage": f.coverage,
            "mass": f.mass,
        }
        for f in found
    ]
    columns = ["alternative", "answer", "worlds_won", "worlds", "conditions", "density"]
    return pd.DataFrame(rows, columns=[*columns, "coverage", "mass"])


def _markdown(r: Robustness, name: str) -> str:
    runs = r.runs
    t = r.table
    rows = [
        "| alternative | best in (95% CI) | expected regret | worst regret | beats "
        f"{runs.alternatives[0]} (95% CI) | mean net value |",
        "|---|---|---|---|---|---|",
    ]
    for s in t.itertuples():
        beats = "" if s.Index == 0 else _share(s.beats_first, s.beats_low, s.beats_high)
        rows.append(
            f"| {s.alternative} | {_share(s.share_best, s.best_low, s.best_high)} | "
            f"{num.money(float(s.expected_regret), r.currency)} | "
            f"{num.money(float(s.worst_regret), r.currency)} | {beats} | "
            f"{num.money(float(s.mean_value), r.currency)} |"
        )
    ranges = ["| parameter | low | high | scale |", "|---|---|---|---|"]
    for key, rng in r.assumptions.parameters.items():
        scale = "log" if rng.log else "linear"
        ranges.append(f"| `{key}` | {rng.low:g} | {rng.high:g} | {scale} |")
    failed = (
        f" {runs.failed} run(s) failed; worlds with a failed run are left out."
        if runs.failed
        else ""
    )
    return "\n".join(
        [
            f"# Robustness: {name}",
            "",
            f"Which of {', '.join(runs.alternatives)} gives the most net value, across "
            f"{len(runs.worlds)} plausible worlds drawn from `{r.assumptions.source}`?",
            "",
            f"**{r.lines[0]}**",
            "",
            "## Alternatives across worlds",
            "",
            *rows,
            "",
            *(f"- {line}" for line in r.lines[1 : 1 + len(t)]),
            "",
            "## When the answer flips",
            "",
            *(f"- {line}" for line in r.lines[1 + len(t) :]),
            "",
            "Found by PRIM (EMA Workbench) on the worlds' parameters: *density* is the share of "
            "worlds inside the box where the alternative wins, *coverage* the share of the "
            "worlds it wins that lie inside the box (`flips.csv`).",
            "",
            "![robustness](robustness.png)",
            "",
            "## The worlds",
            "",
            f"{len(runs.worlds)} worlds, a Latin hypercube over these ranges (seed "
            f"{runs.worlds.attrs.get('seed', r.assumptions.seed)}; `worlds.csv`); each "
            f"alternative runs {runs.replications} replication(s) of {runs.periods} "
            f"{r.word}s in every world, replication r on the same seed in every world and "
            f"alternative (base seed {runs.base_seed}).{failed}",
            "",
            *ranges,
            "",
            "## How to read this",
            "",
            "- A world's winner is the alternative with the highest mean net value over its "
            "replications there; where two alternatives are close, seed noise can decide it "
            "(add --replications).",
            "- The share of worlds depends on the ranges: it is a share of *these* plausible "
            "worlds, each equally likely, not a probability about the real firm.",
            "- Regret is what choosing the alternative costs, in net value, against the best "
            "choice had the world been known.",
            f"- {MODEL_CAVEAT}",
            "",
            "Files: `results.csv` (one row per world, alternative and replication), "
            "`scores.csv`, `flips.csv`, `worlds.csv`, `robustness.png`, `summary.html`; the "
            "runs are under `alternatives/` (one sweep folder per alternative).",
            "",
        ]
    )


def write_report(r: Robustness, out: Path, name: str) -> Path:
    """Write the study's report, tables, figure and one-page summary under ``out``."""
    write_text(out / "results.csv", r.runs.runs.to_csv(index=False))
    write_text(out / "scores.csv", r.table.to_csv(index=False))
    write_text(out / "flips.csv", _flips_table(r.flips).to_csv(index=False))
    x = r.runs.worlds.set_index(WORLD).loc[r.values.index]
    figure = plot_robustness(
        r.table, x, r.best, r.order, r.flips, out / "robustness.png", f"robust: {name}"
    )
    write_summary(
        Summary(
            title=f"robust: {name}",
            question=f"Which of {', '.join(r.runs.alternatives)} gives the most net value "
            f"across {len(r.runs.worlds)} plausible worlds?",
            answer=r.lines[0],
            figure=figure,
            details=r.lines[1:],
            caveats=[
                f"Worlds drawn from {r.assumptions.source}; the shares are shares of these "
                "plausible worlds, not probabilities about a real firm.",
                f"{r.runs.replications} replication(s) of {r.runs.periods} {r.word}s per world "
                "and alternative, on the same seeds in every world and alternative.",
                MODEL_CAVEAT,
            ],
        ),
        out,
    )
    return write_text(out / "report.md", _markdown(r, name))
