"""Builds after one edit by this checkout and by another (an older commit, a branch),
alternated on the same edits: for a change smaller than this VM's noise between two `make
bench` runs (the same build measured minutes apart differs by 5-10 %).

    git worktree add /tmp/before <commit> && ln -s "$PWD/.venv" /tmp/before/.venv
    .venv/bin/python bench/compare.py /tmp/before [--articles 5000] [--edits 6] [--downloads]

Each side builds its own copy of the content (bench/.work/content-N, made by synth.py as `make
bench` makes it, or --content) into its own output and cache (<--work>/compare-<side>/, by
default in bench/.work), cold once and untimed; then, for each edit, both copies get the
same edit (synth.py --edit, one seed per round) and both rebuild, the order alternating each
round. Prints every build's wall and CPU seconds, then the medians and their difference.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from run import (  # noqa: E402  (bench/ is a folder of scripts, not a package)
    CACHE_ENV,
    DOWNLOADS_ENV,
    PYTHON,
    ROOT,
    SYNTH,
    WORK,
    check,
    ensure_content,
    measure,
)


def build(checkout: Path, where: Path, downloads: bool) -> tuple[float, float]:
    """Wall and CPU seconds of one build by `checkout`'s code (run from its folder, so that
    `python -m generator` imports its package) of the content in `where`."""
    env = {
        **os.environ,
        "BENCH_CONTENT": str(where / "content"),
        "BENCH_OUTPUT": str(where / "output"),
        CACHE_ENV: str(where / "cache"),
        DOWNLOADS_ENV: "1" if downloads else "",
    }
    python = checkout / ".venv" / "bin" / "python"
    command: list[str | Path] = [
        python if python.exists() else PYTHON,
        "-m",
        "generator",
        "build",
        "--settings",
        checkout / "bench" / "benchconf.py",
    ]
    wall, cpu, _, _ = measure(command, env, cwd=checkout)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (a git worktree)")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1, help="the content's seed")
    parser.add_argument("--downloads", action="store_true", help="build the offline downloads")
    parser.add_argument("--content", type=Path, help="a content folder (default: synth.py's)")
    parser.add_argument("--work", type=Path, default=WORK, help="where the copies are built")
    args = parser.parse_args(argv)
    other = args.other.resolve()
    if not (other / "generator").is_dir():
        parser.error(f"{other} is not a checkout of this project")
    content = args.content or ensure_content(args.articles, args.seed)
    sides = {"this": ROOT, "other": other}
    places = {name: args.work / f"compare-{name}" for name in sides}
    for name, checkout in sides.items():
        shutil.rmtree(places[name], ignore_errors=True)
        shutil.copytree(content, places[name] / "content")
        build(checkout, places[name], args.downloads)  # cold: not timed
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    print(f"content {content}, downloads {'on' if args.downloads else 'off'}; other: {other}")
    for round_ in range(args.edits):
        order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
        for name in sides:
            check([PYTHON, SYNTH, "--edit", places[name] / "content", "--seed", str(100 + round_)])
        for name in order:
            wall, cpu = build(sides[name], places[name], args.downloads)
            times[name].append((wall, cpu))
            print(f"edit {round_ + 1}: {name:5}  wall {wall:6.2f} s  cpu {cpu:6.2f} s", flush=True)
    medians = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in times.items()
    }
    for name, (wall, cpu) in medians.items():
        print(f"median {name:5}  wall {wall:6.2f} s  cpu {cpu:6.2f} s")
    (this_wall, this_cpu), (other_wall, other_cpu) = medians["this"], medians["other"]
    print(
        f"this - other: wall {this_wall - other_wall:+.2f} s ({this_wall / other_wall - 1:+.1%}),"
        f" cpu {this_cpu - other_cpu:+.2f} s ({this_cpu / other_cpu - 1:+.1%})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
