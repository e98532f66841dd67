"""What templates get: URL helpers, time formatting, safe fragments and safe JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..model import urls
from ..model.records import Event, Quote, iso
from . import charts, jsonld
from .cards import Cards
from .charts.maps import Land
from .charts.text import MONTH_NAMES, count, plural
from .when import event_when

SITE_KEY = "timeline"


def fitted(fragment: str, siteurl: str) -> Markup:
    """A rendered fragment (escaped by the Markdown renderer) with links fitted to a page
    whose way to the site root is `siteurl`; the templates' `rebase` filter."""
    return Markup(urls.rebase(fragment, urls.root_prefix(siteurl)))


def json_ld(data: Mapping[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> block that content cannot break out of."""
    text = json.dumps(
        _without_empty(data), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
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
    """An SVG built by generator.render.charts, which escapes every piece of text it puts in."""
    return Markup(text)


def chart_globals(land: Land | None = None) -> dict[str, Any]:
    """The pictures (generator.render.charts), each a function of the Site model and SITEURL;
    `land` draws a map's land (charts.maps.map_svg), kept from one build to the next."""
    return {
        "region_activity": charts.region_activity,
        "speaker_activity": charts.speaker_activity,
        "days_calendar": charts.calendar,
        "month_calendar": charts.month_calendar,
        "regions_chart": charts.regions_chart,
        "region_map": partial(charts.region_map, land=land),
        "event_regions": charts.event_regions,
    }


# English names (charts.text), not strftime's %A/%B: Pelican sets the process locale from
# LOCALE (default: the environment's), and a build must not change with the machine it runs on.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def template_globals(zone: ZoneInfo, land: Land | None = None) -> dict[str, Any]:
    def local(moment: datetime) -> datetime:
        return moment.astimezone(zone)

    def clock(moment: datetime) -> str:
        return local(moment).strftime("%H:%M")

    def long_day(day: date) -> str:
        return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"

    def month_name(day: date) -> str:
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"

    def part_label(unit: str, start: date, end: date) -> str:
        """An archive part in words: "2024", "June 2024", "1–10 June 2024", "13 June 2024"."""
        if unit == "year":
            return str(start.year)
        if unit == "month":
            return month_name(start)
        if start == end:
            return f"{start.day} {month_name(start)}"
        return f"{start.day}–{end.day} {month_name(start)}"

    return {
        "region_url": urls.region_url,
        "speaker_url": urls.speaker_url,
        "day_url": urls.day_url,
        "article_url": urls.article_url,
        "page_url": urls.page_url,
        "iso": iso,
        "local": local,
        "clock": clock,
        "long_day": long_day,
        "month_name": month_name,
        "part_label": part_label,
        "month_names": MONTH_NAMES,
        "article_ld": jsonld.article_ld,
        "region_ld": jsonld.region_ld,
        "speaker_ld": jsonld.speaker_ld,
        "number": count,  # 22,381: one number format on every page
        "plural": plural,  # "1 development", "2 developments"
        **chart_globals(land),
    }


def install_template_helpers(
    env: Environment, zone: ZoneInfo, cards: Cards, land: Land | None = None
) -> None:
    """Give a Jinja environment our filters and globals (every generator's, Pelican's too);
    `land`: see chart_globals."""

    @pass_context
    def event_cards(
        context: Context, events: Iterable[Event], region_id: str, home: bool = False
    ) -> Markup:
        """Cards of events listed under `region_id`: each names its regions unless that one is
        the only one. On an archive page (`home`), the events it keeps (first named region:
        this one) are shown in full, the others briefly; elsewhere all are brief."""
        site = context["timeline"]
        only, filtered = (region_id,), region_id in site.children
        cards_html = "".join(
            cards.event(
                site,
                event,
                event.regions != only,
                brief=not (home and event.regions[0] == region_id),
                filtered=filtered,
            )
            for event in events
        )
        return fitted(cards_html, context["SITEURL"])

    @pass_context
    def quote_cards(
        context: Context, quotes: Iterable[Quote], show_speaker: bool = True, home: bool = False
    ) -> Markup:
        """Quote cards: in full on their speaker's archive page (`home`), brief elsewhere."""
        site = context["timeline"]
        cards_html = "".join(
            cards.quote(site, quote, show_speaker, brief=not home) for quote in quotes
        )
        return fitted(cards_html, context["SITEURL"])

    @pass_context
    def event_time(context: Context, event: Event, dated: bool = False) -> Markup:
        """A development's <time> in a list (home, key developments): see render.when."""
        site = context["timeline"]
        article = site.article_by_slug[event.article]
        return Markup(event_when(event, article, zone, site.zone_label, dated))

    @pass_context
    def stream_cards(context: Context, items: Iterable[Event | Quote]) -> Markup:
        """A digest's one stream: developments with their place label, quotes with their
        speaker, in the order given. Developments of a region kept in the digests (its first
        named region's unit is "digest") have their home here: in full."""
        site = context["timeline"]
        cards_html = "".join(
            cards.event(
                site,
                item,
                False,
                place=True,
                brief=not site.home_is_digest(item),
                filtered=False,
            )
            if isinstance(item, Event)
            else cards.quote(site, item, True, brief=True)
            for item in items
        )
        return fitted(cards_html, context["SITEURL"])

    env.filters.update({"rebase": fitted, "json_ld": json_ld, "svg": svg})
    env.globals.update(template_globals(zone, land))
    env.globals.update(
        {
            "event_cards": event_cards,
            "quote_cards": quote_cards,
            "event_time": event_time,
            "stream_cards": stream_cards,
        }
    )
