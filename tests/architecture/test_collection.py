"""Every test file is collected by `make test` (pytest skips folders named like `build` by
default: tests/build, the engine's tests, once ran only when named)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_make_test_collects_every_test_file() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    collected = {line.split("::", 1)[0] for line in done.stdout.splitlines() if "::" in line}
    files = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "tests").rglob("test_*.py")
        if "fixtures" not in path.relative_to(REPO / "tests").parts
    }
    assert "tests/build/test_incremental.py" in files
    assert files - collected == set()
