"""The Dask executor (the ``recip[dask]`` extra): the same tasks on a Dask distributed cluster.

Dask is imported here only, when this executor is asked for.
"""

from __future__ import annotations

from ..core.errors import AnalysisError
from .signals import workers_ignore_sigint
from .tasks import call


def run_dask(tasks, todo, finished, *, scheduler: str | None, workers: int | None) -> None:
    """Run ``tasks[i]`` for ``i`` in ``todo`` on the cluster at ``scheduler`` (a local cluster of
    ``workers`` processes when it is None), calling ``finished(i, result)`` as each completes.
    The client, and a local cluster, are closed however the run ends (Ctrl-C included)."""
    cluster = client = None
    try:
        # Dask starts threads when it is imported and worker processes when a local cluster
        # starts: both must ignore Ctrl-C, which the main thread handles
        with workers_ignore_sigint(spawned=True):
            try:
                from distributed import Client, LocalCluster, as_completed
            except ImportError:
                raise AnalysisError(
                    "the Dask executor needs the recip[dask] extra: pip install 'recip[dask]'"
                ) from None
            if scheduler is None:
                cluster = LocalCluster(
                    n_workers=workers or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=50,
                )
                client = Client(cluster)
            else:
                try:
                    client = Client(scheduler, timeout=10)
                except (OSError, TimeoutError, ValueError) as exc:
                    raise AnalysisError(
                        f"cannot reach the Dask scheduler at {scheduler}: {exc}"
                    ) from None
        futures = {client.submit(call, tasks[i], pure=False): i for i in todo}
        for future in as_completed(futures):
            finished(futures[future], future.result())
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
