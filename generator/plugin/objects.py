"""Pelican's own objects for our content, so that Pelican's plugins and templates see it.

Our records stay the source of truth. From them, each build makes one `pelican.contents.Article`
or `Page` per file (`url`, `save_as`, `settings`, `metadata`, `content`, tags, authors), which
fires `content_object_init`, and hands them to Pelican's own generators, which fill
`context["articles"]`/`["pages"]` and send `article_generator_finalized` and
`page_generator_finalized` as they always do. Nothing is read twice: the generators' file
list is our records' files and their "cache" answers with the objects made here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.urlwrappers import Author, Tag

from ..model import records
from ..model.urls import article_url, page_url, rebase

_SET_CONTENT = "_set_content"  # where a plugin's `_content` goes


class _FromRecord:
    """What our Article and Page share: the record, its path, and what plugins added."""

    record: Any
    relative_path: str  # to the content folder, known before Pelican asks
    _made: frozenset[str]

    def made_from(
        self,
        record: Any,
        relative: str,
        metadata: dict[str, Any],
        source: str,
        settings: Mapping[str, Any],
        context: dict[str, Any],
    ) -> None:
        """Pelican's constructor, with what every object of ours has (`metadata["url"]` is
        also where it is saved)."""
        self.record, self.relative_path = record, relative
        metadata.update(
            title=record.title,
            slug=record.slug,
            summary=record.summary,
            save_as=metadata["url"],
            status="draft" if record.draft else "published",
        )
        super().__init__("", metadata, settings, source, context)  # type: ignore[call-arg]
        del self.__dict__[_SET_CONTENT]  # `_content` is made from the record when asked
        self._made = frozenset(vars(self))

    @property
    def _content(self) -> str:
        """Pelican's content: the body with its links from the site root. Made when asked,
        never kept (a copy of every body is tens of MB at thousands of articles), unless a
        plugin set it."""
        value: str | None = self.__dict__.get(_SET_CONTENT)
        return rebase(self.record.body_html, "") if value is None else value

    @_content.setter
    def _content(self, value: str) -> None:
        self.__dict__[_SET_CONTENT] = value

    def get_content(self, siteurl: str) -> str:
        """Pelican's, without its memo (which keeps every content asked for, in a dict of the
        class, for the rest of the process: the pages of every article a process renders)."""
        content: str = self._update_content(self._content, siteurl)  # type: ignore[attr-defined]
        return content

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        if source_path is None or source_path == getattr(self, "source_path", None):
            return self.relative_path  # Pelican works it out with relpath, for every object
        result: str | None = super().get_relative_source_path(source_path)  # type: ignore[misc]
        return result

    def get_static_links(self) -> set[str]:
        """None: references to files ({static}, {attach}) are refused when content is read."""
        return set()

    def plugin_values(self) -> dict[str, Any]:
        """Attributes set after this object was made (pelican-neighbors' `next_article`,
        pelican-related-posts' `related_posts`...): templates may show them, so a page's
        fingerprint holds them, other content objects standing for their records."""
        attributes = vars(self)
        added = attributes.keys() - self._made  # usually none: no sort of ~40 names
        added.discard("_made")
        return {key: _as_records(attributes[key]) for key in sorted(added)}


class Wrappers:
    """One Tag or Author per name for a build, as Pelican's readers share them: each slugifies
    its name once (Pelican hashes them by slug, again and again)."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings
        self.tags: dict[str, Tag] = {}
        self.authors: dict[str, Author] = {}

    def tag(self, name: str) -> Tag:
        found = self.tags.get(name)
        if found is None:
            found = self.tags[name] = Tag(name, self.settings)
        return found

    def author(self, name: str) -> Author:
        found = self.authors.get(name)
        if found is None:
            found = self.authors[name] = Author(name, self.settings)
        return found


class RecordArticle(_FromRecord, Article):  # type: ignore[misc]
    def __init__(
        self,
        record: records.Article,
        source: str,
        relative: str,
        settings: Mapping[str, Any],
        context: dict[str, Any],
        wrappers: Wrappers,
    ) -> None:
        metadata: dict[str, Any] = {
            "date": record.date,
            "url": article_url(record.slug),
            "tags": [wrappers.tag(tag) for tag in record.tags],
            "regions": list(record.regions),
            "speakers": list(record.speakers),
        }
        if record.authors:  # Pelican takes the first as `author`
            metadata["authors"] = [wrappers.author(name) for name in record.authors]
        if record.updated is not None:
            metadata["modified"] = record.updated
        self.made_from(record, relative, metadata, source, settings, context)


class RecordPage(_FromRecord, Page):  # type: ignore[misc]
    def __init__(
        self,
        record: records.Page,
        source: str,
        relative: str,
        settings: Mapping[str, Any],
        context: dict[str, Any],
        wrappers: Wrappers,
    ) -> None:
        metadata = {"url": page_url(record.slug)}
        self.made_from(record, relative, metadata, source, settings, context)


def _as_records(value: Any) -> Any:
    if isinstance(value, _FromRecord):
        return value.record
    if isinstance(value, list | tuple):
        return [_as_records(item) for item in value]
    return value


class _Prepared:
    """Pelican's generators, reading nothing: `get_files` lists our records' files and
    `get_cached_data` answers with the object made for each."""

    prepared: Mapping[str, Any]  # path relative to content/ → Pelican object

    def get_files(self, paths: Any, exclude: Any = None, extensions: Any = None) -> list[str]:
        return list(self.prepared)

    def get_cached_data(self, filename: str, default: Any = None) -> Any:
        return self.prepared.get(filename, default)

    def check_disabled_readers(self) -> None:
        """Pelican warns about .md files no reader takes: ours are read."""


class RecordArticlesGenerator(_Prepared, ArticlesGenerator):  # type: ignore[misc]
    def generate_output(self, writer: Any) -> None:
        """Article pages are written by our page families; plugins still hear the signal."""
        signals.article_writer_finalized.send(self, writer=writer)


class RecordPagesGenerator(_Prepared, PagesGenerator):  # type: ignore[misc]
    def generate_output(self, writer: Any) -> None:
        signals.page_writer_finalized.send(self, writer=writer)


def prepare(generator_class: type, prepared: Mapping[str, Any]) -> type:
    """`generator_class` bound to this build's objects (Pelican makes generators itself, from
    classes: the objects are handed over in the class, never looked up)."""
    return type(generator_class.__name__, (generator_class,), {"prepared": prepared})


def content_objects(
    documents: Sequence[records.Article] | Sequence[records.Page],
    kind: type,
    root: Path,
    content: Path,
    settings: Mapping[str, Any],
    context: dict[str, Any],
) -> dict[str, Any]:
    """One Pelican object per record, by its path relative to the content folder (records'
    paths are relative to the project: strings are enough, no Path per record)."""
    made: dict[str, Any] = {}
    wrappers = Wrappers(settings)
    prefix = content.relative_to(root).as_posix() + "/"
    for record in documents:
        relative = record.path.removeprefix(prefix)
        made[relative] = kind(
            record, os.path.join(content, relative), relative, settings, context, wrappers
        )
    return made


def published(objects: Mapping[str, Any]) -> Iterator[Any]:
    return (o for o in objects.values() if not o.record.draft)
