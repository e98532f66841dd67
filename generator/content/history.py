"""Each content file's revisions, from the repository the site is built in.

One `git log` for the whole content folder, with commit dates and subjects: the same commits
give the same history, so builds stay deterministic (nothing comes from the clock). Outside a
git checkout, or where git is missing, there is no history and nothing fails: a downloaded
copy of the project builds as before.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..model.history import NONE, History, Revision

RECORD, FIELD = "\x1e", "\x1f"
TIMEOUT = 120  # seconds for one `git log` over the whole content folder


def read_history(root: Path, content: Path) -> History:
    """The history of every file under `content` (`root`: the project)."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return NONE
    repository = Path(top.strip()).resolve()
    log = _git(
        root,
        "log",
        f"--format={RECORD}%H{FIELD}%cI{FIELD}%s",
        "--name-only",
        "--no-renames",
        "--",
        str(content),
    )
    if log is None:
        return NONE
    revisions: dict[str, list[Revision]] = {}
    places: dict[str, str] = {}
    for entry in log.split(RECORD)[1:]:
        head, _, names = entry.partition("\n")
        commit, date, subject = [*head.split(FIELD), "", ""][:3]
        revision = Revision(date, commit, subject)
        for name in filter(None, names.splitlines()):
            path = os.path.relpath(repository / name, root.resolve()).replace(os.sep, "/")
            revisions.setdefault(path, []).append(revision)
            places[path] = name
    return History({p: tuple(r) for p, r in revisions.items()}, places)


def _git(root: Path, *arguments: str) -> str | None:
    """git's output, or None when this is not a checkout (or there is no git)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *arguments],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
