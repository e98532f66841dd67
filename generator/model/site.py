"""The whole site's model, assembled once from every article: the indexes generators read.

Each index is built in one pass over events (O(events × region depth)), never events × regions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo

from .records import Article, Day, Event, Page, Quote, Region, Source, Speaker
from .urls import DIGEST, archive_url

DEFAULT_UNITS = ("day", "ten-days")  # by depth in the region tree (0, 1); deeper: "month"
# ... except the only top-level region: its day is the whole day, which the digest lists
ONLY_ROOT_UNIT = DIGEST

T = TypeVar("T")


@dataclass(frozen=True)
class Site:
    title: str
    timezone: str
    regions: Mapping[str, Region]  # sorted by id
    speakers: Mapping[str, Speaker]  # sorted by id
    articles: tuple[Article, ...]  # published, by date then slug
    pages: tuple[Page, ...]  # published, by slug
    events: tuple[Event, ...]  # by time, article, position
    quotes: tuple[Quote, ...]
    children: Mapping[str, tuple[str, ...]]  # region id → child ids, sorted by name
    roots: tuple[str, ...]
    timeline: Mapping[str, tuple[Event, ...]]  # region id → own + descendants' events, once each
    quotes_by_speaker: Mapping[str, tuple[Quote, ...]]
    articles_by_region: Mapping[str, tuple[Article, ...]]  # mentioning it or a descendant
    articles_by_speaker: Mapping[str, tuple[Article, ...]]
    days: tuple[Day, ...]  # by date
    article_by_slug: Mapping[str, Article]
    archive_units: Mapping[str, str]  # region id → the part its archive is kept in
    timezone_label: str = ""  # TIMELINE_TIMEZONE_LABEL; "": derived from the zone's name
    speaker_unit: str = "year"  # TIMELINE_SPEAKER_ARCHIVE_PART: every speaker's archive part

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def zone_label(self) -> str:
        """How pages name the zone beside a time: "Kyiv time" for Europe/Kyiv."""
        return self.timezone_label or zone_label(self.timezone)

    def ancestors(self, region_id: str) -> tuple[Region, ...]:
        """Root first, the region itself excluded."""
        chain: list[Region] = []
        parent = self.regions[region_id].parent
        while parent is not None:
            chain.append(self.regions[parent])
            parent = self.regions[parent].parent
        return tuple(reversed(chain))

    def top_region(self, region_id: str) -> str:
        chain = self.ancestors(region_id)
        return chain[0].id if chain else region_id

    def unit_of(self, kind: str, item_id: str) -> str:
        """The archive part ("month", "ten-days", "day") a region's or speaker's timeline
        is kept in: a function of the settings and the region tree, never of counts."""
        return self.archive_units[item_id] if kind == "region" else self.speaker_unit

    def event_home(self, event: Event) -> str:
        """The page that keeps a development forever: its first region's archive of its day."""
        rid = event.regions[0]
        return f"{archive_url('region', rid, self.archive_units[rid], event.day)}#{event.id}"

    def home_is_digest(self, event: Event) -> bool:
        """Its home is its day's digest: its first region is kept in the digests."""
        return self.archive_units[event.regions[0]] == DIGEST

    def quote_home(self, quote: Quote) -> str:
        """The page that keeps a quote forever: its speaker's archive of its day."""
        return f"{archive_url('speaker', quote.speaker, self.speaker_unit, quote.day)}#{quote.id}"

    def sources_of(self, item: Event | Quote) -> tuple[Source, ...]:
        """A development's or quote's sources: those it cites, else its article's (kept
        once, with the article, not in each of its records)."""
        return item.sources or self.article_by_slug[item.article].sources


def assemble(
    title: str,
    timezone: str,
    regions_by_id: Mapping[str, Region],
    speakers_by_id: Mapping[str, Speaker],
    articles: list[Article],
    pages: list[Page],
    archive_parts: Mapping[str, str] | None = None,
    timezone_label: str = "",
    speaker_unit: str = "year",
) -> Site:
    """The model of the site; `archive_parts` (TIMELINE_ARCHIVE_PARTS) names the archive unit
    of some regions, the others' comes from their depth in the region tree."""
    published = sorted((a for a in articles if not a.draft), key=lambda a: (a.date, a.slug))
    regions = dict(sorted(regions_by_id.items()))
    events = tuple(sorted((e for a in published for e in a.events), key=lambda e: e.sort_key))
    quotes = tuple(sorted((q for a in published for q in a.quotes), key=lambda q: q.sort_key))
    lineage = {rid: _lineage(rid, regions) for rid in regions}
    covering = _covering(lineage)
    children = _children(regions)
    return Site(
        title=title,
        timezone=timezone,
        regions=regions,
        speakers=dict(sorted(speakers_by_id.items())),
        articles=tuple(published),
        pages=tuple(sorted((p for p in pages if not p.draft), key=lambda p: p.slug)),
        events=events,
        quotes=quotes,
        children=children,
        roots=tuple(r for r in children.get("", ())),
        timeline=_group(regions, ((e, covering(e.regions)) for e in events)),
        quotes_by_speaker=_group(speakers_by_id, ((q, (q.speaker,)) for q in quotes)),
        articles_by_region=_group(regions, ((a, covering(a.mentioned_regions)) for a in published)),
        articles_by_speaker=_group(
            speakers_by_id,
            (
                (a, tuple(dict.fromkeys((*a.mentioned_speakers, *(q.speaker for q in a.quotes)))))
                for a in published
            ),
        ),
        days=_days(events, quotes, published),
        article_by_slug={a.slug: a for a in published},
        archive_units={
            rid: (archive_parts or {}).get(rid) or _default_unit(len(chain) - 1, children)
            for rid, chain in lineage.items()
        },
        timezone_label=timezone_label,
        speaker_unit=speaker_unit,
    )


def zone_label(timezone: str) -> str:
    """ "Kyiv time" for Europe/Kyiv, "New York time" for America/New_York, "UTC time" for UTC."""
    return timezone.rsplit("/", 1)[-1].replace("_", " ") + " time"


def _lineage(region_id: str, regions: Mapping[str, Region]) -> tuple[str, ...]:
    chain = [region_id]
    parent = regions[region_id].parent
    while parent is not None and parent in regions and parent not in chain:
        chain.append(parent)
        parent = regions[parent].parent
    return tuple(chain)


def _covering(
    lineage: Mapping[str, tuple[str, ...]],
) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    """Every region whose timeline shows something naming some regions: each once. Worked
    out once per set of regions: 110,000 developments and articles name a few thousand sets
    at 20,000 articles."""
    made: dict[tuple[str, ...], tuple[str, ...]] = {}

    def covering(named: tuple[str, ...]) -> tuple[str, ...]:
        found = made.get(named)
        if found is None:
            found = made[named] = tuple(
                dict.fromkeys(r for rid in named for r in lineage.get(rid, ()))
            )
        return found

    return covering


def _default_unit(depth: int, children: Mapping[str, tuple[str, ...]]) -> str:
    """A region's archive unit by its depth in the tree: never by how much it holds."""
    if depth == 0 and len(children.get("", ())) == 1:
        return ONLY_ROOT_UNIT
    return DEFAULT_UNITS[depth] if depth < len(DEFAULT_UNITS) else "month"


def _children(regions: Mapping[str, Region]) -> dict[str, tuple[str, ...]]:
    """Region id → children, sorted by name; "" → the roots."""
    grouped: dict[str, list[Region]] = defaultdict(list)
    for region in regions.values():
        grouped[region.parent or ""].append(region)
    return {
        parent: tuple(r.id for r in sorted(kids, key=lambda r: (r.name.lower(), r.id)))
        for parent, kids in grouped.items()
    }


def _group(
    keys: Mapping[str, object],
    pairs: Iterable[tuple[T, Iterable[str]]],
) -> dict[str, tuple[T, ...]]:
    """Each key's items, in order; an item's targets are each named once."""
    grouped: dict[str, list[T]] = {key: [] for key in keys}
    for item, targets in pairs:
        for target in targets:
            if target in grouped:
                grouped[target].append(item)
    return {key: tuple(items) for key, items in grouped.items()}


def _days(
    events: tuple[Event, ...], quotes: tuple[Quote, ...], articles: list[Article]
) -> tuple[Day, ...]:
    by_day: dict[date, tuple[list[Event], list[Quote], list[Article]]] = defaultdict(
        lambda: ([], [], [])
    )
    for event in events:
        by_day[event.day][0].append(event)
    for quote in quotes:
        by_day[quote.day][1].append(quote)
    for article in articles:
        by_day[article.day][2].append(article)
    return tuple(
        Day(day, tuple(e), tuple(q), tuple(a)) for day, (e, q, a) in sorted(by_day.items())
    )
