"""docs/sweeps.md's block on reading results with pandas, polars and DuckDB runs on a real sweep
and the three give the same per-point means."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from experiment_helpers import GRID, write_experiment

from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import load_experiment

DOC = Path(__file__).resolve().parents[1] / "docs" / "sweeps.md"


def _snippet() -> str:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- reading-results -->\s*```python\n(.*?)```", text, re.S)
    assert block, "docs/sweeps.md lost its reading-results block"
    return block.group(1)


def test_the_documented_readers_agree(tmp_path):
    pytest.importorskip("polars")
    pytest.importorskip("duckdb")
    path = write_experiment(tmp_path, GRID, replications=2)
    result = run_sweep(load_experiment(path), tmp_path / "out", workers=1, progress=False)
    code = _snippet().replace('root = "results/quickstart"', f'root = "{result.root}"')
    scope: dict = {}
    exec(compile(code, str(DOC), "exec"), scope)  # noqa: S102 - our own documentation
    pandas = scope["by_pandas"].to_numpy()
    assert len(pandas) == 4
    assert np.allclose(scope["by_polars"]["clv"].to_numpy(), pandas, rtol=1e-12)
    assert np.allclose(scope["by_duckdb"]["clv"].to_numpy(), pandas, rtol=1e-12)
    assert list(scope["by_duckdb"]["point"]) == [0, 1, 2, 3]
