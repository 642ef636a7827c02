"""What ``compare`` is asked, from the command line or from Python (:mod:`ckm_sim.api`): the
scenarios, spend alternatives made from the first (``--add DIM=AMOUNT``), the comparison's
default name, and the comparison with its answer to a spend question."""

from __future__ import annotations

from collections.abc import Sequence

from ckm_sim.errors import CKMError
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.firmkeys import is_multi_firm
from ckm_sim.model.scenario import Scenario
from ckm_sim.names import short_name
from ckm_sim.whatif.compare.differences import Comparison, compare
from ckm_sim.whatif.shared.paired import unique_names
from ckm_sim.whatif.shared.spend import (
    Increment,
    answer,
    level_after,
    parse_alternative,
    with_spend,
    words,
)
from ckm_sim.whatif.shared.terms import period_word

Alternative = tuple[Increment, ...]


def spend_alternatives(scenarios: Sequence[Scenario], add: Sequence[str]) -> list[Alternative]:
    """Each ``DIM=AMOUNT[,DIM=AMOUNT]`` of ``add`` as increments on the one scenario given
    (none without ``add``, when two or more scenarios are needed); one-line errors."""
    if not add:
        if len(scenarios) < 2:
            raise CKMError("compare needs at least two scenarios (or one and --add DIM=AMOUNT)")
        return []
    if len(scenarios) != 1:
        raise CKMError("with --add, give exactly one scenario: the base the spend is added to")
    if is_multi_firm(scenarios[0]):
        raise CKMError(
            f"--add: {scenarios[0].name} has several firms; compare scenario files that set "
            "firms.<firm>.<dimension>, or find a firm's best split with optimize --firm"
        )
    alternatives = [parse_alternative(text) for text in add]
    for increments in alternatives:
        for inc in increments:
            level_after(scenarios[0], inc)  # refuses a level above 1, naming the maximum
    if len(set(alternatives)) != len(alternatives):
        raise CKMError("--add: the same alternative is given twice")
    return alternatives


def with_alternatives(
    scenarios: Sequence[Scenario], alternatives: Sequence[Alternative]
) -> list[Scenario]:
    """The scenarios to run: as given, or the base and one scenario per spend alternative."""
    if not alternatives:
        return list(scenarios)
    return [scenarios[0], *(with_spend(scenarios[0], inc) for inc in alternatives)]


def comparison_name(scenarios: Sequence[Scenario]) -> str:
    """The default report name: the scenarios' names joined by ``_vs_`` (a plain name)."""
    return short_name("_vs_".join(unique_names(scenarios)))


def run_comparison(
    scenarios: Sequence[Scenario],
    plan: RunPlan,
    alternatives: Sequence[Alternative] = (),
    all_pairs: bool = False,
    progress: bool = False,
) -> Comparison:
    """Compare ``scenarios`` (from :func:`with_alternatives`) on common seeds; with spend
    alternatives every pair is compared and :attr:`Comparison.answers` says which spend is
    better."""
    result = compare(scenarios, plan, all_pairs=all_pairs or bool(alternatives), progress=progress)
    if alternatives:
        word = period_word(scenarios[0])
        named = [
            (name, words(inc, word))
            for name, inc in zip(result.runs.names[1:], alternatives, strict=True)
        ]
        result.answers = answer(result.differences, result.runs.names[0], named)
    return result
