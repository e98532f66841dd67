"""Region timelines: a page (or several) per region, and the index of all regions as a tree."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..model.urls import region_url
from ..render.templating import SiteGenerator

ARTICLES_SHOWN = 30


class RegionTimelineGenerator(SiteGenerator):
    def generate_output(self, writer: Any) -> None:
        site = self.site
        counts = {rid: len(events) for rid, events in site.timeline.items()}
        self.write(writer, "regions/index.html", "regions", counts=counts)
        for region in site.regions.values():
            articles = tuple(reversed(site.articles_by_region[region.id]))
            self.write_timeline(
                writer, site.timeline[region.id], partial(region_url, region.id), "region",
                region=region, ancestors=site.ancestors(region.id), counts=counts,
                children=site.children.get(region.id, ()), event_count=counts[region.id],
                articles=articles[:ARTICLES_SHOWN], article_count=len(articles),
                feed=f"feeds/regions/{region.id}.atom.xml",
            )
