"""The dashboard's model: a CKMModel built from the settings the controls show.

A page's *settings* are one flat dict (the preset's name, the five dimensions, the market, the
seed): :func:`preset_settings` loads a preset's, the sliders edit them, and :func:`build_model`
builds the model that runs from them, so the model that runs is always the one the controls
show (after Reset). In a scenario with ``[[firms]]`` the five dimensions are each firm's, as
``firms.<name>.<dimension>`` keys (the model's own override keys, docs/ODD.md 7.6).
:class:`DashboardModel` also traces, per period, which customers took part in which knowledge
flow (:mod:`ckm_sim.dashboard.flows`), for the network view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ckm_sim.dashboard.flows import FlowTrace, PeerTrace
from ckm_sim.model.model import CKMModel
from ckm_sim.model.scenario import DIMENSIONS, Scenario, firm_key, load_scenario, split_firm_key

#: The classroom size: a preset with more customers is loaded with this many (the slider goes up).
CLASSROOM_CUSTOMERS = 1000
DEFAULT_PRESET = "baseline"
DEFAULT_SEED = 42

#: Slider label of each of the five dimensions.
DIMENSION_LABELS: dict[str, str] = {
    "inter_functional_cooperation": "Inter-functional cooperation",
    "organisational_systems": "Organisational systems",
    "customer_cooperation": "Cooperation with customers",
    "it_systems": "IT systems",
    "learning_culture": "Learning culture",
}


@dataclass(frozen=True)
class SliderSpec:
    """One slider of the settings panel: label, range, step and the unit shown after the value
    (``money``: an amount, whose unit is preceded by the scenario's currency)."""

    label: str
    low: float
    high: float
    step: float
    unit: str = ""
    money: bool = False

    @property
    def is_int(self) -> bool:
        """Whether the slider moves in whole numbers."""
        return all(float(v).is_integer() for v in (self.low, self.high, self.step))

    def unit_in(self, currency: str | None) -> str:
        """The unit after the value; a money slider's names ``currency`` (``EUR per month``)."""
        if self.money and currency:
            return f"{currency} {self.unit}".strip()
        return self.unit

    def format(self, value: float, currency: str | None = None) -> str:
        """The value as the slider's readout shows it (money in ``currency``)."""
        decimals = len(f"{self.step:g}".partition(".")[2])
        text = f"{int(value):,}" if self.is_int else f"{value:.{max(decimals, 2)}f}"
        return f"{text} {self.unit_in(currency)}".strip()


#: The market parameters with a slider.
MARKET_SLIDERS: dict[str, SliderSpec] = {
    "customers": SliderSpec("Customers at the start", 0, 5000, 100),
    "employees": SliderSpec("Employees", 10, 300, 5),
    "segments": SliderSpec("Segments", 1, 20, 1),
    "turbulence": SliderSpec("Turbulence", 0.0, 0.1, 0.005, "per month"),
    "margin": SliderSpec("Margin per customer", 0.0, 50.0, 1.0, "per month", money=True),
}
#: Every slider: the five dimensions (0 to 1), then the market.
SLIDERS: dict[str, SliderSpec] = {
    **{dim: SliderSpec(label, 0.0, 1.0, 0.05) for dim, label in DIMENSION_LABELS.items()},
    **MARKET_SLIDERS,
}
SEED_RANGE = (0, 999_999)


def competence_settings(sc: Scenario) -> dict[str, float]:
    """The competence settings of a scenario: the five dimensions of its firm, or with
    ``[[firms]]`` each firm's five as ``firms.<name>.<dimension>`` (the levels it works at)."""
    if not sc.firms:
        return {d: float(getattr(sc.competence, d)) for d in DIMENSIONS}
    return {
        firm_key(name, d): float(getattr(sc.for_firm(name).competence, d))
        for name in sc.firm_names()
        for d in DIMENSIONS
    }


def setting_firms(settings: dict[str, Any]) -> tuple[str, ...]:
    """The firms whose competence the settings hold, in order (none for a single firm)."""
    names = [split_firm_key(k)[1] for k in settings if k.startswith("firms.")]
    return tuple(dict.fromkeys(names))


def firm_levels(settings: dict[str, Any], firm: str) -> dict[str, float]:
    """One firm's five levels in the settings."""
    return {d: settings[firm_key(firm, d)] for d in DIMENSIONS}


def slider_names(settings: dict[str, Any]) -> list[str]:
    """The settings that have a slider: the competence (the firm's, or every firm's), then the
    market."""
    return [k for k in settings if k in SLIDERS or k.startswith("firms.")]


def slider_spec(name: str) -> SliderSpec:
    """The slider of a setting (a ``firms.<name>.<dimension>`` key has its dimension's)."""
    return SLIDERS[split_firm_key(name)[2] if name.startswith("firms.") else name]


def slider_label(name: str) -> str:
    """A setting's name in a sentence: its slider's label, with the firm's name for a firm's."""
    if name.startswith("firms."):
        _, firm, dim = split_firm_key(name)
        return f"{SLIDERS[dim].label} ({firm})"
    return SLIDERS[name].label if name in SLIDERS else name


class DashboardModel(CKMModel):
    """A :class:`CKMModel` from a preset name, a seed and flat overrides (the settings).

    ``prospect_share`` keeps the preset's ratio of prospects to customers when the customers
    slider moves. ``flows`` is the :class:`FlowTrace` of the run.
    """

    def __init__(
        self,
        scenario: Scenario | str | None = None,
        *,
        preset: str = DEFAULT_PRESET,
        seed: int = DEFAULT_SEED,
        prospect_share: float | None = None,
        rng: int | np.random.Generator | None = None,
        **params: Any,
    ) -> None:
        if scenario is None or not isinstance(scenario, Scenario | str):
            scenario = preset
        if prospect_share is not None and "customers" in params and "prospects" not in params:
            params["prospects"] = round(int(params["customers"]) * prospect_share)
        seed = int(seed)
        super().__init__(scenario, rng=seed if rng is None else rng, **params)
        self.preset = preset
        self.seed = seed
        self.flows = FlowTrace(len(self.state.status))
        self.peers = PeerTrace()

    def step(self) -> None:
        """One period of the model, then the trace notes who took part in each flow, from the
        stages' records (:mod:`ckm_sim.model.stages`), and what customers learned of the offer
        other than from the firm (:class:`~ckm_sim.dashboard.flows.PeerTrace`)."""
        before = self.state.understood.copy()
        super().step()
        period = self.period
        if period is None:
            return
        tailored_to = period.record("for").tailored_to
        self.peers.note(before, self.state.understood, tailored_to, self.steps)
        self.flows.note("about", period.record("about").contacted, self.steps)
        self.flows.note("from", period.record("from").sharers, self.steps)
        tailored = period.record("for").tailored_to
        if len(tailored):
            s = self.state
            known = (s.profile[tailored] == s.needs[tailored]).any(axis=1)
            self.flows.note("for", tailored[known], self.steps)


def preset_settings(preset: str) -> dict[str, Any]:
    """The settings a preset loads (customers capped at the classroom size)."""
    sc = load_scenario(preset)
    mk = sc.market
    share = mk.prospects / mk.customers if mk.customers else 0.5
    values: dict[str, Any] = competence_settings(sc)
    values.update(
        customers=min(mk.customers, CLASSROOM_CUSTOMERS),
        employees=sc.firm.employees,
        segments=mk.segments,
        turbulence=float(mk.turbulence),
        margin=float(sc.economics.margin),
        seed=DEFAULT_SEED if sc.seed is None else int(sc.seed),
        preset=preset,
        prospect_share=share,
    )
    return values


def build_model(preset: str = DEFAULT_PRESET, **overrides: Any) -> DashboardModel:
    """The model of a preset's settings with ``overrides`` (the sliders) on top."""
    return DashboardModel(**(preset_settings(preset) | overrides))


def model_settings(model: CKMModel) -> dict[str, Any]:
    """The settings a model runs with, read back from its scenario (what the page shows)."""
    sc = model.scenario_config
    values: dict[str, Any] = competence_settings(sc)
    values.update(
        customers=sc.market.customers,
        employees=sc.firm.employees,
        segments=sc.market.segments,
        turbulence=float(sc.market.turbulence),
        margin=float(sc.economics.margin),
        seed=model_seed(model),
        preset=getattr(model, "preset", sc.name),
    )
    return values


def model_seed(model: CKMModel) -> int:
    """The seed a model was built with (the scenario's when the model does not say)."""
    seed = getattr(model, "seed", None)
    if seed is None:
        seed = model.scenario_config.seed
    return DEFAULT_SEED if seed is None else int(seed)
