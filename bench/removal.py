"""How long removing an old output tree takes with 1, 2, 4, 8 and 16 threads (REMOVERS in
generator/build/staging.py): the end of every build swaps the new tree in and removes the old.

    .venv/bin/python bench/removal.py OUTPUT [--rounds 3]

Each round links a copy of OUTPUT (`cp -al`, as the build's staging folder holds links to
the last build's files) beside it and times `_remove_tree` on it. Prints one line per
thread count: the times of its rounds and their median.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from generator.build import staging  # noqa: E402  (bench/ is a folder of scripts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="*", default=[1, 2, 4, 8, 16])
    args = parser.parse_args()
    copy = args.output.parent / f".{args.output.name}.removal-bench"
    for threads in args.threads:
        times = []
        for _ in range(args.rounds):
            subprocess.run(["cp", "-al", str(args.output), str(copy)], check=True)
            staging.REMOVERS = threads
            began = time.perf_counter()
            staging._remove_tree(copy)
            times.append(time.perf_counter() - began)
        shown = " ".join(f"{t:.3f}" for t in times)
        print(f"{threads:>3} threads: {shown}  median {statistics.median(times):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
