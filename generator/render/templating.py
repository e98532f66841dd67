"""What templates get: URL helpers, time formatting, safe fragments and safe JSON-LD.

Also the base class of our generators, which writes through Pelican's writer with relative
URLs, so every page links to files relative to itself (offline and sub-path safe).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from pelican.generators import Generator

from ..build.fingerprint import text_digest
from ..content.times import iso
from ..model import urls
from ..model.paging import PageOf, group_by_day, paginate
from ..model.records import Event, Quote
from ..model.site import Site
from . import charts, jsonld
from .cards import Cards

SITE_KEY = "timeline"


def rebase(fragment: str, siteurl: str) -> Markup:
    """A rendered fragment (escaped by the Markdown renderer) with links fitted to this page."""
    return Markup(urls.rebase(fragment, _prefix(siteurl)))


def _prefix(siteurl: str) -> str:
    return f"{siteurl}/" if siteurl else ""


def json_ld(data: Mapping[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> block that content cannot break out of."""
    text = json.dumps(_without_empty(data), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


def _without_empty(value: Any) -> Any:
    """JSON-LD without null fields and empty lists (schema.org readers prefer them absent)."""
    if isinstance(value, Mapping):
        return {k: _without_empty(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list | tuple):
        return [_without_empty(v) for v in value]
    return value


def svg(text: str) -> Markup:
    """An SVG built by generator.charts, which escapes every piece of text it puts in."""
    return Markup(text)


def chart_globals() -> dict[str, Any]:
    """The pictures (generator.charts), each a function of the Site model and SITEURL."""
    return {
        "region_activity": charts.region_activity, "speaker_activity": charts.speaker_activity,
        "days_calendar": charts.calendar, "regions_chart": charts.regions_chart,
        "region_map": charts.region_map, "event_regions": charts.event_regions,
    }


# English names, not strftime's %A/%B: Pelican sets the process locale from LOCALE (default:
# the environment's), and a build must not change with the machine it runs on.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def template_globals(zone: ZoneInfo) -> dict[str, Any]:
    def local(moment: datetime) -> datetime:
        return moment.astimezone(zone)

    def clock(moment: datetime) -> str:
        return local(moment).strftime("%H:%M")

    def long_day(day: date) -> str:
        return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"

    def month_name(day: date) -> str:
        return f"{MONTHS[day.month - 1]} {day.year}"

    return {
        "region_url": urls.region_url, "speaker_url": urls.speaker_url, "day_url": urls.day_url,
        "article_url": urls.article_url, "page_url": urls.page_url, "iso": iso, "local": local,
        "clock": clock, "long_day": long_day, "month_name": month_name,
        "article_ld": jsonld.article_ld, "region_ld": jsonld.region_ld,
        "speaker_ld": jsonld.speaker_ld, **chart_globals(),
    }


def _day_of(item: Any) -> Any:
    return item.day


def install_template_helpers(generator: Generator) -> None:
    """Give every generator's Jinja environment (Pelican's too) our filters and globals."""
    from ..build.state import build_state
    from ..settings import TimelineSettings

    settings = TimelineSettings.from_pelican(generator.settings)
    state = build_state(generator.settings)
    if state.cards is None:
        state.cards = Cards(settings.zone)
    cards = state.cards

    @pass_context
    def event_cards(context: Context, events: Iterable[Event], region_id: str) -> Markup:
        """Cards of events listed under `region_id` (a region's page, a day's group): each
        names its regions unless that one is the only one."""
        site = context["timeline"]
        only = (region_id,)
        cards_html = "".join(cards.event(site, event, event.regions != only)
                             for event in events)
        return rebase(cards_html, context["SITEURL"])

    @pass_context
    def quote_cards(context: Context, quotes: Iterable[Quote],
                    show_speaker: bool = True) -> Markup:
        site = context["timeline"]
        cards_html = "".join(cards.quote(site, quote, show_speaker) for quote in quotes)
        return rebase(cards_html, context["SITEURL"])

    generator.env.filters.update({"rebase": rebase, "json_ld": json_ld, "svg": svg})
    generator.env.globals.update(template_globals(settings.zone))
    generator.env.globals.update({"event_cards": event_cards, "quote_cards": quote_cards})


class SiteGenerator(Generator):  # type: ignore[misc]
    """Base of our page generators: the Site model, and `write` through Pelican's writer."""

    @property
    def site(self) -> Site:
        site = self.context[SITE_KEY]
        assert isinstance(site, Site)
        return site

    @property
    def building(self) -> bool:
        """Writing output (not `check`): pages get fingerprints."""
        from ..build.state import build_state

        return build_state(self.settings).outputs is not None

    def write(self, writer: Any, name: str, template: str, depends_on: Any = None,
              **values: Any) -> None:
        """Write one page; unchanged pages (same values, same `depends_on`) are not rendered."""
        from ..build.state import build_state

        state = build_state(self.settings)
        hasher = state.hasher()
        self.write_fingerprinted(writer, name, template, (
            lambda: hasher.digest((values, depends_on))) if self.building else None, **values)

    def write_fingerprinted(self, writer: Any, name: str, template: str,
                            fingerprint: str | Callable[[], str] | None, **values: Any) -> None:
        """Write one page whose inputs the caller has fingerprinted (None: always render; a
        function: worked out only when needed)."""
        writer.write_file(name, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], fingerprint=fingerprint,
                          **values)

    def kept(self, name: str, template: str, records: Sequence[Any],
             *also: str) -> tuple[bool, str | None]:
        """(True, _) when last build's `name` already shows `records` (and `also`) and is kept
        as it is; else (False, fingerprint) to write it with. For outputs whose inputs are
        costly to prepare (feeds, data files): ask before preparing them."""
        from ..build.state import build_state

        state = build_state(self.settings)
        if state.outputs is None:
            return False, None
        fingerprint = text_digest(state.hasher().records(records), *also)
        key = state.page_key(name, template, fingerprint)
        return key is not None and state.outputs.keep(name, key), fingerprint

    def record(self, name: str, template: str, fingerprint: str | None) -> None:
        """Remember the fingerprint of a file written outside Pelican's writer."""
        from ..build.state import build_state

        state = build_state(self.settings)
        if state.outputs is not None:
            state.outputs.record(name, state.page_key(name, template, fingerprint))

    def write_timeline(self, writer: Any, items: Sequence[Any], url_of: Callable[[int], str],
                       template: str, **values: Any) -> None:
        """A timeline (events or quotes, oldest first) as pages of whole days, newest first.

        Page 1 also charts the whole timeline, so only it depends on every item; later pages
        depend on their own items, and an edit re-renders just the pages it touches."""
        from ..build.state import build_state

        state = build_state(self.settings)
        pages = paginate(group_by_day(tuple(reversed(items)), _day_of),
                         state.settings.events_per_page)
        urls = [url_of(n) for n in range(1, len(pages) + 1)]
        hasher = state.hasher()
        for page in pages:
            def fingerprint(page: PageOf[Any] = page) -> str:
                # What the page shows: the values common to the timeline's pages (walked once
                # per timeline), its place among them and its own items; page 1 charts them all.
                listed = [item for group in page.days for item in group.items]
                return text_digest(hasher.digest((values, urls)), str(page.number),
                                   str(page.count), hasher.records(listed),
                                   hasher.records(items) if page.number == 1 else "")

            self.write_fingerprinted(writer, urls[page.number - 1], template,
                                     fingerprint if self.building else None, page=page,
                                     page_urls=urls, **values)
