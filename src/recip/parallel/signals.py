"""Ctrl-C and worker processes: a worker must never print a traceback for the user's Ctrl-C.

The main process handles Ctrl-C (it stops the work, keeps the finished chunks and says so);
worker processes ignore it. A terminal sends Ctrl-C to every process of the foreground job, the
workers included, so a worker must ignore it from its first instruction, not from the moment it
runs code of ours (:func:`workers_ignore_sigint`):

* a *forked* worker (the local pool) inherits the signal mask of the thread that forks it: with
  SIGINT blocked there, a Ctrl-C stays pending in the worker until its initializer ignores the
  signal (which discards it). The main process loses nothing: a process-directed signal goes
  to a thread that does not block it, and Python's handler, whichever thread runs it, raises
  KeyboardInterrupt in the main thread.
* a *spawned* worker (a local Dask cluster's) is a new program: only an *ignored* signal
  survives ``exec`` (Python then installs no handler of its own for it), so SIGINT is ignored,
  process-wide, while such a cluster starts. A Ctrl-C in those few seconds is lost (the signal
  mask cannot hold it: native threads such as BLAS's take it and it is discarded); the next one
  is handled.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def workers_ignore_sigint(*, spawned: bool = False) -> Iterator[None]:
    """Start worker processes inside this block so that they ignore SIGINT: forked ones by
    default, spawned ones (``spawned=True``) too. Only in the main thread (elsewhere: nothing
    to do, as only the main thread handles signals)."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    mask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if spawned else None
    try:
        yield
    finally:
        if spawned:
            signal.signal(signal.SIGINT, handler)
        mask(signal.SIG_UNBLOCK, {signal.SIGINT})
