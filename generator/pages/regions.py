"""Region timelines: a page (or several) per region, and the index of all regions as a tree."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Depends, Output, Page, PageFamily, Timeline, timeline_group
from .days import latest_key

ARTICLES_SHOWN = 30


class RegionPages(PageFamily):
    def outputs(self) -> Iterator[Output]:
        site = self.site
        counts = {rid: len(events) for rid, events in site.timeline.items()}
        values = {"counts": counts}
        yield Page("regions/index.html", "regions", values, Depends(values=values))
        for region in site.regions.values():
            articles = tuple(reversed(site.articles_by_region[region.id]))
            yield timeline_group(
                Timeline(
                    "region",
                    region.id,
                    site.unit_of("region", region.id),
                    site.timeline[region.id],
                    site.articles_by_region[region.id],
                ),
                "region",
                self.inputs.settings.events_per_page,
                {
                    "region": region,
                    "ancestors": site.ancestors(region.id),
                    "children": site.children.get(region.id, ()),
                    "feed": f"feeds/regions/{region.id}.atom.xml",
                },
                {
                    "counts": counts,
                    "event_count": counts[region.id],
                    "articles": articles[:ARTICLES_SHOWN],
                    "article_count": len(articles),
                    "key_events": latest_key(site.timeline[region.id]),
                },
            )
