"""What a page family is given (`Inputs`) and how it declares its outputs.

A page family is one class per module with `outputs()`: it yields `Page`s (a template and its
values) and `Task`s (jobs that write files themselves), each with what it shows (`Depends`).
The engine (generator.build.engine) turns those declarations into fingerprints, keeps what
did not change and renders the rest; a family never sees a hasher or a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from ..build.engine import Claim, Depends, Page, Task
from ..model.history import NONE, History
from ..model.paging import PageOf, group_by_day, paginate
from ..model.site import Site
from ..model.urls import is_absolute
from ..settings import TimelineSettings

__all__ = ["Claim", "Depends", "Inputs", "Page", "PageFamily", "Task", "timeline_pages"]


class Files(Protocol):
    """The engine's side a family may use for files it writes itself."""

    def claim(self, name: str, kind: str, depends: Depends) -> Claim | None: ...
    def write_text(self, name: str, text: str, claim: Claim | None = None) -> None: ...
    def write_pieces(
        self, name: str, pieces: Sequence[bytes | memoryview], now: bytes | None = None
    ) -> None: ...
    def unchanged(self, name: str, inode: int) -> bool: ...
    def piece(
        self, kind: str, item_id: str, article: str, make: Callable[[], Any], *extra: str
    ) -> Any: ...
    def on_finish(self, job: Callable[[], None], writes: Iterable[str] = ()) -> None: ...


Render = Callable[[str, str, Mapping[str, Any]], str]  # name, template, values → the page


@dataclass(frozen=True)
class Inputs:
    """Everything a page family may use, handed over when it is made."""

    site: Site
    settings: TimelineSettings
    pelican_settings: Mapping[str, Any]  # SITEURL, RELATIVE_URLS, THEME_STATIC_PATHS...
    theme: Path
    root: Path  # the project (a theme's links may point into it)
    output: Path  # the folder being written (staging)
    files: Files
    render: Render  # a page rendered as the writer would, but not written
    file_digests: Mapping[str, str]  # content path → sha256 of its file
    history: History = NONE  # each file's revisions, when TIMELINE_REPO_URL is set
    articles: Sequence[Any] = ()  # Pelican's objects of published articles (record: ours)
    pages: Sequence[Any] = ()  # and of published pages

    @property
    def siteurl(self) -> str:
        return str(self.pelican_settings.get("SITEURL") or "")

    @property
    def absolute_siteurl(self) -> str:
        """SITEURL when it is an http(s) address (publishing), else ""."""
        siteurl = self.siteurl.rstrip("/")
        return siteurl if is_absolute(siteurl) else ""


class PageFamily:
    """Base of the page families: `outputs()` declares every file the family writes."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.site = inputs.site

    def outputs(self) -> Iterator[Page | Task]:
        raise NotImplementedError


def timeline_pages(
    items: Sequence[Any],
    url_of: Callable[[int], str],
    template: str,
    per_page: int,
    values: dict[str, Any],
) -> Iterator[Page]:
    """A timeline (events or quotes, oldest first) as pages of whole days, newest first.

    Page 1 also charts the whole timeline, so only it depends on every item; later pages
    depend on their own items, and an edit re-renders just the pages it touches."""
    pages = paginate(group_by_day(tuple(reversed(items)), _day_of), per_page)
    urls = [url_of(n) for n in range(1, len(pages) + 1)]
    for page in pages:

        def depends(page: PageOf[Any] = page) -> Depends:
            listed = [item for group in page.days for item in group.items]
            return Depends(
                records=[*listed, *items] if page.number == 1 else listed,
                values=(values, urls),
                text=(str(page.number), str(page.count)),
            )

        yield Page(
            urls[page.number - 1], template, {**values, "page": page, "page_urls": urls}, depends
        )


def _day_of(item: Any) -> date:
    day: date = item.day
    return day


def site_summary(site: Site) -> str:
    """What base templates show of the whole site (totals, pages, newest day) and the span of
    days that every activity chart covers: part of every page's fingerprint."""
    return repr(
        (
            len(site.events),
            len(site.quotes),
            len(site.articles),
            [(p.slug, p.title) for p in site.pages],
            (site.days[0].date, site.days[-1].date) if site.days else None,
        )
    )
