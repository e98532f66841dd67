"""bench/compare.py: builds after the same edits by two checkouts, alternated, with medians."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_both_checkouts_rebuild_after_each_edit_and_the_medians_are_compared(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "synth.py"), "--articles", "12", "--out",
         str(content), "--seed", "3"],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "compare.py"), str(REPO), "--content",
         str(content), "--work", str(tmp_path / "work"), "--edits", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    builds = [line for line in lines if line.startswith("edit ")]
    # the order alternates: this, other, then other, this
    assert [line.split()[2] for line in builds] == ["this", "other", "other", "this"]
    assert all(re.search(r"wall +[\d.]+ s +cpu +[\d.]+ s$", line) for line in builds)
    assert [line.split()[1] for line in lines if line.startswith("median ")] == ["this", "other"]
    assert re.fullmatch(
        r"this - other: wall [+-][\d.]+ s \(.+\), cpu [+-][\d.]+ s \(.+\)", lines[-1]
    )
    copies = [tmp_path / "work" / f"compare-{side}" for side in ("this", "other")]
    for copy in copies:
        assert (copy / "output" / "index.html").is_file()
    texts = [
        {p.relative_to(c): p.read_bytes() for p in (c / "content").rglob("*.md")} for c in copies
    ]
    original = {p.relative_to(tmp_path): p.read_bytes() for p in content.rglob("*.md")}
    assert texts[0] == texts[1] != original  # the same edits, made to each side's own copy
