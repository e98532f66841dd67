"""output/data/: site.json, events.json, quotes.json and TimelineJS3 files, per site-data.md.

Every `url` is relative to the site root and names a file; lists are sorted as the contract
says; JSON is written with sorted, stable formatting so two builds give identical bytes.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import escape

from .model import Event, Quote
from .output import replace_file
from .site import Site
from .templating import SiteGenerator
from .times import iso
from .urls import article_url, day_url, rebase, region_url, speaker_url


def site_json(site: Site) -> dict[str, Any]:
    return {
        "title": site.title,
        "timezone": site.timezone,
        "regions": [{"id": r.id, "name": r.name, "parent": r.parent, "url": region_url(r.id),
                     "events": len(site.timeline[r.id])} for r in site.regions.values()],
        "speakers": [{"id": s.id, "name": s.name, "url": speaker_url(s.id),
                      "quotes": len(site.quotes_by_speaker[s.id])}
                     for s in site.speakers.values()],
        "days": [{"date": d.date.isoformat(), "url": day_url(d.date), "events": len(d.events),
                  "quotes": len(d.quotes), "articles": len(d.articles)} for d in site.days],
        "articles": [{"slug": a.slug, "title": a.title, "date": iso(a.date),
                      "url": article_url(a.slug)} for a in site.articles],
    }


def event_json(event: Event) -> dict[str, Any]:
    return {"id": event.id, "time": iso(event.time), "day": event.day.isoformat(),
            "regions": list(event.regions), "text": event.text, "html": rebase(event.html, ""),
            "article": event.article, "url": f"{article_url(event.article)}#{event.id}"}


def quote_json(quote: Quote) -> dict[str, Any]:
    return {"id": quote.id, "time": iso(quote.time), "day": quote.day.isoformat(),
            "speaker": quote.speaker, "text": quote.text, "context": quote.context,
            "article": quote.article, "url": f"{article_url(quote.article)}#{quote.id}"}


def timelinejs(site: Site, region_id: str, base: str,
               slides: dict[str, str] | None = None) -> str:
    """Knight Lab TimelineJS3's JSON (as `dump` writes it): a title slide and one slide per
    development.

    TimelineJS puts `headline`, `text` and `group` into the page with innerHTML: every name
    from content is HTML-escaped here (the rendered `html` of a development already is).
    A slide does not depend on the region, so `slides` (event id → its JSON) shares each
    between the timelines of a place and of every region around it.
    """
    region = site.regions[region_id]
    name = escape(region.name)
    title = {"text": {"headline": name,
                      "text": f"Developments in {name}, from {escape(site.title)}"}}
    known = {} if slides is None else slides
    events = []
    for event in site.timeline[region_id]:
        text = known.get(event.id)
        if text is None:
            text = known[event.id] = _compact(_slide(site, event, base))
        events.append(text)
    return f'{{"title":{_compact(title)},"events":[{",".join(events)}]}}\n'


def _slide(site: Site, event: Event, base: str) -> dict[str, Any]:
    local = event.time.astimezone(site.zone)
    link = f'<p><a href="{base}{article_url(event.article)}#{event.id}">' \
           f"{escape(site.article_by_slug[event.article].title)}</a></p>"
    return {
        "unique_id": event.id,
        "start_date": {key: str(getattr(local, key))
                       for key in ("year", "month", "day", "hour", "minute")},
        "text": {"headline": ", ".join(escape(site.regions[r].name) for r in event.regions),
                 "text": rebase(event.html, base) + link},
        "group": escape(site.regions[site.top_region(event.regions[0])].name),
    }



def dump(data: Any) -> str:
    """Compact JSON (the C encoder: pretty-printing would be 10× slower on big files)."""
    return _compact(data) + "\n"


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class DataGenerator(SiteGenerator):
    def generate_output(self, writer: Any) -> None:
        writer.defer(self._write_site_data)
        self._write_timelinejs(writer)

    def _write_site_data(self) -> None:
        site = self.site
        files = {
            "data/site.json": site_json(site),
            "data/events.json": [event_json(e) for e in site.events],
            "data/quotes.json": [quote_json(q) for q in site.quotes],
        }
        for name, data in files.items():
            write_text(Path(self.output_path), name, dump(data))

    def _write_timelinejs(self, writer: Any) -> None:
        """One file per region; only those whose developments changed are made again, in one
        task beside the pages (they share their slides)."""
        site = self.site
        siteurl = str(self.settings.get("SITEURL") or "")
        base = f"{siteurl}/" if siteurl.startswith(("http://", "https://")) else ""
        changed: list[tuple[str, str, str | None]] = []
        for region_id, events in site.timeline.items():
            name = f"data/timelinejs/{region_id}.json"
            kept, fingerprint = self.kept(name, "timelinejs", (base, events)) if events else (
                True, None)
            if not kept:
                changed.append((name, region_id, fingerprint))
        if changed:
            writer.defer(partial(self._write_timelinejs_files, changed, base),
                         weight=sum(len(site.timeline[r]) for _, r, _ in changed) // 50)

    def _write_timelinejs_files(self, changed: list[tuple[str, str, str | None]],
                                base: str) -> None:
        slides: dict[str, str] = {}
        for name, region_id, fingerprint in changed:
            write_text(Path(self.output_path), name,
                       timelinejs(self.site, region_id, base, slides))
            self.record(name, "timelinejs", fingerprint)


def write_text(output: Path, name: str, text: str) -> None:
    """Write one file under the output folder (checked on real paths, not a string prefix)."""
    target = (output / name).resolve()
    if not target.is_relative_to(output.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {name}")
    replace_file(target, text.encode("utf-8"))
