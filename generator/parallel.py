"""Reading many files on every core: each worker reads a chunk with its own Markdown parser
and its own diagnostics, and hands back plain records (no shared state between processes)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_FILES_PER_WORKER = 200  # below this, starting processes costs more than it saves


def worker_count(items: int, wanted: int = 0) -> int:
    """`wanted` when set (a setting, or a test), else one per core when the work pays for it."""
    if wanted > 0:
        return wanted
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, items // MIN_FILES_PER_WORKER))


def share_work(jobs: Sequence[T], run: Callable[[T], None], collect: Callable[[], R],
               wanted: int = 0) -> list[R]:
    """Run `jobs` on every core: forked workers take every n-th job and send back `collect()`
    (what they changed in the build state); this process takes its share and returns the
    workers' results. A failing worker fails the whole, with its error."""
    workers = worker_count(len(jobs), wanted)
    context = multiprocessing.get_context("fork")
    children = []
    for index in range(1, workers):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(jobs[index::workers], run, collect, send))
        process.start()  # forked: `run` and the jobs are inherited, never pickled
        children.append((process, receive))
    try:
        for job in jobs[0::workers]:
            run(job)
    except BaseException:
        for process, _ in children:  # nothing may go on writing into a failed build's folder
            process.terminate()
            process.join()
        raise
    results = []
    for process, receive in children:
        status, payload = receive.recv()
        process.join()
        if status != "ok":
            raise RuntimeError(f"a render worker failed: {payload}")
        results.append(payload)
    return results


def _work(jobs: Sequence[T], run: Callable[[T], None], collect: Callable[[], R],
          send: Any) -> None:
    try:
        for job in jobs:
            run(job)
        send.send(("ok", collect()))
    except BaseException as error:  # reported by the parent, which fails the build
        send.send(("error", f"{type(error).__name__}: {error}"))


def map_chunks(function: Callable[[Sequence[Path]], list[R]], files: Sequence[Path],
               wanted: int = 0) -> list[R]:
    """`function` over chunks of `files`, in order, in worker processes when it pays."""
    workers = worker_count(len(files), wanted)
    if workers == 1:
        return function(files)
    size = max(1, len(files) // (workers * 4))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return [result for chunk in pool.map(function, chunks) for result in chunk]
