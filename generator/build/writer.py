"""Pelican's writer, made incremental: a page whose fingerprint matches the last build's is
kept as it is (no rendering), and a rendered page is written only when its bytes changed."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.writers import FileOverwriteFailedError, Writer

from .output import write_if_changed
from .parallel import Background, share_work, start_background, worker_count
from .state import build_state


class _ChangedOnlyFile(io.StringIO):
    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__()
        self.path = path
        self.encoding_name = encoding

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self.path, self.getvalue().encode(self.encoding_name))
        super().close()


@dataclass(frozen=True)
class _Deferred:
    """One write_file call, kept until every page is known (then rendered on every core)."""

    name: str
    template: Any
    context: dict[str, Any]
    options: tuple[Any, ...]  # relative_urls, paginated, template_name, override_output, url
    values: dict[str, Any]
    key: str | Callable[[], str | None] | None  # a function: its fingerprint, worked out late


@dataclass(frozen=True)
class _Task:
    """Work that writes its own files (data files, the search index), run with the pages."""

    run: Callable[[], None]
    weight: int  # about how many pages' rendering it costs


@dataclass(frozen=True)
class _Help:
    """A worker with nothing left to render takes background tasks nobody started yet."""

    background: Background[Any, Any]


TASK_SIZE = 500  # the weight of a task that says nothing: the search index costs about that


class IncrementalWriter(Writer):  # type: ignore[misc]
    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.state = build_state(settings)
        self.deferred: list[_Deferred] = []
        self.tasks: list[_Task] = []

    def defer(self, task: Callable[[], None], weight: int = TASK_SIZE) -> None:
        """Run `task` when the pages are rendered, on whichever core is free: a long job (the
        search index) then runs beside rendering instead of before it. It must write through
        `write_text`/`record` only, not through this writer."""
        if self.state.outputs is None:
            task()
        else:
            self.tasks.append(_Task(task, weight))

    def start_tasks(self, workers: int = 0) -> None:
        """Start the tasks deferred so far in a process of their own, now, when there is a
        core for it: the search index and data files are made while this process checks and
        renders pages, instead of after."""
        tasks = sorted(self.tasks, key=lambda task: -task.weight)  # the longest first
        tracker = self.state.outputs
        if tracker is None or not tasks or worker_count(sum(t.weight for t in tasks),
                                                        workers) < 2:
            return
        self.tasks = []
        self.state.background.append(start_background(tasks, self._run, self.state.collected))

    def render_deferred(self, workers: int = 0) -> None:
        """Run every task left and render every deferred page, forked workers taking their
        share; then wait for the background tasks."""
        tasks = sorted(self.tasks, key=lambda task: -task.weight)  # the longest first
        size = len(self.deferred) + sum(task.weight for task in tasks)
        helping = [_Help(b) for b in self.state.background  # one for each process
                   for _ in range(worker_count(size, workers))]
        jobs: list[_Task | _Deferred | _Help] = [*tasks, *self.deferred, *helping]
        self.tasks, self.deferred = [], []
        tracker = self.state.outputs
        if tracker is None:
            for job in jobs:
                self._run(job)
            return
        results = share_work(jobs, self._run, self.state.collected, workers, size)
        results += [background.join() for background in self.state.background]
        self.state.background.clear()
        self.state.absorb(results)

    def _run(self, job: _Task | _Deferred | _Help) -> None:
        if isinstance(job, _Task):
            job.run()
        elif isinstance(job, _Help):
            job.background.help()
        else:
            self._render(job)

    def _render(self, job: _Deferred) -> None:
        super().write_file(job.name, job.template, job.context, *job.options, **job.values)
        if self.state.outputs is not None:
            key = job.key
            if callable(key):
                key = self.state.page_key(job.name, job.template.name, key())
            self.state.outputs.record(job.name, key)

    def write_file(self, name: str, template: Any, context: dict[str, Any],
                   relative_urls: bool = False, paginated: Any = None,
                   template_name: str | None = None, override_output: bool = False,
                   url: str | None = None, **kwargs: Any) -> None:
        """`fingerprint=`: of what the page shows (None: always render it), or a function
        that works it out; when last build has no such page there is nothing to compare it
        with, so the process that renders the page calls it (a cold build spreads them)."""
        fingerprint = kwargs.pop("fingerprint", None)
        tracker = self.state.outputs
        key: str | Callable[[], str | None] | None
        if callable(fingerprint) and (tracker is None or name not in tracker.previous):
            key = fingerprint
        else:
            if callable(fingerprint):
                fingerprint = fingerprint()
            key = self.state.page_key(name, template.name, fingerprint) if name else None
            if key is not None and tracker is not None and tracker.keep(name, key):
                return
        options = (relative_urls, paginated, template_name, override_output, url)
        job = _Deferred(name, template, context, options, kwargs, key)
        if name and tracker is not None:
            if name in tracker.written:
                raise FileOverwriteFailedError(f'Failed to overwrite "{name}": written twice')
            tracker.written.add(name)  # claimed now: a second page of that name is an error
            self.deferred.append(job)  # rendered by PagesGenerator, the last generator
        else:
            self._render(job)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> _ChangedOnlyFile:
        if filename in self._written_files:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": written twice')
        self._written_files.add(filename)
        return _ChangedOnlyFile(Path(filename), encoding)  # already sanitised by the caller
