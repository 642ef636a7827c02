"""Experiment files: which scenario, which factors, which design, how many replications.

An experiment is a TOML file (``experiments/*.toml``, documented in docs/sweeps.md)::

    name = "competence_sweep"
    scenario = "baseline"          # a shipped scenario name or a path (relative to this file)
    replications = 20              # replication r of every point runs on the same seed
    base_seed = 2024
    periods = 120                  # optional; default: the scenario's
    [fixed]                        # optional flat overrides of the base scenario
    customers = 1000
    [factors.it_systems]           # a factor: a list of levels ...
    levels = [0.0, 0.5, 1.0]
    [factors.learning_culture]     # ... or a range (with steps for grid designs)
    range = [0.0, 1.0]
    steps = 5
    [design]
    method = "full_factorial"      # one_at_a_time, latin_hypercube, sobol, morris, csv
    [outcomes]
    report = ["mean_retention_rate", "clv", "net_value"]
    timeseries = false

Like scenarios, a bad file gives :class:`ExperimentError` with one line naming the file, the key
and what is allowed, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ckm_sim.errors import CKMError
from ckm_sim.firmkeys import check_outcome, parameter_kind
from ckm_sim.model.extensions import load_extensions, resolve_extensions
from ckm_sim.model.outcomes import (
    OUTCOMES,
    SUMMARY,
    series_meaning,
    summary_meaning,
    unknown_outcome,
)
from ckm_sim.model.scenario import (
    FIELDS,
    MAX_PERIODS,
    Scenario,
    ScenarioError,
    load_scenario,
)
from ckm_sim.names import PlainName
from ckm_sim.tomlfiles import (
    describe_error,
    find_shipped,
    parse_toml,
    read_text,
    shipped_folder,
    validate_one_line,
)

#: The shipped experiments (package data; ``experiments/`` in the repository links to it).
EXPERIMENT_DIR = shipped_folder("experiments")

Scalar = bool | int | float | str
METHODS = ("full_factorial", "one_at_a_time", "latin_hypercube", "sobol", "morris", "csv")
GRID_METHODS = ("full_factorial", "one_at_a_time")
SAMPLED_METHODS = ("latin_hypercube", "sobol", "morris")
DEFAULT_REPORT = ["mean_retention_rate", "clv", "net_value"]


class ExperimentError(CKMError, ValueError):
    """An experiment file that cannot be used; the message is one line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Factor(_Strict):
    """One varied parameter: a list of ``levels``, or a ``range`` with a distribution."""

    levels: list[Scalar] | None = Field(default=None, min_length=1)
    range: tuple[float, float] | None = None
    steps: Annotated[int, Field(ge=2, le=10_000)] | None = None
    distribution: Literal["uniform", "triangular", "normal", "loguniform"] = "uniform"
    mode: float | None = None
    mean: float | None = None
    sd: Annotated[float, Field(gt=0.0)] | None = None
    reference: Scalar | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Factor:
        if self.levels is not None and (self.range is not None or self.mean is not None):
            raise ValueError("give either 'levels' or 'range' (with a distribution), not both")
        if self.levels is None and self.range is None and self.distribution != "normal":
            raise ValueError("give 'levels = [...]' or 'range = [low, high]'")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range must be [low, high] with low < high, got {list(self.range)}")
        if self.steps is not None and self.range is None:
            raise ValueError("'steps' needs a 'range'")
        if self.distribution == "triangular":
            if self.range is None or self.mode is None:
                raise ValueError("a triangular distribution needs 'range' and 'mode'")
            if not self.range[0] <= self.mode <= self.range[1]:
                raise ValueError("'mode' must lie inside 'range'")
        if self.distribution == "normal" and (self.mean is None or self.sd is None):
            raise ValueError("a normal distribution needs 'mean' and 'sd' (and optionally 'range')")
        if self.distribution == "loguniform" and (self.range is None or self.range[0] <= 0):
            raise ValueError("a loguniform distribution needs a range with low > 0")
        return self

    def grid(self) -> list[Any]:
        """The levels a grid design (full factorial, one-at-a-time) uses."""
        if self.levels is not None:
            return list(self.levels)
        if self.range is None or self.steps is None:
            raise ValueError("needs 'levels', or a 'range' with 'steps', for a grid design")
        return [float(v) for v in np.linspace(self.range[0], self.range[1], self.steps)]

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Map points of the unit interval to this factor's values (inverse CDF)."""
        from scipy import stats

        u = np.asarray(u, dtype=np.float64)
        if self.levels is not None:  # equally likely discrete levels
            index = np.minimum((u * len(self.levels)).astype(np.int64), len(self.levels) - 1)
            return [self.levels[i] for i in index]
        eps = 1e-12
        if self.distribution == "normal":
            assert self.mean is not None and self.sd is not None
            if self.range is None:
                values = stats.norm.ppf(np.clip(u, eps, 1 - eps), self.mean, self.sd)
            else:
                a = (self.range[0] - self.mean) / self.sd
                b = (self.range[1] - self.mean) / self.sd
                values = stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd)
            return [float(v) for v in values]
        assert self.range is not None
        low, high = self.range
        if self.distribution == "triangular":
            assert self.mode is not None
            c = (self.mode - low) / (high - low)
            values = stats.triang.ppf(u, c, loc=low, scale=high - low)
        elif self.distribution == "loguniform":
            values = np.exp(np.log(low) + u * (np.log(high) - np.log(low)))
        else:
            values = low + u * (high - low)
        return [float(v) for v in values]

    def probe_values(self) -> list[Any]:
        """Values worth validating against the scenario up front (levels, range ends)."""
        if self.levels is not None:
            return list(self.levels)
        return list(self.range) if self.range is not None else []


class Design(_Strict):
    """How design points are chosen."""

    method: Literal["full_factorial", "one_at_a_time", "latin_hypercube", "sobol", "morris", "csv"]
    samples: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    second_order: bool = True
    levels: Annotated[int, Field(ge=2, le=100)] = 4
    points: str | None = None
    seed: Annotated[int, Field(ge=0)] | None = None
    reference: dict[str, Scalar] | Literal["base"] | None = None


class Outcomes(_Strict):
    """What is kept: every summary outcome always; per-period series optionally."""

    report: list[str] = Field(default_factory=lambda: list(DEFAULT_REPORT), min_length=1)
    timeseries: bool = False
    interval: Annotated[int, Field(ge=1, le=100_000)] = 1
    series: list[str] | None = None
    precision: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.05

    def series_columns(self) -> list[str]:
        """The per-period outcomes to keep (every outcome unless ``series`` names some)."""
        return list(self.series) if self.series is not None else list(OUTCOMES)


class Experiment(_Strict):
    """One validated experiment file."""

    name: PlainName
    description: str = ""
    scenario: str = "baseline"
    periods: Annotated[int, Field(ge=0, le=MAX_PERIODS)] | None = None
    replications: Annotated[int, Field(ge=1, le=100_000)] = 10
    base_seed: Annotated[int, Field(ge=0)] = 2024
    fixed: dict[str, Any] = Field(default_factory=dict)
    factors: dict[str, Factor] = Field(default_factory=dict)
    design: Design
    outcomes: Outcomes = Field(default_factory=Outcomes)
    #: Python files that register outcomes (docs/extending.md), relative to the file.
    extensions: list[str] = Field(default_factory=list)

    _path: Path | None = PrivateAttr(default=None)
    _text: str = PrivateAttr(default="")

    @property
    def path(self) -> Path | None:
        """The file this experiment was read from (None if built in code)."""
        return self._path

    @property
    def text(self) -> str:
        """The file's content, as read."""
        return self._text

    @property
    def root(self) -> Path:
        """Folder against which relative paths (scenario, CSV points) are resolved."""
        return self._path.parent if self._path is not None else Path.cwd()

    @property
    def extension_paths(self) -> tuple[str, ...]:
        """The extension files, as absolute paths (every worker loads them)."""
        return resolve_extensions(self.extensions, self.root)

    @property
    def design_seed(self) -> int:
        """The seed of the design's sampler: ``design.seed``, else ``base_seed``."""
        return self.design.seed if self.design.seed is not None else self.base_seed

    def source(self) -> str:
        """The experiment's file name for messages (``experiment`` if it has none)."""
        return str(self._path) if self._path is not None else "experiment"

    def spec_hash(self) -> str:
        """Hash of the validated content (comments and layout of the file do not count)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()

    def base_scenario(self) -> Scenario:
        """The base scenario with ``fixed`` overrides and ``periods`` applied."""
        candidate = self.root / self.scenario
        where = candidate if candidate.exists() else self.scenario
        try:
            base = load_scenario(where)
            extra = dict(self.fixed)
            if self.periods is not None:
                extra["periods"] = self.periods
            return base.with_overrides(**extra)
        except ScenarioError as exc:
            raise ExperimentError(f"{self.source()}: scenario: {exc}") from None

    def check_against(self, base: Scenario) -> None:
        """Every factor level (and range end) must give a valid scenario, and every per-firm
        outcome must name a firm of it."""
        for key in self.outcomes.report:
            try:
                check_outcome(base, key, f"{self.source()}: 'outcomes.report'")
            except CKMError as exc:
                raise ExperimentError(str(exc)) from None
        for name, factor in self.factors.items():
            for value in factor.probe_values():
                try:
                    base.with_overrides(**{name: value})
                except ScenarioError as exc:
                    msg = reason(exc)
                    raise ExperimentError(
                        f"{self.source()}: 'factors.{name}' value {value!r}: {msg}"
                    ) from None


def reason(exc: ScenarioError) -> str:
    """A scenario error of an override without its ``keyword arguments:`` source."""
    return str(exc).removeprefix("keyword arguments: ")


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    if len(loc) >= 3 and loc[0] == "factors":
        return Factor
    if len(loc) >= 2 and loc[0] == "design":
        return Design
    if len(loc) >= 2 and loc[0] == "outcomes":
        return Outcomes
    return Experiment


def _describe_error(err: dict[str, Any]) -> str:
    return describe_error(err, lambda loc: list(_model_at(loc).model_fields))


def _check(exp: Experiment, source: str) -> None:
    def fail(key: str, msg: str) -> None:
        raise ExperimentError(f"{source}: '{key}': {msg}")

    allowed = f"allowed: {', '.join(FIELDS)}, or firms.<firm>.<field> for one firm's"
    for key in exp.fixed:
        if parameter_kind(key) is None:
            fail(f"fixed.{key}", f"unknown parameter; {allowed}")
    for key in exp.factors:
        if parameter_kind(key) is None:
            fail(f"factors.{key}", f"unknown parameter; {allowed}")
        if parameter_kind(key) == "other":
            fail(f"factors.{key}", "only scalar parameters can be factors")
        if key in exp.fixed:
            fail(f"factors.{key}", "is also in [fixed]; keep it in one place")
    for key in exp.outcomes.report:  # a market column, or a firm's: "<firm>.<column>"
        if summary_meaning(key) is None:
            fail("outcomes.report", unknown_outcome(key, list(SUMMARY)))
    for key in exp.outcomes.series or []:
        if series_meaning(key) is None:
            fail("outcomes.series", f"unknown series '{key}'; allowed: {', '.join(OUTCOMES)}")
    design = exp.design
    method = design.method
    if method != "csv" and not exp.factors:
        fail("factors", f"a {method} design needs at least one factor")
    if method == "csv" and design.points is None:
        fail("design.points", "a csv design needs 'points = \"file.csv\"'")
    if method != "csv" and design.points is not None:
        fail("design.points", "only a csv design reads points from a file")
    if method in SAMPLED_METHODS and design.samples is None:
        what = {"sobol": "base sample size N", "morris": "number of trajectories"}
        fail("design.samples", f"a {method} design needs {what.get(method, 'number of points')}")
    if method in GRID_METHODS:
        for name, factor in exp.factors.items():
            if factor.levels is None and factor.steps is None:
                fail(f"factors.{name}", f"a {method} design needs 'levels' or 'steps'")
    if method == "sobol" and design.second_order and len(exp.factors) < 2:
        fail("design.second_order", "second-order indices need at least two factors")
    if isinstance(design.reference, dict):
        for key in design.reference:
            if key not in exp.factors and method != "csv":
                fail(f"design.reference.{key}", f"not a factor; factors: {', '.join(exp.factors)}")


def parse_experiment(data: dict[str, Any], source: str = "experiment") -> Experiment:
    """Validate a nested dict into an :class:`Experiment`, or raise a one-line error."""
    if not isinstance(data, dict):
        raise ExperimentError(f"{source}: an experiment must be a table")
    exp = validate_one_line(Experiment, data, source, _describe_error, ExperimentError)
    _check(exp, source)
    return exp


def resolve_experiment_path(name_or_path: str | Path) -> Path:
    """Find an experiment by path, or by bare name among the shipped experiments."""
    return find_shipped(name_or_path, EXPERIMENT_DIR, "experiment", ExperimentError)


def parse_experiment_text(text: str, path: Path | None = None) -> Experiment:
    """Parse and validate experiment TOML text (``path`` names it and anchors relative paths)."""
    source = str(path) if path is not None else "experiment"
    data = parse_toml(text, source, ExperimentError)
    if path is not None:
        data.setdefault("name", path.stem)
    names = data.get("extensions", [])
    if isinstance(names, list) and all(isinstance(n, str) for n in names):
        root = path.parent if path is not None else Path.cwd()
        try:  # before validation: the outcomes they register may be named in the report
            load_extensions(resolve_extensions(names, root))
        except CKMError as exc:
            raise ExperimentError(f"{source}: 'extensions': {exc}") from None
    exp = parse_experiment(data, source)
    exp._path = path
    exp._text = text
    return exp


def load_experiment(name_or_path: str | Path) -> Experiment:
    """Read and validate an experiment file (or a shipped experiment's name)."""
    path = resolve_experiment_path(name_or_path)
    return parse_experiment_text(read_text(path, ExperimentError), path)
