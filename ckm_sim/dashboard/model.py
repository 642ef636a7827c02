"""The dashboard's model: a CKMModel built from a preset scenario and the sliders' values.

Mesa's SolaraViz rebuilds the model on Reset as ``type(model)(**slider_values)``, adding a Mesa
``scenario`` object of its own; :class:`DashboardModel` takes those keyword arguments as they come
(the preset's name, the seed, flat scenario overrides) and ignores Mesa's scenario object.
:func:`model_params` turns a preset into the sliders SolaraViz shows, with the preset's values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from mesa.experimental.scenarios import Scenario as MesaScenario
from mesa.visualization import Slider

from ckm_sim.model.model import CKMModel
from ckm_sim.model.scenario import DIMENSIONS, Scenario, load_scenario

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

#: The market parameters with a slider: label, min, max, step (ints where all are ints).
MARKET_SLIDERS: dict[str, tuple[str, float, float, float]] = {
    "customers": ("Customers (at the start)", 0, 5000, 100),
    "employees": ("Employees", 10, 300, 5),
    "segments": ("Segments", 1, 20, 1),
    "turbulence": ("Turbulence (need drift per period)", 0.0, 0.1, 0.005),
    "margin": ("Margin per customer per period", 0.0, 50.0, 1.0),
}


class DashboardModel(CKMModel):
    """A :class:`CKMModel` from a preset name, a seed and flat overrides (the sliders).

    ``prospect_share`` keeps the preset's ratio of prospects to customers when the customers
    slider moves. ``scenario`` may be Mesa's own scenario object (SolaraViz passes one on Reset);
    it carries nothing for this model and is ignored.
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
        if scenario is None or isinstance(scenario, MesaScenario):
            scenario = preset
        if prospect_share is not None and "customers" in params and "prospects" not in params:
            params["prospects"] = round(int(params["customers"]) * prospect_share)
        seed = int(seed)
        super().__init__(scenario, rng=seed if rng is None else rng, **params)
        self.preset = preset
        self.seed = seed


def preset_values(preset: str) -> dict[str, Any]:
    """The slider values and fixed parameters a preset loads (customers capped for the class)."""
    sc = load_scenario(preset)
    mk = sc.market
    share = mk.prospects / mk.customers if mk.customers else 0.5
    values: dict[str, Any] = {d: getattr(sc.competence, d) for d in DIMENSIONS}
    values.update(
        customers=min(mk.customers, CLASSROOM_CUSTOMERS),
        employees=sc.firm.employees,
        segments=mk.segments,
        turbulence=mk.turbulence,
        margin=sc.economics.margin,
        seed=DEFAULT_SEED if sc.seed is None else sc.seed,
        preset=preset,
        prospect_share=share,
    )
    return values


def build_model(preset: str = DEFAULT_PRESET, **overrides: Any) -> DashboardModel:
    """The model a preset loads, as the dashboard first shows it."""
    return DashboardModel(**(preset_values(preset) | overrides))


def model_params(preset: str = DEFAULT_PRESET) -> dict[str, Any]:
    """SolaraViz ``model_params``: a slider per dimension and market parameter, the seed, and
    the preset's name and prospect share as fixed parameters."""
    values = preset_values(preset)
    params: dict[str, Any] = {
        "preset": values["preset"],
        "prospect_share": values["prospect_share"],
    }
    for dim, label in DIMENSION_LABELS.items():
        params[dim] = Slider(label, float(values[dim]), 0.0, 1.0, 0.05, dtype=float)
    for name, (label, lo, hi, step) in MARKET_SLIDERS.items():
        is_int = all(isinstance(v, int) for v in (lo, hi, step))
        value = int(values[name]) if is_int else float(values[name])
        lo, hi = min(lo, value), max(hi, value)  # a preset outside the usual range still fits
        params[name] = Slider(label, value, lo, hi, step, dtype=int if is_int else float)
    params["seed"] = Slider("Seed (same seed, same random world)", int(values["seed"]), 0, 999, 1)
    return params


def model_seed(model: CKMModel) -> int:
    """The seed a model was built with (the scenario's when the model does not say)."""
    seed = getattr(model, "seed", None)
    if seed is None:
        seed = model.scenario_config.seed
    return DEFAULT_SEED if seed is None else int(seed)
