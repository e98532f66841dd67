"""What a built site weighs: bytes by top-level folder, per development, and what the search
page loads before its first results.

    .venv/bin/python bench/sizes.py OUTPUT [--query WORD] [--json]

`run.py` prints this for its output (the offline downloads included when they were built:
they live under `download/`). Everything is counted from the files on disk, so the figures
are exact whatever the machine's load.

Folders: the site's families (`FOLDERS`) each get a row, in that order, even when empty, so
that tables of different builds line up; anything else (files at the root, `pages/`, a new
folder) is summed into "other", and `other_parts` says what it holds.

Developments: the sum of `events` over `data/site.json`'s days (the site-data contract), so a
50,000-article site is not parsed whole; `data/events.json` is the fallback.

"First load" of the search page, computed statically as a browser opening it from file://
fetches it before it can answer a query: the page, every script (`<script src>`), stylesheet
(`<link rel=stylesheet>`) and image (`<img src>`) it names directly, and then the files that
answering a typical one-word query (`QUERY`) makes its scripts load. What those are depends
on the search code, so it is a plug (`QueryFiles`); the default, `query_files()`, follows
theme/static/js/search.js: the manifest, the term shards the query's words may be in, the
document shards of its first ten documents (an estimate of the first results' rows; the
browser-measured figures are bench/search_bench.py's). An unsharded index counts whole.
A file counted twice (named by the page and by the plug) counts once.
"""

from __future__ import annotations

import argparse
import bisect
import importlib
import json
import os
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SEARCH_PAGE = "search.html"
FOLDERS = (
    "regions",
    "days",
    "articles",
    "data",
    "search",
    "download",
    "feeds",
    "speakers",
    "theme",
)
OTHER = "other"
ROOT_FILES = "/"  # files at the top of the output, in `other_parts`
QUERY = "water"  # a word in most synthetic developments (bench/synth.py's vocabulary)
SEARCH_MODULE = "generator.render.search"  # where a sharded index would say what a query loads
ROOT = Path(__file__).resolve().parent.parent

QueryFiles = Callable[[Path, str], list[str]]


# --- bytes by folder ---------------------------------------------------------------------------


def by_folder(output: Path, depth: int = 1) -> dict[str, int]:
    """Bytes of every file by the first `depth` parts of its path ("/" for files at the
    root), largest first. depth=2 shows where a family's bytes are: `data/timelinejs`,
    `data/events.json`, `download/timeline-site.zip`..."""
    sizes: dict[str, int] = {}
    for folder, _, files in os.walk(output):
        parts = Path(folder).relative_to(output).parts
        for name in files:
            key = "/".join((*parts, name)[:depth]) if parts else ROOT_FILES
            sizes[key] = sizes.get(key, 0) + (Path(folder) / name).stat().st_size
    return dict(sorted(sizes.items(), key=lambda item: (-item[1], item[0])))


def breakdown(raw: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """(a row for each of FOLDERS in order then OTHER, what OTHER is made of)."""
    rows = {name: raw.get(name, 0) for name in FOLDERS}
    rest = {name: size for name, size in raw.items() if name not in FOLDERS}
    rows[OTHER] = sum(rest.values())
    return rows, rest


def developments(output: Path) -> int:
    """How many developments the site shows (0 when it has no data files)."""
    site = output / "data" / "site.json"
    if site.is_file():
        days = json.loads(site.read_text(encoding="utf-8")).get("days")
        if isinstance(days, list) and all("events" in day for day in days):
            return sum(int(day["events"]) for day in days)
    events = output / "data" / "events.json"
    return len(json.loads(events.read_text(encoding="utf-8"))) if events.is_file() else 0


# --- the search page's first load --------------------------------------------------------------


class _Loaded(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img") and values.get("src"):
            self.found.append(str(values["src"]))
        elif (
            tag == "link"
            and "stylesheet" in (values.get("rel") or "").split()
            and values.get("href")
        ):
            self.found.append(str(values["href"]))


def named_files(output: Path, page: str) -> list[Path]:
    """The local files `page` names directly (scripts, stylesheets, images), inside `output`."""
    file = output / page
    parser = _Loaded()
    parser.feed(file.read_text(encoding="utf-8"))
    found: list[Path] = []
    for url in parser.found:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # not a local file (and the site must not load any other)
        target = (file.parent / unquote(parts.path)).resolve()
        if target.is_file() and target.is_relative_to(output.resolve()):
            found.append(target)
    return found


def query_files(output: Path, query: str) -> list[str]:
    """The files the search page's scripts load to show the first results for `query`:
    the manifest, the term shards its words (as prefixes) may be in, and the document shards
    of the first ten documents found, as theme/static/js/search.js picks them (termShards,
    then rows). Empty when the site has no sharded index (then the page names it whole)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # bench/ scripts run with bench/ first on the path
    try:
        search = importlib.import_module(SEARCH_MODULE)
    except ImportError:
        return []
    manifest_file = output / getattr(search, "INDEX_FILE", "search/index.js")
    if not hasattr(search, "TERM_SHARD") or not manifest_file.is_file():
        return []
    text = manifest_file.read_text(encoding="utf-8")
    manifest = json.loads(text[text.index("=") + 1 :].strip().rstrip(";"))
    if "termShards" not in manifest:
        return []  # one index file, which the page names
    firsts = [first for first, _ in manifest["termShards"]]
    files = [search.INDEX_FILE]
    documents: list[int] = []
    for word in search.words(query):
        start = max(0, bisect.bisect_right(firsts, word) - 1)
        shards = [start] + [n for n in range(start + 1, len(firsts)) if firsts[n].startswith(word)]
        for n in shards:
            name = search.TERM_SHARD.format(n=n)
            files.append(name)
            shard = (output / name).read_text(encoding="utf-8")
            items = json.loads(shard[shard.index("[") : shard.rindex("]") + 1])
            for term, postings in zip(items[::2], items[1::2], strict=True):
                if term.startswith(word):
                    documents.extend(search.read_varints(postings)[:10])
    doc_firsts = [first for first, _ in manifest["docShards"]]
    for document in sorted(set(documents))[:10]:
        n = bisect.bisect_right(doc_firsts, document) - 1
        if n >= 0:
            files.append(search.DOC_SHARD.format(n=n))
    return list(dict.fromkeys(files))


def first_load(
    output: Path,
    page: str = SEARCH_PAGE,
    query: str = QUERY,
    loads: QueryFiles = query_files,
) -> int:
    """Bytes of `page`, of the files it names, and of those `loads` says `query` fetches."""
    file = output / page
    if not file.is_file():
        return 0
    root = output.resolve()
    files = {file.resolve(), *named_files(output, page)}
    for name in loads(output, query):
        target = (root / name).resolve()
        if target.is_file() and target.is_relative_to(root):
            files.add(target)
    return sum(path.stat().st_size for path in files)


# --- report ------------------------------------------------------------------------------------


def report(
    output: Path, query: str = QUERY, loads: QueryFiles = query_files, downloads: bool = True
) -> dict[str, object]:
    raw = by_folder(output)
    rows, rest = breakdown(raw)
    total = sum(raw.values())
    count = developments(output)
    return {
        "total_bytes": total,
        "files": sum(len(files) for _, _, files in os.walk(output)),
        "developments": count,
        "bytes_per_development": round(total / count) if count else None,
        "downloads_built": downloads,
        "by_folder": rows,
        "other_parts": rest,
        "search_query": query,
        "search_first_load_bytes": first_load(output, SEARCH_PAGE, query, loads),
    }


def lines(figures: dict[str, object]) -> list[str]:
    """The size table as text (the figures of `report`)."""
    folders = figures["by_folder"]
    rest = figures.get("other_parts") or {}
    assert isinstance(folders, dict) and isinstance(rest, dict)
    total = int(str(figures["total_bytes"]))
    count = int(str(figures["developments"]))
    per = figures["bytes_per_development"]
    downloads = (
        "offline downloads included"
        if figures.get("downloads_built", True)
        else ("offline downloads NOT built")
    )
    first = int(str(figures["search_first_load_bytes"]))
    out = [
        f"size: {total:,} bytes ({total / 2**20:.1f} MiB), {figures.get('files', '?')} files, "
        f"{count:,} developments, {per:,} bytes per development; {downloads}"
        if per is not None
        else f"size: {total:,} bytes ({total / 2**20:.1f} MiB), no developments; {downloads}",
        f"search page first load: {first:,} bytes ({first / 2**20:.2f} MiB; page, its scripts "
        f"and styles, files for the query {figures.get('search_query', QUERY)!r})",
        f"{'folder':10} {'bytes':>14} {'MiB':>8} {'bytes/dev':>10} {'share':>6}",
    ]
    for name, size in folders.items():
        out.append(
            f"{name:10} {size:14,} {size / 2**20:8.1f} {size / count if count else 0:10.0f} "
            f"{100 * size / total if total else 0:5.1f}%"
        )
    out.append(f"{'total':10} {total:14,} {total / 2**20:8.1f} {per or 0:10} {100:5.1f}%")
    if rest:
        out.append(
            "other: " + ", ".join(f"{name} {size:,}" for name, size in rest.items()) + " bytes"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--query", default=QUERY, help=f"the typical query (default {QUERY!r})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--parts", action="store_true", help="also list bytes by the first two parts of paths"
    )
    args = parser.parse_args(argv)
    if not args.output.is_dir():
        parser.error(f"{args.output} is not a folder")
    figures = report(args.output, args.query, downloads=(args.output / "download").is_dir())
    if args.parts:
        figures["by_part"] = by_folder(args.output, depth=2)
    print(json.dumps(figures, indent=2) if args.json else "\n".join(lines(figures)))
    if args.parts and not args.json:
        print("\n".join(part_lines(figures)))
    return 0


def part_lines(figures: dict[str, object], least: float = 0.01) -> list[str]:
    """The parts holding at least `least` of the total, the rest summed per folder."""
    parts, total = figures["by_part"], int(str(figures["total_bytes"]))
    assert isinstance(parts, dict)
    count = int(str(figures["developments"])) or 1
    shown: dict[str, int] = {}
    for name, size in parts.items():
        key = name if size >= least * total else name.split("/")[0] + "/(rest)"
        shown[key] = shown.get(key, 0) + size
    out = [f"{'part':36} {'bytes':>14} {'bytes/dev':>10} {'share':>6}"]
    for name, size in sorted(shown.items(), key=lambda item: (-item[1], item[0])):
        out.append(f"{name:36} {size:14,} {size / count:10.0f} {100 * size / total:5.1f}%")
    return out


if __name__ == "__main__":
    sys.exit(main())
