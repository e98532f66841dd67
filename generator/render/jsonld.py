"""schema.org JSON-LD for pages: NewsArticle, Place and Person, built from the model."""

from __future__ import annotations

from typing import Any

from ..model.records import Article, Region, Speaker, iso
from ..model.site import Site

CONTEXT = "https://schema.org"


def article_ld(article: Article, site: Site) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": iso(article.date),
        "dateModified": iso(article.updated) if article.updated else None,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "keywords": list(article.tags),
        "contentLocation": [_place(site.regions[r]) for r in article.regions],
        "mentions": [
            {"@type": "Person", "name": site.speakers[s].name} for s in article.mentioned_speakers
        ],
        "isBasedOn": [source.url for source in article.sources],
    }


def region_ld(region: Region, site: Site) -> dict[str, Any]:
    data = _place(region)
    data["@context"] = CONTEXT
    data["alternateName"] = list(region.aliases)
    if region.parent:
        data["containedInPlace"] = _place(site.regions[region.parent])
    if region.lat is not None and region.lon is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": region.lat, "longitude": region.lon}
    return data


def speaker_ld(speaker: Speaker) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "Person",
        "name": speaker.name,
        "jobTitle": speaker.role,
        "affiliation": (
            {"@type": "Organization", "name": speaker.affiliation} if speaker.affiliation else None
        ),
        "alternateName": list(speaker.aliases),
    }


def _place(region: Region) -> dict[str, Any]:
    return {"@type": "Place", "name": region.name}
