"""Timeline items: an event's or a quote's <li>, rendered once per build and reused on every
page that lists it (a region and each of its ancestors, a day, a speaker).

Written in Python, not as Jinja templates: a site of 5,000 articles has ~30,000 of them, each
rendered in every worker process that shows it, and a template render (a new context, a
macro call, a filter per field) cost ten times this. Every value is escaped here exactly as
Jinja's autoescape would (markupsafe.escape); links go through ROOT and each page rebases them.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from markupsafe import escape

from ..model.records import ROOT, Article, Event, Quote, Source, iso
from ..model.site import Site
from ..model.urls import article_url, rebase, region_url, speaker_url
from .charts import event_regions
from .when import event_when, quote_when

HERE = ROOT + "/"  # what `{{ SITEURL }}/` is in a card


def _fragment(html: str) -> str:
    """A Markdown fragment (already escaped by its renderer), its links through ROOT."""
    return rebase(html, HERE)


def sources_html(sources: tuple[Source, ...]) -> str:
    """ "Source: BBC (bbc.com)": each a link out, its domain visible."""
    if not sources:
        return ""
    links = ", ".join(
        f'<a href="{escape(s.url)}" rel="external">'
        + (
            f'{escape(s.title)} <span class="domain">({escape(s.domain)})</span>'
            if s.title
            else f'<span class="domain">{escape(s.domain)}</span>'
        )
        + "</a>"
        for s in sources
    )
    label = "Source" if len(sources) == 1 else "Sources"
    return f'<span class="card-sources">{label}: {links}</span>\n'


def key_label(key: bool) -> str:
    return (
        '<strong class="key-label" title="Key development">'
        '<span aria-hidden="true">★ </span>Key<span class="visually-hidden"> development</span>'
        "</strong>"
        if key
        else ""
    )


def corrected_html(article: Article, day: date, zone: ZoneInfo) -> str:
    """ "Corrected 11:30" (with the date when not the card's day), linking to the notes."""
    when = article.corrected
    if when is None:
        return ""
    local = when.astimezone(zone)
    shown = local.strftime("%H:%M" if local.date() == day else "%Y-%m-%d %H:%M")
    return (
        f'<a class="corrected" href="{HERE}{escape(article_url(article.slug))}#corrections">'
        f'Corrected <time datetime="{escape(iso(when))}">{shown}</time></a> '
    )


def place_label(site: Site, region_id: str) -> str:
    """ "Paraskoviivka, Donetsk Oblast": the region, then its ancestors, most specific first;
    the top-level region (the country) only when it is the place itself."""
    chain = (site.regions[region_id], *reversed(site.ancestors(region_id)))
    return ", ".join(r.name for r in (chain[:-1] if len(chain) > 1 else chain))


def places(site: Site, region_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The regions a development names, less those another of them lies in."""
    around = {a.id for rid in region_ids for a in site.ancestors(rid)}
    return tuple(rid for rid in region_ids if rid not in around)


def _region_ref(region_id: str, label: str, linked: bool = True) -> str:
    """A region named on a card: a link to its timeline, or its name alone."""
    if not linked:
        return str(escape(label))
    return f'<a href="{HERE}{escape(region_url(region_id))}">{escape(label)}</a>'


def brief_sources(sources: tuple[Source, ...]) -> str:
    """ "Sources: bbc.com, reuters.com": who says so, without the links (the home has them)."""
    domains = list(dict.fromkeys(s.domain for s in sources))
    if not domains:
        return ""
    label = "Source" if len(domains) == 1 else "Sources"
    return f'<span class="card-sources">{label}: {escape(", ".join(domains))}</span> '


def links_html(
    site: Site, zone: ZoneInfo, item: Event | Quote, home: str, noun: str, brief: bool
) -> str:
    """The end of a card: in full its article, its sources as links, a correction and "#";
    brief, who says so, a correction and a "Details" link to its home."""
    source = site.article_by_slug[item.article]
    sources, corrected = site.sources_of(item), corrected_html(source, item.day, zone)
    if brief:
        return f'{brief_sources(sources)}{corrected}<a class="permalink" href="{home}">Details</a>'
    return (
        f'<a href="{HERE}{escape(article_url(source.slug))}#{escape(item.id)}">'
        f"{escape(source.title)}</a>\n{sources_html(sources)}{corrected}"
        f'<a class="permalink" href="{home}" aria-label="Permanent link to this {noun}">#</a>\n'
    )


def event_card(
    site: Site,
    zone: ZoneInfo,
    event: Event,
    show_regions: bool,
    place: bool = False,
    brief: bool = False,
    filtered: bool = True,
) -> str:
    """A development's card. In full on its home (the archive page that keeps it) and nowhere
    else: a brief card on every other list (time, place, its text, who says so, a link home:
    no other link, on one line), so a development repeated on its ancestors' timelines and
    its day costs a few hundred bytes there, not its links and sources again. `filtered`: the
    page has the region filter, which reads each card's regions (data-regions)."""
    when = event_when(event, site.article_by_slug[event.article], zone, site.zone_label)
    regions = ""
    if place:  # the digest's place label: "Paraskoviivka, Donetsk Oblast", linked in full
        labels = "; ".join(
            _region_ref(rid, place_label(site, rid), not brief)
            for rid in places(site, event.regions)
        )
        regions = f'<span class="event-place">{labels}</span>'
    elif show_regions and brief:  # in words, as the digest's place label (no chips: no links)
        names = ", ".join(site.regions[rid].name for rid in event.regions)
        regions = f'<span class="event-place">{escape(names)}</span>'
    elif show_regions:
        links = ", ".join(_region_ref(rid, site.regions[rid].name) for rid in event.regions)
        regions = f'<span class="event-regions">{links}</span>'
    home = f"{HERE}{escape(site.event_home(event))}"
    lineage = f' data-regions="{escape(event_regions(site, event.regions))}"' if filtered else ""
    head = f'<li class="event{" key" if event.key else ""}" id="{escape(event.id)}"{lineage}>'
    links = links_html(site, zone, event, home, "development", brief)
    text = escape(event.text) if brief else _fragment(event.html)
    nl = "" if brief else "\n"  # a brief card on one line
    return (
        f"{head}{nl}{when}{key_label(event.key)}{regions}{nl}"
        f'<div class="event-text">{text}</div>{nl}'
        f'<div class="event-links">{nl}{links}</div>{nl}</li>\n'
    )


def quote_card(
    site: Site, zone: ZoneInfo, quote: Quote, show_speaker: bool, brief: bool = False
) -> str:
    """A quote's card: in full on its speaker's archive page, brief elsewhere (see event_card)."""
    speaker = site.speakers[quote.speaker]
    source = site.article_by_slug[quote.article]
    name = escape(speaker.name)
    cite = (
        f'<cite><a href="{HERE}{escape(speaker_url(speaker.id))}">{name}</a></cite>'
        if show_speaker
        else f"<cite>{name}</cite>"
    )
    context = f", {_fragment(quote.context_html)}" if quote.context_html else ""
    home = f"{HERE}{escape(site.quote_home(quote))}"
    when = quote_when(quote, source, zone, site.zone_label)
    links = links_html(site, zone, quote, home, "quote", brief)
    nl = "" if brief else "\n"  # a brief card on one line
    return (
        f'<li class="quote" id="{escape(quote.id)}">{nl}<figure>{nl}'
        f"<blockquote>{_fragment(quote.html)}</blockquote>{nl}"
        f"<figcaption>— {cite}{context}</figcaption>{nl}</figure>{nl}"
        f'<div class="event-links">{nl}{when} ·{nl or " "}{links}</div>{nl}</li>\n'
    )


class Cards:
    """Each brief card rendered once per build (per process), whatever pages show it. A full
    card is shown on one page only (its home), so it is made when asked and not kept.
    Past `limit` brief cards, all are forgotten at once: a process kept every brief card it
    rendered to the end of the build (~1.6 kB each, 180 MB at 20,000 articles); the cards of
    the pages being rendered now are made again at most once."""

    def __init__(self, zone: ZoneInfo, limit: int | None = None) -> None:
        self.zone, self.limit = zone, limit
        self.brief: dict[tuple[str, bool, bool, bool], str] = {}

    def _bound(self) -> None:
        if self.limit is not None and len(self.brief) > self.limit:
            self.brief.clear()

    def event(
        self,
        site: Site,
        event: Event,
        show_regions: bool,
        place: bool = False,
        brief: bool = False,
        filtered: bool = True,
    ) -> str:
        if not brief:
            return event_card(site, self.zone, event, show_regions, place, False, filtered)
        self._bound()
        key = (event.id, show_regions, place, filtered)
        card = self.brief.get(key)
        if card is None:
            card = self.brief[key] = event_card(
                site, self.zone, event, show_regions, place, True, filtered
            )
        return card

    def quote(self, site: Site, quote: Quote, show_speaker: bool, brief: bool = False) -> str:
        if not brief:
            return quote_card(site, self.zone, quote, show_speaker)
        self._bound()
        key = (quote.id, show_speaker, False, False)
        card = self.brief.get(key)
        if card is None:
            card = self.brief[key] = quote_card(site, self.zone, quote, show_speaker, True)
        return card
