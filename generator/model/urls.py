"""Where every page lives. Every URL names a file (offline: no folder links), relative to root."""

from __future__ import annotations

import posixpath
from datetime import date

from .records import ROOT


def region_url(region_id: str, page: int = 1) -> str:
    return (
        f"regions/{region_id}/index.html" if page == 1 else f"regions/{region_id}/page-{page}.html"
    )


def speaker_url(speaker_id: str, page: int = 1) -> str:
    return (
        f"speakers/{speaker_id}/index.html"
        if page == 1
        else f"speakers/{speaker_id}/page-{page}.html"
    )


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
