"""What ``compare`` is asked, from the command line or from Python (:mod:`ckm_sim.api`): the
scenarios, spend alternatives made from the first (``--add [FIRM.]DIM=AMOUNT``, built over time
as the equivalent investment plan, or bought at once with ``--instant``), the comparison's
default name, and the comparison with its answer to a spend question."""

from __future__ import annotations

from collections.abc import Sequence

from ckm_sim.errors import CKMError
from ckm_sim.experiments.evaluator import RunPlan
from ckm_sim.model.scenario import Scenario
from ckm_sim.names import short_name
from ckm_sim.whatif.compare.differences import Comparison, compare
from ckm_sim.whatif.shared.buildup import assumption, with_buildup
from ckm_sim.whatif.shared.paired import unique_names
from ckm_sim.whatif.shared.spend import (
    Increment,
    answer,
    level_after,
    parse_alternative,
    with_spend,
    words,
)
from ckm_sim.whatif.shared.terms import currency_of, period_word

Alternative = tuple[Increment, ...]


def spend_alternatives(
    scenarios: Sequence[Scenario], add: Sequence[str], instant: bool = False
) -> list[Alternative]:
    """Each ``[FIRM.]DIM=AMOUNT[,...]`` of ``add`` as increments on the one scenario given
    (none without ``add``, when two or more scenarios are needed); one-line errors that name
    the firms and dimensions there are. Built over time (``instant`` False) needs a single-firm
    scenario (investment plans are single-firm)."""
    if not add:
        if len(scenarios) < 2:
            raise CKMError("compare needs at least two scenarios (or one and --add DIM=AMOUNT)")
        return []
    if len(scenarios) != 1:
        raise CKMError("with --add, give exactly one scenario: the base the spend is added to")
    alternatives = [parse_alternative(text) for text in add]
    for increments in alternatives:
        for inc in increments:
            level_after(scenarios[0], inc)  # refuses a level above 1, naming the maximum
        if not instant:
            with_buildup(scenarios[0], increments)  # refuses what plans cannot do
    if len(set(alternatives)) != len(alternatives):
        raise CKMError("--add: the same alternative is given twice")
    return alternatives


def with_alternatives(
    scenarios: Sequence[Scenario], alternatives: Sequence[Alternative], instant: bool = False
) -> list[Scenario]:
    """The scenarios to run: as given, or the base and one scenario per spend alternative,
    its competence built over time as the equivalent one-step plan (or bought at once)."""
    if not alternatives:
        return list(scenarios)
    make = with_spend if instant else with_buildup
    return [scenarios[0], *(make(scenarios[0], inc) for inc in alternatives)]


def comparison_name(scenarios: Sequence[Scenario]) -> str:
    """The default report name: the scenarios' names joined by ``_vs_`` (a plain name)."""
    return short_name("_vs_".join(unique_names(scenarios)))


def run_comparison(
    scenarios: Sequence[Scenario],
    plan: RunPlan,
    alternatives: Sequence[Alternative] = (),
    all_pairs: bool = False,
    progress: bool = False,
    instant: bool = False,
) -> Comparison:
    """Compare ``scenarios`` (from :func:`with_alternatives`, with the same ``instant``) on
    common seeds; with spend alternatives every pair is compared, :attr:`Comparison.answers`
    says which spend is better and :attr:`Comparison.assumption` how the spend became
    competence."""
    result = compare(scenarios, plan, all_pairs=all_pairs or bool(alternatives), progress=progress)
    if alternatives:
        word = period_word(scenarios[0])
        currency = currency_of(scenarios)
        names = result.runs.names[1:]
        pairs = list(zip(names, alternatives, strict=True))
        named = [(n, words(inc, word, currency)) for n, inc in pairs]
        firms = {
            n: owners.pop()
            for n, inc in pairs
            if len(owners := {i.firm for i in inc}) == 1 and None not in owners
        }
        result.answers = answer(result.differences, result.runs.names[0], named, currency, firms)
        result.assumption = assumption(scenarios[0], alternatives, instant, word)
    return result
