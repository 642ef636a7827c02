"""The answer of ``optimize --budget`` against a different cost of competence: what
:mod:`ckm_sim.whatif.optimize.flip` measures, as the optimum holds it (its own module, so the
optimum and the measurement import it without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass

from ckm_sim.whatif.shared.breakeven import BreakEven, verdicts
from ckm_sim.whatif.shared.payback import Payback


@dataclass(frozen=True)
class AnswerFlip:
    """The answer's break-evens (against the even split, then against the scenario as it is)
    and its paybacks at today's cost, with the words they are read in."""

    breakeven: list[BreakEven]
    payback: list[Payback]
    as_is: str  # the scenario as it is: its name
    currency: str
    word: str

    def lines(self) -> list[str]:
        """One sentence per break-even, with the payback of the same pair where measured."""
        return verdicts(self.breakeven, self.payback, self.word, self.currency)

    def as_dict(self) -> dict[str, object]:
        """For ``optimum.json``: the break-evens, the paybacks and their sentences."""
        return {
            "as_is": self.as_is,
            "breakeven": [b.as_dict() for b in self.breakeven],
            "payback": [p.as_dict() for p in self.payback],
            "verdicts": self.lines(),
        }
