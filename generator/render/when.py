"""When a development or quote happened, as a reader sees it: never more exact than known.

A development with a `**HH:MM**` stamp shows its clock time with the zone named ("00:19 Kyiv
time") and a `<time datetime>` carrying the offset. A `**YYYY-MM-DD**` stamp gives a day only:
the date, no clock. An untimed development (no stamp) has no time of its own: it shows its
article's time as the article's ("reported by 16:20 Kyiv time"), or the date when the article
gave only a day; its `datetime` is the date. A quote belongs to its article's date, likewise
labelled. Every page, feed and card takes its wording from here, so the wording is one.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import escape

from ..model.records import Article, Event, Quote, iso


def _clock(moment: datetime, zone: ZoneInfo, dated: bool) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M" if dated else "%H:%M")


def event_when_text(event: Event, article: Article, zone: ZoneInfo, label: str) -> str:
    """Plain text: "2023-03-26 00:19 Kyiv time", "2023-03-26", or
    "2023-03-26, reported by 16:20 Kyiv time" (a feed entry, a title)."""
    day = event.day.isoformat()
    if event.clock:
        return f"{_clock(event.time, zone, True)} {label}"
    if event.timed or article.date_only:
        return day
    return f"{day}, reported by {_clock(article.date, zone, False)} {label}"


def event_when(
    event: Event, article: Article, zone: ZoneInfo, label: str, dated: bool = False
) -> str:
    """The `<time>` of a development's card or list item; `dated` adds the day to a clock time
    (a list that mixes days). The day itself is shown for a day stamp and an untimed one of a
    date-only article: there is nothing else to show."""
    day = event.day.isoformat()
    zone_name = f'<span class="zone"> {escape(label)}</span>'
    if event.clock:
        return (
            f'<time datetime="{escape(iso(event.time))}">'
            f"{_clock(event.time, zone, dated)}{zone_name}</time>"
        )
    # no title="…" to explain: the words do, and a card is shown on several pages
    if event.timed:
        return f'<time class="day-only" datetime="{day}">{day}</time>'
    if article.date_only:
        return f'<time class="untimed" datetime="{day}">{day}</time>'
    shown = _clock(article.date, zone, dated)
    return f'<time class="untimed" datetime="{day}">reported by {shown}{zone_name}</time>'


def quote_when(quote: Quote, article: Article, zone: ZoneInfo, label: str) -> str:
    """A quote's day, and its article's time labelled as the article's."""
    day = quote.day.isoformat()
    if article.date_only:
        return f'<time datetime="{day}">{day}</time>'
    return (
        f'<time datetime="{day}">{day}</time>, reported by '
        f'<time datetime="{escape(iso(article.date))}">{_clock(article.date, zone, False)}'
        f'<span class="zone"> {escape(label)}</span></time>'
    )
