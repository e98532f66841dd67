"""Deterministic output: two builds of the same content, each in its own interpreter, differing
in everything that should not matter — hash seed, working directory, content and output
location, the order the content files were created in, TZ, and the clock (with `faketime` when
it is installed) — give byte-identical trees, and no page or feed shows when it was built."""

from __future__ import annotations

import datetime
import filecmp
import os
import shutil
from pathlib import Path

import pytest

from .conftest import SPEC_CONTENT, XSS_CONTENT, build_subprocess

FAKETIME = shutil.which("faketime")
FAKE_NOW = "2031-07-15 23:59:00"


def _need_faketime() -> None:
    if FAKETIME:
        return
    if os.environ.get("CI"):
        pytest.fail("faketime is missing: .ci/run installs it")
    pytest.skip("faketime is not installed (apt-get install faketime): clock not faked")


def _copy(source: Path, target: Path, *, reverse: bool) -> Path:
    """Copy a content folder creating files (and folders) in sorted or reverse order."""
    entries = sorted(source.rglob("*"), reverse=reverse)
    for entry in sorted((e for e in entries if e.is_dir()), key=lambda e: len(e.parts)):
        (target / entry.relative_to(source)).mkdir(parents=True, exist_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        if entry.is_file():
            shutil.copyfile(entry, target / entry.relative_to(source))
    return target


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(comparison: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + n for n in (*comparison.left_only, *comparison.right_only))
        _, mismatch, errors = filecmp.cmpfiles(
            comparison.left, comparison.right, comparison.common_files, shallow=False
        )
        found.extend(prefix + n for n in (*mismatch, *errors))
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


@pytest.mark.parametrize("source", [SPEC_CONTENT, XSS_CONTENT], ids=["spec_site", "xss_site"])
def test_builds_are_byte_identical_across_processes(tmp_path: Path, source: Path) -> None:
    runs = [
        {
            "where": tmp_path / "a",
            "seed": "1",
            "tz": "UTC",
            "reverse": False,
            "clock": None,
            "output": "output",
        },
        {
            "where": tmp_path / "b" / "deeper",
            "seed": "4242",
            "tz": "Pacific/Kiritimati",
            "reverse": True,
            "clock": FAKE_NOW,
            "output": "site",
        },
    ]
    outputs = []
    for run in runs:
        where: Path = run["where"]  # type: ignore[assignment]
        content = _copy(source, where / "content", reverse=bool(run["reverse"]))
        (where / "cwd").mkdir()
        output = where / str(run["output"])
        prefix = (FAKETIME, str(run["clock"])) if run["clock"] and FAKETIME else ()
        done = build_subprocess(
            content,
            output,
            cwd=where / "cwd",
            prefix=prefix,
            env={
                "PYTHONHASHSEED": str(run["seed"]),
                "TZ": str(run["tz"]),
                "TIMELINE_CACHE_DIR": "",
                "SOURCE_DATE_EPOCH": "",
            },
        )
        assert done.returncode == 0, done.stderr[-3000:]
        outputs.append(output)
    assert _differences(*outputs) == []
    assert _tree(outputs[0]) == _tree(outputs[1])


def test_no_build_time_in_any_file(tmp_path: Path) -> None:
    """Built under a fake clock (2031): the year and today's date appear nowhere."""
    _need_faketime()
    content = _copy(SPEC_CONTENT, tmp_path / "content", reverse=False)
    (tmp_path / "cwd").mkdir()
    output = tmp_path / "output"
    done = build_subprocess(
        content,
        output,
        cwd=tmp_path / "cwd",
        prefix=(FAKETIME, FAKE_NOW),
        env={"TIMELINE_CACHE_DIR": ""},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    today = datetime.date.today().isoformat()
    text_files = {n: d for n, d in _tree(output).items() if not n.endswith(".zip")}
    assert text_files
    found = [name for name, data in text_files.items() if b"2031" in data or today.encode() in data]
    assert found == []


def test_the_clock_is_really_faked(tmp_path: Path) -> None:
    """Guards the test above: under faketime the interpreter sees 2031."""
    _need_faketime()
    import subprocess
    import sys

    done = subprocess.run(
        [
            FAKETIME,
            FAKE_NOW,
            sys.executable,
            "-c",
            "import datetime; print(datetime.date.today().year)",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == "2031"


def test_zip_entries_carry_no_build_time(tmp_path: Path) -> None:
    import zipfile

    _need_faketime()
    content = _copy(SPEC_CONTENT, tmp_path / "content", reverse=False)
    (tmp_path / "cwd").mkdir()
    output = tmp_path / "output"
    done = build_subprocess(
        content,
        output,
        cwd=tmp_path / "cwd",
        prefix=(FAKETIME, FAKE_NOW),
        env={"TIMELINE_CACHE_DIR": ""},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    archives = list(output.rglob("*.zip"))
    for archive in archives:
        with zipfile.ZipFile(archive) as zipped:
            years = {info.date_time[0] for info in zipped.infolist()}
        assert 2031 not in years and datetime.date.today().year not in years, archive


def test_day_and_month_names_do_not_follow_the_locale() -> None:
    """Pelican sets the process locale from LOCALE (default: the environment's), so strftime's
    %A/%B/%a/%b would make a build depend on the machine: names come from fixed tables."""
    import re

    from generator.render.templating import template_globals

    from .conftest import REPO

    pattern = re.compile(r"strftime\([^)]*%[aAbBcxXp]")
    offenders = [
        p.relative_to(REPO).as_posix()
        for p in [*(REPO / "generator").rglob("*.py"), *(REPO / "theme" / "templates").rglob("*")]
        if p.is_file()
        and "__pycache__" not in p.parts  # compiled templates (build.compiled): not text
        and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    helpers = template_globals(__import__("zoneinfo").ZoneInfo("UTC"))
    assert helpers["long_day"](datetime.date(2023, 2, 13)) == "Monday, 13 February 2023"
    assert helpers["month_name"](datetime.date(2024, 12, 1)) == "December 2024"
