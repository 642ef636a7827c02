"""Added spend that builds competence over time: ``compare --add`` as the equivalent plan.

``compare --add it_systems=1500`` asks what 1,500 a month more on IT does. Bought at once
(``--instant``, :func:`ckm_sim.whatif.shared.spend.with_spend`) the level jumps in period 0 to
the level the new spend sustains. Built over time (the default) the alternative is the
*equivalent one-step investment plan* (docs/ODD.md 7.7): from period 1 on, the dimension is
spent on at the cost of its current level plus the increment,

    s_d = cost_d * level_d ** k + amount,

with the scenario's build-up lag and depreciation (the defaults of ``[plan]`` unless the
scenario sets its own), so the level moves from where it is toward ``b_d(s_d)``, the level the
instant purchase buys, exactly as ``optimize --plans`` would move it under that plan. Both pay
the same each period; they differ only in when the level arrives. The other dimensions are held.
A scenario that already has a plan keeps it, the increment added to its first period.

Investment plans are single-firm for now (docs/ODD.md 7.7), so an increment of one firm in a
market of firms can only be bought at once; that is refused here with the way out (``--instant``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ckm_sim.model.scenario import DEFAULT_DEPRECIATION, DEFAULT_LAG, Scenario
from ckm_sim.whatif.shared.spend import (
    Increment,
    SpendError,
    alternative_name,
    level_after,
    spend_after,
)


def plan_table(scenario: Scenario, increments: Sequence[Increment]) -> dict[str, Any]:
    """The scenario's ``[plan]`` (as a table) with each increment spent from period 1 on: a
    one-step plan ``start = 1, <dimension> = cost of its level + increment``, merged into the
    first phase of a plan the scenario already has."""
    spends = {i.dimension: spend_after(scenario, i) for i in increments}
    if scenario.plan is None:
        return {"phases": [{"start": 1, **spends}]}
    table = scenario.plan.model_dump()
    phases = [{k: v for k, v in p.items() if v is not None} for p in table["phases"]]
    if phases and phases[0]["start"] == 1:
        phases[0] = phases[0] | spends
    else:
        phases.insert(0, {"start": 1, **spends})
    return table | {"phases": phases}


def with_buildup(scenario: Scenario, increments: Sequence[Increment]) -> Scenario:
    """The scenario under the equivalent one-step plan of ``increments``, named as
    :func:`~ckm_sim.whatif.shared.spend.with_spend` names the instant purchase."""
    if len(scenario.firm_names()) > 1:
        raise SpendError(
            f"--add on {scenario.name}: competence built over time is an investment plan, and "
            "plans work with single-firm scenarios for now (docs/ODD.md 7.7); add --instant to "
            "buy the firm's level at once"
        )
    for i in increments:
        level_after(scenario, i)  # the checks of the instant purchase: the same spend
    return scenario.with_overrides(
        name=alternative_name(increments), plan=plan_table(scenario, increments)
    )


def half_life(depreciation: float) -> float:
    """Periods for a level to close half of its gap to its target: ``ln 2 / -ln(1 - delta)``
    (infinite without depreciation)."""
    if depreciation <= 0:
        return math.inf
    if depreciation >= 1:
        return 0.0
    return math.log(2.0) / -math.log(1.0 - depreciation)


def buildup_words(scenario: Scenario, increment: Increment, word: str) -> str:
    """``it_systems builds from 0.5 toward 1 from month 3 (a lag of 2 months), half of the
    way in 4.3 months``: how the equivalent plan moves the level."""
    d = increment.dimension
    plan = scenario.plan
    lag = int(getattr(plan.lag, d)) if plan else DEFAULT_LAG[d]
    delta = float(getattr(plan.depreciation, d)) if plan else DEFAULT_DEPRECIATION[d]
    target = level_after(scenario, increment)  # what the plan's spend sustains
    before = getattr(scenario.competence, d)
    return (
        f"{d} builds from {before:.3g} toward {target:.3g} from {word} {lag + 1} (a lag of "
        f"{lag} {word}s), half of the way in {half_life(delta):.2g} {word}s"
    )


def assumption(
    scenario: Scenario, alternatives: Sequence[Sequence[Increment]], instant: bool, word: str
) -> str:
    """The sentence a report states its added spend with: bought at once, or built over time
    (and how each dimension builds)."""
    if instant:
        return (
            "Each added spend buys its level at once, from the start of the run (--instant); "
            "without --instant the level builds over time as the equivalent investment plan "
            "would build it (docs/ODD.md 7.7)."
        )
    seen: dict[str, Increment] = {}
    for increments in alternatives:
        for i in increments:
            seen.setdefault(i.label(), i)
    how = "; ".join(buildup_words(scenario, i, word) for i in seen.values())
    return (
        "Each added spend builds competence over time, as the equivalent one-step investment "
        f"plan from {word} 1 with the scenario's build-up lags and depreciation (the defaults "
        f"unless its plan sets them; docs/ODD.md 7.7), paid in full from {word} 1: "
        f"{how}. --instant buys the level at once instead."
    )
