"""Running many independent chunks of work: in this process, on a local process pool, or on a
Dask cluster, with checkpoints that survive a kill.

Work is a list of :class:`Task`: a module-level function and picklable arguments (a setting and
the rows of a chunk). A chunk's result depends on its arguments only, so the results are the same
bytes whatever runs them and however many workers share them. :func:`run` returns the results in
task order; with a :class:`~recip.parallel.store.ChunkStore` each result is written atomically as
it completes and finished chunks are not run again.
"""

from __future__ import annotations

from .runner import EXECUTORS, default_workers, run
from .store import ChunkStore
from .tasks import Task

__all__ = ["EXECUTORS", "ChunkStore", "Task", "default_workers", "run"]
