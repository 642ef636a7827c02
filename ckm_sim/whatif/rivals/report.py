"""The report of ``ckm-sim optimize --best-response-rounds``: the verdict (settled, cycle or
unsettled), a table of the rounds, each firm's final split, under one folder, every file
written atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ckm_sim.errors import output_error
from ckm_sim.io import write_json, write_text, write_with
from ckm_sim.model.outcomes import horizon_note
from ckm_sim.model.scenario import DIMENSIONS, Scenario
from ckm_sim.reports import markdown as md
from ckm_sim.reports import numbers as num
from ckm_sim.whatif.rivals.rounds import BestResponses, Move
from ckm_sim.whatif.shared.allocation import levels_for_spend
from ckm_sim.whatif.shared.terms import period_word

#: Short names of the dimensions in the tables.
SHORT = {
    "inter_functional_cooperation": "IFC",
    "organisational_systems": "org",
    "customer_cooperation": "cust",
    "it_systems": "IT",
    "learning_culture": "cult",
}


def _shares(split: np.ndarray, budget: float) -> str:
    return " / ".join(f"{x / budget:.0%}" for x in split)


def _gain(m: Move) -> str:
    return (
        "-" if m.gain is None else num.outcome_ci("net_value", m.gain.mean, m.gain.low, m.gain.high)
    )


def _holds_text(m: Move, tolerance: float) -> str:
    if not m.holds:
        return "no"
    return "yes (within tolerance)" if m.change <= tolerance else "yes (the move does not pay)"


def round_rows(br: BestResponses, currency: str = "EUR") -> list[dict]:
    """One row per firm and round, as the report's table shows it (money in whole units of
    ``currency``, named in the columns)."""
    return [
        {
            "round": m.round,
            "firm": m.firm,
            "shares": _shares(m.after, br.budgets[m.firm]),
            "largest change": f"{m.change:.0%}",
            f"net value ({currency})": "-"
            if m.value is None
            else num.outcome_ci("net_value", m.value.mean, m.value.low, m.value.high),
            f"gain over its previous split ({currency})": _gain(m),
            "holds": _holds_text(m, br.tolerance),
        }
        for m in br.moves
    ]


def findings(br: BestResponses, scenario: Scenario) -> list[str]:
    """The verdict and each firm's last split, in plain words (money in the scenario's
    currency, whole units)."""
    word = period_word(scenario)
    currency = scenario.economics.currency
    out = [br.sentence()]
    for firm, split in br.final.items():
        levels = levels_for_spend(scenario, split, firm)
        parts = ", ".join(
            f"{d} {num.money(float(s), currency)} (level {lv:.2f})"
            for d, s, lv in zip(DIMENSIONS, split, levels, strict=True)
        )
        out.append(
            f"{firm} ends with {parts}, of a budget of "
            f"{num.money(br.budgets[firm], currency)} a {word}."
        )
    return out


def _text(br: BestResponses, scenario: Scenario, lines: list[str], meta: dict) -> str:
    currency = scenario.economics.currency
    budgets = ", ".join(f"{f} {num.money(b, currency)}" for f, b in br.budgets.items())
    order = " / ".join(SHORT[d] for d in DIMENSIONS)
    return "\n".join(
        [
            f"# Best responses: {scenario.name}",
            "",
            f"Firms {', '.join(br.firms)} take turns, in that order, each spending its own budget "
            f"per {period_word(scenario)} ({budgets}) across the five dimensions through its own "
            "cost curve to maximise its own net value, while the others keep their current "
            f"splits. {meta['periods']} periods; each best response is a budget search of "
            f"{meta['restarts']} x {meta['trials']} trials on {meta['replications']} "
            f"replications, checked on {meta['eval_replications']} fresh ones (common random "
            "numbers).",
            "",
            horizon_note(scenario.economics.horizon_value),
            f"Money is in {currency}, in whole units; net value is discounted to "
            f"{period_word(scenario)} 0.",
            "",
            "## Findings",
            "",
            *[f"- {s}" for s in lines],
            "",
            "## Rounds",
            "",
            f"Shares of the budget in the order {order}. A split *holds* when no dimension's "
            f"spend moved by more than {br.tolerance:.0%} of the budget since the firm's previous "
            "split (before round 1: its current split, its scenario levels' costs scaled to the "
            "budget), or when the new split does not "
            "beat the previous one outside the paired 95% CI (*gain*, on the fresh seeds, the "
            "others at their current splits). The game settles in the first round in which "
            "every split holds; it cycles when the splits return within the tolerance to "
            "those of an earlier round.",
            "",
            md.table(round_rows(br, currency)),
            "Files: `rounds.csv` (spend per dimension, change, gain and its CI per firm and "
            "round), `best_responses.json`.",
            "",
        ]
    )


def write_report(
    br: BestResponses, scenario: Scenario, out: Path, meta: dict
) -> tuple[Path, list[str]]:
    """Write the report, ``rounds.csv`` and ``best_responses.json`` under ``out``; return the
    report's path and the findings. ``meta``: periods, trials, restarts, replications,
    eval_replications (for the header)."""
    lines = findings(br, scenario)
    table = br.table(DIMENSIONS)
    try:
        write_with(out / "rounds.csv", lambda tmp: table.to_csv(tmp, index=False))
        write_json(
            out / "best_responses.json",
            {
                "scenario": scenario.name,
                "firms": list(br.firms),
                "budgets": br.budgets,
                "tolerance": br.tolerance,
                "status": br.status,
                "rounds_played": br.rounds_played,
                "cycle_length": br.cycle_length,
                "start": {f: s.tolist() for f, s in br.start.items()},
                "final": {f: s.tolist() for f, s in br.final.items()},
                "rounds": table.to_dict(orient="records"),
                "findings": lines,
            }
            | meta,
        )
        report = write_text(out / "report.md", _text(br, scenario, lines, meta))
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {out}") from None
    return report, lines
