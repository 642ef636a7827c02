"""A firm's figures file: what a manager knows of the firm, validated in one-line errors.

The file (TOML) gives the currency, the active customers, the staff, the monthly margin per
customer (or the monthly revenue per customer and the margin rate), optionally what the firm
spends on each CKM dimension now (``[spend]``, per month) and its monthly retention (a single
rate, or a retention CSV as ``ckm-sim calibrate`` reads it). docs/whatif.md shows an example;
``data/firm_figures.toml`` is shipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ckm_sim.errors import CKMError
from ckm_sim.names import PlainName
from ckm_sim.tomlfiles import describe_error, example_file, read_toml, validate_one_line

Money = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]
Spend = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class FiguresError(CKMError):
    """A figures file that cannot be turned into a scenario (one line)."""


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class CurrentSpend(_Table):
    """What the firm spends per month on each dimension now (a dimension not named: unknown,
    it keeps the base scenario's level)."""

    inter_functional_cooperation: Spend | None = None
    organisational_systems: Spend | None = None
    customer_cooperation: Spend | None = None
    it_systems: Spend | None = None
    learning_culture: Spend | None = None

    def given(self) -> dict[str, float]:
        """The spends the file names, by dimension."""
        return {k: float(v) for k, v in self.model_dump().items() if v is not None}


class FitSettings(_Table):
    """How hard the retention fit searches (``ckm-sim calibrate``'s trials and replications)."""

    trials: Annotated[int, Field(ge=1, le=500)] = 16
    replications: Annotated[int, Field(ge=1, le=50)] = 2
    eval_replications: Annotated[int, Field(ge=2, le=100)] = 4
    # months of a constant monthly retention the fit matches (a CSV gives its own periods)
    months: Annotated[int, Field(ge=2, le=240)] = 24
    seed: Annotated[int, Field(ge=0)] = 2026


class FirmFigures(_Table):
    """A firm's figures (see the module docstring); amounts are per month in ``currency``."""

    name: PlainName | None = None
    description: str = ""
    base: str = "baseline"
    currency: Annotated[str, Field(min_length=1, max_length=8, pattern=r"^\S+$")] = "EUR"
    customers: Annotated[int, Field(ge=1, le=10_000_000)]
    employees: Annotated[int, Field(ge=2, le=100_000)]
    margin: Money | None = None
    revenue: Money | None = None
    margin_rate: Annotated[float, Field(gt=0.0, le=1.0)] | None = None
    prospects: Annotated[int, Field(ge=0, le=5_000_000)] | None = None
    acquisition_cost: Spend | None = None
    contact_cost: Spend | None = None
    retention: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None
    retention_csv: str | None = None
    spend: CurrentSpend = Field(default_factory=CurrentSpend)
    fit: FitSettings = Field(default_factory=FitSettings)

    @model_validator(mode="before")
    @classmethod
    def _floats_from_ints(cls, data: Any) -> Any:
        """Strict mode, but a whole number is a fine amount of money (``margin = 12``)."""
        if isinstance(data, dict):
            data = dict(data)
            for key in ("margin", "revenue", "margin_rate", "acquisition_cost", "contact_cost"):
                if type(data.get(key)) is int:
                    data[key] = float(data[key])
            spend = data.get("spend")
            if isinstance(spend, dict):
                data["spend"] = {k: float(v) if type(v) is int else v for k, v in spend.items()}
        return data

    @model_validator(mode="after")
    def _one_margin_one_retention(self) -> FirmFigures:
        both = self.revenue is not None and self.margin_rate is not None
        if (self.revenue is None) != (self.margin_rate is None):
            raise ValueError("give 'revenue' and 'margin_rate' together (or 'margin' alone)")
        if (self.margin is None) == (not both):
            raise ValueError(
                "give the monthly margin per customer: 'margin', or 'revenue' and 'margin_rate' "
                "(one of the two)"
            )
        if self.retention is not None and self.retention_csv is not None:
            raise ValueError("give 'retention' or 'retention_csv', not both")
        return self

    @property
    def monthly_margin(self) -> float:
        """The mean monthly margin per customer (``margin``, or ``revenue * margin_rate``)."""
        if self.margin is not None:
            return self.margin
        assert self.revenue is not None and self.margin_rate is not None
        return self.revenue * self.margin_rate


def _allowed_here(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where a validation error points (``spend.x``: a dimension)."""
    inner = {"spend": CurrentSpend, "fit": FitSettings}
    cls = inner.get(loc[0], FirmFigures) if len(loc) > 1 else FirmFigures
    return list(cls.model_fields)


def _describe(err: dict[str, Any]) -> str:
    return describe_error(err, _allowed_here)


def read_figures(path: str | Path) -> FirmFigures:
    """Read and validate a figures file (``data/<name>`` finds a shipped example); a bad one
    is a one-line :class:`FiguresError`. The name defaults to the file's stem."""
    path = example_file(path)
    data = read_toml(path, FiguresError)
    data.setdefault("name", path.stem)
    return validate_one_line(FirmFigures, data, str(path), _describe, FiguresError)


def retention_path(figures_file: str | Path, figures: FirmFigures) -> Path | None:
    """The retention CSV the figures name, relative to the figures file (None: none named)."""
    if figures.retention_csv is None:
        return None
    given = Path(figures.retention_csv)
    return given if given.is_absolute() else example_file(figures_file).parent / given
