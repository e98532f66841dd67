"""Search at scale: N synthetic articles (bench/synth.py), built with the project; prints the
search index's size (raw and gzip) and how fast headless Chromium shows first results.

    .venv/bin/python bench/search_bench.py                  # 5,000 articles
    .venv/bin/python bench/search_bench.py --articles 1000 --reuse --json /tmp/search.json

Budgets (the issue): index <= 1.5 MB gzip and first results < 100 ms at 5,000 articles.
Times are measured inside the page with performance.now(): "search+render" wraps the input
event handler (query normalisation, postings, filters, sorting, the first 50 results in the
DOM); "to frame" also waits for the next animation frame. "cold" is the first query of a
freshly loaded page (no postings decoded yet); "warm" the best of 3 repeats. The page is
opened from file:// as a reader of the downloaded copy would.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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
BUDGET_GZIP = 1.5 * 1024 * 1024
BUDGET_MS = 100.0

RUN_QUERY = """async ([q, region, speaker, from, to]) => {
  const form = document.getElementById("search-form");
  const set = (name, value) => { form.elements[name].value = value; };
  set("region", region); set("speaker", speaker); set("from", from); set("to", to);
  const input = form.elements.q;
  const started = performance.now();
  input.value = q;
  input.dispatchEvent(new Event("input"));
  const handled = performance.now() - started;
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return {handled, frame: performance.now() - started,
          count: window.TIMELINE_SEARCH_LAST.count,
          shown: document.querySelectorAll("#search-results > li").length};
}"""


def run(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def queries(site: Path) -> list[tuple[str, list[str]]]:
    data = json.loads((site / "data" / "site.json").read_text(encoding="utf-8"))
    parents = {r["parent"] for r in data["regions"]}
    region = next(r for r in data["regions"] if r["parent"] is not None and r["id"] in parents)
    town = next(r for r in data["regions"] if r["parent"] == region["id"])
    speaker = max(data["speakers"], key=lambda s: s["quotes"])
    days = [d["date"] for d in data["days"]]
    middle = days[len(days) // 2]
    last_name = speaker["name"].split()[-1]
    return [
        ("one letter 's'", ["s", "", "", "", ""]),
        ("prefix 'sh'", ["sh", "", "", "", ""]),
        ("common word 'shelling'", ["shelling", "", "", "", ""]),
        ("two words 'power lines'", ["power lines", "", "", "", ""]),
        (f"speaker name '{last_name}'", [last_name, "", "", "", ""]),
        (f"town '{town['name']}'", [town["name"], "", "", "", ""]),
        (f"region filter {region['id']} (with descendants)", ["", region["id"], "", "", ""]),
        (f"speaker filter {speaker['id']}", ["", "", speaker["id"], "", ""]),
        (f"date range {middle}..{middle}", ["", "", "", middle, middle]),
        (
            "'the' + region + 90 days",
            ["the", region["id"], "", days[0], days[min(89, len(days) - 1)]],
        ),
    ]


def browser_times(site: Path) -> tuple[float, list[dict[str, Any]]]:
    from playwright.sync_api import sync_playwright

    url = (site / "search.html").as_uri()
    results = []
    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for label, args in queries(site):
            page.goto(url)
            page.wait_for_selector("#search-form[data-ready='true']", timeout=60_000)
            loads.append(page.evaluate("window.TIMELINE_SEARCH_READY_MS"))
            cold = page.evaluate(RUN_QUERY, args)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".work" / "search")
    parser.add_argument(
        "--reuse", action="store_true", help="keep content and output already in --work for this N"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    content = args.work / f"content-{args.articles}"
    output = args.work / f"output-{args.articles}"
    python = sys.executable
    figures: dict[str, Any] = {"articles": args.articles}
    if not (args.reuse and (content / "regions.yaml").is_file()):
        run(
            [
                python,
                "bench/synth.py",
                "--articles",
                str(args.articles),
                "--out",
                str(content),
                "--force",
            ]
        )
    if not (args.reuse and (output / "search" / "index.js").is_file()):
        figures["build_s"] = round(
            run(
                [python, "-m", "generator", "build", "--settings", "bench/benchconf.py"],
                {"BENCH_CONTENT": str(content), "BENCH_OUTPUT": str(output)},
            ),
            1,
        )
    index = (output / "search" / "index.js").read_bytes()
    data = json.loads(index[index.index(b"{") : index.rindex(b"}") + 1])
    figures.update(
        {
            "documents": sum(
                len(data[k]) for k in ("regions", "speakers", "articles", "events", "quotes")
            ),
            "events": len(data["events"]),
            "quotes": len(data["quotes"]),
            "terms": len(data["terms"]),
            "index_raw_bytes": len(index),
            "index_gzip6_bytes": len(gzip.compress(index, 6)),
            "index_gzip9_bytes": len(gzip.compress(index, 9)),
        }
    )
    figures["ready_ms_median"], figures["queries"] = browser_times(output)

    mb = 1024 * 1024
    print(
        f"\nsearch index at {args.articles:,} articles: {figures['documents']:,} documents "
        f"({figures['events']:,} developments, {figures['quotes']:,} quotes), "
        f"{figures['terms']:,} distinct words"
    )
    print(
        f"  search/index.js: {figures['index_raw_bytes'] / mb:.2f} MB raw, "
        f"{figures['index_gzip6_bytes'] / mb:.2f} MB gzip -6, "
        f"{figures['index_gzip9_bytes'] / mb:.2f} MB gzip -9 (budget 1.50 MB gzip)"
    )
    print(
        f"  page ready (index parsed, form filled) after {figures['ready_ms_median']:.0f} ms "
        "(median, from navigation start, file://)"
    )
    print(f"\n  {'query':<48} {'results':>8} {'cold ms':>8} {'+frame':>7} {'warm ms':>8}")
    for r in figures["queries"]:
        print(
            f"  {r['query'][:48]:<48} {r['count']:>8,} {r['cold_ms']:>8.1f} "
            f"{r['cold_frame_ms']:>7.1f} {r['warm_ms']:>8.1f}"
        )
    worst = max(r["cold_frame_ms"] for r in figures["queries"])
    ok_size = figures["index_gzip6_bytes"] <= BUDGET_GZIP
    ok_time = worst < BUDGET_MS
    print(
        f"\n  budget: index {'OK' if ok_size else 'OVER'}; slowest first results "
        f"{worst:.1f} ms to frame ({'OK' if ok_time else 'OVER'} < {BUDGET_MS:.0f} ms)"
    )
    if "build_s" in figures:
        print(f"  (build took {figures['build_s']} s wall time)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0 if ok_size and ok_time else 1


if __name__ == "__main__":
    sys.exit(main())
