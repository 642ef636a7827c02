"""The model's state: every agent's variables, one numpy array each (docs/ODD.md section 2).

:class:`ModelState` holds the arrays the stages read and write; the Mesa agents
(:mod:`ckm_sim.model.agents`) are views onto them. Per-customer arrays are views onto
preallocated slots, so the market grows without copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Per-customer arrays: views onto the first ``n`` preallocated customer slots (docs/ODD.md 2).
CUSTOMER_FIELDS: tuple[str, ...] = (
    "segment",
    "needs",
    "profile",
    "profile_time",
    "status",
    "serving_employee",
    "understood",
    "offer_knowledge",
    "reported_satisfaction",
    "profile_time_sum",
    "profile_known",
    "satisfaction",
    "value",
    "hazard",
    "acquired_at",
    "acquisition_discount",
    "churned_at",
    "lapsed_at",
    "realised_pv0",
    "margin",
    "churn_propensity",
    # competition (docs/ODD.md 7.6)
    "firm_of",
    "profile_firm",
    "serving_rank",
    "firm_discount",
)


@dataclass
class ModelState:
    """Every agent's state, one array per variable (docs/ODD.md section 2).

    Per-customer arrays (``CUSTOMER_FIELDS``) are views onto the first ``n`` rows of ``slots``,
    arrays preallocated for every customer who will be in the market by the horizon (arrivals
    included): an arrival widens the views, it never copies the state.
    """

    truth: np.ndarray  # (K, m) segment needs, +-1
    offers: np.ndarray  # (F, K, m) each firm's standard offer per segment, +-1
    codes: np.ndarray  # (F, K, m) each firm's organisational code (its CRM repository)
    beliefs: np.ndarray  # (E, K, m) employees' beliefs, {-1,0,1}, every firm's employees
    employee_department: np.ndarray  # (E,) department index within the employee's firm
    employee_firm: np.ndarray  # (E,) the firm of each employee
    segment: np.ndarray  # (N,)
    needs: np.ndarray  # (N, m) = truth[segment] * variation
    profile: np.ndarray  # (N, m) CRM profile of each customer, {-1,0,1}
    profile_sums: np.ndarray  # (F, K, m) sum of each firm's recorded profile entries per segment
    profile_counts: np.ndarray  # (F, K, m) number of each firm's recorded entries per segment
    profile_time: np.ndarray  # (N, m) period each profile entry was last recorded
    status: np.ndarray  # (N,) PROSPECT / ACTIVE / CHURNED
    serving_employee: np.ndarray  # (N,)
    understood: np.ndarray  # (N, m) bool: i knows how to use the offer's part for need d (FOR)
    offer_knowledge: np.ndarray  # (N,) share of need dimensions understood, in [0, 1]
    reported_satisfaction: np.ndarray  # (N,) satisfaction last reported in feedback, NaN: none
    profile_time_sum: np.ndarray  # (N,) sum of the periods the profile's entries were recorded
    profile_known: np.ndarray  # (N,) number of recorded (non-zero) profile entries
    satisfaction: np.ndarray  # (N,) in [0, 1]
    value: np.ndarray  # (N,) perceived value in [0, 1]
    hazard: np.ndarray  # (N,) churn probability this period
    acquired_at: np.ndarray  # (N,) period of (first) acquisition, -1 if never acquired
    acquisition_discount: np.ndarray  # (N,) (1 + i) ** -acquired_at; 1 if never acquired
    churned_at: np.ndarray  # (N,) period of the first churn, -1 if never churned
    lapsed_at: np.ndarray  # (N,) period of the latest churn, -1 if never churned
    realised_pv0: np.ndarray  # (N,) margins earned so far, in period-0 value
    margin: np.ndarray  # (N,) margin per period while active
    churn_propensity: np.ndarray  # (N,) persistent multiplier of the churn hazard, mean 1
    firm_of: np.ndarray  # (N,) the firm of an active customer; -1: prospect or out
    profile_firm: np.ndarray  # (N,) the firm whose CRM holds the profile; -1: none
    serving_rank: np.ndarray  # (N,) the serving employee's rank in the first firm's front line
    firm_discount: np.ndarray  # (N, F) (1 + i) ** -(period f first won i); 0: never
    counters: dict[str, float] = field(default_factory=dict)
    slots: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def variation(self) -> np.ndarray:
        """(N, m) each customer's deviation from its segment, +-1: ``needs * truth[segment]``.

        Derived, not stored (a customer-sized array less): turbulence flips a segment's truth
        and its customers' needs together, so the product is the variation drawn at the start.
        """
        return self.needs * self.truth[self.segment]

    @property
    def offer(self) -> np.ndarray:
        """(K, m) the first firm's standard offer (the only one of a single-firm market)."""
        return self.offers[0]

    @property
    def code(self) -> np.ndarray:
        """(K, m) the first firm's organisational code."""
        return self.codes[0]

    @property
    def profile_sum(self) -> np.ndarray:
        """(K, m) the first firm's pooled profile sums."""
        return self.profile_sums[0]

    @property
    def profile_count(self) -> np.ndarray:
        """(K, m) the first firm's pooled profile counts."""
        return self.profile_counts[0]

    def adopt_slots(self, slots: dict[str, np.ndarray], n: int) -> None:
        """Hold ``slots`` (one array per customer field) and view their first ``n`` rows."""
        self.slots = slots
        self.resize(n)

    def resize(self, n: int) -> None:
        """View the first ``n`` customer slots."""
        for name in CUSTOMER_FIELDS:
            setattr(self, name, self.slots[name][:n])
