"""Many points in chunks, on any executor: the values of :mod:`recip.model.points`, shared out.

Points are sorted by their structural values and discount factor before they are cut into
chunks, so that a chunk holds few distinct chains; each chunk is a pure function of the
scenario, the axes and its rows (:class:`recip.parallel.Task`), so the values are the same
bytes whichever executor runs it and however many workers share the chunks. With a
:class:`recip.parallel.ChunkStore` each finished chunk is checkpointed and a resumed run skips it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..parallel import ChunkStore, Task, run
from ..scenario.load import Scenario
from .points import Axis, PointEvaluator

#: Points per chunk: enough to amortise a task's start, few enough to spread over workers and
#: to lose little work to a kill.
CHUNK = 4096


def chunk_values(
    scenario: Scenario,
    axes: tuple[Axis, ...],
    focal: str | None,
    policies: tuple[Any, ...] | None,
    limit_of_means: bool,
    X: np.ndarray,
) -> np.ndarray:
    """The values of one chunk of points (a task's function: module level, pure)."""
    evaluator = PointEvaluator(
        scenario, axes, focal=focal, policies=policies, limit_of_means=limit_of_means
    )
    return evaluator.values(X)


def order(axes: Sequence[Axis], X: np.ndarray) -> np.ndarray:
    """A permutation of the points that puts equal structural values, then equal discount
    factors, next to each other (a stable lexicographic sort)."""
    keys = [i for i, a in enumerate(axes) if a.kind == "structure"]
    keys += [i for i, a in enumerate(axes) if a.kind == "discount"]
    if not keys:
        return np.arange(len(X))
    return np.lexsort([X[:, i] for i in reversed(keys)])


def fingerprint(
    scenario: Scenario,
    axes: Sequence[Axis],
    X: np.ndarray,
    focal: str | None,
    policies: Sequence[Any] | None,
    limit_of_means: bool,
) -> str:
    """What identifies a piece of work, for checkpoints: the scenario, the question and the
    points."""
    h = hashlib.sha256()
    question = {
        "scenario": scenario.hash,
        "axes": [[a.key, a.kind, [repr(o) for o in a.options]] for a in axes],
        "focal": focal,
        "policies": [repr(p) for p in policies] if policies is not None else None,
        "limit_of_means": limit_of_means,
    }
    h.update(json.dumps(question, sort_keys=True).encode())
    h.update(np.ascontiguousarray(X, dtype=float).tobytes())
    return h.hexdigest()


def values_at(
    scenario: Scenario,
    axes: Sequence[Axis],
    X: np.ndarray,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    limit_of_means: bool = False,
    executor: str = "local",
    workers: int | None = 1,
    scheduler: str | None = None,
    store: ChunkStore | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Every player's value at every point (``(K, P, n)``, in the order of ``X``), computed in
    chunks on ``executor`` (see :func:`recip.parallel.run`); ``progress(k)`` counts points."""
    X = np.asarray(X, dtype=float).reshape(-1, len(axes))
    perm = order(axes, X)
    blocks = [perm[i : i + chunk] for i in range(0, len(X), chunk)]
    frozen = tuple(axes)
    pols = tuple(policies) if policies is not None else None
    tasks = [
        Task(chunk_values, (scenario, frozen, focal, pols, limit_of_means, X[b])) for b in blocks
    ]
    sizes = [len(b) for b in blocks]
    done = iter(sizes)

    def step(k: int) -> None:
        if progress is not None:
            progress(sum(next(done) for _ in range(k)))

    parts = run(
        tasks, executor=executor, workers=workers, scheduler=scheduler, store=store, progress=step
    )
    evaluator = PointEvaluator(scenario, (), focal=focal, policies=policies)
    out = np.empty((len(X), len(evaluator.policies), len(evaluator.setting.players)))
    for b, part in zip(blocks, parts, strict=True):
        out[b] = part
    return out
