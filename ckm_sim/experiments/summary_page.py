"""The one-page meeting summary (``summary.html``) of a sweep: which design point gives the
highest mean of each reported outcome (with its 95% CI), the report's first figure, whether the
replications suffice, and the caveats; rendered by :mod:`ckm_sim.reports.html_summary`."""

from __future__ import annotations

from pathlib import Path

from ckm_sim.experiments.analysis import Analysis
from ckm_sim.experiments.sensitivity_words import src_sentences
from ckm_sim.reports import numbers as num
from ckm_sim.reports.html_summary import MODEL_CAVEAT, Summary


def best_point_sentence(a: Analysis, outcome: str) -> str:
    """Where ``outcome``'s point mean is highest, with its 95% CI, in a sentence."""
    stats = a.points[a.points["outcome"] == outcome].dropna(subset=["mean"])
    if stats.empty:
        return f"{outcome}: no finished run yet."
    row = stats.loc[stats["mean"].idxmax()]
    point = int(row["point"])
    where = ", ".join(f"{k} = {num.number(v)}" for k, v in a.design.params(point).items())
    return (
        f"{outcome} is highest at point {point} ({where}): "
        f"{num.ci(row['mean'], row['low'], row['high'])}, over {int(row['n'])} replication(s)."
    )


def sweep_summary(a: Analysis, figures: dict[str, Path | None], adequacy: str) -> Summary:
    """The page of a sweep; ``figures``: the report's figures by title (the first drawn is
    shown); ``adequacy``: the report's sentence on whether the replications suffice."""
    shown = next((p for p in figures.values() if p is not None), None)
    factors = ", ".join(a.design.factors) or "the design points"
    details = [best_point_sentence(a, o) for o in a.outcomes[1:]]
    if a.regression is not None:
        details += src_sentences(a.regression)
    caveats = [adequacy, *a.notes]
    if a.runs_failed:
        caveats.append(f"{a.runs_failed} of {a.runs_done} runs failed and are left out.")
    if a.runs_done < a.runs_total:
        caveats.append(f"Only {a.runs_done} of {a.runs_total} runs are finished (--resume).")
    caveats.append(MODEL_CAVEAT)
    return Summary(
        title=f"sweep: {a.exp.name}",
        question=f"How do {factors} move {', '.join(a.outcomes)} "
        f"({a.exp.design.method}, {a.design.size} points x {a.exp.replications} replications)?",
        answer=best_point_sentence(a, a.outcomes[0]),
        figure=shown,
        details=details,
        caveats=caveats,
    )
