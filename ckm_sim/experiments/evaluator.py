"""The one evaluator every command runs its model runs on: this process, a process pool, or Dask.

Every run carries its own seed, so its result never depends on where or in which order it ran:
sweeps (:mod:`~ckm_sim.experiments.runner`) and the what-if commands (compare, optimize,
calibrate) give bit-identical results on one worker, on a local pool and on a Dask cluster.

:func:`open_evaluator` gives an executor (``concurrent.futures``) for each of these:

- one worker: :class:`SerialExecutor`, in this process (no pool, no pickling);
- ``workers > 1``: a :class:`~concurrent.futures.ProcessPoolExecutor` started with
  **forkserver**, with the model preloaded (see :data:`START_METHOD`); workers ignore Ctrl-C
  and SIGHUP so the command can stop cleanly and save what finished, and die with the command
  (also after ``kill -9``, see :mod:`ckm_sim.lifeline`);
- ``scheduler``/``dask_local``: a Dask ``Client``'s executor with ``pure=False``, so that no two
  tasks are ever merged as "the same computation".

Why forkserver: the sweeps chose it for fast start-up (workers fork from a server that has
imported the model once), the what-if commands chose spawn because forking a process that runs
threads (progress bars, plotting, Dask) can deadlock. Forkserver gives both: its server is a
fresh, single-threaded interpreter started before any work, and every worker is forked from it,
never from the command's own (threaded) process. Where forkserver does not exist (Windows),
spawn is used.

:class:`RunPlan` is how many replications, which base seed, how many periods and where to run
them, as one object the command line builds and the library reads; :func:`map_ordered` runs a
list of independent jobs on an evaluator and returns their results in order.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol

from tqdm import tqdm

from ckm_sim.errors import CKMError, missing_extra
from ckm_sim.lifeline import deferred_stop, parent_token, start_helpers, worker_init
from ckm_sim.model.runs import replication_seed

#: The start method of local worker processes (spawn where forkserver does not exist).
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
#: Modules the forkserver imports once, before forking workers: the model and the run batches,
#: and the hook that makes it exit at once with its command (:mod:`.forkserver_exit`).
PRELOAD = ["ckm_sim.experiments.execute", "ckm_sim.experiments.forkserver_exit"]


class _HasDefaults(Protocol):
    periods: int
    seed: int | None


@dataclass(frozen=True)
class RunPlan:
    """Replications, base seed, periods and workers of a batch of paired runs.

    Replication ``r`` runs on ``replication_seed(base_seed, r)`` in every scenario (common random
    numbers). ``base_seed`` / ``periods`` None: take them from the scenario
    (:meth:`resolved`). ``workers``, ``scheduler`` and ``dask_local`` choose the evaluator
    (:func:`open_evaluator`); results do not depend on them.
    """

    replications: int
    base_seed: int | None = None
    periods: int | None = None
    workers: int = 1
    scheduler: str | None = None
    dask_local: bool = False

    def __post_init__(self) -> None:
        if self.replications < 1:
            raise CKMError(f"replications must be >= 1, got {self.replications}")
        if self.workers < 1:
            raise CKMError(f"workers must be >= 1, got {self.workers}")

    def resolved(self, scenario: _HasDefaults) -> RunPlan:
        """This plan with a missing base seed and periods taken from ``scenario``."""
        seed = self.base_seed
        if seed is None:
            seed = scenario.seed if scenario.seed is not None else 0
        periods = scenario.periods if self.periods is None else self.periods
        return replace(self, base_seed=seed, periods=periods)

    @property
    def seed(self) -> int:
        """The base seed (0 when neither the plan nor a scenario gave one)."""
        return 0 if self.base_seed is None else self.base_seed

    def seeds(self, offset: int = 0, count: int | None = None) -> list[int]:
        """Seeds of replications ``offset .. offset + count - 1`` (default: this plan's count)."""
        n = self.replications if count is None else count
        return [replication_seed(self.seed, offset + r) for r in range(n)]

    def with_replications(self, replications: int) -> RunPlan:
        """The same plan with another number of replications."""
        return replace(self, replications=replications)

    def evaluator(self) -> AbstractContextManager[Evaluator]:
        """:func:`open_evaluator` for this plan's workers (a context manager)."""
        return open_evaluator(self.workers, self.scheduler, self.dask_local)


class SerialExecutor(cf.Executor):
    """Runs each submitted call at once, in this process; returns a finished future."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        """Call ``fn(*args, **kwargs)`` now; its result (or exception) is in the future."""
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


@dataclass
class Evaluator:
    """An executor, how many tasks it runs at once, and a label for the manifest."""

    executor: cf.Executor
    slots: int
    label: str


def process_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A local pool of ``workers`` processes started with :data:`START_METHOD`; its helpers
    (forkserver, resource tracker) ignore stop signals (:func:`~ckm_sim.lifeline.start_helpers`)."""
    ctx = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    pools: list[cf.ProcessPoolExecutor] = []

    def start() -> None:
        pools.append(
            cf.ProcessPoolExecutor(
                max_workers=workers,
                mp_context=ctx,
                initializer=worker_init,  # own process group, ignore Ctrl-C and SIGHUP; die
                initargs=parent_token(),  # with this process
            )
        )
        if START_METHOD == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()

    start_helpers(start)
    return pools[0]


@contextmanager
def _dask(workers: int, scheduler: str | None) -> Iterator[Evaluator]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise missing_extra("distributed", "running on Dask") from None
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster)
            label = f"dask LocalCluster ({workers} workers)"
        else:
            try:
                client = Client(scheduler, timeout=10)
            except (OSError, TimeoutError, ValueError) as exc:
                raise CKMError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            label = f"dask scheduler {scheduler}"
        try:
            slots = max(1, sum(client.nthreads().values()))
            yield Evaluator(client.get_executor(pure=False), slots, label)
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


@contextmanager
def open_evaluator(
    workers: int = 1, scheduler: str | None = None, dask_local: bool = False
) -> Iterator[Evaluator]:
    """The executor runs are submitted to; closed (workers stopped) on exit."""
    if scheduler is not None or dask_local:
        with _dask(workers, scheduler) as evaluator:
            yield evaluator
        return
    if workers <= 1:
        yield Evaluator(SerialExecutor(), 1, "this process")
        return
    pool = process_pool(workers)
    try:
        yield Evaluator(pool, workers, f"process pool ({workers} workers)")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def map_ordered[T](
    evaluator: Evaluator,
    fn: Callable[..., T],
    jobs: Sequence[tuple[Any, ...]],
    progress: bool = False,
    desc: str = "runs",
) -> list[T]:
    """``[fn(*job) for job in jobs]`` on ``evaluator``, in the order of ``jobs``.

    ``fn`` and the jobs must be picklable unless the evaluator runs in this process.
    """
    bar = tqdm(total=len(jobs), desc=desc, unit="run", leave=False, disable=not progress)
    try:
        out = []
        if isinstance(evaluator.executor, SerialExecutor):  # one at a time, the bar moving
            for job in jobs:
                out.append(fn(*job))
                bar.update()
            return out
        with deferred_stop():  # a stop signal waits until every task is handed over
            futures = [evaluator.executor.submit(fn, *job) for job in jobs]
        for future in futures:
            out.append(future.result())
            bar.update()
        return out
    finally:
        bar.close()
