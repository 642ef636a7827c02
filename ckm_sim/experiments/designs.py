"""Design points: the parameter combinations a sweep runs, each replicated ``replications`` times.

Every design is a table with one row per point (``point`` = 0, 1, ...), one column per factor,
``reference`` (the point paired differences are taken against), ``varied`` (for one-at-a-time:
the factor that point moves) and, for sampled designs, ``unit_<factor>``: the point's coordinates
in the unit hypercube, which the Sobol and Morris analyses need. Sampled designs (Latin
hypercube, Sobol/Saltelli, Morris) draw in the unit cube (SALib, scipy.stats.qmc) and map each
coordinate through the factor's distribution; all are deterministic given the design seed.

A sampled design may be drawn in *blocks* (a sweep grown with more samples,
:mod:`~ckm_sim.experiments.growth`): block 0 is the design of ``samples`` points drawn with the
design seed, each later block a design of its own size drawn with :func:`block_seed`, appended
after the points already there (a Latin hypercube, Saltelli blocks, Morris trajectories), so the
points of a grown design are those of its first blocks plus new ones, never moved.
"""

from __future__ import annotations

import io
import itertools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ckm_sim.experiments.inert import changes_nothing, why
from ckm_sim.experiments.spec import SAMPLED_METHODS, Experiment, ExperimentError, reason
from ckm_sim.firmkeys import parameter_kind, parameter_value
from ckm_sim.limits import read_capped
from ckm_sim.model.scenario import Scenario, ScenarioError


@dataclass
class DesignTable:
    """The points of a design and what the analysis needs to know about them."""

    method: str
    factors: list[str]
    points: pd.DataFrame
    #: Samples drawn per block (sampled designs; None: one block, ``design.samples``).
    blocks: list[int] | None = None

    @property
    def size(self) -> int:
        """Number of design points."""
        return len(self.points)

    @property
    def reference(self) -> int | None:
        """Index of the reference point, or ``None`` if the design has none."""
        ref = self.points.index[self.points["reference"]]
        return int(ref[0]) if len(ref) else None

    def params(self, point: int) -> dict[str, Any]:
        """The flat scenario overrides of one point (numpy scalars made plain Python)."""
        row = self.points.loc[point, self.factors]
        return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}

    def analysed(self) -> pd.DataFrame:
        """Points in sampler order, without an appended reference point (SALib's input)."""
        return self.points[self.points["sampled"]]

    def unit(self) -> np.ndarray:
        """The analysed points' factor values in unit coordinates, one column per factor."""
        cols = [f"unit_{f}" for f in self.factors]
        return self.analysed()[cols].to_numpy(dtype=np.float64)


def _cast(name: str, values: list[Any]) -> list[Any]:
    kind = parameter_kind(name)
    if kind == "int":
        return [int(round(float(v))) for v in values]
    if kind == "float":
        return [float(v) for v in values]
    return list(values)


def _salib_problem(names: list[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def block_seed(design_seed: int, block: int) -> int:
    """The sampler seed of block ``block`` of a sampled design: the design seed itself for block
    0 (so a design never grown is drawn as before blocks existed), else an independent stream
    derived from it (numpy's SeedSequence, as replication seeds are)."""
    if block == 0:
        return design_seed
    sequence = np.random.SeedSequence(entropy=design_seed, spawn_key=(block,))
    return int(sequence.generate_state(1, dtype=np.uint32)[0])


def unit_sample(exp: Experiment, blocks: list[int] | None = None) -> np.ndarray:
    """Points in the unit hypercube for a sampled design (rows: points, columns: factors):
    ``blocks`` (default: one block of ``design.samples``) drawn one after the other, block ``k``
    with :func:`block_seed`."""
    if blocks is None:
        assert exp.design.samples is not None
        blocks = [exp.design.samples]
    parts = [_unit_block(exp, n, block_seed(exp.design_seed, k)) for k, n in enumerate(blocks)]
    return np.concatenate(parts, axis=0)


def _unit_block(exp: Experiment, n: int, seed: int) -> np.ndarray:
    """One block of ``n`` samples of the experiment's sampler, drawn with ``seed``."""
    names = list(exp.factors)
    if exp.design.method == "latin_hypercube":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed)).random(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's advice on N being a power of two
        if exp.design.method == "sobol":
            from SALib.sample import sobol

            return sobol.sample(
                _salib_problem(names), n, calc_second_order=exp.design.second_order, seed=seed
            )
        from SALib.sample import morris

        return morris.sample(_salib_problem(names), n, num_levels=exp.design.levels, seed=seed)


def design_size(exp: Experiment) -> int | None:
    """How many points the design of ``exp`` has (at most), known before building it; None for a
    CSV design (its file's rows, read with the size cap)."""
    method, d = exp.design.method, len(exp.factors)
    levels = [len(f.levels) if f.levels is not None else f.steps or 0 for f in exp.factors.values()]
    n = exp.design.samples or 0
    sizes = {
        "full_factorial": math.prod(levels),
        "one_at_a_time": 1 + sum(levels),
        "latin_hypercube": n,
        "sobol": n * (2 * d + 2 if exp.design.second_order else d + 2),
        "morris": n * (d + 1),
    }
    return None if method == "csv" else sizes[method] + 1  # + an appended reference point


def _grid(exp: Experiment, base: Scenario) -> pd.DataFrame:
    names = list(exp.factors)
    if exp.design.method == "full_factorial":
        combos = list(itertools.product(*(_cast(n, exp.factors[n].grid()) for n in names)))
        frame = pd.DataFrame(combos, columns=names)
        frame["varied"] = ""
        return frame
    # one at a time: the centre first, then each factor moved alone through its levels
    ref = exp.design.reference if isinstance(exp.design.reference, dict) else {}
    centre = {}
    for name, factor in exp.factors.items():
        value = ref.get(
            name, factor.reference if factor.reference is not None else parameter_value(base, name)
        )
        if value is None:  # a firm-only field the scenario leaves unset (initial_share)
            raise ExperimentError(
                f"{exp.source()}: 'factors.{name}': the scenario does not set it, so a "
                "one-at-a-time design needs the factor's 'reference'"
            )
        centre[name] = _cast(name, [value])[0]
    rows = [centre | {"varied": ""}]
    for name in names:
        for level in _cast(name, exp.factors[name].grid()):
            if _same(level, centre[name]):
                continue
            rows.append(centre | {name: level, "varied": name})
    frame = pd.DataFrame(rows, columns=[*names, "varied"])
    frame["reference"] = False
    frame.loc[0, "reference"] = True
    return frame


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return bool(np.isclose(float(a), float(b), rtol=1e-12, atol=1e-12))
    return a == b


def _csv(exp: Experiment) -> pd.DataFrame:
    assert exp.design.points is not None
    path = exp.root / exp.design.points
    try:
        frame = pd.read_csv(io.BytesIO(read_capped(path)))
    except (OSError, ValueError) as exc:
        raise ExperimentError(
            f"{exp.source()}: 'design.points': cannot read {path}: {exc}"
        ) from None
    frame = frame.drop(columns=[c for c in ("point",) if c in frame.columns])
    unknown = [c for c in frame.columns if parameter_kind(c) is None]
    if unknown or frame.empty:
        why = f"unknown column(s) {', '.join(unknown)}" if unknown else "no points"
        raise ExperimentError(f"{exp.source()}: 'design.points': {path}: {why}")
    for name in frame.columns:
        if parameter_kind(name) == "other":
            raise ExperimentError(f"{exp.source()}: 'design.points': {name} is not scalar")
    frame["varied"] = ""
    return frame


def _reference_values(exp: Experiment, base: Scenario, names: list[str]) -> dict[str, Any] | None:
    ref = exp.design.reference
    if ref is None:
        return None
    given = {} if ref == "base" else dict(ref)
    return {n: _cast(n, [given[n] if n in given else parameter_value(base, n)])[0] for n in names}


def _sampled_frame(exp: Experiment, unit: np.ndarray) -> pd.DataFrame:
    """Factor values (through each factor's distribution) and unit coordinates of ``unit``."""
    names = list(exp.factors)
    frame = pd.DataFrame(
        {n: _cast(n, exp.factors[n].from_unit(unit[:, j])) for j, n in enumerate(names)}
    )
    for j, n in enumerate(names):
        frame[f"unit_{n}"] = unit[:, j]
    frame["varied"] = ""
    return frame


def build_design(exp: Experiment, base: Scenario, blocks: list[int] | None = None) -> DesignTable:
    """The design points of ``exp`` around the base scenario ``base``; a sampled design drawn in
    ``blocks`` (module docstring) has block 0 (and the reference point appended to it) first,
    then each later block's points."""
    method = exp.design.method
    if blocks is not None and (method not in SAMPLED_METHODS or not blocks):
        raise ExperimentError(f"{exp.source()}: only a sampled design is drawn in blocks")
    if method in SAMPLED_METHODS:
        names = list(exp.factors)
        first = blocks[:1] if blocks is not None else None
        frame = _sampled_frame(exp, unit_sample(exp, first))
    elif method == "csv":
        frame = _csv(exp)
        names = [c for c in frame.columns if c != "varied"]
    else:
        frame = _grid(exp, base)
        names = list(exp.factors)
    frame["sampled"] = True
    if "reference" not in frame.columns:
        frame["reference"] = False
        ref = _reference_values(exp, base, names)
        if ref is not None:
            match = np.ones(len(frame), dtype=bool)
            for n in names:
                match &= np.array([_same(v, ref[n]) for v in frame[n]])
            if match.any():
                frame.loc[int(np.flatnonzero(match)[0]), "reference"] = True
            else:  # appended, outside the sampler's order (not used by Sobol/Morris)
                extra = ref | {"varied": "", "sampled": False, "reference": True}
                frame = pd.concat([frame, pd.DataFrame([extra])], ignore_index=True)
    if blocks is not None and len(blocks) > 1:
        later = [unit_block(exp, k, n) for k, n in enumerate(blocks) if k > 0]
        grown = _sampled_frame(exp, np.concatenate(later, axis=0))
        grown["sampled"], grown["reference"] = True, False
        frame = pd.concat([frame, grown], ignore_index=True)
    frame.insert(0, "point", np.arange(len(frame), dtype=np.int64))
    frame.index = pd.RangeIndex(len(frame))
    return DesignTable(method, names, frame, list(blocks) if blocks is not None else None)


def unit_block(exp: Experiment, block: int, n: int) -> np.ndarray:
    """Block ``block`` (``n`` samples) of a sampled design, in the unit hypercube."""
    return _unit_block(exp, n, block_seed(exp.design_seed, block))


def check_points(exp: Experiment, base: Scenario, design: DesignTable) -> None:
    """Every design point must give a valid scenario, and every factor must change the model
    (:mod:`ckm_sim.experiments.inert`), checked before the first run.

    Scenario fields that can be factors are scalars whose constraints are each on one field
    (bounds, type, allowed words), so checking every factor's extreme values (and NaN) for
    numbers, and every distinct value otherwise, checks every point.
    """
    for name in design.factors:
        column = design.points[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            probes = [column.min(), column.max()] + ([math.nan] if column.isna().any() else [])
        else:
            probes = list(pd.unique(column))
        for value in probes:
            plain = value.item() if isinstance(value, np.generic) else value
            try:
                base.with_overrides(**{name: plain})
            except ScenarioError as exc:
                same = column.isna() if _is_nan(plain) else column == value
                point = int(np.flatnonzero(same.to_numpy())[0])
                msg = reason(exc)
                raise ExperimentError(
                    f"{exp.source()}: design point {point} of {design.size}: "
                    f"'{name}' = {plain!r}: {msg}"
                ) from None
        plains = [v.item() if isinstance(v, np.generic) else v for v in probes]
        if changes_nothing(base, name, [v for v in plains if not _is_nan(v)]):
            raise ExperimentError(
                f"{exp.source()}: 'factors.{name}' changes nothing: {why(base, name)}"
            )


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)
