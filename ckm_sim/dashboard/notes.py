"""Plain-language notes the dashboard shows: what each flow is, what each slider changes.

Every note names the mechanism rates of ckm_sim/model/levers.py (docs/ODD.md section 7.1) that the
slider moves, so a teacher can follow a note down to the equation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ckm_sim.model.outcomes import OUTCOMES, in_area, labels


@dataclass(frozen=True)
class Flow:
    """One knowledge flow (or the outcomes it leads to) and the figures that measure it (the
    registry's outcomes of that area shown on the dashboard)."""

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

#: Short labels of the per-period outcomes (from the outcome registry).
LABELS: dict[str, str] = labels(list(OUTCOMES))
