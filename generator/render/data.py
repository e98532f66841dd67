"""The JSON of output/data/: site.json, events.json, quotes.json and TimelineJS3, per site-data.md.

Every `url` is relative to the site root and names a file; lists are sorted as the contract
says; JSON is written with sorted, stable formatting so two builds give identical bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import escape

from ..model.records import Event, Quote, Source, iso
from ..model.site import Site
from ..model.urls import article_url, day_url, rebase, region_url, speaker_url

TIMELINEJS_EVENTS = 500  # slides a TimelineJS file holds at most (site-data.md)


def site_json(site: Site) -> dict[str, Any]:
    return {
        "title": site.title,
        "timezone": site.timezone,
        "regions": [
            {
                "id": r.id,
                "name": r.name,
                "parent": r.parent,
                "url": region_url(r.id),
                "events": len(site.timeline[r.id]),
            }
            for r in site.regions.values()
        ],
        "speakers": [
            {
                "id": s.id,
                "name": s.name,
                "url": speaker_url(s.id),
                "quotes": len(site.quotes_by_speaker[s.id]),
            }
            for s in site.speakers.values()
        ],
        "days": [
            {
                "date": d.date.isoformat(),
                "url": day_url(d.date),
                "events": len(d.events),
                "quotes": len(d.quotes),
                "articles": len(d.articles),
            }
            for d in site.days
        ],
        "articles": [
            {"slug": a.slug, "title": a.title, "date": iso(a.date), "url": article_url(a.slug)}
            for a in site.articles
        ],
    }


def event_json(event: Event, sources: tuple[Source, ...], url: str) -> dict[str, Any]:
    """`url`: the development's permalink (Site.event_home)."""
    return {
        "id": event.id,
        "time": iso(event.time),
        "day": event.day.isoformat(),
        "regions": list(event.regions),
        "text": event.text,
        "html": rebase(event.html, ""),
        "article": event.article,
        "url": url,
        "timed": event.timed,
        "precision": event.precision,
        "key": event.key,
        "sources": sources_json(sources),
    }


def sources_json(sources: tuple[Source, ...]) -> list[dict[str, Any]]:
    return [{"title": s.title, "url": s.url} for s in sources]


def corrections_json(site: Site) -> list[dict[str, Any]]:
    """Every correction of every published article, newest first (then article, position)."""
    found = [(c, a.slug) for a in site.articles for c in a.corrections]
    found.sort(key=lambda item: (item[1], item[0].id))
    found.sort(key=lambda item: item[0].date, reverse=True)
    return [
        {
            "article": slug,
            "date": iso(c.date),
            "text": c.text,
            "url": f"{article_url(slug)}#{c.id}",
        }
        for c, slug in found
    ]


def quote_json(quote: Quote, sources: tuple[Source, ...], url: str) -> dict[str, Any]:
    """`url`: the quote's permalink (Site.quote_home)."""
    return {
        "id": quote.id,
        "time": iso(quote.time),
        "day": quote.day.isoformat(),
        "speaker": quote.speaker,
        "text": quote.text,
        "context": quote.context,
        "article": quote.article,
        "url": url,
        "sources": sources_json(sources),
    }


def event_text(site: Site, event: Event, home: str) -> str:
    """The event's line of events.json; `home`: site.event_home(event), found by the caller."""
    return _compact(event_json(event, site.sources_of(event), home))


def quote_text(site: Site, quote: Quote, home: str) -> str:
    """The quote's line of quotes.json; `home`: site.quote_home(quote)."""
    return _compact(quote_json(quote, site.sources_of(quote), home))


def timelinejs(
    site: Site, region_id: str, base: str, slide: Callable[[Event], str] | None = None
) -> str:
    """Knight Lab TimelineJS3's JSON (as `dump` writes it): a title slide and one slide per
    development.

    TimelineJS puts `headline`, `text` and `group` into the page with innerHTML: every name
    from content is HTML-escaped here (the rendered `html` of a development already is).
    A slide does not depend on the region: `slide` (an event → its JSON) can share each
    between the timelines of a place and of every region around it.
    """
    region = site.regions[region_id]
    name = escape(region.name)
    everything = site.timeline[region_id]
    shown = timelinejs_events(everything)
    text = f"Developments in {name}, from {escape(site.title)}"
    if len(shown) < len(everything):
        text += (
            f": the latest {len(shown):,} of {len(everything):,} (TimelineJS shows a few "
            "hundred well); every one is on the site and in data/events.json"
        )
    title = {"text": {"headline": name, "text": text}}
    slide_of = slide or (lambda event: slide_text(site, event, base))
    events = ",".join([slide_of(event) for event in shown])
    return f'{{"title":{_compact(title)},"events":[{events}]}}\n'


def timelinejs_events(events: Sequence[Event], limit: int = TIMELINEJS_EVENTS) -> list[Event]:
    """At most `limit` of a region's developments (oldest first, as given): its key
    developments first, then its latest (site-data.md)."""
    if len(events) <= limit:
        return list(events)
    key = [event for event in events if event.key][-limit:]
    chosen = {id(event) for event in key}
    for event in reversed(events):
        if len(chosen) >= limit:
            break
        chosen.add(id(event))
    return [event for event in events if id(event) in chosen]


def slide_text(site: Site, event: Event, base: str) -> str:
    return _compact(_slide(site, event, base))


def _slide(site: Site, event: Event, base: str) -> dict[str, Any]:
    # A day stamp or an untimed development has no clock time of its own: the slide gets
    # its day (TimelineJS then shows no hour); `day`, not `time`, is the day it belongs to.
    local = event.time.astimezone(site.zone) if event.clock else event.day
    fields = ("year", "month", "day", "hour", "minute") if event.clock else ("year", "month", "day")
    link = (
        f'<p><a href="{base}{article_url(event.article)}#{event.id}">'
        f"{escape(site.article_by_slug[event.article].title)}</a></p>"
    )
    return {
        "unique_id": event.id,
        "start_date": {key: str(getattr(local, key)) for key in fields},
        "text": {
            "headline": ", ".join(escape(site.regions[r].name) for r in event.regions),
            "text": rebase(event.html, base) + link,
        },
        "group": escape(site.regions[site.top_region(event.regions[0])].name),
    }


def dump(data: Any) -> str:
    """Compact JSON (the C encoder: pretty-printing would be 10× slower on big files)."""
    return _compact(data) + "\n"


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
