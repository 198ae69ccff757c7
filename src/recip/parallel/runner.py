"""Executors: run tasks here, on a local process pool, or on a Dask cluster."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

import numpy as np

from ..core.errors import ScenarioError
from .signals import workers_ignore_sigint
from .store import ChunkStore
from .tasks import Task, call

EXECUTORS = ("local", "dask")


def default_workers() -> int:
    """Workers of the local pool by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the main process (which cancels the work and reports), and use
    one BLAS thread each so that workers do not oversubscribe the cores."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        pass


def run(
    tasks: Sequence[Task],
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    store: ChunkStore | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[np.ndarray]:
    """Every task's result, in task order.

    ``executor="local"``: in this process when ``workers`` is 1, else on a process pool of
    ``workers`` processes (default: the cores available). ``executor="dask"``: on the Dask
    cluster at ``scheduler`` (an address such as ``tcp://host:8786``), or on a local Dask cluster
    of ``workers`` processes when no address is given (needs the ``recip[dask]`` extra).
    ``store``: finished chunks are read from it and new ones written to it as they complete.
    ``progress(k)`` is called as ``k`` more tasks are done (stored ones included).
    """
    if executor not in EXECUTORS:
        raise ScenarioError(
            f"unknown executor {executor!r}; valid: {', '.join(EXECUTORS)}", key="executor"
        )
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ScenarioError(f"workers must be a whole number >= 1, not {workers!r}", key="workers")
    results: list[np.ndarray | None] = [None] * len(tasks)
    todo = list(range(len(tasks)))
    if store is not None:
        done = store.done()
        for i in sorted(done):
            results[i] = store.load(i)
        todo = [i for i in todo if i not in done]
        if done and progress is not None:
            progress(len(done))

    def finished(i: int, value: np.ndarray) -> None:
        results[i] = value
        if store is not None:
            store.save(i, value)
        if progress is not None:
            progress(1)

    if executor == "dask":
        from .dask import run_dask

        run_dask(tasks, todo, finished, scheduler=scheduler, workers=workers)
    else:
        n = workers if workers is not None else default_workers()
        if n == 1 or len(todo) <= 1:
            for i in todo:
                finished(i, tasks[i]())
        else:
            _run_pool(tasks, todo, finished, n)
    return results  # type: ignore[return-value]


def _run_pool(tasks, todo, finished, workers: int) -> None:
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_quiet_worker)
    pending: dict = {}
    try:
        with workers_ignore_sigint():  # the workers start at the first task
            first = pool.submit(call, tasks[todo[0]])
        pending[first] = todo[0]
        for i in todo[1:]:
            pending[pool.submit(call, tasks[i])] = i
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                finished(pending.pop(future), future.result())
    except BaseException:
        _stop(pool, pending)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor, pending) -> None:
    """Stop a pool at once (Ctrl-C, or a failed task): cancel the tasks not started and end
    the workers, whose current results nobody will read.

    The futures are cancelled here because ``shutdown(cancel_futures=True)`` alone cancels
    nothing once the pool object is collected (its manager thread holds it by a weak
    reference), and the interpreter would then wait at exit for every queued task."""
    for future in pending:
        future.cancel()
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
    # let the pool's manager thread finish closing its wake-up pipe now: on Python 3.11 the
    # interpreter's exit handler otherwise races it and can print a traceback ("Bad file
    # descriptor") after the command's own one line
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None and manager.is_alive():
        manager.join(timeout=5)
