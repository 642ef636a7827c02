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

#: Short labels of the outcomes the dashboard shows.
LABELS: dict[str, str] = {
    "retention_rate": "Retention (per period)",
    "active_customers": "Active customers",
    "acquisitions": "New customers",
    "churned": "Customers lost",
    "mean_satisfaction": "Satisfaction",
    "mean_perceived_value": "Perceived value",
    "offer_fit": "Offer fit to needs",
    "repository_accuracy": "CRM profiles right",
    "code_accuracy": "Shared code right",
    "employee_accuracy": "Employees right",
    "offer_knowledge": "Customers' knowledge of the offer",
    "knowledge_from_customers": "Items shared per customer",
    "clv": "CLV (mean)",
    "customer_equity": "Customer equity",
    "investment_cost": "CKM cost per period",
    "net_value": "Net value",
}

#: Outcomes shown as money (no decimals) rather than as shares.
MONEY: frozenset[str] = frozenset({"clv", "customer_equity", "investment_cost", "net_value"})
#: Outcomes that are counts.
COUNTS: frozenset[str] = frozenset({"active_customers", "acquisitions", "churned"})


def format_value(name: str, value: float) -> str:
    """A figure as the panel shows it: money and counts whole, shares with three decimals."""
    if value is None or value != value:  # NaN: nothing to measure yet
        return "–"
    if name in MONEY or name in COUNTS:
        return f"{value:,.0f}"
    return f"{value:.3f}"
