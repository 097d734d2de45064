"""Where the per-article stages run: here (with ``workers`` >= 2, in that many helper processes
ahead of the writer), or on a Dask (dask.distributed) cluster.

Both engines yield partition results in plan order, whatever order the workers finish in, so
the single writer stores articles in the same order on every engine and every run: article
versions and ids never depend on scheduling.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from newsprism.errors import NewsprismError
from newsprism.scale.partitions import Partition
from newsprism.scale.work import PartitionResult, process_partition

ENGINES = ("local", "dask")


def map_partitions(
    partitions: Sequence[Partition],
    *,
    engine: str = "local",
    annotate: bool = False,
    scheduler: str | None = None,
    workers: int = 2,
) -> Iterator[PartitionResult]:
    """Run the per-article stages over ``partitions``; results come back in plan order."""
    if engine == "local":
        if workers < 2 or len(partitions) < 2:
            for partition in partitions:
                yield process_partition(partition, annotate)
        else:
            yield from _local_ahead(partitions, annotate, workers)
    elif engine == "dask":
        yield from _dask_map(partitions, annotate, scheduler, workers)
    else:
        raise NewsprismError(f"unknown engine {engine!r}", hint="use one of: local, dask")


def _local_ahead(
    partitions: Sequence[Partition], annotate: bool, workers: int
) -> Iterator[PartitionResult]:
    """Read and clean in ``workers`` helper processes, ahead of the writer.

    As many helpers as cores: the writer only stores (a fifth of the cleaning's CPU per
    article), so it takes little of a core, and cleaning is what bounds this stage."""
    from newsprism.scale.helper import helper_pool

    with helper_pool(workers) as pool:
        todo = iter(partitions)
        pending: deque[Any] = deque()
        for partition in todo:
            pending.append(pool.submit(process_partition, partition, annotate))
            if len(pending) >= workers + 1:
                break
        while pending:
            result: PartitionResult = pending.popleft().result()
            following = next(todo, None)
            if following is not None:
                pending.append(pool.submit(process_partition, following, annotate))
            yield result


def _dask_map(
    partitions: Sequence[Partition], annotate: bool, scheduler: str | None, workers: int
) -> Iterator[PartitionResult]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - an install without the extra
        raise NewsprismError(
            "the Dask engine needs dask.distributed",
            hint="pip install 'newsprism[scale]' (or 'dask[distributed]')",
        ) from err
    cluster: Any = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as err:
            raise NewsprismError(
                f"cannot reach the Dask scheduler: {err}",
                where=scheduler,
                hint="give the address a `dask scheduler` prints, e.g. tcp://10.0.0.5:8786",
            ) from err
    else:
        # One single-threaded worker process per core: cleaning and NLP hold the GIL.
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        # Enough queued work to keep every worker busy while the writer stores the head of
        # the queue, and few enough results in memory that the driver stays small.
        limit = 2 * n_workers + 1
        todo = iter(partitions)
        pending: deque[Any] = deque()
        for partition in todo:
            pending.append(client.submit(process_partition, partition, annotate, pure=False))
            if len(pending) >= limit:
                break
        while pending:
            result: PartitionResult = pending.popleft().result()
            following = next(todo, None)
            if following is not None:
                pending.append(client.submit(process_partition, following, annotate, pure=False))
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
