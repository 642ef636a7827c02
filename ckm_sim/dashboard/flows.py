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

Community ties: the model does not record who taught whom, so :class:`PeerTrace` keeps, for
each of the last :data:`FADE` periods, the parts of the offer each customer came to understand
that period other than by a tailored message; a community tie shows FOR in that period when one
end learned a part that the other end understands (a fellow customer could have taught it). At
period 0 nothing has run, so no tie is coloured.
"""

from __future__ import annotations

from collections import deque

import numpy as np

FLOWS: tuple[str, ...] = ("about", "from", "for")
#: Line colour of each flow (none of them is a node colour).
FLOW_COLOURS: dict[str, str] = {"about": "#1565c0", "from": "#8e24aa", "for": "#00897b"}
#: What a coloured tie means, per flow (the legend above the network).
FLOW_MEANINGS: dict[str, str] = {
    "about": "ABOUT: a service contact revealed the customer's needs to the firm",
    "from": "FROM: the customer told the firm what it needs (feedback)",
    "for": "FOR: a tailored message or a fellow customer taught the offer",
}
#: Curvature per flow, so that one tie can show several flows side by side.
FLOW_CURVENESS: dict[str, float] = {"about": 0.0, "from": 0.12, "for": -0.12}
#: Opacity of a tie that carried a flow this period, one period ago, two periods ago.
FADE: tuple[float, ...] = (0.95, 0.45, 0.2)


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


class PeerTrace:
    """Per period (the last ``len(FADE)``): which parts of the offer each customer came to
    understand that period, other than by a tailored message."""

    def __init__(self) -> None:
        self.learned: deque[tuple[int, np.ndarray]] = deque(maxlen=len(FADE))

    def note(
        self, before: np.ndarray, after: np.ndarray, tailored: np.ndarray, period: int
    ) -> None:
        """The understanding matrices (customers x parts) before and after ``period``; the
        customers sent tailored messages that period (their gains are the firm's doing)."""
        n = min(len(before), len(after))
        gained = after[:n] & ~before[:n]
        gained[tailored[tailored < n]] = False
        self.learned.append((period, gained))

    def opacity(
        self, understood: np.ndarray, active: np.ndarray, edges: np.ndarray, period: int
    ) -> np.ndarray:
        """Opacity of each community tie (customer index pairs) as a FOR tie: how lately one
        end learned a part of the offer the other end understands (0: not in the last
        ``len(FADE)`` periods)."""
        out = np.zeros(len(edges))
        if len(edges) == 0:
            return out
        a, b = edges[:, 0], edges[:, 1]
        both = active[a] & active[b]
        for when, gained in self.learned:
            age = period - when
            if not 0 <= age < len(FADE):
                continue
            ok = both & (a < len(gained)) & (b < len(gained))
            ia, ib = np.where(ok, a, 0), np.where(ok, b, 0)
            taught = (gained[ia] & understood[ib]).any(axis=1) | (gained[ib] & understood[ia]).any(
                axis=1
            )
            out = np.where(ok & taught, np.maximum(out, FADE[age]), out)
        return out
