"""Where every page lives. Every URL names a file (offline: no folder links), relative to root.

A timeline (a region's or a speaker's) is kept in archive pages by fixed calendar parts: a
month (`regions/<id>/2024-06.html`), a ten-day part named by its first day (`2024-06-01.html`,
`2024-06-11.html`, `2024-06-21.html`: the 21st to the month's end) or a day (`2024-06-13.html`).
A top-level region may instead be kept in the daily digests (unit "digest", the default when
it is the only one): its day is the whole day, which the digest already lists, so its parts
are the digests (`days/2024-06-13.html`) and no page of its own repeats them.
A part is a function of a date alone, never of how many items there are, so adding, editing
or removing an article never moves any other item: `archive_url` is its permalink.
"""

from __future__ import annotations

import posixpath
from datetime import date

from .records import ROOT

DIGEST = "digest"  # a top-level region's parts are the daily digests
# The archive units (which ones a setting may name: generator.settings): "year" (speakers, who
# are quoted a few times a month), "month", "ten-days", "day" and DIGEST.
WHOLE_MONTHS = ("year", "month")  # units whose parts are whole months: no month contents pages
KIND_FOLDERS = {"region": "regions", "speaker": "speakers"}


def timeline_url(kind: str, item_id: str) -> str:
    """A timeline's ("region" or "speaker") first page: its latest items, its calendar."""
    return f"{KIND_FOLDERS[kind]}/{item_id}/index.html"


def region_url(region_id: str) -> str:
    return timeline_url("region", region_id)


def speaker_url(speaker_id: str) -> str:
    return timeline_url("speaker", speaker_id)


def part_start(unit: str, day: date) -> date:
    """The first day of the archive part of `unit` that holds `day`."""
    if unit == "year":
        return day.replace(month=1, day=1)
    if unit == "month":
        return day.replace(day=1)
    if unit == "ten-days":
        return day.replace(day=min(21, (day.day - 1) // 10 * 10 + 1))
    if unit in ("day", DIGEST):
        return day
    raise ValueError(f"unknown archive unit {unit!r}")


def archive_url(kind: str, item_id: str, unit: str, day: date) -> str:
    """The archive page of a timeline ("region" or "speaker") that keeps `day`: a permalink."""
    start = part_start(unit, day)
    if unit == DIGEST:
        return day_url(start)
    if unit == "year":
        name = f"{start.year:04d}"
    elif unit == "month":
        name = f"{start.year:04d}-{start.month:02d}"
    else:
        name = start.isoformat()
    return f"{KIND_FOLDERS[kind]}/{item_id}/{name}.html"


def month_url(kind: str, item_id: str, day: date, unit: str = "month") -> str:
    """Where a timeline's month opens: its archive part (unit month), its contents (finer
    units) or, kept by year, its year's page at `day` (a day with items: its section)."""
    if unit == "year":
        return f"{archive_url(kind, item_id, unit, day)}#day-{day.isoformat()}"
    return archive_url(kind, item_id, "month", day)


def day_url(day: date) -> str:
    return f"days/{day.isoformat()}.html"


def article_url(slug: str) -> str:
    return f"articles/{slug}.html"


def page_url(slug: str) -> str:
    return f"pages/{slug}.html"


def to_root(output_name: str) -> str:
    """The relative way from a page back to the site root, with a trailing slash ("" at root)."""
    depth = posixpath.dirname(output_name).count("/") + 1 if posixpath.dirname(output_name) else 0
    return "../" * depth


def shorten_links(html: str, name: str) -> str:
    """A page's links written from the root ("../../regions/b/x.html" on regions/a/y.html)
    made as short as the way there: "../b/x.html", "x.html" into its own folder, and
    "#anchor" to a place on the page itself.

    Only attribute values are touched (`="` then the way to the root): text is escaped, so
    `="` never starts in it. Bytes per page: a timeline page names its own and its
    neighbours' pages in every card."""
    folder = posixpath.dirname(name)
    if folder:
        root = to_root(name)
        parts = folder.split("/")
        for depth in range(len(parts), 0, -1):  # the page's own folder first, then its parents
            html = html.replace(
                f'="{root}{"/".join(parts[:depth])}/', '="' + "../" * (len(parts) - depth)
            )
    return html.replace(f'="{posixpath.basename(name)}#', '="#')  # a place on this page


def root_prefix(siteurl: str) -> str:
    """What a page's links start with to reach the site root: SITEURL and a slash."""
    return f"{siteurl}/" if siteurl else ""


def is_absolute(siteurl: str) -> bool:
    """SITEURL is an http(s) address (publishing), not a relative way back to the root."""
    return siteurl.startswith(("https://", "http://"))


def rebase(fragment: str, root: str) -> str:
    """Point a fragment's ROOT links at the site root as seen from one page.

    Fragments rendered by templates write `{{ SITEURL }}/x` with SITEURL = ROOT, hence the
    first replacement; the Markdown renderer writes ROOT + "x".
    """
    return fragment.replace(ROOT + "/", root).replace(ROOT, root)
