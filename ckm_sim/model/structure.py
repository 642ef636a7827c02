"""The model's structural assumptions as parameters: how strongly each lever responds.

Every lever equation of docs/ODD.md 7.1 has coefficients nobody has measured (``0.3 LC``,
``0.075 (IFC + OS + LC)``...). A ``[structure]`` section scales each derived lever by
``strength_<lever>`` (1 by default: the equations as written), clipped to [0, 1], before any
``[levers]`` pin applies. So an uncertainty file (issue 23) can ask "what if culture's effect on
socialisation is half what we assumed?" without editing code, and a finding can be tested across
the plausible strengths of the mechanisms that carry it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, Field, create_model

#: A lever's strength: a multiplier of its derived rate.
Strength = Annotated[float, Field(ge=0.0, le=10.0)]


def strength_fields(levers: Iterable[str]) -> type[BaseModel]:
    """The ``[structure]`` keys: ``strength_<lever>`` for each lever name, 1 by default."""
    fields = {f"strength_{name}": (Strength, 1.0) for name in levers}
    return create_model("StructureFields", **fields)  # type: ignore[call-overload]


def strengthened(derived: dict[str, float], strengths: dict[str, float]) -> dict[str, float]:
    """``derived`` rates times their ``strength_<lever>`` (absent: 1), clipped to [0, 1]."""
    return {
        name: min(1.0, max(0.0, rate * strengths.get(f"strength_{name}", 1.0)))
        for name, rate in derived.items()
    }
