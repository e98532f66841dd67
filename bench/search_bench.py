"""Search at scale: N synthetic articles (bench/synth.py), built with the project; prints the
search index's size (all its files, raw and gzip), what the search page loads before its first
results and how fast headless Chromium shows them.

    .venv/bin/python bench/search_bench.py                  # 5,000 articles
    .venv/bin/python bench/search_bench.py --articles 1000 --reuse --json /tmp/search.json
    .venv/bin/python bench/search_bench.py --articles 20000 --index-only

--index-only skips the full build: it builds the demo site (content/) for its search page and
theme, then writes the search index of the N-article content in its place (the same function
the build calls), which takes a minute at 20,000 articles instead of a full build.

Budgets (issue #15): at most 2.5 MB loaded from file:// before the first results, first
results within 200 ms of Enter at 20,000 articles. Times are measured inside the page with
performance.now(): "first" runs from the form's submit (Enter) until the first results are
in the DOM (the term shards and the rows they need loaded as scripts); "+frame" also waits
for the next animation frame. "cold" is the first query of a freshly loaded page (no shard
loaded yet; the median of --repeat fresh pages, the machine being shared); "warm" the best of
3 repeats (shards loaded). The page is opened from file:// as
a reader of the downloaded copy would.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUDGET_BYTES = 2.5 * 1000 * 1000
BUDGET_MS = 200.0

RUN_QUERY = """async ([q, region, speaker, from, to]) => {
  const form = document.getElementById("search-form");
  const set = (name, value) => { form.elements[name].value = value; };
  set("region", region); set("speaker", speaker); set("from", from); set("to", to); set("q", q);
  const shown = new Promise(done => {
    const seen = new MutationObserver(() => {
      const state = form.getAttribute("data-results");
      if (state === "shown" || state === "done") { seen.disconnect(); done(); }
    });
    seen.observe(form, {attributes: true, attributeFilter: ["data-results"]});
  });
  const started = performance.now();
  form.requestSubmit();
  await shown;
  const handled = performance.now() - started;
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  const last = window.TIMELINE_SEARCH_LAST;
  return {handled, frame: performance.now() - started, count: last.count,
          loaded: last.loaded, shown: document.querySelectorAll("#search-results li").length};
}"""


def run(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def manifest(site: Path) -> dict[str, Any]:
    text = (site / "search" / "index.js").read_bytes()
    data: dict[str, Any] = json.loads(text[text.index(b"{") : text.rindex(b"}") + 1])
    return data


def queries(site: Path) -> list[tuple[str, list[str]]]:
    """From the index itself (--index-only: the pages are the demo's, the index is not)."""
    data = manifest(site)
    regions = data["regions"]  # [id, name, parent, aliases, kind]
    parents = {r[2] for r in regions}
    region_at = next(i for i, r in enumerate(regions) if r[2] >= 0 and i in parents)
    region = regions[region_at]
    town = next(r for r in regions if r[2] == region_at)
    quotes_by: dict[int, int] = {}
    first_quote = sum(data["counts"][:4])
    for n, (first, _) in enumerate(data["docShards"]):
        shard = (site / data["urls"]["docs"].format(n=n)).read_text(encoding="utf-8")
        rows = json.loads(shard[shard.index("[") : shard.rindex("]") + 1])
        for number, row in enumerate(rows, start=first):
            if number >= first_quote:
                quotes_by[row[3]] = quotes_by.get(row[3], 0) + 1
    speaker = data["speakers"][max(quotes_by, key=lambda s: (quotes_by[s], -s))]
    day, days = 0, []
    for gap, _ in zip(data["days"][3][0::2], data["days"][3][1::2], strict=True):
        day += gap
        days.append(str(date(1970, 1, 1) + timedelta(days=day)))
    middle = days[len(days) // 2]
    last_name = speaker[1].split()[-1]
    return [
        ("one letter 's'", ["s", "", "", "", ""]),
        ("prefix 'sh'", ["sh", "", "", "", ""]),
        ("common word 'shelling'", ["shelling", "", "", "", ""]),
        ("two words 'power lines'", ["power lines", "", "", "", ""]),
        ("phrase '\"power lines\"'", ['"power lines"', "", "", "", ""]),
        (f"speaker name '{last_name}'", [last_name, "", "", "", ""]),
        (f"town '{town[1]}'", [town[1], "", "", "", ""]),
        (f"region filter {region[0]} (with descendants)", ["", region[0], "", "", ""]),
        (f"speaker filter {speaker[0]}", ["", "", speaker[0], "", ""]),
        (f"date range {middle}..{middle}", ["", "", "", middle, middle]),
        (
            "'the' + region + 90 days",
            ["the", region[0], "", days[0], days[min(89, len(days) - 1)]],
        ),
    ]


def browser_times(site: Path, repeat: int) -> tuple[float, list[dict[str, Any]]]:
    from playwright.sync_api import sync_playwright

    url = (site / "search.html").as_uri()
    results = []
    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        opened: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: opened.append(request.url))
        for label, args in queries(site):
            colds = []
            for _ in range(repeat):  # a fresh page each time: nothing loaded yet
                opened.clear()
                page.goto(url)
                page.wait_for_selector("#search-form[data-ready='true']", timeout=60_000)
                loads.append(page.evaluate("window.TIMELINE_SEARCH_READY_MS"))
                # the page, its theme files and the manifest (shards: those the query loaded;
                # a previous page's unfinished loads may still be reported after `clear`)
                page_files = {Path(unquote(urlsplit(u).path)) for u in opened}
                page_files = {f for f in page_files if f.parent != site / "search"}
                page_files.add(site / "search" / "index.js")
                colds.append(page.evaluate(RUN_QUERY, args))
            cold = sorted(colds, key=lambda r: r["handled"])[len(colds) // 2]  # the median
            shards = {site / name for name in cold["loaded"]}
            warm = []
            for _ in range(3):
                page.evaluate(RUN_QUERY, ["zzzz", "", "", "", ""])
                warm.append(page.evaluate(RUN_QUERY, args))
            best = min(warm, key=lambda r: r["handled"])
            results.append(
                {
                    "query": label,
                    "count": cold["count"],
                    "shown": cold["shown"],
                    "first_load_bytes": sum(f.stat().st_size for f in page_files | shards),
                    "files": len(shards),
                    "cold_ms": cold["handled"],
                    "cold_frame_ms": cold["frame"],
                    "warm_ms": best["handled"],
                    "warm_frame_ms": best["frame"],
                }
            )
        browser.close()
        if errors:
            raise SystemExit(f"page errors: {errors}")
    return sorted(loads)[len(loads) // 2], results


def index_only(content: Path, output: Path) -> float:
    """The demo site's pages with the search index of `content` in place of its own."""
    sys.path.insert(0, str(ROOT))
    from generator.pipeline import check, load_settings
    from generator.render.search import build_index, index_files

    run([sys.executable, "-m", "generator", "build", "--content", "content", "--output",
         str(output), "--no-download-zip"])  # fmt: skip
    settings = load_settings(
        ROOT / "pelicanconf.py", {"PATH": str(content), "CACHE_PATH": str(output.parent / "cache")}
    )
    site = check(settings)
    started = time.perf_counter()
    files = index_files(build_index(site))
    made = time.perf_counter() - started
    for old in (output / "search").glob("*.js"):
        old.unlink()
    for name, text in files.items():
        (output / name).write_text(text, encoding="utf-8")
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".work" / "search")
    parser.add_argument(
        "--reuse", action="store_true", help="keep content and output already in --work for this N"
    )
    parser.add_argument(
        "--index-only", action="store_true", help="build the search index only (see above)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="cold runs of each query (the median is shown)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    content = args.work / f"content-{args.articles}"
    output = args.work / f"output-{args.articles}{'-index' if args.index_only else ''}"
    python = sys.executable
    figures: dict[str, Any] = {"articles": args.articles}
    if not (args.reuse and (content / "regions.yaml").is_file()):
        run([python, "bench/synth.py", "--articles", str(args.articles), "--out", str(content),
             "--force"])  # fmt: skip
    if not (args.reuse and (output / "search" / "index.js").is_file()):
        if args.index_only:
            figures["index_s"] = round(index_only(content, output), 1)
        else:
            figures["build_s"] = round(
                run(
                    [python, "-m", "generator", "build", "--settings", "bench/benchconf.py"],
                    {"BENCH_CONTENT": str(content), "BENCH_OUTPUT": str(output)},
                ),
                1,
            )
    files = sorted((output / "search").glob("*.js"))
    raw = [f.read_bytes() for f in files]
    data = manifest(output)
    figures.update(
        {
            "documents": sum(data["counts"]),
            "events": data["counts"][3],
            "quotes": data["counts"][4],
            "files": len(files),
            "manifest_bytes": (output / "search" / "index.js").stat().st_size,
            "index_raw_bytes": sum(len(r) for r in raw),
            "index_gzip6_bytes": sum(len(gzip.compress(r, 6)) for r in raw),
        }
    )
    figures["ready_ms_median"], figures["queries"] = browser_times(output, args.repeat)

    mb = 1000 * 1000
    print(
        f"\nsearch index at {args.articles:,} articles: {figures['documents']:,} documents "
        f"({figures['events']:,} developments, {figures['quotes']:,} quotes)"
    )
    print(
        f"  search/: {figures['files']:,} files, {figures['index_raw_bytes'] / mb:.2f} MB raw "
        f"({figures['index_gzip6_bytes'] / mb:.2f} MB gzip -6), of which the manifest "
        f"search/index.js {figures['manifest_bytes'] / 1000:.0f} kB"
    )
    print(
        f"  page ready (manifest parsed, form filled) after {figures['ready_ms_median']:.0f} ms "
        "(median, from navigation start, file://)"
    )
    print(
        f"\n  {'query':<44} {'results':>8} {'loaded kB':>9} {'files':>5} {'first ms':>8} "
        f"{'+frame':>7} {'warm ms':>8}"
    )
    for r in figures["queries"]:
        print(
            f"  {r['query'][:44]:<44} {r['count']:>8,} {r['first_load_bytes'] / 1000:>9,.0f} "
            f"{r['files']:>5} {r['cold_ms']:>8.1f} {r['cold_frame_ms']:>7.1f} {r['warm_ms']:>8.1f}"
        )
    worst = max(r["cold_ms"] for r in figures["queries"])
    most = max(r["first_load_bytes"] for r in figures["queries"])
    ok_size = most <= BUDGET_BYTES
    ok_time = worst < BUDGET_MS
    print(
        f"\n  budget: most loaded before first results {most / mb:.2f} MB "
        f"({'OK' if ok_size else 'OVER'} <= {BUDGET_BYTES / mb:.1f} MB); slowest first results "
        f"{worst:.1f} ms ({'OK' if ok_time else 'OVER'} < {BUDGET_MS:.0f} ms)"
    )
    for key, what in (("build_s", "build"), ("index_s", "search index")):
        if key in figures:
            print(f"  ({what} took {figures[key]} s wall time)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0 if ok_size and ok_time else 1


if __name__ == "__main__":
    sys.exit(main())
