"""Scenario files: the validated inputs of one model run.

A scenario is a TOML file with five sections (``competence``, ``costs``, ``firm``, ``market``,
``economics``), an optional ``levers`` section that pins derived mechanism rates (used for
docking with March 1991 and for calibration) and an optional ``plan`` section, an investment
plan under which competence builds and erodes over the run (docs/ODD.md 7.7). Every field name
is unique across sections, so a scenario can also be built from, or overridden by, flat keyword
arguments: this is how ``CKMModel(**kwargs)``, Mesa's ``batch_run`` and the dashboard sliders
address parameters.

Bad input never produces a traceback for the user: :func:`load_scenario` raises
:class:`ScenarioError`, whose message is one line naming the file, the key and what is allowed.
"""

from __future__ import annotations

import numbers
import re
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, SupportsIndex

import annotated_types
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from ckm_sim.errors import CKMError
from ckm_sim.model.costs import CostFields, cost_source, initial_share, unit_cost
from ckm_sim.model.structure import strength_fields
from ckm_sim.names import PlainName
from ckm_sim.tomlfiles import (
    describe_error,
    find_shipped,
    list_shipped,
    read_toml,
    shipped_folder,
    validate_one_line,
)

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Probability = Unit
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]

DIMENSIONS: tuple[str, ...] = (
    "inter_functional_cooperation",
    "organisational_systems",
    "customer_cooperation",
    "it_systems",
    "learning_culture",
)

#: Most periods a run may have (scenario files, experiment files and --periods alike).
MAX_PERIODS = 100_000

#: The shipped scenarios (package data; ``scenarios/`` in the repository links to it).
SCENARIO_DIR = shipped_folder("scenarios")


class ScenarioError(CKMError, ValueError):
    """A scenario (file or keyword arguments) that cannot be used; the message is one line."""


def as_whole_number(value: Any) -> int:
    """``value`` as an ``int``: ints, numpy integers and integral floats (``60.0``, as sweep tools
    send them) are accepted; booleans, strings and fractional numbers raise ``ValueError``."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, numbers.Integral):  # int and numpy integers
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():  # 60.0, np.float64(60)
        return int(float(value))
    raise ValueError("must be a whole number")


def whole_number(value: Any, name: str) -> int:
    """:func:`as_whole_number` for an argument ``name``; a bad value is a one-line ScenarioError."""
    try:
        return as_whole_number(value)
    except ValueError as exc:
        raise ScenarioError(f"{name} {exc}, got {value!r}") from None


#: A whole number as sweep tools send it: an int, a numpy integer or an integral float.
IntLike = SupportsIndex | float

#: An integer parameter: also accepts numpy integers and integral floats, rejects the rest.
WholeNumber = Annotated[int, BeforeValidator(as_whole_number)]


def _is_float_field(annotation: Any) -> bool:
    """Whether a field holds a ``float`` (possibly optional or annotated); whole-number fields
    refuse strings themselves (:data:`WholeNumber`)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_float_field(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is Annotated:
        return _is_float_field(typing.get_args(annotation)[0])
    return annotation is float


def _reject_booleans(cls: type[BaseModel], data: Any) -> Any:
    """TOML ``true``/``false`` and strings such as ``"120"`` are not numbers: pydantic's lax mode
    would read them as 1/0 and 120."""
    if isinstance(data, dict):
        for key, value in data.items():
            field = cls.model_fields.get(key) if isinstance(key, str) else None
            if field is None or not isinstance(value, bool | str):
                continue
            if isinstance(value, bool) and field.annotation is not bool:
                raise ValueError(f"'{key}' must be a number, not {str(value).lower()}")
            if isinstance(value, str) and _is_float_field(field.annotation):
                raise ValueError(f"'{key}' must be a number, not the string {value!r}")
    return data


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        return _reject_booleans(cls, data)


class Competence(_Section):
    """The five dimensions of CKM competence, each a level in [0, 1]."""

    inter_functional_cooperation: Unit = 0.5
    organisational_systems: Unit = 0.5
    customer_cooperation: Unit = 0.5
    it_systems: Unit = 0.5
    learning_culture: Unit = 0.5


class Costs(_Section, CostFields):
    """What each dimension costs per period: its cost of level 1, from fixed, per-employee and
    per-customer parts (or the old flat ``cost_<dim>``), times ``level ** cost_exponent``."""


class Firm(_Section):
    """Departments, employees, their ties, and the conventions of the firm's learning."""

    departments: list[str] = Field(
        default_factory=lambda: ["marketing", "sales", "service", "rnd", "it"], min_length=2
    )
    frontline_departments: list[str] = Field(default_factory=lambda: ["sales", "service"])
    product_department: str = "rnd"
    employees: Annotated[WholeNumber, Field(ge=2, le=100_000)] = 50
    intra_department_ties: Annotated[WholeNumber, Field(ge=0, le=50)] = 4
    max_cross_department_ties: Annotated[WholeNumber, Field(ge=0, le=50)] = 4
    employee_turnover: Probability = 0.01
    # the department that runs the direct (co-creation) channels to customers (docs/ODD.md 7.2);
    # "marketing" by default, the product department when the firm has no marketing department
    channel_department: str = "marketing"
    # share of a capture that still reaches the shared repository when the capturing department
    # has not agreed on the shared customer database this period (docs/ODD.md 7.2)
    unshared_capture: Probability = 0.5
    # how long the firm acts on a CRM record: personalisation and tailored messages use entries
    # recorded within this many periods, older ones count as unknown (docs/ODD.md 7.2)
    record_shelf_life: Annotated[WholeNumber, Field(ge=1, le=100_000)] = 12
    # how the firm appraises employees for code and peer learning (docs/ODD.md 7.2): by the
    # observed satisfaction of the customers they serve ("outcomes", default), or, reading the
    # ground truth as March's (1991) text ("knowledge") and program ("performance") do
    appraisal: Literal["outcomes", "knowledge", "performance"] = "outcomes"
    # s.d. of the satisfaction survey's error behind "outcomes" appraisal (docs/ODD.md 7.2)
    appraisal_noise: Annotated[float, Field(ge=0.0, le=10.0)] = 0.1
    # conventions of organisational learning (docs/ODD.md 7.2; docs/validation.md): March's
    # (1991) text by default, or what his program did
    socialisation: Literal["direct", "gradual"] = "direct"
    code_vote: Literal["dissent", "margin"] = "dissent"

    @model_validator(mode="after")
    def _departments_consistent(self) -> Firm:
        if len(set(self.departments)) != len(self.departments):
            raise ValueError("departments must have distinct names")
        unknown = [d for d in self.frontline_departments if d not in self.departments]
        if unknown or not self.frontline_departments:
            raise ValueError(
                "frontline_departments must be a non-empty subset of departments "
                f"{self.departments}"
            )
        if self.product_department not in self.departments:
            raise ValueError(f"product_department must be one of departments {self.departments}")
        if self.channel_department not in self.departments:
            if "channel_department" in self.model_fields_set:
                raise ValueError(
                    f"channel_department must be one of departments {self.departments}"
                )
            self.__dict__["channel_department"] = self.product_department
        if self.employees < len(self.departments):
            raise ValueError("employees must be at least the number of departments")
        return self


class Market(_Section):
    """Customers, their needs, their community and the competition."""

    customers: Annotated[WholeNumber, Field(ge=0, le=10_000_000)] = 2000
    prospects: Annotated[WholeNumber, Field(ge=0, le=5_000_000)] = 1000
    segments: Annotated[WholeNumber, Field(ge=1, le=1000)] = 5
    need_dimensions: Annotated[WholeNumber, Field(ge=1, le=1000)] = 30
    need_heterogeneity: Annotated[float, Field(ge=0.0, le=0.5)] = 0.1
    turbulence: Probability = 0.01
    community: Literal["small_world", "scale_free", "none"] = "small_world"
    community_degree: Annotated[WholeNumber, Field(ge=0, le=100)] = 6
    rewiring: Probability = 0.1
    initial_offer_fit: Probability = 0.7
    initial_offer_knowledge: Probability = 0.3
    # periods of knowledge flows before period 1, with no one joining or leaving and nothing
    # counted, so a run starts from the scenario's own steady state (docs/ODD.md 5)
    burn_in: Annotated[WholeNumber, Field(ge=0, le=1000)] = 60
    contact_rate: Probability = 0.3
    dims_per_contact: Annotated[WholeNumber, Field(ge=0, le=1000)] = 3
    dims_per_feedback: Annotated[WholeNumber, Field(ge=0, le=1000)] = 3
    tailoring: Probability = 0.5
    broadcast_efficiency: Probability = 0.25
    usability_floor: Probability = 0.5
    offer_knowledge_decay: Probability = 0.02
    competitor_value: Probability = 0.45
    satisfaction_sensitivity: Annotated[float, Field(ge=0.0, le=100.0)] = 10.0
    satisfaction_memory: Probability = 0.7
    churn_floor: Probability = 0.002
    competitor_pull: Probability = 0.04
    fixed_churn: Probability | None = None
    base_acquisition: Probability = 0.005
    word_of_mouth: Probability = 0.02
    promoter_threshold: Probability = 0.7
    detractor_threshold: Probability = 0.3
    # customers who differ in loyalty (docs/ODD.md 7.3): churn propensity multiplier, mean 1
    loyalty_spread: Annotated[float, Field(ge=0.0, le=5.0)] = 0.8
    # an open market (docs/ODD.md 7.3): arrivals and win-back
    market_growth: Annotated[float, Field(ge=0.0, le=0.1)] = 0.003
    winback_rate: Probability = 0.02
    winback_cooloff: Annotated[int, Field(ge=1, le=1000)] = 6
    # competition between several firms (docs/ODD.md 7.6; no effect with one firm)
    choice_sensitivity: Annotated[float, Field(ge=0.0, le=100.0)] = 10.0
    reputation_weight: Annotated[float, Field(gt=0.0, le=100.0)] = 2.0
    switching_cost: Annotated[float, Field(ge=0.0, le=1.0)] = 0.1


class Economics(_Section):
    """Money: margins, costs to acquire and serve, discounting and the horizon convention."""

    margin: NonNegative = 10.0
    margin_spread: Annotated[float, Field(ge=0.0, le=3.0)] = 0.8
    segment_margin_spread: Annotated[float, Field(ge=0.0, le=3.0)] = 0.0
    discount_rate: Annotated[float, Field(gt=0.0, le=1.0)] = 0.01
    acquisition_cost: NonNegative = 40.0
    contact_cost: NonNegative = 2.0
    # "horizon": value and cost over periods 1..T; "residual": both beyond T (docs/ODD.md 7.5)
    horizon_value: Literal["horizon", "residual"] = "horizon"
    periods_per_year: Annotated[int, Field(ge=1, le=1000)] = 12
    # the unit every amount of money is in (reports, tables, dashboard, game; issue 22)
    currency: Annotated[str, Field(min_length=1, max_length=8, pattern=r"^\S+$")] = "EUR"


class Levers(_Section):
    """Optional pins of derived mechanism rates (see docs/ODD.md, section 7.1).

    ``None`` means: derive the rate from the competence dimensions. A number overrides it.
    """

    socialisation_rate: Probability | None = None
    code_learning_rate: Probability | None = None
    discernment: Probability | None = None
    peer_learning_rate: Probability | None = None
    cross_tie_use: Probability | None = None
    absorption: Probability | None = None
    capture: Probability | None = None
    capture_fidelity: Probability | None = None
    personalisation: Probability | None = None
    analytic_reach: Probability | None = None
    offer_adaptation: Probability | None = None
    feedback_willingness: Probability | None = None
    direct_channel: Probability | None = None
    relay_to_product: Probability | None = None
    community_learning: Probability | None = None
    offer_communication: Probability | None = None
    tailored_messaging: Probability | None = None
    repository_sharing: Probability | None = None
    targeting: Probability | None = None


#: Build-up lag (periods) of each dimension under an investment plan (docs/ODD.md 7.7): how long
#: spend takes to start changing the level. IT is bought and installed within a quarter; systems
#: of evaluation and reward, and a culture, take half a year before they move.
DEFAULT_LAG: dict[str, int] = {
    "inter_functional_cooperation": 3,
    "organisational_systems": 6,
    "customer_cooperation": 3,
    "it_systems": 2,
    "learning_culture": 6,
}
#: Depreciation (share of the level lost per period without spend; also the speed of build-up)
#: of each dimension under an investment plan (docs/ODD.md 7.7): IT is fast to buy and fast to
#: age, culture slow to build and slow to erode.
DEFAULT_DEPRECIATION: dict[str, float] = {
    "inter_functional_cooperation": 0.05,
    "organisational_systems": 0.04,
    "customer_cooperation": 0.06,
    "it_systems": 0.15,
    "learning_culture": 0.03,
}
Lag = Annotated[WholeNumber, Field(ge=0, le=MAX_PERIODS)]


class PlanLags(_Section):
    """Build-up lag of each dimension, in periods (docs/ODD.md 7.7)."""

    inter_functional_cooperation: Lag = DEFAULT_LAG["inter_functional_cooperation"]
    organisational_systems: Lag = DEFAULT_LAG["organisational_systems"]
    customer_cooperation: Lag = DEFAULT_LAG["customer_cooperation"]
    it_systems: Lag = DEFAULT_LAG["it_systems"]
    learning_culture: Lag = DEFAULT_LAG["learning_culture"]


class PlanDepreciation(_Section):
    """Depreciation of each dimension, a share per period (docs/ODD.md 7.7)."""

    inter_functional_cooperation: Unit = DEFAULT_DEPRECIATION["inter_functional_cooperation"]
    organisational_systems: Unit = DEFAULT_DEPRECIATION["organisational_systems"]
    customer_cooperation: Unit = DEFAULT_DEPRECIATION["customer_cooperation"]
    it_systems: Unit = DEFAULT_DEPRECIATION["it_systems"]
    learning_culture: Unit = DEFAULT_DEPRECIATION["learning_culture"]


class Phase(_Section):
    """From period ``start`` on, spend this much per period on each dimension named (a
    dimension not named keeps its spend from the phase before)."""

    start: Annotated[WholeNumber, Field(ge=1, le=MAX_PERIODS)]
    inter_functional_cooperation: NonNegative | None = None
    organisational_systems: NonNegative | None = None
    customer_cooperation: NonNegative | None = None
    it_systems: NonNegative | None = None
    learning_culture: NonNegative | None = None

    def spends(self) -> dict[str, float]:
        """The spend per period of each dimension this phase names."""
        return {d: getattr(self, d) for d in DIMENSIONS if getattr(self, d) is not None}


class Plan(_Section):
    """An investment plan: phases of spend per dimension, and how competence builds and erodes
    (docs/ODD.md 7.7). Without a plan competence is fixed for the run."""

    lag: PlanLags = Field(default_factory=PlanLags)
    depreciation: PlanDepreciation = Field(default_factory=PlanDepreciation)
    phases: list[Phase] = Field(default_factory=list, max_length=10_000)

    @model_validator(mode="after")
    def _phases_in_order(self) -> Plan:
        for before, after in zip(self.phases, self.phases[1:], strict=False):
            if after.start <= before.start:
                raise ValueError(
                    "phases must be in order of their start period, each later than the one "
                    f"before: a phase starting at {after.start} follows one at {before.start}"
                )
        return self

    def planned(self) -> tuple[str, ...]:
        """The dimensions some phase names (the others keep the scenario's level and cost)."""
        named = {d for phase in self.phases for d in phase.spends()}
        return tuple(d for d in DIMENSIONS if d in named)


class Structure(_Section, strength_fields(Levers.model_fields)):  # type: ignore[misc]
    """How strongly each lever responds: ``strength_<lever>`` scales its derived rate
    (ckm_sim/model/structure.py; docs/ODD.md 7.1)."""


SECTIONS: dict[str, type[_Section]] = {
    "competence": Competence,
    "costs": Costs,
    "firm": Firm,
    "market": Market,
    "economics": Economics,
    "levers": Levers,
    "structure": Structure,
}


#: Sections whose fields one firm of a multi-firm scenario may set for itself (docs/ODD.md 7.6).
FIRM_SECTIONS: tuple[str, ...] = ("competence", "costs", "firm", "levers")
#: Firm-only fields (docs/ODD.md 7.6): the firm's share of the initial customers (None: an
#: equal split of what the firms that set none leave), what it knows of them at the start, and
#: the fit of its initial offer (None: the market's ``initial_offer_fit``).
FIRM_ONLY: tuple[str, ...] = ("initial_share", "prior_knowledge", "initial_offer_fit")
#: The name of the one firm of a scenario without ``[[firms]]``.
SINGLE_FIRM = "firm"
#: A firm's name: it becomes part of outcome keys (``leader.clv``), so no dots or spaces.
FIRM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}")


def _firm_fields() -> tuple[str, ...]:
    return tuple(f for s in FIRM_SECTIONS for f in SECTIONS[s].model_fields) + FIRM_ONLY


class FirmSpec(BaseModel):
    """One firm of a multi-firm scenario: its name and the fields it sets for itself.

    In TOML a ``[[firms]]`` table: ``name`` and flat fields (``it_systems = 0.9``), or the same
    fields in ``competence`` / ``costs`` / ``firm`` / ``levers`` sub-tables. Every field it does
    not set comes from the scenario's top-level sections.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    overrides: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("a firm must be a table with a 'name'")
        data = dict(data)
        name = data.pop("name", None)
        if not isinstance(name, str) or not FIRM_NAME.fullmatch(name):
            raise ValueError(
                f"firm name {name!r} must be a plain name (letters, digits, '_', '-'; "
                "no dots or spaces, at most 40 characters)"
            )
        overrides = data.pop("overrides", None)
        if overrides is not None and not isinstance(overrides, dict):
            raise ValueError(f"'overrides' of firm '{name}' must be a table of fields")
        flat = dict(overrides or {})
        for key, value in data.items():
            if key in FIRM_SECTIONS and isinstance(value, dict):
                flat.update(value)
            else:
                flat[key] = value
        allowed = _firm_fields()
        for key in flat:
            if key not in allowed:
                raise ValueError(
                    f"unknown field '{key}' of firm '{name}'; allowed: {', '.join(allowed)}"
                )
        for key in FIRM_ONLY:
            value = flat.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ValueError(f"'{key}' of firm '{name}' must be a number in [0, 1]")
            flat[key] = float(value)
        return {"name": name, "overrides": flat}

    def get(self, key: str, default: Any = None) -> Any:
        """The value this firm sets for ``key``, or ``default``."""
        return self.overrides.get(key, default)


class Scenario(BaseModel):
    """One complete, validated set of model inputs."""

    model_config = ConfigDict(extra="forbid")

    name: PlainName = "custom"  # a folder name under --out: no '/', no '..'
    description: str = ""
    periods: Annotated[WholeNumber, Field(ge=0, le=MAX_PERIODS)] = 120
    # None: no fixed seed, each model draws a fresh one from entropy (and records it)
    seed: Annotated[WholeNumber, Field(ge=0)] | None = None
    competence: Competence = Field(default_factory=Competence)
    costs: Costs = Field(default_factory=Costs)
    firm: Firm = Field(default_factory=Firm)
    market: Market = Field(default_factory=Market)
    economics: Economics = Field(default_factory=Economics)
    levers: Levers = Field(default_factory=Levers)
    structure: Structure = Field(default_factory=Structure)
    # the firms of a competitive market (docs/ODD.md 7.6); empty: one firm, "firm", against the
    # outside option (competitor_value, competitor_pull)
    firms: list[FirmSpec] = Field(default_factory=list)
    # an investment plan: competence that builds and erodes over the run (docs/ODD.md 7.7)
    plan: Plan | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        return _reject_booleans(cls, data)

    @model_validator(mode="after")
    def _firms_consistent(self) -> Scenario:
        names = [f.name for f in self.firms]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"firm names must be unique, '{twice[0]}' is used twice")
        shares = [f.get("initial_share") for f in self.firms]
        given = sum(s for s in shares if s is not None)
        if given > 1 + 1e-9 or (given < 1 - 1e-9 and None not in shares and shares):
            raise ValueError(f"the firms' initial_share must add up to 1, got {given:g}")
        for spec in self.firms:
            try:
                self.for_firm(spec.name)
            except ScenarioError as exc:
                raise ValueError(str(exc)) from None
        return self

    def firm_names(self) -> tuple[str, ...]:
        """The firms' names, in order (``("firm",)`` for a scenario without ``[[firms]]``)."""
        return tuple(f.name for f in self.firms) or (SINGLE_FIRM,)

    def firm_spec(self, name: str) -> FirmSpec:
        """The spec of firm ``name`` (an empty one for the single firm); unknown: ScenarioError."""
        for spec in self.firms:
            if spec.name == name:
                return spec
        if not self.firms and name == SINGLE_FIRM:
            return FirmSpec(name=SINGLE_FIRM)
        raise ScenarioError(f"unknown firm '{name}'; firms: {', '.join(self.firm_names())}")

    def for_firm(self, name: str) -> Scenario:
        """The scenario one firm works under: the top-level sections with the firm's own fields
        (firm-only fields and the other firms left out)."""
        spec = self.firm_spec(name)
        own = {k: v for k, v in spec.overrides.items() if k not in FIRM_ONLY}
        if not own and not self.firms:
            return self
        data = self.model_dump()
        data["firms"] = []
        for key, value in own.items():
            data[FIELD_SECTION[key]][key] = value
        if self.firms and data["costs"]["budget_customers"] is None:  # its share (ODD 7.5)
            data["costs"]["budget_customers"] = self.market.customers * initial_share(self, name)
        return validate_scenario(data, source=f"firms.{name}")

    def flat_firms(self) -> dict[str, Any]:
        """Every field a firm sets for itself, as flat ``firms.<name>.<field>`` keys."""
        return {
            firm_key(spec.name, key): value
            for spec in self.firms
            for key, value in spec.overrides.items()
        }

    @model_validator(mode="after")
    def _planned_dimensions_cost_something(self) -> Scenario:
        if self.plan is not None and self.firms:
            raise ValueError(
                "an investment plan works with a single-firm scenario (no [[firms]]) for now"
            )
        for dim in self.plan.planned() if self.plan is not None else ():
            if unit_cost(self, dim) <= 0:
                raise ValueError(
                    f"the plan spends on {dim}, but {cost_source(self, dim)} is 0: spend buys "
                    "nothing there (leave it out of the plan or give it a cost)"
                )
        return self

    @model_serializer(mode="wrap")
    def _without_absent_plan(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A scenario without a plan dumps exactly as before plans existed (digests, files)."""
        data = handler(self)
        if self.plan is None:
            data.pop("plan", None)
        return data

    def flat(self) -> dict[str, Any]:
        """All parameters as one flat dict of ``field -> value`` (section names dropped)."""
        out: dict[str, Any] = {}
        for section in SECTIONS:
            out.update(getattr(self, section).model_dump())
        return out

    def with_overrides(self, **overrides: Any) -> Scenario:
        """A copy with flat keyword overrides applied (``customers=500, it_systems=0.9``);
        ``plan=`` replaces the investment plan (a :class:`Plan`, its table, or None)."""
        if not overrides:
            return self
        data = self.model_dump()
        for key, value in overrides.items():
            if key in ("name", "description", "periods", "seed", "plan"):
                data[key] = value
                continue
            if key.startswith("firms."):
                self._override_firm(data, key, value)
                continue
            section = FIELD_SECTION.get(key)
            if section is None:
                raise ScenarioError(f"unknown parameter '{key}'; allowed: {', '.join(FIELDS)}")
            data[section][key] = value
        return validate_scenario(data, source="keyword arguments")

    def _override_firm(self, data: dict[str, Any], key: str, value: Any) -> None:
        """Apply one ``firms.<name>.<field>`` override to ``data`` (a model dump)."""
        _, name, field = split_firm_key(key)
        allowed = _firm_fields()
        if field not in allowed:
            raise ScenarioError(f"unknown firm field '{field}' in '{key}'; allowed: {allowed}")
        if not self.firms:
            self.firm_spec(name)  # the single firm: its fields are the top-level ones
            if field in FIRM_ONLY:
                raise ScenarioError(f"'{key}': {field} needs a scenario with [[firms]]")
            data[FIELD_SECTION[field]][field] = value
            return
        self.firm_spec(name)
        for firm in data["firms"]:
            if firm["name"] == name:
                firm["overrides"][field] = value


def firm_key(firm: str, field: str) -> str:
    """The flat override key of one firm's field: ``firms.<firm>.<field>``."""
    return f"firms.{firm}.{field}"


def split_firm_key(key: str) -> tuple[str, str, str]:
    """``("firms", firm, field)`` from a ``firms.<firm>.<field>`` key; else ScenarioError."""
    parts = key.split(".")
    if len(parts) != 3 or parts[0] != "firms" or not all(parts):
        raise ScenarioError(f"'{key}': a firm's field is addressed as firms.<firm>.<field>")
    return parts[0], parts[1], parts[2]


FIELD_SECTION: dict[str, str] = {
    field: section for section, cls in SECTIONS.items() for field in cls.model_fields
}
FIELDS: tuple[str, ...] = tuple(FIELD_SECTION)


def _unwrap(name: str) -> tuple[Any, list[Any]]:
    """The plain type of flat parameter ``name`` and its constraints (Optional and Annotated
    peeled off: ``Probability | None`` -> ``float``, ``[Ge(0), Le(1)]``)."""
    info = SECTIONS[FIELD_SECTION[name]].model_fields[name]
    annotation, metadata = info.annotation, list(info.metadata)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return annotation, metadata
        annotation = args[0]
    if typing.get_origin(annotation) is Annotated:
        annotation, *extra = typing.get_args(annotation)
        for item in extra:
            metadata.extend(getattr(item, "metadata", None) or [item])
    return annotation, metadata


def field_kind(name: str) -> str:
    """``int``, ``float``, ``bool``, ``str`` or ``other`` for a flat scenario parameter."""
    annotation, _ = _unwrap(name)
    if typing.get_origin(annotation) is Literal:
        return "str"
    for kind in (bool, int, float, str):
        if annotation is kind:
            return kind.__name__
    return "other"


def field_bounds(name: str) -> tuple[float | None, float | None] | None:
    """(lower, upper) limits of a continuous (float) parameter, None for any other parameter
    (a limit is None where there is none)."""
    if name not in FIELD_SECTION or field_kind(name) != "float":
        return None
    low = high = None
    for m in _unwrap(name)[1]:
        if isinstance(m, annotated_types.Ge | annotated_types.Gt):
            low = float(getattr(m, "ge", getattr(m, "gt", 0.0)))
        if isinstance(m, annotated_types.Le | annotated_types.Lt):
            high = float(getattr(m, "le", getattr(m, "lt", 0.0)))
    return low, high


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds (itself, optional, or as list items), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _allowed_here(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where a validation error points (``plan.phases.0.x``: a phase's)."""
    cls: type[BaseModel] = Scenario
    for part in loc[:-1]:
        info = cls.model_fields.get(part) if isinstance(part, str) else None
        inner = _model_in(info.annotation) if info is not None else None
        if inner is not None:
            cls = inner
    return list(cls.model_fields)


def _describe_error(err: dict[str, Any]) -> str:
    return describe_error(err, _allowed_here)


def validate_scenario(data: dict[str, Any], source: str = "scenario") -> Scenario:
    """Validate a nested dict into a :class:`Scenario`, or raise a one-line ScenarioError."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario must be a table of sections")
    return validate_one_line(Scenario, data, source, _describe_error, ScenarioError)


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """Find a scenario by path, or by bare name among the shipped scenarios."""
    return find_shipped(name_or_path, SCENARIO_DIR, "scenario", ScenarioError)


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file (or a shipped scenario's name)."""
    path = resolve_scenario_path(name_or_path)
    data = read_toml(path, ScenarioError)
    data.setdefault("name", path.stem)
    return validate_scenario(data, source=str(path))


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios (a ScenarioError if there are none: a broken install)."""
    return list_shipped(SCENARIO_DIR, "scenario", ScenarioError)
