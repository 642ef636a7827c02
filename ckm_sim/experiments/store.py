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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ckm_sim.errors import CKMError
from ckm_sim.experiments.execute import KEY_COLUMNS
from ckm_sim.io import write_json, write_with
from ckm_sim.model.outcomes import SUMMARY

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RUNS = "runs"
SERIES = "timeseries"


def runs_schema(design: pd.DataFrame, factors: Sequence[str]) -> pa.Schema:
    """The Arrow schema every runs part shares (so parts always concatenate)."""
    factor_schema = pa.Schema.from_pandas(design[list(factors)], preserve_index=False)
    fields = [pa.field(name, pa.int64()) for name in KEY_COLUMNS]
    fields += [factor_schema.field(name) for name in factors]
    fields += [pa.field(name, pa.float64()) for name in SUMMARY]
    fields += [
        pa.field("status", pa.string()),
        pa.field("error", pa.string()),
        pa.field("duration", pa.float64()),
        pa.field("worker", pa.string()),
    ]
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
        """Write the design table atomically."""
        write_with(self.design_path, lambda tmp: design.to_parquet(tmp, index=False))

    def read_design(self) -> pd.DataFrame:
        """The design table, indexed by point; an unreadable one is a one-line CKMError."""
        try:
            frame = pd.read_parquet(self.design_path)
        except (OSError, ValueError) as exc:
            raise CKMError(f"{self.design_path}: unreadable ({exc})") from None
        frame.index = pd.RangeIndex(len(frame))
        return frame

    # ---------------------------------------------------------------- parts
    def parts(self, folder: Path | None = None) -> list[Path]:
        """The part files of ``folder`` (the runs by default), in order."""
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
        """The number of the next runs part file."""
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

    def read_runs(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The runs table (optionally only ``columns``), one row per run id, sorted by it."""
        cols = None if columns is None else list(dict.fromkeys(["run_id", *columns]))
        frames = [pq.read_table(p, columns=cols).to_pandas() for p in self.parts()]
        if not frames:
            return pd.DataFrame(columns=cols or list(KEY_COLUMNS))
        frame = pd.concat(frames, ignore_index=True)
        frame = frame.drop_duplicates("run_id").sort_values("run_id", kind="stable")
        return frame.reset_index(drop=True)

    def read_series(self) -> pd.DataFrame | None:
        """The time-series table, or None when the sweep kept none."""
        parts = self.parts(self.series_dir)
        if not parts:
            return None
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        return frame.sort_values(["run_id", "period"], kind="stable").reset_index(drop=True)
