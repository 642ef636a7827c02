"""The game's screens as plain HTML: a team's firm, the market shares, the leaderboard, the
round's status and the debrief (what each team spent per round, what it got, which knowledge
flows it fed). Every table carries ``data-*`` attributes that the browser tests read.
"""

from __future__ import annotations

import math
from html import escape

from ckm_sim.dashboard.notes import format_value, measure
from ckm_sim.game import budget
from ckm_sim.game.debrief import SHORT, TEAM_COLOURS, currency
from ckm_sim.game.engine import Game
from ckm_sim.model.outcomes import BY_NAME, FIRM_SERIES
from ckm_sim.model.scenario import DIMENSIONS
from ckm_sim.reports.numbers import is_money, money

#: A team's own figures, in this order.
TEAM_FIGURES: tuple[str, ...] = (
    "net_value",
    "market_share",
    "retention_rate",
    "mean_satisfaction",
    "clv",
    "investment_cost",
)
#: One measure per knowledge flow, for the debrief (per-period means over the round).
FLOW_MEASURES: tuple[tuple[str, str], ...] = (
    ("ABOUT", "about_captures"),
    ("FROM", "from_to_product"),
    ("FOR", "for_tailored_lessons"),
)
#: Shares of the market (a per-firm outcome, not in the single-firm registry): in percent.
PERCENT = {"market_share"}


def team_label(team: str) -> str:
    """``Red``, in the team's colour."""
    colour = TEAM_COLOURS.get(team, "#263238")
    return f"<b class='ckm-team' style='color:{colour}'>{escape(team.capitalize())}</b>"


def value(name: str, x: float | None) -> str:
    """A figure as the screens show it (shares in %, money whole; "–" if not measured)."""
    if name in PERCENT:
        return "–" if x is None or x != x else f"{100 * x:.1f} %"
    return format_value(name, x)


def label(name: str) -> str:
    """The figure's label (the outcome registry's, or the market share's)."""
    if name == "market_share":
        return "Market share"
    return measure(name).label if name in BY_NAME else name.replace("_", " ").capitalize()


def meaning(name: str) -> str:
    """The figure's one-line meaning, as one firm's figure (the per-firm registry's)."""
    if name in FIRM_SERIES:
        return FIRM_SERIES[name]
    return measure(name).meaning if name in BY_NAME else ""


def status_html(game: Game) -> str:
    """The round, the market's month and who has submitted; the timer if one runs."""
    s = game.settings
    if game.over:
        head = f"Game over · {s.rounds} rounds · month {game.period}"
    else:
        head = (
            f"Round {game.round_number} of {s.rounds} · months {game.period + 1}–"
            f"{game.period + s.periods_per_round}"
        )
    done = set(game.submitted())
    teams = " ".join(
        f"<span data-team='{t}' data-submitted='{'yes' if t in done else 'no'}'>"
        f"{team_label(t)} {'✓' if t in done else '…'}</span>"
        for t in game.teams
    )
    left = game.seconds_left()
    timer = "" if left is None else f" · <span data-figure='timer'>{math.ceil(left)} s left</span>"
    if game.paused:
        timer += " · <b class='ckm-paused' data-figure='paused'>Paused by the teacher</b>"
    return (
        f"<div class='ckm-status'><span data-figure='round'>{escape(head)}</span>{timer}"
        f"<div>Submitted: {teams}</div></div>"
    )


def firm_html(game: Game, team: str) -> str:
    """``team``'s own figures now, each with its meaning (money's label names the currency)."""
    now = game.latest(team)
    cur = currency(game)

    def named(n: str) -> str:
        return f"{label(n)} ({cur})" if is_money(n) else label(n)

    rows = "".join(
        f"<tr><td>{escape(named(n))}<div class='ckm-meaning'>{escape(meaning(n))}</div></td>"
        f"<td class='v' data-figure='{n}'>{value(n, now.get(n))}</td></tr>"
        for n in TEAM_FIGURES
    )
    return f"<table class='ckm-table' data-table='firm'>{rows}</table>"


def budget_title(game: Game) -> str:
    """``Your budget: 1,462 EUR per month`` (the team's form's title)."""
    return f"Your budget: {money(game.budget, currency(game))} per month"


def budget_rules_html(game: Game) -> str:
    """The rules of the budget, under the team's form's title: what the budget is, what a level
    costs and what happens to money not spent (docs/classroom.md, rule 3)."""
    cur = currency(game)
    today = " (what its competence costs it today)" if game.settings.budget is None else ""
    return (
        "<p class='ckm-rules' data-figure='budget-rules'>Each month your firm may spend up to "
        f"{escape(money(game.budget, cur))} on its CKM competence{today}. Each step of a "
        "level costs more than the last, and a level cannot exceed 1. Money you leave "
        "unassigned, or put beyond the cost of level 1, is not spent: your firm keeps it (it is "
        "not subtracted from net value), but it does not carry over to next year's budget.</p>"
    )


def spend_text(game: Game, levels: dict[str, float] | None) -> str:
    """`` · buys levels costing 1,200 EUR of 1,462 EUR per month`` under the team's form (empty
    while its shares cannot be read)."""
    if levels is None:
        return ""
    cur = currency(game)
    spent = budget.spend(levels, game.team_scenario)
    return f" · buys levels costing {money(spent, cur)} of {money(game.budget, cur)} per month"


def shares_html(game: Game) -> str:
    """Every team's market share now."""
    rows = "".join(
        f"<tr data-team='{t}'><td>{team_label(t)}</td>"
        f"<td class='v'>{value('market_share', game.latest(t).get('market_share'))}</td></tr>"
        for t in game.teams
    )
    return f"<table class='ckm-table' data-table='shares'>{rows}</table>"


def leaderboard_html(game: Game, upto: int | None = None) -> str:
    """The leaderboard: rank, team, net value, market share, retention, spend per month (at
    the end of round ``upto``; None: the last round played)."""
    cur = escape(currency(game))
    head = (
        f"<tr><th>#</th><th>Team</th><th>Net value ({cur})</th><th>Market share</th>"
        f"<th>Retention (last round)</th><th>CKM spend per month ({cur})</th></tr>"
    )
    rows = "".join(
        f"<tr data-team='{r['team']}'><td>{i}</td><td>{team_label(r['team'])}</td>"
        f"<td class='v'>{value('net_value', r['net_value'])}</td>"
        f"<td class='v'>{value('market_share', r['market_share'])}</td>"
        f"<td class='v'>{value('retention_rate', r['retention_rate'])}</td>"
        f"<td class='v'>{value('investment_cost', r['spend'])}</td></tr>"
        for i, r in enumerate(game.leaderboard(upto), start=1)
    )
    shown = len(game.rounds) if upto is None else upto
    return (
        f"<table class='ckm-table' data-table='leaderboard' data-upto='{shown}'>{head}{rows}"
        "</table>"
    )


def debrief_html(game: Game, rounds: tuple[int, ...] | None = None) -> str:
    """Per round (all, or those numbered ``rounds``) and team: the split (percent per
    dimension), what it spent per month, net value and share at the round's end, mean
    retention, and the knowledge flows it fed (round means of one measure per flow)."""
    played = [r for r in game.rounds if rounds is None or r.number in rounds]
    if not played:
        return "<p>No round played yet.</p>"
    teams = game.teams
    flows = "".join(f"<th title='{escape(label(n))}'>{f} flow</th>" for f, n in FLOW_MEASURES)
    dims = "".join(f"<th>{escape(SHORT[d])} %</th>" for d in DIMENSIONS)
    cur = escape(currency(game))
    head = (
        f"<tr><th>Round</th><th>Team</th>{dims}<th>Spend per month ({cur})</th>"
        f"<th>Net value ({cur})</th>"
        f"<th>Market share</th><th>Retention</th>{flows}</tr>"
    )
    rows = []
    for r in played:
        for t in teams:
            last = r.last(t)
            late = "" if t in r.submitted else " <span class='ckm-note'>(kept)</span>"
            shares = "".join(f"<td class='v'>{s}</td>" for s in r.splits[t].shares)
            fed = "".join(f"<td class='v'>{r.mean(t, n):.2f}</td>" for _, n in FLOW_MEASURES)
            rows.append(
                f"<tr data-round='{r.number}' data-team='{t}'><td>{r.number}</td>"
                f"<td>{team_label(t)}{late}</td>{shares}"
                f"<td class='v'>{value('investment_cost', r.spend[t])}</td>"
                f"<td class='v'>{value('net_value', last.get('net_value'))}</td>"
                f"<td class='v'>{value('market_share', last.get('market_share'))}</td>"
                f"<td class='v'>{value('retention_rate', r.mean(t, 'retention_rate'))}</td>"
                f"{fed}</tr>"
            )
    key = " · ".join(f"{f} flow: {escape(label(n))}" for f, n in FLOW_MEASURES)
    return (
        f"<table class='ckm-table' data-table='debrief'>{head}{''.join(rows)}</table>"
        f"<p class='ckm-note'>Flows are round means per month: {key}.</p>"
    )


def share_series(game: Game) -> dict[str, list[float]]:
    """Every team's market share per month, from month 0 (for the debrief chart)."""
    out: dict[str, list[float]] = {}
    for t in game.teams:
        series = [game.start[t].get("market_share", math.nan)]
        for r in game.rounds:
            series += [p.get("market_share", math.nan) for p in r.outcomes[t]]
        out[t] = series
    return out


def read_share(text: str) -> int | None:
    """A box's whole percent from 0 to 100, or None if the text is not one ("NaN", "-50",
    "150", "2.5"; an empty box is 0)."""
    text = str(text).strip()
    if not text:
        return 0
    if not text.isdigit() or len(text) > 3:
        return None
    share = int(text)
    return share if share <= 100 else None


def read_draft(draft: dict[str, str]) -> tuple[dict[str, int] | None, list[str]]:
    """The five boxes as a split (``dimension -> percent``), or None with what is wrong."""
    shares: dict[str, int] = {}
    problems = []
    for dim in DIMENSIONS:
        share = read_share(draft.get(dim, ""))
        if share is None:
            problems.append(f"{SHORT[dim]}: {str(draft.get(dim))[:12]!r} is not 0 to 100")
        else:
            shares[dim] = share
    return (None if problems else shares), problems


def split_text(shares: dict[str, int]) -> str:
    """A split in one line: ``Cooperation between departments 40 % · IT systems 60 %``."""
    parts = [f"{SHORT[d]} {shares[d]} %" for d in DIMENSIONS if shares.get(d)]
    return " · ".join(parts) if parts else "nothing on any dimension"
