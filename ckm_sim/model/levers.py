"""From the five CKM competence dimensions to the rates of the model's mechanisms.

This is the one place where the paper's dimensions become numbers the knowledge flows use. Each
lever is a probability per period (or per event) and is documented, with its equation, in
docs/ODD.md section 7.1 under the same name. No lever multiplies an outcome directly: every one
enters a knowledge flow, and retention and CLV change only through what those flows do.

Notation: IFC inter-functional cooperation, OS organisational systems, CC customer cooperation,
IT IT systems, LC learning culture and customer orientation; all in [0, 1].
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ckm_sim.model import costs
from ckm_sim.model.scenario import Scenario
from ckm_sim.model.structure import strengthened


@dataclass(frozen=True, slots=True)
class LeverRates:
    """Mechanism rates of one run; names match docs/ODD.md."""

    socialisation_rate: float  # p1: employees adopt the CRM code (March 1991)
    code_learning_rate: float  # p2: the code adopts the superior employees' majority view
    discernment: float  # March's appraisals: how reliably the firm tells whose knowledge is better
    peer_learning_rate: float  # employees learn from a better-informed colleague
    cross_tie_use: float  # chance that knowledge crosses a cross-department tie
    absorption: float  # an employee learns what a customer contact reveals
    capture: float  # a revealed need is recorded in the customer's CRM profile
    capture_fidelity: float  # a recorded need is recorded correctly
    personalisation: float  # share of known profile entries used to tailor the offer
    analytic_reach: float  # the code learns segment needs from pooled CRM profiles
    offer_adaptation: float  # the product department moves the offer to what it knows
    feedback_willingness: float  # scale of a satisfied customer's chance to share knowledge
    direct_channel: float  # shared knowledge reaches the product department directly
    relay_to_product: float  # knowledge a frontline employee heard crosses to product
    community_learning: float  # customers learn the offer from community neighbours
    offer_communication: float  # intensity of the broadcast of knowledge FOR customers (breadth)
    tailored_messaging: float  # intensity of tailored messages to contacted customers (precision)
    repository_sharing: float  # a department takes part in the shared code and database
    targeting: float  # share of contacts steered by estimated value and risk of leaving

    def as_dict(self) -> dict[str, float]:
        """The rates as a ``name -> rate`` dict."""
        return asdict(self)


def derive_levers(scenario: Scenario) -> LeverRates:
    """Compute every lever from the competence levels, scale each by its ``[structure]``
    strength (1 by default), then apply the scenario's pins."""
    c = scenario.competence
    ifc = c.inter_functional_cooperation
    os_ = c.organisational_systems
    cc = c.customer_cooperation
    it = c.it_systems
    lc = c.learning_culture
    # Evaluation and reward tied to satisfaction and knowledge sharing motivate employees
    # to capture and to share what they learn (organisational systems).
    motivation = 0.2 + 0.8 * os_
    derived = LeverRates(
        socialisation_rate=0.3 * lc,
        code_learning_rate=0.5 * it * motivation,
        discernment=os_,
        peer_learning_rate=0.5 * lc * motivation,
        cross_tie_use=ifc,
        absorption=0.2 + 0.8 * lc,
        capture=it * motivation,
        capture_fidelity=1.0 - 0.1 * (1.0 - it),
        personalisation=it * (0.2 + 0.8 * lc),
        analytic_reach=0.2 * it * lc,
        offer_adaptation=0.075 * (ifc + os_ + lc),
        feedback_willingness=0.3 * cc,
        direct_channel=cc,
        relay_to_product=ifc,
        community_learning=0.3 * cc,
        offer_communication=0.15 * (lc + it),
        tailored_messaging=0.2 * (lc + it) * (0.5 + 0.5 * os_),
        # departments agree on what goes into the shared customer database and use it
        repository_sharing=ifc,
        # IT scores customers and routes contacts; organisational systems make staff act on it
        targeting=it * os_,
    )
    strengths = scenario.structure.model_dump()
    if any(s != 1.0 for s in strengths.values()):  # [structure]: unmeasured coefficients scaled
        derived = LeverRates(**strengthened(derived.as_dict(), strengths))
    pins = {k: v for k, v in scenario.levers.model_dump().items() if v is not None}
    if not pins:
        return derived
    values = derived.as_dict()
    values.update(pins)
    return LeverRates(**values)


def cross_department_ties(scenario: Scenario) -> int:
    """Cross-department ties per employee: IFC times the scenario's maximum, rounded."""
    return round(
        scenario.competence.inter_functional_cooperation * scenario.firm.max_cross_department_ties
    )


def investment_cost(scenario: Scenario) -> float:
    """Investment cost per period: the sum over dimensions of ``unit_d * level_d ** exponent``,
    ``unit_d`` the cost of level 1 built from the firm's staff, customers and fixed parts
    (:mod:`ckm_sim.model.costs`, docs/ODD.md 7.5)."""
    return costs.investment_cost(scenario)
