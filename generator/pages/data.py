"""output/data/: site.json, events.json, quotes.json and a TimelineJS3 file per region.

What they hold is made by generator.render.data; this family decides which files are written,
in tasks beside the pages, with per-record pieces shared between files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from ..model.records import Event
from ..render.data import (
    corrections_json,
    dump,
    event_text,
    quote_text,
    site_json,
    slide_text,
    timelinejs,
)
from .base import Claim, Depends, Output, PageFamily, Task

WRITE_BUFFER = 1 << 20


class DataFiles(PageFamily):
    def outputs(self) -> Iterator[Output]:
        site = self.site
        yield Task(self._write_site_data, size=len(site.events) + len(site.quotes))
        yield from self._timelinejs()

    def _write_site_data(self) -> None:
        site, files = self.site, self.inputs.files
        # the home is an extra key: it follows the settings and the region tree too
        events = (
            files.piece("event-json", e.id, e.article, partial(event_text, site, e, home), home)
            for e in site.events
            for home in (site.event_home(e),)
        )
        quotes = (
            files.piece("quote-json", q.id, q.article, partial(quote_text, site, q, home), home)
            for q in site.quotes
            for home in (site.quote_home(q),)
        )
        files.write_text("data/site.json", dump(site_json(site)))
        self._write_list("data/events.json", events)
        self._write_list("data/quotes.json", quotes)
        files.write_text("data/corrections.json", dump(corrections_json(site)))

    def _write_list(self, name: str, items: Iterable[str]) -> None:
        """A JSON list of `items` (JSON texts), as `dump` writes it, written as they come:
        never whole in memory (events.json is 80 MB at 20,000 articles)."""
        with (
            self.inputs.files.fresh_file(name) as into,
            open(into, "wb", buffering=WRITE_BUFFER, closefd=False) as out,
        ):
            out.write(b"[")
            for number, item in enumerate(items):
                out.write(f",{item}".encode() if number else item.encode())
            out.write(b"]\n")

    def _timelinejs(self) -> Iterator[Task]:
        """One file per region; only those whose developments changed are made again, in one
        task (they share their slides)."""
        site, files = self.site, self.inputs.files
        base = f"{self.inputs.absolute_siteurl}/" if self.inputs.absolute_siteurl else ""
        changed: list[tuple[str, Claim]] = []
        for region_id, events in site.timeline.items():
            name = f"data/timelinejs/{region_id}.json"
            claim = (
                files.claim(name, "timelinejs", Depends(records=events, text=(base,)))
                if events
                else None
            )
            if claim is not None:
                changed.append((region_id, claim))
        if changed:
            yield Task(
                partial(self._write_timelinejs, changed, base),
                size=sum(len(site.timeline[r]) for r, _ in changed),
            )

    def _write_timelinejs(self, changed: list[tuple[str, Claim]], base: str) -> None:
        site, files = self.site, self.inputs.files

        def slide(event: Event) -> str:
            return str(
                files.piece(
                    "slide", event.id, event.article, partial(slide_text, site, event, base), base
                )
            )

        for region_id, claim in changed:
            files.write_text(claim.name, timelinejs(site, region_id, base, slide), claim)
