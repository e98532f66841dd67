"""bench/sizes.py and the runner's small pieces: bytes by folder, per development, the search
page's first load, the process-tree RSS, the kinds of build.

The bench scripts are not a package (they run as `python bench/run.py`), so they are loaded
from their files here, under the names they import each other by.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name: str) -> ModuleType:
    if name in sys.modules and getattr(sys.modules[name], "__file__", "") == str(
        BENCH / f"{name}.py"
    ):
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sizes = load("sizes")
run = load("run")


def put(root: Path, name: str, size: int | bytes | str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(size, int):
        path.write_bytes(b"x" * size)
    else:
        path.write_bytes(size.encode() if isinstance(size, str) else size)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A made-up output: known bytes in known folders, 8 developments over two days."""
    out = tmp_path / "out"
    put(out, "regions/a/index.html", 300)
    put(out, "regions/b.html", 100)
    put(out, "days/2024-01-01.html", 150)
    put(out, "download/timeline-site.zip", 250)
    put(out, "pages/about.html", 7)
    put(out, "index.html", 5)
    put(out, "extra/thing.txt", 11)
    site_json = json.dumps({"days": [{"date": "d1", "events": 3}, {"date": "d2", "events": 5}]})
    put(out, "data/site.json", site_json)
    return out


def test_breakdown_has_every_family_in_order_and_sums_the_rest_into_other(site: Path) -> None:
    raw = sizes.by_folder(site)
    assert raw["regions"] == 400 and raw["/"] == 5 and raw["extra"] == 11
    rows, rest = sizes.breakdown(raw)
    assert list(rows) == [*sizes.FOLDERS, "other"]
    assert rows["regions"] == 400 and rows["days"] == 150 and rows["download"] == 250
    assert rows["feeds"] == 0 and rows["theme"] == 0  # absent families still get a row
    assert rest == {"extra": 11, "pages": 7, "/": 5}
    assert rows["other"] == 23
    assert sum(rows.values()) == sum(raw.values())


def test_report_counts_developments_from_site_json_and_bytes_per_development(site: Path) -> None:
    figures = sizes.report(site, loads=lambda output, query: [])
    total = 400 + 150 + 250 + 7 + 5 + 11 + (site / "data" / "site.json").stat().st_size
    assert figures["total_bytes"] == total
    assert figures["developments"] == 8
    assert figures["bytes_per_development"] == round(total / 8)
    assert figures["files"] == 8
    text = "\n".join(sizes.lines(figures))
    assert "8 developments" in text and "offline downloads included" in text
    assert "other: extra 11, pages 7, / 5 bytes" in text


def test_developments_fall_back_to_events_json(tmp_path: Path) -> None:
    put(tmp_path, "data/events.json", json.dumps([{"id": "a"}, {"id": "b"}]))
    assert sizes.developments(tmp_path) == 2
    assert sizes.developments(tmp_path / "nothing") == 0


SEARCH_HTML = """<!doctype html><html><head>
<link rel="stylesheet" href="theme/css/site.css">
<link rel="icon" href="theme/favicon.png">
<script src="search/index.js" defer></script>
<script src="theme/js/search.js" defer></script>
<script src="https://cdn.example/x.js"></script>
<script src="theme/js/missing.js"></script>
<script>inline()</script>
</head><body><img src="theme/logo.svg" alt=""><a href="regions/a/index.html">a</a>
</body></html>"""


def test_first_load_counts_the_page_and_what_it_names_directly(tmp_path: Path) -> None:
    put(tmp_path, "search.html", SEARCH_HTML)
    put(tmp_path, "theme/css/site.css", 40)
    put(tmp_path, "theme/favicon.png", 1000)  # an icon is not a stylesheet: not counted
    put(tmp_path, "search/index.js", 5000)
    put(tmp_path, "theme/js/search.js", 300)
    put(tmp_path, "theme/logo.svg", 20)
    put(tmp_path, "regions/a/index.html", 700)  # a link is not loaded
    page = len(SEARCH_HTML.encode())
    assert sizes.first_load(tmp_path, loads=lambda output, query: []) == page + 5360


def test_first_load_adds_the_files_a_query_loads_once_each(tmp_path: Path) -> None:
    """A sharded index: the page names a manifest; the plug names the manifest again (counted
    once) and the shard for the query; files outside the output or missing count nothing."""
    html = '<script src="search/manifest.js"></script><script src="theme/js/search.js"></script>'
    put(tmp_path, "out/search.html", html)
    put(tmp_path, "out/search/manifest.js", 64)
    put(tmp_path, "out/search/shard-wa.js", 900)
    put(tmp_path, "out/search/shard-zz.js", 5000)
    put(tmp_path, "out/theme/js/search.js", 300)
    put(tmp_path, "secret.js", 10_000)
    asked: list[str] = []

    def loads(output: Path, query: str) -> list[str]:
        asked.append(query)
        return ["search/manifest.js", "search/shard-wa.js", "../secret.js", "search/gone.js"]

    total = sizes.first_load(tmp_path / "out", query="water", loads=loads)
    assert total == len(html) + 64 + 900 + 300
    assert asked == ["water"]


def test_first_load_without_a_search_page_is_zero(tmp_path: Path) -> None:
    assert sizes.first_load(tmp_path, loads=lambda output, query: ["x"]) == 0


def test_tree_rss_sums_a_process_and_its_children() -> None:
    if not Path("/proc/self/stat").is_file():
        pytest.skip("needs /proc")
    mine = run.tree_rss(os.getpid())
    assert mine > 1024 * 1024  # a Python process holds more than a MiB
    assert run.tree_rss(os.getppid()) >= mine  # the parent's tree holds this process
    assert run.tree_rss(2**31 - 1) == 0  # no such process


def test_kinds_keep_the_table_order_and_refuse_unknown_names() -> None:
    assert run.parse_kinds("serve, cold,full") == ("cold", "full", "serve")
    with pytest.raises(argparse.ArgumentTypeError):
        run.parse_kinds("cold,hot")


def test_summary_and_table_without_a_baseline() -> None:
    runs = {
        "cold": [run.Run(2.0, 3.0, 100.0, 10, 12, tree_mib=150.0)],
        "full": [run.Run(3.0, 4.0, 110.0, 11, 14, tree_mib=None)],
    }
    figures = run.summary(runs, 1000)
    assert figures["cold"]["vs_baseline"] is None
    assert figures["cold"]["ms_per_article"] == 2.0
    assert figures["cold"]["peak_tree_mib"] == 150.0 and figures["full"]["peak_tree_mib"] is None
    text = run.table(figures, 1000, 1, 1, "code")
    cold_row = next(line for line in text.splitlines() if line.startswith("cold "))
    assert cold_row.split()[3] == "-" and cold_row.split()[-1] == "150"
    assert "baseline" not in text and "full: 3.0 ms per article" in text


def test_parts_show_where_inside_a_family_the_bytes_are(site: Path) -> None:
    parts = sizes.by_folder(site, depth=2)
    assert parts["regions/a"] == 300 and parts["regions/b.html"] == 100
    assert parts["download/timeline-site.zip"] == 250 and parts["/"] == 5
    assert sum(parts.values()) == sum(sizes.by_folder(site).values())
    figures = {**sizes.report(site, loads=lambda output, query: []), "by_part": parts}
    text = "\n".join(sizes.part_lines(figures, least=0.2))
    assert "regions/a " in text and "download/timeline-site.zip " in text
    assert "regions/(rest)" in text and "days/2024-01-01.html" not in text
