"""Docking with March (1991): the firm's organisational learning with the customer side frozen.

March's mutual-learning model is the ``march1991`` scenario: no customers, one reality of
``need_dimensions`` = 30 dimensions, 50 employees, socialisation rate p1 = ``socialisation_rate``,
code-learning rate p2 = ``code_learning_rate``, turnover p3 = ``employee_turnover``, turbulence
p4 = ``turbulence`` (docs/validation.md). Everything here drives the real :class:`CKMModel`.

Closed system (p3 = p4 = 0): the replications of one design point run as the ``segments`` of
one model. Every learning mechanism acts on each segment independently (its own reality, code
and beliefs; only turnover, which is off, would couple them), so segment ``k`` of a model with
``segments = R`` is replication ``k``, and the whole batch steps in one vectorised call.
Open system (p3 or p4 > 0): turnover replaces an employee's beliefs on every segment at once,
so each replication is a model of its own with ``segments = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ckm_sim.model import learning
from ckm_sim.model.model import CKMModel
from ckm_sim.model.runs import replication_seed

SCENARIO = "march1991"

#: The two rule sets of the docking, as flat scenario overrides (``[firm]`` options). ``paper``:
#: March's (1991) text; ``program``: his program as reconstructed by Christensen (2015) and
#: Workiewicz (2019), the conventions of ``scenarios/march1991.toml``.
RULES: dict[str, dict[str, str]] = {
    "paper": {"appraisal": "knowledge", "socialisation": "direct", "code_vote": "dissent"},
    "program": {"appraisal": "performance", "socialisation": "gradual", "code_vote": "margin"},
}


def rules(name: str | None) -> dict[str, str]:
    """The overrides of rule set ``name`` (``None``: the scenario's own conventions)."""
    if name is None:
        return {}
    if name not in RULES:
        raise ValueError(f"rules must be one of {tuple(RULES)}, got {name!r}")
    return dict(RULES[name])


def code_knowledge(model: CKMModel) -> np.ndarray:
    """Share of dimensions on which the code equals reality, per segment (March's knowledge)."""
    return learning.accuracy(model.state.code, model.state.truth)


def code_score(model: CKMModel) -> np.ndarray:
    """(Matches - mismatches) / m of the code, per segment: the scale of March's Figure 1.

    March's program, as reconstructed, reports ``sum(code * reality) / m``; with no zeros in the
    code this is ``2 * code_knowledge - 1``.
    """
    s = model.state
    return learning.score(s.code, s.truth) / s.truth.shape[-1]


def absorbed(model: CKMModel) -> np.ndarray:
    """Per segment: True when no learning can change anything any more (closed system).

    March's equilibrium, for the model's own conventions and perfect discernment (as in the
    ``march1991`` scenario). Socialisation (direct or gradual) can act only where the code has a
    view that an employee does not share. Code learning by knowledge appraisal can act exactly
    where ``learning.learn_code`` at rate 1 moves the code (a trial on a copy). Code learning by
    performance appraisal can act while some employee could, with lucky coin flips, outscore the
    code (its beliefs' score plus its number of no-views exceeds the code's score, the
    reconstruction's test): once nothing is socialisable, such an employee has a guess or a right
    view where the code has none, and alone in the group it moves the code with positive
    probability under either vote.
    """
    s, firm = model.state, model.scenario_config.firm
    socialisable = ((s.code != 0) & (s.beliefs != s.code)).any(axis=(0, 2))
    if firm.appraisal == "performance":
        best = learning.score(s.beliefs, s.truth) + (s.beliefs == 0).sum(axis=-1)  # (E, K)
        learnable = (best > learning.score(s.code, s.truth)).any(axis=0)
    else:
        trial = s.code.copy()
        learning.learn_code(
            trial, s.beliefs, s.truth, 1.0, 1.0, np.random.default_rng(0), vote=firm.code_vote
        )
        learnable = (trial != s.code).any(axis=1)
    return ~(socialisable | learnable)


@dataclass
class Equilibrium:
    """Equilibrium code knowledge of ``R`` replications of one closed-system design point."""

    knowledge: np.ndarray  # (R,) code knowledge at equilibrium (or at the cap if not reached)
    score: np.ndarray  # (R,) the same on the scale of March's Figure 1 (see code_score)
    reached: np.ndarray  # (R,) bool: equilibrium reached before the cap
    periods: np.ndarray  # (R,) period at which equilibrium was first detected (cap if not)

    @property
    def mean(self) -> float:
        """Mean equilibrium knowledge over the replications."""
        return float(self.knowledge.mean())

    @property
    def se(self) -> float:
        """Standard error of the mean equilibrium knowledge."""
        return float(self.knowledge.std(ddof=1) / np.sqrt(len(self.knowledge)))

    @property
    def score_mean(self) -> float:
        """Mean equilibrium score over the replications."""
        return float(self.score.mean())

    @property
    def score_se(self) -> float:
        """Standard error of the mean equilibrium score."""
        return float(self.score.std(ddof=1) / np.sqrt(len(self.score)))


def equilibrium(
    p1: float,
    p2: float,
    replications: int = 80,
    seed: int = 1991,
    cap: int = 5000,
    check_every: int = 5,
    rule_set: str | None = None,
    **overrides: float | str,
) -> Equilibrium:
    """Run ``replications`` closed systems to equilibrium (March's Figure 1 design point).

    ``rule_set`` (``"paper"``, ``"program"``, or ``None`` for the scenario's own) picks the
    learning conventions (:data:`RULES`); ``overrides`` are further scenario parameters. A given
    ``seed`` gives every design point the same realities and initial beliefs (common
    random numbers). An absorbed replication never changes again, so its knowledge at the end is
    its equilibrium knowledge; the cap only matters for replications that never get there.
    """
    model = CKMModel(
        SCENARIO,
        rng=seed,
        collect=False,
        segments=replications,
        socialisation_rate=p1,
        code_learning_rate=p2,
        employee_turnover=0.0,
        turbulence=0.0,
        **(rules(rule_set) | overrides),
    )
    periods = np.full(replications, cap)
    done = np.zeros(replications, dtype=bool)
    t = 0
    while t < cap:
        model.run(min(check_every, cap - t))
        t = model.steps
        now = absorbed(model) & ~done
        periods[now] = t
        done |= now
        if done.all():
            break
    return Equilibrium(code_knowledge(model), code_score(model), done, periods)


def knowledge_path(
    p1: float,
    p2: float,
    p3: float,
    p4: float,
    replications: int = 80,
    seed: int = 1991,
    periods: int = 100,
    every: int = 10,
    rule_set: str | None = None,
) -> np.ndarray:
    """Code knowledge at periods 0, every, 2 every, ... ``periods``: array (replications, T).

    ``rule_set`` as in :func:`equilibrium`. One model per replication (seeded by
    :func:`~ckm_sim.model.runs.replication_seed`), so turnover events are independent across
    replications.
    """
    out = np.empty((replications, periods // every + 1))
    for r in range(replications):
        model = CKMModel(
            SCENARIO,
            rng=replication_seed(seed, r),
            collect=False,
            socialisation_rate=p1,
            code_learning_rate=p2,
            employee_turnover=p3,
            turbulence=p4,
            **rules(rule_set),
        )
        out[r, 0] = code_knowledge(model)[0]
        for j in range(1, out.shape[1]):
            model.run(every)
            out[r, j] = code_knowledge(model)[0]
    return out
