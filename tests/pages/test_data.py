"""output/data/ against the site-data contract and the hand-computed oracle (expected.json)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.model.records import ROOT

from ..support import load_json


def test_region_counts_include_descendants(spec_output: Path, expected: dict[str, Any]) -> None:
    site = load_json(spec_output, "data/site.json")
    assert {r["id"]: r["events"] for r in site["regions"]} == expected["region_events"]
    assert [r["id"] for r in site["regions"]] == sorted(expected["region_events"])


def test_speaker_counts(spec_output: Path, expected: dict[str, Any]) -> None:
    site = load_json(spec_output, "data/site.json")
    assert {s["id"]: s["quotes"] for s in site["speakers"]} == expected["speaker_quotes"]


def test_day_counts(spec_output: Path, expected: dict[str, Any]) -> None:
    days = load_json(spec_output, "data/site.json")["days"]
    assert [d["date"] for d in days] == sorted(expected["days"])
    assert {
        d["date"]: {k: d[k] for k in ("events", "quotes", "articles")} for d in days
    } == expected["days"]


def test_articles_sorted_by_date_then_slug(spec_output: Path, expected: dict[str, Any]) -> None:
    articles = load_json(spec_output, "data/site.json")["articles"]
    assert [a["slug"] for a in articles] == expected["articles"]


def test_events_json_matches_oracle(spec_output: Path, expected: dict[str, Any]) -> None:
    events = load_json(spec_output, "data/events.json")
    got = [(e["article"], e["time"], e["day"], sorted(e["regions"])) for e in events]
    want = [(e["article"], e["time"], e["day"], sorted(e["regions"])) for e in expected["events"]]
    assert got == want
    assert set(events[0]) == {
        *("id", "time", "day", "regions", "text", "html", "article", "url"),
        *("timed", "precision", "key", "sources"),
    }
    assert len({e["id"] for e in events}) == len(events)


def test_quotes_json_matches_oracle(spec_output: Path, expected: dict[str, Any]) -> None:
    quotes = load_json(spec_output, "data/quotes.json")
    got = [(q["article"], q["speaker"], q["context"], q["day"]) for q in quotes]
    want = [(q["article"], q["speaker"], q["context"], q["day"]) for q in expected["quotes"]]
    assert got == want
    assert set(quotes[0]) == {
        *("id", "time", "day", "speaker", "text", "context", "article", "url", "sources"),
    }


def _all_urls(output: Path) -> list[str]:
    site = load_json(output, "data/site.json")
    urls = [
        item["url"] for key in ("regions", "speakers", "days", "articles") for item in site[key]
    ]
    urls += [e["url"] for e in load_json(output, "data/events.json")]
    urls += [q["url"] for q in load_json(output, "data/quotes.json")]
    return urls


def test_every_data_url_opens_a_file_and_anchor(spec_output: Path) -> None:
    urls = _all_urls(spec_output)
    assert len(urls) > 50
    for url in urls:
        parts = urlsplit(url)
        assert not url.startswith("/") and not parts.scheme, url
        target = spec_output / parts.path
        assert target.is_file(), url
        if parts.fragment:
            assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), url


def test_timelinejs_files_for_regions_with_events(
    spec_output: Path, expected: dict[str, Any]
) -> None:
    with_events = {r for r, n in expected["region_events"].items() if n}
    files = {p.stem for p in (spec_output / "data" / "timelinejs").glob("*.json")}
    assert files == with_events
    precision = {e["id"]: e["precision"] for e in load_json(spec_output, "data/events.json")}
    for region in with_events:
        data = load_json(spec_output, f"data/timelinejs/{region}.json")
        assert len(data["events"]) == expected["region_events"][region]
        for slide in data["events"]:
            clock = precision[slide["unique_id"]] == "minute"
            dated = {"year", "month", "day"}
            assert set(slide["start_date"]) == (dated | {"hour", "minute"} if clock else dated)
        slide = data["events"][0]
        assert slide["text"]["headline"] and slide["text"]["text"]
        assert data["title"]["text"]["headline"]


def test_event_html_links_are_relative_to_site_root(spec_output: Path) -> None:
    events = load_json(spec_output, "data/events.json")
    linked = [e for e in events if "href=" in e["html"]]
    assert linked
    for event in linked:
        for link in re.findall(r'<a href="([^"]*)"( class="source-ref")?', event["html"]):
            href, source = link
            assert href.startswith(("http://", "https://") if source else ("regions/", "speakers/"))
        assert ROOT not in event["html"]


def test_events_and_quotes_carry_key_and_sources(
    spec_output: Path, expected: dict[str, Any]
) -> None:
    events = load_json(spec_output, "data/events.json")
    assert [(e["key"], [s["url"] for s in e["sources"]]) for e in events] == [
        (e["key"], e["sources"]) for e in expected["events"]
    ]
    quotes = load_json(spec_output, "data/quotes.json")
    assert [[s["url"] for s in q["sources"]] for q in quotes] == [
        q["sources"] for q in expected["quotes"]
    ]
    first = events[0]["sources"][0]
    assert first == {
        "title": "Harbor Point port notices",
        "url": "https://example.org/port/notices",
    }
    assert all(set(s) == {"title", "url"} for e in events for s in e["sources"])


def test_corrections_json(spec_output: Path, expected: dict[str, Any]) -> None:
    assert load_json(spec_output, "data/corrections.json") == expected["corrections"]
    for item in expected["corrections"]:
        page, anchor = item["url"].split("#")
        assert f'id="{anchor}"' in (spec_output / page).read_text(encoding="utf-8")
