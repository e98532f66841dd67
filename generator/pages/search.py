"""Search without a server: output/search/ (classic scripts: a manifest and its shards) and
search.html.

The index is made by generator.render.search in a task beside the pages, each record's row
and words kept by make serve between builds; docs/search-index.md describes its format. Every
file is written each build (only when its bytes change); shards a smaller index no longer has
are not written, so the engine removes them as stale.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..render.search import PAGE_FILE, build_index, each_index_file
from .base import Depends, Output, Page, PageFamily, Task


class SearchPage(PageFamily):
    def outputs(self) -> Iterator[Output]:
        site = self.site
        yield Task(self._write_index, size=len(site.events) + len(site.quotes) + len(site.articles))
        values = {"section": "search"}
        yield Page(PAGE_FILE, "search", values, Depends(values=values))

    def _write_index(self) -> None:
        files = self.inputs.files
        for name, text in each_index_file(build_index(self.site, files.piece)):
            files.write_text(name, text)
