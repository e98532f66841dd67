"""Timeline items: an event's or a quote's <li>, rendered once per build and reused on every
page that lists it (a region and each of its ancestors, a day, a speaker).

Written in Python, not as Jinja templates: a site of 5,000 articles has ~30,000 of them, each
rendered in every worker process that shows it, and a template render (a new context, a
macro call, a filter per field) cost ten times this. Every value is escaped here exactly as
Jinja's autoescape would (markupsafe.escape); links go through ROOT and each page rebases them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from markupsafe import escape

from ..model.records import ROOT, Event, Quote, iso
from ..model.site import Site
from ..model.urls import article_url, rebase, region_url, speaker_url
from .charts import event_regions

HERE = ROOT + "/"  # what `{{ SITEURL }}/` is in a card


def _fragment(html: str) -> str:
    """A Markdown fragment (already escaped by its renderer), its links through ROOT."""
    return rebase(html, HERE)


def event_card(site: Site, zone: ZoneInfo, event: Event, show_regions: bool) -> str:
    if event.timed:
        when = (
            f'<time datetime="{escape(iso(event.time))}">'
            f"{event.time.astimezone(zone).strftime('%H:%M')}</time>"
        )
    else:
        day = event.day.isoformat()
        when = f'<time class="untimed" datetime="{day}" title="Time of day not given">–</time>'
    regions = ""
    if show_regions:
        links = ", ".join(
            f'<a href="{HERE}{escape(region_url(rid))}">{escape(site.regions[rid].name)}</a>'
            for rid in event.regions
        )
        regions = f'    <span class="event-regions">{links}</span>\n'
    source = site.article_by_slug[event.article]
    article = (
        f'<a href="{HERE}{escape(article_url(source.slug))}#{escape(event.id)}">'
        f"{escape(source.title)}</a>"
    )
    return (
        f'<li class="event" id="{escape(event.id)}" '
        f'data-regions="{escape(event_regions(site, event.regions))}">\n'
        f'  <div class="event-meta">\n{when}{regions}  </div>\n'
        f'  <div class="event-text">{_fragment(event.html)}</div>\n'
        f'  <div class="event-links">\n{article}    <a class="permalink" '
        f'href="#{escape(event.id)}" aria-label="Link to this development">#</a>\n'
        "  </div>\n</li>\n"
    )


def quote_card(site: Site, zone: ZoneInfo, quote: Quote, show_speaker: bool) -> str:
    speaker = site.speakers[quote.speaker]
    source = site.article_by_slug[quote.article]
    name = escape(speaker.name)
    cite = (
        f'<cite><a href="{HERE}{escape(speaker_url(speaker.id))}">{name}</a></cite>'
        if show_speaker
        else f"<cite>{name}</cite>"
    )
    context = f", {_fragment(quote.context_html)}" if quote.context_html else ""
    clock = quote.time.astimezone(zone).strftime("%H:%M")
    return (
        f'<li class="quote" id="{escape(quote.id)}">\n  <figure>\n'
        f"    <blockquote>{_fragment(quote.html)}</blockquote>\n"
        f"    <figcaption>— {cite}{context}</figcaption>\n  </figure>\n"
        '  <div class="event-links">\n'
        f'    <time datetime="{escape(iso(quote.time))}">{quote.day.isoformat()} {clock}'
        "</time> ·\n"
        f'    <a href="{HERE}{escape(article_url(source.slug))}#{escape(quote.id)}">'
        f"{escape(source.title)}</a>\n"
        f'    <a class="permalink" href="#{escape(quote.id)}" '
        'aria-label="Link to this quote">#</a>\n  </div>\n</li>\n'
    )


class Cards:
    """Each card rendered once per build (per process), whatever pages show it."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.cache: dict[tuple[str, bool], str] = {}

    def event(self, site: Site, event: Event, show_regions: bool) -> str:
        key = (event.id, show_regions)
        card = self.cache.get(key)
        if card is None:
            card = self.cache[key] = event_card(site, self.zone, event, show_regions)
        return card

    def quote(self, site: Site, quote: Quote, show_speaker: bool) -> str:
        key = (quote.id, show_speaker)
        card = self.cache.get(key)
        if card is None:
            card = self.cache[key] = quote_card(site, self.zone, quote, show_speaker)
        return card
