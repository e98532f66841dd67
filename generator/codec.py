"""Articles and pages as plain JSON and back, for the content cache.

JSON, not pickle: loading a cache must never be able to run code.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .model import Article, Event, Page, Quote, Source


def encode(document: Article | Page) -> dict[str, Any]:
    if isinstance(document, Page):
        return {"kind": "page", **vars(document)}
    data = dict(vars(document))
    data.update(kind="article", date=document.date.isoformat(), day=document.day.isoformat(),
                updated=document.updated.isoformat() if document.updated else None,
                sources=[vars(s) for s in document.sources],
                events=[_timed(vars(e)) for e in document.events],
                quotes=[_timed(vars(q)) for q in document.quotes])
    return data


def decode(data: dict[str, Any]) -> Article | Page:
    kind = data.pop("kind")
    if kind == "page":
        return Page(**data)
    return Article(
        **{**data, "date": datetime.fromisoformat(data["date"]),
           "day": date.fromisoformat(data["day"]),
           "updated": datetime.fromisoformat(data["updated"]) if data["updated"] else None,
           "regions": tuple(data["regions"]), "speakers": tuple(data["speakers"]),
           "tags": tuple(data["tags"]), "authors": tuple(data["authors"]),
           "mentioned_regions": tuple(data["mentioned_regions"]),
           "mentioned_speakers": tuple(data["mentioned_speakers"]),
           "sources": tuple(Source(**s) for s in data["sources"]),
           "events": tuple(Event(**_untimed(e, "regions", "speakers")) for e in data["events"]),
           "quotes": tuple(Quote(**_untimed(q)) for q in data["quotes"])})


def _timed(fields: dict[str, Any]) -> dict[str, Any]:
    return {**fields, "time": fields["time"].isoformat(), "day": fields["day"].isoformat()}


def _untimed(fields: dict[str, Any], *tuples: str) -> dict[str, Any]:
    restored = {**fields, "time": datetime.fromisoformat(fields["time"]),
                "day": date.fromisoformat(fields["day"])}
    for name in tuples:
        restored[name] = tuple(fields[name])
    return restored
