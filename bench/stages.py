"""Where one build's time goes: its stages and longest jobs, in every process, on one timeline.

    BENCH_CONTENT=DIR BENCH_OUTPUT=DIR TIMELINE_CACHE_DIR=DIR [BENCH_DOWNLOAD_ZIP=1] \\
        .venv/bin/python bench/stages.py [--settings bench/benchconf.py] [--longer-than 0.05]

Runs `generator build` in this process with timers around the pipeline's stages (reading the
model, the engine, Pelican's generators, declaring, rendering, finishing) and around each job
the engine runs (a page, a task), here and in the processes it forks. Prints, when the build
is done, one line per stage or job longer than `--longer-than` seconds: the process, when it
started (seconds since this script started) and how long it took, in the order they started.
A cold or warm build is whatever the output and cache folders hold: run it twice for a warm
one (after `synth.py --edit`, for a build after one edit). Timers cost little; the figures are
those of a normal build within a few percent (compare `make bench`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]
STARTED = time.perf_counter()


def timed(owner: Any, name: str, label: Callable[..., str], report: Any) -> None:
    """Wrap `owner.name` so each call longer than the threshold is reported."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            report(began, time.perf_counter() - began, label(*args))

    setattr(owner, name, wrapper)


def job_label(engine: Any, job: Any) -> str:
    page = getattr(job, "page", None)
    if page is not None:
        return f"page {page.name}"
    run = getattr(job, "run", None)
    run = getattr(run, "func", run)  # a partial: the function it calls
    return f"task {getattr(run, '__qualname__', type(job).__name__)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default=str(HERE / "benchconf.py"))
    parser.add_argument("--longer-than", type=float, default=0.05, metavar="SECONDS")
    args = parser.parse_args(argv)
    # Forked processes end with os._exit: each writes its lines at once, appended to one file.
    with tempfile.TemporaryFile(mode="a+b") as log:

        def report(began: float, seconds: float, label: str) -> None:
            if seconds >= args.longer_than:
                line = f"{os.getpid():>7} {began - STARTED:8.3f} +{seconds:7.3f}  {label}\n"
                os.write(log.fileno(), line.encode())

        try:
            return run_timed(args.settings, report)
        finally:
            report(STARTED, time.perf_counter() - STARTED, "[whole build]")
            log.seek(0)
            lines = log.read().decode().splitlines(keepends=True)
            lines.sort(key=lambda line: float(line.split()[1]))
            sys.stdout.write("    pid    start  seconds  what\n")
            sys.stdout.writelines(lines)


def run_timed(settings: str, report: Callable[[float, float, str], None]) -> int:
    """`generator build` with its stages and jobs timed."""
    import generator.build.engine as engine
    import generator.build.staging as staging
    import generator.pipeline as pipeline
    import generator.plugin.pages as pages
    from generator.cli import main as generator_main

    for stage in ("read_model", "start_engine", "pelican_generators"):
        timed(pipeline, stage, lambda *_, s=stage: f"[{s}]", report)
    for method in ("start_tasks", "render", "finish"):
        timed(engine.Engine, method, lambda *_, m=method: f"[{m}]", report)
    timed(engine.Engine, "_run", job_label, report)
    timed(
        staging.StagedOutput,
        "start_previous",
        lambda *_: "[start linking last build's files]",
        report,
    )
    timed(staging.StagedOutput, "previous", lambda *_: "[wait for the links]", report)
    timed(staging.StagedOutput, "commit", lambda *_: "[swap the new tree in]", report)
    timed(pages.TimelinePagesGenerator, "generate_output", lambda *_: "[declare]", report)
    report(STARTED, time.perf_counter() - STARTED, "[imports]")
    return generator_main(["build", "--settings", settings]) or 0


if __name__ == "__main__":
    raise SystemExit(main())
