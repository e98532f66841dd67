"""Reading many files on every core: each worker reads a chunk with its own Markdown parser
and its own diagnostics, and hands back plain records (no shared state between processes)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_FILES_PER_WORKER = 200  # below this, starting processes costs more than it saves


def worker_count(files: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, files // MIN_FILES_PER_WORKER))


def map_chunks(function: Callable[[Sequence[Path]], list[R]], files: Sequence[Path]) -> list[R]:
    """`function` over chunks of `files`, in order, in worker processes when it pays."""
    workers = worker_count(len(files))
    if workers == 1:
        return function(files)
    size = max(1, len(files) // (workers * 4))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return [result for chunk in pool.map(function, chunks) for result in chunk]
