"""What a built site weighs: bytes by top-level folder, per development, and what the search
page loads before its first results.

    .venv/bin/python bench/sizes.py OUTPUT

`run.py` prints this for its cold output. "First load" is the search page and every script,
stylesheet and image it names (`src`, `href` of stylesheets), as a browser opening it from
file:// fetches them before it can answer a query. The shards of the search index that a
query then adds are not counted here: `bench/search_bench.py` counts them in a browser.
"""

from __future__ import annotations

import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

SEARCH_PAGE = "search.html"


def by_folder(output: Path) -> dict[str, int]:
    """Bytes of every file, by the first part of its path ("/" for files at the root)."""
    sizes: dict[str, int] = {}
    for folder, _, files in os.walk(output):
        relative = Path(folder).relative_to(output)
        key = relative.parts[0] if relative.parts else "/"
        sizes[key] = sizes.get(key, 0) + sum((Path(folder) / f).stat().st_size for f in files)
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def developments(output: Path) -> int:
    events = output / "data" / "events.json"
    return len(json.loads(events.read_text(encoding="utf-8"))) if events.is_file() else 0


class _Loaded(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img") and values.get("src"):
            self.found.append(str(values["src"]))
        elif tag == "link" and "stylesheet" in (values.get("rel") or "") and values.get("href"):
            self.found.append(str(values["href"]))


def first_load(output: Path, page: str = SEARCH_PAGE) -> int:
    """Bytes of `page` and of the local files it loads as it opens."""
    file = output / page
    if not file.is_file():
        return 0
    parser = _Loaded()
    parser.feed(file.read_text(encoding="utf-8"))
    total = file.stat().st_size
    for url in sorted(set(parser.found)):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue
        target = (file.parent / parts.path).resolve()
        if target.is_file() and target.is_relative_to(output.resolve()):
            total += target.stat().st_size
    return total


def report(output: Path) -> dict[str, object]:
    folders = by_folder(output)
    total = sum(folders.values())
    count = developments(output)
    return {
        "total_bytes": total,
        "developments": count,
        "bytes_per_development": round(total / count) if count else None,
        "by_folder": folders,
        "search_first_load_bytes": first_load(output),
    }


def lines(figures: dict[str, object]) -> list[str]:
    folders = figures["by_folder"]
    assert isinstance(folders, dict)
    total = int(str(figures["total_bytes"]))
    count = int(str(figures["developments"]))
    per = figures["bytes_per_development"]
    out = [
        f"size: {total / 2**20:.1f} MiB, {count} developments, {per} bytes per development; "
        f"search page first load {int(str(figures['search_first_load_bytes'])) / 2**20:.2f} MiB",
        f"{'folder':24} {'MiB':>8} {'bytes/dev':>10} {'share':>6}",
    ]
    for name, size in folders.items():
        out.append(
            f"{name:24} {size / 2**20:8.1f} {size / count if count else 0:10.0f} "
            f"{100 * size / total if total else 0:5.1f}%"
        )
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: sizes.py OUTPUT")
    print("\n".join(lines(report(Path(sys.argv[1])))))
