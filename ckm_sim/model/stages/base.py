"""What every stage shares: the period under way, the record a stage returns, its tally.

A stage is a function ``stage(world, period) -> record``: it reads the state, the lever rates
and its random streams from the :class:`~ckm_sim.model.world.World`, writes the state, and
returns a small record of what happened (who took part, counts). :class:`Period` carries the
records of the stages run so far, so a later stage reads an earlier one's (flow FOR reads whom
flow ABOUT contacted); the outcomes and the dashboard read them after the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ckm_sim.model import choice

if TYPE_CHECKING:
    from ckm_sim.model.world import World

#: An empty mask: every customer counts (:func:`~ckm_sim.model.choice.count_by_firm`).
_EVERY = np.zeros(0, dtype=np.bool_)


@dataclass
class Tally:
    """A stage's counts this period: market-wide (``counts``) and per firm (``by_firm``).

    ``by_firm`` is filled only in a market of several firms (one number per firm and count).
    """

    n_firms: int = 1
    counts: dict[str, int] = field(default_factory=dict)
    by_firm: dict[str, np.ndarray] = field(default_factory=dict)

    def by_customers(
        self, name: str, firm_of: np.ndarray, cust: np.ndarray, where: np.ndarray | None = None
    ) -> None:
        """Add the events of customers ``cust`` (``cust[where]``, an index or a mask, when given)
        to each customer's firm's count ``name``; nothing is gathered for a single firm."""
        if self.n_firms > 1:
            if where is not None and where.dtype != np.bool_:  # an index into cust
                cust, where = cust[where], None
            mask = _EVERY if where is None else where
            add = choice.count_by_firm(firm_of, cust, mask, self.n_firms)
            self.by_firm[name] = self.by_firm.get(name, 0) + add

    def by_customers_each(
        self, names: tuple[str, ...], firm_of: np.ndarray, cust: np.ndarray, masks: np.ndarray
    ) -> None:
        """:meth:`by_customers` of all customers ``cust`` (count ``names[0]``) and of those of
        each mask of ``masks`` ((k, len(cust)); count ``names[r + 1]``) in one pass."""
        if self.n_firms > 1:
            add = choice.count_by_firm_each(firm_of, cust, masks, self.n_firms)
            for name, row in zip(names, add, strict=True):
                self.by_firm[name] = self.by_firm.get(name, 0) + row


@dataclass
class Record:
    """What a stage did this period; stages with more to say extend it."""

    tally: Tally = field(default_factory=Tally)


@dataclass
class Period:
    """The period under way: its number, the records of the stages run so far.

    ``active`` is the mask of the customers active as the period's flows begin: the open
    market sets it (the market's size may grow in that stage, never the active customers).
    """

    t: int
    records: dict[str, Record] = field(default_factory=dict)
    active: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def record(self, name: str) -> Any:
        """The record of stage ``name`` this period (a one-line error when it has not run)."""
        try:
            return self.records[name]
        except KeyError:
            ran = ", ".join(self.records) or "none"
            raise KeyError(f"stage '{name}' has not run this period (ran: {ran})") from None

    def counts(self) -> dict[str, int]:
        """Every stage's market-wide counts, merged."""
        out: dict[str, int] = {}
        for rec in self.records.values():
            out |= rec.tally.counts
        return out

    def firm_counts(self) -> dict[str, np.ndarray]:
        """Every stage's per-firm counts, merged (empty for a single firm)."""
        out: dict[str, np.ndarray] = {}
        for rec in self.records.values():
            out |= rec.tally.by_firm
        return out


#: A stage of the period: reads and writes the world, returns what happened.
Stage = Callable[["World", Period], Record]
