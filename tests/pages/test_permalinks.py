"""Permalinks that never move: every development and quote keeps its archive page and anchor
on every timeline when a busy new article and a back-dated one arrive; data/*.json `url`s are
those homes and resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..support import build_site, load_json, read_rooted, synth_content

ARCHIVE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\.html$")
CARD = re.compile(r'<li class="(?:event|quote)[^"]*" id="([^"]+)"')
ANCHOR = re.compile(r'\bid="([^"]+)"')
ROOT = "regions/zarechia"  # the synthetic site's only top-level region

BUSY = """---
title: A very busy day in Zarechia
date: 2025-01-05T21:00:00+02:00
regions: [zarechia]
sources:
  - title: A wire
    url: https://wire.example/
---

## Developments

{items}
"""

BACKDATED = """---
title: A report filed late about March 2023
date: 2023-03-15T10:00:00+02:00
regions: [zarechia]
sources:
  - title: A wire
    url: https://wire.example/
---

## Developments

- **09:00** A late report from [](region:{town}) about a bridge.
- Another development in [](region:{oblast}) that month.
"""


def _positions(output: Path) -> dict[tuple[str, str], str]:
    """(timeline folder, item id) → the archive file that shows it, for every timeline. The
    synthetic site's only top-level region is kept in the daily digests: its parts are they."""
    found: dict[tuple[str, str], str] = {}
    digests = [(ROOT, page) for page in sorted((output / "days").glob("*.html"))]
    for kind in ("regions", "speakers"):
        pages = [(f"{kind}/{p.parent.name}", p) for p in sorted((output / kind).glob("*/*.html"))]
        for timeline, page in pages + (digests if kind == "regions" else []):
            if not ARCHIVE.match(page.name):
                continue
            for item in CARD.findall(page.read_text(encoding="utf-8")):
                if timeline == ROOT and not item.startswith("ev-"):
                    continue  # a digest's quotes are on their speakers' timelines
                assert (timeline, item) not in found, f"{item} on two pages of {timeline}"
                found[(timeline, item)] = page.relative_to(output).as_posix()
    assert any(timeline == ROOT for timeline, _ in found)
    return found


def _resolves(output: Path, url: str) -> bool:
    path, _, anchor = url.partition("#")
    file = output / path
    return file.is_file() and anchor in ANCHOR.findall(file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("permalinks")
    synth_content(root / "content", 250)
    return root


def test_every_item_keeps_its_page_and_anchor(synth: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(synth / "cache"))
    content, output = synth / "content", synth / "output"
    assert build_site(content, output) == 0
    before = _positions(output)
    events = load_json(output, "data/events.json")
    assert len(events) > 500 and before
    regions = {r["id"] for r in load_json(output, "data/site.json")["regions"]}
    towns = sorted(r for r in regions if not r.endswith("-oblast") and r != "zarechia")
    oblasts = sorted(r for r in regions if r.endswith("-oblast"))
    items = "\n".join(
        f"- **{8 + n // 6:02d}:{n % 6 * 10:02d}** Item {n} in [](region:{towns[n % len(towns)]})."
        for n in range(60)
    )
    (content / "articles" / "2025").mkdir()
    (content / "articles" / "2025" / "busy.md").write_text(BUSY.format(items=items))
    (content / "articles" / "2023" / "late.md").write_text(
        BACKDATED.format(town=towns[0], oblast=oblasts[0])
    )
    assert build_site(content, output) == 0
    after = _positions(output)
    moved = {key: (page, after.get(key)) for key, page in before.items() if after.get(key) != page}
    assert not moved, sorted(moved.items())[:5]
    added = set(after) - set(before)
    assert any(item.startswith("ev-busy-") for _, item in added)
    assert any(item.startswith("ev-late-") for _, item in added)

    # the data files' urls are the homes: the first region's (the speaker's) archive page
    for event in load_json(output, "data/events.json"):
        timeline = f"regions/{event['regions'][0]}"
        assert event["url"] == f"{after[(timeline, event['id'])]}#{event['id']}"
        assert _resolves(output, event["url"]), event["url"]
    for quote in load_json(output, "data/quotes.json"):
        timeline = f"speakers/{quote['speaker']}"
        assert quote["url"] == f"{after[(timeline, quote['id'])]}#{quote['id']}"
        assert _resolves(output, quote["url"]), quote["url"]
    # and each card's "#" link is its home too
    page = read_rooted(output, "days/2025-01-05.html")
    homes = re.findall(r'class="permalink" href="\.\./([^"]+)"', page)
    assert len(homes) >= 60 and all(_resolves(output, url) for url in homes)
    assert all(url.startswith(("regions/", "days/")) for url in homes)
    assert all("/index.html" not in url for url in homes)
