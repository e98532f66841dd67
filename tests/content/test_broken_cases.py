"""The hostile-input corpus: tests/cases/broken/<case>/ holds only what differs from
tests/cases/base/ (a tiny valid project), plus `expected.txt`: the exact `path:line:col: message`
lines `check` must print, paths relative to the project root (`content/...`); warnings among
them read `path:line:col: warning: message`. File names that Windows or macOS cannot check out
(`con.md`, two names differing only in case) are never committed: tests make them.

An optional `case.json` says what files cannot say:
  delete          paths of the base to remove
  symlinks        {link path: target as written in the link}: made by the test, not committed
  latin1_files    {path: text}: written as Latin-1 bytes (invalid UTF-8 on purpose)
  must_not_exist  paths that must still be absent after the check (a payload did not run)
  max_seconds     a loose wall-clock guard (alias bombs)
  extra_allowed   true: expected.txt is a subset (a broken registry also makes references
                  elsewhere unknown); by default the diagnostics must be exactly expected.txt
  positions_only  true: only each line's `path:line:col:` must match (for a known bug whose
                  fix will choose its own words)
  xfail           reason: a known bug in generator/ (strict: the test fails once it is fixed)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from generator.diagnostics import ContentError

from ..support import BASE, CASES, read_site

BROKEN = CASES / "broken"
DIAGNOSTIC = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
WARNING = re.compile(r"^[^:\s][^:]*:\d+:\d+: warning: ")
SUMMARY = re.compile(r"^(?P<count>\d+) content errors?; nothing was published$")
RESERVED = {"expected.txt", "case.json"}


def _meta(case: Path) -> dict[str, object]:
    file = case / "case.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}


def _params() -> list[object]:
    params = []
    for case in sorted(p for p in BROKEN.iterdir() if p.is_dir()):
        reason = _meta(case).get("xfail")
        marks = [pytest.mark.xfail(reason=str(reason), strict=True)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def materialize(case: Path | None, root: Path) -> Path:
    """base + the case's overlay in `root`; returns root/content."""
    shutil.copytree(BASE, root, dirs_exist_ok=True)
    if case is None:
        return root / "content"
    meta = _meta(case)
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or relative.as_posix() in RESERVED:
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for path in meta.get("delete", []):  # type: ignore[union-attr]
        (root / path).unlink()
    for path, text in meta.get("latin1_files", {}).items():  # type: ignore[union-attr]
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(text.encode("latin-1"))
    for link, target in meta.get("symlinks", {}).items():  # type: ignore[union-attr]
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)
    return root / "content"


def test_corpus_is_large_enough() -> None:
    assert len(_params()) >= 35


def test_every_case_has_expectations() -> None:
    for case in BROKEN.iterdir():
        lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines, case.name
        for line in lines:
            match = DIAGNOSTIC.match(line)
            assert match, f"{case.name}: not a diagnostic line: {line!r}"
            assert match["path"].startswith(("content/", "outside/")), line
            assert int(match["line"]) >= 1 and int(match["col"]) >= 1, line


def test_base_is_valid(tmp_path: Path, check) -> None:
    code, lines = check(materialize(None, tmp_path))
    assert code == 0, lines
    assert not [line for line in lines if DIAGNOSTIC.match(line)]


@pytest.mark.parametrize("case", _params())
def test_broken_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check) -> None:
    meta = _meta(case)
    content = materialize(case, tmp_path)
    monkeypatch.chdir(tmp_path)  # a payload that ran would write here
    started = time.perf_counter()
    code, lines = check(content)
    elapsed = time.perf_counter() - started

    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    assert code == 1, "\n".join(lines)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    printed = [line for line in lines if DIAGNOSTIC.match(line)]
    if meta.get("positions_only"):
        expected = [line.split(": ", 1)[0] for line in expected]
        printed = [line.split(": ", 1)[0] for line in printed]
    missing = [line for line in expected if line not in printed]
    assert not missing, "missing:\n" + "\n".join(missing) + "\nprinted:\n" + "\n".join(lines)
    if not meta.get("extra_allowed"):
        assert sorted(printed) == sorted(expected), "\n".join(lines)
    summaries = [SUMMARY.match(line) for line in lines if SUMMARY.match(line)]
    errors = [line for line in printed if not WARNING.match(line)]
    assert len(summaries) == 1 and int(summaries[0]["count"]) == len(errors), lines
    for path in meta.get("must_not_exist", []):  # type: ignore[union-attr]
        assert not (tmp_path / path).exists(), f"{path} was created: YAML ran code"
    assert elapsed < float(meta.get("max_seconds", 30)), elapsed  # type: ignore[arg-type]


def test_symlinks_are_refused_and_not_read(tmp_path: Path, check) -> None:
    """Whatever path the message names, a linked file must not become an article."""
    content = materialize(BROKEN / "symlink-outside-content", tmp_path)
    code, lines = check(content)
    assert code == 1
    assert any("symbolic links are not allowed" in line for line in lines), lines
    with pytest.raises(ContentError) as caught:
        read_site(content)
    assert all("Not part of the site" not in d.message for d in caught.value.diagnostics)


def test_symlinked_folder_is_refused(tmp_path: Path, check) -> None:
    content = materialize(None, tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.md").write_text("---\ntitle: X\ndate: 2024-01-16\n---\n\nx\n")
    os.symlink(tmp_path / "elsewhere", content / "articles" / "linked")
    code, lines = check(content)
    assert code == 1
    assert any("symbolic links are not allowed" in line for line in lines), lines
