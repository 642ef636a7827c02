"""The one-page meeting summary (``summary.html``) of ``compare``, ``optimize`` and
``calibrate``: the question each answered, the answer in a sentence, its figure, the estimates
with their CIs and the caveats, taken from the sentences their reports already write and
rendered by :mod:`ckm_sim.reports.html_summary`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ckm_sim.reports import numbers as num
from ckm_sim.reports.html_summary import MODEL_CAVEAT, Summary

if TYPE_CHECKING:
    from ckm_sim.model.scenario import Scenario
    from ckm_sim.whatif.calibrate.fit import Calibration
    from ckm_sim.whatif.optimize.budget import Optimum


def _warnings(lines: list[str]) -> tuple[list[str], list[str]]:
    """``lines`` split into findings and warnings (lines starting with "Warning")."""
    warned = [s for s in lines if s.startswith("Warning")]
    return [s for s in lines if s not in warned], warned


def compare_summary(
    names: list[str],
    sentences: list[str],
    answers: list[str],
    replications: int,
    periods: int,
    name: str,
    out: Path,
    verdicts: Sequence[str] = (),
    assumption: str = "",
    robust: str = "",
) -> Summary:
    """The page of a comparison of ``names`` (the first the reference): its answer (a spend
    question's ``answers``, else the first pair's net value sentence), what would flip each
    difference (``verdicts``: break-even cost and payback) first among the details, the paired
    differences figure, how added spend was assumed to become competence, and what the CIs
    cover (``robust``: seed noise only, and the command that tests the answer across worlds)."""
    reference, others = names[0], names[1:]
    if answers:
        question = f"Which of the added spends on {reference} pays best?"
    else:
        verb = "replaces" if len(others) == 1 else "replace"
        question = f"What changes when {', '.join(others)} {verb} {reference}?"
    every = [*answers, *sentences]
    net = [s for s in sentences if "net value" in s]
    answer = answers[0] if answers else (net[0] if net else every[0])
    figure = out / "differences.png"
    return Summary(
        title=f"compare: {name}",
        question=question,
        answer=answer,
        figure=figure if figure.exists() else out / "paths.png",
        details=[*verdicts, *(s for s in every if s != answer)],
        caveats=[
            *([assumption] if assumption else []),
            f"{replications} replications of {periods} periods per scenario; replication r "
            "runs on the same seed in every scenario, so differences are paired.",
            "A 95% CI that includes 0 means no difference can be told at this number of "
            "replications (add --replications).",
            *([robust] if robust else []),
            MODEL_CAVEAT,
        ],
    )


def optimize_summary(
    opt: Optimum, scenario: Scenario, lines: list[str], word: str, out: Path, robust: str = ""
) -> Summary:
    """The page of a budget optimisation: the best split, its gain over the even split, the
    allocation figure; the verdict's warnings and what the CIs cover (``robust``) as caveats."""
    whose = "" if opt.firm is None else f" by {opt.firm}"
    findings, warned = _warnings(lines)
    return Summary(
        title=f"optimize: {scenario.name}",
        question=f"How should a budget of {num.money(opt.budget, scenario.economics.currency)} "
        f"a {word} be split across "
        f"the competence dimensions{whose} to raise net value most?",
        answer=findings[0],
        figure=out / "allocation.png",
        details=findings[1:],
        caveats=[
            *warned,
            f"Searched on {opt.replications} replication(s) per trial; the best and the even "
            f"split are re-evaluated on {opt.eval_replications} fresh replications.",
            *([robust] if robust else []),
            MODEL_CAVEAT,
        ],
    )


def calibrate_summary(
    c: Calibration, scenario: Scenario, source: str, lines: list[str], out: Path
) -> Summary:
    """The page of a calibration: the fitted values, the fit's quality, the survival figure."""
    findings, warned = _warnings(lines)
    return Summary(
        title=f"calibrate: {scenario.name}",
        question=f"Which values of {', '.join(c.fitted)} make {scenario.name} reproduce the "
        f"observed retention in {source}?",
        answer=findings[0],
        figure=out / "survival.png",
        details=findings[1:],
        caveats=[
            *warned,
            f"The fit uses {c.replications} replication(s) per trial and "
            f"{c.eval_replications} fresh ones at the fitted values; a good fit to one curve "
            "does not show the fitted values are the true ones (several can fit as well).",
            MODEL_CAVEAT,
        ],
    )
