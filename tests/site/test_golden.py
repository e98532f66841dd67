"""Golden site: the spec fixture built and compared, file by file, with a committed tree.

After an intended change to templates or output, refresh it and review the diff:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/site/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from ..support import SPEC_SITE

GOLDEN = SPEC_SITE / "golden"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_build_matches_the_golden_tree(spec_output: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(spec_output, GOLDEN)
    built, golden = _files(spec_output), _files(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or removed (see UPDATE_GOLDEN)"
    changed = [name for name in built if built[name] != golden[name]]
    if changed:
        first = changed[0]
        diff = difflib.unified_diff(
            golden[first].decode(errors="replace").splitlines(),
            built[first].decode(errors="replace").splitlines(),
            "golden/" + first,
            "built/" + first,
            lineterm="",
            n=1,
        )
        raise AssertionError(
            f"{len(changed)} file(s) differ, e.g. {first}:\n" + "\n".join(list(diff)[:40])
        )
