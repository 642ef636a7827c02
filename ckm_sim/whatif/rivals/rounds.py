"""Best responses between firms, iterated: do their CKM investments settle or cycle?

Each firm splits its own per-period budget across the competence dimensions. A *best response*
is the split that maximises the firm's own expected net value while every rival keeps its
current split (``ckm-sim optimize --firm NAME``). Iterating them (``--best-response-rounds N``)
is the classic way to look for an equilibrium of the investment game: in round ``k`` each firm
in turn answers the splits the others play at that moment (the later firms of a round already
see the earlier ones' answers: Gauss-Seidel order).

The test, per firm and round, compares its new split with its previous one (the start, in round
1):

- the split **holds** when every dimension's spend moved by at most ``tolerance`` of the firm's
  budget, or when the new split does not beat the previous one outside the paired 95% CI of the
  optimiser's evaluation seeds (the optimum is flat there: moving does not pay);
- the game **settles** (an equilibrium of CKM investment, within the tolerance and the CIs) in
  the first round in which every firm's split holds: no firm gains by changing its split;
- it **cycles** when a round ends with every firm's split within ``tolerance`` of the splits
  after an earlier round (not the one just before, which would be settling): the answers go
  round in a loop of that many rounds and iterating further would repeat it;
- otherwise, after ``rounds`` rounds, it is **unsettled**.

Nothing here knows the model: ``respond(firm, splits, incumbent)`` is any best-response oracle
:func:`optimiser_response` makes one from the budget optimiser and any objective, so the
iteration and the optimiser's best responses are tested on games with known equilibria; the
model's objective is :class:`~ckm_sim.whatif.shared.objective.NetValueObjective` with ``firm`` set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.experiments.stats import Estimate
from ckm_sim.whatif.optimize.budget import Evaluate, optimise_budget
from ckm_sim.whatif.shared.allocation import CostCurve

#: Default tolerance: a split holds when every dimension moved by at most this share of the budget.
TOLERANCE = 0.10


@dataclass(frozen=True)
class Response:
    """A firm's answer: its best split, and how that split does against the split it held
    (``gain``: new minus previous, paired on the evaluation seeds; None if not measured)."""

    split: np.ndarray
    gain: Estimate | None = None
    value: Estimate | None = None
    detail: object = None  # what the oracle wants to keep (e.g. the Optimum)


#: ``respond(firm, splits, incumbent)``: the firm's best response when the firms play
#: ``splits`` (the firm's own entry is its incumbent split, also passed as ``incumbent``).
Respond = Callable[[str, Mapping[str, np.ndarray], np.ndarray], Response]


@dataclass(frozen=True)
class Move:
    """One firm's turn in one round."""

    round: int
    firm: str
    before: np.ndarray
    after: np.ndarray
    change: float  # largest |after - before| over dimensions, as a share of the budget
    gain: Estimate | None
    holds: bool
    why: str
    value: Estimate | None = None


@dataclass
class BestResponses:
    """The rounds played and what they show."""

    firms: tuple[str, ...]
    budgets: dict[str, float]
    tolerance: float
    start: dict[str, np.ndarray]
    moves: list[Move] = field(default_factory=list)
    status: str = "unsettled"  # "settled" | "cycle" | "unsettled"
    rounds_played: int = 0
    cycle_length: int = 0
    details: list[object] = field(default_factory=list)

    def splits_after(self, k: int) -> dict[str, np.ndarray]:
        """Every firm's split after round ``k`` (0: the start)."""
        out = {f: s.copy() for f, s in self.start.items()}
        for m in self.moves:
            if m.round <= k:
                out[m.firm] = m.after
        return out

    @property
    def final(self) -> dict[str, np.ndarray]:
        """Every firm's split after the last round played."""
        return self.splits_after(self.rounds_played)

    def table(self, dimensions: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per firm and round: spend per dimension, change, gain with its CI, holds."""
        rows = []
        for m in self.moves:
            n = len(m.after)
            names = list(dimensions) if dimensions is not None else [f"d{i}" for i in range(n)]
            row: dict = {"round": m.round, "firm": m.firm}
            row |= {f"{d}": float(x) for d, x in zip(names, m.after, strict=True)}
            row |= {"change": m.change, "holds": m.holds, "why": m.why}
            if m.gain is not None:
                row |= {"gain": m.gain.mean, "gain_low": m.gain.low, "gain_high": m.gain.high}
            if m.value is not None:
                row |= {"net_value": m.value.mean}
            rows.append(row)
        return pd.DataFrame(rows)

    def sentence(self) -> str:
        """What the rounds show, in one sentence."""
        names = " and ".join(self.firms)
        if self.status == "settled":
            return (
                f"The best responses of {names} settle in round {self.rounds_played}: no firm's "
                f"split moves by more than {self.tolerance:.0%} of its budget on a dimension, or "
                "a move does not pay outside its 95% CI (an equilibrium of CKM investment)."
            )
        if self.status == "cycle":
            return (
                f"The best responses of {names} cycle: after round {self.rounds_played} the "
                f"splits are back within {self.tolerance:.0%} of those of round "
                f"{self.rounds_played - self.cycle_length} (a loop of {self.cycle_length} "
                "rounds), so they never settle."
            )
        return (
            f"The best responses of {names} neither settle nor cycle within "
            f"{self.rounds_played} rounds (tolerance {self.tolerance:.0%}); more rounds may tell."
        )


def change_of(before: np.ndarray, after: np.ndarray, budget: float) -> float:
    """The largest change of spend on a dimension, as a share of the budget."""
    return float(np.abs(np.asarray(after) - np.asarray(before)).max() / budget)


def _holds(change: float, gain: Estimate | None, tolerance: float) -> tuple[bool, str]:
    if change <= tolerance:
        return True, f"moved at most {change:.0%} of the budget on a dimension"
    if gain is not None and gain.n >= 2 and not gain.low > 0:
        return True, (
            f"moved up to {change:.0%} of the budget, but the move does not pay outside its "
            "95% CI (a flat optimum)"
        )
    return False, f"moved up to {change:.0%} of the budget on a dimension"


def _recurs(
    history: list[dict[str, np.ndarray]], now: dict[str, np.ndarray], budgets, tolerance: float
) -> int:
    """Rounds back to the latest earlier profile (two or more rounds ago) within ``tolerance``
    of ``now`` for every firm; 0 when there is none."""
    for back in range(2, len(history) + 1):
        then = history[-back]
        if all(change_of(then[f], now[f], budgets[f]) <= tolerance for f in now):
            return back
    return 0


def iterate_best_responses(
    firms: Sequence[str],
    start: Mapping[str, np.ndarray],
    budgets: Mapping[str, float],
    respond: Respond,
    rounds: int,
    tolerance: float = TOLERANCE,
) -> BestResponses:
    """Play up to ``rounds`` rounds of best responses from ``start`` (see the module)."""
    if len(firms) < 2:
        raise ValueError("best-response rounds need at least two firms")
    if len(set(firms)) != len(firms):
        raise ValueError(f"a firm is named twice: {list(firms)}")
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    if not 0 < tolerance <= 1:
        raise ValueError(f"tolerance must be a share in (0, 1], got {tolerance}")
    current = {f: np.asarray(s, dtype=np.float64).copy() for f, s in start.items()}
    result = BestResponses(
        tuple(firms), dict(budgets), tolerance, {f: s.copy() for f, s in current.items()}
    )
    history = [{f: current[f].copy() for f in firms}]
    for k in range(1, rounds + 1):
        every_holds = True
        for firm in firms:
            before = current[firm]
            answer = respond(firm, dict(current), before)
            after = np.asarray(answer.split, dtype=np.float64)
            change = change_of(before, after, budgets[firm])
            holds, why = _holds(change, answer.gain, tolerance)
            every_holds &= holds
            result.moves.append(
                Move(k, firm, before, after, change, answer.gain, holds, why, answer.value)
            )
            result.details.append(answer.detail)
            current[firm] = after
        result.rounds_played = k
        now = {f: current[f].copy() for f in firms}
        if every_holds:
            result.status = "settled"
            return result
        back = _recurs(history, now, budgets, tolerance)
        history.append(now)
        if back:
            result.status, result.cycle_length = "cycle", back
            return result
    return result


def optimiser_response(
    objective: Callable[[str, Mapping[str, np.ndarray]], Evaluate],
    budgets: Mapping[str, float],
    plan: RunPlan,
    curves: Callable[[str], CostCurve] | None = None,
    **options: object,
) -> Respond:
    """A best-response oracle from the budget optimiser.

    ``objective(firm, splits)`` is the firm's ``evaluate(spend, seed)`` when the others play
    ``splits``; ``curves(firm)`` its cost curve (what its spend buys); ``options`` go to
    :func:`~ckm_sim.whatif.optimize.budget.optimise_budget` (trials, restarts, eval_replications,
    ...).
    The incumbent split is evaluated with the candidates, so ``gain`` is paired.
    """

    def respond(firm: str, splits: Mapping[str, np.ndarray], incumbent: np.ndarray) -> Response:
        opt = optimise_budget(
            objective(firm, splits),
            budgets[firm],
            plan,
            curve=None if curves is None else curves(firm),
            incumbent=incumbent,
            firm=firm,
            **options,  # type: ignore[arg-type]
        )
        return Response(opt.best, opt.versus_incumbent, opt.best_value, opt)

    return respond
