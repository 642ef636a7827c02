"""The period as a pipeline of stages, one room each (docs/ODD.md section 3).

``CKMModel.step()`` walks :data:`PIPELINE` in order; every stage is a function
``stage(world, period) -> record`` (:mod:`~ckm_sim.model.stages.base`). Its name is the key of
its record in ``period.records`` and the name by which a modeller replaces it
(``CKMModel(stages={"churn": my_rule})``, docs/extending.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from ckm_sim.model.scenario import ScenarioError
from ckm_sim.model.stages.about import knowledge_about_customers
from ckm_sim.model.stages.base import Period, Record, Stage, Tally
from ckm_sim.model.stages.books import keep_books
from ckm_sim.model.stages.churn import churn_rule, customers_decide, default_hazard
from ckm_sim.model.stages.for_customers import knowledge_for_customers
from ckm_sim.model.stages.from_customers import knowledge_from_customers
from ckm_sim.model.stages.offer_adaptation import adapt_offer
from ckm_sim.model.stages.open_market import open_market
from ckm_sim.model.stages.organisational_learning import organisational_learning
from ckm_sim.model.stages.repository_sharing import repository_sharing
from ckm_sim.model.stages.settle import settle
from ckm_sim.model.stages.turbulence import turbulence

#: The stages of a period in order, by name (the names of docs/ODD.md section 3).
PIPELINE: tuple[tuple[str, Stage], ...] = (
    ("sharing", repository_sharing),
    ("market", open_market),
    ("turbulence", turbulence),
    ("about", knowledge_about_customers),
    ("from", knowledge_from_customers),
    ("learning", organisational_learning),
    ("offer", adapt_offer),
    ("for", knowledge_for_customers),
    ("churn", customers_decide),
    ("settle", settle),
    ("books", keep_books),
)

STAGE_NAMES: tuple[str, ...] = tuple(name for name, _ in PIPELINE)


def pipeline(replacements: Mapping[str, Stage] | None = None) -> list[tuple[str, Stage]]:
    """The stages of a period, with ``replacements`` (name -> stage) in place of the defaults."""
    replacements = dict(replacements or {})
    unknown = [name for name in replacements if name not in STAGE_NAMES]
    if unknown:
        raise ScenarioError(f"unknown stage '{unknown[0]}'; stages: {', '.join(STAGE_NAMES)}")
    for name, stage in replacements.items():
        if not callable(stage):
            raise ScenarioError(f"stage '{name}' must be a function (world, period) -> record")
    return [(name, replacements.get(name, stage)) for name, stage in PIPELINE]


__all__ = [
    "PIPELINE",
    "STAGE_NAMES",
    "Period",
    "Record",
    "Stage",
    "Tally",
    "churn_rule",
    "default_hazard",
    "pipeline",
]
