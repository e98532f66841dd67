"""bench/stages.py: one build of the demo content, its stages and jobs timed in every process
it forks, printed in the order they started."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_timeline_names_the_stages_and_the_forked_processes_jobs(tmp_path: Path) -> None:
    settings = tmp_path / "settings.py"  # the bench's settings with two workers, downloads on
    settings.write_text(
        "import runpy\n"
        f"bench = runpy.run_path({str(REPO / 'bench' / 'benchconf.py')!r})\n"
        "globals().update({k: v for k, v in bench.items() if k.isupper()})\n"
        "TIMELINE_WORKERS = 2\n"
    )
    env = {
        **os.environ,
        "BENCH_CONTENT": str(REPO / "content"),
        "BENCH_OUTPUT": str(tmp_path / "output"),
        "TIMELINE_CACHE_DIR": str(tmp_path / "cache"),
        "BENCH_DOWNLOAD_ZIP": "1",
    }
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "stages.py"), "--settings", str(settings),
         "--longer-than", "0"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    built, _, table = done.stdout.partition("    pid    start  seconds  what\n")
    assert built.startswith("built ") and table  # the build's own line, then the table
    lines = table.splitlines()
    rows = [re.fullmatch(r"\s*(\d+)\s+([\d.]+)\s+\+\s*([\d.]+)\s+(.+)", line) for line in lines]
    assert all(rows), lines
    what = [row[4] for row in rows if row]
    for stage in (
        "[imports]",
        "[read_model]",
        "[declare]",
        "[render]",
        "[finish]",
        "[whole build]",
    ):
        assert stage in what
    assert "page index.html" in what and "task SearchPage._write_index" in what
    starts = [float(row[2]) for row in rows if row]
    assert starts == sorted(starts)
    assert len({row[1] for row in rows if row}) >= 2  # a forked process reported its jobs
    assert (tmp_path / "output" / "index.html").is_file()
