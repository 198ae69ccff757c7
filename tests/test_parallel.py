"""Executors and checkpoints: the same results, in order, whatever runs the tasks; a store skips
finished chunks and refuses another piece of work's folder."""

from __future__ import annotations

import numpy as np
import pytest

from recip.core.errors import ScenarioError
from recip.parallel import ChunkStore, Task, run


def square_rows(start: int, count: int) -> np.ndarray:
    x = np.arange(start, start + count, dtype=float)
    return np.stack([x, x**2], axis=1)


def tasks(n: int = 7) -> list[Task]:
    return [Task(square_rows, (10 * k, 10)) for k in range(n)]


def expected(n: int = 7) -> np.ndarray:
    x = np.arange(10 * n, dtype=float)
    return np.stack([x, x**2], axis=1)


@pytest.mark.parametrize("workers", [1, 2])
def test_local_results_are_in_task_order(workers):
    got = np.concatenate(run(tasks(), workers=workers))
    assert np.array_equal(got, expected())


def test_progress_counts_every_task():
    seen = []
    run(tasks(), workers=1, progress=seen.append)
    assert sum(seen) == 7


def test_a_store_saves_chunks_and_resumes_without_rerunning(tmp_path):
    store = ChunkStore(tmp_path / "ck", "fp-1", 7, resume=False)
    first = run(tasks(), workers=1, store=store)
    assert store.done() == set(range(7))
    # a resumed run reads every chunk back and calls nothing
    calls = []

    def fail(*args):  # pragma: no cover - must not be called
        calls.append(args)
        raise AssertionError("a stored chunk was recomputed")

    again = run(
        [Task(fail, (k,)) for k in range(7)],
        workers=1,
        store=ChunkStore(tmp_path / "ck", "fp-1", 7, resume=True),
    )
    assert not calls
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)


def test_a_partly_done_store_runs_only_the_missing_chunks(tmp_path):
    store = ChunkStore(tmp_path / "ck", "fp", 7, resume=False)
    for k in (0, 3, 6):
        store.save(k, square_rows(10 * k, 10))
    resumed = ChunkStore(tmp_path / "ck", "fp", 7, resume=True)
    assert resumed.done() == {0, 3, 6}
    got = np.concatenate(run(tasks(), workers=2, store=resumed))
    assert np.array_equal(got, expected())
    assert not list((tmp_path / "ck").glob(".chunk-*"))  # no temporary file left behind


def test_a_store_refuses_other_work_and_unannounced_reuse(tmp_path):
    store = ChunkStore(tmp_path / "ck", "fp", 3, resume=False)
    store.save(0, np.zeros(2))
    with pytest.raises(ScenarioError, match="other work"):
        ChunkStore(tmp_path / "ck", "another", 3, resume=True)
    with pytest.raises(ScenarioError, match="--resume"):
        ChunkStore(tmp_path / "ck", "fp", 3, resume=False)


@pytest.mark.parametrize("bad", [{"executor": "spark"}, {"workers": 0}, {"workers": "2"}])
def test_bad_executor_arguments(bad):
    with pytest.raises(ScenarioError):
        run(tasks(), **bad)


@pytest.mark.slow
def test_a_dask_local_cluster_gives_the_same_results():
    pytest.importorskip("distributed")
    got = np.concatenate(run(tasks(), executor="dask", workers=2))
    assert np.array_equal(got, expected())
