"""The results folder of a sweep: a Parquet dataset streamed part by part, and its manifest.

Layout of ``results/<experiment>/``::

    manifest.json            experiment file content and hash, versions, git commit, times, counts
    design.parquet           one row per design point
    runs/part-000000.parquet one row per run (a part per flush of finished runs)
    timeseries/part-....     per-period outcomes, when the experiment asks for them

Every file is written to a temporary name and then renamed (ckm_sim.io), so a sweep killed at any
moment leaves only whole files; the runs parts are the single source of truth of what is done.
A time-series part is written before the runs part of the same number, and removed on resume if
that runs part never appeared, so nothing is ever counted twice.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ckm_sim.errors import CKMError
from ckm_sim.io import write_json, write_with
from ckm_sim.model.outcomes import RENAMED, is_count, summary_columns

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RUNS = "runs"
SERIES = "timeseries"

#: Columns of the runs table before the factors: which run it is.
KEY_COLUMNS = ("run_id", "point", "replication", "seed")
#: Columns of the runs table after the outcomes (how the run went), with their types.
STATUS_TYPES: dict[str, pa.DataType] = {
    "status": pa.string(),
    "error": pa.string(),
    "duration": pa.float64(),
    "worker": pa.string(),
}
STATUS_COLUMNS = tuple(STATUS_TYPES)


def _arrow_type(outcome: str) -> pa.DataType:
    """Counts are integers, everything else float64 (NaN where undefined)."""
    return pa.int64() if is_count(outcome) else pa.float64()


class RunKey(Protocol):
    """What names a run: id, design point, replication, seed and parameter overrides."""

    run_id: int
    point: int
    replication: int
    seed: int
    params: dict[str, Any]


def run_row(
    run: RunKey,
    summary: Mapping[str, Any] | None = None,
    error: str | None = None,
    duration: float = math.nan,
    worker: str = "",
    firms: Sequence[str] = (),
) -> dict[str, Any]:
    """The runs-table row of one run: key, factors, every summary outcome, status.

    ``summary`` None means the run failed (``error`` says why): its outcomes are null (NaN).
    A successful run has ``error`` null. ``firms``: the firms of the sweep's scenario (several:
    their ``<firm>.<column>`` columns too).
    """
    row: dict[str, Any] = {
        "run_id": run.run_id,
        "point": run.point,
        "replication": run.replication,
        "seed": run.seed,
        **run.params,
    }
    for key in summary_columns(firms):
        if summary is None:
            row[key] = None if is_count(key) else math.nan
        elif is_count(key):
            row[key] = int(summary[key])
        else:
            row[key] = float(summary[key])
    row["status"] = "ok" if summary is not None else "failed"
    row["error"] = None if summary is not None else error or "unknown error"
    row["duration"] = duration
    row["worker"] = worker
    return row


def series_frame(run: RunKey, frame: pd.DataFrame) -> pd.DataFrame:
    """Time-series rows of one run: its key, the period, the kept outcomes (counts as int64)."""
    out = frame.astype({c: np.int64 if is_count(c) else np.float64 for c in frame})
    out = out.reset_index()
    out.insert(0, "replication", run.replication)
    out.insert(0, "point", run.point)
    out.insert(0, "run_id", run.run_id)
    return out


def runs_schema(
    design: pd.DataFrame, factors: Sequence[str], firms: Sequence[str] = ()
) -> pa.Schema:
    """The Arrow schema every runs part shares (so parts always concatenate); ``firms`` as in
    :func:`run_row`."""
    factor_schema = pa.Schema.from_pandas(design[list(factors)], preserve_index=False)
    fields = [pa.field(name, pa.int64()) for name in KEY_COLUMNS]
    fields += [factor_schema.field(name) for name in factors]
    fields += [pa.field(name, _arrow_type(name)) for name in summary_columns(firms)]
    fields += [pa.field(name, kind) for name, kind in STATUS_TYPES.items()]
    return pa.schema(fields)


class ResultsStore:
    """One sweep's results folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.runs_dir = self.root / RUNS
        self.series_dir = self.root / SERIES
        self.manifest_path = self.root / MANIFEST
        self.design_path = self.root / DESIGN

    # ---------------------------------------------------------------- manifest and design
    def exists(self) -> bool:
        """Whether the folder holds a sweep (has a manifest)."""
        return self.manifest_path.exists()

    def read_manifest(self) -> dict[str, Any]:
        """The manifest; a missing or unreadable one is a one-line CKMError."""
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CKMError(f"{self.root}: not a sweep results folder (no {MANIFEST})") from None
        except (OSError, ValueError) as exc:
            raise CKMError(f"{self.manifest_path}: unreadable ({exc})") from None

    def write_manifest(self, data: dict[str, Any]) -> None:
        """Write the manifest atomically."""
        write_json(self.manifest_path, data)

    def write_design(self, design: pd.DataFrame) -> None:
        """Write the design points atomically."""
        write_with(self.design_path, lambda tmp: design.to_parquet(tmp, index=False))

    def read_design(self) -> pd.DataFrame:
        """The design points, indexed 0..n-1."""
        try:
            frame = pd.read_parquet(self.design_path)
        except (OSError, ValueError) as exc:
            raise CKMError(f"{self.design_path}: unreadable ({exc})") from None
        frame.index = pd.RangeIndex(len(frame))
        return frame

    # ---------------------------------------------------------------- parts
    def parts(self, folder: Path | None = None) -> list[Path]:
        """The part files of ``folder`` (default: the runs), in order."""
        folder = self.runs_dir if folder is None else folder
        return sorted(folder.glob("part-*.parquet")) if folder.exists() else []

    def clean(self) -> None:
        """Remove temporary files of an interrupted write and orphaned time-series parts."""
        for folder in (self.root, self.runs_dir, self.series_dir):
            if folder.exists():
                for tmp in folder.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)
        runs = {p.name for p in self.parts()}
        for part in self.parts(self.series_dir):
            if part.name not in runs:
                part.unlink(missing_ok=True)

    def next_index(self) -> int:
        """The number of the next part to write."""
        parts = self.parts()
        return int(parts[-1].stem.split("-")[1]) + 1 if parts else 0

    def write_part(
        self,
        index: int,
        rows: list[dict[str, Any]],
        schema: pa.Schema,
        series: pd.DataFrame | None = None,
    ) -> None:
        """Write one part: its time series first, then its runs (each written then renamed)."""
        name = f"part-{index:06d}.parquet"
        if series is not None and len(series):
            table = pa.Table.from_pandas(series, preserve_index=False)
            write_with(self.series_dir / name, lambda tmp: pq.write_table(table, tmp))
        table = pa.Table.from_pylist(rows, schema=schema)
        write_with(self.runs_dir / name, lambda tmp: pq.write_table(table, tmp))

    def done(self, points: int, replications: int) -> tuple[np.ndarray, int, int]:
        """Which (point, replication) runs are on disk, the number of failed ones, duplicates."""
        mask = np.zeros((points, replications), dtype=bool)
        failed = duplicates = 0
        for part in self.parts():
            try:
                table = pq.read_table(part, columns=["point", "replication", "status"])
            except (OSError, pa.ArrowException) as exc:
                raise CKMError(f"{part}: unreadable part file ({exc})") from None
            p = table["point"].to_numpy()
            r = table["replication"].to_numpy()
            if (p >= points).any() or (r >= replications).any():
                raise CKMError(f"{part}: runs outside this experiment's design")
            duplicates += int(mask[p, r].sum())
            mask[p, r] = True
            failed += int(np.sum(table["status"].to_numpy(zero_copy_only=False) == "failed"))
        return mask, failed, duplicates

    def renumber(self, replications: int) -> int:
        """Give every stored run (and time-series row) the id ``point * replications +
        replication`` (after replications grew); returns the parts rewritten. Each part is
        rewritten then renamed and the ids depend on nothing else, so doing it again (after a
        kill mid-way) finishes the job and changes nothing more."""
        rewritten = 0
        for part in [*self.parts(), *self.parts(self.series_dir)]:
            try:
                keys = pq.read_table(part, columns=["run_id", "point", "replication"])
                point = keys["point"].to_numpy().astype(np.int64)
                ids = point * replications + keys["replication"].to_numpy()
                if np.array_equal(keys["run_id"].to_numpy(), ids):
                    continue
                table = pq.read_table(part)
            except (OSError, pa.ArrowException) as exc:
                raise CKMError(f"{part}: unreadable part file ({exc})") from None
            index = table.schema.get_field_index("run_id")
            column = pa.array(ids, type=table.schema.field("run_id").type)
            renumbered = table.set_column(index, table.schema.field("run_id"), column)
            write_with(part, lambda tmp, t=renumbered: pq.write_table(t, tmp))
            rewritten += 1
        return rewritten

    def read_runs(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The runs table (optionally only ``columns``), one row per run id, sorted by it."""
        cols = None if columns is None else list(dict.fromkeys(["run_id", *columns]))
        frames = [_read_part(p, cols) for p in self.parts()]
        if not frames:
            return pd.DataFrame(columns=cols or list(KEY_COLUMNS))
        frame = pd.concat(frames, ignore_index=True)
        frame = frame.drop_duplicates("run_id").sort_values("run_id", kind="stable")
        return frame.reset_index(drop=True)

    def columns(self) -> list[str]:
        """The columns of the runs table (those of its first part; none before one is written)."""
        parts = self.parts()
        return list(pq.read_schema(parts[0]).names) if parts else []

    def read_series(self) -> pd.DataFrame | None:
        """The time-series table, or None when the sweep kept none."""
        parts = self.parts(self.series_dir)
        if not parts:
            return None
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        return frame.sort_values(["run_id", "period"], kind="stable").reset_index(drop=True)


def _read_part(path: Path, columns: list[str] | None) -> pd.DataFrame:
    """One runs part; a part written before an outcome was renamed (``RENAMED``) reads under
    the new name."""
    names = set(pq.read_schema(path).names)
    legacy = {old: new for old, new in RENAMED.items() if old in names and new not in names}
    wanted = columns
    if columns is not None and legacy:
        back = {new: old for old, new in legacy.items()}
        wanted = [back.get(c, c) for c in columns]
    return pq.read_table(path, columns=wanted).to_pandas().rename(columns=legacy)
