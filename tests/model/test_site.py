"""The spec fixture read into a Site matches its hand-computed oracle (expected.json)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.model.records import iso

from ..support import SPEC_SITE, read_site


@pytest.fixture(scope="module")
def site() -> Any:
    return read_site(SPEC_SITE / "content")


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads((SPEC_SITE / "expected.json").read_text(encoding="utf-8"))


def test_timezone(site: Any, expected: dict[str, Any]) -> None:
    assert site.timezone == expected["timezone"]


def test_region_timelines(site: Any, expected: dict[str, Any]) -> None:
    assert {r: len(site.timeline[r]) for r in site.regions} == expected["region_events"]
    for events in site.timeline.values():  # each development once, in site order
        assert len({e.id for e in events}) == len(events)
        assert list(events) == sorted(events, key=lambda e: e.sort_key)


def test_speaker_quotes(site: Any, expected: dict[str, Any]) -> None:
    assert {s: len(site.quotes_by_speaker[s]) for s in site.speakers} == expected["speaker_quotes"]


def test_days(site: Any, expected: dict[str, Any]) -> None:
    got = {
        d.date.isoformat(): {
            "events": len(d.events),
            "quotes": len(d.quotes),
            "articles": len(d.articles),
        }
        for d in site.days
    }
    assert got == expected["days"]
    assert [d.date for d in site.days] == sorted(d.date for d in site.days)


def test_articles(site: Any, expected: dict[str, Any]) -> None:
    assert [a.slug for a in site.articles] == expected["articles"]


def test_events(site: Any, expected: dict[str, Any]) -> None:
    got = [
        {
            "article": e.article,
            "time": iso(e.time),
            "day": e.day.isoformat(),
            "regions": sorted(e.regions),
            "key": e.key,
            "sources": [s.url for s in site.sources_of(e)],
        }
        for e in site.events
    ]
    want = [{**e, "regions": sorted(e["regions"])} for e in expected["events"]]
    assert got == want


def test_event_ids_follow_article_order(site: Any) -> None:
    for article in site.articles:
        assert [e.id for e in article.events] == [
            f"ev-{article.slug}-{n}" for n in range(1, len(article.events) + 1)
        ]


def test_quotes(site: Any, expected: dict[str, Any]) -> None:
    got = [
        {
            "article": q.article,
            "speaker": q.speaker,
            "context": q.context,
            "day": q.day.isoformat(),
            "time": iso(q.time),
            "sources": [s.url for s in site.sources_of(q)],
        }
        for q in site.quotes
    ]
    assert got == expected["quotes"]


def test_draft_appears_nowhere(site: Any) -> None:
    assert "stone-isle-survey" not in site.article_by_slug
    assert all(e.article != "stone-isle-survey" for e in site.events)
    assert site.quotes_by_speaker["hugo-brandt"] == ()
    assert [p.slug for p in site.pages] == ["about"]


def test_editing_one_article_leaves_the_others_ids(site: Any, copy_content: Any) -> None:
    content = copy_content(SPEC_SITE / "content")
    ferry = content / "articles" / "2024" / "06" / "islands" / "ferry-timetable.md"
    text = ferry.read_text(encoding="utf-8")
    assert "## Developments\n\n" in text
    ferry.write_text(
        text.replace(
            "## Developments\n\n",
            "## Developments\n\n- **2024-01-01** An early note on [](region:gull-rock).\n",
            1,
        ),
        encoding="utf-8",
    )
    edited = read_site(content)

    def ids(s: Any, skip: str) -> dict[str, tuple[str, str]]:
        found = {e.id: (iso(e.time), e.html) for e in s.events if e.article != skip}
        found.update({q.id: (iso(q.time), q.html) for q in s.quotes if q.article != skip})
        return found

    assert ids(edited, "ferry-timetable") == ids(site, "ferry-timetable")
    ferry_before = [e.id for e in site.events if e.article == "ferry-timetable"]
    ferry_after = [e.id for e in edited.events if e.article == "ferry-timetable"]
    assert len(ferry_after) == len(ferry_before) + 1
