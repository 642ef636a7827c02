"""Plain-language notes the dashboard shows: what each flow is, what each slider changes.

Every note names the mechanism rates of ckm_sim/model/levers.py (docs/ODD.md section 7.1) that the
slider moves, so a teacher can follow a note down to the equation.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        ("repository_accuracy", "employee_accuracy", "code_accuracy"),
    ),
    Flow(
        "Knowledge FROM customers (feedback, co-creation)",
        "Satisfied, willing customers tell the firm what they need, straight to product "
        "development or through the front line. The product department moves the standard "
        "offer toward what it knows, so the offer fits needs better.",
        ("knowledge_from_customers", "offer_fit"),
    ),
    Flow(
        "Knowledge FOR customers (the firm explains its offer)",
        "Broadcast messages reach everyone; tailored ones reach the customers served this "
        "period and help only as far as the firm knows them; customers also learn from each "
        "other in the community. A customer who knows the offer gets more value from it.",
        ("offer_knowledge",),
    ),
    Flow(
        "What it is worth (CRM performance)",
        "Fit and knowledge of the offer make perceived value; value above the competition's "
        "makes satisfaction; satisfaction lowers churn and brings word-of-mouth customers. "
        "Retention drives customer lifetime value (CLV) and customer equity; net value "
        "subtracts what the competence costs.",
        (
            "active_customers",
            "retention_rate",
            "mean_satisfaction",
            "mean_perceived_value",
            "clv",
            "customer_equity",
            "investment_cost",
            "net_value",
        ),
    ),
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
    """How the dashboard shows one outcome: label, unit, a one-line meaning and its kind.

    ``kind`` sets the format: ``share`` (a fraction shown in %), ``scale`` (0 to 1), ``count``,
    ``money`` (whole money units) or ``rate`` (two decimals).
    """

    label: str
    unit: str
    meaning: str
    kind: str


#: Every outcome the dashboard shows. A period is a month; money is in the model's money units
#: (an active customer earns the firm the margin, 10 by default, per month).
MEASURES: dict[str, Measure] = {
    "retention_rate": Measure(
        "Retention", "per month", "of last month's customers stayed", "share"
    ),
    "active_customers": Measure("Active customers", "", "buying from the firm now", "count"),
    "acquisitions": Measure("New customers", "this month", "prospects who joined", "count"),
    "churned": Measure("Customers lost", "this month", "customers who left", "count"),
    "mean_satisfaction": Measure(
        "Satisfaction", "0-1", "0 unhappy, 1 delighted (active customers)", "scale"
    ),
    "mean_perceived_value": Measure(
        "Perceived value", "0-1", "what the offer is worth to a customer", "scale"
    ),
    "offer_fit": Measure(
        "Offer fit to needs", "of needs", "segment needs the standard offer meets", "share"
    ),
    "repository_accuracy": Measure(
        "CRM profiles right", "of needs", "customers' needs the CRM records right", "share"
    ),
    "code_accuracy": Measure(
        "Shared code right", "of needs", "segment needs the firm's shared code knows", "share"
    ),
    "employee_accuracy": Measure(
        "Employees right", "of needs", "segment needs the average employee knows", "share"
    ),
    "offer_knowledge": Measure(
        "Customers' knowledge of the offer", "0-1", "how well customers know the offer", "scale"
    ),
    "knowledge_from_customers": Measure(
        "Items shared per customer", "/ month", "needs customers told the firm", "rate"
    ),
    "clv": Measure("CLV", "money", "a customer's margins over its whole stay", "money"),
    "customer_equity": Measure(
        "Customer equity", "money", "all customers' CLV, in month-0 money", "money"
    ),
    "investment_cost": Measure(
        "CKM cost", "money / month", "what the five dimensions cost", "money"
    ),
    "net_value": Measure(
        "Net value", "money", "customer equity minus all CKM costs so far", "money"
    ),
}


def measure(name: str) -> Measure:
    """The outcome's measure; an outcome the dashboard does not know is shown plainly."""
    if name in MEASURES:
        return MEASURES[name]
    from ckm_sim.model.outcomes import OUTCOMES

    return Measure(name.replace("_", " ").capitalize(), "", OUTCOMES.get(name, ""), "rate")


#: Short labels of the outcomes the dashboard shows.
LABELS: dict[str, str] = {name: m.label for name, m in MEASURES.items()}


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
