"""A market with its knowledge dynamics made irrelevant, for the CLV and economics tests."""

from __future__ import annotations

#: no acquisitions, arrivals or win-back, no contacts, no community, a tiny firm: survival is
#: the churn hazard alone
CLOSED_MARKET = dict(
    prospects=0,
    base_acquisition=0.0,
    word_of_mouth=0.0,
    employees=10,
    segments=1,
    need_dimensions=4,
    community="none",
    contact_rate=0.0,
    market_growth=0.0,
    winback_rate=0.0,
)
