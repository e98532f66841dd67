"""The incremental, parallel engine: page families declare outputs, the engine decides.

A page family says what it writes (`Page`: a template and its values; `Task`: a job that
writes files itself) and what each output shows (`Depends`). From that alone the engine
fingerprints every output, keeps those whose fingerprint matches the last build's (they are
already in the staging folder), and renders the rest on every core, the heaviest tasks first.
It knows no regions, speakers or days: adding a page family touches nothing here.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .cache import read_kept, write_kept
from .fingerprint import ValueHasher, text_digest
from .lists import Layout, load_layout, save_layout, write_list
from .output import OutputTracker, fresh_file, stamp_of, write_text
from .parallel import Background, give_back_memory, share_work, start_background, worker_count
from .resident import Fragments
from .writer import PageWriter, Templates

RECORDS_PER_PAGE = 30  # records a task handles in the time a page renders (measured: ~28 µs a
# record for the data files, ~0.85 ms a page at N=5,000)


@dataclass(frozen=True)
class Depends:
    """What an output shows, for its fingerprint. `records` stand for themselves by id and
    the digest of their article's file (one lookup each); `values` are walked; `text` is
    taken as it is. Settings, theme, code and the site's totals are in every fingerprint."""

    records: Sequence[Any] = ()
    values: Any = None
    text: tuple[str, ...] = ()


Declared = Depends | Callable[[], Depends] | None  # a function: worked out only when needed
V = TypeVar("V")
ListItem = tuple[str, str, V]  # a list file's item: its record's id and article, its value


@dataclass(frozen=True)
class Page:
    """One file rendered from a template. `values` may be a function: prepared only when the
    page is rendered (feeds' entries cost more than their fingerprint). `depends` None: always
    rendered."""

    name: str
    template: str
    values: Mapping[str, Any] | Callable[[], Mapping[str, Any]]
    depends: Declared
    relative_urls: bool | None = None  # None: the RELATIVE_URLS setting


@dataclass(frozen=True)
class Task:
    """A job that writes its own files through `OutputFiles` (data files, the search index),
    run beside the pages. `size`: how many records it handles (its cost)."""

    run: Callable[[], None]
    size: int


@dataclass(frozen=True)
class Group:
    """Pages that show nothing but what `depends` names (a timeline's first page, parts and
    months, each page's own Depends made from it). When the group's key is last build's and
    its pages are all still there, they are kept without being declared: `pages()` is not
    called. A group's name is unique in the build."""

    name: str
    depends: Depends
    pages: Callable[[], Iterable[Page]]


Output = Page | Task | Group


@dataclass(frozen=True)
class Claim:
    """A file this build must write, and the key to remember it by."""

    name: str
    key: str


@dataclass
class _Render:
    page: Page
    key: str | Callable[[], str | None] | None


@dataclass(frozen=True)
class _Help:
    """A worker with nothing left to render takes background tasks nobody started yet."""

    background: Background[Any, Any]


class Engine:
    """One build's outputs. `shell` fingerprints what every output depends on (code,
    settings, theme, registries); `summary`, what every page shows of the whole site."""

    def __init__(
        self,
        tracker: OutputTracker,
        writer: PageWriter,
        shell: str,
        summary: str,
        article_digests: Mapping[str, str],
        fragments: Fragments,
        *,
        resident: bool = False,
        workers: int = 0,
        cache_folder: Path | None = None,
    ) -> None:
        self.tracker, self.writer = tracker, writer
        self.shell, self.summary = shell, summary
        self.prefix = hashlib.sha256(f"{shell}\0{summary}\0".encode())  # of every key
        self.hasher = ValueHasher(article_digests)  # remembers each record's token
        self.article_digests = article_digests
        self.fragments = fragments
        # A long-lived process (make serve) keeps per-record pieces and compiled templates.
        self.resident = resident
        self.templates_used: set[str] = set()
        self.workers = workers
        self.cache_folder = cache_folder  # the cache's scope folder: the lists' layouts
        self.renders: list[_Render] = []
        self.kept: list[Page] = []  # pages last build wrote as they would be now
        self.tasks: list[Task] = []
        self.background: list[Background[Any, Any]] = []
        self.finalize_jobs: list[Callable[[], None]] = []  # once everything is written

    @property
    def output(self) -> Path:
        return self.tracker.root

    # -- what page families call -------------------------------------------------------

    def add(self, outputs: Iterable[Output]) -> None:
        for item in outputs:
            if isinstance(item, Task):
                self.tasks.append(item)
            elif isinstance(item, Group):
                self._add_group(item)
            else:
                self._add_page(item)

    def _add_group(self, group: Group) -> None:
        """Keep the group whole, or declare its pages one by one. A plugin listening for
        `content_written` hears of each kept page with its values: its pages are declared."""
        if group.name in self.tracker.groups:
            raise ValueError(f'two groups of pages are named "{group.name}"')
        key = self._key(group.name, "group", group.depends)
        assert key is not None
        if not self.writer.announcing and self.tracker.keep_group(group.name, key):
            return
        names = []
        for page in group.pages():
            names.append(page.name)
            self._add_page(page)
        self.tracker.groups[group.name] = (key, tuple(names))

    def _add_page(self, page: Page) -> None:
        depends, tracker = page.depends, self.tracker
        self.templates_used.add(page.template)
        key: str | Callable[[], str | None] | None
        if callable(depends) and page.name not in tracker.previous:
            # nothing to compare a new page with: the process that renders it works it out
            key = partial(self._key, page.name, page.template, depends)
        else:
            key = self._key(page.name, page.template, depends)
            if key is not None and tracker.keep(page.name, key):
                self.kept.append(page)
                return
        if page.name in tracker.written:
            raise ValueError(f'two pages would be written to "{page.name}"')
        tracker.written.add(page.name)  # claimed now: a second page of that name is an error
        self.renders.append(_Render(page, key))

    def claim(self, name: str, kind: str, depends: Depends) -> Claim | None:
        """None when last build's `name` still shows `depends` (it is kept as it is); else
        what to write it with. For files a task writes: ask before preparing them."""
        key = self._key(name, kind, depends)
        assert key is not None
        return None if self.tracker.keep(name, key) else Claim(name, key)

    def write_text(self, name: str, text: str, claim: Claim | None = None) -> None:
        """Write a file of the output (a task's); `claim` remembers its fingerprint."""
        write_text(self.output, name, text)
        self.tracker.record(name, claim.key if claim is not None else None)

    def fresh_file(self, name: str) -> AbstractContextManager[int]:
        """Write a large file of the output (a download) through a descriptor, never whole
        in memory (output.fresh_file), remembered by the next build (linked into its staging
        folder, where it finds the previous download)."""
        self.tracker.record(name, None)
        return fresh_file(self.output, name)

    def write_list(self, name: str, items: Iterable[ListItem[V]], make: Callable[[V], str]) -> None:
        """A large JSON list file, as `dump` writes a list, never whole in memory. Each item is
        (record id, article slug, value), its text `make(value)`: the items last build's file
        holds are copied from it, the others made (build.lists). An item's key is its record
        and its article file's digest, so its text must follow from those, the code, the
        settings and the registries (the cache's scope, which keeps the layouts) alone."""
        digests = self.article_digests
        keyed = (
            (f"{item_id}\0{digests.get(article, '')}", value) for item_id, article, value in items
        )
        layout = load_layout(self.cache_folder, name)
        target = self.output / name
        previous = self._previous_list(name, target, layout)
        try:
            with self.fresh_file(name) as into:
                written = write_list(into, keyed, make, previous, layout)
        finally:
            if previous is not None:
                os.close(previous)
        save_layout(self.cache_folder, name, Layout(stamp_of(target), written))

    def _previous_list(self, name: str, target: Path, layout: Layout | None) -> int | None:
        """Last build's `name`, open, when it is the file `layout` describes: linked from the
        last output and as it was written."""
        if layout is None or not self.unchanged(name, layout.stamp[0]):
            return None
        try:
            descriptor = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        if stamp_of(descriptor) != tuple(layout.stamp):
            os.close(descriptor)
            return None
        return descriptor

    def unchanged(self, name: str, inode: int) -> bool:
        """Is the output's file `name`, now at `inode`, last build's file as it was? (Linked
        from the previous output and not written since: the same bytes.)"""
        return self.tracker.linked.get(name) == inode

    def piece(
        self, kind: str, item_id: str, article: str, make: Callable[[], Any], *extra: str
    ) -> Any:
        """A piece made from one record of `article` (a slug): made once per build (a slide
        serves every region around its place) and, by make serve, kept while the file is the
        same."""
        return self.fragments.get(
            (kind, item_id, self.article_digests.get(article, ""), *extra), make
        )

    def kept_piece(self, kind: str, item_id: str, digest: str, *extra: str) -> Any:
        """The piece of `item_id` made when its article's file had `digest` (last build's),
        if it was kept; else None. Not kept on for that: a build asks for a piece of a file
        gone only to take it away from what it makes (a search index patched)."""
        return self.fragments.peek((kind, item_id, digest, *extra))

    def recall(self, name: str) -> memoryview | None:
        """What a task kept under `name` for the next build (`keep`): never needed, so None
        when there is none (or no cache, or it was not signed here)."""
        return read_kept(self.cache_folder, f"task-{name}")

    def keep(self, name: str, body: bytes) -> None:
        """Kept for the next build in the cache's scope folder (the same code, settings and
        registries): what `recall` gives it."""
        write_kept(self.cache_folder, f"task-{name}", body)

    def on_finish(self, job: Callable[[], None], writes: Iterable[str] = ()) -> None:
        """Run `job` when every other file is written (the offline zip); `writes`: the files
        of the output it writes (not stale, though not written yet)."""
        self.finalize_jobs.append(job)
        self.tracker.pending.update(writes)

    # -- fingerprints --------------------------------------------------------------------

    def _key(self, name: str, template: str, depends: Declared) -> str | None:
        if depends is None:
            return None
        declared = depends() if callable(depends) else depends
        hasher = self.hasher
        fingerprint = text_digest(
            hasher.records(declared.records),
            "" if declared.values is None else hasher.digest(declared.values),
            *declared.text,
        )
        digest = self.prefix.copy()  # = text_digest(shell, summary, name, template, fingerprint)
        digest.update(f"{name}\0{template}\0{fingerprint}\0".encode())
        return digest.hexdigest()

    # -- running -------------------------------------------------------------------------

    def start_tasks(self) -> None:
        """Start the tasks declared so far in a process of their own, now, when there is a
        core for it: the search index and data files are made while this process renders."""
        tasks = self._tasks_by_weight()
        weight = sum(_weight(t) for t in tasks)
        if not tasks or worker_count(weight, self.workers) < 2:
            return
        self.tasks = []
        give_back_memory()  # the forked process starts from what this one holds
        # Heaviest first (the search index): after an edit this process renders a few pages
        # and then takes the light tasks nobody started yet (_Help), instead of waiting for
        # the search index to follow them (at 20,000 articles it waited ~1 s). The data files
        # grow no process any more (their lines are written as made, or copied: build.lists).
        self.background.append(start_background(tasks, self._run, self._collected))

    def render(self, templates: Templates, context: Mapping[str, Any]) -> None:
        """Run every task left and render every page, forked workers taking their share;
        then wait for the background tasks, and announce what workers wrote."""
        self._templates, self._context = templates, context
        if self.resident:  # compiled once, while nothing waits: the next edit renders at once
            for name in sorted(self.templates_used):
                templates(name)
        tasks = self._tasks_by_weight()
        size = len(self.renders) + sum(_weight(t) for t in tasks)
        helping = [
            _Help(b) for b in self.background for _ in range(worker_count(size, self.workers))
        ]
        jobs: list[Task | _Render | _Help] = [*tasks, *self.renders, *helping]
        self.tasks, self.renders = [], []
        give_back_memory()  # each worker starts from what this process holds
        results = share_work(jobs, self._run, self._collected, self.workers, size)
        results += [background.join() for background in self.background]
        self.background.clear()
        self._absorb(results)
        self.writer.announce_sent_back(context)
        kept, self.kept = self.kept, []
        for page in kept:  # plugins (a sitemap) hear of every page, not only the rendered ones
            values = {} if callable(page.values) else page.values
            self.writer.announce(page.name, context, values)

    def finish(self) -> None:
        """Remove pages of deleted content, then run the jobs that need the whole site."""
        self.tracker.remove_stale()
        jobs, self.finalize_jobs = self.finalize_jobs, []
        for job in jobs:
            job()

    def stop(self) -> None:
        """A failed build: stop every background task before its folder is removed."""
        for background in self.background:
            background.stop()
        self.background.clear()

    def _tasks_by_weight(self) -> list[Task]:
        return sorted(self.tasks, key=lambda task: -_weight(task))  # the longest first

    def _run(self, job: Task | _Render | _Help) -> None:
        if isinstance(job, Task):
            job.run()
            self.fragments.save()  # its new pieces kept for the next build
            if not self.resident:  # its pieces served it (a slide, every region around it)
                self.fragments.made.clear()  # and no other task: not held to the end
                give_back_memory()  # what it freed, before the next task grows the process
        elif isinstance(job, _Help):
            job.background.help()
        else:
            self._render(job)

    def _render(self, job: _Render) -> None:
        page = job.page
        values = page.values() if callable(page.values) else page.values
        self.writer.write_page(
            page.name, self._templates(page.template), self._context, page.relative_urls, values
        )
        key = job.key() if callable(job.key) else job.key
        self.tracker.record(page.name, key)

    def _collected(self) -> tuple[Any, ...]:
        """What a worker process changed, for the parent's `_absorb`."""
        made = self.fragments.made if self.resident else {}
        tracker = self.tracker
        return tracker.current, tracker.written, tracker.kept, made, self.writer.unannounced

    def _absorb(self, results: Sequence[tuple[Any, ...]]) -> None:
        for current, written, kept, made, unannounced in results:
            self.tracker.current.update(current)
            self.tracker.written.update(written)
            self.tracker.kept.update(kept)
            self.fragments.merge(made)
            self.writer.unannounced.extend(unannounced)


def _weight(task: Task) -> int:
    return max(1, task.size // RECORDS_PER_PAGE)
