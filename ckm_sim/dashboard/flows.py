"""Which ties carried knowledge this period, per flow: the network view's colours.

The model does not log flow events per tie, so the dashboard derives them from what each flow
stage of a period already computes (see :class:`ckm_sim.dashboard.model.DashboardModel`), at
the cost of a few index writes per period:

- ABOUT: a customer had a service contact (needs revealed to the serving employee and the CRM);
  drawn on the customer's service tie;
- FROM: a customer shared needs with the firm (front line or product development); drawn on
  the customer's service tie;
- FOR: the firm sent a contacted customer a tailored message it could tailor (the CRM knows at
  least one of the customer's needs right); drawn on the service tie. Customers who learn the
  offer from each other (community learning) are drawn on community ties between two active
  customers whose knowledge of the offer differs (the one who knows more teaches).

Broadcast messages reach every customer and travel no tie; peer learning inside the firm is not
traced per tie, so employee ties stay faint. A tie keeps its flow's colour for the period it
carried it and fades over the next :data:`FADE` periods.
"""

from __future__ import annotations

import numpy as np

FLOWS: tuple[str, ...] = ("about", "from", "for")
#: Line colour of each flow (none of them is a node colour).
FLOW_COLOURS: dict[str, str] = {"about": "#1565c0", "from": "#8e24aa", "for": "#00897b"}
#: What a coloured tie means, per flow (the legend under the network).
FLOW_MEANINGS: dict[str, str] = {
    "about": "ABOUT: a service contact revealed the customer's needs to the firm",
    "from": "FROM: the customer told the firm what it needs (feedback)",
    "for": "FOR: a tailored message or a fellow customer taught the offer",
}
#: Curvature per flow, so that one tie can show several flows side by side.
FLOW_CURVENESS: dict[str, float] = {"about": 0.0, "from": 0.12, "for": -0.12}
#: Opacity of a tie that carried a flow this period, one period ago, two periods ago.
FADE: tuple[float, ...] = (0.95, 0.45, 0.2)
#: A community tie carries FOR when the two customers' knowledge of the offer differs this much.
COMMUNITY_GAP = 0.05


class FlowTrace:
    """For each customer, the last period it took part in each flow (-1: never)."""

    def __init__(self, n_customers: int) -> None:
        self.last: dict[str, np.ndarray] = {
            flow: np.full(n_customers, -1, dtype=np.int64) for flow in FLOWS
        }

    def note(self, flow: str, customers: np.ndarray, period: int) -> None:
        """Customers ``customers`` took part in ``flow`` in ``period``."""
        self._make_room(customers)
        self.last[flow][customers] = period

    def _make_room(self, customers: np.ndarray) -> None:
        """Room for customers who arrived in the open market (at least doubling)."""
        needed = int(customers.max()) + 1 if len(customers) else 0
        have = len(next(iter(self.last.values())))
        if needed <= have:
            return
        size = max(needed, 2 * have)
        for flow, last in self.last.items():
            grown = np.full(size, -1, dtype=np.int64)
            grown[: len(last)] = last
            self.last[flow] = grown

    def opacity(self, flow: str, customers: np.ndarray, period: int) -> np.ndarray:
        """How strongly each customer's tie shows ``flow`` at ``period`` (0: not at all)."""
        self._make_room(customers)
        age = period - self.last[flow][customers]
        fade = np.array([*FADE, 0.0])
        shown = (self.last[flow][customers] >= 0) & (age >= 0)
        return np.where(shown, fade[np.clip(age, 0, len(FADE))], 0.0)


def community_opacity(
    offer_knowledge: np.ndarray, active: np.ndarray, edges: np.ndarray, rate: float
) -> np.ndarray:
    """Opacity of each community tie (customer index pairs) as a FOR tie, 0 where none flows."""
    if rate <= 0 or len(edges) == 0:
        return np.zeros(len(edges))
    a, b = edges[:, 0], edges[:, 1]
    gap = np.abs(offer_knowledge[a] - offer_knowledge[b])
    carried = active[a] & active[b] & (gap >= COMMUNITY_GAP)
    return np.where(carried, np.clip(0.3 + 2.0 * gap, 0.0, FADE[0]), 0.0)
