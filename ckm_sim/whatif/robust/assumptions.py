"""Assumptions as a file: what is uncertain, and its plausible range (``ckm-sim robust``).

An uncertainty file is TOML (``experiments/assumptions.toml`` is the shipped default, argued in
docs/robustness.md)::

    description = "..."
    seed = 23                              # the Latin hypercube's seed: same file, same worlds

    [parameters.strength_offer_adaptation] # a flat scenario key (docs/ODD.md) ...
    low = 0.5
    high = 1.5
    [parameters.cost_multiplier]           # ... or one of the multipliers below
    low = 0.6
    high = 1.6
    log = true                             # uniform in log(value): as likely halved as doubled

Names are flat scalar scenario keys (``turbulence``, ``competitor_value``,
``strength_<lever>``...) or the multipliers that act on several keys at once:
``cost_multiplier`` (every dimension's cost of level 1, :func:`ckm_sim.model.costs.scaled`),
``lag_multiplier`` / ``depreciation_multiplier`` (every dimension's build-up lag and
depreciation under an investment plan, docs/ODD.md 7.7) and their one-dimension forms
``lag_multiplier_<dimension>`` / ``depreciation_multiplier_<dimension>``. Like scenarios, a bad
file gives :class:`AssumptionsError` with one line naming the file and the key, never a
traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ckm_sim.errors import CKMError
from ckm_sim.firmkeys import parameter_kind
from ckm_sim.model.scenario import DIMENSIONS, Scenario, ScenarioError
from ckm_sim.tomlfiles import (
    describe_error,
    find_shipped,
    parse_toml,
    read_text,
    shipped_folder,
    validate_one_line,
)

#: Where the shipped uncertainty file lives (``experiments/`` links to it).
SHIPPED_DIR = shipped_folder("experiments")
#: The shipped default uncertainty file.
DEFAULT_FILE = SHIPPED_DIR / "assumptions.toml"
#: Multipliers that act on several scenario keys at once.
MULTIPLIERS: tuple[str, ...] = (
    "cost_multiplier",
    "lag_multiplier",
    "depreciation_multiplier",
    *(f"lag_multiplier_{d}" for d in DIMENSIONS),
    *(f"depreciation_multiplier_{d}" for d in DIMENSIONS),
)


class AssumptionsError(CKMError, ValueError):
    """An uncertainty file that cannot be used; the message is one line."""


class Range(BaseModel):
    """A plausible range: uniform between ``low`` and ``high`` (in log(value) with ``log``)."""

    model_config = ConfigDict(extra="forbid")

    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    log: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(
                f"the range is empty: low ({self.low:g}) must be below high ({self.high:g})"
            )
        if self.log and self.low <= 0:
            raise ValueError(f"a log range needs low > 0, got {self.low:g}")
        return self


class Assumptions(BaseModel):
    """One validated uncertainty file: its parameters' ranges and the sampler's seed."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    seed: Annotated[int, Field(ge=0)] = 0
    parameters: dict[str, Range] = Field(min_length=1)

    _source: str = PrivateAttr(default="assumptions")
    _text: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        """The file this was read from, for messages (``assumptions`` if built in code)."""
        return self._source

    @property
    def text(self) -> str:
        """The file's content, as read (empty if built in code)."""
        return self._text

    @property
    def names(self) -> list[str]:
        """The uncertain parameters, in the file's order (the worlds' columns)."""
        return list(self.parameters)

    def is_whole(self, name: str) -> bool:
        """Whether ``name`` takes whole numbers (``customers``...): sampled values are rounded."""
        return parameter_kind(name) == "int"

    def check_against(self, scenario: Scenario) -> None:
        """Every range's ends must be valid values of ``scenario`` (one-line error naming the
        file, the key and what is allowed)."""
        for name, r in self.parameters.items():
            if name in MULTIPLIERS:
                continue
            for value in (r.low, r.high):
                v: float | int = round(value) if self.is_whole(name) else value
                try:
                    scenario.with_overrides(**{name: v})
                except ScenarioError as exc:
                    why = str(exc).removeprefix("keyword arguments: ")
                    raise AssumptionsError(
                        f"{self.source}: 'parameters.{name}' = {value:g}: {why}"
                    ) from None


def _check_names(assumptions: Assumptions, source: str) -> None:
    for name in assumptions.parameters:
        if name in MULTIPLIERS:
            continue
        kind = parameter_kind(name)
        if kind is None:
            raise AssumptionsError(
                f"{source}: 'parameters.{name}': unknown parameter; give a flat scenario key "
                "(docs/ODD.md: turbulence, competitor_value, strength_<lever>, ...) or one of "
                f"{', '.join(MULTIPLIERS[:3])}, lag_multiplier_<dimension>, "
                "depreciation_multiplier_<dimension>"
            )
        if kind not in ("int", "float"):
            raise AssumptionsError(
                f"{source}: 'parameters.{name}': only numeric parameters can be uncertain "
                f"(it is {kind})"
            )
        if name.startswith("firms."):
            raise AssumptionsError(
                f"{source}: 'parameters.{name}': one firm's parameter; the worlds vary the "
                "market and the model, give the flat key"
            )


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    return Range if len(loc) >= 3 and loc[0] == "parameters" else Assumptions


def parse_assumptions(text: str, source: str = "assumptions") -> Assumptions:
    """Parse and validate uncertainty-file TOML ``text``; one-line AssumptionsError if bad."""
    data = parse_toml(text, source, AssumptionsError)
    result = validate_one_line(
        Assumptions,
        data,
        source,
        lambda err: describe_error(err, lambda loc: list(_model_at(loc).model_fields)),
        AssumptionsError,
    )
    _check_names(result, source)
    result._source, result._text = source, text
    return result


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """Read an uncertainty file (a path, or the shipped file's name; None: the default)."""
    found = (
        DEFAULT_FILE
        if path is None
        else find_shipped(path, SHIPPED_DIR, "uncertainty", AssumptionsError)
    )
    return parse_assumptions(read_text(found, AssumptionsError), str(found))
