"""Figure ``competition_checks``: docs/validation.md 11's three checks of several firms in one
market, symmetry, share shift and one-firm recovery (``benchmarks/competition_checks.py``, 20
seeds on the tests' small market). The sentences under the tables are checked here: the script
stops if a direction the section's prose relies on no longer holds."""

from __future__ import annotations

import textwrap

import blocks  # docs/figures/blocks.py: on the path when make.py runs a figure
import numpy as np

DOC = "docs/validation.md"
SEEDS = 20
LABELS = {
    "a.final_market_share": "raising firm's final market share",
    "b.final_active_customers": "rival's active customers at the horizon",
    "a.clv": "raising firm's CLV",
    "b.clv": "rival's CLV",
    "mean_retention_rate": "mean retention rate",
    "mean_satisfaction": "mean satisfaction",
    "mean_perceived_value": "mean perceived value",
    "offer_fit": "offer fit",
    "code_accuracy": "code accuracy",
    "employee_accuracy": "employee accuracy",
    "clv": "CLV",
    "final_active_customers": "active customers at the horizon",
}


def _pm(mean: float, se: float, digits: int) -> str:
    return f"{mean:+.{digits}f} ± {se:.{digits}f}".replace("-", "\u2212")


def _plain(mean: float, se: float, digits: int) -> str:
    return _pm(mean, se, digits).lstrip("+")


def block() -> str:
    """The symmetry sentence, the share-shift table and the recovery table."""
    got = blocks.benchmark("competition_checks").checks(range(SEEDS))
    mean, se = got["symmetry"]["a.final_market_share"]
    symmetry = (
        f"**Symmetry** ({SEEDS} seeds): the first of two like firms ends with a market share of "
        f"{_plain(mean, se, 4)} (mean ± SE), {abs(mean - 0.5) / se:.1f} SE from one half."
    )
    lines = [
        textwrap.fill(symmetry, 100, break_on_hyphens=False),
        "",
        f"**Share shift** (paired differences, mean ± SE over {SEEDS} seeds):",
        "",
        "| outcome | paired difference |",
        "|---|---|",
    ]
    for key, (m, s) in got["shift"].items():
        digits = 4 if "share" in key else 1
        lines.append(f"| {LABELS[key]} | {_pm(m, s, digits)} |")
    lines += [
        "",
        f"**One-firm recovery** ({SEEDS} seeds each; difference in SE of the difference):",
        "",
        "| outcome | one firm alone | against a rival that never learns | difference |",
        "|---|---|---|---|",
    ]
    for key, (one, e1) in got["alone"].items():
        two, e2 = got["against"][key]
        digits = 1 if key in ("clv", "final_active_customers") else 4
        z = (two - one) / float(np.hypot(e1, e2))
        diff = f"{two - one:+.{digits}f} ({z:+.1f} SE)".replace("-", "\u2212")
        lines.append(
            f"| {LABELS[key]} | {_plain(one, e1, digits)} | {_plain(two, e2, digits)} | {diff} |"
        )
    lines += ["", checked_sentences(got)]
    return "\n".join(lines)


#: The firm's own dynamics, which the one-firm recovery compares: the benchmark's recovered
#: outcomes less the market's (what the firm wins and loses across it).
OWN = tuple(
    k
    for k in blocks.benchmark("competition_checks").RECOVERED
    if k not in ("clv", "final_active_customers")
)


def checked_sentences(got: dict[str, dict[str, tuple[float, float]]]) -> str:
    """What section 11's prose relies on, asserted (3 SE, as the tests) before it is written."""
    shift = got["shift"]
    share, rival = shift["a.final_market_share"], shift["b.final_active_customers"]
    # the raising firm gains share at its rival's expense, and the rival's base shrinks
    assert share[0] - 3 * share[1] > 0 and rival[0] + 3 * rival[1] < 0, (share, rival)
    # its mean CLV does not rise (more late arrivals, each with little horizon left)
    clv = shift["a.clv"]
    assert clv[0] - 3 * clv[1] <= 0, clv
    z = {}
    for key in got["alone"]:
        (one, e1), (two, e2) = got["alone"][key], got["against"][key]
        z[key] = (two - one) / float(np.hypot(e1, e2))
    # what the firm wins across the market is not recovered: more customers, a lower mean CLV
    assert z["final_active_customers"] > 3 and z["clv"] < -3, z
    within = [LABELS[k] for k in OWN if abs(z[k]) <= 3]
    beyond = [LABELS[k] for k in OWN if abs(z[k]) > 3]
    recovered = (
        f"Of the firm's own dynamics, {_words(within)} {'is' if len(within) == 1 else 'are'} "
        "recovered within 3 SE of the one-firm run"
        if within
        else "None of the firm's own dynamics is recovered within 3 SE of the one-firm run"
    )
    if beyond:
        recovered += f", and {_words(beyond)} {'is' if len(beyond) == 1 else 'are'} not"
    return textwrap.fill(
        "Checked by the script (3 SE): the raising firm gains share and its rival's base shrinks; "
        "the raising firm's mean CLV does not rise. "
        f"{recovered}. Across the market the firm against a rival ends with more customers and a "
        "lower mean CLV.",
        100,
        break_on_hyphens=False,
    )


def _words(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
