"""Region timelines: a page (or several) per region, and the index of all regions as a tree."""

from __future__ import annotations

from typing import Any

from .model import Event
from .paging import group_by_day, paginate
from .templating import SiteGenerator
from .urls import region_url

ARTICLES_SHOWN = 30


class RegionTimelineGenerator(SiteGenerator):
    def generate_output(self, writer: Any) -> None:
        site = self.site
        counts = {rid: len(events) for rid, events in site.timeline.items()}
        self.write(writer, "regions/index.html", "regions", counts=counts)
        for region in site.regions.values():
            newest_first = tuple(reversed(site.timeline[region.id]))
            pages = paginate(group_by_day(newest_first, _day), self.events_per_page)
            articles = tuple(reversed(site.articles_by_region[region.id]))
            whole_timeline = self.digest(site.timeline[region.id])  # page 1 charts all of it
            for page in pages:
                self.write(
                    writer, region_url(region.id, page.number), "region",
                    depends_on=whole_timeline if page.number == 1 else None, region=region,
                    page=page, page_urls=[region_url(region.id, n)
                                          for n in range(1, page.count + 1)],
                    ancestors=site.ancestors(region.id), counts=counts,
                    children=site.children.get(region.id, ()), event_count=counts[region.id],
                    articles=articles[:ARTICLES_SHOWN], article_count=len(articles),
                    feed=f"feeds/regions/{region.id}.atom.xml",
                )

    @property
    def events_per_page(self) -> int:
        return int(self.settings.get("TIMELINE_EVENTS_PER_PAGE", 150))


def _day(event: Event) -> Any:
    return event.day
