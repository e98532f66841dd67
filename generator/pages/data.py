"""output/data/: site.json, events.json, quotes.json and a TimelineJS3 file per region.

What they hold is made by generator.render.data; this family decides which files are written,
in tasks beside the pages: events.json and quotes.json copy from last build's file each record
it holds unchanged (build.lists); the TimelineJS files share per-record pieces (slides).
"""

from __future__ import annotations

from collections.abc import Iterator
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


class DataFiles(PageFamily):
    def outputs(self) -> Iterator[Output]:
        site = self.site
        yield Task(self._write_site_data, size=len(site.events) + len(site.quotes))
        yield from self._timelinejs()

    def _write_site_data(self) -> None:
        site, files = self.site, self.inputs.files
        files.write_text("data/site.json", dump(site_json(site)))
        files.write_list(
            "data/events.json",
            ((e.id, e.article, e) for e in site.events),
            lambda e: event_text(site, e, site.event_home(e)),
        )
        files.write_list(
            "data/quotes.json",
            ((q.id, q.article, q) for q in site.quotes),
            lambda q: quote_text(site, q, site.quote_home(q)),
        )
        files.write_text("data/corrections.json", dump(corrections_json(site)))

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
