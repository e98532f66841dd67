"""Which files each download holds: the rule, in one place.

Every download holds pages (HTML) and the files they need (styles, scripts, images: every file
that is not a page and not in an excluded folder), never the data files, feeds, host files or
the downloads themselves. Which pages, from each page's own path:

- whole site: every page, search included (search.html and search/: it works from file://,
  and a reader of the whole copy expects it; ~3 % of the bytes);
- a top-level region (one without a parent), when there are two or more (a site of one
  country would download its whole self twice), e.g. Ukraine: every page under
  regions/<id>/ of it and of each region below it (every page of those folders, whatever
  their names: timelines, their later pages, month or day archives), the articles with a
  development in one of those regions, the day digests of days with such a development, the
  first page (index.html) of each speaker quoted in those articles;
- the last 30 days (up to the site's newest day): the day digests of those days, the articles
  with a development, a quote or their date on one of them, and of every region and speaker
  folder its first page (index.html) and the archive pages named by a date in that period
  (YYYY-MM.html for a month it overlaps, YYYY-MM-DD.html for a day in it);
- every slice also holds the site-wide pages: the front page and the other pages at the root
  (search.html excepted), pages/, and the first page of each top folder (regions/index.html,
  speakers/index.html, days/index.html).

A link from a page of a slice to a page it does not hold is rewritten in the zip (see
offline.py), so no link of an unzipped slice is broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..model.site import Site
from ..model.urls import article_url, day_url, speaker_url

EXCLUDED_FOLDERS = frozenset({"data", "feeds", "download"})
EXCLUDED_FILES = frozenset({"404.html", "offline.html", ".nojekyll", "sw.js"})  # host files
RECENT_DAYS = 30
DOWNLOADS = "download/"
WHOLE_ID = "site"
RECENT_ID = "last-30-days"
ARCHIVE_NAME = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\.html")


@dataclass(frozen=True)
class Slice:
    """One download: its id (the zip is download/timeline-<id>.zip), what a reader is told it
    holds (`title`, to stand in a sentence: "the last 30 days"), and which pages it holds
    (`holds_page`: a page's path → in this slice?)."""

    id: str
    title: str
    holds_page: Callable[[str], bool]
    search: bool = False
    region: bool = False  # a top-level region's (download.html offers "one region" if any)

    @property
    def zip_name(self) -> str:
        return f"{DOWNLOADS}timeline-{self.id}.zip"

    def holds(self, name: str) -> bool:
        """Is the site's file `name` in this download?"""
        folder, _, rest = name.partition("/")
        if not rest:  # at the root
            if name in EXCLUDED_FILES:
                return False
            return self.search if name == "search.html" else True
        if folder in EXCLUDED_FOLDERS:
            return False
        if folder == "search":
            return self.search
        if not name.endswith(".html"):
            return True  # a style, a script, an image: what pages need
        return folder == "pages" or rest == "index.html" or self.holds_page(name)


def site_slices(site: Site) -> list[Slice]:
    """The downloads of this site: the whole, each top-level region, the last 30 days."""
    slices = [Slice(WHOLE_ID, "the whole site", lambda name: True, search=True)]
    for root in site.roots if len(site.roots) > 1 else ():  # one: the whole site again
        name = root if root not in (WHOLE_ID, RECENT_ID) else f"region-{root}"
        title = f"{site.regions[root].name} and the places in it"
        slices.append(Slice(name, title, _region_pages(site, root), region=True))
    if site.days:
        slices.append(Slice(RECENT_ID, f"the last {RECENT_DAYS} days", _recent_pages(site)))
    return slices


def _region_pages(site: Site, root: str) -> Callable[[str], bool]:
    folders = tuple(f"regions/{region}/" for region in _subtree(site, root))
    events = site.timeline.get(root, ())
    slugs = {event.article for event in events}
    pages = {article_url(slug) for slug in slugs}
    pages |= {day_url(event.day) for event in events}
    pages |= {
        speaker_url(quote.speaker) for slug in slugs for quote in site.article_by_slug[slug].quotes
    }
    return lambda name: name in pages or name.startswith(folders)


def _recent_pages(site: Site) -> Callable[[str], bool]:
    last = site.days[-1].date
    first = last - timedelta(days=RECENT_DAYS - 1)
    recent = [day for day in site.days if day.date >= first]
    pages = {day_url(day.date) for day in recent}
    for day in recent:
        slugs = {a.slug for a in day.articles} | {e.article for e in day.events}
        pages |= {article_url(slug) for slug in slugs | {q.article for q in day.quotes}}

    def holds(name: str) -> bool:
        if name in pages:
            return True
        parts = name.split("/")
        if len(parts) < 3 or parts[0] not in ("regions", "speakers"):
            return False
        return parts[-1] == "index.html" or _named_in(parts[-1], first, last)

    return holds


def _named_in(file: str, first: date, last: date) -> bool:
    """An archive page named by a date (YYYY.html, YYYY-MM.html, YYYY-MM-DD.html) that
    overlaps [first, last]."""
    match = ARCHIVE_NAME.fullmatch(file)
    if not match:
        return False
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if month is None:
            return year in (first.year, last.year)
        if day is not None:
            return first <= date(year, int(month), int(day)) <= last
        start = date(year, int(month), 1)
    except ValueError:
        return False
    end = (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    return start <= last and end >= first


def _subtree(site: Site, root: str) -> list[str]:
    found, stack = [], [root]
    while stack:
        region = stack.pop()
        found.append(region)
        stack.extend(site.children.get(region, ()))
    return found
