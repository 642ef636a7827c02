"""Results independent of the number of workers, the scheduler and the order of the runs
(issue 26): a small sweep (300 customers, 40 periods) stores the same runs, bit for bit, run in
this process, on two worker processes with one run per batch (so the runs finish in any
order), on a local Dask cluster, and when its runs are executed in reverse or shuffled order.

(tests/test_experiment_runner.py checks 1 worker, 2 workers and Dask on a tiny 6-period sweep;
this file checks the same at a size where every stage and stream runs for 40 periods, and
the order of execution, for which the runner has no knob: the runs are executed through the
runner's own batch function in the order given.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from experiment_helpers import write_small_experiment

from ckm_sim.experiments.execute import RunSpec, Task, run_batch
from ckm_sim.experiments.runner import run_sweep
from ckm_sim.experiments.spec import Experiment, load_experiment
from ckm_sim.experiments.store import ResultsStore

VOLATILE = ["duration", "worker"]  # when and where a run ran: the only columns allowed to differ
FACTORS = ("it_systems", "learning_culture")
BODY = """
[factors.it_systems]
levels = [0.2, 0.8]
[factors.learning_culture]
levels = [0.3, 0.7]
[design]
method = "full_factorial"
"""


def _experiment(tmp_path: Path) -> Experiment:
    return load_experiment(write_small_experiment(tmp_path, BODY, replications=2))


def _stored(exp: Experiment, out: Path, **kwargs) -> tuple[str, pd.DataFrame]:
    result = run_sweep(exp, out, progress=False, **kwargs)
    runs = ResultsStore(result.root).read_runs()
    return result.label, runs.drop(columns=VOLATILE).sort_values("run_id", ignore_index=True)


def _in_order(exp: Experiment, rows: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """The runs of ``rows`` (key, seed, factors) executed one after another in ``order``."""
    specs = [
        RunSpec(
            int(r.run_id), int(r.point), int(r.replication), int(r.seed), {f: r[f] for f in FACTORS}
        )
        for _, r in rows.iloc[order].iterrows()
    ]
    batch = run_batch(Task(exp.base_scenario(), tuple(specs)))
    assert [row["run_id"] for row in batch.rows] == [s.run_id for s in specs]
    frame = pd.DataFrame(batch.rows).drop(columns=VOLATILE)
    frame = frame.sort_values("run_id", ignore_index=True)[list(rows.columns)]
    return frame.astype(rows.dtypes.to_dict())  # the store reads text as pandas' string type


def test_one_worker_two_workers_and_dask_store_identical_runs(tmp_path: Path) -> None:
    exp = _experiment(tmp_path)
    _, one = _stored(exp, tmp_path / "one", workers=1)
    two_label, two = _stored(exp, tmp_path / "two", workers=2, target_task_seconds=1e-9)
    dask_label, dask = _stored(exp, tmp_path / "dask", workers=2, dask_local=True)
    assert "pool" in two_label and "LocalCluster" in dask_label
    assert len(one) == 8 and (one["status"] == "ok").all()
    assert one["clv"].nunique() == 8  # eight different runs, not one repeated
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    pd.testing.assert_frame_equal(one, dask, check_exact=True)


def test_runs_executed_in_reverse_or_shuffled_order_give_the_stored_results(
    tmp_path: Path,
) -> None:
    exp = _experiment(tmp_path)
    _, stored = _stored(exp, tmp_path / "one", workers=1)
    reverse = np.arange(len(stored))[::-1]
    pd.testing.assert_frame_equal(_in_order(exp, stored, reverse), stored, check_exact=True)
    # a subset of the runs, in a random order
    subset = np.random.default_rng(26).permutation(len(stored))[:5]
    expected = stored.iloc[np.sort(subset)].reset_index(drop=True)
    pd.testing.assert_frame_equal(_in_order(exp, stored, subset), expected, check_exact=True)
