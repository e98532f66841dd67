"""Atom feeds: site-wide, per region, per speaker and of daily digests.

Deterministic: a feed's <updated> is its newest entry's time (the site's newest content for an
empty feed), never the clock. Links are absolute when SITEURL is, else relative to the feed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from markupsafe import escape

from ..model.records import Article, Correction, Event, Quote, Source, iso
from ..model.site import Site
from ..model.urls import article_url, day_url, region_url, speaker_url, to_root
from ..render.charts.text import plural
from ..render.templating import fitted
from ..render.when import event_when_text
from .base import Depends, Output, Page, PageFamily

ENTRIES = 50
DIGESTS_FEED = "feeds/digests.atom.xml"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: str
    html: str
    categories: tuple[str, ...] = ()


def _newest(site: Site) -> datetime:
    times = [_article_updated(a) for a in site.articles]
    return max(times, default=EPOCH)


class Feeds(PageFamily):
    @functools.cached_property
    def _site_updated(self) -> str:
        """An empty feed's <updated>: the newest article's time (once, not once per feed)."""
        return iso(_newest(self.site))

    def outputs(self) -> Iterator[Output]:
        site = self.site
        all_feed = "feeds/all.atom.xml"
        yield self._feed(
            all_feed,
            site.title,
            "index.html",
            lambda: [self._article_entry(a, all_feed) for a in reversed(site.articles[-ENTRIES:])],
        )
        yield self._feed(
            DIGESTS_FEED,
            f"{site.title}: daily digests",
            "days/index.html",
            lambda: [
                self._day_entry(d.date, len(d.events), len(d.quotes), len(d.articles), DIGESTS_FEED)
                for d in reversed(site.days[-ENTRIES:])
            ],
        )
        for region in site.regions.values():
            name = f"feeds/regions/{region.id}.atom.xml"
            events = site.timeline[region.id][-ENTRIES:]
            yield self._feed(
                name,
                f"{region.name}: {site.title}",
                region_url(region.id),
                partial(self._entries, self._event_entry, events, name),
                Depends(records=events, text=(self._empty_updated(events),)),
            )
        for speaker in site.speakers.values():
            name = f"feeds/speakers/{speaker.id}.atom.xml"
            quotes = site.quotes_by_speaker[speaker.id][-ENTRIES:]
            yield self._feed(
                name,
                f"{speaker.name}: {site.title}",
                speaker_url(speaker.id),
                partial(self._entries, self._quote_entry, quotes, name),
                Depends(records=quotes, text=(self._empty_updated(quotes),)),
            )

    @staticmethod
    def _entries(
        entry: Callable[[Any, str], Entry], items: Sequence[Any], feed: str
    ) -> list[Entry]:
        return [entry(item, feed) for item in reversed(items)]

    def _empty_updated(self, items: Sequence[Any]) -> str:
        """An empty feed shows the site's newest time (see `_feed`): part of what it shows."""
        return "" if items else self._site_updated

    def base(self, feed_name: str) -> str:
        siteurl = self.inputs.absolute_siteurl
        return f"{siteurl}/" if siteurl else to_root(feed_name)

    def _feed(
        self,
        name: str,
        title: str,
        page: str,
        entries: Callable[[], list[Entry]],
        depends: Depends | None = None,
    ) -> Page:
        """A feed whose entries are prepared only when it is written (not when it is kept)."""

        def values() -> dict[str, Any]:
            made = entries()
            updated = max((e.updated for e in made), default="") or self._site_updated
            base = self.base(name)
            return {
                "feed_title": title,
                "feed_id": self._id(base, page),
                "feed_link": base + page,
                "self_link": base + name if "://" in base else name.rsplit("/", 1)[-1],
                "updated": updated,
                "entries": made,
            }

        return Page(name, "atom", values, depends, relative_urls=False)

    @staticmethod
    def _id(base: str, path: str) -> str:
        return base + path if "://" in base else f"urn:timeline-digests:{path}"

    def _article_entry(self, article: Any, feed: str) -> Entry:
        base = self.base(feed)
        link = base + article_url(article.slug)
        summary = f"<p>{escape(article.summary)}</p>" if article.summary else ""
        return Entry(
            self._id(base, article_url(article.slug)),
            article.title,
            link,
            iso(_article_updated(article)),
            summary
            + str(fitted(article.body_html, base.rstrip("/")))
            + corrections_html(article.corrections, self.site.zone, base.rstrip("/")),
        )

    def _event_entry(self, event: Event, feed: str) -> Entry:
        base = self.base(feed)
        path = f"{article_url(event.article)}#{event.id}"
        title = f"{', '.join(self.site.regions[r].name for r in event.regions)}: {event.text}"
        article = self.site.article_by_slug[event.article]
        site = self.site
        when = escape(event_when_text(event, article, site.zone, site.zone_label))
        return Entry(
            self._id(base, path),
            _shorten(title),
            base + path,
            # a day stamp's midnight is no moment anything happened: such an entry, like an
            # untimed one, is as new as its article
            _later(event.time if event.clock else article.date, article),
            f"<p>{when}</p>"
            + str(fitted(event.html, base.rstrip("/")))
            + _sources_html(site.sources_of(event)),
            ("key",) if event.key else (),
        )

    def _quote_entry(self, quote: Quote, feed: str) -> Entry:
        base = self.base(feed)
        path = f"{article_url(quote.article)}#{quote.id}"
        speaker = self.site.speakers[quote.speaker].name
        return Entry(
            self._id(base, path),
            _shorten(f"{speaker}: “{quote.text}”"),
            base + path,
            _later(quote.time, self.site.article_by_slug[quote.article]),
            str(fitted(quote.html, base.rstrip("/"))) + _sources_html(self.site.sources_of(quote)),
        )

    def _day_entry(self, day: Any, events: int, quotes: int, articles: int, feed: str) -> Entry:
        base = self.base(feed)
        path = day_url(day)
        text = ", ".join(
            (plural(events, "development"), plural(quotes, "quote"), plural(articles, "article"))
        )
        return Entry(
            self._id(base, path),
            f"Digest for {day.isoformat()}",
            base + path,
            iso(datetime.combine(day, datetime.min.time(), self.site.zone)),
            f"<p>{text}</p>",
        )


def _article_updated(article: Article) -> datetime:
    """The latest of the article's date, `updated` and corrections."""
    return max(t for t in (article.date, article.updated, article.corrected) if t is not None)


def _later(moment: datetime, article: Article) -> str:
    """An entry's <updated>: its own time, or its article's latest correction when later."""
    corrected = article.corrected
    return iso(corrected if corrected is not None and corrected > moment else moment)


def _sources_html(sources: tuple[Source, ...]) -> str:
    if not sources:
        return ""
    links = ", ".join(
        f'<a href="{escape(s.url)}">{escape(s.title or s.domain)}</a> ({escape(s.domain)})'
        for s in sources
    )
    return f"<p>Sources: {links}</p>"


def corrections_html(corrections: tuple[Correction, ...], zone: Any, base: str) -> str:
    """An article's corrections as HTML for a feed entry, newest first."""
    if not corrections:
        return ""
    items = "".join(
        f'<li><time datetime="{iso(c.date)}">'
        f"{c.date.astimezone(zone).strftime('%Y-%m-%d %H:%M')}</time>: "
        f"{fitted(c.html, base)}</li>"
        for c in corrections
    )
    return f"<p>Corrections and updates:</p><ul>{items}</ul>"


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
