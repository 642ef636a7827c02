"""Plain-language notes the dashboard shows: what each flow is, what each slider changes.

Every note names the mechanism rates of ckm_sim/model/levers.py (docs/ODD.md section 7.1) that the
slider moves, so a teacher can follow a note down to the equation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ckm_sim.model.outcomes import BY_NAME, OUTCOMES, in_area, labels


@dataclass(frozen=True)
class Flow:
    """One knowledge flow (or the outcomes it leads to) and the figures that measure it."""

    title: str
    note: str
    figures: tuple[str, ...]


FLOWS: tuple[Flow, ...] = (
    Flow(
        "Knowledge ABOUT customers (the firm learns)",
        "Service contacts reveal customers' needs. The serving employee may learn them and the "
        "CRM may record them in the customer's profile; colleagues, the shared code and "
        "analytical CRM spread what is known. Better profiles let the firm tailor its offer.",
        in_area("about", "dashboard"),
    ),
    Flow(
        "Knowledge FROM customers (feedback, co-creation)",
        "Satisfied, willing customers tell the firm what they need, straight to product "
        "development or through the front line. The product department moves the standard "
        "offer toward what it knows, so the offer fits needs better.",
        in_area("from", "dashboard"),
    ),
    Flow(
        "Knowledge FOR customers (the firm explains its offer)",
        "Broadcast messages reach everyone; tailored ones reach the customers served this "
        "period and help only as far as the firm knows them; customers also learn from each "
        "other in the community. A customer who knows the offer gets more value from it.",
        in_area("for", "dashboard"),
    ),
    Flow(
        "What it is worth (CRM performance)",
        "Fit and knowledge of the offer make perceived value; value above the competition's "
        "makes satisfaction; satisfaction lowers churn and brings word-of-mouth customers. "
        "Retention drives customer lifetime value (CLV) and customer equity; net value "
        "subtracts what the competence costs.",
        in_area("value", "dashboard"),
    ),
)

#: What the firms of a market with several compete for (docs/ODD.md 7.6), shown with them.
COMPETITION_NOTE = (
    "The firms sell to one market and compete for the same customers. A prospect who decides "
    "to buy chooses a firm by the value it expects from it: what neighbours who buy there say, "
    "and the firm's reputation as far as its messages reach. A customer who ends its "
    "relationship may switch to a rival instead of leaving the market, and loses what it had "
    "built up with its firm (its profile, what it understood of the offer). Each firm learns "
    "only from its own customers and employees."
)

#: What each dimension's slider changes in the model.
DIMENSION_NOTES: dict[str, str] = {
    "inter_functional_cooperation": (
        "More ties between departments, and knowledge crosses them more often (cross_tie_use); "
        "front-line staff pass customer feedback on to product development (relay_to_product); "
        "departments agree what goes into the shared code, so it learns faster."
    ),
    "organisational_systems": (
        "Rewards tied to satisfaction and knowledge sharing, not revenue alone: staff record "
        "more in the CRM (capture) and share more with colleagues; the firm tells better "
        "knowledge from worse (discernment) and adapts the offer faster."
    ),
    "customer_cooperation": (
        "Satisfied customers share more of their needs (feedback_willingness), more of it "
        "reaches product development directly (direct_channel), and customers teach each "
        "other the offer in the community (community_learning)."
    ),
    "it_systems": (
        "Contacts are recorded in the CRM (capture) and recorded right (capture_fidelity); "
        "profiles are used to personalise the offer and pooled by analytical CRM; the firm "
        "communicates its offer more. Without culture and rewards, much of it stays unused."
    ),
    "learning_culture": (
        "Employees take in what customers tell them (absorption), learn from colleagues and "
        "the shared code (peer learning, socialisation), and act on it: the offer adapts and "
        "personalisation uses the profiles. The platform the other four stand on."
    ),
}

#: What each market slider changes.
MARKET_NOTES: dict[str, str] = {
    "customers": "Customers active at the start (prospects scale with them).",
    "employees": "Staff, split evenly across the five departments.",
    "segments": "Groups of customers with shared needs; more segments, more to learn.",
    "turbulence": "Chance per period that a segment's need changes: what the firm knew goes stale.",
    "margin": "Money earned per active customer per period; scales CLV and equity, not behaviour.",
}


@dataclass(frozen=True)
class Measure:
    """How the dashboard shows one outcome: its label (the outcome registry's), the unit shown
    after the value, a one-line meaning, and its display kind.

    ``kind`` sets the format: ``share`` (a fraction shown in %), ``scale`` (0 to 1, two
    decimals), ``count``, ``money`` (whole money units) or ``rate`` (two decimals).
    """

    label: str
    unit: str
    meaning: str
    kind: str


#: The dashboard's unit, one-line meaning and display kind of each outcome it shows. A period
#: is a month; "money" is the scenario's currency (:func:`measure` names it; an active customer
#: earns the firm the margin, 10 by default, per month). Labels come from the outcome registry.
_DISPLAY: dict[str, tuple[str, str, str]] = {
    "retention_rate": ("per month", "of last month's customers stayed", "share"),
    "active_customers": ("", "buying from the firm now", "count"),
    "acquisitions": ("this month", "prospects who joined", "count"),
    "churned": ("this month", "customers who left", "count"),
    "mean_satisfaction": ("0-1", "0 unhappy, 1 delighted (active customers)", "scale"),
    "mean_perceived_value": ("0-1", "what the offer is worth to a customer", "scale"),
    "offer_fit": ("of needs", "segment needs the standard offer meets", "share"),
    "repository_accuracy": ("of needs", "customers' needs the CRM records right", "share"),
    "code_accuracy": ("of needs", "segment needs the firm's shared code knows", "share"),
    "employee_accuracy": ("of needs", "segment needs the average employee knows", "share"),
    "offer_knowledge": ("0-1", "how well customers know the offer", "scale"),
    "knowledge_from_customers": ("/ month", "needs customers told the firm", "rate"),
    "clv": ("money", "a customer's margins over its whole stay", "money"),
    "customer_equity": ("money", "all customers' CLV, in month-0 money", "money"),
    "investment_cost": ("money / month", "what the five dimensions cost", "money"),
    "net_value": ("money", "customer equity minus all CKM costs so far", "money"),
}
#: Outcomes that only a firm among several has (the registry's FIRM_SERIES, not a market
#: outcome): how the dashboard shows them.
FIRM_MEASURES: dict[str, Measure] = {
    "market_share": Measure(
        "Market share",
        "of customers",
        "of the market's active customers buy from the firm",
        "share",
    ),
}
#: The registry's units as display kinds, for an outcome the table above does not list.
_KINDS: dict[str, str] = {"share": "share", "count": "count", "money": "money", "items": "rate"}

#: Every outcome the dashboard shows.
MEASURES: dict[str, Measure] = {
    name: Measure(BY_NAME[name].label, *display) for name, display in _DISPLAY.items()
}


def measure(name: str, currency: str | None = None) -> Measure:
    """The outcome's measure; an outcome new to the dashboard takes the registry's label,
    meaning and unit. Given the scenario's ``currency``, money's unit names it (``EUR``,
    ``EUR / month``) instead of the generic "money"."""
    if name in MEASURES:
        found = MEASURES[name]
    elif name in FIRM_MEASURES:
        found = FIRM_MEASURES[name]
    else:
        outcome = BY_NAME.get(name)
        if outcome is None:
            return Measure(name.replace("_", " ").capitalize(), "", "", "rate")
        kind = _KINDS.get(outcome.unit, "rate")
        unit = "money" if kind == "money" else ""
        found = Measure(outcome.label, unit, outcome.series or "", kind)
    return with_currency(found, currency)


def with_currency(m: Measure, currency: str | None) -> Measure:
    """``m`` with its unit in ``currency`` when it is money (unchanged otherwise or without)."""
    if currency is None or m.kind != "money":
        return m
    return replace(m, unit=m.unit.replace("money", currency))


def currency_of(model: Any) -> str:
    """The currency of a dashboard model's scenario (``[economics] currency``)."""
    return str(model.scenario_config.economics.currency)


#: Short labels of the per-period outcomes (from the outcome registry).
LABELS: dict[str, str] = labels(list(OUTCOMES))


def format_value(name: str, value: float | None) -> str:
    """A figure as the dashboard shows it (without its unit): shares in %, money and counts
    whole, 0-1 scales with two decimals; "–" where there is nothing to measure yet."""
    if value is None or value != value:
        return "–"
    kind = measure(name).kind
    if kind == "share":
        return f"{100 * value:.1f} %"
    if kind in ("money", "count"):
        return f"{value:,.0f}"
    return f"{value:.2f}"


def format_difference(name: str, left: float | None, right: float | None) -> str:
    """``right - left`` with its sign: percentage points for shares, and for money and counts
    also the change relative to ``left``."""
    if left is None or right is None or left != left or right != right:
        return "–"
    diff, kind = right - left, measure(name).kind
    if kind == "share":
        return f"{100 * diff:+.1f} pts"
    if kind in ("money", "count"):
        relative = f" ({100 * diff / abs(left):+.0f} %)" if left else ""
        return f"{diff:+,.0f}{relative}"
    return f"{diff:+.2f}"
