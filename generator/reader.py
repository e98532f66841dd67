"""The Pelican reader for `.md`: a thin adapter from BuildState.read to Pelican's metadata.

It never raises: a broken file is recorded in the build state and handed to Pelican as an
unpublished draft, so Pelican reads every other file and the build fails once, with all problems.

Pelican gets no HTML (content ""): our templates render `body_html` from the model, and
Pelican scans content for `{attach}`/`{static}` links in any attribute (a fence info string
such as ```x,src='{attach}../../secret``` renders to one) and would read or copy that file from
anywhere on disk.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from pelican.readers import BaseReader
from pelican.urlwrappers import Category

from .model import Article, Page
from .sources import display_path
from .state import BuildState, build_state

UNREADABLE_DATE = datetime(1970, 1, 1, tzinfo=UTC)


class TimelineReader(BaseReader):  # type: ignore[misc]
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        state = build_state(self.settings)
        file = Path(source_path)
        # Pelican walks the folders itself (hidden ones too, and through symlinks): a file that
        # discovery did not list is never read, so `check` and `build` see the same files.
        document = state.read(file) if _discovered(state, file) else None
        if isinstance(document, Article):
            return "", {
                "title": document.title, "date": document.date, "slug": document.slug,
                "status": "draft" if document.draft else "published", "timeline": document,
                "category": self._category,
            }
        if isinstance(document, Page):
            return "", {
                "title": document.title, "slug": document.slug,
                "status": "draft" if document.draft else "published", "timeline": document,
            }
        return "", {"title": "(unreadable)", "date": UNREADABLE_DATE, "status": "draft",
                    "slug": "unreadable-" + Path(source_path).stem.lower(),
                    "category": self._category}

    @property
    def _category(self) -> Category:
        """Pelican's drafts code needs one; we publish no category pages."""
        return Category("updates", self.settings)


def _discovered(state: BuildState, file: Path) -> bool:
    path = display_path(file, state.root)
    return path in state.documents or any(  # every listed file was read at start
        display_path(f, state.root) == path for f in (*state.files.articles, *state.files.pages))
