"""One rebuild as `make serve` does it, timed from inside the long-lived process.

    BENCH_CONTENT=DIR BENCH_OUTPUT=DIR TIMELINE_CACHE_DIR=DIR \\
        .venv/bin/python bench/resident.py [--seed 1]

Starts like the dev server on an already built site (one build in this process, not timed:
it reads the content cache), then edits one article (`synth.py --edit`) and times the
rebuild that follows, which is what a contributor waits for after saving a file. Prints one
JSON object: wall and CPU seconds of the rebuild (CPU of this process and the workers it
forked), peak RSS of this process, and files rewritten and changed by the rebuild.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from run import compare, snapshot  # noqa: E402
from synth import edit  # noqa: E402

from generator.build.resident import Memory  # noqa: E402
from generator.cli.build import build_resident  # noqa: E402


def cpu_seconds() -> float:
    own, workers = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    settings, output = HERE / "benchconf.py", Path(os.environ["BENCH_OUTPUT"])
    memory = Memory()
    if build_resident(settings, output, memory) != 0:
        return 1
    with open(os.devnull, "w") as quiet:  # synth prints the edited path
        stdout, sys.stdout = sys.stdout, quiet
        try:
            edit(Path(os.environ["BENCH_CONTENT"]), args.seed)
        finally:
            sys.stdout = stdout
    before, cpu, start = snapshot(output), cpu_seconds(), time.perf_counter()
    code = build_resident(settings, output, memory)
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    if code != 0:
        return 1
    rewritten, changed = compare(before, snapshot(output))
    print(
        json.dumps(
            {
                "seconds": wall,
                "cpu_seconds": cpu,
                "rewritten": rewritten,
                "changed": changed,
                "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
