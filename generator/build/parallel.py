"""Work on every core: forked workers (nothing is pickled on the way in) that pull the next
job from a shared counter, so a few long jobs never leave a core idle while another has a
queue, and this process works too instead of waiting.

A worker dies with the process that forked it, however that ends (kill -9 too): on Linux the
kernel sends it SIGKILL (prctl PR_SET_PDEATHSIG), elsewhere it looks before each job; and it
never blocks for ever sending its result to a process that is gone."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import select
import signal
import struct
import sys
from collections.abc import Callable, Sequence
from multiprocessing.reduction import ForkingPickler
from typing import Any, Generic, TypeVar

from .faults import pause

T = TypeVar("T")
R = TypeVar("R")
MIN_FILES_PER_WORKER = 200  # below this, starting processes costs more than it saves
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(items: int, wanted: int = 0) -> int:
    """`wanted` when set (a setting, or a test), else one per core when the work pays for it."""
    if wanted > 0:
        return wanted
    return max(1, min(cores(), items // MIN_FILES_PER_WORKER))


class _Worker:
    """A forked process running jobs; it sends back ("ok", collect()) or ("error", message)."""

    def __init__(
        self,
        context: Any,
        jobs: Sequence[Any],
        queue: _Queue,
        run: Callable[[Any], None],
        collect: Callable[[], Any],
    ) -> None:
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_work, args=(jobs, queue, run, collect, send, os.getpid())
        )
        self.process.start()  # forked: `run` and the jobs are inherited, never pickled
        send.close()  # this process's copy: a worker that dies unheard then reads as EOF

    def result(self) -> Any:
        try:
            status, payload = self.receive.recv()
        except EOFError:
            status, payload = "error", f"exited with code {self.process.exitcode} unheard"
        self.process.join()
        if isinstance(payload, OSError):  # the machine's fault (a full disk...): told as such
            raise payload
        if status != "ok":
            raise RuntimeError(f"a worker failed: {payload}")
        return payload

    def stop(self) -> None:
        """Nothing may go on writing into a failed build's folder."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _results(workers: Sequence[_Worker]) -> list[Any]:
    """Every worker's result; when one failed, the others are stopped before it is raised."""
    try:
        return [worker.result() for worker in workers]
    except BaseException:
        for worker in workers:
            worker.stop()
        raise


def share_work(
    jobs: Sequence[T],
    run: Callable[[T], None],
    collect: Callable[[], R],
    wanted: int = 0,
    size: int | None = None,
    stage: str = "render",
) -> list[R]:
    """Run `jobs` (longest first, ideally) on every core: forked workers send back `collect()`
    (what they changed in the build state) and this process returns the workers' results.
    `size` (default: the number of jobs) decides how many workers pay. A failing worker fails
    the whole, with its error. `stage`: the name of this work for the test hook (faults)."""
    workers = worker_count(len(jobs) if size is None else size, wanted)
    if workers == 1:
        for job in jobs:
            run(job)
            pause(stage)
        return []
    context = multiprocessing.get_context("fork")
    queue = _Queue(context, stage)
    children = [_Worker(context, jobs, queue, run, collect) for _ in range(1, workers)]
    try:
        _run_taken(jobs, queue, run)
    except BaseException:
        queue.fail()
        for child in children:
            child.stop()
        raise
    return _results(children)


class _Queue:
    """The index of the next job nobody took yet, shared by every forked process; once any
    of them failed, there is no next job for anyone."""

    STOP = 2**62

    def __init__(self, context: Any, stage: str = "render") -> None:
        self.counter = context.Value("q", 0)
        self.stage = stage
        self.parent = 0  # in a worker: the pid of the process that forked it

    def take(self) -> int:
        with self.counter.get_lock():
            index: int = self.counter.value
            self.counter.value = index + 1
        return index

    def fail(self) -> None:
        with self.counter.get_lock():
            self.counter.value = self.STOP


class Background(Generic[T, R]):
    """Jobs running in one forked process while this one goes on with other work; any
    process forked from this one can `help` with the jobs nobody started yet."""

    def __init__(
        self, jobs: Sequence[T], queue: _Queue, run: Callable[[T], None], worker: _Worker
    ) -> None:
        self.jobs, self.queue, self.run = jobs, queue, run
        self.worker = worker

    def help(self) -> None:
        _run_taken(self.jobs, self.queue, self.run)

    def join(self) -> R:
        """Wait for the jobs; their `collect()`, or the worker's error raised here."""
        result: R = _results([self.worker])[0]
        return result

    def stop(self) -> None:
        """The build failed: nothing may go on writing into its folder."""
        self.worker.stop()


def start_background(
    jobs: Sequence[T], run: Callable[[T], None], collect: Callable[[], R], stage: str = "render"
) -> Background[T, R]:
    """Run `jobs` in order in a forked process, starting now. `stage`: the name of this work
    for the test hook (faults)."""
    context = multiprocessing.get_context("fork")
    queue = _Queue(context, stage)
    return Background(jobs, queue, run, _Worker(context, jobs, queue, run, collect))


def _run_taken(jobs: Sequence[T], queue: _Queue, run: Callable[[T], None]) -> None:
    while (index := queue.take()) < len(jobs):
        if queue.parent and os.getppid() != queue.parent:
            os._exit(1)  # orphaned: whoever wanted this work is gone
        run(jobs[index])
        pause(queue.stage)


def _work(
    jobs: Sequence[T],
    queue: _Queue,
    run: Callable[[T], None],
    collect: Callable[[], R],
    send: Any,
    parent: int,
) -> None:
    _die_with(parent)
    queue.parent = parent
    try:
        _run_taken(jobs, queue, run)
        message: tuple[str, Any] = ("ok", collect())
    except BaseException as error:  # reported by the parent, which fails the build
        queue.fail()  # nobody starts another job of a failed build
        told = error if isinstance(error, OSError) and _picklable(error) else None
        message = ("error", told or f"{type(error).__name__}: {error}")
    _send(send, message, parent)


def _die_with(parent: int) -> None:
    """In a forked worker: be killed when the process that forked it ends."""
    if sys.platform.startswith("linux"):
        try:
            prctl = ctypes.CDLL(None, use_errno=True).prctl
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (AttributeError, OSError):
            pass
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def give_back_memory() -> None:
    """Return the heap this process freed to the system (glibc keeps it for later otherwise),
    before workers are forked: each starts from what this process holds."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(AttributeError, OSError):
            ctypes.CDLL(None).malloc_trim(0)


def _picklable(error: BaseException) -> bool:
    try:
        ForkingPickler.dumps(error)
    except Exception:
        return False
    return True


def _send(connection: Any, message: Any, parent: int) -> None:
    """`connection.send(message)`, but never blocked for ever: while the pipe is full the
    worker looks, each second, whether the process it writes to is still there."""
    data = bytes(ForkingPickler.dumps(message))
    header = (
        struct.pack("!i", len(data))
        if len(data) <= 0x7FFFFFFF
        else struct.pack("!i", -1) + struct.pack("!Q", len(data))
    )
    view = memoryview(header + data)
    descriptor = connection.fileno()
    os.set_blocking(descriptor, False)
    while view:
        try:
            view = view[os.write(descriptor, view) :]
        except BlockingIOError:
            select.select([], [descriptor], [], 1.0)
            if os.getppid() != parent:
                os._exit(1)
        except BrokenPipeError:  # nobody reads any more
            os._exit(1)


def map_chunks(
    function: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    wanted: int = 0,
    sent_back: Callable[[list[R]], list[R]] | None = None,
    stage: str = "read",
    chunks_per_worker: int = 8,
) -> list[R]:
    """`function` over chunks of `items` (files to read, members to compress), results in
    order, on every core when it pays. `sent_back` turns a worker's results into what it
    sends to this process. `stage`: the name of this work for the test hook (faults). More
    chunks: less time waiting for the slowest process at the end, more calls."""
    workers = worker_count(len(items), wanted)
    if workers == 1:
        results = function(items)
        pause(stage)
        return results
    size = max(1, len(items) // (workers * chunks_per_worker))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    done: dict[int, list[R]] = {}

    def run(index: int) -> None:
        done[index] = function(chunks[index])

    def collect() -> dict[int, list[R]]:
        return {i: sent_back(r) if sent_back else r for i, r in done.items()}

    for theirs in share_work(range(len(chunks)), run, collect, workers, stage=stage):
        done.update(theirs)
    return [result for index in range(len(chunks)) for result in done[index]]
